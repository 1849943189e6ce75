"""The plain-language web page: one self-contained, accessible HTML file.

The page shows the article's plain-language edition, or, when nobody has
written one yet, an automatic draft (see ``pipeline.text.plain_draft``) that the
page labels as such. Either way the build measures the finished page's reading
grade and writes it, with the sentences most worth rewriting, to
``SLUG.readability.json`` beside the page.
"""

from __future__ import annotations

import json
import logging
from html.parser import HTMLParser
from pathlib import Path

from ..fonts import font_face_css
from ..locale import N_, gettext_for
from ..model import Block, Document, Edition, pictures_in, section_texts
from ..settings import Settings
from ..templating import asset_text, environment
from ..text.plain_draft import draft_edition, mark_glossary
from ..text.readability import MAX_SENTENCE_WORDS, ReadingReport, reading_report
from . import write_output

log = logging.getLogger(__name__)

TARGET_GRADE = 6.0  # AMA: patient materials at 6th grade or lower
DRAFT_NOTICE = N_(
    "A computer made this easy-read version from the full article. "
    "No person has checked it yet. Some parts may still be hard to read."
)


class HtmlRenderer:
    name = "html"
    label = "the plain-language page"

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        page = out_dir / f"{document.slug}.html"
        html = page_html(document, settings)
        write_output(page, html)
        report = out_dir / f"{document.slug}.readability.json"
        write_output(report, json.dumps(readability_summary(document, html), indent=2, ensure_ascii=False) + "\n")
        return [page, report]


def page_edition(document: Document) -> tuple[Edition, bool]:
    """The edition the page shows, glossary applied, and whether it is the automatic draft."""
    drafted = document.plain is None
    edition = draft_edition(document) if document.plain is None else document.plain
    return mark_glossary(edition, document.glossary), drafted


def page_html(document: Document, settings: Settings) -> str:
    """The page's HTML: the plain-language edition, or a labelled automatic draft.

    A page with pictures carries them inside itself, and says how large it
    is, for readers who pay for their data: the size is measured on the page
    itself, which is made again until the size it states is its own.
    """
    edition, drafted = page_edition(document)
    if not any(image.picture for image in pictures_in(edition_blocks(edition))):
        return _page_html(document, settings, edition, drafted, None)
    stated = None
    for _attempt in range(4):
        html = _page_html(document, settings, edition, drafted, stated)
        size = readable_size(len(html.encode("utf-8")), document.lang)
        if size == stated:
            break
        stated = size
    return html


def edition_blocks(edition: Edition) -> list[Block]:
    """Every block of an edition, its summary first."""
    return [*edition.summary, *(block for section in edition.sections for block in section.blocks)]


def readable_size(size: int, lang: str) -> str:
    """A file's size as a person reads it, in the article's language: "850 KB", "1.2 MB" ("1,2 MB")."""
    from babel.numbers import format_decimal

    locale = lang.replace("-", "_")
    try:
        if size >= 1_000_000:
            return f"{format_decimal(round(size / 1_000_000, 1), format='#,##0.0', locale=locale)} MB"
        return f"{format_decimal(max(1, round(size / 1000)), locale=locale)} KB"
    except (ValueError, LookupError):
        return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


def _page_html(document: Document, settings: Settings, edition: Edition, drafted: bool,
               page_size: str | None) -> str:
    folder = settings.out_dir / document.slug
    audio_file = f"{document.slug}.mp3"
    captions_file = f"{document.slug}.vtt"
    has_audio = "audio" in settings.formats or (folder / audio_file).exists()
    # The summary's opening paragraphs are the main message; what follows
    # (usually a list) is the key points.
    lead_count = next((i for i, b in enumerate(edition.summary) if b.kind != "paragraph"),
                      len(edition.summary))
    template = environment(settings.template_dir, document.lang).get_template("page.html.j2")
    return template.render(
        document=document,
        lang=document.lang,
        title=edition.title,
        main_message=edition.summary[:lead_count],
        key_points=edition.summary[lead_count:],
        sections=edition.sections,
        notice=gettext_for(document.lang)(DRAFT_NOTICE) if drafted else None,
        disclaimer=document.disclaimer,
        disclaimer_in_plain_words=edition.disclaimer_in_plain_words,
        audio_file=audio_file if has_audio else None,
        # The audio edition writes its captions with it, and may still be being
        # made while the page is laid out.
        captions_file=captions_file if has_audio and ("audio" in settings.formats
                                                      or (folder / captions_file).exists()) else None,
        stylesheet=font_faces() + asset_text("page.css", settings.template_dir),
        page_size=page_size,
    )


def font_faces() -> str:
    """Atkinson Hyperlegible, regular and bold, inside the page so it works offline.

    The page never uses italics (emphasis is bold, as large-print guides ask),
    so only the two upright faces are embedded.
    """
    return font_face_css(embed=True, styles=("normal",)) + "\n"


