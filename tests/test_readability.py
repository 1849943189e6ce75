"""Tests for pipeline.readability: formulas against values worked out by hand."""

from __future__ import annotations

import pytest

from pipeline.readability import (
    flesch_kincaid,
    reading_report,
    smog,
    split_sentences,
    syllables,
    words_of,
)


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
