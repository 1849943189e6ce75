"""The large-print PDF: WeasyPrint lays out our template as tagged PDF/UA-1."""

from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pikepdf

from ..errors import ArticleError, RenderError, is_write_fault
from ..fonts import (
    FALLBACK_FAMILIES,
    FALLBACK_PACKAGE_WORDS,
    FAMILY,
    describe,
    fallback_font_files,
    font_face_css,
    font_files,
    font_stack_css,
    missing_characters,
    notdef_glyphs,
)
from ..locale import N_, gettext_for
from ..model import (
    Block,
    Document,
    Emphasis,
    Inline,
    Link,
    ListBlock,
    Picture,
    Quote,
    Strong,
    Table,
    block_texts,
    pictures_in,
)
from ..pdf_tags import finish_tagging
from ..settings import Settings
from ..templating import PRINT_PICTURE_SCHEME, asset_text, environment
from . import writing

log = logging.getLogger(__name__)


class PdfRenderer:
    name = "pdf"
    label = "the large-print PDF"

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        target = out_dir / f"{document.slug}.pdf"
        render_pdf(document, settings, target)
        return [target]


def large_print_html(document: Document, settings: Settings) -> str:
    """The HTML that WeasyPrint lays out for the large-print edition."""
    template = environment(settings.template_dir, document.lang).get_template("large-print.html.j2")
    return template.render(
        document=document,
        font_faces=font_face_css(),
        font_stack=font_stack_css(document.lang),
        page_numbers=page_number_content(document.lang),
        stylesheet=asset_text("large-print.css", settings.template_dir),
        paper=settings.paper,
        print_size=settings.print_size,
    )


def render_pdf(document: Document, settings: Settings, target: Path) -> None:
    """Write the large-print, tagged PDF/UA-1 edition of ``document`` to ``target``.

    Every character must print with a real glyph: one that no font of the PDF
    has stops the build before layout, naming it and its line, and the
    finished file is searched for empty boxes (.notdef) before it replaces
    ``target``. A failed render leaves ``target`` as it was.
    """
    import weasyprint

    html = large_print_html(document, settings)
    refuse_missing_characters(document, printed_text(html, document.lang))
    # Our fonts are read from their files; the article's pictures from the document, never from its folder.
    roots = [Path(p).parent for p in font_files().values()]
    fetcher = LocalOnlyFetcher(roots, pictures={PRINT_PICTURE_SCHEME + image.picture.digest: image.picture
                                                for section in document.sections
                                                for image in pictures_in(section.blocks) if image.picture})
    # Written beside the target under a name of its own, and moved into place only when sound.
    partial = target.with_name(f".partial-{target.name}-{secrets.token_hex(6)}")
    try:
        try:
            weasyprint.HTML(
                string=html, base_url=document.source.parent.resolve().as_uri() + "/",
                url_fetcher=fetcher,
            ).write_pdf(
                partial,
                pdf_variant="pdf/ua-1",
                custom_metadata=False,
            )
        except OSError as error:
            if is_write_fault(error):
                raise writing(error, target) from None
            raise RenderError(str(target), f"the PDF could not be written ({error})",
                              "check that the output folder is writable and the disk has room") from error
        # WeasyPrint's tags fall short of PDF/UA-1 in a few known places (page
        # numbers, list items, wrapped links); a screen reader needs them right.
        try:
            finish_tagging(partial)
            with pikepdf.open(partial) as pdf:
                boxes = notdef_glyphs(pdf)
        except (OSError, pikepdf.PdfError) as error:
            if is_write_fault(error):
                raise writing(error, target) from None  # type: ignore[arg-type]
            raise RenderError(str(target), f"the PDF's tags could not be finished ({error})",
                              "check that the output folder is writable and the disk has room") from error
        if boxes:
            refuse_notdef(document, target, [box.text for box in boxes])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


# ---------------------------------------------------------------- characters without a glyph

# Text the stylesheet adds around the article's own: the page numbers (their
# words come from the article's catalog), list numbers and bullets.
GENERATED_TEXT = "0123456789.\u2022"
PAGE_NUMBERS = N_("Page %(page)s of %(pages)s")


def page_number_content(lang: str) -> str:
    """The CSS ``content`` of the page-number footer in ``lang``: "Page 2 of 5", "Página 2 de 5"."""
    words = gettext_for(lang)(PAGE_NUMBERS)
    counters = {"page": "counter(page)", "pages": "counter(pages)"}
    parts = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", words):
        name = re.fullmatch(r"%\((page|pages)\)s", piece)
        if name:
            parts.append(counters[name.group(1)])
        elif piece:
            # A CSS string: backslashes and quotes escaped, and nothing that could end the <style>.
            escaped = piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
            parts.append(f'"{escaped}"')
    return " ".join(parts)


