"""The staff web app's routes through Flask's test client: forms, errors, the API, and what it refuses."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE, WebClient, finished_job

from pipeline.web.jobs import Job


def upload(web: WebClient, data: bytes, name: str = "article.md", **fields: str):  # type: ignore[no-untyped-def]
    form = {"article": (io.BytesIO(data), name), **fields}
    return web.post("/handouts", form, content_type="multipart/form-data")


def library(web: WebClient):  # type: ignore[no-untyped-def]
    return web.app.config["LIBRARY"]


def only_job(web: WebClient) -> Job:
    jobs = library(web).all()
    assert len(jobs) == 1, [job.id for job in jobs]
    return jobs[0]


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- pages


def test_start_page_with_an_empty_library(web: WebClient) -> None:
    response = web.get("/")
    page = text_of(response)
    assert response.status_code == 200
    assert page.count("<h1") == 1 and "<h1>Make a handout</h1>" in page
    assert "<title>Make a handout – Patient handouts</title>" in page
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in page
    assert "No handouts yet" in page
    assert '<input type="file" name="article" id="article"' in page and '<label for="article">' in page


def test_every_html_page_carries_the_security_headers(web: WebClient) -> None:
    response = web.get("/")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert script_src.strip() == "'self'", csp
    assert "unsafe-inline" not in csp.split("style-src")[0]
    assert "http" not in csp, "no other origin may be allowed"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in text_of(response) and "http-equiv" not in text_of(response)


def test_an_uploaded_article_becomes_a_queued_job_and_a_redirect(web: WebClient) -> None:
    response = upload(web, HANDS_ARTICLE.encode(), name="../../etc/passwd.md")
    assert response.status_code == 303
    job = only_job(web)
    assert response.headers["Location"].endswith(f"/handouts/{job.id}")
    assert job.title == "Washing Your Hands" and job.slug == "washing-your-hands" and job.state == "queued"
    folder = library(web).root / job.id
    assert (folder / "source" / "washing-your-hands.md").read_text(encoding="utf-8").endswith(
        "Disclaimer: Ask your nurse if you have questions.\n")
    # The upload's name is never a path: nothing was written outside the job's folder.
    assert sorted(p.name for p in (folder / "source").iterdir()) == sorted(
        ["washing-your-hands.md", "glossary.yml", "plain-words.yml", "lexicon.txt"])
    page = text_of(web.get(f"/handouts/{job.id}"))
    assert "<h1>Washing Your Hands</h1>" in page and "Waiting." in page
    assert "Check again" in page


def test_pasted_text_with_the_form_s_title_language_and_disclaimer(web: WebClient) -> None:
    response = web.post("/handouts", {"text": "Rest your knee.\n\n## Ice\n\nUse ice for 20 minutes.",
                                      "title": "Knee Care", "lang": "es-US",
                                      "disclaimer": "Pregunte a su médico.", "options-sent": "1",
                                      "formats": ["pdf", "html"], "check": "1"})
    assert response.status_code == 303, text_of(response)
    job = only_job(web)
    assert (job.title, job.lang, job.received_as) == ("Knee Care", "es-US", "pasted text")
    assert job.options["formats"] == ["pdf", "html"] and job.options["check"] is True
    stored = (library(web).root / job.id / "source" / "knee-care.md").read_text(encoding="utf-8")
    assert "disclaimer: Pregunte a su médico." in stored and "lang: es-US" in stored
    assert job.sample == "Rest your knee."


@pytest.mark.parametrize("fields, field, words", [
    ({}, "article", "No article was given"),
    ({"text": "Some text.\n\nDisclaimer: Ask us."}, "title", "The handout has no title"),
    ({"text": "Some text.", "title": "T"}, "disclaimer", "disclaimer"),
    ({"text": "Text.\n\nDisclaimer: x", "title": "T", "options-sent": "1"}, "formats", "at least one"),
])
def test_form_errors_are_named_beside_their_field_and_summarised(web: WebClient, fields: dict, field: str,
                                                                 words: str) -> None:
    if "options-sent" not in fields:
        fields = {**fields, "options-sent": "1", "formats": ["pdf"]}
    response = web.post("/handouts", fields)
    page = text_of(response)
    assert response.status_code == 400
    assert page.startswith("<!doctype html>") and "<title>Error: Make a handout" in page
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert "autofocus" in summary and words.lower() in summary.lower()
    anchor = "format-pdf" if field == "formats" else field
    assert f'href="#{anchor}"' in summary
    assert re.search(rf'<p class="field-error" id="{field}-error">', page)
    if field != "formats":
        assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"', page)
    assert not library(web).all(), "nothing may be stored from a form with errors"
    # What was typed is kept.
    if "text" in fields:
        assert fields["text"].split("\n")[0] in page


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7\n...", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Word file"),
    (b"{\\rtf1\\ansi hello}", "Rich Text"),
    (b"\x89PNG\r\n\x1a\n" + bytes(50), "picture"),
    (b"PK\x03\x04broken", "damaged"),
    (b"Caf\xe9\nline two\x02\x81\n", "binary data, not text (line 2"),
    (b"text\x00with nul", "binary data"),
    (b"   \n", "empty"),
])
def test_files_are_recognised_by_their_content_not_their_name(web: WebClient, data: bytes, words: str) -> None:
    response = upload(web, data, name="handout.md", title="A title")
    assert response.status_code == 400
    assert words in text_of(response)
    assert not library(web).all()


@pytest.mark.parametrize("text, line", [
    ("Text.\n\n##\n\nDisclaimer: Ask.\n", 3),
    ("# Title\n\nText.\n\n##\n\nDisclaimer: Ask.\n", 5),
    ("---\ntitle: T\n---\nText.\n\n##\n\nDisclaimer: Ask.\n", 6),
])
def test_an_article_error_names_the_line_staff_see(web: WebClient, text: str, line: int) -> None:
    """The app adds front matter to what it was sent; the line named is still the line in the text sent."""
    response = web.post("/handouts", {"text": text, "title": "" if "itle" in text else "Knee"})
    page = text_of(response)
    assert response.status_code == 400
    assert text.splitlines()[line - 1] == "##"
    assert f"Line {line}: a heading has no words" in page


def test_a_hostile_article_shows_as_text_in_every_page_of_the_app(web: WebClient) -> None:
    hostile = ("---\ntitle: \"<script>alert('t')</script> <img src=x onerror=alert(1)>\"\n---\n"
               "<script>alert('body')</script>\n\n[click](javascript:alert(1)) \x07\x1b[31m red\n\n"
               + "x" * 200_000 + "\n\nDisclaimer: <b>Ask</b> us.\n")
    response = upload(web, hostile.encode(), name="<script>.md")
    assert response.status_code == 303, text_of(response)
    job = only_job(web)
    for url in ("/", f"/handouts/{job.id}", f"/handouts/{job.id}/delete"):
        body = text_of(web.get(url))
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "javascript:" not in body, url
    api = web.get(f"/api/handouts/{job.id}")
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.get_json()["title"].startswith("<script>"), "the API gives the title as data, exactly"
    page = text_of(web.get(f"/handouts/{job.id}"))
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in page
    assert job.slug == "script-alert-t-script-img-src-x-onerror-alert-1"


def test_a_form_without_its_csrf_token_is_refused(web: WebClient) -> None:
    for token in (None, "forged"):
        data = {"text": HANDS_ARTICLE}
        if token:
            data["csrf_token"] = token
        response = web.post("/handouts", data, token=False)
        assert response.status_code == 400
        assert "expired" in text_of(response)
    assert not library(web).all()


@pytest.mark.parametrize("url", ["/handouts", "/api/handouts"])
def test_a_post_from_another_site_is_refused(web: WebClient, url: str) -> None:
    data = {"text": HANDS_ARTICLE}
    response = web.post(url, data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    response = web.post(url, data, headers={"Origin": "null"})
    assert response.status_code == 403
    response = web.post(url, data, token=False, headers={"Referer": "https://evil.example/page"})
    assert response.status_code == 403
    assert not library(web).all()
    # The app's own origin is welcome.
    response = web.post(url, data, headers={"Origin": "http://localhost"})
    assert response.status_code in (202, 303), text_of(response)


def test_a_request_for_another_host_name_is_refused_without_a_password(web: WebClient) -> None:
    """A site that points its own name at 127.0.0.1 (DNS rebinding) reaches nothing."""
    assert web.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert web.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_an_upload_over_the_limit_gets_413_and_a_readable_page(web: WebClient) -> None:
    response = upload(web, b"x" * (2 * 1024 * 1024), title="Big")
    page = text_of(response)
    assert response.status_code == 413
    assert "<h1>The file is too large</h1>" in page and "larger than the 1 MB" in page
    assert not library(web).all()


def test_a_text_file_over_the_article_limit_is_refused_from_its_size_before_it_is_decoded(  # type: ignore[no-untyped-def]
        web: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.web import uploads

    def never(*args: object) -> None:
        raise AssertionError("an oversized text file was read as text")

    monkeypatch.setattr(uploads, "text_article", never)
    # Not UTF-8 either: were it decoded, that would be the complaint.
    response = upload(web, b"\xff" * 1_010_000, name="long.md", title="Long")
    page = text_of(response)
    assert response.status_code == 400
    assert "The file long.md is 1,010,000 bytes, over the 1,000,000-byte limit for an article&#39;s text" in page, page
    assert "split it into shorter articles" in page and "UTF-8" not in page
    assert not library(web).all()
    # A zip (a Word document) as long goes on to its own checks.
    response = upload(web, b"PK\x03\x04" + bytes(1_010_000), name="long.docx", title="Long")
    assert response.status_code == 400 and "damaged Word document" in text_of(response)


# ---------------------------------------------------------------- a finished handout


@pytest.fixture
def done(web: WebClient, built_seed: Path) -> Job:
    """A job whose handouts are the seed's real build (every format), as the maker leaves it."""
    return finished_job(library(web), built_seed)


