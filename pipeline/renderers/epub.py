"""The read-along talking book: an EPUB 3 whose text is highlighted sentence by sentence as the audio speaks it.

The book is made from the finished audio edition (``SLUG.mp3`` and its
captions ``SLUG.vtt``): the text is the listening script's sentences as
written, which are exactly the captions, and each sentence's clip of the MP3
is its caption cue. One XHTML content document holds the whole article, with
one Media Overlay (SMIL) pairing every heading and sentence with its clip.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from ..audio.script import BEFORE_YOU_LISTEN, Sentence, _as_sentence, _Voice, listening_script
from ..errors import RenderError
from ..fonts import FAMILY, font_files
from ..lexicon import speech_lexicon
from ..locale import N_, gettext_for
from ..model import (
    Block,
    CodeBlock,
    Document,
    Image,
    ListBlock,
    Paragraph,
    Picture,
    Quote,
    Rule,
    Table,
    picture_of,
    pictures_in,
    plain_text,
)
from ..pictures import extension, for_screen
from ..settings import Settings
from ..templating import asset_text
from . import write_output

ACTIVE_CLASS = "-epub-media-overlay-active"
CONTENT = "article.xhtml"
OVERLAY = "article.smil"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
FONT_FACES = (("normal", 400), ("normal", 700))
EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

CONTENTS = N_("Contents")
LANDMARKS = N_("Landmarks")
START_READING = N_("Start of the article")
SUMMARY = N_(
    "A read-along edition of a patient handout. Every sentence is spoken by a computer voice and "
    "highlighted as it is spoken. The whole text can also be read on its own, with your own font, "
    "size, colours and spacing. Headings and a table of contents let you move between sections. "
    "There are no pictures, so nothing is lost without sight."
)
# The summary's last sentence for a book with pictures, every one described or not.
SUMMARY_WITH_PICTURES = N_(
    "A read-along edition of a patient handout. Every sentence is spoken by a computer voice and "
    "highlighted as it is spoken. The whole text can also be read on its own, with your own font, "
    "size, colours and spacing. Headings and a table of contents let you move between sections. "
    "Every picture is described in words, and the description is spoken where the picture stands."
)
SUMMARY_WITH_UNDESCRIBED_PICTURES = N_(
    "A read-along edition of a patient handout. Every sentence is spoken by a computer voice and "
    "highlighted as it is spoken. The whole text can also be read on its own, with your own font, "
    "size, colours and spacing. Headings and a table of contents let you move between sections. "
    "Some pictures have no description yet, so part of what they show is lost without sight."
)


@dataclass
class _Book:
    """The content document being written, and every sentence in it with its id, in reading order."""

    parts: list[str] = field(default_factory=list)
    sentences: list[tuple[str, Sentence]] = field(default_factory=list)
    toc: list[tuple[str, str]] = field(default_factory=list)
    # Tables written as their rows are spoken ("Header: cell; ..."), one paragraph a row, for
    # readers that show the text being spoken line by line (DAISY players) rather than as a grid;
    # a picture's spoken description written out under it too.
    rows_as_spoken: bool = False
    # The folder the pictures are in, from the content document, and the pictures by digest: (file name, copy).
    image_dir: str = "images/"
    pictures: dict[str, tuple[str, Picture]] = field(default_factory=dict)

    def new_id(self, sentence: Sentence) -> str:
        element_id = f"s{len(self.sentences) + 1:04d}"
        self.sentences.append((element_id, sentence))
        return element_id

    def spans(self, sentences: tuple[Sentence, ...]) -> str:
        return " ".join(f'<span id="{self.new_id(s)}">{escape(s.text)}</span>' for s in sentences)

    def picture_file(self, picture: Picture) -> str:
        """The file a picture is carried in (one per picture, however often it is shown)."""
        if picture.digest not in self.pictures:
            shown = for_screen(picture)
            self.pictures[picture.digest] = (f"picture-{len(self.pictures) + 1}.{extension(shown)}", shown)
        return self.image_dir + self.pictures[picture.digest][0]


class EpubRenderer:
    name = "epub"
    label = "the read-along EPUB"

    def __init__(self, audio_dir: Path | None = None):
        # Where SLUG.mp3 and SLUG.vtt are: the build's staging folder when the
        # audio was made in the same build, the output folder when it was up to date.
        self.audio_dir = audio_dir

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        mp3, vtt = finished_audio(document, self.audio_dir or out_dir, f"{document.slug}.epub", "the talking book")
        epub = out_dir / f"{document.slug}.epub"
        write_output(epub, epub_bytes(document, settings, mp3, vtt))
        return [epub]


def finished_audio(document: Document, audio_dir: Path, product: str, what: str) -> tuple[Path, Path]:
    """The audio edition's MP3 and captions that a book is made from, or the error saying they are missing."""
    mp3 = audio_dir / f"{document.slug}.mp3"
    vtt = audio_dir / f"{document.slug}.vtt"
    if not mp3.is_file() or not vtt.is_file():
        raise RenderError(product, f"{what} needs the audio edition ({mp3.name} and {vtt.name}), which is not "
                          "available", "build the audio too (--format audio), and fix any error it reports")
    return mp3, vtt


