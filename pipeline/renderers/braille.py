"""The braille edition: contracted braille laid out by BANA Braille Formats, as a BRF file to emboss.

liblouis translates the text (Unified English Braille for English, Spanish
braille for Spanish; grade 2, contracted, unless grade 1 is asked for); this
module lays the braille out in pages of ``braille_cells`` by ``braille_lines``
as BANA Braille Formats 2016 does:

- a title page (preliminary page p1): the title, the braille code, that this
  tool made the transcription and its date;
- the title as the centred main heading, sections as cell-5 headings and
  deeper ones as cell-7 headings, each kept with the line after it;
- paragraphs in cell 3 with runovers in cell 1; list items in cell 1 (nested
  ones two cells deeper) with runovers two cells in; a table in linear form,
  one row per entry, "header: value; header: value", runovers in cell 3;
- the disclaimer last, under its own cell-5 heading;
- the braille page number at the right end of each page's last line, with at
  least three blank cells before it; words are never divided (only a word
  longer than a whole line is cut);
- North American braille ASCII, one form feed between pages.

Beside the BRF, ``SLUG.braille.html`` shows the same pages as Unicode braille
dots for sighted staff.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from .. import liblouis
from ..errors import ArticleError, RenderError
from ..languages import languages
from ..locale import N_, gettext_for
from ..model import (
    Abbreviation,
    Block,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Strong,
    Table,
    Term,
    Text,
    picture_of,
)
from ..pictures import describe
from ..settings import Settings
from ..templating import environment
from . import write_output

log = logging.getLogger(__name__)

TOOL = "handout"
FORM_FEED = "\f"
# Blank cells required between text and the page number on a page's last line.
PAGE_NUMBER_GAP = 3
# A centred heading keeps this many blank cells at each end of its lines.
CENTRED_MARGIN = 3

DISCLAIMER = N_("Disclaimer")
CODE_LINE = N_("%(code)s, grade %(grade)s")
CODE_NAMES = {code: language.braille.code_name for code, language in languages().items() if language.braille}
MADE_BY = N_("Transcribed into braille automatically by %(tool)s")
MADE_ON = N_("Date of transcription: %(date)s")
# The transcriber's note indicators of a braille code, in braille ASCII, by its liblouis table's name
# without the grade: UEB's are dots 4-46-126 and 4-46-345. A code not listed marks its notes by layout alone.
NOTE_INDICATORS = {"en-ueb": ("@.<", "@.>")}
# Words for symbols a braille table may not have; others are spelled by their Unicode name.
SYMBOL_WORDS = {"°": N_("degrees"), "≥": N_("at least"), "≤": N_("at most")}


class BrailleRenderer:
    name = "braille"
    label = "the braille edition"

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        pages = braille_pages(document, settings)
        brf = out_dir / f"{document.slug}.brf"
        preview = out_dir / f"{document.slug}.braille.html"
        write_output(brf, brf_text(pages).encode("ascii"))
        write_output(preview, preview_html(document, settings, pages))
        return [brf, preview]


# ---------------------------------------------------------------- what goes on the pages


@dataclass(frozen=True)
class Unit:
    """One block of text as braille lays it out: its indents and the blank lines around it."""

    text: str
    first: int = 0  # blank cells before the first line
    runover: int = 0  # blank cells before the lines after it
    centred: bool = False
    blank_before: bool = False
    blank_after: bool = False
    keep_with_next: bool = False
    # Braille given as it is (a transition line), not translated.
    braille: str | None = None
    # A transcriber's note (what a picture shows): enclosed in the code's transcriber's note indicators.
    note: bool = False


def braille_table(document: Document, settings: Settings) -> str:
    """The liblouis table for the article's language and the chosen grade; exit 2 if there is none."""
    table = liblouis.table_for(document.lang, settings.braille_grade)
    if table is None:
        raise ArticleError(document.source, f"there is no braille table for the language {document.lang!r}",
                           f"braille is made for {', '.join(sorted(liblouis.TABLES))} (and their regions); "
                           "build the other formats with --format, or set lang")
    return table


def transcription_date(settings: Settings) -> date:
    """SOURCE_DATE_EPOCH's day when it is set (reproducible builds), today's otherwise (UTC)."""
    if settings.source_date_epoch is not None:
        return datetime.fromtimestamp(settings.source_date_epoch, tz=UTC).date()
    return datetime.now(UTC).date()


