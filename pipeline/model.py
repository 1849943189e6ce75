"""The document model: one article, parsed once, that every renderer reads.

The model is deliberately small and format-neutral, in the manner of pandoc's
AST: inline nodes (text, strong, emphasis, code, links, images, line breaks)
inside block nodes (paragraphs, lists, tables, quotes, code blocks), grouped
into sections under headings. The disclaimer is a required node of its own, so
a renderer cannot forget it without a check noticing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    text: str
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]
    kind: Literal["strong"] = "strong"


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]
    kind: Literal["emphasis"] = "emphasis"


@dataclass(frozen=True)
class Code:
    text: str
    kind: Literal["code"] = "code"


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple[Inline, ...]
    kind: Literal["link"] = "link"


@dataclass(frozen=True)
class Picture:
    """A picture's pixels as every handout shows them: decoded and written again, nothing else kept.

    ``data`` is a PNG or JPEG with no metadata but its resolution (see
    :mod:`pipeline.pictures`); ``digest`` is its SHA-256, which is what
    fingerprints and comparisons see of it. ``width_in`` is how wide the
    source showed it, in inches. ``key`` names the picture as it came (the
    start of the SHA-256 of its original bytes), for descriptions kept beside
    the article; ``where`` says where it stands in the article ("paragraph 19",
    "line 12"). Neither is content: the same pixels are the same picture.
    """

    data: bytes = field(repr=False, compare=False)
    mime: Literal["image/png", "image/jpeg"]
    width: int
    height: int
    width_in: float
    digest: str
    key: str = field(default="", repr=False, compare=False)
    where: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class Image:
    """A picture in the text: its description (``alt``), a caption when the source gives one.

    ``picture`` holds the pixels when the picture could be taken (a file in
    the article's folder, a picture inside a Word file); it is None for one at
    a web address, which is never fetched. A ``decorative`` picture adds
    nothing to the text: it is shown, but never described or spoken.
    """

    src: str
    alt: str
    caption: str = ""
    decorative: bool = False
    picture: Picture | None = None
    kind: Literal["image"] = "image"


@dataclass(frozen=True)
class LineBreak:
    kind: Literal["linebreak"] = "linebreak"


@dataclass(frozen=True)
class Term:
    """A medical term at its first use, with its meaning in plain words.

    ``definition`` is empty when the text right after the term already says
    what it means.
    """

    text: str
    definition: str = ""
    kind: Literal["term"] = "term"


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation; at its first use the words it stands for come first."""

    text: str
    expansion: str
    spelled_out: bool = False
    kind: Literal["abbreviation"] = "abbreviation"


Inline = Text | Strong | Emphasis | Code | Link | Image | LineBreak | Term | Abbreviation

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int = 0
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]
    kind: Literal["item"] = "item"


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1
    line: int = 0
    kind: Literal["list"] = "list"


@dataclass(frozen=True)
class TableCell:
    inlines: tuple[Inline, ...]
    align: Literal["left", "center", "right"] | None = None


@dataclass(frozen=True)
class Table:
    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    line: int = 0
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]
    line: int = 0
    kind: Literal["quote"] = "quote"


@dataclass(frozen=True)
class CodeBlock:
    text: str
    line: int = 0
    kind: Literal["codeblock"] = "codeblock"


@dataclass(frozen=True)
class Rule:
    line: int = 0
    kind: Literal["rule"] = "rule"


Block = Paragraph | ListBlock | Table | Quote | CodeBlock | Rule

# ---------------------------------------------------------------- document


@dataclass(frozen=True)
class Section:
    """A run of blocks under one heading.

    ``heading`` is None only for the opening text that comes before the first
    heading. ``level`` is the HTML heading level: 2 for the article's top-level
    sections (the title is the only level 1), never more than one deeper than
    the section before it.
    """

    heading: str | None
    level: int
    blocks: tuple[Block, ...]
    anchor: str = ""
    line: int = 0


@dataclass(frozen=True)
class Disclaimer:
    """The author's disclaimer, verbatim. Every output must carry it."""

    text: str
    # The word the article put before it ("Disclaimer:"), or "" for the
    # handout's own label in the article's language.
    label: str = ""
    line: int = 0


