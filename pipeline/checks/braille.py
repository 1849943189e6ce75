"""Checks of a finished braille file (SLUG.brf): characters, page size, page numbers, and what it says.

What it says is measured the way DAISY Pipeline and RoboBraille users do:
liblouis translates the braille back to print, and the article's words are
looked for in the result.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import liblouis
from ..languages import language_for
from ..model import Document, section_texts
from ..renderers.braille import spell_undefined
from ..settings import Settings
from . import Finding, Recorder

MIN_RECALL = 0.98
# North American braille ASCII: space to underscore, plus newline and form feed.
ALLOWED = {*range(0x20, 0x60), 0x0A, 0x0C}
PAGE_NUMBER = re.compile(r"(?:^|\s{3})(P?)#([A-J]+)$")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, with typographic apostrophes made plain."""
    return WORD.findall(text.replace("\u2019", "'").replace("\u2018", "'").lower())


def brf_pages(text: str) -> list[list[str]]:
    """The pages of a BRF file (split at form feeds), each as its lines."""
    return [page.removesuffix("\n").split("\n") for page in text.split("\f")]


def page_numbers(pages: list[list[str]]) -> list[str | None]:
    """Each page's braille page number as print ("p1", "3"), or None where the last line has none."""
    found: list[str | None] = []
    for page in pages:
        match = PAGE_NUMBER.search(page[-1]) if page else None
        found.append(None if match is None else
                     match.group(1).lower() + "".join(str("JABCDEFGHI".index(c)) for c in match.group(2)))
    return found


def without_page_numbers(pages: list[list[str]]) -> list[str]:
    """Every line of text, the page numbers taken off."""
    lines = []
    for page in pages:
        lines.extend(page[:-1])
        if page:
            lines.append(PAGE_NUMBER.sub("", page[-1]))
    return lines


def back_translation(pages: list[list[str]], table: str) -> str:
    """The braille translated back to print by liblouis, line by line in one run.

    Line by line, since lou_translate cuts a long line's back-translation
    short, and since a word is never divided between lines.
    """
    lines = [liblouis.to_dots(line.strip()) for line in without_page_numbers(pages) if line.strip()]
    return "\n".join(liblouis.translate(lines, table, backward=True))


def check_braille(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of ``folder/SLUG.brf``."""
    path = folder / f"{document.slug}.brf"
    record = Recorder("braille", path)
    if not record.file_present():
        return record.findings
    data = path.read_bytes()
    stray = sorted({byte for byte in data if byte not in ALLOWED})
    record.add("braille ASCII", not stray, f"{len(stray)} other characters",
               "only braille ASCII (0x20-0x5F), newline and form feed",
               ", ".join(f"0x{byte:02X}" for byte in stray[:10]))
    pages = brf_pages(data.decode("latin-1"))
    widest = max((len(line) for page in pages for line in page), default=0)
    record.add("line width", widest <= settings.braille_cells, f"{widest} cells", f"<= {settings.braille_cells} cells")
    longest = max(len(page) for page in pages)
    record.add("page length", longest <= settings.braille_lines, f"{longest} lines ({len(pages)} pages)",
               f"<= {settings.braille_lines} lines")
    numbers = page_numbers(pages)
    preliminary = [n for n in numbers if n and n.startswith("p")]
    body = [n for n in numbers if n and not n.startswith("p")]
    in_order = (None not in numbers and numbers == preliminary + body
                and preliminary == [f"p{i}" for i in range(1, len(preliminary) + 1)]
                and body == [str(i) for i in range(1, len(body) + 1)] and bool(body))
    record.add("page numbers", in_order, ", ".join(n or "none" for n in numbers),
               "on every page's last line, in order: p1.., then 1..")
    table = liblouis.table_for(document.lang, settings.braille_grade)
    threshold = f">= {MIN_RECALL:.0%} of the article's distinct words back"
    if table is None:
        why = f"no braille table for {document.lang!r}"
        record.not_run("back-translation", threshold, why)
        record.not_run("disclaimer", "every word of the disclaimer back", why)
        return record.findings
    if not liblouis.available():
        why = f"liblouis is not installed ({liblouis.INSTALL_HINT})"
        record.not_run("back-translation", threshold, why)
        record.not_run("disclaimer", "every word of the disclaimer back", why)
        return record.findings
    back_text = back_translation(pages, table)
    known = language_for(document.lang)
    for shown, meant in (known.braille.backward_print.items() if known and known.braille else ()):
        back_text = back_text.replace(shown, meant)
    back = set(words(back_text))
    article = set(words(" ".join([document.title, *section_texts(document.sections), document.disclaimer.text])))
    lost = sorted(article - back)
    recall = 1 - len(lost) / len(article) if article else 1.0
    missing = sorted(set(words(document.disclaimer.text)) - back)
    figures = [("back-translation", recall >= MIN_RECALL, f"{recall:.3f} of {len(article)} words", threshold,
                f"not found: {', '.join(lost[:12])}" if lost else ""),
               ("disclaimer", not missing, f"{len(missing)} words missing", "every word of the disclaimer back",
                ", ".join(missing))]
    # The disclaimer translated forward with the same table must be in the file, cell for cell: this
    # holds even where liblouis cannot translate back.
    expected = " ".join(liblouis.to_ascii(liblouis.translate(
        spell_undefined([document.disclaimer.text], document.lang, table), table)[0]).split())
    laid_out = " ".join(" ".join(without_page_numbers(pages)).split())
    found = bool(expected) and expected in laid_out
    record.add("disclaimer in braille", found, "found" if found else "missing",
               f"the disclaimer's braille ({table}), cell for cell")
    for name, ok, figure, wanted, detail in figures:
        if table in liblouis.UNRELIABLE_BACKWARD:
            record.info(name, figure, wanted, f"{liblouis.UNRELIABLE_BACKWARD[table]}. {detail}".strip())
        else:
            record.add(name, ok, figure, wanted, detail)
    return record.findings
