"""The fact guard: what a plain rewrite of an article must keep, and what it must not make up.

A plain-language edition may change every word but these (health-literacy
guides: CDC Clear Communication Index, NIH "Clear & Simple"):

- **numbers**, with their units, ranges and rates: "180/120 mmHg", "30 minutes",
  "80 to 89", "3 times a day", "911". A number written in words is the same
  number ("five minutes" is "5 minutes", "cinco minutos"); "twice" is "2 times".
- **drugs and drug classes**: from the shipped word lists (``drugs.en.txt``,
  ``drugs.es.txt``), the article's glossary (a term whose meaning starts "a drug
  that ...", and an abbreviation standing for a listed name: "SSRIs" and
  "selective serotonin reuptake inhibitors" are one fact) and its lexicon, and
  names that look like drugs (a drug-name ending such as -pril or -statin on a
  rare word; a rare capitalised word taken, dosed or bracketed with a known
  drug, as brand names are). Capitals and plurals are folded: "SSRI medicines"
  keeps "SSRIs".
- **negations**: a "do not", "don't", "never" or "no" (Spanish "no", "nunca")
  that opens an instruction, or that stands in the same clause as a drug or a
  number ("take no more than 4 g").

``compare`` reports what the plain edition *drops* (in the original, nowhere in
the plain edition) and what it *adds* (in the plain edition, nowhere in the
original), each with the sentence and section it was found in. A changed dose
(5 mg to 50 mg) is one fact dropped and one added; so is a changed unit (mg to
g); a kept action that lost its "do not" is a dropped negation.

Facts are matched anywhere in the other edition, not section by section: a
plain edition may move a dose from the details into its key points.

Known limits: a number said another way ("half an hour" for "30 minutes"), a
drug called only "it" or "this drug" throughout, and a negation whose verb and
anchors both changed are reported, for a person to judge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

from ..model import Document, Edition, Glossary, Section, block_texts
from .readability import ENGLISH, SPANISH, base_language, split_sentences

Kind = Literal["number", "drug", "negation"]

# ---------------------------------------------------------------- passages


@dataclass(frozen=True)
class Passage:
    """One unit of an edition's text (a heading, paragraph, list item or table cell) and where it is.

    ``part`` counts the edition's parts: 0 is the title with the opening text
    (or a plain edition's main message and key points), then one part per
    heading, in order. ``heading`` is None for part 0.
    """

    part: int
    heading: str | None
    text: str


@dataclass(frozen=True)
class Part:
    """A heading and its text: part 0 is the title with the opening text."""

    heading: str | None
    level: int
    anchor: str
    texts: tuple[str, ...]


def edition_parts(title: str, sections: Sequence[Section], summary: Sequence = ()) -> list[Part]:
    """The parts of an edition: the title and opening text first, then one per heading."""
    opening: list[str] = [title]
    for block in summary:
        opening.extend(block_texts(block))
    rest = list(sections)
    if rest and rest[0].heading is None:
        for block in rest[0].blocks:
            opening.extend(block_texts(block))
        rest = rest[1:]
    parts = [Part(None, 1, "", tuple(t for t in opening if t.strip()))]
    for section in rest:
        texts = [section.heading or ""]
        for block in section.blocks:
            texts.extend(block_texts(block))
        parts.append(Part(section.heading, section.level, section.anchor, tuple(t for t in texts if t.strip())))
    return parts


def document_parts(document: Document) -> list[Part]:
    """The original article's parts (its title and sections; never the disclaimer)."""
    return edition_parts(document.title, document.sections)


def plain_parts(edition: Edition) -> list[Part]:
    """A plain edition's parts (its title, main message and key points, and sections)."""
    return edition_parts(edition.title, edition.sections, edition.summary)


def passages(parts: Sequence[Part]) -> list[Passage]:
    return [Passage(index, part.heading, text) for index, part in enumerate(parts) for text in part.texts]


# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class Fact:
    """A number, a drug or a negation, found in one sentence.

    ``key`` is what two editions must share for the fact to be the same: for a
    number, its value(s), how a range is joined, its unit and rate; for a drug,
    its name as listed. A *weak* fact (a number word with no unit, as in "three
    main things") may keep an original fact but is never reported itself.
    A negation's ``anchors`` are the keys of the drugs and numbers in its clause
    and ``verb`` the word it negates.
    """

    kind: Kind
    key: tuple[object, ...]
    text: str
    sentence: str
    part: int = 0
    heading: str | None = None
    weak: bool = False
    anchors: frozenset[tuple[object, ...]] = field(default=frozenset())
    verb: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "fact": self.text, "sentence": self.sentence,
                "section": self.heading, "part": self.part}

    def describe(self) -> str:
        """The fact in a few words, for a report line: ``5 mg`` or ``"do not" (do not take)``."""
        return f"{self.kind} “{self.text}”"


