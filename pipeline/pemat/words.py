"""The words PEMAT-P items are judged by, per language: actions, passives, generic headings, summaries, tools.

English and Spanish have every list, so every item a program can judge is
judged in them. French, Portuguese and Chinese have the heading, summary and
tool words (items 9, 11 and 23); their word-based items are asked of staff.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PematWords:
    """One language's words for the PEMAT-P items (regular expressions match folded text: lower case, no accents)."""

    generic_headings: frozenset[str]
    summary_headings: str
    tool_headings: str
    # Empty in a language whose word-based items are asked of staff.
    imperatives: frozenset[str] = frozenset()
    you_action: str = ""
    others_action: str = ""
    passive: str = ""
    not_passive: frozenset[str] = frozenset()
    explained_percent: str = ""
    calculation: str = ""
    example: str = ""
    defines: str = ""
    pemat_pairs: tuple[tuple[str, str], ...] = field(default=())

    @property
    def judges_words(self) -> bool:
        return bool(self.imperatives)


MEDICAL_ENDINGS = re.compile(r"\b\w{3,}(?:itis|osis|ectomy|ectomia|emia|aemia|ology|ologia|opathy|opatia|algia|"
                             r"oma|oscopy|oscopia|plasty|plastia|otomy|otomia|ostomy|ostomia|iasis|spasm|espasmo|"
                             r"cardia|pharynx|faringe|pnea|pnoea|uria|trophy|trofia|megaly|megalia|rrhea|rrhoea|rrea)\b",
                             re.IGNORECASE)
ABBREVIATION = re.compile(r"\b[A-ZÁÉÍÓÚÑ]{2,6}s?\b")

