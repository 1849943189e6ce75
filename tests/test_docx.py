"""The Word reader: a .docx made as a clinic's Word saves it becomes a Document, with warnings staff can act on."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.enum.style import WD_STYLE_TYPE
from photos import declared_png, phone_photo, private_traces
from wordfiles import (
    DISCLAIMER,
    add_custom_property,
    add_fake_heading,
    add_link,
    add_photo,
    add_picture,
    append_xml,
    article,
    new_document,
    rewrite_parts,
    text_box,
)

from pipeline.errors import ArticleError
from pipeline.model import (
    Emphasis,
    Image,
    Link,
    ListBlock,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
    section_texts,
)
from pipeline.readers import read_article
from pipeline.readers.docx import convert
from pipeline.renderers.html import page_html
from pipeline.settings import Settings


def save(document, folder: Path, name: str = "leaflet.docx", disclaimer: bool = True) -> Path:  # type: ignore[no-untyped-def]
    if disclaimer:
        document.add_paragraph("Disclaimer: " + DISCLAIMER)
    path = folder / name
    document.save(str(path))
    return path


def titled(title: str = "Wrist care"):  # type: ignore[no-untyped-def]
    document = new_document()
    document.add_paragraph(title, style="Title")
    return document


def all_text(document) -> str:  # type: ignore[no-untyped-def]
    return " ".join(section_texts(document.sections))


def warning_with(document, words: str) -> str:  # type: ignore[no-untyped-def]
    found = [w for w in document.warnings if words in w]
    assert found, f"no warning with {words!r} in {document.warnings}"
    return found[0]


# ---------------------------------------------------------------- what is kept


def test_a_typical_handout_keeps_title_headings_lists_table_picture_link_and_disclaimer(tmp_path: Path) -> None:
    document = read_article(article(tmp_path))
    assert document.slug == "knee-pain"
    assert document.title == "Knee pain"
    assert document.lang == "en-US"  # the language of Word's Normal text
    assert [(s.heading, s.level) for s in document.sections] == [
        (None, 2), ("What causes it", 2), ("Medicines", 3), ("When to call your doctor", 2)]
    opening, causes, medicines, call = document.sections
    assert opening.blocks == (Paragraph(inlines=(Text("Knee pain is common. Most of it gets better with rest."),)),)

    words, bullets, numbered = causes.blocks
    assert words.inlines == (Text("Most knee pain comes from "), Strong((Text("wear"),)), Text(" and "),
                             Emphasis((Text("injury"),)), Text("."))
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert [plain_text(item.blocks[0].inlines) for item in bullets.items] == ["Rest your knee.", "Put ice on it."]
    nested = bullets.items[1].blocks[1]
    assert isinstance(nested, ListBlock)
    assert plain_text(nested.items[0].blocks[0].inlines) == "Wrap the ice in a towel."
    assert isinstance(numbered, ListBlock) and numbered.ordered
    assert [plain_text(item.blocks[0].inlines) for item in numbered.items] == [
        "Take your medicine.", "Walk a little each day."]

    (table,) = medicines.blocks
    assert isinstance(table, Table)
    assert [plain_text(c.inlines) for c in table.header] == ["Medicine", "How much"]
    assert [[plain_text(c.inlines) for c in row] for row in table.rows] == [
        ["Ibuprofen", "200 mg"], ["Paracetamol", "500 mg"]]

    paragraph, picture = call.blocks
    assert Link(href="https://example.org/knee", children=(Text("our knee page"),)) in paragraph.inlines
    (image,) = picture.inlines
    assert (image.src, image.alt, image.caption, image.decorative) == (
        "knee-pain.assets/picture-1.png", "A knee with ice on it", "", False)
    assert image.picture is not None and (image.picture.width, image.picture.height) == (1, 1)

    assert document.disclaimer.text == DISCLAIMER
    assert "Disclaimer" not in all_text(document)
    assert document.warnings == (
        "paragraph 17: 'When to call your doctor' looks like a heading; style it Heading 1 in Word so every "
        "reader finds it",)


def test_the_pictures_bytes_come_with_the_document_made_safe(tmp_path: Path) -> None:
    conversion = convert(article(tmp_path))
    assert list(conversion.pictures) == ["knee-pain.assets/picture-1.png"]
    data = conversion.pictures["knee-pain.assets/picture-1.png"]
    image = conversion.document.sections[-1].blocks[-1].inlines[0]
    assert data == image.picture.data and data.startswith(b"\x89PNG") and private_traces(data) == []


def test_the_title_comes_from_the_title_property_when_no_line_is_styled_title(tmp_path: Path) -> None:
    document = new_document()
    document.core_properties.title = "Caring for your cast"
    document.add_paragraph("Keep it dry.")
    assert read_article(save(document, tmp_path)).title == "Caring for your cast"


def test_a_first_heading_or_bold_line_stands_in_for_the_title_with_a_warning(tmp_path: Path) -> None:
    document = new_document()
    document.add_heading("Caring for your cast", level=1)
    document.add_paragraph("Keep it dry.")
    read = read_article(save(document, tmp_path))
    assert read.title == "Caring for your cast"
    assert warning_with(read, "paragraph 1:") == \
        "paragraph 1: 'Caring for your cast' is used as the title; style it Title in Word so every reader finds it"

    document = new_document()
    add_fake_heading(document, "Caring for your cast", bold=False, size=20)
    document.add_paragraph("Keep it dry.")
    assert read_article(save(document, tmp_path, "bold.docx")).title == "Caring for your cast"


def test_a_document_without_a_title_is_refused(tmp_path: Path) -> None:
    document = new_document()
    document.add_paragraph("Keep it dry.")
    with pytest.raises(ArticleError, match="no title") as raised:
        read_article(save(document, tmp_path))
    assert raised.value.exit_code == 2
    assert "Title" in raised.value.fix


def test_language_from_the_language_property_else_normal_text_else_english(tmp_path: Path) -> None:
    document = titled("Cuidado de la muñeca")
    document.core_properties.language = "es-MX"
    document.add_paragraph("Mantenga el yeso seco.")
    document.add_paragraph("Aviso: Esta hoja es solo informativa.")
    assert read_article(save(document, tmp_path, disclaimer=False)).lang == "es-MX"

    path = save(titled().add_paragraph("Keep it dry.").part.document, tmp_path, "plain.docx")
    rewrite_parts(path, {}, edit={"word/styles.xml": lambda xml: re.sub(rb"<w:lang [^>]*/>", b"", xml)})
    assert read_article(path).lang == "en"


def test_headings_below_the_title_become_levels_two_and_down_without_skipping(tmp_path: Path) -> None:
    document = titled()
    document.add_heading("Care", level=2)
    document.add_paragraph("Rest.")
    document.add_heading("At night", level=3)
    document.add_paragraph("Raise it.")
    document.add_heading("Too deep", level=5)
    document.add_paragraph("Text.")
    read = read_article(save(document, tmp_path))
    assert [(s.heading, s.level) for s in read.sections] == [("Care", 2), ("At night", 3), ("Too deep", 4)]
    assert warning_with(read, "Too deep") == (
        "paragraph 6: 'Too deep' is a Heading 5 right after a Heading 3; make it Heading 4 so no level is skipped")


def test_an_empty_heading_is_left_out_and_named(tmp_path: Path) -> None:
    document = titled()
    document.add_paragraph("Rest your wrist.")
    document.add_heading("", level=1)
    document.add_paragraph("Raise it.")
    read = read_article(save(document, tmp_path))
    assert [s.heading for s in read.sections] == [None]
    assert "a Heading 1 after paragraph 2 ('Rest your wrist.') has no words" in " ".join(read.warnings)


# ---------------------------------------------------------------- headings Word does not know about


def test_bold_and_larger_lines_alone_are_made_headings_and_named(tmp_path: Path) -> None:
    document = titled()
    document.add_heading("Care", level=1)
    document.add_paragraph("Rest your wrist.")
    add_fake_heading(document, "When to call us")
    document.add_paragraph("Call if it swells.")
    add_fake_heading(document, "Questions?", bold=False, size=16)
    document.add_paragraph("Ask your nurse.")
    read = read_article(save(document, tmp_path))
    assert [(s.heading, s.level) for s in read.sections] == [
        ("Care", 2), ("When to call us", 2), ("Questions?", 2)]
    assert read.warnings == (
        "paragraph 4: 'When to call us' looks like a heading; style it Heading 1 in Word so every reader finds it",
        "paragraph 6: 'Questions?' looks like a heading; style it Heading 1 in Word so every reader finds it")


def test_bold_sentences_lead_ins_and_runs_of_bold_lines_stay_text(tmp_path: Path) -> None:
    document = titled()
    add_fake_heading(document, "Do not get the cast wet.")  # a sentence
    paragraph = document.add_paragraph()
    paragraph.add_run("Note").bold = True
    paragraph.add_run(" the cast takes two days to dry")  # a bold lead-in, not a line alone
    add_fake_heading(document, "Clinic name")  # an address block: bold lines together
    add_fake_heading(document, "1 Main Street")
    document.add_paragraph("Call us on weekdays.")
    add_picture(document, tmp_path, "A cast")
    document.add_paragraph("Rest.", style="List Bullet")
    read = read_article(save(document, tmp_path))
    assert [s.heading for s in read.sections] == [None]
    assert not [w for w in read.warnings if "looks like a heading" in w]


# ---------------------------------------------------------------- the disclaimer


def test_the_disclaimer_from_a_closing_paragraph(tmp_path: Path) -> None:
    document = titled()
    document.add_paragraph("Rest your wrist.")
    read = read_article(save(document, tmp_path))
    assert read.disclaimer.text == DISCLAIMER and read.disclaimer.label == "Disclaimer"
    assert all_text(read) == "Rest your wrist."


def test_the_disclaimer_from_a_section_in_the_articles_language(tmp_path: Path) -> None:
    document = titled("Cuidado de la muñeca")
    document.add_paragraph("Mantenga el yeso seco.")
    document.add_heading("Aviso importante", level=2)
    document.add_paragraph("Esta hoja es solo informativa.")
    document.add_paragraph("Pregunte a su médico.")
    read = read_article(save(document, tmp_path, disclaimer=False))
    assert read.disclaimer.text == "Esta hoja es solo informativa. Pregunte a su médico."
    assert read.disclaimer.label == "Aviso importante"
    assert [s.heading for s in read.sections] == [None]


def test_the_disclaimer_from_a_document_property(tmp_path: Path) -> None:
    document = titled()
    document.add_paragraph("Rest your wrist.")
    path = save(document, tmp_path, disclaimer=False)
    add_custom_property(path, "Disclaimer", DISCLAIMER)
    read = read_article(path)
    assert read.disclaimer.text == DISCLAIMER and read.disclaimer.label == ""


def test_no_disclaimer_or_two_different_ones_is_an_input_error(tmp_path: Path) -> None:
    document = titled()
    document.add_paragraph("Rest your wrist.")
    path = save(document, tmp_path, disclaimer=False)
    with pytest.raises(ArticleError, match="no disclaimer") as raised:
        read_article(path)
    assert raised.value.exit_code == 2
    add_custom_property(path, "disclaimer", "Something else entirely.")
    document.add_paragraph("Disclaimer: " + DISCLAIMER)
    document.save(str(path))
    add_custom_property(path, "disclaimer", "Something else entirely.")
    with pytest.raises(ArticleError, match="two different disclaimers"):
        read_article(path)


# ---------------------------------------------------------------- pictures and links


def test_a_picture_without_a_description_is_named_never_by_its_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    for alt, warning in ((None, "paragraph 19: a picture has no description; it is printed and shown, but readers "
                                "who cannot see it meet only 'Picture with no description'; describe it in Word "
                                "(right-click > View Alt Text), or mark it decorative there if it adds nothing to "
                                "the text"),
                         ("IMG_2041.JPG", "paragraph 19: a picture is described only by its file name "
                                          "'IMG_2041.JPG', so readers who cannot see it meet no description; "
                                          "describe it in Word (right-click > View Alt Text)"),
                         ("C:\\Users\\nurse\\Pictures\\knee.png", "described only by its file name")):
        path = article(folder, picture_alt=alt)
        read = read_article(path)
        picture = read.sections[-1].blocks[-1].inlines[0]
        assert (picture.src, picture.alt) == ("knee-pain.assets/picture-1.png", "") and picture.picture
        assert warning in warning_with(read, "paragraph 19: a picture")
        assert len([w for w in read.warnings if "paragraph 19" in w]) == 1
        page = lxml.html.fromstring(page_html(read, Settings(out_dir=tmp_path / "out")))
        assert page.xpath("//main//figure/img/@alt") == ["Picture with no description"]
        assert "IMG_2041" not in lxml.html.tostring(page, encoding="unicode")


def test_words_word_added_to_a_description_itself_are_flagged(tmp_path: Path) -> None:
    read = read_article(article(tmp_path, picture_alt="A person holding ice. Description automatically generated"))
    assert read.sections[-1].blocks[-1].inlines[0].alt == "A person holding ice."
    assert "written by Word itself" in warning_with(read, "paragraph 19")


def test_pictures_linked_from_outside_the_file_are_never_fetched(tmp_path: Path) -> None:
    document = titled()
    paragraph = document.add_paragraph("See the picture.")
    rid = paragraph.part.relate_to("http://192.0.2.1/leak.png", docx.opc.constants.RELATIONSHIP_TYPE.IMAGE,
                                   is_external=True)
    append_xml(paragraph, '<w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="9" name="p" '
                          'descr="A leak"/><a:graphic><a:graphicData><pic:pic><pic:blipFill>'
                          f'<a:blip r:link="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
                          '</wp:inline></w:drawing></w:r>')
    read = read_article(save(document, tmp_path))
    assert not [n for s in read.sections for b in s.blocks for n in getattr(b, "inlines", ()) if
                isinstance(n, Image)]
    assert warning_with(read, "linked from outside") == (
        "paragraph 2: a picture linked from outside the document (http://192.0.2.1/leak.png) is not fetched; "
        "insert the picture itself (Insert > Pictures > This Device)")


def test_only_web_and_email_links_survive(tmp_path: Path) -> None:
    document = titled()
    paragraph = document.add_paragraph("Links: ")
    add_link(paragraph, "https://example.org/a", "web")
    add_link(paragraph, "mailto:clinic@example.org", "email")
    add_link(paragraph, "file:///C:/Users/nurse/notes.docx", "my notes")
    add_link(paragraph, "javascript:alert(1)", "script")
    paragraph.add_run(" and www.example.org typed out.")
    read = read_article(save(document, tmp_path))
    inlines = read.sections[0].blocks[0].inlines
    assert [(n.href, plain_text(n.children)) for n in inlines if isinstance(n, Link)] == [
        ("https://example.org/a", "web"), ("mailto:clinic@example.org", "email"),
        ("http://www.example.org", "www.example.org")]
    assert plain_text(inlines) == "Links: webemailmy notesscript and www.example.org typed out."
    assert warning_with(read, "my notes") == (
        "paragraph 2: the link on 'my notes' leads to 'file:///C:/Users/nurse/notes.docx', which is not a web "
        "page or email address; it is kept as plain text")


# ---------------------------------------------------------------- what is left out, and said


def test_text_boxes_headers_footers_comments_and_footnotes_are_left_out_and_named(tmp_path: Path) -> None:
    document = titled()
    document.sections[0].header.paragraphs[0].text = "Valley Clinic"
    document.sections[0].footer.paragraphs[0].text = "Page 1"
    paragraph = document.add_paragraph("Rest your wrist.")
    append_xml(paragraph, text_box("Call 555 0100"))
    commented = document.add_paragraph("Raise it at night.")
    document.add_comment(commented.runs, text="Is this right?", author="Nurse")
    noted = document.add_paragraph("Take ibuprofen.")
    append_xml(noted, '<w:r><w:footnoteReference w:id="1"/></w:r>')
    read = read_article(save(document, tmp_path))
    assert all_text(read) == "Rest your wrist. Raise it at night. Take ibuprofen."
    assert read.warnings == (
        "paragraph 3: comments left out (1 paragraph with comments); comments are not carried over, so put "
        "anything a reader needs into the text",
        "paragraph 4: footnotes and endnotes left out (1); put anything a reader needs into the text",
        "text in a text box near 'Rest your wrist.' is not carried over: 'Call 555 0100'; move it into the text",
        "the page footer says 'Page 1': headers and footers are not carried over, so put anything a reader needs "
        "into the text",
        "the page header says 'Valley Clinic': headers and footers are not carried over, so put anything a reader "
        "needs into the text",
    )


def test_tracked_changes_are_read_accepted_and_named(tmp_path: Path) -> None:
    document = titled()
    paragraph = document.add_paragraph("Rest your wrist ")
    append_xml(paragraph, '<w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>for a day'
                          '</w:delText></w:r></w:del><w:ins w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
                          '<w:r><w:t>for two days</w:t></w:r></w:ins>')
    read = read_article(save(document, tmp_path))
    assert all_text(read) == "Rest your wrist for two days"
    assert warning_with(read, "tracked changes") == (
        "paragraph 2: the document has tracked changes (1 paragraph); the text with every change accepted is used. "
        "Accept or reject them in Word (Review > Accept) so the handout says what you meant")


def test_a_table_of_contents_is_left_out(tmp_path: Path) -> None:
    document = titled()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Contents", style="TOC Heading")
    document.add_paragraph("Care\t2", style="toc 1")
    document.add_heading("Care", level=1)
    document.add_paragraph("Rest.")
    read = read_article(save(document, tmp_path))
    assert all_text(read) == "Care Rest."
    assert "the table of contents is left out" in warning_with(read, "contents")


def test_content_of_a_kind_the_handouts_cannot_carry_is_named(tmp_path: Path) -> None:
    document = titled()
    paragraph = document.add_paragraph("The dose is ")
    append_xml(paragraph, '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
                          '<m:r><m:t>x+1</m:t></m:r></m:oMath>')
    chart = document.add_paragraph("Doses by week:")
    append_xml(chart, '<w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="7" name="c"/>'
                      '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
                      '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    read = read_article(save(document, tmp_path))
    assert all_text(read) == "The dose is Doses by week:"
    assert read.warnings == ("paragraph 2: an equation is left out; write what it says as text",
                             "paragraph 3: a chart is left out; say what it shows in the text")


def test_markup_typed_as_text_stays_text(tmp_path: Path) -> None:
    document = titled()
    document.add_paragraph('<script>alert(1)</script> <b>not bold</b> & **not strong**')
    read = read_article(save(document, tmp_path))
    assert read.sections[0].blocks[0].inlines == (
        Text('<script>alert(1)</script> <b>not bold</b> & **not strong**'),)


# ---------------------------------------------------------------- names and companions


def test_the_slug_is_the_file_name_made_safe_and_companions_are_found_by_it(tmp_path: Path) -> None:
    path = article(tmp_path, name="Knee Pain (2024).docx")
    (tmp_path / "knee-pain-2024.plain.md").write_text(
        "---\ntitle: Sore knees\n---\nRest your knee.\n\n## Call us\n\nIf it swells.\n", encoding="utf-8")
    (tmp_path / "glossary.yml").write_text("terms:\n  ibuprofen: a pain medicine\n", encoding="utf-8")
    read = read_article(path)
    assert read.slug == "knee-pain-2024"
    assert read.plain is not None and read.plain.title == "Sore knees"
    assert read.glossary.terms == (("ibuprofen", "a pain medicine"),)


def test_a_word_file_whose_name_leaves_nothing_is_refused(tmp_path: Path) -> None:
    path = article(tmp_path)
    renamed = path.rename(tmp_path / "(1).docx")
    shutil.copy(renamed, tmp_path / "...docx")
    with pytest.raises(ArticleError, match="cannot be used to name the handouts"):
        read_article(tmp_path / "...docx")


# ---------------------------------------------------------------- a file made by another tool


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed (Debian package pandoc)")
def test_a_docx_written_by_pandoc(tmp_path: Path) -> None:
    source = tmp_path / "in.md"
    source.write_text(
        "---\ntitle: Ankle sprain\n---\n\nMost sprains heal in weeks.\n\n# What to do\n\n"
        "- Rest\n- Ice\n    - wrapped in a towel\n\n1. Call us\n2. Book a visit\n\n"
        "| Day | Do |\n|---|---|\n| 1 | Rest |\n\nSee <https://example.org> for **more**.\n\n"
        "# Disclaimer\n\nFor information only.\n", encoding="utf-8")
    target = tmp_path / "ankle.docx"
    subprocess.run(["pandoc", str(source), "-o", str(target)], check=True)
    read = read_article(target)
    assert read.title == "Ankle sprain"
    assert [s.heading for s in read.sections] == [None, "What to do"]
    bullets, numbered, table, paragraph = read.sections[1].blocks
    assert isinstance(bullets, ListBlock) and isinstance(bullets.items[1].blocks[1], ListBlock)
    assert isinstance(numbered, ListBlock) and numbered.ordered
    assert isinstance(table, Table) and [plain_text(c.inlines) for c in table.header] == ["Day", "Do"]
    assert Strong((Text("more"),)) in paragraph.inlines
    assert any(isinstance(n, Link) and n.href == "https://example.org" for n in paragraph.inlines)
    assert read.disclaimer.text == "For information only."


# ---------------------------------------------------------------- pictures shown


def phones_document(folder: Path, **second: object) -> Path:
    """A leaflet with two phone photos: one described in Word with a caption under it, one not."""
    document = titled("Using your inhaler")
    document.add_paragraph("Hold the inhaler upright, like this.")
    add_photo(document, folder, phone_photo(colour=(200, 0, 0)), "first.jpg", alt="A hand holding an inhaler upright",
              width_in=2.5, caption="Step 1: hold it upright")
    document.add_paragraph("Then breathe out.")
    add_photo(document, folder, phone_photo(colour=(0, 0, 200)), "second.jpg", width_in=2.0, **second)
    return save(document, folder, "inhaler.docx")


def pictures_of(document) -> list:  # type: ignore[no-untyped-def]
    return [b.inlines[0] for s in document.sections for b in s.blocks
            if isinstance(b, Paragraph) and len(b.inlines) == 1 and isinstance(b.inlines[0], Image)]


def test_a_word_files_phone_photos_are_taken_described_or_not_and_made_safe(tmp_path: Path) -> None:
    read = read_article(phones_document(tmp_path))
    first, second = pictures_of(read)
    assert (first.alt, first.caption, first.decorative) == ("A hand holding an inhaler upright",
                                                            "Step 1: hold it upright", False)
    assert (second.alt, second.caption) == ("", "")
    for image in (first, second):
        assert private_traces(image.picture.data) == []
        assert image.picture.height > image.picture.width  # the phone's orientation, applied
    assert (first.picture.width_in, second.picture.width_in) == (2.5, 2.0)  # as wide as Word showed them
    assert "Step 1: hold it upright" not in all_text(read).replace(first.caption, "", 1)  # not a paragraph too
    assert [w for w in read.warnings if "picture" in w] == [
        "paragraph 6: a picture has no description; it is printed and shown, but readers who cannot see it meet "
        "only 'Picture with no description'; describe it in Word (right-click > View Alt Text), or mark it "
        "decorative there if it adds nothing to the text"]


def test_a_picture_marked_decorative_in_word_is_neither_described_nor_warned_about(tmp_path: Path) -> None:
    read = read_article(phones_document(tmp_path, decorative=True, alt="Decorative border"))
    decorative = pictures_of(read)[1]
    assert decorative.decorative and decorative.alt == "" and decorative.picture is not None
    assert not [w for w in read.warnings if "picture" in w]


def test_descriptions_kept_beside_the_word_file_describe_its_pictures(tmp_path: Path) -> None:
    path = phones_document(tmp_path)
    second = pictures_of(read_article(path))[1]
    (tmp_path / "inhaler.pictures.yml").write_text(
        f"pictures:\n  {second.picture.key}:\n    description: A hand pressing the canister\n", encoding="utf-8")
    read = read_article(path)
    assert pictures_of(read)[1].alt == "A hand pressing the canister"
    assert not [w for w in read.warnings if "no description" in w]


@pytest.mark.parametrize("data, problem, fix", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "paragraph 3: a picture cannot be used: it is an SVG drawing, which can carry script",
     "Save as Picture > PNG"),
    (declared_png(60_000, 60_000), "paragraph 3: a picture cannot be used: it declares 60,000 x 60,000 pixels "
                                   "(3,600 megapixels), over the 40-megapixel limit", "at most 6000 pixels"),
])
def test_a_picture_inside_a_word_file_that_is_no_safe_picture_stops_the_document(tmp_path: Path, data: bytes,
                                                                                  problem: str, fix: str) -> None:
    path = phones_document(tmp_path)
    rewrite_parts(path, {"word/media/image1.jpg": data})
    with pytest.raises(ArticleError) as refused:
        read_article(path)
    assert refused.value.problem == problem and fix in refused.value.fix and refused.value.exit_code == 2
