"""A Spanish article end to end: every word the tool adds is Spanish, and every check that can run passes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html

from pipeline.audio.listening import caption_cues, chapters, voice_tag
from pipeline.batch import build
from pipeline.checking import check
from pipeline.locale import catalog_path
from pipeline.settings import Settings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "es"
SLUG = "cuidado-rodilla"


def english_labels() -> list[str]:
    """The fixed pieces of every English message the tool adds (placeholders cut out), longest first."""
    from babel.messages.pofile import read_po

    with catalog_path("es").open("rb") as handle:
        catalog = read_po(handle)
    pieces = {piece.strip(" .:“”") for entry in catalog if entry.id
              for piece in re.split(r"%\(\w+\)s", entry.id)}
    return sorted((p for p in pieces if len(p) >= 4), key=len, reverse=True) + ["Page "]


def english_found(text: str) -> list[str]:
    return [label for label in english_labels() if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spanish")
    source = folder / "source"
    shutil.copytree(FIXTURE, source)
    # English lists beside it must never reach a Spanish article.
    (source / "glossary.yml").write_text("terms:\n  rodilla: KNEE IN ENGLISH\n", encoding="utf-8")
    (source / "lexicon.txt").write_text("rodilla = knee in english\n", encoding="utf-8")
    out = folder / "out"
    result = build([source / f"{SLUG}.md"], Settings(out_dir=out))
    assert result.exit_code == 0, [str(e) for a in result.articles for e in a.errors]
    return out / SLUG


def test_no_english_label_in_the_pdf(built: Path) -> None:
    with pdfplumber.open(built / f"{SLUG}.pdf") as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
        pages = len(pdf.pages)
    assert english_found(text) == []
    # The article's own word before its disclaimer heads it.
    assert "Aviso\nEsta hoja es solo informativa" in text
    assert f"Página 1 de {pages}" in text


def test_no_english_label_in_the_pages_text_or_accessible_names(built: Path) -> None:
    root = lxml_html.fromstring((built / f"{SLUG}.html").read_bytes())
    for hidden in root.xpath("//style|//script"):
        hidden.getparent().remove(hidden)
    visible = " ".join(root.xpath("//body")[0].itertext())
    names = " ".join(root.xpath("//@aria-label|//@title|//@alt|//track/@label"))
    assert english_found(visible) == [] and english_found(names) == []
    for label in ("Ir al contenido principal", "Puntos clave", "Escuche esta página", "En palabras sencillas:",
                  "Guardar el archivo de sonido en su dispositivo", "Esta página viene del artículo"):
        assert label in visible, label
    assert root.get("lang") == "es"
    assert "KNEE IN ENGLISH" not in visible


def test_no_english_in_the_captions_and_the_voice_speaks_spanish(built: Path) -> None:
    cues = caption_cues(built / f"{SLUG}.vtt")
    captions = " ".join(text for _, _, text in cues)
    assert english_found(captions) == []
    assert cues[1][2].startswith("Antes de escuchar: Esta hoja es solo informativa")
    # Spanish sentences split where Spanish ends them, not at "Dra." or "EE. UU.".
    assert any(text.startswith("La cirugía de rodilla es una operación frecuente en los EE. UU. y")
               for _, _, text in cues)
    assert any("Según la Dra. Ramírez" in text for _, _, text in cues)
    assert voice_tag(built / f"{SLUG}.mp3") == ("kokoro", "ef_dora")
    from mutagen.id3 import ID3

    assert str(ID3(str(built / f"{SLUG}.mp3"))["TLAN"]) == "spa"
    assert [title for title, _, _ in chapters(built / f"{SLUG}.mp3")][-1] == "Aviso"


def test_the_spanish_plain_edition_is_measured_with_spanish_formulas(built: Path) -> None:
    import json

    report = json.loads((built / f"{SLUG}.readability.json").read_text(encoding="utf-8"))
    assert report["formula"] == "Flesch-Szigriszt (INFLESZ) and SOL"
    assert report["page"]["szigriszt"] >= 65 and report["page"]["sol"] <= 6
    assert report["meets_target"] is True


def test_every_check_passes_and_whisper_hears_kokoros_spanish(built: Path) -> None:
    results = check([FIXTURE / f"{SLUG}.md"], Settings(out_dir=built.parent))
    findings = {(f.output, f.check): f for f in results[0].findings or []}
    failed = [f"{f.output} {f.check}: {f.figure} {f.detail}" for f in findings.values() if f.status == "fail"]
    assert failed == []
    for name in ("PDF/UA-1 (page-validation)", "PDF/UA-1 (outloud)", "missing glyphs", "language"):
        assert findings[("pdf", name)].status == "pass", name
    assert findings[("html", "axe (light)")].status == "pass"
    assert findings[("html", "reflow at 320 px")].status == "pass"
    assert "IFSZ" in findings[("html", "reading grade")].figure
    for name in ("disclaimer heard", "intelligibility", "speaking rate", "loudness (RMS)", "peak", "chapters"):
        assert findings[("audio", name)].status == "pass", (name, findings[("audio", name)])
    assert "kokoro voice ef_dora:" in findings[("audio", "intelligibility")].detail
