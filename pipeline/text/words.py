"""Words and sentences as every part of handout counts them: folding, simple words, sentence ends.

A low module: the reading grade, the fact guard, the plain-language workbench
and the audio edition's captions all split and compare text here, so they
agree on where a sentence ends and when two words are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..languages import base_language, language_for

ENGLISH, SPANISH = "en", "es"

# A sentence ends at . ! or ? (with any closing quote or bracket kept on it)
# when a space and a capital letter, digit or opening quote come next.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]”’]))\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Other languages than English: a sentence ends at . ! ? or … with any closing
# quotes or brackets (» included) kept on it, when the next sentence, after any
# opening marks (¿ ¡ « quotes, brackets), starts with a capital of any alphabet
# ("Él", "Ésta") or a digit; after ¿ or ¡ it is a new sentence whatever comes.
BREAK = re.compile(r"[.!?…][\"')\]”’»]*(?=\s)")
OPENING_MARKS = "¿¡«\"'“‘([—–"
# A language with no abbreviations of its own: only the few that are the same in most languages written in
# Latin letters. Each language's own are in its folder.
ANY_ABBREVIATIONS = r"Dr|Prof|etc|vs"


# Words of drug names: hyphens part them ("beta-blockers" is "beta blocker", "GLP-1" is "GLP 1").
SIMPLE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def fold(text: str) -> str:
    """Lower case, accents off, typographic apostrophes plain: how words are compared."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def split_sentences(text: str, lang: str = ENGLISH) -> list[str]:
    """The sentences of one unit of text in ``lang``, each as written (closing quotes kept).

    Shared by the reading grade, the audio edition's captions and the
    automatic draft, so all agree on where a sentence ends.
    """
    text = " ".join(text.split())
    if not text:
        return []
    known = language_for(lang)
    if known is not None and known.splitter is not None:
        return known.splitter(text)
    not_an_end = _not_an_end(known.abbreviations if known is not None and known.abbreviations else ANY_ABBREVIATIONS)
    if base_language(lang) != ENGLISH:
        return _split_any_language(text, not_an_end)
    pieces = SENTENCE_END.split(text)
    sentences: list[str] = []
    for piece in pieces:
        # Re-join after "e.g." or "Dr." which end in a full stop but not a sentence.
        if sentences and not_an_end.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


@lru_cache(maxsize=16)
def _not_an_end(abbreviations: str) -> re.Pattern[str]:
    """Words with a full stop that does not end a sentence."""
    return re.compile(rf"\b(?:{abbreviations})\.$", re.IGNORECASE)


def _split_any_language(text: str, not_an_end: re.Pattern[str]) -> list[str]:
    sentences: list[str] = []
    start = 0
    for end_mark in BREAK.finditer(text):
        rest = text[end_mark.end():].lstrip()
        first = rest.lstrip(OPENING_MARKS)[:1]
        opened = rest[:len(rest) - len(rest.lstrip(OPENING_MARKS))]
        if not first or not (first.isupper() or first.isdigit() or "¿" in opened or "¡" in opened):
            continue
        sentence = text[start:end_mark.end()].strip()
        if not_an_end.search(sentence):  # "Dra." or "EE. UU." end in a full stop but not a sentence
            continue
        sentences.append(sentence)
        start = end_mark.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]
