"""The vocabulary of one article: drug names (shipped lists, glossary, lexicon) and units its facts are found with."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ...languages import FOLDER as LANGUAGE_FOLDER
from ...languages import languages
from ...model import Document, Glossary
from ..words import SIMPLE_WORD, base_language, fold
from .tables import DRUG_ENDINGS, PHRASE_UNITS, RARE_ZIPF, TOKEN, UNITS


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency  # imported late: it loads its word lists on first use

    return zipf_frequency(word, language)


@dataclass(frozen=True)
class Vocabulary:
    """The drug names and unit names an article's facts are found with, in its language."""

    language: str
    # Token tuples -> the drug's listed name. Tokens are folded; abbreviations
    # keep their capitals, marked with a leading "=" ("=SSRI").
    drugs: dict[tuple[str, ...], str]
    longest: int
    # Unit words (folded) -> unit: the built-in ones and the article's glossary's ("miligramos").
    units: dict[str, str]
    # Units of two or more words (folded tokens) -> unit: built-in, and the glossary's ("millimeters of mercury").
    phrase_units: dict[tuple[str, ...], str]
    # The article's plain-words list, folded: a verb and its plain word are one verb.
    plain_words: dict[str, str]


def vocabulary(lang: str, glossary: Glossary | None = None, lexicon: Iterable[tuple[str, str]] = ()) -> Vocabulary:
    """The drug and unit names for an article in ``lang``: the shipped lists, its glossary's and its lexicon's."""
    language = base_language(lang)
    glossary = glossary or Glossary()
    index: dict[tuple[str, ...], str] = {}

    def add(name: str, listed: str) -> None:
        tokens = _name_tokens(name)
        if tokens:
            index.setdefault(tokens, listed)

    def known(name: str) -> str | None:
        return index.get(_name_tokens(name))

    for names in shipped_drug_names(language):
        for name in names:
            add(name, names[0])
    units, phrase_units = dict(UNITS), dict(PHRASE_UNITS)
    for abbreviation, meaning in glossary.abbreviations:
        unit = UNITS.get(fold(abbreviation))
        if unit:  # "mg: miligramos", "mmHg: millimeters of mercury": the glossary's words for a unit
            tokens = tuple(fold(t) for t in TOKEN.findall(meaning))
            if len(tokens) == 1:
                units.setdefault(tokens[0], unit)
            elif tokens:
                phrase_units.setdefault(tokens, unit)
            continue
        listed = known(abbreviation) or known(meaning)
        if listed is None and _names_a_class(meaning, language):
            listed = abbreviation
        if listed is not None:  # "SSRI: selective serotonin reuptake inhibitor": one drug, two names
            add(abbreviation, listed)
            add(meaning, listed)
    for term, meaning in glossary.terms:
        if known(term) is None and _defines_a_drug(meaning, language):
            add(term, term)
    for term, _said in lexicon:
        if known(term) is None and _lexicon_drug(term, language):
            add(term, term)
    plain_words = {fold(hard): fold(easy) for hard, easy in glossary.plain_words}
    return Vocabulary(language, index, max((len(k) for k in index), default=1), units, phrase_units, plain_words)


@lru_cache(maxsize=8)
def shipped_drug_names(language: str) -> tuple[tuple[str, ...], ...]:
    """The drug names shipped for ``language``, one tuple of names per medicine or class."""
    try:
        text = (LANGUAGE_FOLDER / language / "drugs.txt").read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return ()
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append(tuple(" ".join(name.split()) for name in line.split("|") if name.strip()))
    return tuple(groups)


def _name_tokens(name: str) -> tuple[str, ...]:
    """A listed name's tokens as looked up: each word folded to its stem, abbreviations in capitals."""
    return tuple("=" + stem(t) if _is_abbreviation(t) else stem(fold(t)) for t in SIMPLE_WORD.findall(name))


def _is_abbreviation(token: str) -> bool:
    """Capitals, with a plural s allowed: "SSRI", "SSRIs", "ISRS", "SGLT2", "II"."""
    letters = token[:-1] if token.endswith("s") else token
    return 2 <= len(letters) <= 7 and letters.isupper()


def stem(word: str) -> str:
    """A word without its plural ending or a final e, so that singulars and plurals meet.

    "inhibitors"/"inhibitor", "opioides"/"opioide", "therapies"/"therapy",
    "antidepresivos"/"antidepresivo", "ketamine's"/"ketamine", "SSRIs"/"SSRI".
    The same cut on both sides is all that matters: it is a key, not a word.
    """
    for apostrophe in ("'s", "'"):
        if word.endswith(apostrophe) and len(word) > 3:
            word = word[:-len(apostrophe)]
            break
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def token_keys(token: str) -> list[str]:
    """The keys a word of running text may match: its stem, and in capitals if written so."""
    keys = [stem(fold(token))]
    if _is_abbreviation(token):
        keys.insert(0, "=" + stem(token))
    return keys


CLASS_HEADS = {code: set(language.facts.class_heads) for code, language in languages().items() if language.facts}
DEFINES_A_DRUG = {code: re.compile(language.facts.defines_a_drug, re.IGNORECASE)
                  for code, language in languages().items() if language.facts and language.facts.defines_a_drug}


def _names_a_class(meaning: str, language: str) -> bool:
    """An abbreviation's meaning that ends in "inhibitor", "blocker", "drug"...: a drug class."""
    words = meaning.lower().split()
    return bool(words) and words[-1] in CLASS_HEADS.get(language, set())


def _defines_a_drug(meaning: str, language: str) -> bool:
    """A glossary meaning that starts "a drug that ...", "medicina que ...": the term is a drug."""
    pattern = DEFINES_A_DRUG.get(language)
    return bool(pattern and pattern.match(meaning.strip()))


def _lexicon_drug(term: str, language: str) -> bool:
    """A lexicon entry that names a drug: one rare word, with a drug-name ending or a capital (a brand)."""
    if len(SIMPLE_WORD.findall(term)) != 1 or _is_abbreviation(term) or not term[:1].isalpha():
        return False
    if drug_like(term, language):
        return True
    return term[:1].isupper() and term[1:].islower() and zipf(term.lower(), language) < RARE_ZIPF


def drug_like(word: str, language: str) -> bool:
    """A word that is in no list but reads as a generic drug name: a drug-name ending, and rare."""
    ending = DRUG_ENDINGS.get(language)
    return bool(ending and len(word) >= 6 and ending.search(word) and zipf(word.lower(), language) < RARE_ZIPF)


def document_vocabulary(document: Document) -> Vocabulary:
    return vocabulary(document.lang, document.glossary, document.lexicon)