def epub_bytes(document: Document, settings: Settings, mp3: Path, vtt: Path) -> bytes:
    """The whole EPUB file for ``document``, read along with the audio ``mp3`` and its captions ``vtt``."""
    from ..audio.listening import caption_cues

    _ = gettext_for(document.lang)
    book = content_book(document)
    cues = caption_cues(vtt)
    _match(document, book, cues)
    clips = [(element_id, start, end) for (element_id, _s), (start, end, _t) in zip(book.sentences, cues, strict=True)]
    duration = sum(end - start for _, start, end in clips)
    fonts = {f"fonts/{path.name}": path.read_bytes() for (style, weight), path in font_files().items()
             if (style, weight) in FONT_FACES}
    modified = _modified(settings)
    pictures = {f"{book.image_dir}{name}": picture for name, picture in book.pictures.values()}
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", CONTAINER.encode()),
        ("OEBPS/package.opf", package_opf(document, duration, sorted(fonts), mp3.name, modified,
                                          pictures, described=_described(document)).encode()),
        ("OEBPS/nav.xhtml", nav_xhtml(document, book).encode()),
        (f"OEBPS/{CONTENT}", content_xhtml(document, book).encode()),
        (f"OEBPS/{OVERLAY}", overlay_smil(clips, mp3.name).encode()),
        ("OEBPS/style.css", stylesheet(settings).encode()),
        (f"OEBPS/audio/{mp3.name}", mp3.read_bytes()),
        *((f"OEBPS/{name}", data) for name, data in sorted(fonts.items())),
        *((f"OEBPS/{name}", picture.data) for name, picture in pictures.items()),
    ]
    return _zip(files, _zip_time(settings))


# ---------------------------------------------------------------- the text


def content_book(document: Document, rows_as_spoken: bool = False, image_dir: str = "images/") -> _Book:
    """The article as the audio speaks it, chapter by chapter, every heading and sentence with an id.

    It follows :func:`pipeline.audio.script.listening_script` step by step and
    is checked against it, so the text and the captions cannot drift apart.
    """
    _ = gettext_for(document.lang)
    voice = _Voice(speech_lexicon(document.lang, document.lexicon), document.lang)
    book = _Book(rows_as_spoken=rows_as_spoken, image_dir=image_dir)
    before = _(BEFORE_YOU_LISTEN) + " "
    label = document.disclaimer.label or _("Disclaimer")
    title = voice.heading(document.title)
    book.parts.append(f'<header id="top">{_heading(book, 1, document.title, title)}')
    book.toc.append(("top", document.title))
    opening = voice.sentences(document.disclaimer.text, lead=(before, before))
    book.parts.append(f'<p class="before-you-listen">{book.spans(opening)}</p></header>')
    for number, section in enumerate(document.sections, start=1):
        start = len(book.sentences)
        heading = voice.heading(section.heading) if section.heading else ()
        head = _heading(book, section.level, section.heading, heading) if section.heading else ""
        body = "".join(_block(block, voice, book) for block in section.blocks)
        if len(book.sentences) == start:
            continue  # the audio has no chapter for a section with nothing to say
        section_id = f"part-{number}"
        named = f' aria-labelledby="{book.sentences[start][0]}"' if heading else ""
        book.parts.append(f'<section id="{section_id}"{named}>{head}{body}</section>')
        book.toc.append((section_id, section.heading or _("Introduction")))
    spoken_label = voice.heading(label)
    head = _heading(book, 2, label, spoken_label, "disclaimer-h")
    labelled_by = book.sentences[-1][0] if spoken_label else "disclaimer-h"
    closing = voice.sentences(document.disclaimer.text)
    book.parts.append(f'<section id="disclaimer" class="disclaimer" aria-labelledby="{labelled_by}">'
                      f"{head}<p>{book.spans(closing)}</p></section>")
    book.toc.append(("disclaimer", label))
    return book


