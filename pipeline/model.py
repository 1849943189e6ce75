"""The document model: one article, parsed once, that every renderer reads.

The model is deliberately small and format-neutral, in the manner of pandoc's
AST: inline nodes (text, strong, emphasis, code, links, images, line breaks)
inside block nodes (paragraphs, lists, tables, quotes, code blocks), grouped
into sections under headings. The disclaimer is a required node of its own, so
a renderer cannot forget it without a check noticing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
class Image:
    src: str
    alt: str
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
class Edition:
    """A rewritten edition of an article, such as the plain-language one."""

    title: str
    sections: tuple[Section, ...]
    source: Path
    summary: tuple[Block, ...] = ()
    # The disclaimer retold in plain words, shown beside the verbatim one, never instead.
    disclaimer_in_plain_words: str = ""


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


def block_texts(block: Block) -> Iterator[str]:
    """The text of a block, one string per paragraph, list item or table cell."""
    if isinstance(block, Paragraph):
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
