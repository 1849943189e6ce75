"""The listening script: what the audio edition says, chapter by chapter.

The script is made from the document model, so the audio keeps every sentence
of the article. Markup, link addresses and symbols that a listener should not
hear are left out or put into words here, before any speech is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import (
    Block,
    CodeBlock,
    Document,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    plain_text,
)

BEFORE_YOU_LISTEN = "Before you listen:"


@dataclass(frozen=True)
class Chapter:
    """One navigable part of the audio: a title and its paragraphs of sentences."""

    title: str
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for paragraph in self.paragraphs for s in paragraph)


def listening_script(document: Document) -> list[Chapter]:
    """The chapters the audio edition speaks, in order.

    The title comes first, then the disclaimer ("Before you listen: ..."), each
    section under its spoken heading, and the disclaimer again, verbatim, at
    the end, where the author put it.
    """
    disclaimer = spoken_text(document.disclaimer.text)
    chapters = [Chapter(
        title=document.title,
        paragraphs=(split_sentences(spoken_text(document.title) + "."),
                    split_sentences(f"{BEFORE_YOU_LISTEN} {disclaimer}")),
    )]
    for section in document.sections:
        paragraphs: list[tuple[str, ...]] = []
        if section.heading:
            paragraphs.append(split_sentences(_as_sentence(spoken_text(section.heading))))
        for block in section.blocks:
            paragraphs.extend(_block_paragraphs(block))
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            chapters.append(Chapter(title=section.heading or "Introduction", paragraphs=tuple(paragraphs)))
    chapters.append(Chapter(
        title=document.disclaimer.label,
        paragraphs=(split_sentences(_as_sentence(document.disclaimer.label)),
                    split_sentences(disclaimer)),
    ))
    return chapters


def _block_paragraphs(block: Block) -> list[tuple[str, ...]]:
    if isinstance(block, Paragraph):
        return [split_sentences(spoken_text(_inline_words(block.inlines)))]
    if isinstance(block, ListBlock):
        out: list[tuple[str, ...]] = []
        for number, item in enumerate(block.items, start=block.start):
            texts = [_inline_words(b.inlines) for b in item.blocks if isinstance(b, Paragraph)]
            if texts:
                lead = f"Number {number}: " if block.ordered else ""
                out.append(split_sentences(spoken_text(lead + " ".join(texts))))
            for child in item.blocks:
                if not isinstance(child, Paragraph):
                    out.extend(_block_paragraphs(child))
        return out
    if isinstance(block, Table):
        out = []
        headers = [_inline_words(c.inlines) for c in block.header]
        for row in block.rows:
            cells = [_inline_words(c.inlines) for c in row]
            parts = [f"{h}: {c}" if h else c for h, c in zip(headers + [""] * len(cells), cells)]
            out.append(split_sentences(spoken_text(_as_sentence("; ".join(parts)))))
        return out
    if isinstance(block, Quote):
        return [p for child in block.blocks for p in _block_paragraphs(child)]
    if isinstance(block, CodeBlock):
        return [split_sentences(spoken_text(block.text))]
    if isinstance(block, Rule):
        return []
    return []


def _inline_words(inlines: tuple[Inline, ...]) -> str:
    # Link addresses are never read out: only the words of the link are.
    return plain_text(inlines)


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?:" else text + "."


_SPOKEN_REPLACEMENTS = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
    ("\u2013", ","), ("\u2014", ","), ("\u00a0", " "), ("\u2026", "..."),
)


def spoken_text(text: str) -> str:
    """Text as the speech engine should receive it: no markup symbols, tidy spaces."""
    for old, new in _SPOKEN_REPLACEMENTS:
        text = text.replace(old, new)
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"[*_`#<>\[\]{}|\\]", " ", text)
    text = text.replace('"', "")
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> tuple[str, ...]:
    """Split text into sentences at ., ! or ? followed by a capital or digit."""
    text = text.strip()
    if not text:
        return ()
    return tuple(s.strip() for s in _SENTENCE_END.split(text) if s.strip())