def _heading(book: _Book, level: int, text: str, spoken: tuple[Sentence, ...], element_id: str = "") -> str:
    level = min(max(level, 1), 6)
    if spoken:
        element_id = book.new_id(spoken[0])
    attribute = f' id="{element_id}"' if element_id else ""
    return f"<h{level}{attribute}>{escape(text)}</h{level}>"


def _block(block: Block, voice: _Voice, book: _Book) -> str:
    """One block as XHTML, taking its sentences in the order the listening script speaks them."""
    image = picture_of(block)
    if image is not None:
        return _picture(image, voice, book)
    if isinstance(block, Paragraph):
        sentences = voice.sentences(plain_text(block.inlines))
        return f"<p>{book.spans(sentences)}</p>" if sentences else ""
    if isinstance(block, ListBlock):
        items = []
        for number, item in enumerate(block.items, start=block.start):
            texts = [plain_text(b.inlines) for b in item.blocks if _is_text(b)]
            inside = ""
            if texts:
                lead = (f"{number}. ", f"Number {number}: ") if block.ordered else ("", "")
                inside = book.spans(voice.sentences(" ".join(texts), lead=lead))
            inside += "".join(_block(child, voice, book) for child in item.blocks if not _is_text(child))
            if inside:
                items.append(f"<li>{inside}</li>")
        if not items:
            return ""
        # An ordered item's number is part of its sentence, as the captions write it.
        return ('<ol class="numbered">' if block.ordered else "<ul>") + "".join(items) + (
            "</ol>" if block.ordered else "</ul>")
    if isinstance(block, Table):
        return _table(block, voice, book)
    if isinstance(block, Quote):
        inner = "".join(_block(child, voice, book) for child in block.blocks)
        return f"<blockquote>{inner}</blockquote>" if inner else ""
    if isinstance(block, CodeBlock):
        sentences = voice.sentences(block.text)
        return f"<p>{book.spans(sentences)}</p>" if sentences else ""
    if isinstance(block, Rule):
        return "<hr/>"
    return ""


def _picture(image: Image, voice: _Voice, book: _Book) -> str:
    """A picture as a figure: the picture, described by its alt text, with its caption.

    The sentence the audio says for it ("Picture: ...") highlights the
    picture itself; where the book shows what it speaks (DAISY), the sentence
    is written out under the picture too. A picture the article could not
    carry (at a web address) is the sentence alone; a decorative one is shown
    and not spoken.
    """
    said = voice.picture(image)
    description, caption = (said + ((), ()))[:2]
    if image.picture is None:
        return f'<p>{book.spans(description)}</p>{_caption(caption, book, "p")}' if description else ""
    src = escape(book.picture_file(image.picture))
    if image.decorative:
        return f'<div class="picture"><img src="{src}" alt=""/></div>'
    alt = escape(image.alt or description[0].text)
    if book.rows_as_spoken:
        return (f'<figure class="picture"><img src="{src}" alt="{alt}"/><p>{book.spans(description)}</p>'
                f'{_caption(caption, book, "p")}</figure>')
    element_id = book.new_id(description[0])
    return (f'<figure class="picture"><img id="{element_id}" src="{src}" alt="{alt}"/>'
            f'{_caption(caption, book, "figcaption")}</figure>')


def _caption(sentences: tuple[Sentence, ...], book: _Book, tag: str) -> str:
    return f'<{tag} class="caption">{book.spans(sentences)}</{tag}>' if sentences else ""


