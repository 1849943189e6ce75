"""Reads a Word document (.docx) into a Document: its title, headings, lists, tables, pictures and disclaimer.

Word files come from many hands, so the reading goes in three steps, each
trusting less than the last:

1. The zip is opened by :mod:`.wordzip`, which refuses bombs and damage
   before anything is inflated.
2. The document's XML is surveyed: every paragraph with text is numbered as
   a person counts them ("paragraph 12"), and what the handouts cannot carry
   is taken out and said (text boxes, comments, footnotes, pictures from
   outside the file, a table of contents), as is what the author should fix in
   Word (a bold line that should be a heading is made one; a picture without
   a description). A new package holding only the surveyed parts is made in
   memory.
3. mammoth turns that package into HTML, nh3 cleans the HTML, and the clean
   HTML becomes the model, with the rules the Markdown reader uses for
   heading levels, links and the disclaimer.

Nothing here reaches outside the file: pictures linked from elsewhere are
never fetched, links to files on someone's computer become plain text.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import mammoth
import nh3

from ..errors import ArticleError
from ..model import (
    Block,
    Disclaimer,
    Document,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Picture,
    Section,
    Strong,
    Table,
    TableCell,
    Text,
    block_texts,
    plain_text,
    set_pictures_apart,
)
from ..pictures import NO_DESCRIPTION, Description, PictureRefused, clean, extension
from .markdown import (
    DISCLAIMER_HEADING,
    DISCLAIMER_LABEL,
    LANG_PATTERN,
    LINK_SCHEMES,
    SLUG_PATTERN,
    anchor_for,
    heading_level,
    kept_descriptions,
    link_addresses,
    normalized_href,
    plain_edition_path,
    read_glossary,
    read_lexicon,
    read_plain_edition,
)
from .slugs import slug_for
from .wordxml import MADE_HEADING_STYLE, MADE_TITLE_STYLE, PictureSpot, Survey, paragraph_number, quote
from .wordzip import DAMAGED_FIX, WordZip

log = logging.getLogger(__name__)

# Paragraphs the survey found to look like headings carry these style ids (see .wordxml),
# which the style map below turns into headings; mammoth's notice that the
# document does not define them is expected and not passed on.
STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.title:fresh",
    # Word's Insert Caption writes a paragraph in its Caption style under the picture.
    "p[style-name='Caption'] => p.caption:fresh",
    f"p.{MADE_TITLE_STYLE} => h1.title:fresh",
    *(f"p.{MADE_HEADING_STYLE.format(level=n)} => h{n}:fresh" for n in range(1, 7)),
])
# What the clean HTML may hold: the markup mammoth writes for the things the model has.
HTML_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr",
             "th", "td", "strong", "em", "a", "img", "br", "s", "sub", "sup", "u"}
HTML_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
HTML_ATTRIBUTE_VALUES = {"h1": {"class": {"title"}}, "p": {"class": {"caption"}}}


@dataclass
class Conversion:
    """A Word document read: the Document, and its pictures' bytes, made safe, by the ``src`` their Image nodes give."""

    document: Document
    pictures: dict[str, bytes] = field(default_factory=dict)


def read(path: Path) -> Document:
    """Read one Word document and its plain-language edition (SLUG.plain.md beside it), if it has one."""
    return convert(path).document


