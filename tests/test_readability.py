"""Tests for pipeline.text.readability: formulas against values worked out by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DISCLAIMER_TEXT, make_document, para

from pipeline.audio.script import listening_script
from pipeline.audio.script import split_sentences as caption_sentences
from pipeline.model import Paragraph, Section, Text
from pipeline.renderers.html import readability_summary
from pipeline.settings import Settings
from pipeline.text.plain_draft import draft_edition, split_long_sentences
from pipeline.text.readability import (
    flesch_kincaid,
    inflesz,
    reading_report,
    smog,
    sol,
    spanish_syllables,
    syllables,
    szigriszt,
    words_of,
)
from pipeline.text.words import base_language, split_sentences


def test_flesch_kincaid_of_one_short_sentence_by_hand() -> None:
    # "The cat sat on the mat." 6 words, 6 syllables, 1 sentence:
    # 0.39 * 6 + 11.8 * 6/6 - 15.59 = 2.34 + 11.8 - 15.59 = -1.45
    report = reading_report(["The cat sat on the mat."])
    assert (report.words, report.syllables, report.sentences) == (6, 6, 1)
    assert report.flesch_kincaid == pytest.approx(-1.45)
    # No word of three or more syllables: SMOG is its constant, 3.1291.
    assert report.smog == pytest.approx(3.1291)


def test_both_grades_of_a_two_sentence_text_by_hand() -> None:
    # ke-ta-mine(3) is(1) a(1) med-i-cine(3) | it(1) helps(1) some(1) peo-ple(2)
    # words 8, syllables 13, sentences 2, polysyllables 2.
    # F-K  = 0.39 * 8/2 + 11.8 * 13/8 - 15.59 = 1.56 + 19.175 - 15.59 = 5.145
    # SMOG = 1.043 * sqrt(2 * 30/2) + 3.1291 = 1.043 * 5.47723 + 3.1291 = 8.84185
    report = reading_report(["Ketamine is a medicine. It helps some people."])
    assert (report.words, report.syllables, report.sentences, report.polysyllables) == (8, 13, 2, 2)
    assert report.flesch_kincaid == pytest.approx(5.145)
    assert report.smog == pytest.approx(8.84185, abs=1e-4)
    assert report.grade == report.smog
    assert report.longest_sentence == 4


def test_formulas_from_counts_by_hand() -> None:
    # F-K:  0.39 * 100/10 + 11.8 * 150/100 - 15.59 = 3.9 + 17.7 - 15.59 = 6.01
    assert flesch_kincaid(words=100, sentences=10, syllables=150) == pytest.approx(6.01)
    # SMOG: 1.043 * sqrt(30 * 30/30) + 3.1291 = 1.043 * 5.477226 + 3.1291 = 8.841846
    assert smog(polysyllables=30, sentences=30) == pytest.approx(8.841846, abs=1e-5)
    # SMOG scales to 30 sentences: 15 long words in 15 sentences grade as 30 in 30.
    assert smog(polysyllables=15, sentences=15) == pytest.approx(8.841846, abs=1e-5)
    assert flesch_kincaid(0, 0, 0) == 0.0 and smog(0, 0) == 0.0


@pytest.mark.parametrize(("word", "count"), [
    ("the", 1), ("people", 2), ("medicine", 3), ("anesthetic", 4),  # from the CMU dictionary
    ("ketamine", 3),          # not in it: pyphen says 2, the vowel groups say 3
    ("sublingual", 3),
    ("PTSD", 4), ("IV", 2), ("SSRIs", 4), ("WHO", 1),  # spelled out unless the dictionary has it
    ("off-label", 3),         # one word, syllables of both parts
    ("3", 1), ("20", 2),
])
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_sentences_split_at_full_stops_but_not_after_abbreviations() -> None:
    assert split_sentences("It works. Ask a doctor, e.g. Dr. Lee. Then rest!") == [
        "It works.", "Ask a doctor, e.g. Dr. Lee.", "Then rest!"]
    assert split_sentences("A heading without a stop") == ["A heading without a stop"]
    assert split_sentences("   ") == []


def test_each_unit_ends_a_sentence() -> None:
    report = reading_report(["Key points", "You can ask your doctor."])
    assert report.sentences == 2


def test_words_keep_apostrophes_and_hyphens() -> None:
    assert words_of("Ketamine’s off-label use isn't new (2.5 mg).") == [
        "Ketamine’s", "off-label", "use", "isn't", "new", "2.5", "mg"]


def test_hardest_sentences_rank_long_words_first_and_report_long_sentences() -> None:
    long_one = " ".join(["word"] * 21) + "."
    report = reading_report(["Ask your doctor.", "Psychotherapy is a conversation therapy.", long_one])
    assert report.hardest[0].text == "Psychotherapy is a conversation therapy."
    summary = report.as_dict()
    assert summary["too_long"] == [long_one]
    assert summary["longest_sentence_words"] == 21


def test_an_english_report_names_its_formulas_and_keeps_its_figures() -> None:
    report = reading_report(["Ketamine is a medicine. It helps some people."], "en-GB")
    summary = report.as_dict()
    assert summary["formula"] == "SMOG and Flesch-Kincaid"
    # The same figures as the English test above: a region tag changes nothing.
    assert (summary["grade"], summary["smog"], summary["flesch_kincaid"]) == (8.8, 8.8, 5.1)
    assert report.meets_target() is False and report.target() == {"grade": 6.0}


# ---------------------------------------------------------------- Spanish


@pytest.mark.parametrize(("word", "count"), [
    ("ciudad", 2),        # ciu-dad: unaccented i+u is one nucleus
    ("país", 2),          # pa-ís: the accent on í breaks the diphthong
    ("murciélago", 4),    # mur-cié-la-go: i+é is a diphthong
    ("guitarra", 3),      # gui-ta-rra: the u of "gui" is silent
    ("pingüino", 3),      # pin-güi-no: ü is said, ü+i one nucleus
    ("hoy", 1),           # final y is a vowel: o+y one nucleus
    ("aéreo", 4),         # a-é-re-o: strong vowels side by side are two syllables
    ("construcción", 3),  # cons-truc-ción
    ("psicólogo", 4),     # psi-có-lo-go
    ("que", 1), ("guía", 2), ("día", 2), ("agua", 2), ("reír", 2),
    ("ayuda", 3),         # a-yu-da: y before a vowel is a consonant
    ("y", 1), ("muy", 1), ("Uruguay", 3),
    ("estudiáis", 3),     # es-tu-diáis: a triphthong is one nucleus
    ("ahumado", 3),       # ahu-ma-do: h does not part a diphthong (RAE)
    ("búho", 2),          # bú-ho
    ("Enoxaparina", 6), ("anticoagulante", 7),  # an-ti-co-a-gu-lan-te
    ("pos-operatorio", 6),  # pos + o-pe-ra-to-rio
    ("VIH", 5),           # spelled out: uve-i-hache
    ("38", 2),            # one per digit, as in English
])
def test_spanish_syllables_by_rule(word: str, count: int) -> None:
    assert spanish_syllables(word) == count


def test_spanish_words_keep_their_accented_letters() -> None:
    text = "El niño tomó 1,5 mg de información en el pingüino."
    assert words_of(text, "es") == ["El", "niño", "tomó", "1,5", "mg", "de", "información", "en", "el", "pingüino"]
    assert words_of(text, "es-MX") == words_of(text, "es")
    assert words_of("¿Qué es?", "es") == ["Qué", "es"]


def test_spanish_formulas_from_counts_by_hand() -> None:
    # IFSZ: 206.835 - 62.3 * 200/100 - 100/10 = 206.835 - 124.6 - 10 = 72.235
    assert szigriszt(words=100, sentences=10, syllables=200) == pytest.approx(72.235)
    # SOL: -2.51 + 0.74 * SMOG; SMOG of 30 long words in 30 sentences is 8.841846,
    # so SOL = -2.51 + 0.74 * 8.841846 = -2.51 + 6.542966 = 4.032966
    assert sol(polysyllables=30, sentences=30) == pytest.approx(4.032966, abs=1e-5)
    # No long words: SOL = -2.51 + 0.74 * 3.1291 = -0.194466
    assert sol(polysyllables=0, sentences=5) == pytest.approx(-0.194466, abs=1e-6)
    assert szigriszt(0, 0, 0) == 0.0 and sol(0, 0) == 0.0


@pytest.mark.parametrize(("score", "band"), [
    (80.1, "muy fácil"), (80.0, "bastante fácil"), (65.0, "bastante fácil"), (64.9, "normal"),
    (55.0, "normal"), (54.9, "algo difícil"), (40.0, "algo difícil"), (39.9, "muy difícil"), (-20.0, "muy difícil"),
])
def test_inflesz_bands(score: float, band: str) -> None:
    assert inflesz(score) == band


def test_a_short_spanish_text_by_hand() -> None:
    # To-me(2) la(1) pas-ti-lla(3) con(1) a-gua(2)            5 words,  9 syllables, 1 long
    # Tie-ne(2) fie-bre(2)                                    2 words,  4 syllables
    # Lla-me(2) a(1) la(1) clí-ni-ca(3)                       4 words,  7 syllables, 1 long
    # sentences 3, words 11, syllables 20, polysyllables 2.
    # IFSZ = 206.835 - 62.3 * 20/11 - 11/3 = 206.835 - 113.272727 - 3.666667 = 89.895606 (muy fácil)
    # SMOG = 3.1291 + 1.043 * sqrt(2 * 30/3) = 3.1291 + 1.043 * 4.472136 = 7.793538
    # SOL  = -2.51 + 0.74 * 7.793538 = -2.51 + 5.767218 = 3.257218
    report = reading_report(["Tome la pastilla con agua.", "¿Tiene fiebre? Llame a la clínica."], "es")
    assert (report.sentences, report.words, report.syllables, report.polysyllables) == (3, 11, 20, 2)
    assert report.szigriszt == pytest.approx(89.895606, abs=1e-5)
    assert report.sol == pytest.approx(3.257218, abs=1e-5)
    assert report.grade == report.sol and report.inflesz == "muy fácil"
    assert report.meets_target() is True
    summary = report.as_dict()
    assert summary["formula"] == "Flesch-Szigriszt (INFLESZ) and SOL"
    assert (summary["szigriszt"], summary["inflesz"], summary["sol"]) == (89.9, "muy fácil", 3.3)
    assert "flesch_kincaid" not in summary and "smog" not in summary  # English formulas are not used
    assert math.isnan(report.flesch_kincaid)


def test_a_spanish_text_must_meet_both_targets() -> None:
    # La(1) e-no-xa-pa-ri-na(6) es(1) un(1) an-ti-co-a-gu-lan-te(7): 5 words, 16 syllables, 2 long, 1 sentence.
    # IFSZ = 206.835 - 62.3 * 16/5 - 5 = 206.835 - 199.36 - 5 = 2.475 (muy difícil): fails
    # SMOG = 3.1291 + 1.043 * sqrt(2 * 30) = 3.1291 + 8.079043 = 11.208143
    # SOL  = -2.51 + 0.74 * 11.208143 = 5.784026: passes alone
    report = reading_report(["La enoxaparina es un anticoagulante."], "es")
    assert (report.words, report.syllables, report.polysyllables) == (5, 16, 2)
    assert report.szigriszt == pytest.approx(2.475)
    assert report.sol == pytest.approx(5.784026, abs=1e-5)
    assert report.meets_target() is False


def test_region_tags_use_their_base_language() -> None:
    units = ["Tome la pastilla con agua.", "¿Tiene fiebre? Llame a la clínica."]
    spanish = reading_report(units, "es")
    for tag in ("es-MX", "es-US", "es_419", "ES"):
        report = reading_report(units, tag)
        assert (report.szigriszt, report.sol, report.formula) == (spanish.szigriszt, spanish.sol, spanish.formula)
    english = reading_report(["Ketamine is a medicine. It helps some people."])
    assert reading_report(["Ketamine is a medicine. It helps some people."], "en-GB").grade == english.grade
    assert [base_language(t) for t in ("es-MX", "en-GB", "pt_BR", "fr")] == ["es", "en", "pt", "fr"]


@pytest.mark.parametrize("lang", ["de", "vi-VN", "xx"])
def test_a_language_without_a_formula_is_not_measured_and_never_passes(lang: str) -> None:
    report = reading_report(["Bonjour. Ça va très bien."], lang)
    assert not report.measured and report.formula == "not measured"
    assert report.meets_target() is None and math.isnan(report.grade)
    assert f"lang '{lang}'" in report.not_measured
    summary = report.as_dict()
    assert "grade" not in summary and summary["not_measured"] == report.not_measured
    # Sentences and words are still counted, in the language's own letters.
    assert (report.sentences, report.words, report.longest_sentence) == (2, 5, 4)


# ---------------------------------------------------------------- Spanish sentences


def test_spanish_abbreviations_do_not_end_a_sentence() -> None:
    assert split_sentences("Hable con la Dra. Ruiz o con el Dr. Gómez. Después descanse.", "es") == [
        "Hable con la Dra. Ruiz o con el Dr. Gómez.", "Después descanse."]
    assert split_sentences("El Sr. Pérez y la Sra. Ortiz ya llegaron. Pasen.", "es") == [
        "El Sr. Pérez y la Sra. Ortiz ya llegaron.", "Pasen."]
    assert split_sentences("Tome un analgésico, p. ej. Tylenol. Luego descanse.", "es") == [
        "Tome un analgésico, p. ej. Tylenol.", "Luego descanse."]
    assert split_sentences("Es frecuente en EE. UU. y en Europa. Es segura.", "es") == [
        "Es frecuente en EE. UU. y en Europa.", "Es segura."]
    assert split_sentences("Beba aprox. 2 litros al día. Llame al núm. 911 si empeora.", "es") == [
        "Beba aprox. 2 litros al día.", "Llame al núm. 911 si empeora."]
    # As in English, "etc." is taken never to end a sentence.
    assert split_sentences("Lleve gasas, vendas, etc. Todo en una bolsa.", "es") == [
        "Lleve gasas, vendas, etc. Todo en una bolsa."]


def test_spanish_sentences_open_with_inverted_marks_quotes_and_accented_capitals() -> None:
    text = ("¿Le duele? ¡Llame ya! «Más vale prevenir», dice. «Venga hoy.» Él lo sabe. "
            "Como dice: «Más vale llamar». Ésta es su hoja. Si duda, ¿a quién llama? ¿A su médico?")
    expected = ["¿Le duele?", "¡Llame ya!", "«Más vale prevenir», dice.", "«Venga hoy.»", "Él lo sabe.",
                "Como dice: «Más vale llamar».", "Ésta es su hoja.", "Si duda, ¿a quién llama?", "¿A su médico?"]
    assert split_sentences(text, "es") == expected
    assert split_sentences(text, "es-US") == expected
    # The English splitter knows none of these openings.
    assert split_sentences(text) != expected
    # A lower-case word after a question mark goes on with the sentence.
    assert split_sentences("¿Le duele?, pregunta la enfermera.", "es") == ["¿Le duele?, pregunta la enfermera."]


def test_captions_follow_the_articles_language(tmp_path: Path) -> None:
    assert caption_sentences("Vea a la Dra. Ruiz. ¿Le duele? ¡Llame!", "es") == (
        "Vea a la Dra. Ruiz.", "¿Le duele?", "¡Llame!")
    document = replace(make_document(tmp_path, lang="es-MX"), title="Su rodilla", sections=(
        Section(heading=None, level=2, blocks=(para("Vea a la Dra. Ruiz. ¿Le duele? ¡Llame!"),)),))
    sentences = [s.text for chapter in listening_script(document) for s in chapter.sentences]
    assert ["Vea a la Dra. Ruiz.", "¿Le duele?", "¡Llame!"] == [
        s for s in sentences if s in {"Vea a la Dra. Ruiz.", "¿Le duele?", "¡Llame!"}]
    assert "Vea a la Dra." not in sentences


def test_the_spanish_draft_counts_spanish_words_and_cuts_only_at_semicolons() -> None:
    # 15 words as Spanish (no cut); the English word pattern breaks "Después",
    # "operación", "cómo" and "después" in two, counts 19 and would cut at ";".
    fifteen = ("Después de la operación, la enfermera le explicará cómo cuidar la herida; "
               "después podrá irse.")
    assert split_long_sentences(fifteen, "es") == fifteen
    assert split_long_sentences(fifteen) != fifteen
    long_one = ("La Dra. Ruiz le explicará cómo cuidar la herida en casa durante los primeros días; "
                "después vendrá a revisarla.")
    assert split_long_sentences(" " + long_one + " ", "es") == (
        " La Dra. Ruiz le explicará cómo cuidar la herida en casa durante los primeros días. "
        "Después vendrá a revisarla. ")
    question = ("¿Puede tomar el paracetamol con la comida de cada día; o es mejor tomarlo "
                "con el estómago vacío?")
    assert split_long_sentences(question, "es") == question


def test_the_draft_of_a_spanish_article_splits_as_spanish(tmp_path: Path) -> None:
    fifteen = ("Después de la operación, la enfermera le explicará cómo cuidar la herida; "
               "después podrá irse.")
    document = replace(make_document(tmp_path, lang="es-MX"), sections=(
        Section(heading=None, level=2, blocks=(para(fifteen),)),))
    paragraph = draft_edition(document).sections[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.inlines == (Text(fifteen),)


# ---------------------------------------------------------------- the page's report and check


SPANISH_EASY = "<h1>Beba agua</h1><p>Tome la pastilla con agua. ¿Tiene fiebre? Llame a la clínica.</p>"
SPANISH_HARD = "<h1>La enoxaparina</h1><p>La enoxaparina es un anticoagulante.</p>"


def _page(main: str, lang: str) -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>T</title></head><body>'
            f'<header><a href="#main">Saltar</a></header><main id="main">{main}'
            f'<section class="disclaimer"><p class="disclaimer-text">{DISCLAIMER_TEXT}</p></section>'
            f"</main><footer></footer></body></html>")


def test_readability_json_names_the_formula_and_targets_by_language(tmp_path: Path) -> None:
    spanish = readability_summary(make_document(tmp_path, lang="es-MX"), _page(SPANISH_EASY, "es-MX"))
    assert spanish["formula"] == "Flesch-Szigriszt (INFLESZ) and SOL"
    assert spanish["target"] == {"szigriszt": 65.0, "sol": 6.0, "longest_sentence_words": 20}
    assert spanish["meets_target"] is True
    hard = readability_summary(make_document(tmp_path, lang="es"), _page(SPANISH_HARD, "es"))
    assert hard["meets_target"] is False
    german = readability_summary(make_document(tmp_path, lang="de"), _page(SPANISH_EASY, "de"))
    assert german["formula"] == "not measured" and german["meets_target"] is None
    assert "lang 'de'" in str(german["not_measured"])
    english = readability_summary(make_document(tmp_path), _page("<h1>Drink water</h1>", "en"))
    assert english["formula"] == "SMOG and Flesch-Kincaid"
    assert english["target"] == {"grade": 6.0, "longest_sentence_words": 20}


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.checks.browser

    monkeypatch.setattr(pipeline.checks.browser, "check_in_browser", lambda path: [])


def _reading_finding(tmp_path: Path, main: str, lang: str):  # type: ignore[no-untyped-def]
    from pipeline.checks.html import check_html

    document = make_document(tmp_path, slug="page", lang=lang)
    (tmp_path / "page.html").write_text(_page(main, lang), encoding="utf-8")
    findings = check_html(document, tmp_path, Settings(out_dir=tmp_path))
    return next(f for f in findings if f.check == "reading grade")


@pytest.mark.usefixtures("no_browser")
def test_the_page_check_gates_spanish_on_ifsz_and_sol(tmp_path: Path) -> None:
    # Beba(2) agua(2) + the short text above: 4 sentences, 13 words, 24 syllables, 2 long.
    # IFSZ = 206.835 - 62.3 * 24/13 - 13/4 = 206.835 - 115.015385 - 3.25 = 88.569615
    # SOL  = -2.51 + 0.74 * (3.1291 + 1.043 * sqrt(2 * 30/4)) = -2.51 + 0.74 * 7.168622 = 2.794780
    easy = _reading_finding(tmp_path, SPANISH_EASY, "es-US")
    assert (easy.status, easy.figure) == ("pass", "IFSZ 88.6 (muy fácil), SOL 2.8")
    assert easy.threshold == "IFSZ >= 65 and SOL <= 6"
    assert easy.detail.startswith("Flesch-Szigriszt (INFLESZ) and SOL")
    # La(1) enoxaparina(6) + the sentence above: 2 sentences, 7 words, 23 syllables, 3 long.
    # IFSZ = 206.835 - 62.3 * 23/7 - 7/2 = 206.835 - 204.7 - 3.5 = -1.365: fails,
    # SOL  = -2.51 + 0.74 * (3.1291 + 1.043 * sqrt(3 * 30/2)) = -2.51 + 0.74 * 10.125757 = 4.983060: passes.
    hard = _reading_finding(tmp_path, SPANISH_HARD, "es")
    assert (hard.status, hard.figure) == ("fail", "IFSZ -1.4 (muy difícil), SOL 5.0")


@pytest.mark.usefixtures("no_browser")
def test_the_page_check_does_not_run_for_a_language_without_a_formula(tmp_path: Path) -> None:
    finding = _reading_finding(tmp_path, SPANISH_EASY, "de")
    assert (finding.status, finding.figure) == ("not run", "")
    assert "not measured" in finding.detail and "lang 'de'" in finding.detail


@pytest.mark.usefixtures("no_browser")
def test_the_page_check_for_english_is_unchanged(tmp_path: Path) -> None:
    finding = _reading_finding(tmp_path, "<h1>Drink water</h1><p>Ketamine is a medicine. It helps some people.</p>",
                               "en-GB")
    # Drink(1) water(2) | Ket-a-mine(3) is(1) a(1) med-i-cine(3) | It(1) helps(1) some(1) peo-ple(2)
    # 3 sentences, 10 words, 16 syllables, 2 long words.
    # F-K  = 0.39 * 10/3 + 11.8 * 16/10 - 15.59 = 1.3 + 18.88 - 15.59 = 4.59
    # SMOG = 1.043 * sqrt(2 * 30/3) + 3.1291 = 7.793538, the higher: grade 7.8 fails.
    assert (finding.status, finding.figure) == ("fail", "7.8 (SMOG 7.8, F-K 4.6)")
    assert finding.threshold == "<= 6"
    assert finding.detail == ("higher of SMOG and Flesch-Kincaid; title and main text, "
                              "without the verbatim disclaimer")
