"""Tests of the listening script: order, announcements, numbers, and what is never read aloud."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import DISCLAIMER_TEXT, make_document

from pipeline.audio.script import BEFORE_YOU_LISTEN, listening_script, split_sentences, spoken_text
from pipeline.model import Document, Paragraph, Section, Text


def test_title_then_disclaimer_then_sections_then_disclaimer_verbatim(tmp_path: Path) -> None:
    document = make_document(tmp_path)
    script = listening_script(document)
    assert [c.title for c in script] == [document.title, "Introduction", "What to do",
                                         "Doses at a glance", "Disclaimer"]
    opening = script[0].sentences
    assert opening[0].text == document.title
    assert " ".join(s.text for s in opening[1:]) == f"{BEFORE_YOU_LISTEN} {DISCLAIMER_TEXT}"
    closing = script[-1]
    assert " ".join(s.text for s in closing.paragraphs[-1]) == DISCLAIMER_TEXT
    assert " ".join(s.spoken for s in closing.paragraphs[-1]) == DISCLAIMER_TEXT


def test_each_section_is_announced_by_its_heading(tmp_path: Path) -> None:
    script = listening_script(make_document(tmp_path))
    sections = script[2:-1]
    assert [chapter.title for chapter in sections] == ["What to do", "Doses at a glance"]
    for chapter in sections:
        assert chapter.paragraphs[0][0].text == chapter.title
        assert chapter.paragraphs[0][0].spoken.rstrip(".") == chapter.title


def test_numbered_items_are_spoken_with_their_numbers(tmp_path: Path) -> None:
    chapter = listening_script(make_document(tmp_path))[2]
    spoken = [p[0].spoken for p in chapter.paragraphs]
    written = [p[0].text for p in chapter.paragraphs]
    assert "Number 1: Turn off screens an hour before bed." in spoken
    assert "Number 2: Keep the bedroom dark and cool." in spoken
    assert "1. Turn off screens an hour before bed." in written


def test_no_markup_link_addresses_or_symbols_are_spoken(tmp_path: Path) -> None:
    document = make_document(tmp_path)
    extra = Section(heading="More", level=2, blocks=(
        Paragraph(inlines=(Text("See https://www.example.org/path?q=1 or **ask** [us] {now} #1 `x` ~ ^ |."),)),))
    script = listening_script(replace(document, sections=document.sections + (extra,)))
    spoken = " ".join(s.spoken for c in script for s in c.sentences)
    assert "example dot org" in spoken
    for leftover in ("http", "www", "/", "?q", "*", "[", "]", "{", "}", "#", "`", "~", "^", "|", "_"):
        assert leftover not in spoken, leftover
    assert "sleep guide" in spoken and "example.org/sleep" not in spoken


def test_the_lexicon_changes_what_is_said_but_not_the_captions(tmp_path: Path) -> None:
    document = replace(make_document(tmp_path), lexicon=(("mg", "milligrams"),))
    table = listening_script(document)[3].sentences[-1]
    assert table.text == "Medicine: Melatonin; Dose: 3 mg."
    assert table.spoken == "Medicine: Melatonin; Dose: 3 milligrams."


def _spoken_section(document: Document, text: str) -> tuple[str, str]:
    extra = Section(heading=None, level=2, blocks=(Paragraph(inlines=(Text(text),)),))
    sentence = listening_script(replace(document, sections=(extra,)))[1].sentences[-1]
    return sentence.text, sentence.spoken


@pytest.mark.parametrize(("lang", "written", "said"), [
    ("en", "Take 500 mg; call if over 38 °C.", "Take 500 milligrams; call if over 38 degrees Celsius."),
    ("fr", "Prenez 500 mg toutes les 6 h, sans dépasser 4 000 mg.",
     "Prenez 500 milligrammes toutes les 6 heures, sans dépasser 4000 milligrammes."),
    ("es", "No pase de 4 000 mg al día si tiene más de 38 °C.",
     "No pase de 4000 miligramos al día si tiene más de 38 grados centígrados."),
    ("pt", "Tome 50 mg; até 1 500 mg por dia; febre de 37,5°.",
     "Tome 50 miligramas; até 1500 miligramas por dia; febre de 37,5 graus."),
])
def test_each_language_says_units_and_grouped_thousands_in_its_own_words(
        tmp_path: Path, lang: str, written: str, said: str) -> None:
    # No lexicon beside the article: the language's own rules apply; the captions keep what was written.
    assert _spoken_section(replace(make_document(tmp_path, lang=lang), lexicon=()), written) == (written, said)


def test_the_clinics_rule_takes_the_place_of_the_languages_for_the_same_term(tmp_path: Path) -> None:
    document = replace(make_document(tmp_path, lang="fr"), lexicon=(("mg", "milligramme"), ("AVC", "a v c")))
    assert _spoken_section(document, "Prenez 5 mg après un AVC.")[1] == "Prenez 5 milligramme après un a v c."


def test_a_telephone_number_written_in_groups_is_said_as_written(tmp_path: Path) -> None:
    document = replace(make_document(tmp_path, lang="es"), lexicon=())
    assert _spoken_section(document, "Llame al 91 555 12 34 o al 555 123 4567.")[1] == \
        "Llame al 91 555 12 34 o al 555 123 4567."


def test_capitals_without_a_rule_are_spelled_out(tmp_path: Path) -> None:
    document = replace(make_document(tmp_path), title="Help from the FDA")
    first = listening_script(document)[0].sentences[0]
    assert (first.text, first.spoken) == ("Help from the FDA", "Help from the F D A.")


def test_sentences_split_keeping_closing_quotes() -> None:
    assert split_sentences('He said "stop." Then (he left.) 2 more! ok') == (
        'He said "stop."', "Then (he left.)", "2 more! ok")


def test_dashes_and_curly_quotes_become_pauses_and_plain_apostrophes() -> None:
    assert spoken_text("Enter ketamine \u2013 a \u201cnew\u201d drug that\u2019s here") == \
        "Enter ketamine, a new drug that's here"


def test_a_picture_is_said_where_it_stands_as_picture_and_its_description_then_its_caption(tmp_path: Path) -> None:
    from conftest import picture_document

    chapter = listening_script(picture_document(tmp_path))[2]
    said = [s.text for p in chapter.paragraphs for s in p]
    assert said == [
        "How to use it", "Your inhaler sends medicine into your lungs.",
        "Picture: A hand holding an inhaler upright, mouthpiece at the bottom", "Step 1: hold it upright",
        "1. Breathe out all the way.", "Picture: A person breathing out", "2. Press once and breathe in slowly.",
        "Picture: A chart of your doses", "Picture with no description"]
    spoken = [s.spoken for p in chapter.paragraphs for s in p]
    assert "Picture: A person breathing out." in spoken  # said as a sentence, with its pause
    # The decorative border is not spoken at all.
    assert len(said) == 9


def test_a_spanish_picture_is_said_in_spanish(tmp_path: Path) -> None:
    from conftest import picture_document

    said = [s.text for c in listening_script(picture_document(tmp_path, lang="es")) for s in c.sentences]
    assert "Imagen: A person breathing out" in said and "Imagen sin descripción" in said
    assert not [text for text in said if text.startswith("Picture")]
