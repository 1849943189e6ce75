"""The words each language needs to find facts: number words, units, periods, ranges, negation cues, drug endings."""

from __future__ import annotations

import re

from ..words import ENGLISH, SPANISH

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
# The words after a "do not", numbers whole ("no more than 4,000 mg").
NEGATED_WORD = re.compile(r"\d+(?:[.,:]\d+)*|[^\W_]+(?:['’-][^\W_]+)*")
TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+|[%°º/–—-]")
PHONE = re.compile(r"(?<![\w-])(?:1[-. ])?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}$")
Token = tuple[str, int, int]  # text, start, end
