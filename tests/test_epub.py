"""The read-along EPUB 3: its package, its sync with the audio measured in the sound, validators, rebuilds."""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import HANDS_ARTICLE as ARTICLE
from conftest import SEED_ARTICLE, ToneEngine, short_document

from pipeline.audio.listening import caption_cues, decode, rms_db
from pipeline.batch import build
from pipeline.checks.epub import (
    NS,
    check_epub,
    clock_seconds,
    read_package,
    run_ace,
    run_epubcheck,
)
from pipeline.errors import RenderError
from pipeline.readers import read_article
from pipeline.renderers.audio import AudioRenderer
from pipeline.renderers.epub import ACTIVE_CLASS, CONFORMS_TO, EpubRenderer, book_identifier
from pipeline.settings import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EPOCH = 1_700_000_000
# A clip of speech is far louder than the pauses between sentences (the
# audio is levelled to about -21 dB RMS, its silences are under -60 dB).
SPEECH_MIN_DB = -40.0
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def short_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short hand-built article spoken by the real engine, and its book made from that audio."""
    folder = tmp_path_factory.mktemp("short-book")
    document = short_document(folder)
    settings = Settings(out_dir=folder, source_date_epoch=EPOCH)
    AudioRenderer().render(document, settings, folder)
    EpubRenderer().render(document, settings, folder)
    return folder


def _read(epub: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(name)


def _sync_measurements(epub: Path, vtt: Path, scratch: Path) -> None:
    """Every clip inside its audio, in reading order without overlap, over speech, one per caption."""
    package = read_package(epub)
    cues = caption_cues(vtt)
    assert len(package.clips) == len(cues) > 0
    audio_names = {clip.audio for clip in package.clips}
    assert len(audio_names) == 1
    mp3 = scratch / "book.mp3"
    mp3.write_bytes(_read(epub, "OEBPS/" + audio_names.pop()))
    samples, rate = decode(mp3)
    seconds = len(samples) / rate
    content = _read(epub, "OEBPS/" + next(iter(package.overlays))).decode()
    order = [f"#{element_id}" for element_id in _ids_in_order(content)]
    positions = [order.index("#" + clip.text_ref.split("#")[1]) for clip in package.clips]
    assert positions == sorted(positions), "the clips do not follow the reading order"
    previous_end = 0.0
    quiet = []
    for clip, (start, end, text) in zip(package.clips, cues, strict=True):
        assert 0 <= clip.begin < clip.end <= seconds + 0.05, (clip, seconds)
        assert clip.begin >= previous_end - 1e-6, f"{clip} overlaps the clip before"
        assert (clip.begin, clip.end) == pytest.approx((start, end), abs=0.002), text
        level = rms_db(samples[int(clip.begin * rate):int(clip.end * rate)])
        assert level > SPEECH_MIN_DB, f"silence under {text!r}: {level:.1f} dB"
        if clip.begin - previous_end >= 0.3:
            quiet.append(rms_db(samples[int(previous_end * rate):int(clip.begin * rate)]))
        previous_end = clip.end
    # The measurement can tell speech from the pauses between sentences.
    assert quiet and max(quiet) < SPEECH_MIN_DB


def _ids_in_order(xhtml: str) -> list[str]:
    return [element.get("id") for element in ElementTree.fromstring(xhtml).iter() if element.get("id")]


# ---------------------------------------------------------------- structure


def test_the_package_has_mimetype_first_container_metadata_nav_and_one_overlay_per_document(short_book: Path) -> None:
    epub = short_book / "knee.epub"
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type, archive.read("mimetype")) == (
            "mimetype", zipfile.ZIP_STORED, b"application/epub+zip")
        assert first.extra == b""
        container = archive.read("META-INF/container.xml").decode()
        assert 'full-path="OEBPS/package.opf"' in container
        opf = ElementTree.fromstring(archive.read("OEBPS/package.opf"))
        assert opf.get("version") == "3.0"
        nav = ElementTree.fromstring(archive.read("OEBPS/nav.xhtml"))
        names = archive.namelist()
    package = read_package(epub)
    meta = package.metadata
    assert meta["dc:language"] == ("en",)
    assert meta["dc:title"] == ("Caring for Your Knee After Surgery",)
    assert meta["dc:identifier"] == (book_identifier(short_document(short_book)),)
    assert meta["dcterms:modified"] == ("2023-11-14T22:13:20Z",)
    assert set(meta["schema:accessMode"]) == {"textual", "auditory"}
    assert {"textual", "auditory"} <= set(meta["schema:accessModeSufficient"])
    assert {"synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder",
            "displayTransformability"} <= set(meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ("none",)
    assert len(meta["schema:accessibilitySummary"][0].split()) > 20
    assert meta["dcterms:conformsTo"] == (CONFORMS_TO,)
    assert meta["media:active-class"] == (ACTIVE_CLASS,)
    # One overall duration and one per overlay, equal as there is one overlay; clips add up to it.
    durations = [clock_seconds(d) for d in meta["media:duration"]]
    assert len(durations) == 2 == len(package.overlays) + 1 and durations[0] == pytest.approx(durations[1])
    assert durations[0] == pytest.approx(sum(c.end - c.begin for c in package.clips), abs=0.01)
    refines = [m.get("refines") for m in opf.iter("{http://www.idpf.org/2007/opf}meta")
               if m.get("property") == "media:duration"]
    overlay_ids = {item.get("id") for item in opf.iter("{http://www.idpf.org/2007/opf}item")
                   if item.get("media-type") == "application/smil+xml"}
    assert {r.lstrip("#") for r in refines if r} == overlay_ids
    for content, overlay in package.overlays.items():
        assert f"OEBPS/{overlay}" in names and f"OEBPS/{content}" in names
    assert "OEBPS/audio/knee.mp3" in names and any(n.endswith(".ttf") for n in names)
    assert f".{ACTIVE_CLASS}" in _read(epub, "OEBPS/style.css").decode()
    navs = {n.get(EPUB_TYPE): n for n in nav.iter(f"{XHTML}nav")}
    assert set(navs) == {"toc", "landmarks"}
    toc = ["".join(a.itertext()) for a in navs["toc"].iter(f"{XHTML}a")]
    assert toc == ["Caring for Your Knee After Surgery", "Introduction", "What to do each day", "When to call us",
                   "Disclaimer"]
    assert {a.get(EPUB_TYPE) for a in navs["landmarks"].iter(f"{XHTML}a")} == {"toc", "bodymatter"}


def test_every_sentence_and_heading_is_addressable_and_the_disclaimer_has_its_own_labelled_section(
        short_book: Path) -> None:
    epub = short_book / "knee.epub"
    package = read_package(epub)
    content_name = next(iter(package.overlays))
    page = ElementTree.fromstring(_read(epub, f"OEBPS/{content_name}"))
    by_id = {element.get("id"): element for element in page.iter() if element.get("id")}
    texts = [" ".join("".join(by_id[clip.text_ref.split("#")[1]].itertext()).split()) for clip in package.clips]
    assert texts == [text for _, _, text in caption_cues(short_book / "knee.vtt")]
    headings = [h for h in page.iter() if h.tag in {f"{XHTML}h1", f"{XHTML}h2"}]
    assert all(h.get("id") for h in headings)
    assert texts[0] == "Caring for Your Knee After Surgery"
    assert texts[1].startswith("Before you listen: This handout is for information only.")
    section = by_id["disclaimer"]
    label = by_id[section.get("aria-labelledby")]
    assert "".join(label.itertext()) == "Disclaimer"
    assert "This handout is for information only." in "".join(section.itertext())
    assert page.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_styles_are_large_print_defaults_the_reader_can_override(short_book: Path) -> None:
    css = _read(short_book / "knee.epub", "OEBPS/style.css").decode()
    assert "Atkinson Hyperlegible" in css and "line-height: 1.5" in css
    assert "justify" not in css and "!important" not in css
    assert not re.findall(r"\d(?:px|pt|pc|cm|mm|in|vw|vh)\b", css)
    # Nothing that fixes a size or a layout the reader's own settings cannot undo ("height: auto", which
    # keeps a picture's shape as it is made narrower, fixes nothing).
    fixed = {(name, value.strip()) for name, value in re.findall(r"(?<![\w-])([a-z-]+)\s*:\s*([^;}]+)", css)
             if value.strip() not in ("auto", "none")}
    assert not {name for name, _ in fixed} & {"position", "width", "height", "min-width", "min-height", "max-height",
                                             "overflow", "columns", "column-count", "float"}


# ---------------------------------------------------------------- sync, measured in the sound


@pytest.mark.engine
def test_clips_are_speech_in_order_inside_the_audio_one_per_caption(short_book: Path, tmp_path: Path) -> None:
    _sync_measurements(short_book / "knee.epub", short_book / "knee.vtt", tmp_path)


@pytest.mark.engine
def test_the_seed_book_reads_along_with_its_audio(built_seed: Path, tmp_path: Path) -> None:
    folder = built_seed / "ketamine-ptsd"
    _sync_measurements(folder / "ketamine-ptsd.epub", folder / "ketamine-ptsd.vtt", tmp_path)


def test_the_sync_measurement_catches_clips_over_silence(short_book: Path, tmp_path: Path) -> None:
    """Clips moved into the pauses between sentences are found out."""
    shifted = tmp_path / "shifted.vtt"
    cues = caption_cues(short_book / "knee.vtt")
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(short_book / "knee.epub") as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".smil"):
                text = data.decode()
                for start, end, _ in cues:
                    text = text.replace(f'clipBegin="{start:.3f}s" clipEnd="{end:.3f}s"',
                                        f'clipBegin="{end:.3f}s" clipEnd="{end + 0.2:.3f}s"')
                data = text.encode()
            target.writestr(info, data)
    shutil.copy(short_book / "knee.vtt", shifted)
    with pytest.raises(AssertionError):
        _sync_measurements(broken, shifted, tmp_path)


# ---------------------------------------------------------------- validators


def test_the_seed_book_passes_epubcheck_and_ace(built_seed: Path) -> None:
    epub = built_seed / "ketamine-ptsd" / "ketamine-ptsd.epub"
    errors, warnings, messages = run_epubcheck(epub)
    assert (errors, warnings) == (0, 0), messages
    outcome, violations = run_ace(epub)
    assert (outcome, violations) == ("pass", [])


def test_handout_check_passes_the_seed_book(built_seed: Path) -> None:
    document = read_article(SEED_ARTICLE)
    findings = check_epub(document, built_seed / "ketamine-ptsd", Settings(out_dir=built_seed))
    assert {f.check for f in findings} >= {"container", "accessibility metadata", "disclaimer", "read-along",
                                           "epubcheck", "Ace by DAISY"}
    assert [(f.check, f.figure, f.detail) for f in findings if f.status != "pass"] == []


def test_handout_check_fails_a_damaged_book_and_says_when_a_validator_is_missing(
        short_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.checks.epub as checks

    folder = tmp_path / "knee"
    folder.mkdir()
    shutil.copy(short_book / "knee.vtt", folder)
    with zipfile.ZipFile(short_book / "knee.epub") as source, zipfile.ZipFile(folder / "knee.epub", "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "OEBPS/package.opf":
                data = data.replace(b'<meta property="schema:accessibilityHazard">none</meta>', b"")
            target.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    document = short_document(tmp_path)
    failed = {f.check for f in check_epub(document, folder, Settings()) if f.status == "fail"}
    assert {"container", "accessibility metadata", "epubcheck"} <= failed
    monkeypatch.setattr(checks, "EPUBCHECK_JAR", tmp_path / "absent.jar")
    monkeypatch.setattr(checks, "ace_command", lambda: None)
    shutil.copy(short_book / "knee.epub", folder / "knee.epub")
    findings = {f.check: f for f in check_epub(document, folder, Settings())}
    assert findings["epubcheck"].status == findings["Ace by DAISY"].status == "not run"
    assert "epubcheck is not installed" in findings["epubcheck"].detail
    assert "Ace by DAISY is not installed" in findings["Ace by DAISY"].detail


# ---------------------------------------------------------------- a Spanish book


def test_a_spanish_article_gets_a_spanish_book(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "es", source)
    document = read_article(source / "cuidado-rodilla.md")
    folder = tmp_path / "out"
    folder.mkdir()
    settings = Settings(out_dir=folder, source_date_epoch=EPOCH)
    AudioRenderer(engine=ToneEngine()).render(document, settings, folder)
    epub = EpubRenderer().render(document, settings, folder)[0]
    package = read_package(epub)
    assert package.metadata["dc:language"] == ("es",)
    nav = _read(epub, "OEBPS/nav.xhtml").decode()
    content = _read(epub, "OEBPS/article.xhtml").decode()
    assert 'xml:lang="es"' in nav and 'xml:lang="es"' in content
    assert ">Contenido<" in nav and ">Puntos de referencia<" in nav and ">Comienzo del artículo<" in nav
    assert "Antes de escuchar:" in content
    summary = package.metadata["schema:accessibilitySummary"][0]
    assert summary.startswith("Una edición para leer y escuchar")
    for english in ("Contents", "Landmarks", "Start of the article", "Before you listen", ">Disclaimer<",
                    "Introduction", "read-along"):
        assert english not in nav + content + summary, english
    errors, warnings, messages = run_epubcheck(epub)
    assert (errors, warnings) == (0, 0), messages


# ---------------------------------------------------------------- reproducible, dependent, incremental


def test_the_same_audio_gives_the_same_bytes(short_book: Path, tmp_path: Path) -> None:
    document = short_document(short_book)
    settings = Settings(out_dir=tmp_path, source_date_epoch=EPOCH)
    first = tmp_path / "first"
    second = tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        EpubRenderer(audio_dir=short_book).render(document, settings, folder)
    assert (first / "knee.epub").read_bytes() == (second / "knee.epub").read_bytes()
    with zipfile.ZipFile(first / "knee.epub") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    later = tmp_path / "later"
    later.mkdir()
    EpubRenderer(audio_dir=short_book).render(document, replace(settings, source_date_epoch=EPOCH + 86_400), later)
    assert (later / "knee.epub").read_bytes() != (first / "knee.epub").read_bytes()


def test_without_the_audio_edition_the_book_fails_clearly(tmp_path: Path) -> None:
    document = short_document(tmp_path)
    with pytest.raises(RenderError, match="needs the audio edition"):
        EpubRenderer().render(document, Settings(out_dir=tmp_path), tmp_path)


def test_captions_that_do_not_match_the_text_are_refused(short_book: Path, tmp_path: Path) -> None:
    shutil.copy(short_book / "knee.mp3", tmp_path)
    text = (short_book / "knee.vtt").read_text(encoding="utf-8")
    (tmp_path / "knee.vtt").write_text(text.replace("Walk a little", "Run a lot"), encoding="utf-8")
    with pytest.raises(RenderError, match="do not match"):
        EpubRenderer().render(short_document(tmp_path), Settings(out_dir=tmp_path), tmp_path)


def test_the_book_is_made_after_the_audio_of_the_same_build_and_rebuilt_only_when_text_or_audio_change(
        hands: Path, tmp_path: Path, fake_speech: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.renderers.epub as epub_module

    made_from: list[Path] = []
    real_render = EpubRenderer.render

    def spying_render(self, document, settings, out_dir):  # type: ignore[no-untyped-def]
        made_from.append(self.audio_dir)
        return real_render(self, document, settings, out_dir)

    monkeypatch.setattr(epub_module.EpubRenderer, "render", spying_render)
    settings = Settings(out_dir=tmp_path / "out", formats=("pdf", "audio", "epub"), source_date_epoch=EPOCH)
    folder = tmp_path / "out" / "hands"
    first = build([hands], settings)
    assert first.exit_code == 0, [str(e) for e in first.articles[0].errors]
    # Made from the audio files in this build's staging folder, before they were published.
    assert len(made_from) == 1 and made_from[0].name.startswith(".staging-")
    package = read_package(folder / "hands.epub")
    assert len(package.clips) == len(caption_cues(folder / "hands.vtt"))
    # Nothing changed: nothing rebuilt.
    second = build([hands], settings)
    assert sorted(second.articles[0].skipped) == ["audio", "epub", "pdf"] and len(made_from) == 1
    # A setting the book does not read: the book stays.
    build([hands], replace(settings, paper="a4"))
    assert len(made_from) == 1
    # The audio remade with the same sound: the book stays.
    build([hands], replace(settings, formats=("audio",), force=True))
    result = build([hands], settings)
    assert "epub" in result.articles[0].skipped and len(made_from) == 1
    # The audio remade at another pace (its files change): the book is remade from the published audio.
    build([hands], replace(settings, formats=("audio",), rate=120))
    result = build([hands], replace(settings, rate=120))
    assert len(made_from) == 2 and made_from[1] == folder
    assert "hands.epub" in {p.name for p in result.articles[0].written}
    # The text changed: audio and book both remade.
    (hands / "hands.md").write_text(ARTICLE.replace("twenty", "thirty"), encoding="utf-8")
    result = build([hands], replace(settings, rate=120))
    assert {p.name for p in result.articles[0].written} >= {"hands.mp3", "hands.epub"} and len(made_from) == 3
    assert "thirty" in _read(folder / "hands.epub", "OEBPS/article.xhtml").decode()


def test_a_failed_audio_edition_fails_the_book_with_a_clear_error(
        hands: Path, tmp_path: Path, fake_speech: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(out_dir=tmp_path / "out", formats=("audio", "epub"), source_date_epoch=EPOCH)
    assert build([hands], settings).exit_code == 0
    old_book = (tmp_path / "out" / "hands" / "hands.epub").read_bytes()

    def no_engine(self, document, settings, out_dir):  # type: ignore[no-untyped-def]
        raise RenderError(str(document.source), "no speech engine", "install espeak-ng")

    monkeypatch.setattr(AudioRenderer, "render", no_engine)
    (hands / "hands.md").write_text(ARTICLE.replace("twenty", "thirty"), encoding="utf-8")
    result = build([hands], settings)
    assert result.exit_code == 1
    messages = [str(e) for e in result.articles[0].errors]
    assert len(messages) == 2 and "needs the audio edition, which failed" in messages[1]
    assert (tmp_path / "out" / "hands" / "hands.epub").read_bytes() == old_book
    # Only the book asked for, and no audio ever built: a clear error too.
    alone = build([hands], replace(settings, out_dir=tmp_path / "elsewhere", formats=("epub",)))
    assert alone.exit_code == 1
    assert "needs the audio edition, which is not available" in str(alone.articles[0].errors[0])


def test_the_book_alone_is_made_from_up_to_date_audio_in_the_output_folder(
        hands: Path, tmp_path: Path, fake_speech: list[str]) -> None:
    settings = Settings(out_dir=tmp_path / "out", formats=("audio",), source_date_epoch=EPOCH)
    assert build([hands], settings).exit_code == 0
    result = build([hands], replace(settings, formats=("epub",)))
    assert result.exit_code == 0 and [p.name for p in result.articles[0].written] == ["hands.epub"]
    assert NS["smil"]  # the overlay namespace the checks read


# ---------------------------------------------------------------- pictures


@pytest.fixture(scope="module")
def picture_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built article with pictures (all described or decorative), spoken by a tone, as a book."""
    from conftest import picture_document

    folder = tmp_path_factory.mktemp("picture-book")
    document = picture_document(folder, undescribed=False)
    settings = Settings(out_dir=folder, source_date_epoch=EPOCH)
    AudioRenderer(engine=ToneEngine()).render(document, settings, folder)
    return EpubRenderer().render(document, settings, folder)[0]


