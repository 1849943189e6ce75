"""Checks of a finished plain-language page: structure, disclaimer, reading grade, facts, browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ..model import Document
from ..settings import Settings
from . import Finding, Recorder, squeeze

MAX_GRADE = 6.0
MAX_SENTENCE_WORDS = 20
TEXT_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "figcaption", "blockquote"}


class PageReader(HTMLParser):
    """What a check needs from a page: its landmarks, headings and its disclaimer section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.title = ""
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.landmarks: set[str] = set()
        self.first_link = ""
        self.remote: list[str] = []
        self.scripts = 0
        self.disclaimer_text: list[str] = []
        self.all_text: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []
        self._unit: list[str] | None = None
        self._in_title = False

    @property
    def _in_main(self) -> bool:
        return any(entry[1] for entry in self._stack)

    @property
    def _in_disclaimer(self) -> bool:
        return any(entry[2] for entry in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = values.get("class", "").split()
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "title":
            self._in_title = True
        if tag in ("header", "main", "footer", "nav"):
            self.landmarks.add(tag)
        if tag == "a" and not self.first_link:
            self.first_link = values.get("href", "")
        if tag == "script":
            self.scripts += 1
        for attribute in ("src", "href"):
            address = values.get(attribute, "")
            if tag in ("script", "link", "img", "iframe", "source", "audio", "track") and \
                    address.startswith(("http:", "https:", "//")):
                self.remote.append(address)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag in ("br", "img", "meta", "link", "input", "hr", "source", "track", "wbr"):
            return
        self._stack.append((tag, tag == "main", "disclaimer" in classes))
        if tag in TEXT_BLOCKS and self._unit is None and self._in_main:
            self._unit = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in TEXT_BLOCKS and self._unit is not None and self._stack and self._stack[-1][0] == tag:
            text = " ".join("".join(self._unit).split())
            if text:
                if self._in_disclaimer:
                    self.disclaimer_text.append(text)
            self._unit = None
        while self._stack:
            popped = self._stack.pop()[0]
            if popped == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not any(entry[0] in ("style", "script") for entry in self._stack):
            self.all_text.append(data)
        if self._unit is not None:
            self._unit.append(data)


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def _check_facts(record: Recorder, document: Document, html: str) -> None:
    """The fact guard on the page: every number, drug and "do not" of the article, and nothing new."""
    from ..languages import languages
    from ..renderers.html import page_edition_units
    from ..text.facts import Passage, compare, document_parts, document_vocabulary, find_facts, glossary_facts
    from ..text.facts import passages as article_passages
    from ..text.facts.compare import with_kept_reviews
    from ..text.words import base_language

    words = document_vocabulary(document)
    headings: list[str | None] = []
    page = []
    for heading, text in page_edition_units(html):
        if heading is not None and (not headings or headings[-1] != heading):
            headings.append(heading)
        page.append(Passage(len(headings), heading, text))
    report = compare(find_facts(article_passages(document_parts(document)), words), find_facts(page, words),
                     glossary_facts(document.glossary, words))
    report = with_kept_reviews(report, document)
    guarded = sorted(code for code, language in languages().items() if language.facts is not None)
    known = "" if base_language(document.lang) in guarded else (
        f"; for lang '{document.lang}' only numbers in digits are known (drug names, number words and "
        f"negations are known in {', '.join(guarded)})")
    record.add("facts kept", report.ok, f"{len(report.dropped)} dropped, {len(report.added)} added",
               "every number, drug and \"do not\" of the article kept; none added",
               f"{report.summary()} ({report.original_count} facts in the article){known}")


def _check_pictures(record: Recorder, document: Document, html: str) -> None:
    """Every picture described (WCAG 1.1.1) and inside the page itself, at a size for screens."""
    from ..pictures import SCREEN_WIDTH
    from .pictures import image_alternates, judge_pictures

    alternates, sources = image_alternates(html)
    judge_pictures(record, document, alternates, "pictures described (WCAG 1.1.1)")
    if sources:
        outside = [src[:40] for src in sources if not src.startswith(("data:image/png;", "data:image/jpeg;"))]
        widths = _picture_widths(sources)
        widest = max(widths, default=0)
        record.add("pictures inside the page", not outside and widest <= SCREEN_WIDTH,
                   f"{len(sources) - len(outside)} of {len(sources)} inside, widest {widest} px",
                   f"every picture a data: address (PNG or JPEG), at most {SCREEN_WIDTH} px wide",
                   "; ".join(outside[:3]))


def _picture_widths(sources: list[str]) -> list[int]:
    """The pixel widths of the pictures a page carries in data: addresses."""
    import base64
    import io

    from PIL import Image

    widths = []
    for src in sources:
        if src.startswith("data:image/") and ";base64," in src:
            try:
                with Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), formats=["PNG", "JPEG"]) as image:
                    widths.append(image.size[0])
            except (OSError, ValueError):
                widths.append(0)
    return widths


