"""The plain-language workbench in the web app: section by section, figures, the fact guard on save."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import WebClient

from pipeline.web.jobs import Job, Library
from pipeline.web.plain import split_sections

ARTICLE = ("---\ntitle: Washing Your Hands\n---\nWash for twenty seconds with soap. Do not use hot water.\n\n"
           "## When\n\nBefore you eat and after the toilet.\n\n## Gel\n\nUse a gel with 60% alcohol when there is "
           "no soap.\n\nDisclaimer: Ask your nurse if you have questions.\n")
FAITHFUL = {"plain-opening": "Wash your hands for 20 seconds. Use soap. Do not use hot water.",
            "plain-section-1": "## When to wash\n\nWash before you eat. Wash after the toilet.",
            "plain-section-2": "## Hand gel\n\nIf you have no soap, use a gel with 60% alcohol.",
            "plain-added": "", "plain_title": "Clean hands", "retold": "Ask us if you are not sure."}


@pytest.fixture
def job(web: WebClient) -> Job:
    store: Library = web.app.config["LIBRARY"]
    job = Job(id="hands-0001", title="Washing Your Hands", slug="hands", lang="en", article="hands.md",
              received_as="pasted text", options={"formats": ["html"], "check": False}, state="done")
    return store.create(job, ARTICLE.encode())


def page_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_the_workbench_puts_each_section_beside_its_plain_draft(web: WebClient, job: Job) -> None:
    page = page_of(web.get(f"/handouts/{job.id}/plain"))
    assert "<h1>Plain-language version: Washing Your Hands</h1>" in page
    assert "This is the automatic draft" in page
    titles = re.findall(r'<h2 id="[^"]+-title">([^<]+)</h2>', page)
    assert titles == ["Main message", "When", "Gel", "Sections only in the plain version", "Disclaimer"]
    when = re.search(r'<textarea name="plain-section-1"[^>]*>([^<]*)</textarea>', page).group(1)
    assert when.startswith("## When") and "eat" in when
    assert "Reading level:</strong>" in page and "Facts:</strong>" in page
    assert "Ask your nurse if you have questions." in page, "the disclaimer word for word"
    handout = page_of(web.get(f"/handouts/{job.id}"))
    assert f'href="/handouts/{job.id}/plain">Edit the plain-language version</a>' in handout


def test_check_shows_a_dropped_number_beside_its_section(web: WebClient, job: Job) -> None:
    form = {**FAITHFUL, "plain-section-2": "## Hand gel\n\nIf you have no soap, use a hand gel.", "action": "check"}
    response = web.post(f"/handouts/{job.id}/plain", form)
    page = page_of(response)
    assert response.status_code == 200
    gel = page.split('id="plain-section-2"')[1].split("</section>")[0]
    assert "<strong>Left out:</strong> number “60%”" in gel
    assert "Left out" not in page.split('id="plain-section-2"')[0].split('id="plain-opening"')[1]
    assert "1 left out, 0 added" in page
    # What was typed is kept in the fields.
    assert "If you have no soap, use a hand gel." in page


def test_save_is_refused_while_a_fact_is_lost_and_nothing_is_written(web: WebClient, job: Job) -> None:
    store: Library = web.app.config["LIBRARY"]
    form = {**FAITHFUL, "plain-opening": "Wash your hands with soap. Use water that is not hot.", "action": "save"}
    response = web.post(f"/handouts/{job.id}/plain", form)
    page = page_of(response)
    assert response.status_code == 400
    assert "Not saved: the plain version leaves out" in page and "twenty seconds" in page
    assert not (store.root / job.id / "source" / "hands.plain.md").exists()
    assert store.get(job.id).state == "done"


def test_save_writes_the_plain_edition_keeps_the_last_and_remakes_the_page(web: WebClient, job: Job) -> None:
    store: Library = web.app.config["LIBRARY"]
    plain = store.root / job.id / "source" / "hands.plain.md"
    response = web.post(f"/handouts/{job.id}/plain", {**FAITHFUL, "action": "save"})
    assert response.status_code == 303, page_of(response)
    assert response.headers["Location"].endswith(f"/handouts/{job.id}")
    text = plain.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Clean hands\ndisclaimer_in_plain_words: Ask us if you are not sure.\n---")
    assert "## When to wash" in text and "60% alcohol" in text
    saved = store.get(job.id)
    assert saved.state == "queued" and saved.plain_saved
    assert "hands-0001" in web.app.config["MAKER"].queued
    # The article reads it as its plain edition: the workbench now shows it, not the draft.
    store.update(job.id, lambda job: setattr(job, "state", "done"))
    page = page_of(web.get(f"/handouts/{job.id}/plain"))
    assert "automatic draft" not in page and "Wash before you eat. Wash after the toilet." in page
    # Saving again keeps the version it replaces.
    web.post(f"/handouts/{job.id}/plain", {**FAITHFUL, "plain_title": "Clean hands, always", "action": "save"})
    versions = list((store.root / job.id / "plain-versions").iterdir())
    assert len(versions) == 1 and "title: Clean hands\n" in versions[0].read_text(encoding="utf-8")
    assert "title: Clean hands, always" in plain.read_text(encoding="utf-8")


def test_a_section_without_its_heading_line_is_named_beside_its_field(web: WebClient, job: Job) -> None:
    form = {**FAITHFUL, "plain-section-1": "Wash before you eat.", "action": "save"}
    page = page_of(web.post(f"/handouts/{job.id}/plain", form))
    assert 'id="plain-section-1-error"' in page and "Start the plain text of “When” with its heading" in page
    assert 'href="#plain-section-1"' in page


def test_keep_for_later_is_not_used_by_the_handouts_but_comes_back(web: WebClient, job: Job) -> None:
    store: Library = web.app.config["LIBRARY"]
    form = {**FAITHFUL, "plain-opening": "Half done.", "action": "keep"}
    assert web.post(f"/handouts/{job.id}/plain", form).status_code == 303
    assert not (store.root / job.id / "source" / "hands.plain.md").exists()
    page = page_of(web.get(f"/handouts/{job.id}/plain"))
    assert "Your kept work is back" in page and ">Half done.</textarea>" in page


def test_the_figures_as_staff_type(web: WebClient, job: Job) -> None:
    result = web.post(f"/handouts/{job.id}/plain/analysis", FAITHFUL).get_json()
    assert set(result) == {"summary", "said", "rows"}
    assert result["said"].startswith("Reading level grade ") and "Every fact kept." in result["said"]
    assert set(result["rows"]) == {"opening", "section-1", "section-2", "added"}
    lost = web.post(f"/handouts/{job.id}/plain/analysis", {**FAITHFUL, "plain-section-2": "## Gel\n\nUse gel."})
    assert "1 fact left out, 0 added" in lost.get_json()["said"]
    assert "60%" in lost.get_json()["rows"]["section-2"]
    unheaded = web.post(f"/handouts/{job.id}/plain/analysis", {**FAITHFUL, "plain-section-2": "Use gel."})
    assert unheaded.status_code == 400


def test_splitting_markdown_at_its_headings_leaves_code_alone() -> None:
    body = "Opening.\n\n## One\n\nText.\n\n```\n## not a heading\n```\n\n### Two\n\nMore."
    assert split_sections(body) == ["Opening.", "## One\n\nText.\n\n```\n## not a heading\n```", "### Two\n\nMore."]


def test_saving_remakes_the_page_and_leaves_the_pdf(running_web: WebClient, tmp_path: Path) -> None:
    """A real build: the job made, its plain version saved, and only the page made again."""
    import io
    import time

    web = running_web
    response = web.post("/api/handouts", {"article": (io.BytesIO(ARTICLE.encode()), "hands.md"),
                                          "formats": ["pdf", "html"], "check": "false"},
                        token=False, content_type="multipart/form-data")
    job_id = response.get_json()["id"]
    store: Library = web.app.config["LIBRARY"]

    def wait_done() -> None:
        deadline = time.monotonic() + 180
        while store.get(job_id).state != "done":
            assert time.monotonic() < deadline and store.get(job_id).state != "failed", store.get(job_id)
            time.sleep(0.2)
    wait_done()
    folder = store.output_dir(store.get(job_id))
    pdf, page = folder / "washing-your-hands.pdf", folder / "washing-your-hands.html"
    before = pdf.stat().st_mtime_ns, page.stat().st_mtime_ns
    assert "automatic draft" in page.read_text(encoding="utf-8") or "No person has checked" in \
        page.read_text(encoding="utf-8")
    assert web.post(f"/handouts/{job_id}/plain", {**FAITHFUL, "action": "save"}).status_code == 303
    wait_done()
    assert pdf.stat().st_mtime_ns == before[0], "the PDF does not read the plain edition"
    assert page.stat().st_mtime_ns != before[1]
    assert "Wash before you eat. Wash after the toilet." in page.read_text(encoding="utf-8")
    assert "No person has checked" not in page.read_text(encoding="utf-8")
