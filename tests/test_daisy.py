"""The DAISY 2.02 talking book: its NCC, text and SMIL made from the audio, and the checks that catch a damaged book."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest
from conftest import HANDS_ARTICLE, ToneEngine, make_document, short_document

from pipeline.audio.listening import caption_cues, decode, rms_db
from pipeline.audio.mp3 import encode_mp3
from pipeline.audio.recording import Recording
from pipeline.batch import build
from pipeline.checks.daisy import REQUIRED_METADATA, check_daisy, clock_seconds, read_book
from pipeline.model import Document
from pipeline.renderers.audio import AudioRenderer
from pipeline.renderers.daisy import DaisyRenderer, audio_seconds
from pipeline.settings import Settings

EPOCH = 1_700_000_000
XHTML = "{http://www.w3.org/1999/xhtml}"


def _make(document: Document, folder: Path) -> Path:
    settings = Settings(out_dir=folder, source_date_epoch=EPOCH)
    AudioRenderer(engine=ToneEngine()).render(document, settings, folder)
    [book] = DaisyRenderer().render(document, settings, folder)
    return book


@pytest.fixture
def knee(tmp_path: Path) -> tuple[Document, Path]:
    document = short_document(tmp_path)
    return document, _make(document, tmp_path)


def _failed(document: Document, folder: Path) -> dict[str, str]:
    return {f.check: f.figure for f in check_daisy(document, folder, Settings(out_dir=folder)) if f.status == "fail"}


def _rewrite(book: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite one file of the zip with ``change(text) -> text`` (or bytes for the MP3)."""
    with zipfile.ZipFile(book) as archive:
        files = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(book, "w") as archive:
        for filename, data in files:
            if filename == name:
                data = change(data) if name.endswith(".mp3") else change(data.decode()).encode()
            archive.writestr(filename, data)


def test_the_book_has_every_heading_in_order_linked_to_its_clip(knee: tuple[Document, Path]) -> None:
    document, book = knee
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        ncc = ElementTree.fromstring(archive.read("ncc.html"))
    assert names[:2] == ["ncc.html", "content.html"] and names[-1] == "knee.mp3"
    headings = [(element.tag[len(XHTML):], "".join(element.itertext())) for element in ncc.find(f"{XHTML}body")]
    assert headings == [("h1", document.title), ("h2", "What to do each day"), ("h2", "When to call us"),
                        ("h2", "Disclaimer")]
    assert ncc.find(f"{XHTML}body")[0].get("class") == "title"
    read = read_book(book)
    assert all(read.metadata.get(name) for name in REQUIRED_METADATA)
    assert read.metadata["dc:format"] == "Daisy 2.02" and read.metadata["ncc:multimediaType"] == "audioFullText"
    assert read.metadata["ncc:tocItems"] == "4" and read.metadata["ncc:depth"] == "2"
    assert read.metadata["ncc:files"] == str(len(names))
    assert "synthetic" in read.metadata["ncc:narrator"]
    # Every heading leads to the par of its own sentence.
    for _level, text, href in read.headings:
        smil, par = href.split("#")
        clip = next(c for c in read.clips if c.smil == smil and c.par_id == par)
        assert read.sentences[clip.text_ref] == text


def test_the_clips_tile_the_audio_and_follow_the_captions(knee: tuple[Document, Path]) -> None:
    document, book = knee
    folder = book.parent
    read = read_book(book)
    cues = caption_cues(folder / "knee.vtt")
    length = audio_seconds(folder / "knee.mp3")
    assert [read.sentences[c.text_ref] for c in read.clips] == [text for _s, _e, text in cues]
    assert read.clips[0].begin == 0.0 and read.clips[-1].end == pytest.approx(length, abs=0.001)
    for clip, after in zip(read.clips, read.clips[1:], strict=False):
        assert clip.end == after.begin
    for clip, (start, end, _text) in zip(read.clips, cues, strict=True):
        # Each clip holds its whole sentence as the captions time it.
        assert clip.begin <= start + 0.001 and end <= clip.end + 0.001 or clip is read.clips[-1]
    assert clock_seconds(read.metadata["ncc:totalTime"]) == pytest.approx(length, abs=0.01)
    elapsed = 0.0
    for smil, stated_elapsed, stated_time in read.smil_times:
        own = sum(c.end - c.begin for c in read.clips if c.smil == smil)
        assert clock_seconds(stated_elapsed) == pytest.approx(elapsed, abs=0.002)
        assert clock_seconds(stated_time) == pytest.approx(own, abs=0.002)
        elapsed += own
    assert all(f.status in ("pass", "not run") for f in check_daisy(document, folder, Settings(out_dir=folder)))


