"""The DAISY 2.02 talking book: full text and audio for the DAISY players blind patients already own.

Like the EPUB, the book is made from the finished audio edition (``SLUG.mp3``
and its captions ``SLUG.vtt``): no second recording. Its text is the EPUB's
content (the listening script's sentences, which are exactly the captions),
written as XHTML 1.0. ``ncc.html`` lists every heading; each heading starts a
SMIL 1.0 file whose ``par`` elements pair a sentence with its clip of the MP3.

The clips tile the audio: each runs from its sentence's caption start to the
next sentence's start (the first from 0, the last to the end of the file), so a
player that plays clip after clip plays the whole recording, pauses included,
and the book's total time is the audio's length.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from ..locale import N_, gettext_for
from ..model import Document
from ..settings import Settings
from . import write_output
from .epub import _match, _zip_time, book_identifier, content_book, finished_audio

NCC = "ncc.html"
CONTENT = "content.html"
DTD_XHTML = ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
             '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
DTD_SMIL = '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'

SYNTHETIC_VOICE = N_("{voice}, a synthetic (computer) voice")
A_SYNTHETIC_VOICE = N_("a synthetic (computer) voice")
PUBLISHER = N_("Patient education")

_HEADING = re.compile(r'<h([1-6])(?: id="([^"]+)")?>(.*?)</h\1>|<(?:span|tr|img) id="(s\d+)"')


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # as written in the content document (escaped)
    first: int  # index of the first sentence under it


class DaisyRenderer:
    name = "daisy"
    label = "the DAISY talking book"

    def __init__(self, audio_dir: Path | None = None):
        # Where SLUG.mp3 and SLUG.vtt are, as for the EPUB (see build.MADE_FROM).
        self.audio_dir = audio_dir

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        mp3, vtt = finished_audio(document, self.audio_dir or out_dir, f"{document.slug}.daisy.zip",
                                  "the DAISY book")
        book = out_dir / f"{document.slug}.daisy.zip"
        write_output(book, daisy_bytes(document, settings, mp3, vtt))
        return [book]


def daisy_bytes(document: Document, settings: Settings, mp3: Path, vtt: Path) -> bytes:
    """The DAISY 2.02 book for ``document`` as a zip: ncc.html, the text, one SMIL per heading, the MP3."""
    from ..audio.listening import caption_cues

    # A DAISY player shows the sentence it speaks: a table row is shown as it is spoken, and so is a
    # picture's description, under the picture. DAISY 2.02 keeps every file of a book in one folder.
    book = content_book(document, rows_as_spoken=True, image_dir="")
    cues = caption_cues(vtt)
    _match(document, book, cues)
    length = audio_seconds(mp3)
    clips = tiled_clips([start for start, _end, _text in cues], length)
    ids = [element_id for element_id, _sentence in book.sentences]
    headings = _headings("".join(book.parts), ids)
    smil_names = [f"s{number:04d}.smil" for number in range(1, len(headings) + 1)]
    smils, elapsed = [], 0.0
    for index, heading in enumerate(headings):
        last = headings[index + 1].first if index + 1 < len(headings) else len(ids)
        pars = [(ids[i], *clips[i]) for i in range(heading.first, last)]
        smils.append(smil(document, pars, mp3.name, elapsed))
        elapsed += sum(end - begin for _id, begin, end in pars)
    pictures = [(name, picture.data) for name, picture in book.pictures.values()]
    files = [NCC, CONTENT, *smil_names, mp3.name, *(name for name, _data in pictures)]
    entries = [
        (NCC, ncc_html(document, settings, headings, ids, smil_names, length, len(files), _narrator(document, mp3))),
        (CONTENT, content_html(document, "".join(book.parts))),
        *zip(smil_names, smils, strict=True),
    ]
    return _zip([(name, text.encode("utf-8")) for name, text in entries] + [(mp3.name, mp3.read_bytes())]
                + pictures, _zip_time(settings))


def audio_seconds(mp3: Path) -> float:
    """How long the MP3 plays, as a player reads it from the file (its Info header, when it has one)."""
    from mutagen.mp3 import MP3

    return float(MP3(str(mp3)).info.length)


def tiled_clips(starts: list[float], length: float) -> list[tuple[float, float]]:
    """(begin, end) of each sentence's clip: from its start to the next one's, the first from 0, the last to the end."""
    begins = [0.0] + [min(max(start, 0.0), length) for start in starts[1:]]
    for i in range(1, len(begins)):
        begins[i] = max(begins[i], begins[i - 1])  # in order, whatever the captions say
    return list(zip(begins, begins[1:] + [length], strict=True))


def _headings(content: str, ids: list[str]) -> list[Heading]:
    """Every heading of the content document in order, with the first sentence it introduces."""
    position = {element_id: index for index, element_id in enumerate(ids)}
    headings: list[Heading] = []
    seen = 0
    for match in _HEADING.finditer(content):
        if match.group(1):
            element_id = match.group(2)
            # A heading the audio does not say introduces the next sentence it does.
            headings.append(Heading(int(match.group(1)), match.group(3), position.get(element_id, seen)))
        else:
            seen = position[match.group(4)] + 1
    # Two headings on one sentence (a heading the audio does not say, right before another) would share
    # one SMIL file: the first stands for both.
    kept: list[Heading] = []
    for heading in headings:
        if heading.first < len(ids) and not (kept and kept[-1].first == heading.first):
            kept.append(heading)
    return kept


def _generator() -> str:
    from importlib import metadata

    try:
        return f"handout {metadata.version('handout')}"
    except metadata.PackageNotFoundError:
        return "handout"


def _clock(seconds: float) -> str:
    """hh:mm:ss.fff, as DAISY 2.02 writes times in metadata."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _narrator(document: Document, mp3: Path) -> str:
    _ = gettext_for(document.lang)
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        artist = ID3(str(mp3)).getall("TXXX")
    except ID3NoHeaderError:
        artist = []
    voice = {frame.desc.strip().lower(): str(frame.text[0]) for frame in artist if frame.text}.get("voice")
    return _(SYNTHETIC_VOICE).format(voice=voice) if voice else _(A_SYNTHETIC_VOICE)


