"""Plain-language helpers: glossary marking for any edition, and an automatic draft.

Two jobs, both working on the document model only:

- ``mark_glossary`` finds the first use of each glossary term in an edition's
  text and of each abbreviation, so the page can define the term in plain words
  (``<dfn>``) and spell the abbreviation out (``<abbr>``). It serves both the
  hand-written plain edition and the automatic draft.
- ``draft_edition`` makes a first plain-language draft of an article that has
  no plain edition yet: hard words and wordy phrases swapped for everyday ones
  (source/plain-words.yml, then the list shipped for the language), lists in a
  sentence made into lists, and long sentences split where a fixed pattern
  makes that safe. It never touches numbers, drug names, "do not"s or the
  disclaimer (which is not part of the sections at all). It is a starting
  point for an editor, not a finished edition: the page says so, and
  ``handout plain`` shows what to rewrite.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..languages import FOLDER as LANGUAGE_FOLDER
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
from .readability import words_of
from .words import base_language, split_sentences

log = logging.getLogger(__name__)

# Sentences longer than this are worth trying to split (health.gov: average 12-15 words).
SPLIT_OVER_WORDS = 12
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
        node = _abbreviation(word, before, after, state) or _term(word, before, after, state)
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
    spelled_out = first and not written_out
    if spelled_out and (not before.strip() or re.search(r"[.!?][\"')”’]*\s*$", before)):
        expansion = expansion[0].upper() + expansion[1:]  # the words come first, so they open the sentence
    return Abbreviation(text=word, expansion=expansion, spelled_out=spelled_out)


def _term(word: str, before: str, after: str, state: _FirstUse) -> Term | None:
    key = word.lower()
    if key not in state.terms:
        key = key[:-2] if key.endswith("es") and key[:-2] in state.terms else key[:-1]
    if key not in state.terms or key in state.seen:
        return None
    state.seen.add(key)
    # "sodium (salt)", or the other way round, "high blood pressure (hypertension)".
    explained_already = after.startswith(" (") or before.rstrip().lower().endswith(state.terms[key].lower() + " (")
    return Term(text=word, definition="" if explained_already else state.terms[key])


# ---------------------------------------------------------------- automatic draft


def draft_edition(document: Document) -> Edition:
    """A first plain-language draft of an article, made by fixed, safe rewrites.

    In turn: an abbreviation the glossary spells out loses the writer's own
    spelling-out beside it (the page spells it out at its first use); hard
    words and wordy phrases become everyday ones (the clinic's plain-words list,
    then the one shipped for the language); a sentence listing three or more
    things after "include", "including" or "such as" becomes a list; a bold
    label ending in a colon ends its own sentence; and long sentences are cut
    at safe joins. No number, drug name or "do not" is changed: the fact guard
    (``pipeline.text.facts``) is run on the draft in the tests.
    """
    language = base_language(document.lang)
    swap = word_swapper(plain_word_list(document.glossary.plain_words, language), language)
    tidy = abbreviation_tidier(document.glossary.abbreviations)
    reword = _inline_mapper(lambda text: [Text(swap(tidy(text)))])
    cut = _inline_mapper(lambda text: [Text(split_long_sentences(text, document.lang))])
    sections = []
    for section in document.sections:
        blocks = _map_blocks(section.blocks, reword)
        blocks = _lists_made(blocks, language)
        blocks = _map_blocks(_labels_ended(blocks), cut)
        sections.append(replace(section, heading=swap(section.heading) if section.heading else section.heading,
                                blocks=blocks))
    return Edition(title=swap(document.title), sections=tuple(sections), source=document.source)


def plain_word_list(clinic: Iterable[tuple[str, str]], language: str) -> list[tuple[str, str]]:
    """The clinic's plain words, then the shipped ones for ``language`` that the clinic's list does not have."""
    pairs = list(clinic)
    have = {hard.lower() for hard, _easy in pairs}
    return pairs + [(hard, easy) for hard, easy in shipped_plain_words(language) if hard.lower() not in have]


@lru_cache(maxsize=8)
def shipped_plain_words(language: str) -> tuple[tuple[str, str], ...]:
    """The everyday words shipped for ``language`` (its folder's ``plain-words.txt``): (hard, plain) pairs."""
    try:
        text = (LANGUAGE_FOLDER / language / "plain-words.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    pairs = []
    for line in text.splitlines():
        hard, equals, easy = line.split("#", 1)[0].partition("=")
        if equals and hard.strip() and easy.strip():
            pairs.append((" ".join(hard.split()), " ".join(easy.split())))
    return tuple(pairs)


def word_swapper(plain_words: Iterable[tuple[str, str]], language: str = "en") -> Callable[[str], str]:
    """A function swapping the hard words and phrases of a plain-words list for their plain words.

    Whole words only, longest phrase first, a capital first letter kept. A
    plural of a one-word entry is swapped too ("medications" for "medication").
    In English, an "a" or "an" before the word is made to fit the new word
    ("an appointment" becomes "a visit").
    """
    table = {hard.lower(): easy for hard, easy in plain_words}
    if not table:
        return lambda text: text
    plurals = {hard + "s": easy + "s" for hard, easy in table.items()
               if " " not in hard and " " not in easy and not hard.endswith("s") and hard + "s" not in table}
    table |= plurals
    english = base_language(language) == "en"
    article = r"(?:\b(an?)\s+)?" if english else ""
    pattern = re.compile(
        article + r"(?<![\w-])(" + "|".join(re.escape(h) for h in sorted(table, key=len, reverse=True))
        + r")(?![\w-])", re.IGNORECASE)

    def swap(text: str) -> str:
        def easy_word(match: re.Match[str]) -> str:
            hard = match.group(2 if english else 1)
            easy = table[hard.lower()]
            easy = easy[0].upper() + easy[1:] if hard[0].isupper() else easy
            if not english or not match.group(1):
                return easy
            fitting = "an" if easy[0].lower() in "aeio" or easy.lower().startswith(("un", "ho")) else "a"
            written = match.group(1)
            return (fitting.capitalize() if written[0].isupper() else fitting) + " " + easy
        return pattern.sub(easy_word, text)
    return swap


def abbreviation_tidier(abbreviations: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    """A function leaving only the letters of an abbreviation the glossary spells out.

    "Post-Traumatic Stress Disorder (PTSD)" and "SSRIs (Selective Serotonin
    Reuptake Inhibitors)" become "PTSD" and "SSRIs": the page spells each out
    at its first use in running text, so the writer's own spelling-out would say
    it twice, or again at a later use.
    """
    rules = []
    for letters, words in abbreviations:
        spelled = re.escape(words).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
        rules.append((re.compile(r"(?<![\w-])(?i:" + spelled + r")(s?)\s*\(" + re.escape(letters) + r"(s?)\)"),
                      letters))
        rules.append((re.compile(r"(?<![\w-])" + re.escape(letters) + r"(s?)\s*\((?i:" + spelled + r")(s?)\)"),
                      letters))

    def tidy(text: str) -> str:
        for pattern, letters in rules:
            text = pattern.sub(lambda m, letters=letters: letters + ("s" if m.group(1) or m.group(2) else ""), text)
        return text
    return tidy


# Words that open a list of things in a sentence, and the word before its last item.
LIST_CUES = {
    "en": (re.compile(r"\b(?:include|includes|including|such as)\s+", re.IGNORECASE), "and"),
    "es": (re.compile(r"\b(?:incluyen|incluye|incluidos|incluidas|tales como|como por ejemplo)\s+",
                      re.IGNORECASE), "y"),
}
MIN_LIST_ITEMS = 3
MAX_LIST_ITEM_WORDS = 8


def _lists_made(blocks: tuple[Block, ...], language: str) -> tuple[Block, ...]:
    """Paragraphs with a sentence listing three or more things ("include A, B, and C.") made into a list."""
    cue = LIST_CUES.get(language)
    if cue is None:
        return blocks
    out: list[Block] = []
    for block in blocks:
        if not (isinstance(block, Paragraph) and block.inlines and all(isinstance(n, Text) for n in block.inlines)):
            out.append(block)
            continue
        text = "".join(n.text for n in block.inlines if isinstance(n, Text))
        sentences = split_sentences(text, language)
        for index, sentence in enumerate(sentences):
            made = _as_list(sentence, *cue, language)
            if made is None:
                continue
            lead, items = made
            before = " ".join([*sentences[:index], lead])
            out.append(replace(block, inlines=(Text(before),)))
            out.append(ListBlock(items=tuple(ListItem(blocks=(Paragraph(inlines=(Text(item),), line=block.line),))
                                             for item in items), line=block.line))
            if sentences[index + 1:]:
                out.append(replace(block, inlines=(Text(" ".join(sentences[index + 1:])),)))
            break
        else:
            out.append(block)
    return tuple(out)


def _as_list(sentence: str, cue: re.Pattern[str], last_word: str, language: str) -> tuple[str, list[str]] | None:
    """("Symptoms can include:", ["fear", "bad dreams", "feeling numb"]) from a sentence that lists things."""
    match = cue.search(sentence)
    if match is None or not sentence.endswith("."):
        return None
    tail = sentence[match.end():-1]
    items = [item.strip() for item in _top_level_commas(tail)]
    if len(items) < MIN_LIST_ITEMS - 1:
        return None
    # The last item comes after ", and" (or "y" in Spanish, with or without the comma).
    last = items[-1]
    joined = re.match(r"(.*?)\s*\b" + last_word + r"\s+(.+)$", last) if language != "en" else None
    if language == "en" and last.lower().startswith(last_word + " "):
        items[-1] = last[len(last_word) + 1:]
    elif joined and joined.group(1):
        items[-1:] = [joined.group(1), joined.group(2)]
    elif last.lower().startswith(last_word + " "):
        items[-1] = last[len(last_word) + 1:]
    else:
        return None
    if len(items) < MIN_LIST_ITEMS or any(not item or len(words_of(item, language)) > MAX_LIST_ITEM_WORDS
                                          or re.search(r"[;:]", item) for item in items):
        return None
    return sentence[:match.end()].rstrip() + ":", items


def _top_level_commas(text: str) -> list[str]:
    """``text`` cut at its commas, except those inside brackets."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _labels_ended(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A bold label opening a paragraph or list item, ending in a colon, ends a sentence of its own."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            out.append(replace(block, items=tuple(ListItem(blocks=_labels_ended(i.blocks)) for i in block.items)))
            continue
        if isinstance(block, Paragraph) and block.inlines and isinstance(block.inlines[0], Strong):
            label = block.inlines[0]
            last = label.children[-1] if label.children else None
            if isinstance(last, Text) and last.text.rstrip().endswith(":") and len(block.inlines) > 1:
                ended = Text(last.text.rstrip()[:-1] + ".")
                block = replace(block, inlines=(replace(label, children=(*label.children[:-1], ended)),
                                                *block.inlines[1:]))
        out.append(block)
    return tuple(out)


# Where a long sentence can be cut in two without changing what it says. Each
# rule: the words that join two clauses, and the words that open the second
# sentence. Participles become verbs only for the few listed, whose -s form is
# certain. ", and" is cut only before a subject ("and it", "and you"): most
# often it joins the items of a list. ", which" is cut only where "which" is
# the subject of what follows ("which is"), not its object ("which your
# doctor may change").
_PARTICIPLES = {"leaving": "leaves", "offering": "offers", "bringing": "brings", "making": "makes"}
_SUBJECT = r"(?=(?:it|this|that|these|those|they|you|we|he|she|there|i)\s)"
_SUBJECT_NOT_THAT = r"(?=(?:it|this|these|those|they|you|we|he|she|there|i)\s)"
_NOT_A_SUBJECT_NEXT = (r"(?!(?:your|you|the|a|an|we|they|he|she|it|its|their|our|my|his|her|this|that|these|"
                       r"those|many|most|some|doctors|people)\s)")
SPLIT_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r";\s+"), lambda m: ""),
    (re.compile(r",\s+which\s+" + _NOT_A_SUBJECT_NEXT), lambda m: "This "),
    (re.compile(r",\s+but\s+"), lambda m: "But "),
    (re.compile(r",\s+although\s+"), lambda m: "But "),
    (re.compile(r",\s+and\s+" + _SUBJECT), lambda m: ""),
    (re.compile(r",\s+so\s+" + _SUBJECT_NOT_THAT), lambda m: "So "),
    (re.compile(r",\s+so that\s+"), lambda m: "This way, "),
    (re.compile(r",\s+because\s+"), lambda m: "This is because "),
    # "since" says why only before a subject ("since these drugs ..."), not "since 2010" or "since then".
    (re.compile(r",\s+since\s+" + _SUBJECT_NOT_THAT), lambda m: "This is because "),
    # "..., a process known as neuroplasticity", "..., a condition called PTSD"
    (re.compile(r",\s+an?\s+(?:\w+\s+){1,2}(?:known as|called)\s+"), lambda m: "This is called "),
    (re.compile(r",\s+(often\s+)?(" + "|".join(_PARTICIPLES) + r")\s+"),
     lambda m: "This " + (m.group(1) or "") + _PARTICIPLES[m.group(2).lower()] + " "),
    (re.compile(r"\s+[–—]\s+"), lambda m: ""),
)
SPLIT_RULES_ES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r";\s+"), lambda m: ""),
    (re.compile(r",\s+pero\s+"), lambda m: "Pero "),
    (re.compile(r",\s+aunque\s+"), lambda m: "Pero "),
    (re.compile(r",\s+lo que\s+"), lambda m: "Esto "),
    (re.compile(r"\s+[–—]\s+"), lambda m: ""),
)
# A closing aside in brackets that says something of its own ("(a snack is enough)") becomes a sentence.
_ASIDE = re.compile(r"\s+\(([^()]+)\)(?=[.!?]$)")
_ASIDE_VERBS = {"en": re.compile(r"\b(?:is|are|was|were|can|may|will|helps?|means?|has|have|do|does|should|must)\b"),
                "es": re.compile(r"\b(?:es|son|está|están|puede|pueden|ayuda|hay|debe|deben)\b")}


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
    language = base_language(lang)
    # A question or exclamation opened with ¿ or ¡ would lose its opening mark.
    if language != "en" and ("¿" in sentence or "¡" in sentence):
        return sentence
    rules = SPLIT_RULES if language == "en" else SPLIT_RULES_ES if language == "es" else SPLIT_RULES[:1]
    for pattern, opening in rules:
        for match in pattern.finditer(sentence):
            head, tail = sentence[:match.start()], sentence[match.end():]
            # A dash may follow a short lead-in ("Enter ketamine – a medicine ..."), which reads well alone.
            shortest_head = 2 if match.group(0).strip() in "–—" else MIN_PIECE_WORDS
            second = opening(match) + tail
            if _inside_brackets(sentence, match.start()) or len(words_of(head, lang)) < shortest_head \
                    or len(words_of(second, lang)) < MIN_PIECE_WORDS:
                continue
            return _split(head + ".", lang) + " " + _split(second[0].upper() + second[1:], lang)
    aside = _ASIDE.search(sentence)
    verbs = _ASIDE_VERBS.get(language)
    if aside and verbs and verbs.search(aside.group(1)) and len(words_of(aside.group(1), lang)) >= MIN_PIECE_WORDS:
        said = aside.group(1).strip()
        return _split(sentence[:aside.start()] + sentence[aside.end():], lang) + " " + \
            said[0].upper() + said[1:].rstrip(".") + "."
    return sentence


def _inside_brackets(text: str, position: int) -> bool:
    return text.count("(", 0, position) > text.count(")", 0, position)


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

