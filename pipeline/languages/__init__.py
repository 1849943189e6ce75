"""Everything handout knows about a language, one folder a language.

Each folder (``en``, ``es``, ``zh``, ``fr``, ``pt``) holds a :class:`Language`
in its ``__init__.py`` and its labels catalog (``handout.po``): the tags it
answers to and the regional voices for each, sentence splitting and word
counting, the reading measure and its target, the braille table and grade,
the fonts, the speaking-pace unit, the words the listening check leaves out,
and the fact guard's number words, units, negations and drug names. Adding a
language is a folder and a translated catalog; ``handout languages`` and the
README's table read the same data.

A low module: the text, audio, braille and page code read it, and it reads
none of them.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
CATALOG = "handout.po"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    return message


@dataclass(frozen=True)
class ReadingScore:
    """A reading figure a language's folder works out itself, with its target and whether it is met."""

    name: str
    value: float
    target: str
    meets: bool
    band: str = ""
    details: Mapping[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.name} {self.value:.1f}" + (f" ({self.band})" if self.band else "")


@dataclass(frozen=True)
class Reading:
    """How a language's reading ease is measured, and the target patient material should meet."""

    measure: str
    target: str
    source: str
    # The figure from the text's sentences, for a language whose folder works it out (French, Portuguese,
    # Chinese); English's and Spanish's grades are worked out in pipeline/text/readability.py.
    score: Callable[[list[str]], ReadingScore] | None = None


def flesch_ease(name: str, constant: float, per_sentence: float, per_syllable: float, minimum: float,
                bands: tuple[tuple[float, str], ...], syllables: Callable[[str], int],
                words: Callable[[str], list[str]]) -> Callable[[list[str]], ReadingScore]:
    """A Flesch reading ease adapted to a language: constant - a x words/sentence - b x syllables/word."""

    def score(sentences: list[str]) -> ReadingScore:
        counted = [words(sentence) for sentence in sentences]
        counted = [found for found in counted if found]
        total = sum(len(found) for found in counted)
        if not total:
            return ReadingScore(name, math.nan, f">= {minimum:g}", False)
        per_word = sum(syllables(word) for found in counted for word in found) / total
        value = constant - per_sentence * total / len(counted) - per_syllable * per_word
        band = next((label for floor, label in bands if value >= floor), bands[-1][1] if bands else "")
        return ReadingScore(name, value, f">= {minimum:g}", value >= minimum, band,
                            {"words_per_sentence": round(total / len(counted), 1),
                             "syllables_per_word": round(per_word, 2)})

    return score