def long_date(day: date, lang: str) -> str:
    """The date written out in the article's language: "November 28, 2026", "28 de noviembre de 2026"."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date

    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return format_date(day, format="long", locale=locale)


def title_units(document: Document, settings: Settings) -> list[Unit]:
    _ = gettext_for(document.lang)
    base = document.lang.replace("_", "-").split("-")[0].lower()
    code = _(CODE_NAMES[base]) if base in CODE_NAMES else base
    return [
        Unit(document.title, centred=True, blank_after=True),
        Unit(_(CODE_LINE) % {"code": code, "grade": liblouis.grade_for(document.lang, settings.braille_grade)},
             centred=True, blank_after=True),
        Unit(_(MADE_BY) % {"tool": TOOL}, centred=True, blank_after=True),
        Unit(_(MADE_ON) % {"date": long_date(transcription_date(settings), document.lang)}, centred=True),
    ]


def body_units(document: Document, settings: Settings) -> list[Unit]:
    _ = gettext_for(document.lang)
    units = [Unit(document.title, centred=True, blank_after=True, keep_with_next=True)]
    for section in document.sections:
        if section.heading:
            units.append(heading_unit(section.heading, section.level))
        for block in section.blocks:
            units.extend(block_units(block, settings, lang=document.lang))
    units.append(heading_unit(document.disclaimer.label or _(DISCLAIMER), 2))
    units.append(Unit(document.disclaimer.text, first=2))
    return units


def heading_unit(text: str, level: int) -> Unit:
    """Level 2 (a section) is a cell-5 heading, after a blank line; deeper ones are cell-7 headings."""
    if level <= 2:
        return Unit(text, first=4, runover=4, blank_before=True, keep_with_next=True)
    return Unit(text, first=6, runover=6, keep_with_next=True)


def block_units(block: Block, settings: Settings, depth: int = 0, lang: str = "en") -> list[Unit]:
    units: list[Unit]
    image = picture_of(block)
    if image is not None:
        return picture_units(image, lang, depth)
    if isinstance(block, Paragraph):
        return [Unit(inline_text(block.inlines), first=2 + 2 * depth, runover=2 * depth)]
    if isinstance(block, ListBlock):
        units = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else ""
            for index, child in enumerate(item.blocks):
                if picture_of(child) is not None:
                    units.extend(block_units(child, settings, depth + 1, lang))
                elif isinstance(child, Paragraph) and index == 0:
                    units.append(Unit(marker + inline_text(child.inlines), first=2 * depth,
                                      runover=2 * depth + 2))
                elif isinstance(child, Paragraph):
                    units.append(Unit(inline_text(child.inlines), first=2 * depth + 2, runover=2 * depth + 2))
                else:
                    units.extend(block_units(child, settings, depth + 1, lang))
        return _set_apart(units) if depth == 0 else units
    if isinstance(block, Table):
        headers = [inline_text(cell.inlines) for cell in block.header]
        units = []
        for row in block.rows:
            pairs = [f"{header}: {value}" if header else value
                     for header, value in zip(headers, (inline_text(cell.inlines) for cell in row), strict=False)]
            units.append(Unit("; ".join(pairs), first=0, runover=2))
        return _set_apart(units)
    if isinstance(block, Quote):
        units = [unit for child in block.blocks for unit in block_units(child, settings, depth, lang)]
        return _set_apart(units)
    if isinstance(block, CodeBlock):
        return _set_apart([Unit(line, first=0, runover=2) for line in block.text.splitlines() if line.strip()])
    if isinstance(block, Rule):
        # A transition line: dots 2-3-5-6 from cell 7 to six cells before the end.
        return [Unit("", braille=" " * 6 + "7" * (settings.braille_cells - 12))]
    return []


def picture_units(image: Image, lang: str, depth: int = 0) -> list[Unit]:
    """A picture as a transcriber's note saying what it shows ("Picture: ..."), then its caption.

    BANA Braille Formats places a note that stands on its own in cell 7 with
    runovers in cell 5; a decorative picture is left out, as in the audio.
    """
    if image.decorative:
        return []
    units = [Unit(describe(image.alt, lang), first=6 + 2 * depth, runover=4 + 2 * depth, note=True)]
    if image.caption:
        units.append(Unit(image.caption, first=2 + 2 * depth, runover=2 * depth))
    return units


def _set_apart(units: list[Unit]) -> list[Unit]:
    """A blank line before and after a list, table, quotation or code."""
    if not units:
        return units
    units[0] = replace(units[0], blank_before=True)
    units[-1] = replace(units[-1], blank_after=True)
    return units


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The words braille gives: emphasis dropped, a link's address after its text, as in print."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, Term):
            parts.append(node.text)
        elif isinstance(node, Abbreviation):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis)):
            parts.append(inline_text(node.children))
        elif isinstance(node, Link):
            text = inline_text(node.children)
            address = node.href.removeprefix("mailto:").removeprefix("tel:")
            shown = node.href.startswith(("http:", "https:", "mailto:", "tel:")) and address not in text
            parts.append(f"{text} ({address})" if shown else text)
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append(" ")
    return " ".join("".join(parts).split())


# ---------------------------------------------------------------- translation


def translate_units(units: list[Unit], document: Document, table: str) -> list[str]:
    """The braille ASCII of every unit, from one run of liblouis (two if some symbol needs words)."""
    texts = [unit.text for unit in units]
    texts = spell_undefined(texts, document.lang, table)
    wanted = [i for i, unit in enumerate(units) if unit.braille is None]
    braille = [liblouis.to_ascii(dots) for dots in liblouis.translate([texts[i] for i in wanted], table)]
    out = [unit.braille or "" for unit in units]
    opening, closing = NOTE_INDICATORS.get(table.split(",")[-1].split("-g")[0], ("", ""))
    for index, cells in zip(wanted, braille, strict=True):
        stray = sorted({c for c in cells if not " " <= c <= "_"})
        if stray:
            raise RenderError(str(document.source), f"liblouis left characters that are not braille: {stray}",
                              "report this with the article attached")
        out[index] = f"{opening}{cells}{closing}" if units[index].note else cells
    return out


def spell_undefined(texts: list[str], lang: str, table: str) -> list[str]:
    """The texts with every character the table has no braille for replaced by words.

    liblouis writes such a character as its code in eight-dot cells, which no
    six-dot embosser can give. Words from the catalog ("degrees", "grados")
    come first; any other character is spelled by its Unicode name, and said.
    """
    characters = sorted({c for text in texts for c in text if not c.isspace()})
    if not characters:
        return texts
    translated = liblouis.translate(characters, table)
    missing = [c for c, dots in zip(characters, translated, strict=True)
               if not dots.strip() or not all(liblouis.is_six_dot(d) for d in dots)]
    if not missing:
        return texts
    _ = gettext_for(lang)
    words = {c: _(SYMBOL_WORDS[c]) if c in SYMBOL_WORDS else unicodedata.name(c, "").lower() for c in missing}
    # Words from the catalog are what a transcriber would write; a Unicode name is a stopgap to look at.
    named = [c for c in missing if c not in SYMBOL_WORDS]
    (log.warning if named else log.info)("braille table %s has no braille for %s: written as words (%s)", table,
                                         ", ".join(f"U+{ord(c):04X}" for c in missing), ", ".join(words.values()))
    out = []
    for text in texts:
        for char, word in words.items():
            text = text.replace(char, f" {word} ")
        out.append(" ".join(text.split()))
    return out


# ---------------------------------------------------------------- layout


def wrap(cells: str, width: int, first: int = 0, runover: int = 0) -> list[str]:
    """Braille lines of at most ``width`` cells, broken only between words."""
    lines: list[str] = []
    line, has_word = " " * first, False
    for word in cells.split():
        gap = " " if has_word else ""
        if len(line) + len(gap) + len(word) <= width:
            line, has_word = line + gap + word, True
            continue
        if has_word:
            lines.append(line)
            line, has_word = " " * runover, False
        # Only a word longer than a whole line is cut: there is no other way to show it.
        while len(line) + len(word) > width:
            room = width - len(line)
            lines.append(line + word[:room])
            line, word = " " * runover, word[room:]
        line, has_word = line + word, True
    if has_word:
        lines.append(line)
    return lines


def centre(cells: str, width: int) -> list[str]:
    lines = wrap(cells, width - 2 * CENTRED_MARGIN)
    return [" " * ((width - len(line)) // 2) + line for line in lines]


def page_number(number: int, prefix: str = "") -> str:
    """A braille page number in braille ASCII: 12 -> "#AB"; preliminary page 1 -> "P#A"."""
    return prefix + "#" + "".join("JABCDEFGHI"[int(digit)] for digit in str(number))


@dataclass
class _Placed:
    lines: list[str]
    blank_before: bool
    blank_after: bool
    keep_with_next: bool


def paginate(blocks: list[_Placed], cells: int, lines: int, prefix: str = "") -> list[list[str]]:
    """Pages of exactly ``lines`` lines; the page number at the right end of the last line.

    A blank line is never the first line of a page; a heading is never the
    last thing on a page (it moves over with the line after it); the last line
    carries text only when it leaves three blank cells before the number.
    """
    pages: list[list[str]] = []
    page: list[str] = []
    body = lines - 1

    def finish(last: str = "") -> None:
        number = page_number(len(pages) + 1, prefix)
        filled = page + [""] * (body - len(page))
        pages.append([*filled, last.ljust(cells - len(number)) + number])
        page.clear()

    pending_blank = False
    for block in blocks:
        blank = (block.blank_before or pending_blank) and bool(page) and page[-1] != ""
        if block.keep_with_next and page and len(page) + blank + len(block.lines) + 1 > body:
            finish()
            blank = False
        if blank:
            if len(page) < body:
                page.append("")
            else:
                finish()
        for line in block.lines:
            if len(page) < body:
                page.append(line)
                continue
            room = cells - len(page_number(len(pages) + 1, prefix)) - PAGE_NUMBER_GAP
            if not block.keep_with_next and len(line) <= room:
                finish(line)
            else:
                finish()
                page.append(line)
        pending_blank = block.blank_after
    if page or not pages:
        finish()
    return [[line.rstrip() for line in p] for p in pages]


def lay_out(units: list[Unit], braille: list[str], settings: Settings, prefix: str = "") -> list[list[str]]:
    width = settings.braille_cells
    blocks = []
    for unit, cells in zip(units, braille, strict=True):
        if unit.braille is not None:
            lines = [cells[:width]]
        elif unit.centred:
            lines = centre(cells, width)
        else:
            lines = wrap(cells, width, unit.first, unit.runover)
        if lines:
            blocks.append(_Placed(lines, unit.blank_before, unit.blank_after, unit.keep_with_next))
    return paginate(blocks, width, settings.braille_lines, prefix)


def braille_pages(document: Document, settings: Settings) -> list[list[str]]:
    """Every page of the braille edition, title page first, as lines of braille ASCII."""
    table = braille_table(document, settings)
    title, body = title_units(document, settings), body_units(document, settings)
    braille = translate_units(title + body, document, table)
    return (lay_out(title, braille[:len(title)], settings, prefix="P")
            + lay_out(body, braille[len(title):], settings))


def brf_text(pages: list[list[str]]) -> str:
    """The BRF file: each page's lines, a form feed between pages."""
    return FORM_FEED.join("".join(line + "\n" for line in page) for page in pages)


