"""The workbench's review of flagged facts: "I checked", a second ask for a dropped dose, and a review that lapses."""

from __future__ import annotations

import re

import pytest
from conftest import WebClient

from pipeline.web.jobs import Job, Library

ARTICLE = ("---\ntitle: Blood Pressure\n---\nEating less salt, moving more and not smoking all lower blood "
           "pressure. Do not use hot water.\n\n## Gel\n\nUse a gel with 60% alcohol when there is no soap.\n\n"
           "Disclaimer: Ask your nurse if you have questions.\n")
FAITHFUL = {"plain-opening": "Eat less salt. Move more. Do not smoke. Do not use hot water.",
            "plain-section-1": "## Hand gel\n\nIf you have no soap, use a gel with 60% alcohol.",
            "plain-added": "", "plain_title": "Lower blood pressure", "retold": ""}
NO_DOSE = {**FAITHFUL, "plain-section-1": "## Hand gel\n\nIf you have no soap, use a strong hand gel."}


@pytest.fixture
def job(web: WebClient) -> Job:
    store: Library = web.app.config["LIBRARY"]
    job = Job(id="bp-0001", title="Blood Pressure", slug="bp", lang="en", article="bp.md",
              received_as="pasted text", options={"formats": ["html"], "check": False}, state="done")
    with web.client.session_transaction() as session:
        session["staff_name"] = "Ana Ruiz"
    return store.create(job, ARTICLE.encode())


def plain_file(web: WebClient, job: Job):  # type: ignore[no-untyped-def]
    return web.app.config["LIBRARY"].root / job.id / "source" / "bp.plain.md"


def fact_id(page: str) -> str:
    return re.search(r'name="checked-(FACT-[0-9a-f]{6})"', page).group(1)


def test_do_not_smoke_is_saved_with_nothing_flagged(web: WebClient, job: Job) -> None:
    response = web.post(f"/handouts/{job.id}/plain", {**FAITHFUL, "action": "save"})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert "fact_reviews" not in plain_file(web, job).read_text(encoding="utf-8")


def test_a_dropped_dose_is_asked_twice_then_saved_with_who_and_when(web: WebClient, job: Job) -> None:
    page = web.post(f"/handouts/{job.id}/plain", {**NO_DOSE, "action": "check"}).get_data(as_text=True)
    fact = fact_id(page)
    assert "I checked: the plain version says the same" in page and "you will be asked to confirm" in page
    response = web.post(f"/handouts/{job.id}/plain", {**NO_DOSE, f"checked-{fact}": "yes",
                                                      f"note-{fact}": "strong means 60%", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and not plain_file(web, job).exists()
    assert f"you checked the dropped dose “60%” ({fact})" in page
    assert f'name="confirm-{fact}"' in page and 'value="strong means 60%"' in page
    response = web.post(f"/handouts/{job.id}/plain", {**NO_DOSE, f"checked-{fact}": "yes", f"confirm-{fact}": "yes",
                                                      f"note-{fact}": "strong means 60%", "action": "save"})
    assert response.status_code == 303, response.get_data(as_text=True)
    saved = plain_file(web, job).read_text(encoding="utf-8")
    assert f"fact: {fact}\n  by: Ana Ruiz\n" in saved and "fingerprint: " in saved and "note: strong means 60%" in saved

    # The review is shown, and carried by the form; it lapses once its sentence is edited.
    web.app.config["LIBRARY"].update(job.id, lambda job: setattr(job, "state", "done"))
    page = web.get(f"/handouts/{job.id}/plain").get_data(as_text=True)
    assert f"{fact}: number “60%” (left out), reviewed by Ana Ruiz on " in page
    kept = re.search(r'name="fact_review" value="([^"]+)"', page).group(1).replace("&#34;", '"')
    page = web.post(f"/handouts/{job.id}/plain", {**NO_DOSE, "fact_review": kept, "action": "check"}
                    ).get_data(as_text=True)
    assert "reviewed by Ana Ruiz" in page and f'name="checked-{fact}"' not in page
    edited = {**NO_DOSE, "plain-section-1": "## Hand gel\n\nIf you have no soap, use a strong gel.",
              "fact_review": kept, "action": "save"}
    response = web.post(f"/handouts/{job.id}/plain", edited)
    assert response.status_code == 400
    assert f'name="checked-{fact}"' in response.get_data(as_text=True)


def test_an_added_fact_is_reviewed_without_a_second_ask(web: WebClient, job: Job) -> None:
    added = {**FAITHFUL, "plain-opening": FAITHFUL["plain-opening"] + " Do not drive.", "action": "check"}
    fact = fact_id(web.post(f"/handouts/{job.id}/plain", added).get_data(as_text=True))
    response = web.post(f"/handouts/{job.id}/plain", {**added, f"checked-{fact}": "yes", "action": "save"})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert f"fact: {fact}" in plain_file(web, job).read_text(encoding="utf-8")
