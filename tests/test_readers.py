"""Choosing a reader by a file's content, finding articles in folders, and refusing files that are not articles."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from wordfiles import article, cut_short, odt, ole2

from pipeline.errors import ArticleError
from pipeline.readers import KINDS, find_articles, read_article, slug_for, sniff

GOOD_MARKDOWN = "---\ntitle: Hands\n---\nWash them.\n\nDisclaimer: Ask your nurse.\n"
SAVE_AS = "save it as .docx in Word (File > Save As > Word Document)"


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    """One file of each kind people give by mistake, every one named .docx."""
    (tmp_path / "good").mkdir()
    good = article(tmp_path / "good")
    other_zip = tmp_path / "photos.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("photo.txt", "not a document")
    (tmp_path / "letter.docx").write_bytes(b"{\\rtf1\\ansi Hello}")
    (tmp_path / "scan.docx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    return {
        "doc": ole2(tmp_path / "old.docx", encrypted=False),
        "encrypted": ole2(tmp_path / "locked.docx", encrypted=True),
        "rtf": tmp_path / "letter.docx",
        "odt": odt(tmp_path / "writer.docx"),
        "pdf": tmp_path / "scan.docx",
        "damaged": cut_short(tmp_path / "cut.docx", good),
        "zip": other_zip,
    }


def test_sniff_tells_each_kind_by_content_not_name(tmp_path: Path, bad_files: dict[str, Path]) -> None:
    for kind, path in bad_files.items():
        assert sniff(path) == kind, path.name
    markdown = tmp_path / "hands.docx"
    markdown.write_text(GOOD_MARKDOWN, encoding="utf-8")
    assert sniff(markdown) == "markdown"
    word = article(tmp_path, name="actually-word.md")
    assert sniff(word) == "docx"
    assert set(KINDS) == {"markdown", "docx", *bad_files}


@pytest.mark.parametrize(("kind", "problem", "fix"), [
    ("doc", "this is an old Word file (.doc), not a .docx", SAVE_AS),
    ("rtf", "this is a Rich Text file (RTF), not a .docx", SAVE_AS),
    ("odt", "this is an OpenDocument text file (.odt), not a .docx", SAVE_AS),
    ("pdf", "this is a PDF, not a Word document",
     "open the document it was made from in Word and save that as .docx (File > Save As > Word Document)"),
    ("encrypted", "the document is protected with a password, so it cannot be read",
     "remove the password in Word (File > Info > Protect Document > Encrypt with Password, clear the box), "
     "then save again"),
    ("damaged", "the file is damaged or incomplete: it is not a whole .docx",
     "open it in Word and save it again, or copy it again from where it came"),
    ("zip", "this is a zip file but not a Word document", SAVE_AS),
])
def test_each_wrong_kind_of_file_is_refused_with_what_to_do(bad_files: dict[str, Path], kind: str, problem: str,
                                                           fix: str) -> None:
    with pytest.raises(ArticleError) as raised:
        read_article(bad_files[kind])
    assert (raised.value.problem, raised.value.fix, raised.value.exit_code) == (problem, fix, 2)


def test_a_word_file_named_md_is_still_read_as_word(tmp_path: Path) -> None:
    document = read_article(article(tmp_path, name="knee.md"))
    assert document.title == "Knee pain" and document.slug == "knee"


def test_folders_give_markdown_and_word_articles_but_not_companions_or_lock_files(tmp_path: Path) -> None:
    for name in ("a.md", "c.md"):
        (tmp_path / name).write_text(GOOD_MARKDOWN, encoding="utf-8")
    (tmp_path / "a.plain.md").write_text(GOOD_MARKDOWN, encoding="utf-8")
    article(tmp_path, name="b.docx")
    article(tmp_path, name="c.docx")  # imported as c.md: the text is the one built
    article(tmp_path, name="B.docx")  # the same slug as b.docx: one folder of handouts, one article
    (tmp_path / "~$b.docx").write_bytes(b"\x05nurse" + bytes(150))
    assert [p.name for p in find_articles([tmp_path])] == ["B.docx", "a.md", "c.md"]


def test_slugs_of_word_files_are_their_names_made_safe() -> None:
    assert slug_for(Path("Knee Pain (2024).docx")) == "knee-pain-2024"
    assert slug_for(Path("Cuidado del pie diabético.docx")) == "cuidado-del-pie-diabetico"
    assert slug_for(Path("after_surgery  v2.docx")) == "after_surgery-v2"
    assert slug_for(Path("hand-washing.md")) == "hand-washing"