ENGLISH = PematWords(
    generic_headings=frozenset({"introduction", "intro", "other", "others", "miscellaneous", "misc", "general",
                                "background", "overview", "details", "information", "more", "notes",
                                "other information", "additional information", "more information", "part 1",
                                "section 1", "text", "body"}),
    summary_headings=r"\b(summary|key points?|main points?|in short|in brief|remember|what to remember|bottom line)\b",
    tool_headings=r"\b(checklist|check list|questions to ask|log|diary|tracker|planner|worksheet|to-do)\b",
    imperatives=frozenset("""ask call take tell talk bring write keep check go get use avoid stop start drink eat wash
        make plan follow read see let try find give wait rest walk store throw put set list share note watch seek
        contact book visit sleep lie sit stand breathe carry wear skip limit choose learn remember expect arrange
        do don't never always please be have join add mark fill tick record measure weigh cut cover clean apply
        open close press hold turn look plug place push pull return come bring phone text email sign""".split()),
    you_action=r"\byou\s+(?:can|could|should|must|need to|will need to|may want to|might want to|have to|will)\b",
    others_action=r"\b(?:patients?|people|the person|persons|one|adults|users|individuals)\s+(?:should|must|need to"
                  r"|have to|are advised to|is advised to)\b",
    passive=r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(\w+ed|known|given|taken|seen|done|made|"
            r"shown|found|written|told|held|kept|thought|brought|sent|left|begun|chosen|driven|eaten|grown|"
            r"drawn|spoken|worn|hidden|forgotten|paid|sold|led|met|put|read|set|cut|hurt)\b",
    not_passive=frozenset({"tired", "scared", "worried", "interested", "married", "excited", "concerned",
                           "pleased", "bored", "supposed", "used", "confused", "upset", "afraid", "based",
                           "related", "allowed", "needed", "advised", "prepared", "limited", "sized"}),
    explained_percent=r"\b\d+\s+(?:in|out of)\s+(?:every\s+)?\d+\b",
    calculation=r"\b(?:calculate|calculating|multiply|divide|add up|subtract|work out how (?:much|many)|per "
                r"(?:kg|kilogram|kilo|pound|lb)|mg/kg|times your weight|percent of your)\b",
    example=r"\b(?:for example|for instance|e\.g\.|such as)\b",
    defines=r"\(|\b(?:means|is a|is an|is the|are|called|is when)\b|—|: ",
    pemat_pairs=(("physician", "doctor"), ("utilize", "use")),
)

SPANISH = PematWords(
    generic_headings=frozenset({"introduccion", "otros", "otras", "otro", "otra", "varios", "general",
                                "generalidades", "antecedentes", "informacion", "detalles", "notas",
                                "mas informacion", "otra informacion", "informacion adicional", "texto"}),
    summary_headings=r"\b(resumen|puntos clave|puntos principales|en resumen|en breve|recuerde|lo mas importante)\b",
    tool_headings=r"\b(lista de control|lista de verificacion|lista de comprobacion|preguntas para|preguntas que|"
                  r"registro|diario|planificador|hoja de trabajo)\b",
    imperatives=frozenset("""pregunte llame tome hable diga traiga escriba guarde revise vaya use evite deje empiece
        beba coma lavese lave haga planee siga lea vea espere descanse camine lleve busque consulte pida anote
        mantenga duerma respire elija recuerde no nunca siempre asegurese acuda informe avise cuente tenga sea
        este pongase ponga marque llene mida pese cubra limpie aplique abra cierre presione sostenga mire
        coloque vuelva venga envie firme hagase vacunese""".split()),
    you_action=r"\b(?:usted\s+)?(?:puede|podria|debe|deberia|necesita|tiene que|tendra que)\s+\w+",
    others_action=r"\b(?:los pacientes|el paciente|la paciente|las personas|la persona|los adultos|los usuarios)\s+"
                  r"(?:debe|deben|tiene que|tienen que|necesita|necesitan)\b",
    passive=r"\b(?:es|son|fue|fueron|ser|sido|sera|seran|era|eran|sea|sean)\s+(?:\w+mente\s+)?(\w+(?:ado|ada|ados|"
            r"adas|ido|ida|idos|idas|cho|cha|chos|chas|sto|sta|stos|stas))\b",
    not_passive=frozenset({"cansado", "cansada", "preocupado", "preocupada", "casado", "casada", "importante",
                           "necesario", "necesaria", "seguido", "pesado", "pesada", "delicado", "delicada",
                           "adecuado", "adecuada", "apropiado", "apropiada", "complicado", "complicada"}),
    explained_percent=r"\b\d+\s+(?:de cada|en|entre)\s+\d+\b",
    calculation=r"\b(?:calcule|calcular|multiplique|multiplicar|divida|dividir|sume|sumar|reste|restar|por "
                r"(?:kg|kilo|kilogramo)|mg/kg|por su peso)\b",
    example=r"\b(?:por ejemplo|p\. ej\.|como)\b",
    defines=r"\(|\b(?:significa|quiere decir|es un|es una|es el|es la|se llama|son)\b|—|: ",
    pemat_pairs=(("facultativo", "médico"), ("utilizar", "usar")),
)

FRENCH = PematWords(
    generic_headings=frozenset({"introduction", "autres", "autre", "divers", "generalites", "general",
                                "informations", "details", "notes", "plus d'informations", "contexte"}),
    summary_headings=r"\b(resume|points cles|a retenir|en bref|l'essentiel)\b",
    tool_headings=r"\b(liste de controle|liste de verification|questions a poser|journal|carnet|agenda)\b",
)

PORTUGUESE = PematWords(
    generic_headings=frozenset({"introducao", "outros", "outras", "outro", "geral", "informacoes", "diversos",
                                "detalhes", "notas", "mais informacoes", "contexto"}),
    summary_headings=r"\b(resumo|pontos-chave|pontos chave|pontos principais|lembre-se|em resumo)\b",
    tool_headings=r"\b(lista de verificacao|lista de controle|perguntas para|perguntas a fazer|diario|registro)\b",
)

CHINESE = PematWords(
    generic_headings=frozenset({"简介", "引言", "其他", "概述", "概况", "前言", "说明", "說明", "其它", "資訊",
                                "信息"}),
    summary_headings=r"(摘要|要点|要點|重点|重點|总结|總結|小结|小結)",
    tool_headings=r"(清单|清單|检查表|檢查表|要问的问题|要問的問題|记录表|記錄表|日记|日記)",
)

BY_LANGUAGE = {"en": ENGLISH, "es": SPANISH, "fr": FRENCH, "pt": PORTUGUESE, "zh": CHINESE}


def pemat_words(language: str) -> PematWords:
    """The PEMAT words of a language (its base code); a language without them gets the heading words of none."""
    return BY_LANGUAGE.get(language, PematWords(generic_headings=frozenset(), summary_headings=r"(?!x)x",
                                                tool_headings=r"(?!x)x"))
