"""Tests for pipeline.text.facts: the fact guard on pairs of an original and a rewrite made here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DISCLAIMER_TEXT, para

from pipeline.model import Disclaimer, Document, Edition, Glossary, Section
from pipeline.text.facts import FactReport, compare, guard, sentence_facts, vocabulary

ENGLISH_ORIGINAL = [
    "Take lisinopril 10 mg once a day.",
    "If your blood pressure is 180/120 mmHg or higher, wait five minutes and check it again.",
    "Do not take ibuprofen with this medicine.",
    "Typical treatments include SSRIs (Selective Serotonin Reuptake Inhibitors).",
    "Call 911 if you have chest pain.",
]
ENGLISH_GLOSSARY = Glossary(abbreviations=(("SSRI", "selective serotonin reuptake inhibitor"),))
# Every fact kept in other words: a number in words, "one time a day" for "once a day",
# "never" for "do not", the abbreviation spelled out, a unit left out where the number is whole.
FAITHFUL = [
    "Take 10 mg of lisinopril one time a day.",
    "Is your number 180/120 or more? Wait 5 minutes. Then check it again.",
    "Never take ibuprofen with this medicine.",
    "Common treatments include SSRI medicines (selective serotonin reuptake inhibitors).",
    "Call 911 if your chest hurts.",
]


def rewrite(tmp_path: Path, original: list[str], plain: list[str], lang: str = "en",
            glossary: Glossary | None = None) -> FactReport:
    """The fact guard on an article made of ``original`` paragraphs and a plain edition of ``plain``."""
    document = Document(slug="pair", title="Title", lang=lang, sections=(Section(None, 2, tuple(map(para, original))),),
                        disclaimer=Disclaimer(DISCLAIMER_TEXT), source=tmp_path / "pair.md",
                        glossary=glossary or Glossary())
    edition = Edition(title="Title", sections=(Section(None, 2, tuple(map(para, plain))),),
                      source=tmp_path / "pair.plain.md")
    return guard(document, edition)


def findings(report: FactReport) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return ([(f.kind, f.text) for f in report.dropped], [(f.kind, f.text) for f in report.added])


def changed(plain: list[str], index: int, sentence: str) -> list[str]:
    return [sentence if i == index else s for i, s in enumerate(plain)]


def test_a_faithful_rewrite_reports_nothing(tmp_path: Path) -> None:
    report = rewrite(tmp_path, ENGLISH_ORIGINAL, FAITHFUL, glossary=ENGLISH_GLOSSARY)
    assert findings(report) == ([], [])
    assert report.ok
    # lisinopril, 10 mg, once a day, 180/120 mmHg, 5 minutes, ibuprofen, "do not", SSRI, 911
    assert report.original_count == 9


@pytest.mark.parametrize(("index", "sentence", "dropped", "added"), [
    # a number dropped
    (1, "Is your number 180/120 or more? Then check it again.", [("number", "five minutes")], []),
    # a changed dose: one dropped, one added
    (0, "Take 100 mg of lisinopril one time a day.", [("number", "10 mg")], [("number", "100 mg")]),
    # a changed unit: likewise
    (0, "Take 10 g of lisinopril one time a day.", [("number", "10 mg")], [("number", "10 g")]),
    # a drug dropped
    (0, "Take 10 mg one time a day.", [("drug", "lisinopril")], []),
    # a drug added
    (4, "Call 911 if your chest hurts. You may take aspirin.", [], [("drug", "aspirin")]),
    # the "do not" dropped before an action that is kept
    (2, "Take ibuprofen with this medicine.", [("negation", "Do not take ibuprofen with")], []),
    # a rate changed: "a day" to "a week"
    (0, "Take 10 mg of lisinopril one time a week.", [("number", "once a day")], [("number", "one time a week")]),
])
def test_each_change_is_reported_exactly(tmp_path: Path, index: int, sentence: str,
                                         dropped: list[tuple[str, str]], added: list[tuple[str, str]]) -> None:
    report = rewrite(tmp_path, ENGLISH_ORIGINAL, changed(FAITHFUL, index, sentence), glossary=ENGLISH_GLOSSARY)
    assert findings(report) == (dropped, added)
    assert not report.ok


def test_each_finding_names_its_sentence_and_section(tmp_path: Path) -> None:
    document = Document(
        slug="pair", title="Title", lang="en", disclaimer=Disclaimer(DISCLAIMER_TEXT), source=tmp_path / "p.md",
        sections=(Section(None, 2, (para("Rest well."),)),
                  Section("Doses", 2, (para("Start with 5 mg. Later, take 10 mg."),), anchor="doses")))
    edition = Edition(title="Title", source=tmp_path / "p.plain.md",
                      sections=(Section("How much to take", 2, (para("Start with 5 mg. Later, take 50 mg."),)),))
    report = guard(document, edition)
    assert [(f.text, f.sentence, f.heading) for f in report.dropped] == [("10 mg", "Later, take 10 mg.", "Doses")]
    assert [(f.text, f.sentence, f.heading) for f in report.added] == [
        ("50 mg", "Later, take 50 mg.", "How much to take")]
    assert report.to_dict()["dropped"] == [{"id": report.dropped[0].fact_id("dropped"), "kind": "number",
                                            "fact": "10 mg", "sentence": "Later, take 10 mg.",
                                            "section": "Doses", "part": 1}]
    assert re.fullmatch(r"FACT-[0-9a-f]{6}", report.dropped[0].fact_id("dropped"))
    assert report.dropped[0].fact_id("dropped") != report.dropped[0].fact_id("added")
    assert "10 mg" in report.summary() and "section “Doses”" in report.summary()


SPANISH_ORIGINAL = [
    "Tome paracetamol de 500 mg cada 8 horas.",
    "Aplique hielo durante 20 minutos, tres veces al día.",
    "¡No ponga el hielo directamente sobre la piel!",
    "La enoxaparina es un anticoagulante.",
]
SPANISH_GLOSSARY = Glossary(abbreviations=(("mg", "miligramos"),),
                            terms=(("anticoagulante", "medicina que evita los coágulos"),),
                            plain_words=(("aplique", "ponga"),))
SPANISH_FAITHFUL = [
    "Tome 500 miligramos de paracetamol cada ocho horas.",
    "Póngase hielo veinte minutos, 3 veces al día.",
    "No ponga el hielo sobre la piel.",
    "La enoxaparina es un anticoagulante: evita los coágulos.",
]


def test_a_faithful_spanish_rewrite_reports_nothing(tmp_path: Path) -> None:
    report = rewrite(tmp_path, SPANISH_ORIGINAL, SPANISH_FAITHFUL, "es", SPANISH_GLOSSARY)
    assert findings(report) == ([], [])
    # paracetamol, 500 mg, 8 horas, 20 minutos, 3 veces al día, "no ponga", enoxaparina, anticoagulante
    assert report.original_count == 8


@pytest.mark.parametrize(("index", "sentence", "dropped", "added"), [
    (0, "Tome 500 miligramos de paracetamol cada ocho horas.".replace("500", "50"),
     [("number", "500 mg")], [("number", "50 miligramos")]),
    (1, "Póngase hielo veinte horas, 3 veces al día.", [("number", "20 minutos")], [("number", "veinte horas")]),
    (0, "Tome 500 miligramos cada ocho horas.", [("drug", "paracetamol")], []),
    (3, "La enoxaparina evita los coágulos. No tome aspirina.", [("drug", "anticoagulante")],
     [("drug", "aspirina"), ("negation", "No tome aspirina")]),
    (2, "Ponga el hielo sobre la piel.", [("negation", "No ponga el hielo")], []),
])
def test_each_spanish_change_is_reported_exactly(tmp_path: Path, index: int, sentence: str,
                                                 dropped: list[tuple[str, str]],
                                                 added: list[tuple[str, str]]) -> None:
    report = rewrite(tmp_path, SPANISH_ORIGINAL, changed(SPANISH_FAITHFUL, index, sentence), "es", SPANISH_GLOSSARY)
    assert findings(report) == (dropped, added)


def keys(sentence: str, lang: str = "en") -> list[tuple[object, ...]]:
    return [f.key for f in sentence_facts(sentence, vocabulary(lang)) if not f.weak]


def test_numbers_are_read_with_their_units_ranges_and_rates() -> None:
    assert keys("Readings of 130 to 139 or 80 to 89 mean stage 1.") == [
        ("number", "130", "139", "-", "", ""), ("number", "80", "89", "-", "", ""), ("number", "1", "", "", "", "")]
    assert keys("Keep it between 80 and 89.") == keys("Keep it at 80-89.") == [("number", "80", "89", "-", "", "")]
    assert keys("Take 2 to 3 tablets twice daily.") == [
        ("number", "2", "3", "-", "pill", ""), ("number", "2", "", "", "time", "day")]
    assert keys("Take no more than 4,000 mg a day.")[0] == ("number", "4000", "", "", "mg", "day")
    assert keys("Call 911 or 988.") == [("number", "911", "", "", "", ""), ("number", "988", "", "", "", "")]
    assert keys("Call 1-800-273-8255.") == [("phone", "18002738255")]
    assert keys("A fever of 38 °C or 100.4 °F.") == [("number", "38", "", "", "°c", ""),
                                                   ("number", "100.4", "", "", "°f", "")]
    # Numbers in words are the same numbers; a number word alone counts things in the text.
    assert keys("Wait twenty-four hours.") == keys("Wait 24 hours.")
    assert keys("They found three main things.") == []
    # A number glued to a word is part of a name.
    assert keys("COVID-19 and GLP-1 agonists") == [("drug", "glp-1 agonist")]
    assert keys("Descanse treinta y cinco minutos.", "es") == keys("Descanse 35 minutos.", "es")
    assert keys("Beba 1.000 ml o 2,5 litros al día.", "es") == [
        ("number", "1000", "", "", "ml", ""), ("number", "2.5", "", "", "l", "day")]


def test_drug_names_fold_capitals_plurals_and_names_of_the_same_medicine() -> None:
    assert keys("SSRIs, beta-blockers, Ketamine's effect") == [
        ("drug", "ssri"), ("drug", "beta blocker"), ("drug", "ketamine")]
    assert keys("acetaminophen") == keys("Tylenol") == keys("paracetamol") == [("drug", "acetaminophen")]
    # Abbreviations listed in capitals must be in capitals: "ace" is not "ACE".
    assert keys("an ace inhibitor") == []
    # Names that look like drugs: a drug-name ending on a rare word, a rare name taken or bracketed.
    assert keys("Take bexagliflozin daily.") == [("drug", "bexagliflozin")]
    assert keys("Take Zentivo every day.") == [("drug", "zentivo")]
    assert keys("Ask Dr. Ramírez.") == []
    assert keys("Los antidepresivos tricíclicos y los ISRS.", "es") == [("drug", "triciclico"), ("drug", "isrs")]


def test_glossary_and_lexicon_add_drug_names() -> None:
    glossary = Glossary(terms=(("Zapril", "a drug that lowers blood pressure"),
                               ("infusion", "a drug dripped slowly into a vein")),
                        abbreviations=(("XYZ", "xylo yellow zeta blocker"), ("FDA", "Food and Drug Administration")))
    # A lexicon's rare capitalised word is a brand; its units, symbols and abbreviations are not drugs.
    lexicon = (("Zentivo", "zen TEE vo"), ("mg", "milligrams"), ("PTSD", "P T S D"), ("%", "percent"))
    words = vocabulary("en", glossary, lexicon)
    found = [f.text for f in sentence_facts("Zapril, infusion, XYZ, xylo yellow zeta blockers, FDA, Zentivo, PTSD",
                                            words)]
    assert found == ["Zapril", "XYZ", "xylo yellow zeta blockers", "Zentivo"]


def test_negations_are_instructions_or_beside_a_drug_or_number() -> None:
    def negations(sentence: str, lang: str = "en") -> list[str]:
        return [f.text for f in sentence_facts(sentence, vocabulary(lang)) if f.kind == "negation" and not f.weak]

    assert negations("Do not stop taking your beta blocker suddenly.") == ["Do not stop taking your"]
    assert negations("If it is high, don't wait: call 911.") == ["don't wait"]
    assert negations("You should never share your pills.") == ["never share your pills"]
    assert negations("Take no more than 4,000 mg a day.") == ["no more than 4,000"]
    assert negations("Ketamine is not approved for this use.") == ["is not approved for this"]
    # A statement without a drug or number is not a fact to keep.
    assert negations("Treatments don't always help everyone.") == []
    assert negations("There is no cure yet.") == []
    assert negations("¡Nunca tome más de 3 g al día!", "es") == ["Nunca tome más de"]
    assert negations("Si no mejora, llame.", "es") == []


@pytest.mark.parametrize(("lang", "original", "plain"), [
    ("en", "Eating less salt, moving more and not smoking all lower blood pressure.", "Do not smoke."),
    ("en", "Never smoke.", "Do not smoke."),
    ("en", "You should never smoke near oxygen.", "Don't smoke."),
    ("es", "No tome alcohol.", "No debe tomar alcohol."),
    ("fr", "Ne fumez pas.", "Vous ne devez pas fumer."),
    ("pt", "Não fume.", "Você não deve fumar."),
    ("zh", "不要吸烟。", "不要吸烟。"),
])
def test_a_negation_is_kept_by_the_same_action_in_another_form(lang: str, original: str, plain: str) -> None:
    words = vocabulary(lang)
    report = compare(sentence_facts(original, words), sentence_facts(plain, words))
    assert report.ok, report.summary()


def test_a_negation_of_another_action_is_still_added() -> None:
    words = vocabulary("en")
    report = compare(sentence_facts("Not smoking lowers blood pressure.", words),
                     sentence_facts("Do not drive.", words))
    assert [f.text for f in report.added] == ["Do not drive"]
