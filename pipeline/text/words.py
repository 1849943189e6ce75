"""Words and sentences as every part of handout counts them: folding, simple words, sentence ends.

A low module: the reading grade, the fact guard, the plain-language workbench
and the audio edition's captions all split and compare text here, so they
agree on where a sentence ends and when two words are the same word.
"""

from __future__ import annotations

import re
import unicodedata

ENGLISH, SPANISH = "en", "es"

# A sentence ends at . ! or ? (with any closing quote or bracket kept on it)
# when a space and a capital letter, digit or opening quote come next.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]”’]))\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Words with a full stop that does not end a sentence.
NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|vs|U\.S|approx|No)\.$", re.IGNORECASE)
# Other languages than English: a sentence ends at . ! ? or … with any closing
# quotes or brackets (» included) kept on it, when the next sentence, after any
# opening marks (¿ ¡ « quotes, brackets), starts with a capital of any alphabet
# ("Él", "Ésta") or a digit; after ¿ or ¡ it is a new sentence whatever comes.
BREAK = re.compile(r"[.!?…][\"')\]”’»]*(?=\s)")
OPENING_MARKS = "¿¡«\"'“‘([—–"
# Spanish abbreviations with a full stop that does not end a sentence.
NOT_AN_END_ES = re.compile(
    r"\b(?:Dr|Dra|Dres|Sr|Sra|Srta|Sres|Ud|Uds|Vd|Vds|etc|aprox|núm|pág|tel|vs|p\.\s?ej|EE|EE\.\s?UU)\.$",
    re.IGNORECASE)
# Any other language: only the few that are the same in most languages written in Latin letters.
NOT_AN_END_ANY = re.compile(r"\b(?:Dr|Prof|etc|vs)\.$", re.IGNORECASE)


# Words of drug names: hyphens part them ("beta-blockers" is "beta blocker", "GLP-1" is "GLP 1").
SIMPLE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def base_language(lang: str) -> str:
    """The language of a tag, without its region or script: ``es-MX`` → ``es``, ``en_GB`` → ``en``."""
    return lang.strip().replace("_", "-").split("-")[0].lower()


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
    language = base_language(lang)
    if language != ENGLISH:
        return _split_any_language(text, NOT_AN_END_ES if language == SPANISH else NOT_AN_END_ANY)
    pieces = SENTENCE_END.split(text)
    sentences: list[str] = []
    for piece in pieces:
        # Re-join after "e.g." or "Dr." which end in a full stop but not a sentence.
        if sentences and NOT_AN_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


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