def test_the_book_is_the_same_under_source_date_epoch(tmp_path: Path) -> None:
    document = short_document(tmp_path)
    settings = Settings(out_dir=tmp_path, source_date_epoch=EPOCH)
    AudioRenderer(engine=ToneEngine()).render(document, settings, tmp_path)
    first = DaisyRenderer().render(document, settings, tmp_path)[0].read_bytes()
    second = DaisyRenderer().render(document, settings, tmp_path)[0].read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "knee.daisy.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert read_book(tmp_path / "knee.daisy.zip").metadata["dc:date"] == "2023-11-14"


def test_a_spanish_book_is_labelled_in_spanish(tmp_path: Path) -> None:
    document = replace(make_document(tmp_path, lang="es"), title="Dormir bien")
    read = read_book(_make(document, tmp_path))
    assert read.metadata["dc:language"] == "es"
    assert read.metadata["ncc:narrator"] == "una voz sintética (de computadora)"
    assert read.metadata["dc:publisher"] == "Educación para pacientes"
    assert read.headings[-1][1] == "Aviso importante"
    # Its table is written row by row as the rows are spoken, so every caption has its text.
    assert "Medicine: Melatonin; Dose: 3 mg." in read.sentences.values()
    assert _failed(document, tmp_path) == {}


def test_the_check_fails_a_clip_past_the_end_of_the_audio(knee: tuple[Document, Path]) -> None:
    document, book = knee
    _rewrite(book, "s0004.smil", lambda text: re.sub(r'clip-end="npt=[0-9.]+s"(?![\s\S]*clip-end)',
                                                      'clip-end="npt=999.000s"', text))
    assert "clips inside the audio" in _failed(document, book.parent)


def test_the_check_fails_a_heading_whose_par_is_missing(knee: tuple[Document, Path]) -> None:
    document, book = knee
    _rewrite(book, "s0002.smil", lambda text: re.sub(r'<par endsync="last" id="ps0005">[\s\S]*?</par>\n', "", text))
    failed = _failed(document, book.parent)
    assert failed["headings link to the audio"] == "3 of 4"
    assert "captions covered" in failed


def test_the_check_fails_a_wrong_total_time(knee: tuple[Document, Path]) -> None:
    document, book = knee
    _rewrite(book, "ncc.html", lambda text: re.sub(r'ncc:totalTime" content="[^"]+"',
                                                    'ncc:totalTime" content="00:01:30"', text))
    assert "totalTime" in _failed(document, book.parent)


def test_the_check_fails_a_silent_disclaimer(knee: tuple[Document, Path], tmp_path: Path) -> None:
    document, book = knee
    read = read_book(book)
    start = read.clips[-2].begin  # the closing disclaimer's two sentences

    def silence_the_end(data: bytes) -> bytes:
        scratch = tmp_path / "scratch.mp3"
        scratch.write_bytes(data)
        samples, rate = decode(scratch)
        assert rms_db(samples[int(start * rate):]) > -40
        samples = samples.copy()
        samples[int(start * rate):] = 0.0
        return encode_mp3(Recording(samples=samples.astype(np.float32), sample_rate=rate, cues=(), chapters=(),
                                    spoken_text=""))

    _rewrite(book, "knee.mp3", silence_the_end)
    assert "disclaimer audible" in _failed(document, book.parent)