def convert(path: Path) -> Conversion:
    """Read one Word document into a Document, keeping its pictures' bytes (``handout import`` writes them)."""
    path = Path(path)
    slug = slug_for(path)
    if not SLUG_PATTERN.match(slug):
        raise ArticleError(path, f"the file name {path.name!r} cannot be used to name the handouts",
                           "rename it with letters and digits, for example 'knee-pain.docx'")
    with WordZip(path) as package:
        survey = Survey(path, package)
        html, messages, found = _to_html(survey, slug)
    kept = kept_descriptions(path, slug)
    warnings = list(survey.warnings)
    body = _HtmlTree.parse(_clean(html))
    builder = _Builder(path, warnings)
    builder.walk(body)
    sections, closing = builder.finish()
    take = _picture_taker(found, survey.pictures, kept, warnings)
    sections = [replace(section, blocks=set_pictures_apart(section.blocks, take)) for section in sections]
    warnings = sorted(warnings, key=paragraph_number)
    warnings += dict.fromkeys(m for m in (_mammoth_message(m) for m in messages) if m)
    title = _title(path, builder.title, survey.properties.get("title"))
    lang = _lang(survey, warnings)
    disclaimer = _disclaimer(path, closing, survey.properties.get("disclaimer"))
    if not any(s.blocks or s.heading for s in sections):
        raise ArticleError(path, "the document has no text besides its title and disclaimer",
                           "write the article's text in the document", field="disclaimer")
    plain = read_plain_edition(plain_edition_path(path, slug), title, disclaimer, kept, warnings)
    document = Document(slug=slug, title=title, lang=lang, sections=tuple(sections), disclaimer=disclaimer,
                        source=path, plain=plain, lexicon=read_lexicon(path.parent, lang),
                        glossary=read_glossary(path.parent, lang), warnings=tuple(warnings))
    return Conversion(document=document, pictures={src: picture.data for src, (picture, _) in found.items()})


def _picture_taker(found: dict[str, tuple[Picture, PictureSpot]], spots: dict[str, PictureSpot],
                   kept: dict[str, Description], warnings: list[str]):  # type: ignore[no-untyped-def]
    """What becomes of each picture mammoth met: its pixels, and the description staff gave it here or in Word."""

    def take(image: Image, _line: int) -> Image:
        if image.src not in found:
            # mammoth writes the description it read, which is the survey's mark; the real one is the survey's.
            spot = spots.get(image.alt)
            return replace(image, alt=spot.alt if spot else image.alt)
        picture, spot = found[image.src]
        alt, decorative = spot.alt, spot.decorative
        given = kept.get(picture.key)
        if given is not None:
            alt, decorative = given.text, given.decorative
        if not alt and not decorative and not spot.told:
            warnings.append(f"{spot.where}: a picture has no description; it is printed and shown, but readers "
                            f"who cannot see it meet only '{NO_DESCRIPTION}'; describe it in Word (right-click > "
                            "View Alt Text), or mark it decorative there if it adds nothing to the text")
        return replace(image, alt="" if decorative else alt, decorative=decorative, picture=picture,
                       caption="" if decorative else image.caption)

    return take



# ---------------------------------------------------------------- mammoth


def _to_html(survey: Survey, slug: str) -> tuple[str, list, dict[str, tuple[Picture, PictureSpot]]]:
    """The surveyed package as HTML by mammoth, its messages, and the pictures it met, made safe, by ``src``."""
    pictures: dict[str, tuple[Picture, PictureSpot]] = {}

    def picture(image) -> dict[str, str]:  # type: ignore[no-untyped-def]
        spot = survey.pictures.get(image.alt_text or "") or PictureSpot("a picture", image.alt_text or "", False,
                                                                       None)
        try:
            with image.open() as handle:
                data = handle.read()
        except (KeyError, OSError, zipfile.BadZipFile):
            survey.warnings.append(f"{spot.where}: a picture is missing from inside the file and is left out; "
                                   "insert it again in Word")
            return {}
        try:
            cleaned = clean(data, width_in=spot.width_in, where=spot.where)
        except PictureRefused as refused:
            raise ArticleError(survey.path, f"{spot.where}: a picture cannot be used: {refused.problem}",
                               refused.fix) from None
        src = f"{slug}.assets/picture-{len(pictures) + 1}.{extension(cleaned)}"
        pictures[src] = cleaned, spot
        return {"src": src, "alt": spot.alt}

    try:
        result = mammoth.convert_to_html(io.BytesIO(survey.parts), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(picture),
                                         external_file_access=False)
    except (KeyError, ValueError, AttributeError, IndexError, TypeError, zipfile.BadZipFile) as error:
        raise ArticleError(survey.path, f"the document could not be read ({type(error).__name__}: {error})",
                           DAMAGED_FIX) from None
    return result.value, list(result.messages), pictures


