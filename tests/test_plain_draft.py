"""Tests for pipeline.plain_draft: glossary marking and the automatic plain-language draft."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from conftest import make_document, para, seed_without_plain_edition

from pipeline.model import (
    Abbreviation,
    Code,
    Edition,
    Glossary,
    Link,
    Paragraph,
    Section,
    Term,
    Text,
    plain_text,
    section_texts,
)
from pipeline.plain_draft import draft_edition, mark_glossary, split_long_sentences
from pipeline.readability import reading_report
from pipeline.readers import read_article
from pipeline.renderers.html import page_html, page_reading_units
from pipeline.settings import Settings

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
    assert nodes == [Abbreviation("PTSD", "post-traumatic stress disorder", spelled_out=True),
                     Abbreviation("PTSD", "post-traumatic stress disorder", spelled_out=False),
                     Abbreviation("SSRIs", "selective serotonin reuptake inhibitors", spelled_out=True)]
    assert plain_text(inlines(marked)).startswith("post-traumatic stress disorder (PTSD) is common. PTSD can")


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
