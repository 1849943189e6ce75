"""What staff send the web app, made into an article: recognised by content, headings found in plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.web import uploads
from pipeline.web.uploads import UploadProblem, plain_text_headings, recognise, slug_for, text_article

SEED_TEXT = Path(__file__).resolve().parent / "fixtures" / "ketamine-ptsd-article.txt"


def test_the_seed_as_the_author_published_it_gets_its_eight_headings() -> None:
    article = text_article(SEED_TEXT.read_text(encoding="utf-8"), "Ketamine for PTSD", "", "", "text file")
    stored = article.data.decode("utf-8")
    headings = [line[3:] for line in stored.splitlines() if line.startswith("## ")]
    assert headings == ["Understanding PTSD", "Traditional Treatments for PTSD",
                        "The Emergence of Ketamine in PTSD Treatment", "How Does Ketamine Work?",
                        "Clinical Studies and Findings", "Administration and Accessibility",
                        "Legal Status and Considerations", "Conclusion: A Beacon of Hope"]
    assert len(article.warnings) == 9
    assert article.warnings[0].startswith("line 1: 'Skip to main content' stands alone before the article's text")
    assert article.warnings[1].startswith("line 5: 'Understanding PTSD' looks like a heading")
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    for warning in article.warnings:
        number, quoted = int(warning.split(":")[0][5:]), warning.split("'")[1]
        assert lines[number - 1].strip() == quoted, warning


@pytest.mark.parametrize("text", [
    "Intro text that is long.\n\n# Real heading\n\nShort line\n\nA longer paragraph follows here.",
    "Intro text that is long enough.\n\nThis is a sentence.\n\nA longer paragraph follows here, see.",
    "Intro text that is long enough.\n\n1. First step\n\nA longer paragraph follows here, see.",
    "Intro text that is long enough.\n\nLast line alone",
    "Intro text that is long enough.\n\nWhat to do:\n\nA longer paragraph follows here, see.",
    "Intro text that is long enough.\n\nlowercase line\n\nA longer paragraph follows here, see.",
])
def test_lines_that_are_not_headings_stay_as_they_are(text: str) -> None:
    body, warnings = plain_text_headings(text, 1)
    assert body == text and warnings == []


def test_a_spanish_heading_in_plain_text() -> None:
    body, warnings = plain_text_headings("Texto de entrada.\n\n¿Qué es la rodilla?\n\nLa rodilla une el muslo.", 3)
    assert "## ¿Qué es la rodilla?" in body
    assert warnings[0].startswith("line 5:")


def test_slugs_are_safe_file_names() -> None:
    assert slug_for("Ketamine for PTSD: New Hope") == "ketamine-for-ptsd-new-hope"
    assert slug_for("Cuidado de la rodilla después de la cirugía") == "cuidado-de-la-rodilla-despues-de-la-cirugia"
    assert slug_for("../../etc/passwd") == "etc-passwd"
    assert slug_for("生活") == "handout"
    assert len(slug_for("word " * 100)) <= 60


def test_front_matter_in_the_text_is_kept_and_the_form_wins() -> None:
    text = "---\ntitle: From the file\nlang: es\nreviewed: 2026-01-01\n---\nCuerpo del texto.\n"
    article = text_article(text, "", "es-MX", "", "text file")
    stored = article.data.decode()
    assert "title: From the file" in stored and "lang: es-MX" in stored and "reviewed:" in stored
    assert article.slug == "from-the-file"
    with pytest.raises(UploadProblem) as problem:
        text_article("---\ntitle: [unclosed\n---\nBody.\n", "", "", "", "text file")
    assert problem.value.field == "article" and "line 2" in problem.value.problem


def test_a_word_document_is_told_from_a_zip_and_an_opendocument_file() -> None:
    import io
    import zipfile

    def zipped(names: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in names.items():
                archive.writestr(name, data)
        return buffer.getvalue()

    assert recognise(zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})) == uploads.WORD_KIND
    with pytest.raises(UploadProblem, match="OpenDocument"):
        recognise(zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}))
    with pytest.raises(UploadProblem, match="zip archive"):
        recognise(zipped({"photo.jpg": b"\xff\xd8\xff"}))
    assert recognise("Texto en español: ¿qué tal?".encode()) == uploads.TEXT_KIND
    assert recognise("\ufeffWith a byte order mark".encode()) == uploads.TEXT_KIND


def test_a_windows_ansi_upload_is_taken_with_a_warning_on_its_page(web) -> None:  # type: ignore[no-untyped-def]
    import io

    article = "# Café\n\nRest your knee – and ice it.\n\nDisclaimer: Ask us.\n".encode("cp1252")
    response = web.post("/handouts", {"article": (io.BytesIO(article), "knee.txt")},
                        content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "nee.txt: the file is not UTF-8, so it was read as Windows-1252" in page
    assert "line 1 reads &#39;Café&#39;" in page