@dataclass(frozen=True)
class FactReport:
    """What a plain edition dropped from its original and added to it."""

    dropped: tuple[Fact, ...]
    added: tuple[Fact, ...]
    original_count: int = 0
    plain_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.dropped and not self.added

    def to_dict(self) -> dict[str, object]:
        return {"dropped": [f.to_dict() for f in self.dropped], "added": [f.to_dict() for f in self.added],
                "facts_in_original": self.original_count, "facts_in_plain": self.plain_count}

    def summary(self) -> str:
        """One line naming every finding, for a check's detail."""
        def named(facts: tuple[Fact, ...]) -> str:
            return "; ".join(f"{f.text} ({f.kind}, in “{_short(f.sentence)}”"
                             + (f", section “{f.heading}”" if f.heading else "") + ")" for f in facts)
        pieces = []
        if self.dropped:
            pieces.append("dropped: " + named(self.dropped))
        if self.added:
            pieces.append("added: " + named(self.added))
        return " | ".join(pieces) or "every fact kept, none added"


def _short(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- the words each language needs

NUMBER_WORDS = {
    ENGLISH: {
        **{w: i for i, w in enumerate(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen".split())},
        **{w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)},
    },
    SPANISH: {
        **{w: i for i, w in enumerate(
            "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
            "diecisiete dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro veinticinco "
            "veintiseis veintisiete veintiocho veintinueve".split())},
        "un": 1, "una": 1, "veintiun": 21, "veintiuna": 21,
        **{w: 10 * i for i, w in enumerate("treinta cuarenta cincuenta sesenta setenta ochenta noventa".split(), 3)},
        "cien": 100, "ciento": 100, "quinientos": 500, "quinientas": 500, "setecientos": 700, "setecientas": 700,
        "novecientos": 900, "novecientas": 900,
        **{f"{p}cientos": 100 * i for p, i in (("dos", 2), ("tres", 3), ("cuatro", 4), ("seis", 6), ("ocho", 8))},
        **{f"{p}cientas": 100 * i for p, i in (("dos", 2), ("tres", 3), ("cuatro", 4), ("seis", 6), ("ocho", 8))},
    },
}
TENS = {ENGLISH: {20, 30, 40, 50, 60, 70, 80, 90}, SPANISH: {30, 40, 50, 60, 70, 80, 90}}
HUNDRED = {ENGLISH: {"hundred": 100}, SPANISH: {}}
THOUSAND = {ENGLISH: {"thousand": 1000}, SPANISH: {"mil": 1000}}
# How often, said in one word: "twice" is "2 times".
TIMES_WORDS = {ENGLISH: {"once": 1, "twice": 2, "thrice": 3}, SPANISH: {}}

# Units: the words and signs for each, folded (lower case, no accents) to one name.
UNIT_NAMES = {
    "mg": "mg milligram milligrams miligramo miligramos",
    "mcg": "mcg µg μg ug microgram micrograms microgramo microgramos",
    "g": "g gr gram grams gramo gramos",
    "kg": "kg kgs kilo kilos kilogram kilograms kilogramo kilogramos",
    "ml": "ml milliliter milliliters millilitre millilitres mililitro mililitros cc",
    "l": "l liter liters litre litres litro litros",
    "mmhg": "mmhg",
    "mmol": "mmol",
    "meq": "meq",
    "unit": "unit units iu ui unidad unidades",
    "%": "% percent porcentaje",
    "°": "° º degree degrees grado grados",
    "second": "second seconds sec secs segundo segundos",
    "minute": "minute minutes min mins minuto minutos",
    "hour": "hour hours hr hrs h hora horas",
    "day": "day days dia dias",
    "week": "week weeks wk wks semana semanas",
    "month": "month months mes meses",
    "year": "year years yr yrs ano anos",
    "time": "time times vez veces",
    "pill": ("pill pills tablet tablets capsule capsules caplet caplets comprimido comprimidos pastilla pastillas "
             "tableta tabletas capsula capsulas gragea grageas"),
    "dose": "dose doses dosis",
    "drop": "drop drops gota gotas",
    "puff": "puff puffs inhalacion inhalaciones",
    "spray": "spray sprays pulverizacion pulverizaciones",
    "drink": "drink drinks copa copas bebida bebidas",
    "cup": "cup cups glass glasses taza tazas vaso vasos",
    "teaspoon": "teaspoon teaspoons tsp cucharadita cucharaditas",
    "tablespoon": "tablespoon tablespoons tbsp cucharada cucharadas",
    "pound": "pound pounds lb lbs libra libras",
    "ounce": "ounce ounces oz onza onzas",
    "inch": "inch inches pulgada pulgadas",
    "cm": "cm centimeter centimeters centimetre centimetres centimetro centimetros",
    "mm": "mm millimeter millimeters millimetre millimetres milimetro milimetros",
    "bpm": "bpm",
    "step": "step steps paso pasos",
    "calorie": "calorie calories kcal caloria calorias",
    "am": "am",
    "pm": "pm",
}
UNITS = {word: name for name, words in UNIT_NAMES.items() for word in words.split()}
# Units of two or three words, folded; longest first when read.
PHRASE_UNITS = {
    ("per", "cent"): "%", ("por", "ciento"): "%", ("mm", "hg"): "mmhg",
    ("beats", "per", "minute"): "bpm", ("beats", "a", "minute"): "bpm", ("latidos", "por", "minuto"): "bpm",
    ("degrees", "celsius"): "°c", ("degrees", "fahrenheit"): "°f", ("grados", "centigrados"): "°c",
    ("grados", "celsius"): "°c", ("°", "c"): "°c", ("°", "f"): "°f", ("º", "c"): "°c", ("º", "f"): "°f",
    ("a", "m"): "am", ("p", "m"): "pm",
    ("mg", "/", "dl"): "mg/dl", ("mmol", "/", "l"): "mmol/l", ("mg", "/", "kg"): "mg/kg",
}
# Units with more than one name: "°" alone ("38 grados") stands for either scale.
UNIT_FAMILIES = {"°c": "°", "°f": "°"}

# "a day", "per week", "daily", "al día": how often a dose or count is.
PERIODS = {"day": "day", "days": "day", "dia": "day", "night": "night", "noche": "night", "week": "week",
           "semana": "week", "month": "month", "mes": "month", "hour": "hour", "hora": "hour", "year": "year",
           "ano": "year", "morning": "morning", "manana": "morning"}
PER_WORDS = {"a", "an", "per", "each", "every", "al", "por", "cada", "a la", "la"}
PERIOD_ADVERBS = {"daily": "day", "nightly": "night", "weekly": "week", "monthly": "month", "hourly": "hour",
                  "yearly": "year", "diario": "day", "diaria": "day", "diarios": "day", "diarias": "day",
                  "semanal": "week", "semanales": "week", "mensual": "month", "mensuales": "month"}

RANGE_WORDS = {ENGLISH: {"to": "-", "through": "-", "-": "-", "–": "-", "—": "-", "or": "or"},
               SPANISH: {"a": "-", "hasta": "-", "-": "-", "–": "-", "—": "-", "o": "or", "u": "or"}}
BETWEEN = {ENGLISH: ("between", "and"), SPANISH: ("entre", "y")}
RATIO_WORDS = {"/": "/", "over": "/", "sobre": "/"}

# Negations: the words that say "do not". English ones are phrases (folded, apostrophes plain).
NEGATION_CUES = {
    ENGLISH: re.compile(
        r"\b(?:(?:do|does|did|should|must|can|could|will|would|may|is|are|was)\s+not|don't|doesn't|didn't|"
        r"shouldn't|mustn't|can't|cannot|won't|wouldn't|isn't|aren't|wasn't|never|no)\b", re.IGNORECASE),
    SPANISH: re.compile(r"\b(?:no|nunca|jam[aá]s|tampoco)\b", re.IGNORECASE),
}
# Words that may stand before an instruction's "do not" in the same clause.
LEAD_INS = {ENGLISH: {"and", "but", "so", "then", "also", "please", "just", "you", "should", "must", "and,"},
            SPANISH: {"y", "pero", "entonces", "tambien", "usted", "por", "favor"}}
# Words between a negation and the verb it negates, skipped to find the verb (folded, as all these lists).
NOT_THE_VERB = {ENGLISH: {"always", "ever", "just", "yet", "really", "usually", "even", "again", "to", "be", "you",
                          "more", "less", "than", "any", "over"},
                SPANISH: {"se", "le", "lo", "la", "les", "los", "las", "me", "te", "nos", "usted", "debe",
                          "deben", "deberia", "hay", "que", "mas", "menos"}}
# Where a clause ends: punctuation (not the comma of "4,000" or the colon of "8:00"), a dash, "but", "then".
CLAUSE_BREAK = re.compile(r"\s*(?:[,:](?!\d)|[;()]|\s[–—-]\s|\bbut\b|\bpero\b|\bthen\b)\s*")

# Drug-name endings (generic names), for words that are in no list. Checked only on rare words.
DRUG_ENDINGS = {
    ENGLISH: re.compile(
        r"(?:pril|sartan|olol|dipine|statin|azepam|azolam|oxetine|triptyline|mab|tinib|cillin|mycin|floxacin|"
        r"cycline|prazole|tidine|triptan|gliflozin|glutide|gliptin|parin|xaban|gatran|caine|profen|coxib|"
        r"semide|thiazide|afil|dronate|lukast|terol|olone|sone|azole|ciclovir|amivir|tegravir|navir|"
        r"peridone|apine|azine|barbital|setron|vastatin)s?$", re.IGNORECASE),
    SPANISH: re.compile(
        r"(?:pril|sart[aá]n|olol|dipino|dipina|statina|azepam|azolam|oxetina|triptilina|mab|tinib|cilina|"
        r"micina|floxacino|ciclina|prazol|tidina|tript[aá]n|gliflozina|glutida|gliptina|parina|xab[aá]n|"
        r"gatr[aá]n|ca[ií]na|profeno|coxib|semida|tiazida|afilo|dronato|lukast|terol|olona|sona|azol|"
        r"ciclovir|amivir|peridona|apina|azina|setr[oó]n)s?$", re.IGNORECASE),
}
# A word this common in the language is an everyday word, whatever its ending ("persona", "cholesterol").
RARE_ZIPF = 3.0
# Words before a name that say it is taken as a medicine.
TAKE_WORDS = {"take", "takes", "taking", "took", "taken", "prescribed", "tome", "toma", "tomar", "tomando",
              "tomo", "receto", "receta", "using", "usar"}

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Words of drug names: hyphens part them ("beta-blockers" is "beta blocker", "GLP-1" is "GLP 1").
SIMPLE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# The words after a "do not", numbers whole ("no more than 4,000 mg").
NEGATED_WORD = re.compile(r"\d+(?:[.,:]\d+)*|[^\W_]+(?:['’-][^\W_]+)*")
TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+|[%°º/–—-]")
PHONE = re.compile(r"(?<![\w-])(?:1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}$")


def fold(text: str) -> str:
    """Lower case, accents off, typographic apostrophes plain: how words are compared."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency  # imported late: it loads its word lists on first use

    return zipf_frequency(word, language)


# ---------------------------------------------------------------- the vocabulary of an article


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
        text = resources.files("pipeline.text").joinpath(f"drugs.{language}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            groups.append(tuple(" ".join(name.split()) for name in line.split("|") if name.strip()))
    return tuple(groups)


def _name_tokens(name: str) -> tuple[str, ...]:
    """A listed name's tokens as looked up: each word folded to its stem, abbreviations in capitals."""
    return tuple("=" + _stem(t) if _is_abbreviation(t) else _stem(fold(t)) for t in SIMPLE_WORD.findall(name))


def _is_abbreviation(token: str) -> bool:
    """Capitals, with a plural s allowed: "SSRI", "SSRIs", "ISRS", "SGLT2", "II"."""
    letters = token[:-1] if token.endswith("s") else token
    return 2 <= len(letters) <= 7 and letters.isupper()


def _stem(word: str) -> str:
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


def _token_keys(token: str) -> list[str]:
    """The keys a word of running text may match: its stem, and in capitals if written so."""
    keys = [_stem(fold(token))]
    if _is_abbreviation(token):
        keys.insert(0, "=" + _stem(token))
    return keys


CLASS_HEADS = {ENGLISH: {"inhibitor", "inhibitors", "blocker", "blockers", "agonist", "agonists", "antagonist",
                         "antagonists", "medicine", "medicines", "drug", "drugs", "medication", "medications"},
               SPANISH: {"inhibidor", "inhibidores", "bloqueante", "bloqueantes", "agonista", "agonistas",
                         "antagonista", "antagonistas", "medicamento", "medicamentos", "fármaco", "fármacos"}}
DEFINES_A_DRUG = {
    ENGLISH: re.compile(r"^(?:an?\s+|the\s+)?(?:\w+\s+)?(?:drug|medicine|medication|pill)s?\s+"
                        r"(?:that|for|which|used|to|you|against)\b", re.IGNORECASE),
    SPANISH: re.compile(r"^(?:una?\s+|el\s+|la\s+)?(?:\w+\s+)?(?:medicina|medicamento|fármaco|farmaco|droga|"
                        r"pastilla)s?\s+(?:que|para|contra)\b", re.IGNORECASE),
}


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
    if _drug_like(term, language):
        return True
    return term[:1].isupper() and term[1:].islower() and _zipf(term.lower(), language) < RARE_ZIPF


def _drug_like(word: str, language: str) -> bool:
    """A word that is in no list but reads as a generic drug name: a drug-name ending, and rare."""
    ending = DRUG_ENDINGS.get(language)
    return bool(ending and len(word) >= 6 and ending.search(word) and _zipf(word.lower(), language) < RARE_ZIPF)


# ---------------------------------------------------------------- finding the facts of a text


def find_facts(items: Iterable[Passage], words: Vocabulary) -> list[Fact]:
    """Every fact of some passages, sentence by sentence, in reading order."""
    found: list[Fact] = []
    for item in items:
        for sentence in split_sentences(item.text, words.language):
            found.extend(sentence_facts(sentence, words, item.part, item.heading))
    return found


def sentence_facts(sentence: str, words: Vocabulary, part: int = 0, heading: str | None = None) -> list[Fact]:
    """The facts of one sentence: its numbers, drugs and the negations around them."""
    numbers = _numbers(sentence, words)
    drugs = _drugs(sentence, words)
    facts = [Fact("number", key, text, sentence, part, heading, weak=weak) for key, text, weak, _ in numbers]
    facts += [Fact("drug", key, text, sentence, part, heading) for key, text, _ in drugs]
    anchors = [(start, key) for key, _, weak, start in numbers if not weak] + [(start, key) for key, _, start in drugs]
    facts += _negations(sentence, words, anchors, part, heading)
    return facts


Token = tuple[str, int, int]  # text, start, end


def _numbers(sentence: str, words: Vocabulary) -> list[tuple[tuple[object, ...], str, bool, int]]:
    """(key, text as written, weak, where it starts) for each number of a sentence, in order."""
    language = words.language
    found: list[tuple[tuple[object, ...], str, bool, int]] = []
    for phone in PHONE.finditer(sentence):
        found.append((("phone", re.sub(r"\D", "", phone.group(0))), phone.group(0), False, phone.start()))
    text = PHONE.sub(lambda m: " " * len(m.group(0)), sentence)
    tokens = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]
    i = 0
    while i < len(tokens):
        first = _read_number(tokens, i, text, language)
        if first is None:
            i += 1
            continue
        value, end, in_words, implied = first
        unit, end = (implied, end) if implied else _read_unit(tokens, end, words)
        values: list[float | str] = [value]
        high: float | str | None = None
        join = ""
        joined = _read_join(tokens, i, end, language)
        second = _read_number(tokens, joined[1], text, language) if joined else None
        if joined and second:
            value2, end2, in_words2, implied2 = second
            unit2, end2 = (implied2, end2) if implied2 else _read_unit(tokens, end2, words)
            if not unit or not unit2 or unit == unit2:
                unit, end, in_words = unit or unit2, end2, in_words and in_words2
                if joined[0] == "or":  # "1 or 2 tablets", "911 or 988": two numbers
                    values.append(value2)
                else:  # "80 to 89", "between 80 and 89", "180/120"
                    high, join = value2, joined[0]
        per, end = _read_period(tokens, end)
        written = text[tokens[i][1]:tokens[end - 1][2]]
        # A number in words with no unit counts things in the text ("three main things").
        weak = in_words and not unit and not per
        for each in values:
            key = ("number", _canonical(each), _canonical(high), join, unit, per)
            found.append((key, written, weak, tokens[i][1]))
        i = end
    return sorted(found, key=lambda f: f[3])


def _read_number(tokens: list[Token], i: int, text: str, language: str) -> tuple[float | str, int, bool, str] | None:
    """The number at token ``i``: (value, the token after it, whether in words, the unit a word implies)."""
    token, start, _end = tokens[i]
    if token[0].isdigit():
        # A number glued to a word is part of a name ("COVID-19", "GLP-1", "SGLT2").
        before = text[max(0, start - 2):start]
        if before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha()):
            return None
        if TIME_OF_DAY.match(token):
            return token, i + 1, False, ""
        value = _digits(token, language)
        return (value, i + 1, False, "") if value is not None else None
    word = fold(token)
    if word in TIMES_WORDS.get(language, {}):  # "twice": 2 times
        return float(TIMES_WORDS[language][word]), i + 1, True, "time"
    numbers = NUMBER_WORDS.get(language, {})
    thousand = THOUSAND.get(language, {})
    if word not in numbers and word not in thousand:
        return None
    total, current, j = 0, 0, i
    while j < len(tokens):
        word = fold(tokens[j][0])
        following = fold(tokens[j + 1][0]) if j + 1 < len(tokens) else ""
        if word in numbers:
            if j > i and not _continues(current, numbers[word], language):
                break
            current += numbers[word]
        elif word in HUNDRED.get(language, {}) and 0 < current < 10:
            current *= 100
        elif word in thousand:
            total, current = total + (current or 1) * 1000, 0
        elif word in ("-", "and", "y") and j > i and following in numbers and \
                _continues(current, numbers[following], language):
            pass  # "twenty-four", "one hundred and five", "treinta y cinco"
        else:
            break
        j += 1
    return float(total + current), j, True, ""


