"""The words each language needs to find facts: number words, units, periods, ranges, negation cues, drug endings."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ...languages import FactWords, languages, words_pattern

# Each language's words come from its folder (pipeline/languages/<code>/); the ones below are shared.
_FACTS = {code: language.facts for code, language in languages().items() if language.facts is not None}


def _merged(pick: Callable[[FactWords], Mapping[Any, Any]]) -> dict[Any, Any]:
    merged: dict[Any, Any] = {}
    for facts in _FACTS.values():
        merged.update(pick(facts))
    return merged


NUMBER_WORDS = {code: dict(facts.number_words) for code, facts in _FACTS.items()}
TENS = {code: set(facts.tens) for code, facts in _FACTS.items()}
HUNDRED = {code: dict(facts.hundred) for code, facts in _FACTS.items()}
THOUSAND = {code: dict(facts.thousand) for code, facts in _FACTS.items()}
# How often, said in one word: "twice" is "2 times".
TIMES_WORDS = {code: dict(facts.times_words) for code, facts in _FACTS.items()}

# Units: the words and signs for each, folded (lower case, no accents) to one name, from every language
# (an English abbreviation in a Spanish handout is still the unit).
UNITS = {word: name for facts in _FACTS.values() for name, words in facts.units.items() for word in words.split()}
# Units of two or three words, folded; longest first when read.
PHRASE_UNITS = {
    ("mm", "hg"): "mmhg", ("°", "c"): "°c", ("°", "f"): "°f", ("º", "c"): "°c", ("º", "f"): "°f",
    ("a", "m"): "am", ("p", "m"): "pm",
    ("mg", "/", "dl"): "mg/dl", ("mmol", "/", "l"): "mmol/l", ("mg", "/", "kg"): "mg/kg",
    **_merged(lambda facts: facts.phrase_units),
}
# Units with more than one name: "°" alone ("38 grados") stands for either scale.
UNIT_FAMILIES = {"°c": "°", "°f": "°"}

# "a day", "per week", "daily", "al día": how often a dose or count is.
PERIODS = _merged(lambda facts: facts.periods)
PER_WORDS = {word for facts in _FACTS.values() for word in facts.per_words}
PERIOD_ADVERBS = _merged(lambda facts: facts.period_adverbs)

RANGE_WORDS = {code: dict(facts.range_words) for code, facts in _FACTS.items()}
BETWEEN = {code: facts.between for code, facts in _FACTS.items()}
RATIO_WORDS = {"/": "/", **_merged(lambda facts: facts.ratio_words)}

# Negations: the words that say "do not". English ones are phrases (folded, apostrophes plain).
NEGATION_CUES = {code: words_pattern(facts.negation_cues) for code, facts in _FACTS.items() if facts.negation_cues}
# Words that may stand before an instruction's "do not" in the same clause.
LEAD_INS = {code: set(facts.lead_ins) for code, facts in _FACTS.items()}
# Words between a negation and the verb it negates, skipped to find the verb (folded, as all these lists).
NOT_THE_VERB = {code: set(facts.not_the_verb) for code, facts in _FACTS.items()}
VERB_ENDINGS = {code: facts.verb_endings for code, facts in _FACTS.items()}
# Where a clause ends: punctuation (not the comma of "4,000" or the colon of "8:00"), a dash, "but", "then".
_BREAK_WORDS = sorted({word for facts in _FACTS.values() for word in facts.clause_breaks})
CLAUSE_BREAK = re.compile(r"\s*(?:[,:](?!\d)|[;()]|\s[–—-]\s" + "".join(rf"|\b{word}\b" for word in _BREAK_WORDS)
                          + r")\s*")

# Drug-name endings (generic names), for words that are in no list. Checked only on rare words.
DRUG_ENDINGS = {code: re.compile(facts.drug_endings, re.IGNORECASE) for code, facts in _FACTS.items()
                if facts.drug_endings}
# A word this common in the language is an everyday word, whatever its ending ("persona", "cholesterol").
RARE_ZIPF = 3.0
# Words before a name that say it is taken as a medicine.
TAKE_WORDS = {word for facts in _FACTS.values() for word in facts.take_words}

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# The words after a "do not", numbers whole ("no more than 4,000 mg").
NEGATED_WORD = re.compile(r"\d+(?:[.,:]\d+)*|[^\W_]+(?:['’-][^\W_]+)*")
TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+|[%°º/–—-]")
PHONE = re.compile(r"(?<![\w-])(?:1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}$")
Token = tuple[str, int, int]  # text, start, end
