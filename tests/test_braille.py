"""The braille edition: BRF layout by BANA Braille Formats, liblouis translation both ways, the preview, the check."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_ARTICLE, make_document

from pipeline import liblouis
from pipeline.batch import build
from pipeline.checks.braille import back_translation, brf_pages, check_braille, page_numbers, words
from pipeline.cli import main
from pipeline.manifest import fingerprint
from pipeline.model import Paragraph, Section, Text, section_texts
from pipeline.readers import read_article
from pipeline.renderers.braille import (
    body_units,
    braille_pages,
    braille_table,
    brf_text,
    title_units,
    translate_units,
    wrap,
)
from pipeline.settings import Settings

SPANISH_ARTICLE = Path(__file__).resolve().parent / "fixtures" / "es" / "cuidado-rodilla.md"
EPOCH = 1700000000  # 14 November 2023
LONG = ("Rest helps the body heal after an operation, and a regular bedtime makes it easier to sleep "
        "through the night without waking, even when the wound is still sore.")


def settings_for(out: Path, **changes: object) -> Settings:
    return replace(Settings(out_dir=out, formats=("braille",), source_date_epoch=EPOCH), **changes)


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A hand-built document with a long paragraph, its units' braille, and its pages at 40 x 25."""
    folder = tmp_path_factory.mktemp("hand")
    document = make_document(folder)
    sections = (Section(heading=None, level=2, blocks=(Paragraph((Text(LONG),)),)), *document.sections)
    document = replace(document, sections=sections)
    settings = settings_for(folder)
    units = title_units(document, settings) + body_units(document, settings)
    braille = translate_units(units, document, braille_table(document, settings))
    return document, settings, units, braille, braille_pages(document, settings)


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-braille")
    result = build([SEED_ARTICLE], settings_for(out))
    assert result.exit_code == 0, [str(e) for a in result.articles for e in a.errors]
    return out / SEED_ARTICLE.stem