def test_the_handout_page_and_an_api_poll_read_the_manifest_once(web: WebClient, done: Job,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The page and the JSON are gathered from one reading of what the build vouches for."""
    from pipeline.web import jobs

    reads: list[Path] = []
    real = jobs.read_manifest

    def counting(folder: Path) -> dict:
        reads.append(folder)
        return real(folder)

    monkeypatch.setattr(jobs, "read_manifest", counting)
    for url in (f"/handouts/{done.id}", f"/api/handouts/{done.id}"):
        reads.clear()
        response = web.get(url)
        assert response.status_code == 200
        assert len(reads) == 1, (url, len(reads))


def test_a_finished_handout_offers_every_file_and_its_previews(web: WebClient, done: Job) -> None:
    page = text_of(web.get(f"/handouts/{done.id}"))
    assert "<strong>Done.</strong>" in page and "Check again" not in page
    for name in ("ketamine-ptsd.pdf", "ketamine-ptsd.html", "ketamine-ptsd.mp3", "ketamine-ptsd.vtt",
                 "ketamine-ptsd.epub", "ketamine-ptsd.brf"):
        assert f"/handouts/{done.id}/download/{name}" in page, name
    pages = re.findall(r'alt="Page (\d+) of (\d+) of the large-print PDF; its text follows"', page)
    assert pages and len(pages) == int(pages[0][1])
    assert "Disclaimer" in page.split("Text of page")[-1], "the last page's text is there for a screen reader"
    assert '<track kind="captions"' in page
    assert page.count('sandbox="allow-same-origin"') == 2
    image = web.get(f"/handouts/{done.id}/pages/1.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG") and image.mimetype == "image/png"
    assert web.get(f"/handouts/{done.id}/pages/99.png").status_code == 404


@pytest.mark.parametrize("name, mimetype", [
    ("ketamine-ptsd.pdf", "application/pdf"), ("ketamine-ptsd.mp3", "audio/mpeg"), ("ketamine-ptsd.vtt", "text/vtt"),
    ("ketamine-ptsd.epub", "application/epub+zip"), ("ketamine-ptsd.html", "text/html"),
    ("ketamine-ptsd.brf", "text/plain")])
def test_downloads_are_attachments_with_their_real_type(web: WebClient, done: Job, name: str, mimetype: str) -> None:
    response = web.get(f"/handouts/{done.id}/download/{name}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment") and name in \
        response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == (library(web).output_dir(done) / name).read_bytes()


def test_a_handout_page_shown_in_the_app_may_run_no_script(web: WebClient, done: Job) -> None:
    response = web.get(f"/handouts/{done.id}/view/ketamine-ptsd.html")
    csp = response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"] == "inline"
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp


def test_the_zip_holds_every_file_and_the_check_report_when_there_is_one(web: WebClient, done: Job) -> None:
    folder = library(web).output_dir(done)
    handouts = [f"ketamine-ptsd/ketamine-ptsd{suffix}" for suffix in (
        ".pdf", ".html", ".mp3", ".vtt", ".epub", ".daisy.zip", ".brf", ".braille.html")]
    reports = ["ketamine-ptsd/report.html", "ketamine-ptsd/report.json"]
    for name in ("report.html", "report.json"):
        (folder / name).unlink(missing_ok=True)
    for checked in (False, True):
        if checked:
            (folder / "report.html").write_text("<!DOCTYPE html><title>Check report</title>", encoding="utf-8")
            (folder / "report.json").write_text("{}", encoding="utf-8")
        for url in (f"/handouts/{done.id}/handouts.zip", f"/api/handouts/{done.id}/zip"):
            response = web.get(url)
            assert response.status_code == 200 and response.mimetype == "application/zip"
            assert "attachment" in response.headers["Content-Disposition"]
            names = sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
            assert names == sorted(handouts + (reports if checked else [])), (url, checked)


@pytest.mark.parametrize("path", [
    "/handouts/{id}/download/..%2Fsource%2Fketamine-ptsd.md",
    "/handouts/{id}/download/%2e%2e%2fjob.json",
    "/handouts/{id}/download/.handout-manifest.json",
    "/handouts/{id}/download/%2Fetc%2Fpasswd",
    "/handouts/{id}/view/..%2F..%2Fjob.json",
    "/handouts/..%2F{id}/download/ketamine-ptsd.pdf",
    "/handouts/%2e%2e/download/ketamine-ptsd.pdf",
    "/handouts/{id}/download/readability.json",
    "/handouts/{id}/download/linked.pdf",
    "/handouts/.previews/download/x",
])
def test_no_address_reaches_a_file_outside_the_finished_handouts(web: WebClient, done: Job, path: str) -> None:
    (library(web).output_dir(done) / "linked.pdf").symlink_to("/etc/passwd")
    response = web.get(path.format(id=done.id))
    assert response.status_code == 404, path
    assert b"root:" not in response.data


def test_a_symlinked_handout_file_is_not_served(web: WebClient, done: Job) -> None:
    folder = library(web).output_dir(done)
    pdf = folder / "ketamine-ptsd.pdf"
    pdf.unlink()
    pdf.symlink_to("/etc/passwd")
    assert web.get(f"/handouts/{done.id}/download/ketamine-ptsd.pdf").status_code == 404


# ---------------------------------------------------------------- the JSON API


def test_api_submit_then_status(web: WebClient) -> None:
    response = web.post("/api/handouts", {"article": (io.BytesIO(HANDS_ARTICLE.encode()), "a.md"),
                                          "formats": "pdf"}, token=False, content_type="multipart/form-data")
    assert response.status_code == 202, text_of(response)
    body = response.get_json()
    assert set(body) == {"id", "status", "url"} and body["status"] == "queued"
    status = web.get(f"/api/handouts/{body['id']}").get_json()
    assert status["status"] == "queued" and status["files"] == {} and status["errors"] == []
    assert status["formats"] == {"pdf": "queued"}
    assert web.get(f"/api/handouts/{body['id']}/zip").status_code == 409


def test_api_errors_are_json(web: WebClient) -> None:
    response = web.post("/api/handouts", {"article": (io.BytesIO(b"%PDF-1.4"), "a.md")}, token=False,
                        content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["field"] == "article"
    missing = web.get("/api/handouts/no-such-job")
    assert missing.status_code == 404 and missing.is_json


def test_api_status_lists_each_file_as_soon_as_it_exists(web: WebClient, done: Job) -> None:
    status = web.get(f"/api/handouts/{done.id}").get_json()
    assert status["status"] == "done"
    assert set(status["files"]) == {"pdf", "html", "mp3", "vtt", "epub", "daisy", "brf", "braille_html"}
    for url in status["files"].values():
        assert web.get(url.replace("http://localhost", "")).status_code == 200


# ---------------------------------------------------------------- staff sign-in and tokens


@pytest.fixture
def guarded(web_settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    from pipeline.web.app import create_app
    from pipeline.web.staff import Staff

    settings, serve = web_settings
    staff = Staff(serve.staff_file)
    staff.set_password("correct horse battery")
    token = staff.new_token("portal")
    staff.save()
    return WebClient(create_app(settings, serve)), token


def test_with_a_password_staff_sign_in_first(guarded) -> None:  # type: ignore[no-untyped-def]
    web, _ = guarded
    response = web.client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = text_of(web.client.get("/sign-in"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    wrong = web.client.post("/sign-in", data={"csrf_token": token, "password": "nope", "next": "/"})
    assert wrong.status_code == 401 and "not the staff password" in text_of(wrong)
    right = web.client.post("/sign-in", data={"csrf_token": token, "password": "correct horse battery",
                                               "name": "Nurse Ana", "next": "//evil.example/"})
    assert right.status_code == 303 and right.headers["Location"] == "/"
    assert "Sign out (Nurse Ana)" in text_of(web.client.get("/"))
    # Signed in, the page's live progress may read the API; changing anything through it needs a token.
    assert web.client.get("/api/handouts").status_code == 200
    assert web.client.post("/api/handouts", data={"text": "x"}).status_code == 401
    stored = json.loads(Path(web.app.config["SERVE"].staff_file).read_text())
    assert "correct horse" not in json.dumps(stored) and stored["password"].startswith("scrypt:")


def test_guessing_the_password_is_slowed_down(guarded) -> None:  # type: ignore[no-untyped-def]
    web, _ = guarded
    page = text_of(web.client.get("/sign-in"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for _ in range(5):
        web.client.post("/sign-in", data={"csrf_token": token, "password": "guess"})
    response = web.client.post("/sign-in", data={"csrf_token": token, "password": "correct horse battery"})
    assert response.status_code == 401 and "Too many wrong passwords" in text_of(response)


def test_with_a_password_the_api_takes_a_token(guarded) -> None:  # type: ignore[no-untyped-def]
    web, token = guarded
    form = {"article": (io.BytesIO(HANDS_ARTICLE.encode()), "a.md")}
    assert web.client.post("/api/handouts", data=dict(form), content_type="multipart/form-data").status_code == 401
    bad = web.client.post("/api/handouts", data={"article": (io.BytesIO(HANDS_ARTICLE.encode()), "a.md")},
                          headers={"Authorization": "Bearer wrong"}, content_type="multipart/form-data")
    assert bad.status_code == 401
    good = web.client.post("/api/handouts", data={"article": (io.BytesIO(HANDS_ARTICLE.encode()), "a.md")},
                           headers={"Authorization": f"Bearer {token}"}, content_type="multipart/form-data")
    assert good.status_code == 202
    assert web.client.get("/api/handouts", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # With a password too, only the app's own names are answered ([serve] hosts adds more).
    assert web.client.get("/sign-in", headers={"Host": "handouts.clinic.example"}).status_code == 400


# ---------------------------------------------------------------- rebuild and delete


def test_rebuild_with_other_options(web: WebClient, done: Job) -> None:
    response = web.post(f"/handouts/{done.id}/rebuild", {"options-sent": "1", "formats": ["pdf"], "paper": "a4",
                                                         "print_size": "24", "braille_grade": "1"})
    assert response.status_code == 303
    job = library(web).get(done.id)
    assert job.state == "queued" and job.options["paper"] == "a4" and job.options["print_size"] == 24
    assert job.formats == ("pdf",)
    # Not twice at once.
    again = web.post(f"/handouts/{done.id}/rebuild", {"options-sent": "1", "formats": ["pdf"]})
    assert again.status_code == 400 and "still being made" in text_of(again)


def test_delete_asks_first_then_removes_the_folder(web: WebClient, done: Job) -> None:
    folder = library(web).root / done.id
    page = text_of(web.get(f"/handouts/{done.id}/delete"))
    assert "Delete them" in page and folder.exists()
    response = web.post(f"/handouts/{done.id}/delete")
    assert response.status_code == 303 and not folder.exists()
    assert "Deleted the handouts" in text_of(web.get("/"))
    assert web.get(f"/handouts/{done.id}").status_code == 404


def test_a_handout_being_made_is_not_deleted(web: WebClient, done: Job) -> None:
    maker = web.app.config["MAKER"]
    maker.running.add(done.id)
    response = web.post(f"/handouts/{done.id}/delete")
    assert response.status_code == 409 and "being made right now" in text_of(response)
    assert (library(web).root / done.id).exists()


def test_unknown_pages_are_readable_404s(web: WebClient) -> None:
    response = web.get("/handouts/nope-1234")
    assert response.status_code == 404 and "<h1>Page not found</h1>" in text_of(response)


@pytest.mark.engine
def test_a_voice_sample_is_a_few_seconds_of_that_voice(web_settings) -> None:  # type: ignore[no-untyped-def]
    """Real engines: the sample is spoken by the voice chosen, as the audio edition would speak it."""
    from mutagen.mp3 import MP3

    from pipeline.web.app import create_app

    web = WebClient(create_app(*web_settings))
    sampler = web.app.config["SAMPLER"]
    try:
        voices = dict(sampler.voices())
        assert "en_US-joe-medium" in voices and "natural" in voices["en_US-joe-medium"]
        page = text_of(web.get("/"))
        assert '<option value="en_US-joe-medium"' in page
        response = web.get("/voices/sample.mp3?voice=en_US-joe-medium&lang=en&text=Rest+your+knee+for+two+days.")
        assert response.status_code == 200 and response.mimetype == "audio/mpeg"
        seconds = MP3(io.BytesIO(response.data)).info.length
        assert 1.5 < seconds < 6, seconds
        # The same sample again is the one kept: nothing is sent to be spoken.
        speaking = sampler._pool
        sampler._pool = lambda: pytest.fail("the sample was made again rather than kept")
        again = web.get("/voices/sample.mp3?voice=en_US-joe-medium&lang=en&text=Rest+your+knee+for+two+days.")
        assert again.data == response.data
        sampler._pool = speaking
        spanish = web.get("/voices/sample.mp3?voice=&lang=es-US&text=Descanse+la+rodilla.")
        assert spanish.status_code == 200
        # The new languages are offered in the form, and their voices speak a sample with no text given.
        for tag, voice in (("zh-CN", "zf_xiaobei"), ("fr-FR", "ff_siwis"), ("pt-BR", "pf_dora")):
            assert f'<option value="{tag}"' in page and f'<option value="{voice}"' in page, tag
            sample = web.get(f"/voices/sample.mp3?voice=&lang={tag}")
            assert sample.status_code == 200 and MP3(io.BytesIO(sample.data)).info.length > 1.5, tag
        assert web.get("/voices/sample.mp3?voice=no-such-voice&lang=en").status_code == 422
        # Without JavaScript, the button posts the form to a page with a player.
        page = text_of(web.post("/voices/sample", {"voice": "en_US-joe-medium", "lang": "en",
                                                   "text": "Rest your knee. Then walk.", "back": "/"}))
        assert "<audio controls" in page and "Rest your knee." in page and "Joe" in page
    finally:
        sampler.close()


def test_behind_a_tls_proxy_the_origin_staff_see_is_the_one_checked(web_settings) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from pipeline.web.app import create_app

    settings, serve = web_settings
    web = WebClient(create_app(settings, replace(serve, behind_proxy=True)))
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "localhost"}
    page = web.client.get("/", headers=proxied)
    token = re.search(r'name="csrf_token" value="([^"]+)"', text_of(page)).group(1)
    assert "Secure" in page.headers["Set-Cookie"]
    ok = web.client.post("/handouts", data={"csrf_token": token, "text": HANDS_ARTICLE},
                         headers={**proxied, "Origin": "https://localhost"})
    assert ok.status_code == 303, text_of(ok)
    refused = web.client.post("/handouts", data={"csrf_token": token, "text": HANDS_ARTICLE},
                              headers={**proxied, "Origin": "http://localhost"})
    assert refused.status_code == 403


# ---------------------------------------------------------------- the smaller findings of a clinic-network review


@pytest.mark.parametrize("size", ["²", "١٨", "18.0", "-18", "1e3"])
def test_numbers_in_forms_are_read_strictly(web: WebClient, size: str) -> None:
    response = web.post("/handouts", {"text": "Rest.\n\nDisclaimer: Ask us.", "title": "T", "print_size": size})
    assert response.status_code == 400 and "18 point or 24 point" in text_of(response)
    api = web.client.post("/api/handouts", data={"text": "Rest.\n\nDisclaimer: Ask us.", "title": "T",
                                                 "print_size": size})
    assert api.status_code == 400 and api.get_json()["errors"][0]["field"] == "print_size"


def test_a_symlinked_handouts_folder_is_never_followed(web: WebClient, done: Job, tmp_path: Path) -> None:
    import shutil

    handouts = library(web).handouts_root(done)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(handouts, elsewhere)
    handouts.symlink_to(elsewhere, target_is_directory=True)
    assert web.get(f"/handouts/{done.id}/download/ketamine-ptsd.pdf").status_code == 404
    assert web.get(f"/handouts/{done.id}/view/report.html").status_code == 404
    assert web.get(f"/handouts/{done.id}/handouts.zip").status_code == 409
    assert web.get(f"/api/handouts/{done.id}").get_json()["files"] == {}


def test_downloads_and_the_zip_are_never_stored_by_the_browser(web: WebClient, done: Job) -> None:
    for url in (f"/handouts/{done.id}/download/ketamine-ptsd.pdf", f"/handouts/{done.id}/view/ketamine-ptsd.html",
                f"/handouts/{done.id}/handouts.zip", f"/api/handouts/{done.id}/zip"):
        response = web.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", url


def test_a_full_queue_refuses_new_handouts_with_503_and_a_message(web: WebClient) -> None:
    maker = web.app.config["MAKER"]
    maker.queue_limit = 2
    for number in range(2):
        assert upload(web, HANDS_ARTICLE.replace("Washing", f"Washing {number}").encode()).status_code == 303
    refused = upload(web, HANDS_ARTICLE.encode())
    assert refused.status_code == 503 and refused.headers["Retry-After"].isdigit()
    assert "2 handouts are waiting to be made" in text_of(refused)
    api = web.client.post("/api/handouts", data={"text": HANDS_ARTICLE})
    assert api.status_code == 503 and "waiting to be made" in api.get_json()["errors"][0]["problem"]
    assert len(library(web).all()) == 2


@pytest.mark.parametrize("voice, accepted", [("gmw/en", True), ("gmw/en-us", True), ("en_US-joe-medium", True),
                                             ("../../etc/passwd", False), ("/home/voice.onnx", False),
                                             ("voices/joe.onnx", False), ("a\\b", False)])
def test_voice_ids_are_taken_as_the_form_offers_them(web: WebClient, voice: str, accepted: bool) -> None:
    response = web.post("/handouts", {"text": HANDS_ARTICLE, "voice": voice})
    if accepted:
        assert response.status_code == 303, text_of(response)
        assert only_job(web).options["voice"] == voice
    else:
        assert response.status_code == 400 and "Choose a voice from the list" in text_of(response)


def test_a_form_with_too_many_parts_is_told_so_not_that_the_file_is_too_large(web: WebClient) -> None:
    fields = {f"field{number}": "x" for number in range(1200)}
    response = web.post("/handouts", {**fields, "text": HANDS_ARTICLE}, content_type="multipart/form-data")
    page = text_of(response)
    assert response.status_code == 413
    assert "too many parts" in page and "1,000 parts" in page and "file is too large" not in page.lower()


# ---------------------------------------------------------------- pictures


def phones_docx(folder: Path) -> bytes:
    """A Word file with two phone photos: one described in Word, one not."""
    import docx
    from photos import phone_photo
    from wordfiles import DISCLAIMER, add_photo

    document = docx.Document()
    document.add_paragraph("Using your inhaler", style="Title")
    document.add_paragraph("Hold the inhaler upright.")
    add_photo(document, folder, phone_photo(colour=(200, 0, 0)), "a.jpg", alt="A hand holding an inhaler upright",
              width_in=2.5)
    document.add_paragraph("Then breathe out.")
    add_photo(document, folder, phone_photo(colour=(0, 0, 200)), "b.jpg", width_in=2.0)
    document.add_paragraph("Disclaimer: " + DISCLAIMER)
    document.save(str(folder / "inhaler.docx"))
    return (folder / "inhaler.docx").read_bytes()


def test_a_word_files_pictures_are_listed_with_a_field_to_describe_each(web: WebClient, tmp_path: Path) -> None:
    from photos import private_traces

    assert upload(web, phones_docx(tmp_path), name="inhaler.docx").status_code == 303
    job = only_job(web)
    assert [(p["number"], p["where"], p["description"], p["described"]) for p in job.pictures] == [
        (1, "paragraph 3", "A hand holding an inhaler upright", True), (2, "paragraph 5", "", False)]
    page = text_of(web.get(f"/handouts/{job.id}"))
    assert "1 has no description, so readers who cannot see it miss what it shows" in page
    for picture in job.pictures:
        name = f"description-{picture['key']}"
        assert f'<label for="{name}">What it shows</label>' in page
        assert f'<textarea id="{name}" name="{name}"' in page
        copy = web.get(f"/handouts/{job.id}/pictures/{picture['thumbnail']}")
        assert copy.status_code == 200 and copy.mimetype == "image/jpeg"
        assert private_traces(copy.data) == [] and max(picture["width"], picture["height"]) == 320
    assert 'alt="Picture 2, which has no description yet"' in page
    assert any("paragraph 5: a picture has no description" in warning for warning in job.warnings)
    for name in ("../job.json", "0123456789abcdef.jpg", job.pictures[0]["thumbnail"].replace(".jpg", ".png")):
        assert web.get(f"/handouts/{job.id}/pictures/{name}").status_code == 404
    status = json.loads(text_of(web.get(f"/api/handouts/{job.id}")))
    assert [p["description"] for p in status["pictures"]] == ["A hand holding an inhaler upright", ""]


def test_describing_a_picture_keeps_it_with_the_article_and_makes_the_handouts_again(web: WebClient,
                                                                                     tmp_path: Path) -> None:
    from pipeline.readers import read_article

    upload(web, phones_docx(tmp_path), name="inhaler.docx")
    job = only_job(web)
    library(web).update(job.id, lambda job: setattr(job, "state", "done"))
    first, second = (p["key"] for p in job.pictures)
    response = web.post(f"/handouts/{job.id}/pictures", {
        f"description-{first}": "A hand holding an inhaler upright",
        f"description-{second}": "  A hand pressing the canister\n while breathing in ",
    })
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/handouts/{job.id}#pictures-title")
    kept = library(web).source_path(job).with_name("using-your-inhaler.pictures.yml")
    assert "A hand pressing the canister while breathing in" in kept.read_text(encoding="utf-8")
    job = library(web).get(job.id)
    assert job.state == "queued" and all(p["described"] for p in job.pictures)
    assert not [w for w in job.warnings if "no description" in w]
    # The next build reads the article with them.
    document = read_article(library(web).source_path(job))
    from pipeline.model import pictures_in

    assert [i.alt for s in document.sections for i in pictures_in(s.blocks)] == [
        "A hand holding an inhaler upright", "A hand pressing the canister while breathing in"]
    page = text_of(web.get(f"/handouts/{job.id}"))
    assert "The descriptions are kept with the article, and the handouts are being made again with them." in page


def test_a_description_and_a_decorative_mark_together_are_named_beside_the_field(web: WebClient,
                                                                                tmp_path: Path) -> None:
    upload(web, phones_docx(tmp_path), name="inhaler.docx")
    job = only_job(web)
    library(web).update(job.id, lambda job: setattr(job, "state", "done"))
    second = job.pictures[1]["key"]
    response = web.post(f"/handouts/{job.id}/pictures",
                        {f"description-{second}": "Blue", f"decorative-{second}": "yes"})
    page = text_of(response)
    assert response.status_code == 400
    assert f'<a href="#description-{second}">Picture 2 has a description and is marked decorative' in page
    assert f'id="description-{second}-error"' in page and 'aria-invalid="true"' in page
    assert f'name="description-{second}" rows="3" aria-describedby="description-{second}-hint ' \
           f'description-{second}-error" aria-invalid="true">Blue</textarea>' in page
    assert not library(web).source_path(job).with_name("using-your-inhaler.pictures.yml").exists()
    # While the handouts are being made, the descriptions wait.
    library(web).update(job.id, lambda job: setattr(job, "state", "making"))
    response = web.post(f"/handouts/{job.id}/pictures", {f"description-{second}": "Blue"})
    assert response.status_code == 400 and "still being made" in text_of(response)