def _continues(current: int, value: int, language: str) -> bool:
    """Whether ``value`` goes on the number said so far: "twenty" + "four", "ciento" + "veinte"."""
    if current in TENS.get(language, set()) and value < 10:
        return True
    return current >= 100 and current % 100 == 0 and value < 100


def _digits(token: str, language: str) -> float | None:
    """The value of a number written in digits, by the language's separators."""
    if language == SPANISH:
        # "1.000" is a thousand; "2,5" and "2.5" are two and a half.
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            token = token.replace(".", "")
        token = token.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    if token.count(".") > 1 or ":" in token or "," in token:
        return None
    return float(token)


def _canonical(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(int(value)) if value == int(value) else f"{value:g}"


def _read_unit(tokens: list[Token], i: int, words: Vocabulary) -> tuple[str, int]:
    """The unit after a number ("mg", "minutos", "°C", "mmHg", "24-hour"), and the token after it."""
    j = i + 1 if i + 1 < len(tokens) and tokens[i][0] == "-" else i
    for size in range(max(map(len, words.phrase_units), default=0), 1, -1):
        phrase = tuple(fold(t[0]) for t in tokens[j:j + size])
        if len(phrase) == size and phrase in words.phrase_units:
            return words.phrase_units[phrase], j + size
    if j < len(tokens):
        unit = words.units.get(fold(tokens[j][0]))
        if unit is not None:
            return unit, j + 1
    return "", i


def _read_join(tokens: list[Token], start: int, i: int, language: str) -> tuple[str, int] | None:
    """How a second number may be joined on: "/", "over", "to", "-", "or", "and" after "between"."""
    if i + 1 >= len(tokens):
        return None
    word = fold(tokens[i][0])
    if word in RATIO_WORDS:
        return ("/", i + 1) if tokens[i + 1][0][0].isdigit() else None
    if word in RANGE_WORDS.get(language, {}):
        return RANGE_WORDS[language][word], i + 1
    opening, joining = BETWEEN.get(language, ("", ""))
    if word == joining and start > 0 and fold(tokens[start - 1][0]) == opening:
        return "-", i + 1
    return None


def _read_period(tokens: list[Token], i: int) -> tuple[str, int]:
    """How often: "a day", "per week", "each night", "daily", "al día", "a la semana"."""
    if i >= len(tokens):
        return "", i
    word = fold(tokens[i][0])
    if word in PERIOD_ADVERBS:
        return PERIOD_ADVERBS[word], i + 1
    if word in PER_WORDS:
        j = i + 2 if i + 1 < len(tokens) and fold(tokens[i + 1][0]) == "la" else i + 1
        if j < len(tokens) and fold(tokens[j][0]) in PERIODS:
            return PERIODS[fold(tokens[j][0])], j + 1
    return "", i


def _drugs(sentence: str, words: Vocabulary) -> list[tuple[tuple[object, ...], str, int]]:
    """(key, text as written, where it starts) for each drug name of a sentence."""
    tokens = [(m.group(0), m.start(), m.end()) for m in SIMPLE_WORD.finditer(sentence)]
    found: list[tuple[tuple[object, ...], str, int]] = []
    i = 0
    while i < len(tokens):
        match = _listed_drug(tokens, i, words)
        if match is not None:
            name, end = match
            found.append((("drug", fold(name)), sentence[tokens[i][1]:tokens[end - 1][2]], tokens[i][1]))
            i = end
            continue
        token = tokens[i][0]
        if _drug_like(token, words.language) or _named_like_a_drug(sentence, tokens, i, words):
            found.append((("drug", _stem(fold(token))), token, tokens[i][1]))
        i += 1
    return found


def _listed_drug(tokens: list[Token], i: int, words: Vocabulary) -> tuple[str, int] | None:
    """The listed drug whose name starts at token ``i`` (longest name first), and the token after it."""
    for size in range(min(words.longest, len(tokens) - i), 0, -1):
        options: list[tuple[str, ...]] = [()]
        for token, _start, _end in tokens[i:i + size]:
            options = [option + (key,) for option in options for key in _token_keys(token)]
        for option in options:
            name = words.drugs.get(option)
            if name is not None:
                return name, i + size
    return None


def _named_like_a_drug(sentence: str, tokens: list[Token], i: int, words: Vocabulary) -> bool:
    """A rare capitalised word used as a medicine: taken, dosed, or bracketed with a listed drug (a brand)."""
    token, start, end = tokens[i]
    if not (token[:1].isupper() and token[1:].islower() and len(token) >= 4):
        return False
    if _zipf(token.lower(), words.language) >= RARE_ZIPF:
        return False
    if i and fold(tokens[i - 1][0]) in TAKE_WORDS:
        return True
    if re.match(r"\s*\d+(?:[.,]\d+)?\s*(?:mg|mcg|g|ml|mL)\b", sentence[end:end + 16]):
        return True
    # "sertraline (Zoloft)" or "Zoloft (sertraline)"
    if sentence[:start].rstrip().endswith("(") and i and _listed_drug(tokens, i - 1, words) is not None:
        return True
    return sentence[end:].lstrip().startswith("(") and i + 1 < len(tokens) and \
        _listed_drug(tokens, i + 1, words) is not None


def _negations(sentence: str, words: Vocabulary, anchors: list[tuple[int, tuple[object, ...]]],
               part: int, heading: str | None) -> list[Fact]:
    """Each "do not" that opens an instruction, and each one in a clause with a drug or a number."""
    cues = NEGATION_CUES.get(words.language)
    if cues is None:
        return []
    text = sentence.replace("’", "'")  # same length: positions still match the anchors'
    found: list[Fact] = []
    bounds = [0] + [i for brk in CLAUSE_BREAK.finditer(text) for i in (brk.start(), brk.end())] + [len(text)]
    for start, end in zip(bounds[::2], bounds[1::2], strict=False):
        clause = text[start:end]
        for cue in cues.finditer(clause):
            lead = [fold(w) for w in WORD.findall(clause[:cue.start()])]
            instruction = all(w in LEAD_INS.get(words.language, set()) for w in lead)
            rest = clause[cue.end():]
            if words.language == ENGLISH and fold(cue.group(0)) == "no" and not instruction and \
                    not re.match(r"\s+(?:more|less|fewer|later|longer)\b", rest, re.IGNORECASE):
                continue  # "no" inside a clause says "do not" only as "no more than"
            inside = frozenset(key for where, key in anchors if start <= where < end)
            if not instruction and not inside:
                continue
            after = list(NEGATED_WORD.finditer(rest))
            skip = NOT_THE_VERB.get(words.language, set())
            verb = next((w.group(0) for w in after if fold(w.group(0)) not in skip and not w.group(0)[0].isdigit()), "")
            written = clause[cue.start():cue.end() + (after[:3][-1].end() if after else 0)]
            found.append(Fact("negation", ("negation", fold(verb), inside), written, sentence, part, heading,
                              anchors=inside, verb=_verb_stem(verb, words)))
    return found


def _verb_stem(verb: str, words: Vocabulary) -> str:
    """A verb without its ending, after the plain-words list ("aplique" is "ponga")."""
    word = fold(verb)
    word = words.plain_words.get(word, word)
    for ending in ("ing", "ed", "es", "s", "e", "ar", "er", "ir", "a", "o", "an", "en"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


# ---------------------------------------------------------------- comparing two editions


def same_fact(a: Fact, b: Fact) -> bool:
    """Whether two facts say the same: same drug, same number with compatible unit and rate, same negation."""
    if a.kind != b.kind:
        return False
    if a.kind == "drug":
        return a.key == b.key
    if a.kind == "number":
        if a.key[0] == "phone" or b.key[0] == "phone":
            return a.key == b.key
        _n, low_a, high_a, join_a, unit_a, per_a = a.key
        _n, low_b, high_b, join_b, unit_b, per_b = b.key
        return (low_a == low_b and high_a == high_b and join_a == join_b
                and _compatible(str(unit_a), str(unit_b)) and (not per_a or not per_b or per_a == per_b))
    # Negations: the same drug or number negated; or, where either has none, the same verb.
    if a.anchors and b.anchors:
        return bool(a.anchors & b.anchors)
    return bool(a.verb and b.verb and (a.verb.startswith(b.verb) or b.verb.startswith(a.verb)))


def _compatible(unit_a: str, unit_b: str) -> bool:
    if not unit_a or not unit_b or unit_a == unit_b:
        return True
    return UNIT_FAMILIES.get(unit_a, unit_a) == UNIT_FAMILIES.get(unit_b, unit_b)


def compare(original: Sequence[Fact], plain: Sequence[Fact], explained: Sequence[Fact] = ()) -> FactReport:
    """What ``plain`` drops of ``original`` and adds to it; ``explained`` facts (the glossary's) are never added."""
    dropped = _unique(f for f in original if not f.weak and not any(same_fact(f, p) for p in plain))
    added = _unique(f for f in plain if not f.weak and not any(same_fact(f, o) for o in original)
                    and not any(same_fact(f, e) for e in explained))
    return FactReport(dropped=tuple(dropped), added=tuple(added),
                      original_count=len(_unique(f for f in original if not f.weak)),
                      plain_count=len(_unique(f for f in plain if not f.weak)))


def _unique(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per key (its first sentence), in reading order."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for fact in facts:
        if fact.key not in seen:
            seen.add(fact.key)
            out.append(fact)
    return out


def glossary_facts(glossary: Glossary, words: Vocabulary) -> list[Fact]:
    """Facts the glossary's own meanings name: shown on a page beside a term, never "added" by an edition."""
    texts = [meaning for _term, meaning in glossary.terms] + [meaning for _a, meaning in glossary.abbreviations]
    return find_facts((Passage(0, None, t) for t in texts), words)


def document_vocabulary(document: Document) -> Vocabulary:
    return vocabulary(document.lang, document.glossary, document.lexicon)


def guard(document: Document, edition: Edition | None = None) -> FactReport:
    """The fact guard on an article and its plain edition (by default its own, or else the automatic draft)."""
    from .plain_draft import draft_edition

    if edition is None:
        edition = document.plain if document.plain is not None else draft_edition(document)
    words = document_vocabulary(document)
    return compare(find_facts(passages(document_parts(document)), words),
                   find_facts(passages(plain_parts(edition)), words), glossary_facts(document.glossary, words))
