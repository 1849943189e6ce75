"""English: the language handout's own messages are written in."""

from __future__ import annotations

from .. import N_, Braille, FactWords, Language, Reading

NUMBER_WORDS = {
    **{w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split())},
    **{w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)},
}

FACTS = FactWords(
    number_words=NUMBER_WORDS,
    tens=frozenset({20, 30, 40, 50, 60, 70, 80, 90}),
    hundred={"hundred": 100},
    thousand={"thousand": 1000},
    times_words={"once": 1, "twice": 2, "thrice": 3},
    units={
        "mg": "mg milligram milligrams", "mcg": "mcg µg μg ug microgram micrograms", "g": "g gr gram grams",
        "kg": "kg kgs kilo kilos kilogram kilograms",
        "ml": "ml milliliter milliliters millilitre millilitres cc", "l": "l liter liters litre litres",
        "mmhg": "mmhg", "mmol": "mmol", "meq": "meq", "unit": "unit units iu", "%": "% percent",
        "°": "° º degree degrees", "second": "second seconds sec secs", "minute": "minute minutes min mins",
        "hour": "hour hours hr hrs h", "day": "day days", "week": "week weeks wk wks", "month": "month months",
        "year": "year years yr yrs", "time": "time times",
        "pill": "pill pills tablet tablets capsule capsules caplet caplets", "dose": "dose doses",
        "drop": "drop drops", "puff": "puff puffs", "spray": "spray sprays", "drink": "drink drinks",
        "cup": "cup cups glass glasses", "teaspoon": "teaspoon teaspoons tsp",
        "tablespoon": "tablespoon tablespoons tbsp", "pound": "pound pounds lb lbs", "ounce": "ounce ounces oz",
        "inch": "inch inches", "cm": "cm centimeter centimeters centimetre centimetres",
        "mm": "mm millimeter millimeters millimetre millimetres", "bpm": "bpm", "step": "step steps",
        "calorie": "calorie calories kcal", "am": "am", "pm": "pm",
    },
    phrase_units={("per", "cent"): "%", ("beats", "per", "minute"): "bpm", ("beats", "a", "minute"): "bpm",
                  ("degrees", "celsius"): "°c", ("degrees", "fahrenheit"): "°f"},
    periods={"day": "day", "days": "day", "night": "night", "week": "week", "month": "month", "hour": "hour",
             "year": "year", "morning": "morning"},
    per_words=frozenset({"a", "an", "per", "each", "every"}),
    period_adverbs={"daily": "day", "nightly": "night", "weekly": "week", "monthly": "month", "hourly": "hour",
                    "yearly": "year"},
    range_words={"to": "-", "through": "-", "-": "-", "–": "-", "—": "-", "or": "or"},
    between=("between", "and"),
    ratio_words={"over": "/"},
    negation_cues=(r"(?:do|does|did|should|must|can|could|will|would|may|is|are|was)\s+not|don't|doesn't|didn't|"
                   r"shouldn't|mustn't|can't|cannot|won't|wouldn't|isn't|aren't|wasn't|never|no|not"),
    lead_ins=frozenset({"and", "but", "so", "then", "also", "please", "just", "you", "should", "must", "and,"}),
    not_the_verb=frozenset({"always", "ever", "just", "yet", "really", "usually", "even", "again", "to", "be",
                            "you", "more", "less", "than", "any", "over"}),
    verb_endings=("ing", "ed", "es", "s", "e"),
    clause_breaks=("but", "then"),
    drug_endings=(r"(?:pril|sartan|olol|dipine|statin|azepam|azolam|oxetine|triptyline|mab|tinib|cillin|mycin|"
                  r"floxacin|cycline|prazole|tidine|triptan|gliflozin|glutide|gliptin|parin|xaban|gatran|caine|"
                  r"profen|coxib|semide|thiazide|afil|dronate|lukast|terol|olone|sone|azole|ciclovir|amivir|"
                  r"tegravir|navir|peridone|apine|azine|barbital|setron|vastatin)s?$"),
    class_heads=frozenset({"inhibitor", "inhibitors", "blocker", "blockers", "agonist", "agonists", "antagonist",
                           "antagonists", "medicine", "medicines", "drug", "drugs", "medication", "medications"}),
    defines_a_drug=(r"^(?:an?\s+|the\s+)?(?:\w+\s+)?(?:drug|medicine|medication|pill)s?\s+"
                    r"(?:that|for|which|used|to|you|against)\b"),
    take_words=frozenset({"take", "takes", "taking", "took", "taken", "prescribed", "using"}),
)

LANGUAGE = Language(
    code="en",
    name="English",
    native="English",
    offered=(("en", "English"), ("en-GB", "English (United Kingdom)")),
    # A bare "en" is read in US English: the clinics this is made for are American.
    espeak={"": ("en-us",)},
    disclaimer_words=r"disclaimer",
    abbreviations=r"e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|vs|U\.S|approx|No",
    reading=Reading(measure="SMOG and Flesch-Kincaid", target="grade 6 or below (the higher of the two)",
                    source="AMA and NIH: patient materials at a 6th-grade reading level"),
    braille=Braille(tables=("en-ueb-g1.ctb", "en-ueb-g2.ctb"), grade=2, code_name=N_("Unified English Braille"),
                    source="BANA adopted UEB in 2016; most adult readers read it contracted (grade 2)"),
    stopwords=frozenset("""
a about after all also an and any are as at be been before being but by can could did do does
for from had has have he her his how i if in into is it its just may me more most my no not of
on only or our out over own she should so some such than that the their them then there these
they this those to too under up us very was we were what when which while who why will with
would you your listen
""".split()),
    sample_sentence="This is how your handout will sound when it is read aloud.",
    everyday_zipf=5.0,
    facts=FACTS,
)
