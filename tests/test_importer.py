"""handout import: a Word document written as our Markdown source builds the same handouts as the Word file."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from wordfiles import article, tiny_png

from pipeline.errors import ArticleError
from pipeline.importer import import_article, markdown_source
from pipeline.model import Disclaimer, Document, Emphasis, LineBreak, Link, Paragraph, Section, Strong, Text
from pipeline.readers import read_article
from pipeline.readers.docx import convert
from pipeline.readers.markdown import _markdown
from pipeline.renderers.html import page_html
from pipeline.settings import Settings


def same_content(a: Document, b: Document) -> bool:
    """Equal but for where each came from (the file, its line numbers) and what its reader said about it."""

    def content(document: Document) -> str:
        anonymous = dataclasses.replace(document, source=Path("-"), plain=None, warnings=())
        return re.sub(r"line=\d+", "line=0", repr(anonymous))

    return content(a) == content(b)


def test_the_imported_article_builds_the_same_handouts_as_the_word_file(tmp_path: Path) -> None:
    word = article(tmp_path)
    imported = import_article(word, tmp_path / "source")
    assert imported.markdown == tmp_path / "source" / "knee-pain.md"
    assert imported.pictures == [tmp_path / "source" / "knee-pain.assets" / "picture-1.png"]
    # The picture as the handouts carry it: decoded and written again, nothing but its pixels and size.
    assert imported.pictures[0].read_bytes() == convert(word).pictures["knee-pain.assets/picture-1.png"]
    assert imported.pictures[0].read_bytes() != tiny_png()

    from_word, from_text = read_article(word), read_article(imported.markdown)
    assert same_content(from_word, from_text)
    assert dataclasses.replace(from_word, warnings=()) == from_word  # warnings are not content
    assert from_text.warnings == () and from_word.warnings
    out = Settings(out_dir=tmp_path / "out")
    assert page_html(from_word, out) == page_html(from_text, out)


def test_the_markdown_reads_as_a_person_would_write_it(tmp_path: Path) -> None:
    text = import_article(article(tmp_path), tmp_path / "source").markdown.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Knee pain\nlang: en-US\n---\n\nKnee pain is common.")
    for line in ("## What causes it", "Most knee pain comes from **wear** and *injury*.", "- Rest your knee.",
                 "  - Wrap the ice in a towel.", "1. Take your medicine.", "### Medicines",
                 "| Medicine | How much |", "| --- | --- |", "## When to call your doctor",
                 "Call us if your knee swells. Read more on [our knee page](https://example.org/knee).",
                 "![A knee with ice on it](knee-pain.assets/picture-1.png)"):
        assert line in text.split("\n"), line
    assert text.endswith("\n\nDisclaimer: This handout is for information only. Ask your own doctor about "
                         "your care.\n")


def test_an_existing_article_is_replaced_only_when_asked(tmp_path: Path) -> None:
    word = article(tmp_path)
    target = tmp_path / "source" / "knee-pain.md"
    target.parent.mkdir()
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ArticleError, match="already exists") as raised:
        import_article(word, target.parent)
    assert raised.value.exit_code == 2
    assert target.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in target.parent.iterdir()) == ["knee-pain.md"]  # nothing half-made
    import_article(word, target.parent, force=True)
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: Knee pain")


def test_only_word_documents_are_imported(tmp_path: Path) -> None:
    markdown = tmp_path / "hands.md"
    markdown.write_text("---\ntitle: Hands\n---\nWash.\n\nDisclaimer: Ask.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="not a Word document"):
        import_article(markdown, tmp_path / "source")
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(ArticleError, match=r"old Word file \(\.doc\)"):
        import_article(tmp_path / "old.docx", tmp_path / "source")
    assert not (tmp_path / "source").exists() or not any((tmp_path / "source").iterdir())


def test_a_disclaimer_from_a_property_goes_to_the_front_matter(tmp_path: Path) -> None:
    document = Document(slug="a", title="A: the \"first\" one", lang="en",
                        sections=(Section(heading=None, level=2, blocks=(Paragraph((Text("Hello."),)),)),),
                        disclaimer=Disclaimer(text="Only information: ask your doctor."), source=tmp_path / "a.md")
    path = tmp_path / "a.md"
    path.write_text(markdown_source(document), encoding="utf-8")
    assert same_content(read_article(path), document)


# Text Word could hold, with every character Markdown gives a meaning to.
TRICKY = st.text(alphabet=st.sampled_from(list("ab 1.)-+=#*_`[]()<>!|&;\\~:\"'/@é")), min_size=1, max_size=24)


def normal(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=TRICKY, bold=TRICKY, second=TRICKY, heading=TRICKY)
def test_any_text_survives_the_trip_through_markdown(tmp_path: Path, first: str, bold: str, second: str,
                                                     heading: str) -> None:
    first, bold, second, heading = normal(first), normal(bold), normal(second), normal(heading)
    assume(first and bold and second and heading)
    assume(not any(_markdown().linkify.test(t) for t in (first, bold, second)))
    inlines = (Text(first + " "), Strong((Text(bold),)), Text(" "), Emphasis((Text(bold),)), LineBreak(),
               Text(second), Text(" "), Link(href="https://example.org/", children=(Text(second),)))
    # The same merging the Word reader does, so the model is one it could give.
    merged: list = []
    for node in inlines:
        if merged and isinstance(node, Text) and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    document = Document(slug="t", title="T", lang="en", disclaimer=Disclaimer(text="Ask.", label="Disclaimer"),
                        source=tmp_path / "t.md", sections=(
                            Section(heading=None, level=2, blocks=(Paragraph(tuple(merged)),)),
                            Section(heading=heading, level=2, blocks=(Paragraph((Text(second),)),),
                                    anchor=re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "section")))
    path = tmp_path / "t.md"
    path.write_text(markdown_source(document), encoding="utf-8")
    assert same_content(read_article(path), document), path.read_text(encoding="utf-8")


def test_imported_photos_keep_their_caption_and_decorative_mark_and_nothing_private(tmp_path: Path) -> None:
    import docx
    from photos import phone_photo, private_traces
    from wordfiles import DISCLAIMER, add_photo

    from pipeline.model import pictures_in

    document = docx.Document()
    document.add_paragraph("Inhalers", style="Title")
    document.add_paragraph("Hold it upright.")
    add_photo(document, tmp_path, phone_photo(colour=(200, 0, 0)), "a.jpg", alt="A hand holding it",
              width_in=2.5, caption='Step 1: "upright"')
    add_photo(document, tmp_path, phone_photo(colour=(0, 0, 200)), "b.jpg", decorative=True, width_in=1.0)
    document.add_paragraph("Disclaimer: " + DISCLAIMER)
    document.save(str(tmp_path / "inhaler.docx"))
    imported = import_article(tmp_path / "inhaler.docx", tmp_path / "source")
    text = imported.markdown.read_text(encoding="utf-8")
    assert '![A hand holding it](inhaler.assets/picture-1.jpg "Step 1: \\"upright\\"")' in text
    assert '![](inhaler.assets/picture-2.jpg "decorative")' in text
    assert [private_traces(path.read_bytes()) for path in imported.pictures] == [[], []]
    from_word, from_text = (list(pictures_in(d.sections[0].blocks))
                            for d in (read_article(tmp_path / "inhaler.docx"), read_article(imported.markdown)))
    # The same pictures, as wide as Word showed them; a photo is compressed once more when read again.
    assert [(i.alt, i.caption, i.decorative, i.picture.width, i.picture.height) for i in from_text] == \
        [(i.alt, i.caption, i.decorative, i.picture.width, i.picture.height) for i in from_word]
    assert [i.picture.width_in for i in from_text] == pytest.approx([i.picture.width_in for i in from_word], abs=0.02)