def test_the_seed_book_passes_its_checks(built_seed: Path) -> None:
    from conftest import SEED_ARTICLE

    from pipeline.readers import read_article

    folder = built_seed / "ketamine-ptsd"
    document = read_article(SEED_ARTICLE)
    book = folder / "ketamine-ptsd.daisy.zip"
    findings = check_daisy(document, folder, Settings(out_dir=built_seed))
    assert [f for f in findings if f.status == "fail"] == []
    read = read_book(book)
    written = [s.heading for s in document.sections if s.heading]
    assert [text for _l, text, _h in read.headings] == [document.title, *written, "Disclaimer"]
    assert {level for level, _t, _h in read.headings} <= {1, 2, 3}


def test_the_book_is_remade_only_when_its_text_or_audio_changes(hands: Path, tmp_path: Path,
                                                                 fake_speech: list[str]) -> None:
    settings = Settings(out_dir=tmp_path / "out", formats=("audio", "daisy"), source_date_epoch=EPOCH)
    folder = tmp_path / "out" / "hands"
    first = build([hands], settings)
    assert first.exit_code == 0, [str(e) for e in first.articles[0].errors]
    made = (folder / "hands.daisy.zip").read_bytes()
    assert sorted(build([hands], settings).articles[0].skipped) == ["audio", "daisy"]
    # A setting the book does not read: it stays.
    assert "daisy" in build([hands], replace(settings, paper="a4", braille_grade=1)).articles[0].skipped
    # The audio made again at another pace: the book follows it.
    result = build([hands], replace(settings, rate=120))
    assert {p.name for p in result.articles[0].written} == {"hands.mp3", "hands.vtt", "hands.daisy.zip"}
    assert (folder / "hands.daisy.zip").read_bytes() != made
    # Only the book asked for, from the audio already in the output folder.
    (folder / "hands.daisy.zip").unlink()
    alone = build([hands], replace(settings, rate=120, formats=("daisy",)))
    assert alone.exit_code == 0 and [p.name for p in alone.articles[0].written] == ["hands.daisy.zip"]
    # The text changed: both remade, and the book says the new words.
    (hands / "hands.md").write_text(HANDS_ARTICLE.replace("twenty", "thirty"), encoding="utf-8")
    result = build([hands], replace(settings, rate=120))
    assert {p.name for p in result.articles[0].written} >= {"hands.mp3", "hands.daisy.zip"}
    assert "thirty" in read_book(folder / "hands.daisy.zip").content_text


def test_the_full_text_shows_each_picture_with_its_description_and_the_book_carries_it(tmp_path: Path) -> None:
    from conftest import picture_document
    from photos import private_traces

    document = picture_document(tmp_path, undescribed=False)
    book = _make(document, tmp_path)
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        content = archive.read("content.html").decode()
        ncc = archive.read("ncc.html").decode()
        pictures = [name for name in names if name.startswith("picture-")]
        assert pictures == ["picture-1.jpg", "picture-2.jpg", "picture-3.png"]
        assert all(private_traces(archive.read(name)) == [] for name in pictures)
    assert f'<meta name="ncc:files" content="{len(names)}"/>' in ncc
    root = ElementTree.fromstring(content.split("\n", 2)[2])  # past the XML declaration and doctype
    images = list(root.iter(f"{XHTML}img"))
    assert [img.get("src") for img in images] == pictures
    assert images[0].get("alt") == "A hand holding an inhaler upright, mouthpiece at the bottom"
    text = " ".join("".join(root.itertext()).split())
    said = text.index("Picture: A hand holding an inhaler upright, mouthpiece at the bottom")
    assert said < text.index("Step 1: hold it upright") < text.index("Picture: A person breathing out")
    assert "<figure" not in content and "<figcaption" not in content  # XHTML 1.0 has neither
    findings = {f.check: f for f in check_daisy(document, tmp_path, Settings(out_dir=tmp_path))}
    assert findings["pictures described (WCAG 1.1.1)"].status == "pass"
    assert not [f for f in findings.values() if f.status == "fail"], [f for f in findings.values()
                                                                       if f.status == "fail"]