def ncc_html(document: Document, settings: Settings, headings: list[Heading], ids: list[str],
             smil_names: list[str], length: float, file_count: int, narrator: str) -> str:
    """The Navigation Control Centre: the book's metadata and every heading, each a link to its first clip."""
    _ = gettext_for(document.lang)
    when = (datetime.fromtimestamp(settings.source_date_epoch, UTC) if settings.source_date_epoch is not None
            else datetime.now(UTC))
    meta = {
        "dc:title": document.title,
        "dc:creator": document.metadata.get("author") or document.metadata.get("creator") or _(PUBLISHER),
        "dc:date": when.strftime("%Y-%m-%d"),
        "dc:format": "Daisy 2.02",
        "dc:identifier": book_identifier(document),
        "dc:language": document.lang,
        "dc:publisher": document.metadata.get("publisher") or _(PUBLISHER),
        "ncc:charset": "utf-8",
        "ncc:generator": _generator(),
        "ncc:narrator": narrator,
        "ncc:multimediaType": "audioFullText",
        "ncc:tocItems": str(len(headings)),
        "ncc:totalTime": _clock(length),
        "ncc:files": str(file_count),
        "ncc:depth": str(max(h.level for h in headings)),
        "ncc:setInfo": "1 of 1",
        "ncc:pageFront": "0",
        "ncc:pageNormal": "0",
        "ncc:pageSpecial": "0",
        "ncc:maxPageNormal": "0",
    }
    lines = [f'<meta name="{name}" content="{escape(value)}"/>' for name, value in meta.items()]
    body = []
    for number, (heading, smil_name) in enumerate(zip(headings, smil_names, strict=True), start=1):
        title = ' class="title"' if number == 1 else ""
        body.append(f'<h{heading.level}{title} id="h{number:04d}">'
                    f'<a href="{smil_name}#p{ids[heading.first]}">{heading.text}</a></h{heading.level}>')
    return _xhtml(document, document.title, "\n".join(lines), "\n".join(body))


def content_html(document: Document, parts: str) -> str:
    """The full text as XHTML 1.0: the EPUB's content, its HTML5 sectioning made divs."""
    text = re.sub(r' aria-labelledby="[^"]*"', "", parts)
    text = re.sub(r"<(/?)(?:section|header|figure)\b", r"<\1div", text)
    return _xhtml(document, document.title, "", text)


def _xhtml(document: Document, title: str, head: str, body: str) -> str:
    lang = escape(document.lang)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + DTD_XHTML + "\n"
            f'<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>\n'
            f"<title>{escape(title)}</title>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def smil(document: Document, pars: list[tuple[str, float, float]], audio_name: str, elapsed: float) -> str:
    """One SMIL 1.0 file: a ``par`` for each sentence, its text and its clip of the MP3."""
    duration = sum(end - begin for _id, begin, end in pars)
    body = "\n".join(
        f'<par endsync="last" id="p{element_id}">\n'
        f'  <text src="{CONTENT}#{element_id}" id="t{element_id}"/>\n'
        f'  <audio src="{escape(audio_name)}" clip-begin="npt={begin:.3f}s" clip-end="npt={end:.3f}s" '
        f'id="a{element_id}"/>\n</par>'
        for element_id, begin, end in pars)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + DTD_SMIL + "\n<smil>\n<head>\n"
            '<meta name="dc:format" content="Daisy 2.02"/>\n'
            f'<meta name="dc:title" content="{escape(document.title)}"/>\n'
            f'<meta name="dc:identifier" content="{escape(book_identifier(document))}"/>\n'
            f'<meta name="ncc:generator" content="{_generator()}"/>\n'
            f'<meta name="ncc:totalElapsedTime" content="{_clock(elapsed)}"/>\n'
            f'<meta name="ncc:timeInThisSmil" content="{_clock(duration)}"/>\n'
            '<layout>\n<region id="txtView"/>\n</layout>\n</head>\n<body>\n'
            f'<seq dur="{duration:.3f}s">\n{body}\n</seq>\n</body>\n</smil>\n')


def _zip(files: list[tuple[str, bytes]], when: tuple[int, int, int, int, int, int]) -> bytes:
    """The book's files at the zip's top level (as players unpack it), in a fixed order and time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=when)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            # The MP3 and the pictures are compressed already; storing the MP3 lets a player read it in place.
            method = zipfile.ZIP_STORED if name.endswith((".mp3", ".jpg", ".png")) else zipfile.ZIP_DEFLATED
            info.compress_type = method
            archive.writestr(info, data, compress_type=method, compresslevel=9 if method else None)
    return buffer.getvalue()