# ---------------------------------------------------------------- measuring the page


def readability_summary(document: Document, html: str) -> dict[str, object]:
    """What an editor needs: the page's reading grade against the target, and what to rewrite."""
    # Measured by the article's language: English SMOG and Flesch-Kincaid, Spanish
    # Flesch-Szigriszt and SOL, any other language "not measured" (never met).
    page = reading_report(page_reading_units(html), document.lang)
    original = reading_report([document.title, *section_texts(document.sections)], document.lang)
    edition = "automatic draft" if document.plain is None else "plain-language edition"
    level = page.meets_target()
    meets = None if level is None else level and page.longest_sentence <= MAX_SENTENCE_WORDS
    _log_grade(document, edition, page, original, meets)
    summary: dict[str, object] = {
        "slug": document.slug,
        "edition": edition,
        "formula": page.formula,
        "target": {**page.target(), "longest_sentence_words": MAX_SENTENCE_WORDS},
        "meets_target": meets,
    }
    if not page.measured:
        summary["not_measured"] = page.not_measured
    return summary | {
        "page": page.as_dict(),
        "original_article": original.as_dict(hardest=0),
        "measured": "the page's title and main text, without the verbatim disclaimer",
    }


def _log_grade(document: Document, edition: str, page: ReadingReport, original: ReadingReport,
               meets: bool | None) -> None:
    log.info("%s: %s reads at %s; longest sentence %d words; the original reads at %s",
             document.slug, edition, page.describe(), page.longest_sentence, original.describe())
    if meets is False:
        # One line per article, so a batch stays readable; the sentences to
        # rewrite are in SLUG.readability.json (and in the log with -v).
        log.warning("%s: the %s reads at %s (target %s), longest sentence %d words (target %d); "
                    "see %s.readability.json for the sentences to rewrite", document.slug, edition,
                    page.describe(), page.describe_target(), page.longest_sentence, MAX_SENTENCE_WORDS,
                    document.slug)
        for sentence in page.hardest[:5]:
            log.info("%s:   (%d words, %d long words) %s", document.slug, sentence.words,
                     sentence.polysyllables, sentence.text)


# Elements that start a new unit of text: a reader meets each as a piece of its own.
UNIT_ELEMENTS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "th", "td", "dt", "dd",
                 "blockquote", "pre", "figcaption", "caption", "section", "div", "ul", "ol"}


SECTION_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


class _MainText(HTMLParser):
    """Collects the text a reader reads: the h1 and <main>, without the verbatim disclaimer.

    With ``edition_only`` it leaves out what the page adds around the edition
    too (the listening section, the "Key points" heading, the disclaimer
    section) and notes the heading each unit is under.
    """

    def __init__(self, edition_only: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[str] = []
        self.headings: list[str | None] = []  # the h2-h6 each unit is under (None before the first)
        self.current: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, counts)
        self.edition_only = edition_only
        self.heading: str | None = None
        self.in_heading = False

    def counting(self) -> bool:
        return any(counts for _, counts in self.stack) and not any(
            tag == "skip" for tag, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            # A picture's description is read as the picture (as its "[Picture: ...]" text once was).
            alt = " ".join((dict(attrs).get("alt") or "").split())
            if alt and self.counting():
                self.flush()
                self.current.append(alt)
                self.flush()
            return
        if tag in ("br", "meta", "link", "source", "track", "input", "hr", "wbr"):
            return
        if tag in UNIT_ELEMENTS:
            self.flush()
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        added = self.edition_only and ({"listen", "disclaimer"} & set(classes)
                                       or values.get("id") == "key-points-heading")
        if "disclaimer-text" in classes or tag in ("script", "style", "audio", "title") or added:
            self.stack.append(("skip", False))
        else:
            self.stack.append((tag, tag in ("h1", "main")))
        if tag in SECTION_HEADINGS:
            self.in_heading = True

    def handle_endtag(self, tag: str) -> None:
        if tag in UNIT_ELEMENTS:
            self.flush()
        if tag in SECTION_HEADINGS:
            self.in_heading = False
        while self.stack:
            opened, _ = self.stack.pop()
            if opened == tag or opened == "skip":
                break

    def handle_data(self, data: str) -> None:
        if self.counting():
            self.current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            if self.in_heading and self.counting():
                self.heading = text
            self.units.append(text)
            self.headings.append(self.heading)
        self.current = []


def page_edition_units(html: str) -> list[tuple[str | None, str]]:
    """The edition's own text on a page, as (heading it is under, unit): title and main text, without
    the listening section, the "Key points" heading and the disclaimer section the page adds."""
    parser = _MainText(edition_only=True)
    parser.feed(html)
    parser.close()
    parser.flush()
    return list(zip(parser.headings, parser.units, strict=True))


def page_reading_units(html: str) -> list[str]:
    """The page's main text as units (headings, paragraphs, list items), as measured for grade."""
    parser = _MainText()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.units
