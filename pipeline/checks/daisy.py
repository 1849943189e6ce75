"""Checks of a finished DAISY 2.02 book: its NCC and SMIL files, its clips against the audio, the disclaimer."""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..model import Document
from ..settings import Settings
from . import Finding, Recorder, squeeze

XHTML = "{http://www.w3.org/1999/xhtml}"
REQUIRED_METADATA = ("dc:title", "dc:creator", "dc:date", "dc:format", "dc:identifier", "dc:language",
                     "dc:publisher", "ncc:charset", "ncc:generator", "ncc:narrator", "ncc:multimediaType",
                     "ncc:tocItems", "ncc:totalTime", "ncc:files", "ncc:depth", "ncc:setInfo")
TOTAL_TIME_TOLERANCE_S = 0.1
# A stretch of speech is far louder than silence (the audio is levelled to about -21 dB RMS, its pauses under -60 dB).
AUDIBLE_MIN_DB = -40.0
_NPT = re.compile(r"npt=([0-9.]+)s?$")


@dataclass(frozen=True)
class Clip:
    smil: str
    par_id: str
    text_ref: str
    audio: str
    begin: float
    end: float


@dataclass(frozen=True)
class Book:
    """What a finished DAISY zip holds, read from the file."""

    names: tuple[str, ...]
    metadata: dict[str, str]
    headings: tuple[tuple[int, str, str], ...]  # (level, text, href)
    clips: tuple[Clip, ...]
    par_ids: dict[str, set[str]]  # SMIL file -> the ids of its par (and text) elements
    sentences: dict[str, str]  # content id -> its text
    content_text: str
    smil_times: tuple[tuple[str, str, str], ...]  # (SMIL, ncc:totalElapsedTime, ncc:timeInThisSmil)


def clock_seconds(value: str) -> float:
    """Seconds in a DAISY clock value (hh:mm:ss, with or without a fraction, or plain seconds)."""
    parts = value.strip().split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def read_book(path: Path) -> Book:
    """The parts of a DAISY zip the checks look at; raises ValueError or ParseError when they cannot be read."""
    with zipfile.ZipFile(path) as archive:
        names = tuple(archive.namelist())
        ncc = ElementTree.fromstring(archive.read("ncc.html"))
        metadata = {meta.get("name"): meta.get("content", "") for meta in ncc.iter(f"{XHTML}meta")
                    if meta.get("name")}
        headings = []
        for element in ncc.find(f"{XHTML}body"):
            match = re.fullmatch(rf"{re.escape(XHTML)}h([1-6])", element.tag)
            if match:
                link = element.find(f"{XHTML}a")
                headings.append((int(match.group(1)), "".join(element.itertext()).strip(),
                                 link.get("href", "") if link is not None else ""))
        smil_names = sorted({href.split("#")[0] for _l, _t, href in headings if href}
                            | {name for name in names if name.endswith(".smil")})
        clips, par_ids, content_docs, times = [], {}, set(), []
        for smil_name in smil_names:
            smil = ElementTree.fromstring(archive.read(smil_name))
            head = {meta.get("name"): meta.get("content", "") for meta in smil.iter("meta")}
            times.append((smil_name, head.get("ncc:totalElapsedTime", ""), head.get("ncc:timeInThisSmil", "")))
            ids: set[str] = set()
            for par in smil.iter("par"):
                text, audio = par.find("text"), par.find("audio")
                ids.update(i for i in (par.get("id"), text.get("id") if text is not None else None) if i)
                if text is None or audio is None:
                    continue
                begin, end = (_npt(audio.get(name, "")) for name in ("clip-begin", "clip-end"))
                clips.append(Clip(smil_name, par.get("id", ""), text.get("src", ""), audio.get("src", ""), begin, end))
                content_docs.add(text.get("src", "").split("#")[0])
            par_ids[smil_name] = ids
        sentences, texts = {}, []
        for name in sorted(content_docs):
            content = ElementTree.fromstring(archive.read(name))
            texts.append(" ".join(content.find(f"{XHTML}body").itertext()))
            for element in content.iter():
                if element.get("id"):
                    sentences[f"{name}#{element.get('id')}"] = " ".join("".join(element.itertext()).split())
    return Book(names, metadata, tuple(headings), tuple(clips), par_ids, sentences, " ".join(texts), tuple(times))