# ---------------------------------------------------------------- preview for sighted staff

PREVIEW_TITLE = N_("Braille preview: %(title)s")
PREVIEW_NOTE = N_("The braille edition as dots, page by page, for staff who do not read braille. "
                  "Give braille readers the BRF file, embossed.")
PAGE_LABEL = N_("Braille page %(page)s")
PAGE_DOTS = N_("Braille page %(page)s as dots, %(cells)s cells by %(lines)s lines")


def printed_page_number(brf_number: str) -> str:
    """A braille page number as print: "P#A" -> "p1", "#AB" -> "12"."""
    prefix, _, digits = brf_number.partition("#")
    return prefix.lower() + "".join(str("JABCDEFGHI".index(c)) for c in digits)


def preview_html(document: Document, settings: Settings, pages: list[list[str]]) -> str:
    """A small accessible page showing each braille page as Unicode braille dots."""
    _ = gettext_for(document.lang)
    size = {"cells": settings.braille_cells, "lines": settings.braille_lines}
    shown = []
    for index, page in enumerate(pages, start=1):
        number = printed_page_number(page[-1].split()[-1]) if page[-1].strip() else str(index)
        shown.append({"id": f"braille-page-{index}", "label": _(PAGE_LABEL) % {"page": number},
                      "dots_label": _(PAGE_DOTS) % {"page": number, **size},
                      "dots": "\n".join(liblouis.to_dots(line.ljust(settings.braille_cells)) for line in page)})
    template = environment(settings.template_dir, document.lang).get_template("braille-preview.html.j2")
    return template.render(document=document, pages=shown, title=_(PREVIEW_TITLE) % {"title": document.title},
                           note=_(PREVIEW_NOTE))
