"""Tests for pipeline.text.plain_draft: glossary marking and the automatic plain-language draft."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DISCLAIMER_TEXT, ROOT, make_document, para, seed_without_plain_edition

from pipeline.model import (
    Abbreviation,
    Code,
    Disclaimer,
    Document,
    Edition,
    Glossary,
    Link,
    ListBlock,
    Paragraph,
    Section,
    Strong,
    Term,
    Text,
    block_texts,
    plain_text,
    section_texts,
)
from pipeline.readers import read_article
from pipeline.renderers.html import page_html, page_reading_units
from pipeline.settings import Settings
from pipeline.text.facts import guard
from pipeline.text.plain_draft import (
    abbreviation_tidier,
    draft_edition,
    mark_glossary,
    shipped_plain_words,
    split_long_sentences,
    word_swapper,
)
from pipeline.text.readability import reading_report

GLOSSARY = Glossary(terms=(("anesthetic", "a drug for surgery"), ("off-label", "not on the label")),
                    abbreviations=(("PTSD", "post-traumatic stress disorder"),
                                   ("SSRI", "selective serotonin reuptake inhibitor")))


def edition_of(*paragraphs: Paragraph, heading: str = "Heading") -> Edition:
    return Edition(title="T", source=Path("t.plain.md"),
                   sections=(Section(heading=heading, level=2, blocks=paragraphs, anchor="h"),))


def inlines(edition: Edition, index: int = 0) -> tuple:
    return edition.sections[0].blocks[index].inlines


def test_first_use_of_a_term_carries_its_meaning_and_later_uses_do_not() -> None:
    marked = mark_glossary(edition_of(para("An Anesthetic works. Anesthetics vary."), para("An anesthetic again.")),
                           GLOSSARY)
    assert inlines(marked) == (Text("An "), Term("Anesthetic", "a drug for surgery"), Text(" works. Anesthetics vary."))
    assert inlines(marked, 1) == (Text("An anesthetic again."),)


def test_abbreviations_are_spelled_out_once_and_marked_every_time() -> None:
    marked = mark_glossary(edition_of(para("PTSD is common. PTSD can be treated with SSRIs.")), GLOSSARY)
    nodes = [n for n in inlines(marked) if isinstance(n, Abbreviation)]
    # Spelled out where it opens a sentence, the words take the sentence's capital.
    assert nodes == [Abbreviation("PTSD", "Post-traumatic stress disorder", spelled_out=True),
                     Abbreviation("PTSD", "post-traumatic stress disorder", spelled_out=False),
                     Abbreviation("SSRIs", "selective serotonin reuptake inhibitors", spelled_out=True)]
    assert plain_text(inlines(marked)).startswith("Post-traumatic stress disorder (PTSD) is common. PTSD can")


def test_what_the_writer_already_explained_is_not_explained_twice() -> None:
    marked = mark_glossary(edition_of(para(
        "Post-traumatic stress disorder (PTSD) and SSRIs (selective serotonin reuptake inhibitors) "
        "and off-label (as the writer says) use.")), GLOSSARY)
    text = plain_text(inlines(marked))
    assert text.count("post-traumatic stress disorder") + text.count("Post-traumatic stress disorder") == 1
    assert text.count("selective serotonin") == 1
    assert "not on the label" not in text
    assert Term("off-label", "") in inlines(marked)


def test_only_whole_words_in_running_text_are_marked() -> None:
    marked = mark_glossary(edition_of(
        Paragraph(inlines=(Text("Non-anesthetic and PTSDish words. "), Code("PTSD"),
                           Link("https://example.org", (Text("PTSD"),)))), heading="About PTSD"), GLOSSARY)
    assert not any(isinstance(n, (Term, Abbreviation)) for n in inlines(marked))
    assert marked.sections[0].heading == "About PTSD"


def test_marking_without_a_glossary_changes_nothing() -> None:
    edition = edition_of(para("PTSD"))
    assert mark_glossary(edition, Glossary()) is edition


def test_split_rules_cut_long_sentences_at_safe_joins_only() -> None:
    long_which = "The drug acts on a system in the brain of many people, which is not how older drugs work at all."
    assert split_long_sentences(long_which) == (
        "The drug acts on a system in the brain of many people. This is not how older drugs work at all.")
    leaving = ("Stress affects millions of people around the world every single day, "
               "often leaving survivors with fear and bad dreams.")
    assert split_long_sentences(leaving).endswith(". This often leaves survivors with fear and bad dreams.")
    semicolon = "Some people feel better within a few hours of the first dose; others need many more weeks."
    assert split_long_sentences(semicolon) == (
        "Some people feel better within a few hours of the first dose. Others need many more weeks.")
    # Lists joined by ", and" and short sentences are never cut.
    a_list = "Signs include fear, bad dreams, flashbacks, trouble sleeping, anger, sadness, and feeling numb all day."
    assert split_long_sentences(a_list) == a_list
    assert split_long_sentences("It works, which is good.") == "It works, which is good."


def test_plain_words_swap_whole_words_and_keep_capitals(tmp_path: Path) -> None:
    document = make_document(tmp_path)
    document = replace(document, glossary=Glossary(plain_words=(("keep", "hold"), ("regular", "set"))))
    draft = draft_edition(document)
    text = " ".join(section_texts(draft.sections))
    assert "Hold the bedroom dark" in text and "hold a set bedtime" in text.lower()
    assert "Sleep helps the body heal." in text, "words not in the list are left alone"
    assert draft.summary == ()


def test_seed_draft_is_two_grades_easier_and_keeps_numbers_drug_names_and_disclaimer(tmp_path: Path) -> None:
    document = read_article(seed_without_plain_edition(tmp_path))
    assert document.plain is None
    html = page_html(document, Settings(out_dir=tmp_path / "out"))
    draft = reading_report(page_reading_units(html))
    original = reading_report([document.title, *section_texts(document.sections)])
    assert original.grade - draft.grade >= 2, f"original {original.grade:.1f}, draft {draft.grade:.1f}"

    page_text = " ".join(page_reading_units(html))
    original_text = " ".join([document.title, *section_texts(document.sections)])
    for number in re.findall(r"\d+", original_text):
        assert number in page_text
    for drug in ("ketamine", "Ketamine", "SSRIs"):
        assert original_text.count(drug) <= page_text.count(drug), drug
    assert document.disclaimer.text in " ".join(html.split())


def test_a_term_the_writer_explained_before_it_is_not_explained_again() -> None:
    glossary = Glossary(terms=(("hypertension", "high blood pressure"),))
    marked = mark_glossary(edition_of(para("High blood pressure (hypertension) is common.")), glossary)
    assert plain_text(inlines(marked)) == "High blood pressure (hypertension) is common."


def test_more_safe_joins_and_only_safe_ones() -> None:
    cases = {
        "Take your pills with a full glass of water, and it will help your stomach feel better.":
            "Take your pills with a full glass of water. It will help your stomach feel better.",
        "Write down every reading in your notebook, so that your nurse can change the dose.":
            "Write down every reading in your notebook. This way, your nurse can change the dose.",
        "Do not take ibuprofen without asking your pharmacist first, since these drugs raise blood pressure.":
            "Do not take ibuprofen without asking your pharmacist first. This is because these drugs raise "
            "blood pressure.",
        "Calcium channel blockers relax the blood vessels in your body, although they sometimes cause swelling.":
            "Calcium channel blockers relax the blood vessels in your body. But they sometimes cause swelling.",
        "The drug helps the brain grow new links between its cells, a process known as neuroplasticity.":
            "The drug helps the brain grow new links between its cells. This is called neuroplasticity.",
        "Enter ketamine – a medicine first used in surgery that is now also used for this problem.":
            "Enter ketamine. A medicine first used in surgery that is now also used for this problem.",
        "Take it with food and a full glass of water every morning (a snack or a meal is enough).":
            "Take it with food and a full glass of water every morning. A snack or a meal is enough.",
    }
    for before, after in cases.items():
        assert split_long_sentences(before) == after
    unsafe = [
        # "which" as the object of what follows, "and" joining a list, "since" meaning "from then on"
        "Most people start on 10 mg once a day, which your doctor may slowly raise to 40 mg.",
        "Signs include fear, bad dreams, trouble sleeping, anger, sadness, and feeling numb all day long.",
        "Many people have taken this medicine every day, since 2010 and with very few problems.",
        "Take it with food and a full glass of water every morning (with breakfast or lunch).",
    ]
    for sentence in unsafe:
        assert split_long_sentences(sentence) == sentence


def test_a_sentence_that_lists_things_becomes_a_list(tmp_path: Path) -> None:
    document = replace(make_document(tmp_path), sections=(Section(None, 2, (
        para("PTSD is common. Symptoms can include severe anxiety, nightmares, flashbacks, and feeling numb. "
             "It can be treated."),
        para("Take it with water, milk, or juice."),
    )),))
    blocks = draft_edition(document).sections[0].blocks
    assert [b.kind for b in blocks] == ["paragraph", "list", "paragraph", "paragraph"]
    assert plain_text(blocks[0].inlines) == "PTSD is common. Symptoms can include:"
    assert isinstance(blocks[1], ListBlock)
    assert [t for item in blocks[1].items for b in item.blocks for t in block_texts(b)] == [
        "severe anxiety", "nightmares", "flashbacks", "feeling numb"]
    assert plain_text(blocks[2].inlines) == "It can be treated."
    # "or" offers a choice, which a list would hide.
    assert plain_text(blocks[3].inlines) == "Take it with water, milk, or juice."


def test_a_bold_label_ends_its_own_sentence(tmp_path: Path) -> None:
    label = Paragraph(inlines=(Strong((Text("Fast relief:"),)), Text(" It can ease symptoms within hours.")))
    document = replace(make_document(tmp_path), sections=(Section(None, 2, (label,)),))
    paragraph = draft_edition(document).sections[0].blocks[0]
    assert plain_text(paragraph.inlines) == "Fast relief. It can ease symptoms within hours."


def test_abbreviations_keep_only_their_letters_where_the_glossary_spells_them_out() -> None:
    tidy = abbreviation_tidier(GLOSSARY.abbreviations)
    assert tidy("Post-Traumatic Stress Disorder (PTSD) is common.") == "PTSD is common."
    assert tidy("medication like SSRIs (Selective Serotonin Reuptake Inhibitors).") == "medication like SSRIs."
    assert tidy("selective serotonin reuptake inhibitors (SSRIs) help.") == "SSRIs help."
    assert tidy("IV (intravenous) drips") == "IV (intravenous) drips", "not in this glossary"


def test_shipped_plain_words_fit_their_article_and_never_touch_drugs_or_numbers() -> None:
    swap = word_swapper(shipped_plain_words("en"), "en")
    assert swap("Bring it to an appointment.") == "Bring it to a visit."
    assert swap("Medications are frequently changed in order to help.") == "Medicines are often changed to help."
    assert swap("Call immediately.") == "Call right away."
    for hard, easy in (*shipped_plain_words("en"), *shipped_plain_words("es")):
        assert not re.search(r"\d", hard + easy)
    spanish = word_swapper(shipped_plain_words("es"), "es")
    assert spanish("Consulte con su médico. Sin embargo, utilice la crema.") == \
        "Hable con su médico. Pero, use la crema."


SPANISH_FIXTURES = ROOT / "tests" / "fixtures" / "es"


def without_plain_edition(folder: Path, source: Path) -> Path:
    """A copy of ``source``'s folder (article, word lists) without any plain edition."""
    import shutil

    folder.mkdir()
    for file in source.parent.iterdir():
        if file.is_file() and not file.name.endswith(".plain.md"):
            shutil.copy(file, folder / file.name)
    return folder / source.name