@dataclass(frozen=True)
class FactReview:
    """A person's word that a fact the guard flagged says the same in the plain edition.

    ``fact`` is the guard's FACT-ID, ``by`` the staff name, ``on`` the date
    (YYYY-MM-DD) and ``fingerprint`` the two sentences compared, hashed: if
    either changes, the review no longer applies.
    """

    fact: str
    by: str
    on: str
    fingerprint: str
    note: str = ""

    def to_front(self) -> dict[str, str]:
        """The review as the plain edition's front matter keeps it."""
        kept = {"fact": self.fact, "by": self.by, "on": self.on, "fingerprint": self.fingerprint}
        return kept | ({"note": self.note} if self.note else {})

    @classmethod
    def from_front(cls, value: object) -> tuple[FactReview, ...]:
        """The reviews of a front matter's ``fact_reviews`` list; entries missing a field are left out."""
        found = []
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict) and all(item.get(k) for k in ("fact", "by", "on", "fingerprint")):
                found.append(cls(str(item["fact"]), str(item["by"]), str(item["on"]), str(item["fingerprint"]),
                                 str(item.get("note") or "")))
        return tuple(found)


@dataclass(frozen=True)
class Edition:
    """A rewritten edition of an article, such as the plain-language one."""

    title: str
    sections: tuple[Section, ...]
    source: Path
    summary: tuple[Block, ...] = ()
    # The disclaimer retold in plain words, shown beside the verbatim one, never instead.
    disclaimer_in_plain_words: str = ""
    # Facts the guard flagged that a person checked (front matter ``fact_reviews``).
    fact_reviews: tuple[FactReview, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """Plain-language aids kept beside the articles in source/.

    ``terms`` and ``abbreviations`` come from glossary.yml (term -> meaning in
    plain words; abbreviation -> what it stands for); ``plain_words`` from
    plain-words.yml (hard word -> everyday word).
    """

    terms: tuple[tuple[str, str], ...] = ()
    abbreviations: tuple[tuple[str, str], ...] = ()
    plain_words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Document:
    """One article, as every renderer sees it."""

    slug: str
    title: str
    lang: str
    sections: tuple[Section, ...]
    disclaimer: Disclaimer
    source: Path
    plain: Edition | None = None
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # Pronunciation rules (term, how to say it) from source/lexicon.txt, for speech.
    lexicon: tuple[tuple[str, str], ...] = ()
    glossary: Glossary = field(default_factory=Glossary)
    # What the reader had to change or leave out, for the staff who wrote the
    # article: each names where it is and what to do ("paragraph 12: ...").
    # Not content: two documents that differ only here make the same handouts.
    warnings: tuple[str, ...] = field(default=(), compare=False)


# ---------------------------------------------------------------- helpers


def plain_text(inlines: Iterable[Inline]) -> str:
    """The words of some inline nodes, without any markup."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, Term):
            parts.append(f"{node.text} ({node.definition})" if node.definition else node.text)
        elif isinstance(node, Abbreviation):
            parts.append(f"{node.expansion} ({node.text})" if node.spelled_out else node.text)
        elif isinstance(node, (Strong, Emphasis, Link)):
            parts.append(plain_text(node.children))
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, LineBreak):
            parts.append("\n")
    return "".join(parts)


def picture_of(block: Block) -> Image | None:
    """The picture a block is, when it is a paragraph holding one picture and nothing else."""
    if isinstance(block, Paragraph) and len(block.inlines) == 1 and isinstance(block.inlines[0], Image):
        return block.inlines[0]
    return None


def set_pictures_apart(blocks: Iterable[Block],
                       take: Callable[[Image, int], Image] | None = None) -> tuple[Block, ...]:
    """Blocks with every picture in a paragraph of its own, right after the text it stood in.

    Each output shows a picture where it stands, as a block between
    paragraphs: one found inside a line of text (or a link, or a table cell)
    is moved after that paragraph (or table), in order. ``take``, if given,
    is called with each picture and the line of its block, and returns the
    picture to keep (readers use it to load the pixels).
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            found: list[Image] = []
            inlines = _without_pictures(block.inlines, found)
            if _has_words(inlines):
                out.append(replace(block, inlines=inlines))
            out.extend(Paragraph(inlines=(take(image, block.line) if take else image,), line=block.line)
                       for image in found)
        elif isinstance(block, ListBlock):
            items = tuple(ListItem(blocks=set_pictures_apart(item.blocks, take)) for item in block.items)
            out.append(replace(block, items=items))
        elif isinstance(block, Quote):
            out.append(replace(block, blocks=set_pictures_apart(block.blocks, take)))
        elif isinstance(block, Table):
            found = []
            header = _cells_without_pictures(block.header, found)
            rows = tuple(_cells_without_pictures(row, found) for row in block.rows)
            out.append(replace(block, header=header, rows=rows))
            out.extend(Paragraph(inlines=(take(image, block.line) if take else image,), line=block.line)
                       for image in found)
        else:
            out.append(block)
    return tuple(out)


def _cells_without_pictures(row: tuple[TableCell, ...], found: list[Image]) -> tuple[TableCell, ...]:
    return tuple(replace(cell, inlines=_without_pictures(cell.inlines, found)) for cell in row)


def _without_pictures(inlines: tuple[Inline, ...], found: list[Image]) -> tuple[Inline, ...]:
    """``inlines`` with their pictures taken out into ``found``; a link left with no words keeps its address."""
    kept: list[Inline] = []
    for node in inlines:
        if isinstance(node, Image):
            found.append(node)
        elif isinstance(node, Link):
            children = _without_pictures(node.children, found)
            kept.append(Link(href=node.href, children=children if _has_words(children) else (Text(node.href),)))
        elif isinstance(node, (Strong, Emphasis)):
            children = _without_pictures(node.children, found)
            if children:
                kept.append(type(node)(children=children))
        else:
            kept.append(node)
    # The spaces either side of a picture taken out of a line become one.
    tidy: list[Inline] = []
    for node in kept:
        if isinstance(node, Text) and tidy and isinstance(tidy[-1], Text):
            tidy[-1] = Text((tidy[-1].text.rstrip() + " " + node.text.lstrip())
                            if tidy[-1].text.endswith(" ") and node.text.startswith(" ")
                            else tidy[-1].text + node.text)
        else:
            tidy.append(node)
    if tidy and isinstance(tidy[0], Text) and len(tidy) != len(inlines):
        tidy[0] = Text(tidy[0].text.lstrip())
    if tidy and isinstance(tidy[-1], Text) and len(tidy) != len(inlines):
        tidy[-1] = Text(tidy[-1].text.rstrip())
    return tuple(node for node in tidy if not (isinstance(node, Text) and not node.text))


def _has_words(inlines: tuple[Inline, ...]) -> bool:
    return any(not isinstance(node, LineBreak) for node in inlines) and bool(plain_text(inlines).strip())


def pictures_in(blocks: Iterable[Block]) -> Iterator[Image]:
    """Every picture in some blocks, in reading order."""
    for block in blocks:
        image = picture_of(block)
        if image is not None:
            yield image
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from pictures_in(item.blocks)
        elif isinstance(block, Quote):
            yield from pictures_in(block.blocks)


def block_texts(block: Block) -> Iterator[str]:
    """The text of a block, one string per paragraph, list item or table cell; a picture's description
    and its caption, each."""
    image = picture_of(block)
    if image is not None:
        yield from (text for text in (image.alt, image.caption) if text)
    elif isinstance(block, Paragraph):
        yield plain_text(block.inlines)
    elif isinstance(block, ListBlock):
        for item in block.items:
            for child in item.blocks:
                yield from block_texts(child)
    elif isinstance(block, Table):
        for cell in block.header:
            yield plain_text(cell.inlines)
        for row in block.rows:
            for cell in row:
                yield plain_text(cell.inlines)
    elif isinstance(block, Quote):
        for child in block.blocks:
            yield from block_texts(child)
    elif isinstance(block, CodeBlock):
        yield block.text


def section_texts(sections: Iterable[Section]) -> Iterator[str]:
    """Every heading and every paragraph of some sections, in reading order."""
    for section in sections:
        if section.heading:
            yield section.heading
        for block in section.blocks:
            yield from block_texts(block)