def check_html(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of ``folder/SLUG.html``."""
    from ..renderers.html import page_reading_units
    from ..text.readability import MAX_SOL, MIN_SZIGRISZT, reading_report
    from ..text.words import ENGLISH, SPANISH

    path = folder / f"{document.slug}.html"
    record = Recorder("html", path)
    if not record.file_present():
        return record.findings
    try:
        page = read_page(path)
    except (UnicodeDecodeError, OSError) as error:
        record.add("opens", False, "unreadable", "UTF-8 HTML", str(error))
        return record.findings
    record.disclaimer(document, " ".join(page.disclaimer_text),
                      threshold="the disclaimer, word for word, in its own section")
    record.add("language", page.lang == document.lang, page.lang or "none", document.lang)
    record.labels(document, " ".join(page.all_text))
    record.add("title", bool(page.title.strip()), squeeze(page.title) or "none", "a <title>")
    record.add("one h1", page.headings.count(1) == 1, f"{page.headings.count(1)} h1", "exactly 1")
    skips = [f"h{a}→h{b}" for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
    record.add("heading order", not skips, ", ".join(skips) or "in order", "no skipped level")
    missing = {"header", "main", "footer"} - page.landmarks
    record.add("landmarks", not missing, ", ".join(sorted(page.landmarks)), "header, main, footer")
    record.add("skip link", page.first_link.startswith("#"), page.first_link or "none",
               "first link jumps to the main text")
    record.add("self-contained", not page.remote and page.scripts == 0,
               f"{len(page.remote)} remote files, {page.scripts} scripts", "none")
    _check_pictures(record, document, path.read_text(encoding="utf-8"))
    # The formulas follow the article's language; one without a formula is "not run", never "pass".
    report = reading_report(page_reading_units(path.read_text(encoding="utf-8")), document.lang)
    measured_text = "title and main text, without the verbatim disclaimer"
    if report.language == SPANISH:
        record.add("reading grade", bool(report.meets_target()),
                   f"IFSZ {report.szigriszt:.1f} ({report.inflesz}), SOL {report.sol:.1f}",
                   f"IFSZ >= {MIN_SZIGRISZT:g} and SOL <= {MAX_SOL:g}",
                   f"{report.formula}: both must be met; {measured_text}")
    elif report.language == ENGLISH:
        record.add("reading grade", report.grade <= MAX_GRADE,
                   f"{report.grade:.1f} (SMOG {report.smog:.1f}, F-K {report.flesch_kincaid:.1f})",
                   f"<= {MAX_GRADE:g}", f"higher of SMOG and Flesch-Kincaid; {measured_text}")
    elif report.score is not None:
        record.add("reading grade", report.score.meets, report.score.describe(), report.describe_target(),
                   f"{report.formula}; {measured_text}")
    else:
        record.not_run("reading grade", f"a reading-level formula for lang '{document.lang}'",
                       report.not_measured)
    record.add("longest sentence", report.longest_sentence <= MAX_SENTENCE_WORDS,
               f"{report.longest_sentence} words", f"<= {MAX_SENTENCE_WORDS} words")
    _check_facts(record, document, path.read_text(encoding="utf-8"))
    from .browser import check_in_browser

    record.findings.extend(check_in_browser(path))
    return record.findings