# The draft's page measured as `handout check` measures it, before this draft (plain words and
# ";"/", which"/", but" splits only) and now. The target is grade 8 or below; it is not met for
# English: drug names, medical terms and the glossary's meanings beside them, which the draft must
# keep, hold SMOG up (the seed has 12 "ketamine"s and 13 "PTSD"s, 3 and 4 syllables each).
#   seed (no plain edition): original 14.6, draft before 11.5, now 10.4
#   blood pressure (tests/fixtures/en): original 14.6, draft before 13.0, now 10.4
#   cuidado-rodilla (no plain edition): SOL original 6.28, draft before 6.2, now 6.2 (IFSZ 74.3): the
#   Spanish lists found nothing to change and no safe join in its long sentences
@pytest.mark.parametrize(("article", "highest"), [
    ("seed", 10.5),
    ("en/blood-pressure.md", 10.5),
    ("es/cuidado-rodilla.md", 6.25),
])
def test_drafts_are_easier_and_keep_every_fact(tmp_path: Path, article: str, highest: float) -> None:
    if article == "seed":
        path = seed_without_plain_edition(tmp_path)
    else:
        path = without_plain_edition(tmp_path / "source", ROOT / "tests" / "fixtures" / article)
    document = read_article(path)
    assert document.plain is None
    page = reading_report(page_reading_units(page_html(document, Settings(out_dir=tmp_path / "out"))), document.lang)
    original = reading_report([document.title, *section_texts(document.sections)], document.lang)
    assert page.grade <= highest and page.grade < original.grade, (page.describe(), original.describe())
    report = guard(document)
    assert report.ok, report.summary()
    assert report.original_count == {"seed": 4, "en/blood-pressure.md": 26, "es/cuidado-rodilla.md": 14}[article]


def test_draft_of_a_dosed_leaflet_keeps_each_dose_beside_its_drug(tmp_path: Path) -> None:
    text = ("ACE inhibitors, such as lisinopril, are usually started at 10 mg once daily, which your doctor "
            "may gradually increase to 40 mg.")
    document = Document(slug="d", title="Doses", lang="en", sections=(Section(None, 2, (para(text),)),),
                        disclaimer=Disclaimer(DISCLAIMER_TEXT), source=tmp_path / "d.md")
    draft = " ".join(section_texts(draft_edition(document).sections))
    assert draft == ("ACE inhibitors, such as lisinopril, are usually started at 10 mg once daily, which your "
                     "doctor may slowly increase to 40 mg.")