@pytest.fixture(scope="module")
def spanish_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The Spanish fixture built at grade 2 and grade 1."""
    folders = {}
    for grade in (2, 1):
        out = tmp_path_factory.mktemp(f"es-braille-g{grade}")
        result = build([SPANISH_ARTICLE], settings_for(out, braille_grade=grade))
        assert result.exit_code == 0, [str(e) for a in result.articles for e in a.errors]
        folders[grade] = out / SPANISH_ARTICLE.stem
    return folders


def text_lines(pages: list[list[str]]) -> list[str]:
    return [re.sub(r"\s{3}P?#[A-J]+$", "", line) if i == len(page) - 1 else line
            for page in pages for i, line in enumerate(page)]


# ---------------------------------------------------------------- layout


def test_liblouis_is_installed() -> None:
    assert liblouis.available(), liblouis.INSTALL_HINT
    assert "3." in liblouis.version()


@pytest.mark.parametrize(("cells", "lines"), [(40, 25), (32, 12)])
def test_lines_fit_the_width_and_pages_the_length(cells: int, lines: int) -> None:
    document = read_article(SEED_ARTICLE)
    pages = braille_pages(document, Settings(braille_cells=cells, braille_lines=lines, source_date_epoch=EPOCH))
    assert len(pages) > 2
    assert all(len(page) == lines for page in pages)
    assert max(len(line) for page in pages for line in page) <= cells
    # Some line is filled close to the width: the layout uses the page it is given.
    assert max(len(line) for page in pages for line in page[:-1]) >= cells - 8
    numbers = page_numbers(pages)
    body = [n for n in numbers if not n.startswith("p")]  # type: ignore[union-attr]
    assert numbers[0] == "p1" and body == [str(i) for i in range(1, len(body) + 1)]
    # The number ends the last line, with at least three blank cells before any text there.
    for page in pages:
        assert re.search(r"(^|\s{3})P?#[A-J]+$", page[-1]) and len(page[-1]) == cells


def test_no_word_is_divided_between_lines(hand_built) -> None:  # type: ignore[no-untyped-def]
    _, _, _, braille, pages = hand_built
    laid_out = " ".join(text_lines(pages)).split()
    assert laid_out == " ".join(braille).split()


def test_wrap_breaks_only_between_words() -> None:
    assert wrap("AB CD EF", 5, first=2) == ["  AB", "CD EF"]
    assert wrap("ABCDEFGH", 5) == ["ABCDE", "FGH"]  # only a word longer than a line is cut


def test_title_page_then_centred_main_heading(hand_built) -> None:  # type: ignore[no-untyped-def]
    document, settings, units, braille, pages = hand_built
    title = braille[0]
    assert pages[0][-1].endswith("P#A")
    body = pages[1]
    assert body[0].strip() == title.strip() or title.startswith(body[0].strip())
    first = body[0]
    left = len(first) - len(first.lstrip())
    assert abs(left - (settings.braille_cells - len(first.strip())) // 2) <= 1
    assert body[1] == ""  # a blank line after the main heading


def test_paragraphs_start_in_cell_3_and_run_over_to_cell_1(hand_built) -> None:  # type: ignore[no-untyped-def]
    _, _, units, braille, pages = hand_built
    index = next(i for i, unit in enumerate(units) if unit.text == LONG)
    lines = pages[1]
    start = next(i for i, line in enumerate(lines) if line.strip() and braille[index].startswith(line.strip()))
    assert lines[start].startswith("  ") and not lines[start].startswith("   ")
    assert lines[start + 1] and not lines[start + 1].startswith(" ")


def test_headings_lists_and_tables(hand_built) -> None:  # type: ignore[no-untyped-def]
    _, _, units, braille, pages = hand_built
    lines = [line for page in pages for line in page]
    by_text = {unit.text: cells for unit, cells in zip(units, braille, strict=True)}
    section = next(line for line in lines if line.strip() == by_text["What to do"])
    assert section.startswith("    ") and not section.startswith("     ")  # cell 5
    deeper = next(line for line in lines if line.strip() == by_text["Doses at a glance"])
    assert deeper.startswith("      ") and not deeper.startswith("       ")  # cell 7
    item = next(line for line in lines if line.startswith(by_text["1. Turn off screens an hour before bed."][:6]))
    assert not item.startswith(" ")  # list items in cell 1
    row = by_text["Medicine: Melatonin; Dose: 3 mg"]
    assert any(line.startswith(row.split()[0]) for line in lines)
    disclaimer = next(line for line in lines if line.strip() == by_text["Disclaimer"])
    assert disclaimer.startswith("    ")


def test_brf_is_braille_ascii_with_form_feeds(seed_build: Path) -> None:
    data = (seed_build / "ketamine-ptsd.brf").read_bytes()
    assert all(0x20 <= byte <= 0x5F or byte in (0x0A, 0x0C) for byte in data)
    pages = brf_pages(data.decode("ascii"))
    assert data.count(b"\f") == len(pages) - 1
    assert all(len(page) == 25 for page in pages)


# ---------------------------------------------------------------- what it says


def test_seed_back_translation_recovers_the_article(seed_build: Path) -> None:
    document = read_article(SEED_ARTICLE)
    pages = brf_pages((seed_build / "ketamine-ptsd.brf").read_text(encoding="ascii"))
    back = set(words(back_translation(pages, "en-ueb-g2.ctb")))
    article = set(words(" ".join([document.title, *section_texts(document.sections), document.disclaimer.text])))
    assert len(article & back) / len(article) >= 0.98, sorted(article - back)
    assert set(words(document.disclaimer.text)) <= back
    assert {"disclaimer", "transcribed", "braille", "automatically", "handout", "november"} <= back


def test_seed_passes_handout_check(seed_build: Path) -> None:
    findings = check_braille(read_article(SEED_ARTICLE), seed_build, settings_for(seed_build.parent))
    assert [f.check for f in findings if f.status != "pass"] == []
    assert {f.check for f in findings} >= {"braille ASCII", "line width", "page length", "page numbers",
                                          "back-translation", "disclaimer", "disclaimer in braille"}


def test_check_finds_damage(seed_build: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ketamine-ptsd"
    shutil.copytree(seed_build, folder)
    brf = folder / "ketamine-ptsd.brf"
    pages = brf_pages(brf.read_text(encoding="ascii"))
    pages[1], pages[2] = pages[2], pages[1]
    pages[3][0] = "X" * 45 + "é"
    disclaimer_words = {"professionals", "personalized"}
    pages = [[line for line in page if not set(words(line.lower())) & disclaimer_words] for page in pages]
    pages = [[re.sub(r"PROFESSIONAL|P]SONALIZ", "", line) for line in page] for page in pages]
    brf.write_bytes(brf_text(pages).encode("latin-1"))
    failed = {f.check for f in check_braille(read_article(SEED_ARTICLE), folder, settings_for(tmp_path))
              if f.status == "fail"}
    assert {"braille ASCII", "line width", "page numbers", "disclaimer", "disclaimer in braille"} <= failed


def test_grade_1_is_longer_than_grade_2() -> None:
    document = read_article(SEED_ARTICLE)
    cells = {grade: sum(len(line.strip()) for page in braille_pages(
        document, Settings(braille_grade=grade, source_date_epoch=EPOCH)) for line in page) for grade in (1, 2)}
    assert cells[2] < cells[1] * 0.9


def test_same_input_same_bytes(tmp_path: Path) -> None:
    document = read_article(SEED_ARTICLE)
    first = brf_text(braille_pages(document, Settings(source_date_epoch=EPOCH)))
    assert first == brf_text(braille_pages(document, Settings(source_date_epoch=EPOCH)))
    assert first != brf_text(braille_pages(document, Settings(source_date_epoch=EPOCH + 86400 * 40)))


# ---------------------------------------------------------------- languages


def test_table_by_language() -> None:
    assert liblouis.table_for("en-GB", 2) == "en-ueb-g2.ctb"
    assert liblouis.table_for("es-MX", 2) == "es-g2.ctb"
    assert liblouis.table_for("es", 1) == "es-g1.ctb"
    assert liblouis.table_for("zz", 2) is None


def test_spanish_article_in_spanish_braille(spanish_builds: dict[int, Path]) -> None:
    document = read_article(SPANISH_ARTICLE)
    grade1 = brf_pages((spanish_builds[1] / "cuidado-rodilla.brf").read_text(encoding="ascii"))
    back = set(words(back_translation(grade1, "es-g1.ctb")))
    article = set(words(" ".join([document.title, *section_texts(document.sections), document.disclaimer.text])))
    assert len(article & back) / len(article) >= 0.98, sorted(article - back)
    assert set(words(document.disclaimer.text)) <= back
    # The title page and the disclaimer heading are in Spanish.
    assert {"transcrito", "automáticamente", "fecha", "noviembre", "español", "grado", "aviso", "grados"} <= back
    assert not {"transcribed", "date", "november", "disclaimer"} & back
    # Spanish braille, not English: capitals are dots 4-6 ("."), never UEB's dot 6 (",").
    assert ".CUIDADOS" in grade1[1][0]
    findings = check_braille(document, spanish_builds[1], settings_for(spanish_builds[1], braille_grade=1))
    assert [f.check for f in findings if f.status != "pass"] == []


def test_spanish_braille_is_grade_1_unless_grade_2_is_asked_for(spanish_builds: dict[int, Path],
                                                                 tmp_path: Path) -> None:
    """Most Spanish-speaking readers read uncontracted braille, so it is the default; English stays grade 2."""
    assert liblouis.table_for("es-MX", None) == "es-g1.ctb" and liblouis.table_for("en", None) == "en-ueb-g2.ctb"
    result = build([SPANISH_ARTICLE], settings_for(tmp_path))
    assert result.exit_code == 0
    folder = tmp_path / SPANISH_ARTICLE.stem
    brf = (folder / "cuidado-rodilla.brf").read_bytes()
    assert brf == (spanish_builds[1] / "cuidado-rodilla.brf").read_bytes() != (
        spanish_builds[2] / "cuidado-rodilla.brf").read_bytes()
    # The back-translation check runs in full, judged, with the grade left to the language.
    document = read_article(SPANISH_ARTICLE)
    findings = {f.check: f for f in check_braille(document, folder, settings_for(folder))}
    assert findings["back-translation"].status == "pass"
    assert [name for name, f in findings.items() if f.status != "pass"] == []
    # Same braille, same fingerprint: grade 1 asked for and the default do not rebuild each other.
    settings = settings_for(folder)
    assert fingerprint("braille", document, settings) == fingerprint("braille", document,
                                                                     replace(settings, braille_grade=1))
    assert fingerprint("braille", document, settings) != fingerprint("braille", document,
                                                                     replace(settings, braille_grade=2))
    english = make_document(tmp_path)
    assert fingerprint("braille", english, Settings()) == fingerprint("braille", english, Settings(braille_grade=2))


def test_spanish_grade_2_is_contracted_and_reported_unjudged(spanish_builds: dict[int, Path]) -> None:
    document = read_article(SPANISH_ARTICLE)
    sizes = {grade: len(folder.joinpath("cuidado-rodilla.brf").read_bytes().replace(b" ", b""))
             for grade, folder in spanish_builds.items()}
    assert sizes[2] < sizes[1]
    findings = {f.check: f for f in check_braille(document, spanish_builds[2],
                                                   settings_for(spanish_builds[2], braille_grade=2))}
    assert findings["back-translation"].status == "info"
    assert findings["disclaimer in braille"].status == "pass"
    assert all(f.status == "pass" for name, f in findings.items() if name not in ("back-translation", "disclaimer"))


def test_language_without_a_table_stops_with_exit_2(tmp_path: Path) -> None:
    article = tmp_path / "klingon.md"
    article.write_text("---\ntitle: Test\nlang: zz\ndisclaimer: For information only.\n---\n\nSome text.\n",
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(article), "--format", "braille", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "klingon.md" in result.output and "braille" in result.output


@pytest.mark.parametrize("option", [["--braille-cells", "5"], ["--braille-lines", "3"], ["--braille-grade", "3"]])
def test_bad_braille_options_exit_2(option: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(SEED_ARTICLE), "--format", "braille",
                                       "--out", str(tmp_path), *option])
    assert result.exit_code == 2, result.output


# ---------------------------------------------------------------- preview and rebuilds


class _Preview(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.h1 = 0
        self.sections: list[str] = []
        self.pres: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang") or ""
        self.h1 += tag == "h1"
        if tag == "section":
            self.sections.append(values.get("aria-labelledby") or "")
        if tag == "pre":
            self.pres.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_preview_has_one_labelled_section_per_page(seed_build: Path) -> None:
    pages = brf_pages((seed_build / "ketamine-ptsd.brf").read_text(encoding="ascii"))
    preview = _Preview()
    preview.feed((seed_build / "ketamine-ptsd.braille.html").read_text(encoding="utf-8"))
    assert preview.lang == "en" and preview.h1 == 1
    assert len(preview.sections) == len(pages) == len(preview.pres)
    assert all(preview.sections) and all(pre.get("aria-label") for pre in preview.pres)
    text = "".join(preview.text)
    assert "Braille page p1" in text and f"Braille page {len(pages) - 1}" in text
    assert liblouis.to_dots(pages[1][0]) in text


def test_braille_rebuilds_only_when_its_inputs_change(tmp_path: Path) -> None:
    document = make_document(tmp_path)
    settings = Settings()
    stamp = fingerprint("braille", document, settings)
    assert stamp == fingerprint("braille", document, replace(settings, rate=200, paper="a4", print_size=24))
    assert stamp != fingerprint("braille", document, replace(settings, braille_cells=32))
    assert stamp != fingerprint("braille", document, replace(settings, braille_grade=1))
    assert fingerprint("pdf", document, settings) == fingerprint("pdf", document, replace(settings, braille_lines=20))
    assert stamp == fingerprint("braille", make_document(tmp_path, plain=True), settings)
    first = build([SEED_ARTICLE], settings_for(tmp_path / "out"))
    again = build([SEED_ARTICLE], settings_for(tmp_path / "out"))
    assert [p.name for p in first.articles[0].written] == ["ketamine-ptsd.brf", "ketamine-ptsd.braille.html"]
    assert again.articles[0].skipped == ["braille"] and not again.articles[0].written


def test_preview_is_accessible_in_a_browser(seed_build: Path) -> None:
    from pipeline.checks.browser import check_in_browser

    findings = check_in_browser(seed_build / "ketamine-ptsd.braille.html")
    assert [(f.check, f.status, f.detail) for f in findings if f.status != "pass"] == []


def test_backslashes_long_addresses_rules_and_nested_lists(tmp_path: Path) -> None:
    from pipeline.model import Link, ListBlock, ListItem, Rule

    address = "https://example.org/a-very-long-address/that-goes-on-and-on/far-beyond-one-braille-line.html"
    blocks = (Paragraph((Text("Save it in C:\\x41\\notes, then read "), Link(address, (Text("the guide"),)),
                         Text(". It costs 5° less."))),
              Rule(),
              ListBlock(items=(ListItem(blocks=(Paragraph((Text("Outer item"),)), ListBlock(items=(
                  ListItem(blocks=(Paragraph((Text("Inner item that is long enough to run over a line"),)),)),)))),)))
    document = replace(make_document(tmp_path), sections=(Section(heading=None, level=2, blocks=blocks),))
    settings = Settings(braille_cells=30, braille_lines=15, source_date_epoch=EPOCH)
    pages = braille_pages(document, settings)
    lines = [line for page in pages for line in page]
    assert max(len(line) for line in lines) <= 30
    assert all(" " <= c <= "_" for line in lines for c in line)
    assert " " * 6 + "7" * 18 in lines  # the transition line, cells 7 to 24
    inner = next(i for i, line in enumerate(lines) if line.startswith("  ,9N] ITEM"))  # "in" contracted
    assert lines[inner + 1].startswith("    ") and lines[inner + 1][4] != " "  # runover two cells deeper
    back = set(words(back_translation(pages, "en-ueb-g2.ctb")))
    assert {"notes", "guide", "example", "org", "html", "less", "outer", "inner"} <= back


# ---------------------------------------------------------------- pictures


def test_a_picture_is_a_transcribers_note_in_cell_7_with_runovers_in_cell_5(tmp_path: Path) -> None:
    from conftest import picture_document

    document = picture_document(tmp_path)
    settings = settings_for(tmp_path)
    units = body_units(document, settings)
    notes = [unit for unit in units if unit.note]
    assert [unit.text for unit in notes] == [
        "Picture: A hand holding an inhaler upright, mouthpiece at the bottom", "Picture: A person breathing out",
        "Picture: A chart of your doses", "Picture with no description"]  # the decorative one is left out
    assert [(unit.first, unit.runover) for unit in notes] == [(6, 4), (8, 6), (6, 4), (6, 4)]
    braille = translate_units(units, document, braille_table(document, settings))
    first = braille[units.index(notes[0])]
    # UEB's transcriber's note indicators, dots 4-46-126 before and 4-46-345 after.
    assert first.startswith("@.<,PICTURE3") and first.endswith("@.>")
    lines = text_lines(braille_pages(document, settings))
    start = next(i for i, line in enumerate(lines) if "@.<,PICTURE3 ,A H&" in line)
    assert lines[start].startswith(" " * 6 + "@.<") and re.match(r"^ {4}\S", lines[start + 1])
    assert lines[start + 1].endswith("BOTTOM@.>")
    # The caption follows as a paragraph, and back-translated the words are there.
    back = set(words(back_translation([lines], braille_table(document, settings))))
    assert {"picture", "inhaler", "upright", "mouthpiece", "caption"} - back == {"caption"}
    assert {"step", "hold"} <= back


def test_spanish_braille_says_imagen(tmp_path: Path) -> None:
    from conftest import picture_document

    document = picture_document(tmp_path, lang="es")
    units = body_units(document, settings_for(tmp_path))
    assert [unit.text for unit in units if unit.note][-1] == "Imagen sin descripción"