def _is_text(block: Block) -> bool:
    """A paragraph of words (a list item's text is said as one), not a picture or a nested block."""
    return isinstance(block, Paragraph) and picture_of(block) is None


def _table(block: Table, voice: _Voice, book: _Book) -> str:
    """A table whose rows are each one spoken sentence ("Header: cell; ..."), highlighted row by row."""
    headers = [plain_text(c.inlines) for c in block.header]
    rows = []
    for row in block.rows:
        cells = [plain_text(c.inlines) for c in row]
        parts = [f"{h}: {c}" if h else c for h, c in zip(headers + [""] * len(cells), cells, strict=False)]
        rows.append((cells, voice.sentences(_as_sentence("; ".join(parts)))))
    if book.rows_as_spoken or any(len(spoken) > 1 for _, spoken in rows):
        # A row spoken as several sentences is shown as it is spoken.
        return "".join(f"<p>{book.spans(spoken)}</p>" for _, spoken in rows if spoken)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for cells, spoken in rows:
        attribute = f' id="{book.new_id(spoken[0])}"' if spoken else ""
        body.append(f"<tr{attribute}>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _match(document: Document, book: _Book, cues: list[tuple[float, float, str]]) -> None:
    """The text's sentences must be the audio's captions, one for one, or the book would read out of step."""
    script = [s.text for chapter in listening_script(document) for s in chapter.sentences]
    written = [s.text for _, s in book.sentences]
    if written != script:
        raise RenderError(f"{document.slug}.epub", "the book's text does not follow the listening script",
                          "report this with the article attached")
    heard = [" ".join(text.split()) for _, _, text in cues]
    if heard != [" ".join(text.split()) for text in written]:
        raise RenderError(f"{document.slug}.epub",
                          f"the audio edition's captions ({len(cues)} cues) do not match the article's "
                          f"{len(written)} sentences", "rebuild the audio edition (--format audio --force)")


# ---------------------------------------------------------------- package files

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def book_identifier(document: Document) -> str:
    """The same identifier for the same article (slug and title), in every build."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'handout:{document.slug}:{document.title}')}"


def _described(document: Document) -> bool:
    """Whether every picture the book shows (all but decorative ones) has a description."""
    return all(image.alt for section in document.sections for image in pictures_in(section.blocks)
               if not image.decorative)


def package_opf(document: Document, duration: float, fonts: list[str], audio_name: str, modified: str,
                pictures: dict[str, Picture] | None = None, described: bool = True) -> str:
    """The package document; ``pictures`` are the picture files by their path in the book."""
    _ = gettext_for(document.lang)
    pictures = pictures or {}
    features = ("synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability", "unlocked", *(("alternativeText",) if pictures and described else ()))
    # With pictures the book is visual too; without sight it is whole only when every picture is described.
    modes = ("textual", "auditory", *(("visual",) if pictures else ()))
    sufficient = ("textual", "auditory", "textual,auditory") if described else (
        "textual,visual", "auditory,visual", "textual,auditory,visual")
    summary = SUMMARY if not pictures else SUMMARY_WITH_PICTURES if described else SUMMARY_WITH_UNDESCRIBED_PICTURES
    metadata = [
        f'<dc:identifier id="book-id">{book_identifier(document)}</dc:identifier>',
        f"<dc:title>{escape(document.title)}</dc:title>",
        f"<dc:language>{escape(document.lang)}</dc:language>",
        f'<meta property="dcterms:modified">{modified}</meta>',
        *(f'<meta property="schema:accessMode">{mode}</meta>' for mode in modes),
        *(f'<meta property="schema:accessModeSufficient">{mode}</meta>' for mode in sufficient),
        *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(_(summary))}</meta>',
        # A picture nobody described fails WCAG 1.1.1: the book then claims no conformance.
        *((f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>',
           '<meta property="a11y:certifiedBy">handout</meta>') if described else ()),
        f'<meta property="media:duration">{_clock(duration)}</meta>',
        f'<meta property="media:duration" refines="#overlay">{_clock(duration)}</meta>',
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
    ]
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        f'<item id="content" href="{CONTENT}" media-type="application/xhtml+xml" media-overlay="overlay"/>',
        f'<item id="overlay" href="{OVERLAY}" media-type="application/smil+xml"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
        f'<item id="audio" href="audio/{escape(audio_name)}" media-type="audio/mpeg"/>',
        *(f'<item id="font-{i}" href="{name}" media-type="font/ttf"/>' for i, name in enumerate(fonts, start=1)),
        *(f'<item id="picture-{i}" href="{escape(name)}" media-type="{picture.mime}"/>'
          for i, (name, picture) in enumerate(sorted(pictures.items()), start=1)),
    ]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
            f'xml:lang="{escape(document.lang)}" '
            'prefix="a11y: http://www.idpf.org/epub/vocab/package/a11y/#">\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n  '
            + "\n  ".join(metadata) + "\n</metadata>\n<manifest>\n  " + "\n  ".join(items)
            + '\n</manifest>\n<spine>\n  <itemref idref="nav" linear="no"/>\n'
            '  <itemref idref="content"/>\n</spine>\n</package>\n')


def _page(document: Document, title: str, body: str) -> str:
    lang = escape(document.lang)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
            f"<title>{escape(title)}</title>\n"
            '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


def content_xhtml(document: Document, book: _Book) -> str:
    return _page(document, document.title, "<main>\n" + "\n".join(book.parts) + "\n</main>")


def nav_xhtml(document: Document, book: _Book) -> str:
    _ = gettext_for(document.lang)
    entries = "".join(f'<li><a href="{CONTENT}#{target}">{escape(title)}</a></li>' for target, title in book.toc)
    body = (f'<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-h">'
            f'<h1 id="toc-h">{escape(_(CONTENTS))}</h1><ol>{entries}</ol></nav>\n'
            f'<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-h" hidden="hidden">'
            f'<h2 id="landmarks-h">{escape(_(LANDMARKS))}</h2><ol>'
            f'<li><a epub:type="toc" href="nav.xhtml#toc">{escape(_(CONTENTS))}</a></li>'
            f'<li><a epub:type="bodymatter" href="{CONTENT}#top">{escape(_(START_READING))}</a></li>'
            "</ol></nav>")
    return _page(document, _(CONTENTS), body)


def overlay_smil(clips: list[tuple[str, float, float]], audio_name: str) -> str:
    pars = "\n".join(
        f'    <par id="p{index}"><text src="{CONTENT}#{element_id}"/>'
        f'<audio src="audio/{escape(audio_name)}" clipBegin="{start:.3f}s" clipEnd="{end:.3f}s"/></par>'
        for index, (element_id, start, end) in enumerate(clips, start=1))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
            f'  <body>\n  <seq id="article" epub:textref="{CONTENT}#top" epub:type="bodymatter">\n'
            f"{pars}\n  </seq>\n  </body>\n</smil>\n")


def stylesheet(settings: Settings) -> str:
    """The book's styles: the large-print defaults, in relative units so the reader's settings win."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-style: {style}; font-weight: {weight}; '
        f'src: url("fonts/{path.name}"); }}'
        for (style, weight), path in font_files().items() if (style, weight) in FONT_FACES)
    return faces + "\n" + asset_text("epub.css", settings.template_dir)


def _clock(seconds: float) -> str:
    """A SMIL clock value, h:mm:ss.fff."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _modified(settings: Settings) -> str:
    when = (datetime.fromtimestamp(settings.source_date_epoch, UTC) if settings.source_date_epoch is not None
            else datetime.now(UTC))
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _zip_time(settings: Settings) -> tuple[int, int, int, int, int, int]:
    if settings.source_date_epoch is None:
        return EARLIEST_ZIP_TIME
    when = datetime.fromtimestamp(settings.source_date_epoch, UTC)
    return max(EARLIEST_ZIP_TIME, (when.year, when.month, when.day, when.hour, when.minute, when.second))


def _zip(files: list[tuple[str, bytes]], when: tuple[int, int, int, int, int, int]) -> bytes:
    """The OCF container: ``mimetype`` first and stored, then every file in a fixed order and time."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in [("mimetype", b"application/epub+zip", zipfile.ZIP_STORED),
                                   *((n, d, zipfile.ZIP_DEFLATED) for n, d in files)]:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = method
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=method, compresslevel=9 if method else None)
    return buffer.getvalue()
