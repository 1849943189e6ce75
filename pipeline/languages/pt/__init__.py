"""Portuguese: Brazil's, read by Kokoro's Brazilian voices."""

from __future__ import annotations

import re

from .. import N_, Braille, FactWords, Language, Reading, flesch_ease

WORD = re.compile(r"[^\W_]+(?:(?:['’.-]|(?<=\d),(?=\d))[^\W_]+)*")
VOWELS = re.compile(r"[aeiouáéíóúâêôãõàü]+", re.IGNORECASE)
# An accented í or ú beside another vowel is a syllable of its own ("saúde", "país").
HIATUS = re.compile(r"[aeiou][íú]|[íú][aeiou]", re.IGNORECASE)


def syllables(word: str) -> int:
    """Syllables of a Portuguese word as written: vowel groups, with a hiatus at an accented í or ú."""
    lowered = word.lower()
    if any(ch.isdigit() for ch in lowered):
        return max(1, len(lowered) // 2)
    return max(1, len(VOWELS.findall(lowered)) + len(HIATUS.findall(lowered)))


def words(text: str) -> list[str]:
    return WORD.findall(text)


NUMBER_WORDS = {
    **{w: i for i, w in enumerate(
        "zero um dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis "
        "dezessete dezoito dezenove vinte".split())},
    "uma": 1, "duas": 2, "quatorze": 14,
    **{w: 10 * i for i, w in enumerate("trinta quarenta cinquenta sessenta setenta oitenta noventa".split(), 3)},
    "cem": 100, "cento": 100, "duzentos": 200, "duzentas": 200, "trezentos": 300, "quinhentos": 500,
}

FACTS = FactWords(
    number_words=NUMBER_WORDS,
    tens=frozenset({20, 30, 40, 50, 60, 70, 80, 90}),
    thousand={"mil": 1000},
    units={
        "mg": "miligrama miligramas", "mcg": "micrograma microgramas", "g": "grama gramas",
        "kg": "quilo quilos quilograma quilogramas", "ml": "mililitro mililitros", "l": "litro litros",
        "unit": "unidade unidades", "%": "porcento", "°": "grau graus", "second": "segundo segundos",
        "minute": "minuto minutos", "hour": "hora horas", "day": "dia dias", "week": "semana semanas",
        "month": "mes meses", "year": "ano anos", "time": "vez vezes",
        "pill": "comprimido comprimidos capsula capsulas pilula pilulas", "dose": "dose doses",
        "drop": "gota gotas", "puff": "jato jatos inalacao inalacoes", "cup": "copo copos xicara xicaras",
        "teaspoon": "colherzinha", "tablespoon": "colher colheres", "step": "passo passos",
        "cm": "centimetro centimetros", "mm": "milimetro milimetros", "calorie": "caloria calorias",
    },
    phrase_units={("por", "cento"): "%", ("batimentos", "por", "minuto"): "bpm", ("graus", "celsius"): "°c"},
    periods={"dia": "day", "noite": "night", "semana": "week", "mes": "month", "hora": "hour", "ano": "year",
             "manha": "morning"},
    per_words=frozenset({"por", "cada", "ao", "a"}),
    period_adverbs={"diario": "day", "diaria": "day", "diariamente": "day", "semanal": "week",
                    "mensal": "month"},
    range_words={"a": "-", "ate": "-", "-": "-", "–": "-", "—": "-", "ou": "or"},
    between=("entre", "e"),
    negation_cues=r"não|nao|nunca|jamais|nem",
    lead_ins=frozenset({"e", "mas", "entao", "tambem", "voce", "por", "favor"}),
    not_the_verb=frozenset({"se", "o", "a", "os", "as", "lhe", "lhes", "me", "te", "nos", "voce", "deve",
                            "devem", "mais", "menos"}),
    verb_endings=("ando", "endo", "indo", "amos", "emos", "ar", "er", "ir", "am", "em", "as", "es", "a", "e", "o"),
    clause_breaks=("mas",),
    drug_endings=(r"(?:pril|sartana|olol|dipino|dipina|statina|azepam|azolam|oxetina|mabe|tinibe|cilina|"
                  r"micina|floxacino|ciclina|prazol|tidina|triptana|gliflozina|glutida|gliptina|parina|"
                  r"xabana|caina|profeno|coxibe|semida|tiazida|afila|dronato|lucaste|terol|olona|sona|azol|"
                  r"ciclovir|peridona|apina|azina|setrona|etamina)s?$"),
    class_heads=frozenset({"inibidor", "inibidores", "bloqueador", "bloqueadores", "agonista", "agonistas",
                           "antagonista", "antagonistas", "medicamento", "medicamentos", "remedio", "remedios"}),
    defines_a_drug=(r"^(?:uma?\s+|o\s+|a\s+)?(?:\w+\s+)?(?:medicamento|remédio|remedio|comprimido)s?\s+"
                    r"(?:que|para|contra)\b"),
    take_words=frozenset({"tome", "tomar", "toma", "tomando", "tomou", "receitado", "receitada", "usar"}),
)

LANGUAGE = Language(
    code="pt",
    name="Portuguese",
    native="português",
    offered=(("pt-BR", "Portuguese (Brazil)"),),
    # A bare "pt" is read as Brazil's: the clinics this is made for serve Brazilian patients.
    espeak={"": ("pt-br", "pt"), "pt-br": ("pt-br", "pt"), "pt-pt": ("pt",)},
    disclaimer_words=r"aviso(?: importante| legal)?|isenção de responsabilidade",
    abbreviations=r"Dr|Dra|Sr|Sra|Srta|etc|aprox|n[ºo]|pág|tel|vs|p\.\s?ex",
    reading=Reading(
        measure="Flesch adapted to Portuguese (Martins et al. 1996)",
        target="75 or more ('very easy')",
        source="Martins, Ghiraldelo, Nunes and Oliveira Jr. 1996: 248.835 - 1.015 x words/sentence - "
               "84.6 x syllables/word; 75-100 very easy, 50-75 easy, 25-50 hard, 0-25 very hard",
        score=flesch_ease("Flesch (Martins)", 248.835, 1.015, 84.6, 75.0,
                          ((75, "muito fácil"), (50, "fácil"), (25, "difícil"), (0, "muito difícil")),
                          syllables, words)),
    # Brazil's readers are served in Grafia Braille para a Língua Portuguesa, almost always uncontracted.
    braille=Braille(tables=("pt-pt-g1.utb", "pt-pt-g2.ctb"), grade=1, code_name=N_("Portuguese braille"),
                    # liblouis's pt-pt tables read ⠎⠎ back as "§" and a capital M (⠨⠍) as "µ".
                    backward_print={"§": "ss", "µ": "M"},
                    source="Grafia Braille para a Língua Portuguesa (Brazil and Portugal, 2002; 3rd ed. 2018)"),
    stopwords=frozenset("""
a ao aos as com como da das de do dos e ela elas ele eles em era essa esse esta este eu foi ha isso
isto ja lhe mais mas me mesmo meu minha muito na nao nas nem no nos o os ou para pela pelo por qual
quando que se sem ser seu sua so tambem te tem um uma voce voces escutar ouvir
""".split()),
    spaced_thousands=True,
    sample_sentence="É assim que o seu folheto vai soar quando for lido em voz alta.",
    everyday_zipf=4.0,
    facts=FACTS,
    heard_by_sound=True,
    # The target set when French and Portuguese joined: 0.88 of the content words.
    heard_target=0.88,
)