def _npt(value: str) -> float:
    match = _NPT.match(value.strip())
    if not match:
        raise ValueError(f"clip time {value!r} is not npt=SECONDSs")
    return float(match.group(1))


def check_daisy(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of ``folder/SLUG.daisy.zip``."""
    path = folder / f"{document.slug}.daisy.zip"
    record = Recorder("daisy", path)
    if not record.file_present():
        return record.findings
    try:
        book = read_book(path)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as error:
        record.add("well-formed", False, "damaged", "a zip with a well-formed ncc.html and SMIL files",
                   f"{type(error).__name__}: {error}")
        return record.findings
    record.add("well-formed", True, f"{len(book.names)} files", "a zip with a well-formed ncc.html and SMIL files")
    _pictures(record, document, path, book)
    missing = [name for name in REQUIRED_METADATA if not book.metadata.get(name)]
    record.add("NCC metadata", not missing, "complete" if not missing else "missing " + ", ".join(missing),
               "the DAISY 2.02 NCC metadata")
    record.add("format", book.metadata.get("dc:format") == "Daisy 2.02"
               and book.metadata.get("ncc:multimediaType") == "audioFullText",
               f"{book.metadata.get('dc:format')}, {book.metadata.get('ncc:multimediaType')}",
               "Daisy 2.02, audioFullText")
    _headings(record, book)
    audio_names = {clip.audio for clip in book.clips}
    record.add("one audio file", len(audio_names) == 1 and audio_names <= set(book.names),
               ", ".join(sorted(audio_names)) or "none", "one MP3, inside the book")
    if len(audio_names) != 1 or not audio_names <= set(book.names):
        return record.findings
    with tempfile.TemporaryDirectory() as scratch:
        mp3 = Path(scratch) / audio_names.pop()
        with zipfile.ZipFile(path) as archive:
            mp3.write_bytes(archive.read(mp3.name))
        _timing(record, book, mp3)
        _text(record, book, document, folder)
        _disclaimer(record, book, document, mp3)
    record.not_run("DAISY 2.02 validator", "0 errors",
                   "no offline DAISY 2.02 validator runs here (see the README, 'The DAISY talking book')")
    return record.findings


def _pictures(record: Recorder, document: Document, path: Path, book: Book) -> None:
    """Every picture in the full text described (WCAG 1.1.1), and a file of the book."""
    from .pictures import image_alternates, judge_pictures

    with zipfile.ZipFile(path) as archive:
        texts = [archive.read(name).decode("utf-8") for name in book.names
                 if name.endswith(".html") and name != "ncc.html"]
    alternates: list[str | None] = []
    sources: list[str] = []
    for text in texts:
        found, addresses = image_alternates(text)
        alternates += found
        sources += addresses
    judge_pictures(record, document, alternates, "pictures described (WCAG 1.1.1)")
    missing = [src for src in sources if src not in book.names]
    if missing:
        record.add("pictures inside the book", False, f"{len(missing)} missing",
                   "every picture a file of the book, beside the text", "; ".join(missing[:3]))


def _headings(record: Recorder, book: Book) -> None:
    broken = [text for _level, text, href in book.headings
              if "#" not in href or href.split("#")[1] not in book.par_ids.get(href.split("#")[0], set())]
    record.add("headings link to the audio", bool(book.headings) and not broken,
               f"{len(book.headings) - len(broken)} of {len(book.headings)}",
               "every NCC heading links to a SMIL par that exists", "; ".join(broken[:3]))
    levels = [level for level, _t, _h in book.headings]
    skips = [b for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    record.add("heading levels", bool(levels) and levels[0] == 1 and not skips,
               " ".join(f"h{level}" for level in levels), "starts at h1, no level skipped")
    stated = book.metadata.get("ncc:tocItems", "")
    record.add("tocItems", stated == str(len(book.headings)), stated or "none", f"{len(book.headings)} headings")


def _timing(record: Recorder, book: Book, mp3: Path) -> None:
    from mutagen.mp3 import MP3

    length = float(MP3(str(mp3)).info.length)
    outside = [c for c in book.clips if not 0 <= c.begin < c.end <= length + 0.05]
    record.add("clips inside the audio", bool(book.clips) and not outside,
               f"{len(book.clips) - len(outside)} of {len(book.clips)}", f"0 to {length:.2f} s",
               "; ".join(f"{c.par_id}: {c.begin:.3f}-{c.end:.3f} s" for c in outside[:3]))
    overlaps = [b.par_id for a, b in zip(book.clips, book.clips[1:], strict=False) if b.begin < a.end - 1e-3]
    record.add("clips in order", not overlaps, f"{len(overlaps)} out of order or overlapping",
               "each clip begins where the one before ends, or later", ", ".join(overlaps[:3]))
    try:
        total = clock_seconds(book.metadata.get("ncc:totalTime", ""))
    except ValueError:
        total = -1.0
    record.add("totalTime", abs(total - length) <= TOTAL_TIME_TOLERANCE_S,
               f"{book.metadata.get('ncc:totalTime')} for {length:.3f} s of audio",
               f"the audio's length ± {TOTAL_TIME_TOLERANCE_S:g} s")
    elapsed, wrong = 0.0, []
    for smil, stated_elapsed, stated_time in book.smil_times:
        own = sum(c.end - c.begin for c in book.clips if c.smil == smil)
        try:
            if abs(clock_seconds(stated_elapsed) - elapsed) > 0.01 or abs(clock_seconds(stated_time) - own) > 0.01:
                wrong.append(smil)
        except ValueError:
            wrong.append(smil)
        elapsed += own
    record.add("SMIL times", not wrong, f"{len(book.smil_times) - len(wrong)} of {len(book.smil_times)} right",
               "ncc:totalElapsedTime and ncc:timeInThisSmil as the clips add up", ", ".join(wrong[:3]))


def _text(record: Recorder, book: Book, document: Document, folder: Path) -> None:
    """The clips' text covers every sentence of the captions, in order."""
    vtt = folder / f"{document.slug}.vtt"
    missing_refs = [c.text_ref for c in book.clips if c.text_ref not in book.sentences]
    record.add("clips point at the text", not missing_refs, f"{len(missing_refs)} missing",
               "every SMIL text src names an element of the content", ", ".join(missing_refs[:3]))
    if not vtt.is_file():
        record.not_run("captions covered", "every caption sentence has a clip", f"{vtt.name} is not there")
        return
    from ..audio.listening import caption_cues

    said = [squeeze(book.sentences.get(c.text_ref, "")) for c in book.clips]
    captions = [squeeze(text) for _s, _e, text in caption_cues(vtt)]
    left_out = [text for text in captions if text not in said]
    record.add("captions covered", not left_out and said == captions,
               f"{len(captions) - len(left_out)} of {len(captions)}",
               "every caption sentence has a clip, in the captions' order", "; ".join(left_out[:2]))


def _disclaimer(record: Recorder, book: Book, document: Document, mp3: Path) -> None:
    from ..audio.listening import decode, rms_db

    record.disclaimer(document, book.content_text, "disclaimer")
    wanted = squeeze(document.disclaimer.text)
    # The closing disclaimer: the last run of clips whose text together is the disclaimer's sentences.
    clips = [c for c in book.clips if squeeze(book.sentences.get(c.text_ref, "")) in wanted
             and squeeze(book.sentences.get(c.text_ref, ""))]
    if not clips:
        record.add("disclaimer audible", False, "no clip", "the disclaimer's clips heard in the audio")
        return
    samples, rate = decode(mp3)
    closing = clips[-len([s for s in re.split(r"(?<=[.!?])\s+", wanted) if s]):]
    stretch = samples[int(closing[0].begin * rate):int(closing[-1].end * rate)]
    level = rms_db(stretch) if stretch.size else -120.0
    record.add("disclaimer audible", level > AUDIBLE_MIN_DB, f"{level:.1f} dB",
               f"> {AUDIBLE_MIN_DB:g} dB RMS over its clips ({closing[0].begin:.1f}-{closing[-1].end:.1f} s)")
