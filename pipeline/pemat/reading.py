"""A handout as the PEMAT-P items read it: its sections, paragraphs, sentences, lists, tables and pictures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import (
    Block,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    Strong,
    Table,
    block_texts,
    picture_of,
    plain_text,
)
from ..text.readability import words_of
from ..text.words import split_sentences

# A list item "☐ ..." or "[ ] ...": a box for the reader to tick.
TICK_BOXES = ("☐", "□", "[ ]", "[x]", "[X]")


@dataclass
class Part:
    """One section of a handout: its heading, its paragraphs' words, and what it lays out."""

    heading: str | None
    paragraphs: list[str] = field(default_factory=list)
    list_items: list[list[str]] = field(default_factory=list)  # one list of item texts per list
    words: int = 0


@dataclass
class Reading:
    """What the items need to know of one handout."""

    lang: str
    title: str
    parts: list[Part]
    summary_points: int = 0
    bold: list[str] = field(default_factory=list)
    boxes: int = 0
    tables: list[Table] = field(default_factory=list)
    pictures: list[Image] = field(default_factory=list)
    tick_boxes: int = 0

    @property
    def paragraphs(self) -> int:
        """Paragraphs and lists, each counted once, as PEMAT counts a "very short" material."""
        return sum(len(part.paragraphs) for part in self.parts) + sum(len(part.list_items) for part in self.parts)

    @property
    def words(self) -> int:
        return sum(part.words for part in self.parts)

    def texts(self) -> Iterable[str]:
        for part in self.parts:
            yield from part.paragraphs
            for items in part.list_items:
                yield from items

    def sentences(self) -> list[str]:
        return [s for text in self.texts() for s in split_sentences(text, self.lang)]


def read_handout(title: str, sections: Iterable[Section], summary: Iterable[Block], lang: str) -> Reading:
    """The handout's title, sections and key points (the plain edition's summary) as the items read them."""
    reading = Reading(lang=lang, title=title, parts=[])
    summary = tuple(summary)
    if summary:
        points = Part(heading=None)
        _take(summary, points, reading)
        reading.summary_points = sum(len(items) for items in points.list_items) or len(points.paragraphs)
        reading.parts.append(points)
    for section in sections:
        part = Part(heading=section.heading)
        _take(section.blocks, part, reading)
        reading.parts.append(part)
    return reading


def _take(blocks: Iterable[Block], part: Part, reading: Reading) -> None:
    for block in blocks:
        image = picture_of(block)
        if image is not None:
            if not image.decorative:
                reading.pictures.append(image)
            continue
        if isinstance(block, Paragraph):
            text = plain_text(block.inlines).strip()
            if text:
                part.paragraphs.append(text)
                part.words += len(words_of(text, reading.lang))
            reading.bold += [plain_text(node.children) for node in block.inlines if isinstance(node, Strong)]
        elif isinstance(block, ListBlock):
            items = [" ".join(t for child in item.blocks for t in block_texts(child)).strip() for item in block.items]
            part.list_items.append(items)
            part.words += sum(len(words_of(text, reading.lang)) for text in items)
            reading.tick_boxes += sum(1 for text in items if text.startswith(TICK_BOXES))
            for item in block.items:
                for child in item.blocks:
                    if isinstance(child, Paragraph):
                        reading.bold += [plain_text(n.children) for n in child.inlines if isinstance(n, Strong)]
        elif isinstance(block, Table):
            reading.tables.append(block)
            part.words += sum(len(words_of(t, reading.lang)) for t in block_texts(block))
        elif isinstance(block, Quote):
            reading.boxes += 1
            _take(block.blocks, part, reading)