def test_each_picture_is_a_resource_of_the_book_with_its_alt_and_the_spoken_description_highlights_it(
        picture_book: Path) -> None:
    from photos import private_traces

    package = read_package(picture_book)
    pictures = [name for name in package.names if name.startswith("OEBPS/images/")]
    assert pictures == ["OEBPS/images/picture-1.jpg", "OEBPS/images/picture-2.jpg", "OEBPS/images/picture-3.png"]
    assert all(private_traces(_read(picture_book, name)) == [] for name in pictures)
    opf = _read(picture_book, "OEBPS/package.opf").decode()
    assert '<item id="picture-1" href="images/picture-1.jpg" media-type="image/jpeg"/>' in opf
    assert package.metadata["schema:accessMode"] == ("textual", "auditory", "visual")
    assert "alternativeText" in package.metadata["schema:accessibilityFeature"]
    assert package.metadata["dcterms:conformsTo"] == (CONFORMS_TO,)
    content = ElementTree.fromstring(_read(picture_book, "OEBPS/article.xhtml"))
    images = {img.get("src"): img for img in content.iter(f"{XHTML}img")}
    described = images["images/picture-1.jpg"]
    assert described.get("alt") == "A hand holding an inhaler upright, mouthpiece at the bottom"
    assert images["images/picture-3.png"].get("alt") == "" and images["images/picture-3.png"].get("id") is None
    clip_targets = [clip.text_ref.split("#")[1] for clip in package.clips]
    assert described.get("id") in clip_targets
    captions = [" ".join("".join(c.itertext()).split()) for c in content.iter(f"{XHTML}figcaption")]
    assert captions == ["Step 1: hold it upright"]


def test_a_book_with_pictures_passes_epubcheck_and_ace(picture_book: Path) -> None:
    errors, warnings, messages = run_epubcheck(picture_book)
    assert (errors, warnings) == (0, 0), messages
    outcome, violations = run_ace(picture_book)
    assert violations == [] and outcome == "pass"


def test_a_book_with_a_picture_nobody_described_claims_no_conformance_and_fails_the_check(tmp_path: Path) -> None:
    from conftest import picture_document

    document = picture_document(tmp_path)
    settings = Settings(out_dir=tmp_path, source_date_epoch=EPOCH)
    AudioRenderer(engine=ToneEngine()).render(document, settings, tmp_path)
    epub = EpubRenderer().render(document, settings, tmp_path)[0]
    package = read_package(epub)
    assert "dcterms:conformsTo" not in package.metadata
    assert package.metadata["schema:accessibilitySummary"][0].endswith(
        "Some pictures have no description yet, so part of what they show is lost without sight.")
    from pipeline.checks import Recorder
    from pipeline.checks.epub import _pictures

    record = Recorder("epub", epub)
    _pictures(record, document, epub)
    (finding,) = record.findings
    assert finding.status == "fail" and finding.figure.endswith("1 with no description")