@dataclass(frozen=True)
class Braille:
    """The liblouis tables (grade 1, grade 2) and the grade readers of the language are usually served."""

    tables: tuple[str, str]
    grade: int
    # The code's name as the braille title page prints it (translated through the catalog).
    code_name: str
    # Tables whose back-translation cannot vouch for their braille, and why.
    unreliable_backward: Mapping[str, str] = field(default_factory=dict)
    # What a table's back-translation writes for print it cannot tell apart, and the print meant
    # (Portuguese: "§" for the two cells of "ss", "µ" for a capital M).
    backward_print: Mapping[str, str] = field(default_factory=dict)
    # A region's own table, by tag (lower case): Taiwan's braille for zh-TW.
    regions: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class FactWords:
    """The words the fact guard reads numbers, units, periods, ranges, negations and drugs by (folded)."""

    number_words: Mapping[str, int] = field(default_factory=dict)
    tens: frozenset[int] = frozenset()
    hundred: Mapping[str, int] = field(default_factory=dict)
    thousand: Mapping[str, int] = field(default_factory=dict)
    times_words: Mapping[str, int] = field(default_factory=dict)
    # Unit name -> the language's words for it, separated by spaces ("mg": "miligramo miligramos").
    units: Mapping[str, str] = field(default_factory=dict)
    phrase_units: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    periods: Mapping[str, str] = field(default_factory=dict)
    per_words: frozenset[str] = frozenset()
    period_adverbs: Mapping[str, str] = field(default_factory=dict)
    range_words: Mapping[str, str] = field(default_factory=dict)
    between: tuple[str, str] = ("", "")
    ratio_words: Mapping[str, str] = field(default_factory=dict)
    # The words that say "do not" (a regular expression).
    negation_cues: str = ""
    lead_ins: frozenset[str] = frozenset()
    not_the_verb: frozenset[str] = frozenset()
    # A negated verb's endings, longest first, cut to match its forms ("smoking" = "smoke", "tome" = "tomar").
    verb_endings: tuple[str, ...] = ()
    clause_breaks: tuple[str, ...] = ()
    drug_endings: str = ""
    class_heads: frozenset[str] = frozenset()
    defines_a_drug: str = ""
    take_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Language:
    """One language, as every part of handout needs to know it."""

    code: str
    # Its name in English and in itself ("Spanish", "español").
    name: str
    native: str
    # Tags the web app offers, with their names (the first is the language's own).
    offered: tuple[tuple[str, str], ...]
    # eSpeak NG voices to try, in order, for each tag (lower case); "" is the bare code, "*" any other tag.
    espeak: Mapping[str, tuple[str, ...]]
    # The words that open an article's closing disclaimer paragraph ("Disclaimer:"; alternatives).
    disclaimer_words: str = ""
    # Words with a full stop that does not end a sentence (a regular expression's alternatives).
    abbreviations: str = ""
    # Sentence-ending marks that need no space after them (Chinese 。！？；).
    closing_marks: str = ""
    # "words" or "characters": what the speaking pace is counted in, and the pace the audio edition is
    # spoken at unless another is asked for (None: the edition's 150 words a minute).
    pace_unit: str = "words"
    pace: int | None = None
    reading: Reading | None = None
    braille: Braille | None = None
    # Font families the print and the page are set in before Atkinson Hyperlegible, and their package.
    fonts: tuple[str, ...] = ()
    regional_fonts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    font_package: str = ""
    # Italic and faux bold are never used (CJK has no italic, and slanted ideographs are hard to read).
    italics: bool = True
    # Words the listening check does not count as content (folded).
    stopwords: frozenset[str] = frozenset()
    # What the voice sample says when staff have given no text.
    sample_sentence: str = ""
    # Its typography sets a no-break space before : ; ! ? » and after « (French), kept in print and on the page.
    spaced_punctuation: bool = False
    # Thousands written apart by a space ("4 000 mg"), which the voice is given joined ("4000"): its
    # eSpeak NG reads such a number digit by digit otherwise ("cuatro cero cero cero").
    spaced_thousands: bool = False
    # A long word at least this common (wordfreq's Zipf) is an everyday word in the workbench.
    everyday_zipf: float = 4.5
    facts: FactWords | None = None
    # Splits one unit of text into sentences, where the shared rules do not fit (Chinese).
    splitter: Callable[[str], list[str]] | None = None
    # The words of a text, where spaces do not divide words (Chinese: jieba's segmentation).
    tokenize: Callable[[str], list[str]] | None = None
    # The same with the punctuation kept (where clauses end), for the fact guard.
    segment: Callable[[str], list[str]] | None = None
    # The listening check compares words by how eSpeak NG says them in this language, for a language
    # whose words sound the same written apart (French "pansement" and "pensement", "sans" and "sent",
    # "secouez" and "secoué"): a recogniser that writes one for the other heard the sound that was said.
    # It also parts words at an apostrophe (l'avis) and reads the digits the recogniser wrote as words.
    heard_by_sound: bool = False
    # What a neural voice must let the recogniser hear of an article in this language (None: the
    # listening check's general target, 0.85).
    heard_target: float | None = None
    # Writes numbers spelled in the language's own numerals in digits, for the fact guard (Chinese).
    numerals: Callable[[str], str] | None = None

    @property
    def folder(self) -> Path:
        return FOLDER / self.code

    @property
    def catalog(self) -> Path:
        return self.folder / CATALOG

    @property
    def has_catalog(self) -> bool:
        return self.code == "en" or self.catalog.is_file()

    def regional_voices(self, tag: str) -> tuple[str, ...]:
        """The voice languages to try for a tag no voice names exactly ("es-MX" -> es-419, es)."""
        tag = normalise(tag)
        return self.espeak.get("" if tag == self.code else tag, self.espeak.get("*", ()))

    def fonts_for(self, tag: str) -> tuple[str, ...]:
        """The font families for a tag: Traditional characters get the Traditional fonts."""
        tag = normalise(tag)
        for region, fonts in self.regional_fonts.items():
            if tag == region or tag.startswith(region + "-"):
                return fonts
        return self.fonts

    def missing(self) -> list[str]:
        """What this language lacks for a full set of handouts, in words."""
        lacking = []
        if not self.has_catalog:
            lacking.append("labels")
        if self.reading is None:
            lacking.append("reading measure")
        if self.braille is None:
            lacking.append("braille table")
        return lacking


DEFAULT_RATE = 150


def speaking_rate(asked: int, tag: str) -> tuple[int, str]:
    """The pace to speak an article in ``tag`` at, and its unit: the one asked for, or, where the edition's
    150 words a minute was left as it is, the language's own (Chinese: 190 characters a minute)."""
    known = language_for(tag)
    unit = known.pace_unit if known is not None else "words"
    if asked == DEFAULT_RATE and known is not None and known.pace is not None:
        return known.pace, unit
    return asked, unit


def normalise(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def base_language(tag: str) -> str:
    """The language of a tag, without its region or script: ``es-MX`` → ``es``, ``en_GB`` → ``en``."""
    return normalise(tag).split("-")[0]


@lru_cache(maxsize=1)
def languages() -> dict[str, Language]:
    """Every language with a folder, by code."""
    found = {}
    for module in pkgutil.iter_modules([str(FOLDER)]):
        if module.ispkg:
            language = getattr(importlib.import_module(f"{__name__}.{module.name}"), "LANGUAGE", None)
            if language is not None:
                found[language.code] = language
    return dict(sorted(found.items()))


def language_for(tag: str) -> Language | None:
    """The language of a tag (``zh-Hant-TW`` -> Chinese), or None when handout has no folder for it."""
    return languages().get(base_language(tag))


def generic(tag: str) -> Language:
    """What handout knows of a language with no folder: eSpeak NG's voice by its tag, nothing more."""
    code = base_language(tag)
    return Language(code=code, name=code, native=code, offered=(), espeak={"": (normalise(tag), code)})


def language(tag: str) -> Language:
    """The language of a tag, its folder's or a generic one."""
    return language_for(tag) or generic(tag)


def words_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