def _mammoth_message(message) -> str | None:  # type: ignore[no-untyped-def]
    """What of mammoth's notices a person can act on, in our words; None for the rest."""
    text = str(getattr(message, "message", message))
    if "HandoutMade" in text:
        return None  # our own heading styles, defined by the style map
    match = re.match(r"An unrecognised element was ignored: (.*)", text)
    if match:
        element = match.group(1).rsplit("}", 1)[-1]
        return f"something of a kind the handouts cannot carry (Word element {element!r}) was left out; check the " \
               "handout against the document"
    match = re.match(r"Unrecognised paragraph style: '(.*?)'", text)
    if match and re.search(r"head|title", match.group(1), re.IGNORECASE):
        return f"the style {match.group(1)!r} is not one of Word's Heading styles, so text in it is an ordinary " \
               "paragraph; use Heading 1, 2 or 3 so every reader finds it"
    if text.startswith("Could not find image file"):
        return "a picture is missing from inside the file and is left out; insert it again in Word"
    log.debug("mammoth: %s", text)
    return None


def _clean(html: str) -> str:
    return nh3.clean(html, tags=HTML_TAGS, attributes=HTML_ATTRIBUTES, tag_attribute_values=HTML_ATTRIBUTE_VALUES,
                     url_schemes=set(scheme.rstrip(":") for scheme in LINK_SCHEMES), link_rel=None,
                     strip_comments=True)


