"""French: France's and Canada's, read by Kokoro's French voice."""

from __future__ import annotations

import re

from .. import N_, Braille, FactWords, Language, Reading, flesch_ease

WORD = re.compile(r"[^\W_]+(?:(?:['’.-]|(?<=\d),(?=\d))[^\W_]+)*")
VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+", re.IGNORECASE)


def syllables(word: str) -> int:
    """Syllables of a French word as written: vowel groups, less a final mute e ("comprimé" 3, "dose" 1)."""
    lowered = word.lower()
    if any(ch.isdigit() for ch in lowered):
        return max(1, len(lowered) // 2)
    count = len(VOWELS.findall(lowered))
    if count > 1 and re.search(r"[^aeiouyéè]e(s|nt)?$", lowered) and not lowered.endswith(("ment",)):
        count -= 1
    return max(1, count)


def words(text: str) -> list[str]:
    return WORD.findall(text)


NUMBER_WORDS = {
    **{w: i for i, w in enumerate(
        "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
        "dix-sept dix-huit dix-neuf vingt".split())},
    "une": 1, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70,
    "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90, "cent": 100, "cents": 100,
}

FACTS = FactWords(
    number_words=NUMBER_WORDS,
    tens=frozenset({20, 30, 40, 50, 60}),
    hundred={"cent": 100, "cents": 100},
    thousand={"mille": 1000},
    times_words={},
    units={
        "mg": "milligramme milligrammes", "mcg": "microgramme microgrammes", "g": "gramme grammes",
        "kg": "kilogramme kilogrammes", "ml": "millilitre millilitres", "l": "litre litres",
        "unit": "unite unites", "%": "pourcent", "°": "degre degres", "second": "seconde secondes",
        "minute": "minute minutes", "hour": "heure heures", "day": "jour jours", "week": "semaine semaines",
        "month": "mois", "year": "an ans annee annees", "time": "fois",
        "pill": "comprime comprimes gelule gelules cachet cachets capsule capsules pilule pilules",
        "dose": "dose doses", "drop": "goutte gouttes", "puff": "bouffee bouffees inhalation inhalations",
        "cup": "tasse tasses verre verres", "teaspoon": "cuillere cuilleres", "step": "pas etape etapes",
        "cm": "centimetre centimetres", "mm": "millimetre millimetres", "calorie": "calorie calories",
    },
    phrase_units={("pour", "cent"): "%", ("battements", "par", "minute"): "bpm", ("degres", "celsius"): "°c"},
    periods={"jour": "day", "nuit": "night", "semaine": "week", "mois": "month", "heure": "hour", "an": "year",
             "matin": "morning"},
    per_words=frozenset({"par", "chaque"}),
    period_adverbs={"quotidien": "day", "quotidienne": "day", "quotidiennement": "day",
                    "hebdomadaire": "week", "mensuel": "month", "mensuelle": "month"},
    range_words={"a": "-", "-": "-", "–": "-", "—": "-", "ou": "or"},
    between=("entre", "et"),
    # ne … pas / jamais / plus / rien: the "ne" (or "n'") stands before the verb it negates.
    negation_cues=r"ne|n['’]|jamais",
    lead_ins=frozenset({"et", "mais", "alors", "aussi", "vous", "s'il", "plait"}),
    not_the_verb=frozenset({"se", "le", "la", "les", "lui", "leur", "me", "te", "nous", "vous", "y", "en", "pas",
                            "plus", "jamais", "doit", "devez", "faut"}),
    verb_endings=("issez", "ons", "ent", "ez", "er", "ir", "re", "es", "e"),
    clause_breaks=("mais",),
    drug_endings=(r"(?:pril|sartan|olol|dipine|statine|azepam|azolam|oxetine|mab|tinib|cilline|mycine|"
                  r"floxacine|cycline|prazole|tidine|triptan|gliflozine|glutide|gliptine|parine|xaban|"
                  r"caine|profene|coxib|semide|thiazide|afil|dronate|lukast|terol|olone|sone|azole|"
                  r"ciclovir|peridone|apine|azine|setron|etamine|amine)s?$"),
    class_heads=frozenset({"inhibiteur", "inhibiteurs", "bloquant", "bloquants", "agoniste", "agonistes",
                           "antagoniste", "antagonistes", "medicament", "medicaments"}),
    defines_a_drug=(r"^(?:une?\s+|le\s+|la\s+)?(?:\w+\s+)?(?:medicament|médicament|comprimé|comprime)s?\s+"
                    r"(?:qui|pour|contre)\b"),
    take_words=frozenset({"prenez", "prendre", "prend", "pris", "prescrit", "prescrite", "utiliser"}),
)

LANGUAGE = Language(
    code="fr",
    name="French",
    native="français",
    offered=(("fr-FR", "French (France)"), ("fr-CA", "French (Canada)")),
    espeak={"": ("fr-fr", "fr"), "fr-fr": ("fr-fr", "fr"), "fr-ca": ("fr-fr", "fr")},
    disclaimer_words=r"avertissement|avis(?: important)?|mise en garde",
    abbreviations=r"Dr|Dre|Pr|M|Mme|Mlle|etc|env|p\.\s?ex|cf|no|tél|vs",
    reading=Reading(
        measure="Kandel-Moles (Flesch adapted to French)",
        target="60 or more ('standard' or easier)",
        source="Kandel and Moles 1958: 207 - 1.015 x words/sentence - 73.6 x syllables/word, on Flesch's scale",
        score=flesch_ease("Kandel-Moles", 207.0, 1.015, 73.6, 60.0,
                          ((90, "très facile"), (80, "facile"), (70, "plutôt facile"), (60, "standard"),
                           (50, "plutôt difficile"), (30, "difficile"), (0, "très difficile")),
                          syllables, words)),
    # French braille readers are first taught, and most documents are made in, uncontracted
    # ("intégral") braille; abrégé (grade 2) is for fluent readers who ask for it.
    braille=Braille(tables=("fr-bfu-comp6.utb", "fr-bfu-g2.ctb"), grade=1, code_name=N_("French braille"),
                    source="Code braille français uniformisé (2008); liblouis fr-bfu tables"),
    stopwords=frozenset("""
a au aux avec ce ces cette dans de des du elle elles en est et etre il ils je la le les leur leurs lui
mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
toi ton tu un une vos votre vous y ecouter
""".split()),
    spaced_thousands=True,
    spaced_punctuation=True,
    sample_sentence="Voici comment votre fiche sonnera lorsqu'elle sera lue à voix haute.",
    everyday_zipf=4.0,
    facts=FACTS,
    heard_by_sound=True,
    # The target set when French and Portuguese joined: 0.88 of the content words.
    heard_target=0.88,
)
