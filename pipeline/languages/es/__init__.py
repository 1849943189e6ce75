"""Spanish: Latin American by default, Spain's where the tag says so."""

from __future__ import annotations

from .. import N_, Braille, FactWords, Language, Reading

NUMBER_WORDS = {
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
}

FACTS = FactWords(
    number_words=NUMBER_WORDS,
    tens=frozenset({30, 40, 50, 60, 70, 80, 90}),
    thousand={"mil": 1000},
    units={
        "mg": "miligramo miligramos", "mcg": "microgramo microgramos", "g": "gramo gramos",
        "kg": "kilogramo kilogramos", "ml": "mililitro mililitros", "l": "litro litros",
        "unit": "ui unidad unidades", "%": "porcentaje", "°": "grado grados", "second": "segundo segundos",
        "minute": "minuto minutos", "hour": "hora horas", "day": "dia dias", "week": "semana semanas",
        "month": "mes meses", "year": "ano anos", "time": "vez veces",
        "pill": ("comprimido comprimidos pastilla pastillas tableta tabletas capsula capsulas gragea grageas"),
        "dose": "dosis", "drop": "gota gotas", "puff": "inhalacion inhalaciones",
        "spray": "pulverizacion pulverizaciones", "drink": "copa copas bebida bebidas",
        "cup": "taza tazas vaso vasos", "teaspoon": "cucharadita cucharaditas",
        "tablespoon": "cucharada cucharadas", "pound": "libra libras", "ounce": "onza onzas",
        "inch": "pulgada pulgadas", "cm": "centimetro centimetros", "mm": "milimetro milimetros",
        "step": "paso pasos", "calorie": "caloria calorias",
    },
    phrase_units={("por", "ciento"): "%", ("latidos", "por", "minuto"): "bpm", ("grados", "centigrados"): "°c",
                  ("grados", "celsius"): "°c"},
    periods={"dia": "day", "noche": "night", "semana": "week", "mes": "month", "hora": "hour", "ano": "year",
             "manana": "morning"},
    per_words=frozenset({"al", "por", "cada", "a la", "la"}),
    period_adverbs={"diario": "day", "diaria": "day", "diarios": "day", "diarias": "day", "semanal": "week",
                    "semanales": "week", "mensual": "month", "mensuales": "month"},
    range_words={"a": "-", "hasta": "-", "-": "-", "–": "-", "—": "-", "o": "or", "u": "or"},
    between=("entre", "y"),
    ratio_words={"sobre": "/"},
    negation_cues=r"no|nunca|jam[aá]s|tampoco",
    lead_ins=frozenset({"y", "pero", "entonces", "tambien", "usted", "por", "favor"}),
    not_the_verb=frozenset({"se", "le", "lo", "la", "les", "los", "las", "me", "te", "nos", "usted", "debe",
                            "deben", "deberia", "hay", "que", "mas", "menos"}),
    verb_endings=("iendo", "ando", "amos", "emos", "imos", "ar", "er", "ir", "an", "en", "as", "es", "a", "e", "o"),
    clause_breaks=("pero",),
    drug_endings=(r"(?:pril|sart[aá]n|olol|dipino|dipina|statina|azepam|azolam|oxetina|triptilina|mab|tinib|"
                  r"cilina|micina|floxacino|ciclina|prazol|tidina|tript[aá]n|gliflozina|glutida|gliptina|parina|"
                  r"xab[aá]n|gatr[aá]n|ca[ií]na|profeno|coxib|semida|tiazida|afilo|dronato|lukast|terol|olona|"
                  r"sona|azol|ciclovir|amivir|peridona|apina|azina|setr[oó]n)s?$"),
    class_heads=frozenset({"inhibidor", "inhibidores", "bloqueante", "bloqueantes", "agonista", "agonistas",
                           "antagonista", "antagonistas", "medicamento", "medicamentos", "fármaco", "fármacos"}),
    defines_a_drug=(r"^(?:una?\s+|el\s+|la\s+)?(?:\w+\s+)?(?:medicina|medicamento|fármaco|farmaco|droga|"
                    r"pastilla)s?\s+(?:que|para|contra)\b"),
    take_words=frozenset({"tome", "toma", "tomar", "tomando", "tomo", "receto", "receta", "usar"}),
)

_AMERICAS = ("us", "mx", "419", "ar", "bo", "cl", "co", "cr", "cu", "do", "ec", "gt", "hn", "ni", "pa", "pe", "pr",
             "py", "sv", "uy", "ve")

LANGUAGE = Language(
    code="es",
    name="Spanish",
    native="español",
    offered=(("es-US", "Spanish (United States)"), ("es-MX", "Spanish (Mexico)"),
             ("es-419", "Spanish (Latin America)"), ("es-ES", "Spanish (Spain)")),
    # A bare "es" and Spanish from the Americas (es-MX, es-US, …) are read in Latin American Spanish,
    # the Spanish of most patients of US clinics; only Spain's (es-ES) in Spain's. The settings file's
    # spanish_accent = "spain" reads a bare "es" in Spain's.
    espeak={"": ("es-419", "es"), "es-es": ("es",), **{f"es-{region}": ("es-419", "es") for region in _AMERICAS}},
    disclaimer_words=r"aviso(?: importante| legal)?|descargo de responsabilidad",
    abbreviations=r"Dr|Dra|Dres|Sr|Sra|Srta|Sres|Ud|Uds|Vd|Vds|etc|aprox|núm|pág|tel|vs|p\.\s?ej|EE|EE\.\s?UU",
    reading=Reading(measure="Flesch-Szigriszt (INFLESZ) and SOL",
                    target="INFLESZ 65 or more ('bastante fácil') and SOL grade 6 or below",
                    source="Barrio-Cantalejo et al. 2008 (INFLESZ); Contreras et al. 1999 (SOL)"),
    # Most Spanish-speaking braille readers are taught and served in uncontracted braille
    # ("braille integral"); contracted Spanish is a minority use.
    braille=Braille(tables=("es-g1.ctb", "es-g2.ctb"), grade=1, code_name=N_("Spanish braille"),
                    unreliable_backward={
                        "es-g2.ctb": "liblouis's es-g2 table translates contracted Spanish back only in part "
                                     "('tratamiento' comes back as 'entreatami5to'); grade 1 (es-g1) is checked "
                                     "in full"},
                    source="ONCE and the Comisión Braille Española: braille integral for most readers"),
    stopwords=frozenset("""
al algo algunas algunos ante antes como con contra cual cuando del desde donde durante ella ellas ellos
entre era eres esa esas ese eso esos esta estan estar estas este esto estos hasta hay les los las mas
mucho muchos muy nada nos nosotros otra otras otro otros para pero poco por porque que quien quienes
sea ser si sin sobre son sus tambien tanto todo todos una uno unos usted ustedes escuchar
""".split()),
    spaced_thousands=True,
    sample_sentence="Así sonará su folleto cuando se lea en voz alta.",
    # Spanish words are longer (SOL converts SMOG for that), so everyday Spanish words of three syllables are rarer.
    everyday_zipf=3.8,
    facts=FACTS,
)