# ---------------------------------------------------------------- clean HTML to the model


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _HtmlTree(HTMLParser):
    """Clean HTML as a small tree; nothing in it is trusted beyond what nh3 let through."""

    VOID = {"br", "img"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("body")
        self.stack = [self.root]

    @classmethod
    def parse(cls, html: str) -> _Node:
        tree = cls()
        tree.feed(html)
        tree.close()
        return tree.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


class _Builder:
    """Groups the clean HTML's blocks under its headings, as the Markdown reader groups Markdown's."""

    def __init__(self, path: Path, warnings: list[str]):
        self.path = path
        self.warnings = warnings
        self.title: str | None = None
        self.sections: list[Section] = []
        self.heading: str | None = None
        self.level = 2
        self.blocks: list[Block] = []
        self.source_levels: list[int] = []
        self.anchors: set[str] = set()
        self.disclaimer_sections: list[tuple[str, str]] = []  # (label, text)
        self.in_disclaimer: tuple[str, int] | None = None  # (label, source level)
        self.disclaimer_blocks: list[Block] = []
        self.tables = 0

    def walk(self, body: _Node) -> None:
        for child in body.children:
            if isinstance(child, str):
                if child.strip():
                    self._block(Paragraph(inlines=_tidy(_inlines([child]))))
                continue
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                text = " ".join(plain_text(_inlines(child.children)).split())
                if tag == "h1" and child.attrs.get("class") == "title" and self.title is None:
                    self.title = text or None
                elif text:
                    self._heading(text, int(tag[1]))
            elif tag == "p" and child.attrs.get("class") == "caption" and self._caption(child):
                continue
            else:
                block = self._to_block(child)
                if block is not None:
                    self._block(block)

    def _caption(self, node: _Node) -> bool:
        """A Caption paragraph right under a picture is that picture's caption; True when it was taken as one."""
        text = " ".join(plain_text(_inlines(node.children)).split())
        blocks = self.disclaimer_blocks if self.in_disclaimer is not None else self.blocks
        last = blocks[-1] if blocks else None
        if not text or not isinstance(last, Paragraph) or not last.inlines:
            return False
        pictures = [i for i, n in enumerate(last.inlines) if isinstance(n, Image)]
        if not pictures or pictures[-1] != len(last.inlines) - 1 or last.inlines[-1].caption:  # type: ignore[union-attr]
            return False
        inlines = list(last.inlines)
        inlines[-1] = replace(inlines[-1], caption=text)  # type: ignore[type-var]
        blocks[-1] = replace(last, inlines=tuple(inlines))
        return True

    def _heading(self, text: str, source_level: int) -> None:
        label = DISCLAIMER_HEADING.match(text)
        if self.in_disclaimer is not None and source_level <= self.in_disclaimer[1]:
            self._close_disclaimer()
        if label:
            self._close()
            self.heading, self.blocks = None, []
            self.in_disclaimer = (label.group(1).capitalize(), source_level)
            return
        if self.in_disclaimer is not None:
            # A heading inside the disclaimer is part of its text.
            self.disclaimer_blocks.append(Paragraph(inlines=(Text(text),)))
            return
        self._close()
        self.level = heading_level(source_level, self.source_levels, self.sections)
        self.heading, self.blocks = text, []

    def _block(self, block: Block) -> None:
        if self.in_disclaimer is not None:
            self.disclaimer_blocks.append(block)
        else:
            self.blocks.append(block)

    def _close(self) -> None:
        if self.heading is not None or self.blocks:
            self.sections.append(Section(heading=self.heading, level=self.level, blocks=tuple(self.blocks),
                                         anchor=anchor_for(self.heading, self.anchors) if self.heading else ""))
        self.heading, self.blocks = None, []

    def _close_disclaimer(self) -> None:
        assert self.in_disclaimer is not None
        label = self.in_disclaimer[0]
        text = " ".join(" ".join(t for b in self.disclaimer_blocks for t in block_texts(b)).split())
        self.disclaimer_sections.append((label, text))
        self.in_disclaimer, self.disclaimer_blocks = None, []

    def finish(self) -> tuple[list[Section], Disclaimer | None]:
        """The sections, and the disclaimer the document gave in its text (a section or a closing paragraph)."""
        if self.in_disclaimer is not None:
            self._close_disclaimer()
        closing = None
        if self.blocks and isinstance(self.blocks[-1], Paragraph):
            words = plain_text(self.blocks[-1].inlines)
            match = DISCLAIMER_LABEL.match(words)
            text = " ".join(DISCLAIMER_LABEL.sub("", words, count=1).split()) if match else ""
            if match and text:
                closing = Disclaimer(text=text, label=match.group(1).capitalize())
                self.blocks.pop()
        self._close()
        given = [Disclaimer(text=text, label=label) for label, text in self.disclaimer_sections]
        if closing is not None:
            given.append(closing)
        for disclaimer in given:
            if not disclaimer.text:
                raise ArticleError(self.path, f"the section headed {disclaimer.label!r} has no words",
                                   "write the disclaimer under its heading", field="disclaimer")
        if len({d.text for d in given}) > 1:
            raise ArticleError(self.path, "the document has two different disclaimers",
                               "keep one 'Disclaimer' section or one closing 'Disclaimer:' paragraph",
                               field="disclaimer")
        return self.sections, given[0] if given else None

    # ------------------------------------------------------------ blocks

    def _to_block(self, node: _Node) -> Block | None:
        tag = node.tag
        if tag == "p":
            inlines = _tidy(_inlines(node.children))
            return Paragraph(inlines=inlines) if inlines else None
        if tag in ("ul", "ol"):
            return self._list(node)
        if tag == "table":
            return self._table(node)
        inlines = _tidy(_inlines([node]))
        return Paragraph(inlines=inlines) if inlines else None

    def _list(self, node: _Node) -> ListBlock | None:
        items = []
        for item in node.children:
            if isinstance(item, _Node) and item.tag == "li":
                blocks = self._item_blocks(item)
                if blocks:
                    items.append(ListItem(blocks=tuple(blocks)))
        return ListBlock(items=tuple(items), ordered=node.tag == "ol") if items else None

    def _item_blocks(self, item: _Node) -> list[Block]:
        """A list item's paragraphs and nested lists, in order."""
        blocks: list[Block] = []
        loose: list[_Node | str] = []
        for child in [*item.children, None]:
            is_block = child is None or (isinstance(child, _Node) and child.tag in ("ul", "ol", "p"))
            if not is_block:
                loose.append(child)  # type: ignore[arg-type]
                continue
            inlines = _tidy(_inlines(loose))
            if inlines:
                blocks.append(Paragraph(inlines=inlines))
            loose = []
            if isinstance(child, _Node) and child.tag == "p":
                inlines = _tidy(_inlines(child.children))
                if inlines:
                    blocks.append(Paragraph(inlines=inlines))
            elif isinstance(child, _Node):
                nested = self._list(child)
                if nested is not None:
                    blocks.append(nested)
        return blocks

    def _table(self, node: _Node) -> Table | None:
        self.tables += 1
        header: list[TableCell] = []
        rows: list[list[TableCell]] = []
        for row, in_head in _rows(node):
            cells = [_cell(cell) for cell in row.children if isinstance(cell, _Node) and cell.tag in ("td", "th")]
            if in_head and not header:
                header = cells
            elif cells:
                rows.append(cells)
        if not header and not rows:
            return None
        if not header:
            header = rows.pop(0)
            words = ", ".join(plain_text(cell.inlines) for cell in header)
            self.warnings.append(f"table {self.tables} (starting {quote(words)}) has no header row marked, so its "
                                 "first row is read as the header; mark it in Word (Table Design > Header Row) so "
                                 "every reader hears it as one")
        width = max([len(header), *(len(r) for r in rows)])
        empty = TableCell(inlines=())
        header += [empty] * (width - len(header))
        return Table(header=tuple(header), rows=tuple(tuple(r + [empty] * (width - len(r))) for r in rows))


def _rows(table: _Node) -> list[tuple[_Node, bool]]:
    found = []
    for child in table.children:
        if not isinstance(child, _Node):
            continue
        if child.tag == "tr":
            found.append((child, all(isinstance(c, _Node) and c.tag == "th" for c in child.children
                                     if not isinstance(c, str) or c.strip())))
        elif child.tag in ("thead", "tbody"):
            for row in child.children:
                if isinstance(row, _Node) and row.tag == "tr":
                    found.append((row, child.tag == "thead"))
    return found


def _cell(node: _Node) -> TableCell:
    """A table cell's words: its paragraphs and list items run together, as a cell holds one line."""
    parts: list[Inline] = []
    for child in node.children:
        inlines = _tidy(_inlines(_flatten(child)))
        if inlines:
            if parts:
                parts.append(Text(" "))
            parts.extend(inlines)
    return TableCell(inlines=_tidy(parts))


def _flatten(node: _Node | str) -> list[_Node | str]:
    """A cell's child with its block markup (paragraphs, lists) taken away, keeping the inline markup."""
    if isinstance(node, str) or node.tag not in ("p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th"):
        return [node]
    out: list[_Node | str] = []
    for child in node.children:
        if out:
            out.append(" ")
        out.extend(_flatten(child))
    return out


def _inlines(children: list[_Node | str]) -> list[Inline]:
    out: list[Inline] = []
    for child in children:
        if isinstance(child, str):
            out.append(Text(child))
            continue
        tag = child.tag
        if tag == "strong":
            out.append(Strong(children=tuple(_inlines(child.children))))
        elif tag == "em":
            out.append(Emphasis(children=tuple(_inlines(child.children))))
        elif tag == "a":
            href = normalized_href(child.attrs.get("href", ""))
            inner = _inlines(child.children)
            if href.lower().startswith(LINK_SCHEMES):
                out.append(Link(href=href, children=tuple(inner)))
            else:
                out.extend(inner)
        elif tag == "img":
            out.append(Image(src=child.attrs.get("src", ""), alt=" ".join(child.attrs.get("alt", "").split())))
        elif tag == "br":
            out.append(LineBreak())
        elif tag in ("p", "li", "ul", "ol"):
            out.append(Text(" "))
            out.extend(_inlines(child.children))
        else:  # s, sub, sup, u, and anything else nh3 let through: its words
            out.extend(_inlines(child.children))
    return out


def _tidy(inlines: list[Inline] | tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline nodes as Markdown would give them: spaces single, none at the edges or just inside bold,
    neighbours of one kind joined, empty ones gone, and web addresses in the text made links."""
    spaced = _normalise(list(inlines), inside_link=False)
    _trim(spaced, front=True)
    _trim(spaced, front=False)
    return tuple(spaced)


def _normalise(inlines: list[Inline], inside_link: bool) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = re.sub(r"\s+", " ", node.text)
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + text)
            elif text:
                out.append(Text(text))
        elif isinstance(node, (Strong, Emphasis, Link)):
            children = _normalise(list(node.children), inside_link or isinstance(node, Link))
            # Spaces at the edges of bold or a link go outside it, where Markdown expects them.
            lead = bool(children) and isinstance(children[0], Text) and children[0].text.startswith(" ")
            tail = bool(children) and isinstance(children[-1], Text) and children[-1].text.endswith(" ")
            _trim(children, front=True)
            _trim(children, front=False)
            if lead:
                out = _normalise([*out, Text(" ")], inside_link)
            if children:
                if type(node) is not Link and out and type(out[-1]) is type(node):
                    merged = _normalise([*out[-1].children, *children], inside_link)  # type: ignore[union-attr]
                    out[-1] = type(node)(children=tuple(merged))  # type: ignore[call-arg]
                elif isinstance(node, Link):
                    out.append(Link(href=node.href, children=tuple(children)))
                else:
                    out.append(type(node)(children=tuple(children)))  # type: ignore[call-arg]
            if tail:
                out = _normalise([*out, Text(" ")], inside_link)
        elif isinstance(node, LineBreak):
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text.rstrip())
                if not out[-1].text:
                    out.pop()
            out.append(node)
        else:
            out.append(node)
    # No spaces right after a line break; web addresses typed as text become links.
    result: list[Inline] = []
    for node in out:
        if isinstance(node, Text) and result and isinstance(result[-1], LineBreak):
            node = Text(node.text.lstrip())
            if not node.text:
                continue
        if isinstance(node, Text) and not inside_link:
            result.extend(link_addresses(node.text))
        else:
            result.append(node)
    return result


def _trim(inlines: list[Inline], front: bool) -> None:
    """Take the spaces (and line breaks) off one end of some inline nodes, in place."""
    while inlines:
        index = 0 if front else -1
        node = inlines[index]
        if isinstance(node, LineBreak):
            inlines.pop(index)
            continue
        if isinstance(node, Text):
            text = node.text.lstrip() if front else node.text.rstrip()
            if text:
                inlines[index] = Text(text)
                return
            inlines.pop(index)
            continue
        if isinstance(node, (Strong, Emphasis, Link)):
            children = list(node.children)
            _trim(children, front)
            if not children:
                inlines.pop(index)
                continue
            inlines[index] = Link(href=node.href, children=tuple(children)) if isinstance(node, Link) \
                else type(node)(children=tuple(children))
        return


# ---------------------------------------------------------------- title, language, disclaimer


def _title(path: Path, styled: str | None, property_title: str | None) -> str:
    title = styled or property_title
    if not title:
        raise ArticleError(path, "the document has no title",
                           "style its first line Title in Word (Home > Styles > Title), or fill in its "
                           "title under File > Info > Properties", field="title")
    return " ".join(title.split())


def _lang(survey: Survey, warnings: list[str]) -> str:
    for where, lang in (("the document's language property", survey.properties.get("language")),
                        ("the language of its Normal text", survey.default_lang)):
        if not lang:
            continue
        if LANG_PATTERN.match(lang):
            return lang
        warnings.append(f"{where} is {lang!r}, not a language tag; English is used. Set the language in Word "
                        "(Review > Language)")
    return "en"


def _disclaimer(path: Path, in_text: Disclaimer | None, given: str | None) -> Disclaimer:
    if given is not None:
        if in_text is not None and in_text.text != given:
            raise ArticleError(path, "the document has two different disclaimers",
                               "keep either its 'disclaimer' property (File > Info > Properties > Advanced > "
                               "Custom) or its 'Disclaimer' section", field="disclaimer")
        return in_text or Disclaimer(text=given)
    if in_text is None:
        raise ArticleError(path, "the document has no disclaimer",
                           "end it with a section headed 'Disclaimer', or a paragraph that starts "
                           "'Disclaimer:'", field="disclaimer")
    return in_text