class _BodyText(HTMLParser):
    """The text of an HTML document's body: what the layout engine prints."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_body = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        self.in_body = self.in_body or tag == "body"

    def handle_data(self, data: str) -> None:
        if self.in_body:
            self.parts.append(data)


def printed_text(html: str, lang: str = "en") -> str:
    """Every character the large-print layout will print, from its HTML and stylesheet."""
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts) + GENERATED_TEXT + re.sub(r"%\(\w+\)s", "", gettext_for(lang)(PAGE_NUMBERS))


def refuse_missing_characters(document: Document, text: str) -> None:
    """Stop, naming the character and its line, if a character of ``text`` has no glyph in any font."""
    missing = missing_characters(text)
    if not missing:
        return
    absent = [family for family in FALLBACK_FAMILIES if family not in fallback_font_files()]
    if absent:
        # This machine lacks fonts the PDF is made with: not the article's fault.
        raise RenderError(str(document.source),
                          f"no font installed here has the character {describe(missing[0])}"
                          f"{_where(document, missing[0])}, and the fallback fonts "
                          f"{', '.join(absent[:3])}{' and others' if len(absent) > 3 else ''} are missing",
                          f"install the Debian packages {FALLBACK_PACKAGE_WORDS} (make build does)")
    raise _no_glyph_error(document, missing, "no font of the large-print PDF has a glyph for")


def refuse_notdef(document: Document, target: Path, texts: list[str]) -> None:
    """Stop because the laid-out PDF drew an empty box (.notdef); name the character if the PDF does."""
    characters = list(dict.fromkeys(c for text in texts for c in text))
    if characters:
        raise _no_glyph_error(document, characters, "the large-print PDF printed an empty box (.notdef) for")
    raise RenderError(str(target), f"the PDF drew {len(texts)} empty box(es) (.notdef) for characters it does not name",
                      "report this with the article attached")


def _no_glyph_error(document: Document, characters: list[str], what: str) -> ArticleError:
    first = characters[0]
    others = ", ".join(f"{describe(c)}{_where(document, c)}" for c in characters[1:4])
    more = f", nor for {others}{' and more' if len(characters) > 4 else ''}" if others else ""
    return ArticleError(document.source, f"{what} the character {describe(first)}{more}",
                        f"replace it with words, or with a character these fonts have: {FAMILY}, "
                        "Noto Sans (with its symbol, maths and script faces) and Symbola; or remove it",
                        source_line(document, first))


def _where(document: Document, character: str) -> str:
    line = source_line(document, character)
    return f" on line {line}" if line else ""


def source_line(document: Document, character: str) -> int | None:
    """The line of the article where ``character`` first appears, or None if it cannot be told.

    The model knows the line each block starts on; the article's own text
    (read here only to point at the right line in an error) narrows it to the
    line inside a long paragraph or list.
    """
    start = next((line for line, text in _located_texts(document) if character in text), 0)
    try:
        lines = document.source.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeError):
        return start or None
    for number in range(max(start, 1), len(lines) + 1):
        if character in lines[number - 1]:
            return number
    return start or None


def _located_texts(document: Document) -> Iterator[tuple[int, str]]:
    """The document's printed texts with the source line each starts on (0 where unknown)."""
    yield 0, document.title
    for section in document.sections:
        if section.heading:
            yield section.line, section.heading
        for block in section.blocks:
            yield from _block_texts(block)
    yield document.disclaimer.line, document.disclaimer.text


def _block_texts(block: Block) -> Iterator[tuple[int, str]]:
    if isinstance(block, ListBlock):
        for item in block.items:
            for child in item.blocks:
                yield from _block_texts(child)
        return
    if isinstance(block, Quote):
        for child in block.blocks:
            yield from _block_texts(child)
        return
    addresses = " ".join(_link_addresses(getattr(block, "inlines", ())))
    if isinstance(block, Table):
        cells = [*block.header, *(cell for row in block.rows for cell in row)]
        addresses = " ".join(a for cell in cells for a in _link_addresses(cell.inlines))
    yield block.line, " ".join(block_texts(block)) + " " + addresses


def _link_addresses(inlines: tuple[Inline, ...]) -> Iterator[str]:
    """The addresses of links, which the PDF prints after their words."""
    for node in inlines:
        if isinstance(node, Link):
            yield node.href
        if isinstance(node, (Link, Strong, Emphasis)):
            yield from _link_addresses(node.children)


def _is_within(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


try:
    from weasyprint.urls import URLFetcher as _URLFetcher
except ImportError:  # pragma: no cover - WeasyPrint is a required dependency
    _URLFetcher = object  # type: ignore[assignment,misc]


class LocalOnlyFetcher(_URLFetcher):  # type: ignore[misc,valid-type]
    """Lets WeasyPrint read our font files and the document's pictures, nothing else.

    An article is untrusted: an image at an ``http://`` address or at
    ``file:///etc/passwd`` must not be fetched while a handout is made. Its
    pictures were read and made safe by its reader; they are served here from
    the document by the address the template gives them.
    """

    def __init__(self, roots: list[Path], pictures: dict[str, Picture] | None = None):
        super().__init__(allowed_protocols={"file"}, timeout=1)
        self.roots = [Path(root).resolve() for root in roots]
        self.pictures = pictures or {}
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None):  # type: ignore[no-untyped-def]
        if url in self.pictures:
            from weasyprint.urls import URLFetcherResponse

            picture = self.pictures[url]
            return URLFetcherResponse(url, picture.data, {"Content-Type": picture.mime})
        parsed = urlparse(url)
        if parsed.scheme == "file" and _is_within(Path(unquote(parsed.path)), self.roots):
            return super().fetch(url, headers)
        self.refused.append(url)
        log.warning("not fetching %s: handouts use only local files", url)
        raise ValueError(f"not fetched: {url}")
