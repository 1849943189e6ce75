"""Tests for pipeline.text.workbench: sentence grades worked out by hand, hard words, sections, the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DISCLAIMER_TEXT, SEED_ARTICLE, para

from pipeline.errors import ArticleError
from pipeline.model import Disclaimer, Document, Edition, Section
from pipeline.readers import read_article
from pipeline.text.readability import measure_sentence
from pipeline.text.workbench import analyse, analyse_text, describe, hard_words, sentence_grade, sentence_misses

SEED_GLOSSARY = read_article(SEED_ARTICLE).glossary


def test_english_sentence_grade_worked_by_hand() -> None:
    # "The FDA has approved it as an anesthetic."
    # words 8; syllables the 1, FDA 3 (F-D-A), has 1, approved 2, it 1, as 1, an 1, anesthetic 4 = 14;
    # polysyllables (3 or more) FDA, anesthetic = 2.
    # Flesch-Kincaid = 0.39 x 8/1 + 11.8 x 14/8 - 15.59 = 3.12 + 20.65 - 15.59 = 8.18
    # SMOG = 1.0430 x sqrt(2 x 30/1) + 3.1291 = 1.0430 x 7.746 + 3.1291 = 11.21
    sentence = measure_sentence("The FDA has approved it as an anesthetic.")
    assert (sentence.words, sentence.syllables, sentence.polysyllables) == (8, 14, 2)
    assert sentence_grade(sentence, "en") == pytest.approx(11.21, abs=0.01)
    assert sentence_misses(sentence, "en")
    # "Take one pill with food at night." 7 words of one syllable, no polysyllable:
    # F-K = 0.39 x 7 + 11.8 x 7/7 - 15.59 = -1.06; SMOG = 1.0430 x 0 + 3.1291 = 3.13
    easy = measure_sentence("Take one pill with food at night.")
    assert sentence_grade(easy, "en") == pytest.approx(3.13, abs=0.01)
    assert not sentence_misses(easy, "en")
    # "nightmares": 1 word, 2 syllables. F-K would be 0.39 + 11.8 x 2 - 15.59 = 8.4 for a list item;
    # under 5 words only SMOG counts: 3.13.
    assert sentence_grade(measure_sentence("nightmares"), "en") == pytest.approx(3.13, abs=0.01)
    # 22 words of one syllable: grade 0.39 x 22 + 11.8 - 15.59 = 4.79, but over 20 words.
    long = measure_sentence("Take one pill with food at night and then go to bed and do not get up till the sun is up.")
    assert long.words == 22 and sentence_grade(long, "en") == pytest.approx(4.79, abs=0.01)
    assert sentence_misses(long, "en")


def test_spanish_sentence_grade_worked_by_hand() -> None:
    # "La enfermera le enseña a ponerse la inyección."
    # words 8; syllables la 1, en-fer-me-ra 4, le 1, en-se-ña 3, a 1, po-ner-se 3, la 1, in-yec-ción 3 = 17;
    # polysyllables enfermera, enseña, ponerse, inyección = 4.
    # SMOG = 1.0430 x sqrt(4 x 30) + 3.1291 = 1.0430 x 10.954 + 3.1291 = 14.554
    # SOL = -2.51 + 0.74 x 14.554 = 8.26; IFSZ = 206.835 - 62.3 x 17/8 - 8/1 = 66.45
    sentence = measure_sentence("La enfermera le enseña a ponerse la inyección.", "es")
    assert (sentence.words, sentence.syllables, sentence.polysyllables) == (8, 17, 4)
    assert sentence_grade(sentence, "es") == pytest.approx(8.26, abs=0.01)
    assert sentence.szigriszt == pytest.approx(66.45, abs=0.01)
    assert sentence_misses(sentence, "es")
    # "Camine un poco cada dos horas.": ca-mi-ne 3, un 1, po-co 2, ca-da 2, dos 1, ho-ras 2 = 11 syllables,
    # 6 words, 1 polysyllable: SOL = -2.51 + 0.74 x (1.0430 x sqrt(30) + 3.1291) = 4.03;
    # IFSZ = 206.835 - 62.3 x 11/6 - 6 = 86.62
    walk = measure_sentence("Camine un poco cada dos horas.", "es")
    assert sentence_grade(walk, "es") == pytest.approx(4.03, abs=0.01)
    assert not sentence_misses(walk, "es")


def seed_document(tmp_path: Path, sections: tuple[Section, ...], plain: Edition | None = None) -> Document:
    return Document(slug="pair", title="Sleep", lang="en", sections=sections, disclaimer=Disclaimer(DISCLAIMER_TEXT),
                    source=tmp_path / "pair.md", plain=plain, glossary=SEED_GLOSSARY)


def test_hard_words_offer_the_plain_word_and_spare_drugs_numbers_and_the_glossary(tmp_path: Path) -> None:
    document = seed_document(tmp_path, ())
    found = hard_words("Typical medication can significantly impair an individual’s remarkable results.", document)
    assert [(w.word, w.plain) for w in found] == [
        ("Typical", "common"), ("medication", "medicine"), ("significantly impair", "greatly harm"),
        ("an individual’s", "a person’s"), ("remarkable", None)]
    # Ketamine (a drug), anesthetic and PTSD (the glossary explains them), 500 (a number), and
    # everyday long words ("everyone", "family") are not hard.
    assert hard_words("Ketamine is an anesthetic for PTSD that everyone in the family takes at 500 mg.",
                      document) == ()


def test_analyse_pairs_sections_and_places_each_finding(tmp_path: Path) -> None:
    original = (
        Section(None, 2, (para("Sleep matters for everyone."),)),
        Section("Medicines that may help", 2, (para("Melatonin 3 mg can help with sleep problems."),),
                anchor="medicines"),
        Section("Habits for sleeping well", 2, (para("Keep a regular bedtime and a dark bedroom."),),
                anchor="habits"),
    )
    plain = Edition(title="Sleep", source=tmp_path / "pair.plain.md", sections=(
        Section("Sleep habits", 2, (para("Go to bed at the same time. Keep your bedroom dark."),)),
        Section("Medicine", 2, (para("Melatonin 5 mg can help with sleep problems."),)),
        Section("What you can do", 2, (para("Ask your doctor about sleep."),)),
    ))
    analysis = analyse(seed_document(tmp_path, original, plain))
    assert analysis.edition == "plain"
    # A plain edition may put its sections in another order; one retelling none comes last.
    assert [(s.kind, s.heading, s.plain_headings) for s in analysis.sections] == [
        ("opening", None, (None,)),
        ("section", "Medicines that may help", ("Medicine",)),
        ("section", "Habits for sleeping well", ("Sleep habits",)),
        ("plain only", None, ("What you can do",)),
    ]
    assert [f.text for f in analysis.facts.dropped] == ["3 mg"]
    assert [f.text for f in analysis.facts.added] == ["5 mg"]
    medicines = next(s for s in analysis.sections if s.heading == "Medicines that may help")
    assert [f.text for f in medicines.facts.dropped] == ["3 mg"]
    data = analysis.to_dict()
    assert {"formula", "grade", "target", "hard_sentences", "facts"} <= set(data)
    assert set(data["facts"]) >= {"dropped", "added"}
    assert data["edition"] == "plain" and data["ok"] is False
    section = data["sections"][0]
    assert {"kind", "heading", "plain_headings", "plain_text", "grade", "hard_sentences", "facts"} <= set(section)


def test_sections_pair_in_order_on_the_seed() -> None:
    analysis = analyse(read_article(SEED_ARTICLE))
    pairs = {s.heading: s.plain_headings for s in analysis.sections if s.kind == "section"}
    assert pairs["Understanding PTSD"] == ("What PTSD is",)
    assert pairs["The Emergence of Ketamine in PTSD Treatment"] == ("What this drug is",)
    assert pairs["How Does Ketamine Work?"] == ("How it may work",)
    assert pairs["Conclusion: A Beacon of Hope"] == ("Why it brings hope",)
    assert [s.plain_headings for s in analysis.sections if s.kind == "plain only"] == [("What you can do",)]


def test_analyse_text_checks_an_unsaved_plain_edition(tmp_path: Path) -> None:
    document = read_article(SEED_ARTICLE)
    saved = analyse(document)
    text = (SEED_ARTICLE.parent / "ketamine-ptsd.plain.md").read_text(encoding="utf-8")
    unsaved = analyse_text(document, text)
    assert unsaved.grade == saved.grade and unsaved.facts == saved.facts
    assert unsaved.source is None
    worse = analyse_text(document, text.replace("Ketamine is a drug.", "Ketamine is a drug. Take 50 mg of it."))
    assert [f.text for f in worse.facts.added] == ["50 mg"]
    with pytest.raises(ArticleError, match="front matter"):
        analyse_text(document, "Ketamine is a drug.")
    with pytest.raises(ArticleError, match="disclaimer differs"):
        analyse_text(document, text + "\nDisclaimer: Something else entirely.\n")


def test_the_draft_is_analysed_when_there_is_no_plain_edition(tmp_path: Path) -> None:
    document = seed_document(tmp_path, (Section(None, 2, (para("Take melatonin 3 mg at night."),)),))
    analysis = analyse(document)
    assert analysis.edition == "draft" and analysis.source is None
    assert analysis.facts.ok
    assert "automatic draft" in describe(analysis)
