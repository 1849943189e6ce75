"""The passages of an article or its plain edition that the fact guard reads, with the section each is in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...model import Document, Edition, Section, block_texts


@dataclass(frozen=True)
class Passage:
    """One unit of an edition's text (a heading, paragraph, list item or table cell) and where it is.

    ``part`` counts the edition's parts: 0 is the title with the opening text
    (or a plain edition's main message and key points), then one part per
    heading, in order. ``heading`` is None for part 0.
    """

    part: int
    heading: str | None
    text: str


@dataclass(frozen=True)
class Part:
    """A heading and its text: part 0 is the title with the opening text."""

    heading: str | None
    level: int
    anchor: str
    texts: tuple[str, ...]


def edition_parts(title: str, sections: Sequence[Section], summary: Sequence = ()) -> list[Part]:
    """The parts of an edition: the title and opening text first, then one per heading."""
    opening: list[str] = [title]
    for block in summary:
        opening.extend(block_texts(block))
    rest = list(sections)
    if rest and rest[0].heading is None:
        for block in rest[0].blocks:
            opening.extend(block_texts(block))
        rest = rest[1:]
    parts = [Part(None, 1, "", tuple(t for t in opening if t.strip()))]
    for section in rest:
        texts = [section.heading or ""]
        for block in section.blocks:
            texts.extend(block_texts(block))
        parts.append(Part(section.heading, section.level, section.anchor, tuple(t for t in texts if t.strip())))
    return parts


def document_parts(document: Document) -> list[Part]:
    """The original article's parts (its title and sections; never the disclaimer)."""
    return edition_parts(document.title, document.sections)


def plain_parts(edition: Edition) -> list[Part]:
    """A plain edition's parts (its title, main message and key points, and sections)."""
    return edition_parts(edition.title, edition.sections, edition.summary)


def passages(parts: Sequence[Part]) -> list[Passage]:
    return [Passage(index, part.heading, text) for index, part in enumerate(parts) for text in part.texts]
