"""Plain-language helpers: glossary marking for any edition, and an automatic draft.

Two jobs, both working on the document model only:

- ``mark_glossary`` finds the first use of each glossary term in an edition's
  text and of each abbreviation, so the page can define the term in plain words
  (``<dfn>``) and spell the abbreviation out (``<abbr>``). It serves both the
  hand-written plain edition and the automatic draft.
- ``draft_edition`` makes a first plain-language draft of an article that has
  no plain edition yet: hard words swapped for the everyday words in
  source/plain-words.yml and long sentences split where a fixed pattern makes
  that safe. It never touches numbers, drug names or the disclaimer (which is
  not part of the sections at all). It is a starting point for an editor, not
  a finished edition: the page says so and the build reports what to rewrite.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ..model import (
    Abbreviation,
    Block,
    Document,
    Edition,
    Emphasis,
    Glossary,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Strong,
    Table,
    TableCell,
    Term,
    Text,
)
from .readability import base_language, split_sentences, words_of

log = logging.getLogger(__name__)

# Sentences longer than this are worth trying to split.
SPLIT_OVER_WORDS = 15
# Never leave a piece shorter than this: it would read as a fragment.
MIN_PIECE_WORDS = 4

# ---------------------------------------------------------------- glossary marking


@dataclass
class _FirstUse:
    """What the walk through an edition has met so far."""

    terms: dict[str, str]
    abbreviations: dict[str, str]
    seen: set[str] = field(default_factory=set)
    pattern: re.Pattern[str] | None = None


def mark_glossary(edition: Edition, glossary: Glossary) -> Edition:
    """The edition with glossary terms and abbreviations marked, first uses explained.

    A term's first use becomes a ``Term`` carrying its plain meaning, unless the
    writer already explained it in brackets right after it. Every use of an
    abbreviation becomes an ``Abbreviation``; the first one is spelled out,
    unless the writer already wrote the words beside it. Headings, links and
    code are left alone: a definition belongs in running text.
    """
    if not glossary.terms and not glossary.abbreviations:
        return edition
    state = _FirstUse(terms={t.lower(): d for t, d in glossary.terms},
                      abbreviations=dict(glossary.abbreviations))
    alternatives = [re.escape(a) + "s?" for a in sorted(state.abbreviations, key=len, reverse=True)]
    alternatives += ["(?i:" + re.escape(t) + "(?:es|s)?)" for t in sorted(state.terms, key=len, reverse=True)]
    # Whole words only: "PTSD" inside "PTSDs" counts, "art" inside "start" or
    # "traumatic" inside "post-traumatic" does not.
    state.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    mark = _inline_mapper(lambda text: _mark_text(text, state))
    return replace(edition,
                   summary=_map_blocks(edition.summary, mark),
                   sections=tuple(replace(s, blocks=_map_blocks(s.blocks, mark)) for s in edition.sections))


def _mark_text(text: str, state: _FirstUse) -> list[Inline]:
    assert state.pattern is not None
    out: list[Inline] = []
    position = 0
    for match in state.pattern.finditer(text):
        word = match.group(0)
        before, after = text[:match.start()], text[match.end():]
        node = _abbreviation(word, before, after, state) or _term(word, after, state)
        if node is None:
            continue
        if match.start() > position:
            out.append(Text(text[position:match.start()]))
        out.append(node)
        position = match.end()
    if position < len(text):
        out.append(Text(text[position:]))
    return out


def _abbreviation(word: str, before: str, after: str, state: _FirstUse) -> Abbreviation | None:
    key = word if word in state.abbreviations else word[:-1]
    if key not in state.abbreviations:
        return None
    expansion = state.abbreviations[key] + ("s" if key != word else "")
    first = key not in state.seen
    state.seen.add(key)
    # "post-traumatic stress disorder (PTSD)" or "SSRIs (selective ... inhibitors)":
    # the writer has already spelled it out.
    written_out = (before.lower().rstrip().endswith(state.abbreviations[key].lower() + " (")
                   or after.lower().lstrip().startswith("(" + state.abbreviations[key].lower()))
    return Abbreviation(text=word, expansion=expansion, spelled_out=first and not written_out)


def _term(word: str, after: str, state: _FirstUse) -> Term | None:
    key = word.lower()
    if key not in state.terms:
        key = key[:-2] if key.endswith("es") and key[:-2] in state.terms else key[:-1]
    if key not in state.terms or key in state.seen:
        return None
    state.seen.add(key)
    explained_already = after.startswith(" (")
    return Term(text=word, definition="" if explained_already else state.terms[key])


# ---------------------------------------------------------------- automatic draft


def draft_edition(document: Document) -> Edition:
    """A first plain-language draft of an article, made by fixed, safe rewrites."""
    swap = _word_swapper(document.glossary.plain_words)

    def rewrite(text: str) -> str:
        return split_long_sentences(swap(text), document.lang)

    edit = _inline_mapper(lambda text: [Text(rewrite(text))])
    sections = tuple(
        replace(s, heading=swap(s.heading) if s.heading else s.heading, blocks=_map_blocks(s.blocks, edit))
        for s in document.sections)
    return Edition(title=swap(document.title), sections=sections, source=document.source)


def _word_swapper(plain_words: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    table = {hard.lower(): easy for hard, easy in plain_words}
    if not table:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(h) for h in sorted(table, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE)

    def swap(text: str) -> str:
        def easy_word(match: re.Match[str]) -> str:
            easy = table[match.group(0).lower()]
            return easy[0].upper() + easy[1:] if match.group(0)[0].isupper() else easy
        return pattern.sub(easy_word, text)
    return swap


# Where a long sentence can be cut in two without changing what it says. Each
# rule: the words that join two clauses, and the words that open the second
# sentence. Participles become verbs only for the few listed, whose -s form is
# certain; ", and" is never split because it mostly joins items of a list.
_PARTICIPLES = {"leaving": "leaves", "offering": "offers", "bringing": "brings", "making": "makes"}
SPLIT_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r";\s+"), lambda m: ""),
    (re.compile(r",\s+which\s+"), lambda m: "This "),
    (re.compile(r",\s+but\s+"), lambda m: "But "),
    (re.compile(r",\s+(often\s+)?(" + "|".join(_PARTICIPLES) + r")\s+"),
     lambda m: "This " + (m.group(1) or "") + _PARTICIPLES[m.group(2).lower()] + " "),
)


def split_long_sentences(text: str, lang: str = "en") -> str:
    """The text in ``lang`` with long sentences cut where a split rule applies safely.

    ``text`` is one run of a paragraph, beside bold words or links, so the
    spaces at its edges are kept. English finds its sentences with a pattern
    of its own (the reading grade's splitter tidies spacing away); any other
    language with the reading grade's splitter for that language, which knows
    "Dra." and "¿...?", with the spaces at the edges put back.
    """
    if base_language(lang) == "en":
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text)
        return " ".join(_split(sentence, lang) for sentence in sentences)
    if not text.strip():
        return text
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return lead + " ".join(_split(sentence, lang) for sentence in split_sentences(text, lang)) + trail


def _split(sentence: str, lang: str = "en") -> str:
    if len(words_of(sentence, lang)) <= SPLIT_OVER_WORDS:
        return sentence
    # Only the first rule (";") is not English words; and a question or
    # exclamation opened with ¿ or ¡ would lose its closing mark.
    english = base_language(lang) == "en"
    if not english and ("¿" in sentence or "¡" in sentence):
        return sentence
    for pattern, opening in SPLIT_RULES if english else SPLIT_RULES[:1]:
        for match in pattern.finditer(sentence):
            head, tail = sentence[:match.start()], sentence[match.end():]
            if len(words_of(head, lang)) < MIN_PIECE_WORDS or len(words_of(tail, lang)) < MIN_PIECE_WORDS:
                continue
            second = opening(match) + tail
            return _split(head + ".", lang) + " " + _split(second[0].upper() + second[1:], lang)
    return sentence


# ---------------------------------------------------------------- walking the model


def _inline_mapper(on_text: Callable[[str], list[Inline]]) -> Callable[[tuple[Inline, ...]], tuple[Inline, ...]]:
    def walk(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Text):
                out.extend(on_text(node.text))
            elif isinstance(node, (Strong, Emphasis)):
                out.append(replace(node, children=walk(node.children)))
            else:
                out.append(node)  # links, code, images: left as written
        return tuple(out)
    return walk


def _map_blocks(blocks: tuple[Block, ...], walk: Callable[[tuple[Inline, ...]], tuple[Inline, ...]]
                ) -> tuple[Block, ...]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(replace(block, inlines=walk(block.inlines)))
        elif isinstance(block, ListBlock):
            out.append(replace(block, items=tuple(
                ListItem(blocks=_map_blocks(item.blocks, walk)) for item in block.items)))
        elif isinstance(block, Quote):
            out.append(replace(block, blocks=_map_blocks(block.blocks, walk)))
        elif isinstance(block, Table):
            def cells(row: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
                return tuple(replace(c, inlines=walk(c.inlines)) for c in row)
            out.append(replace(block, header=cells(block.header), rows=tuple(cells(r) for r in block.rows)))
        else:
            out.append(block)
    return tuple(out)

