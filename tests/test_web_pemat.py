"""PEMAT-P in the web app: beside the reading level in the workbench, and asked of staff on the handout page."""

from __future__ import annotations

import json
import re

from conftest import WebClient
from test_web_plain import FAITHFUL, job  # noqa: F401 - job: the handout fixture the workbench tests use

from pipeline.web.jobs import Job, Library

PLAIN = {**FAITHFUL, "retold": ""}


def test_the_workbench_shows_the_scores_and_updates_them_as_the_text_changes(web: WebClient, job: Job) -> None:  # noqa: F811
    page = web.get(f"/handouts/{job.id}/plain").get_data(as_text=True)
    assert "<strong>PEMAT-P:</strong> Understandability" in page and "items judged" in page
    good = web.post(f"/handouts/{job.id}/plain/analysis", PLAIN).get_json()
    assert "PEMAT-P understandability" in good["said"] and "Item 9" not in good["summary"]
    generic = {**PLAIN, "plain-section-1": "## Other\n\nWash before you eat. Wash after the toilet."}
    worse = web.post(f"/handouts/{job.id}/plain/analysis", generic).get_json()
    assert "<strong>Item 9:</strong>" in worse["summary"] and "“Other”" in worse["summary"]
    # Without JavaScript, "Check" shows the same.
    checked = web.post(f"/handouts/{job.id}/plain", {**generic, "action": "check"}).get_data(as_text=True)
    assert "<strong>Item 9:</strong>" in checked


def test_staff_answer_the_items_only_a_person_can_judge_and_the_score_completes(web: WebClient, job: Job) -> None:  # noqa: F811
    store: Library = web.app.config["LIBRARY"]
    page = web.get(f"/handouts/{job.id}").get_data(as_text=True)
    asked = re.findall(r"<legend>Item (\d+):", page)
    assert asked == ["1", "2", "10", "15", "26"]
    assert "13 of 17 items judged" in page
    answers = {f"item-{n}": "agree" for n in asked}
    response = web.post(f"/handouts/{job.id}/pemat", {**answers, "item-10": "disagree"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#pemat-title")
    kept = json.loads((store.root / job.id / "source" / "hands.pemat.json").read_text(encoding="utf-8"))
    assert kept["answers"]["10"]["answer"] == "disagree" and kept["answers"]["10"]["when"]
    page = web.get(f"/handouts/{job.id}").get_data(as_text=True)
    assert "17 of 17 items judged" in page and "<strong>Item 10:</strong>" in page
    assert 'value="disagree" checked' in page


def test_a_wrong_or_empty_answer_is_named_beside_its_item(web: WebClient, job: Job) -> None:  # noqa: F811
    wrong = web.post(f"/handouts/{job.id}/pemat", {"item-1": "maybe"})
    assert wrong.status_code == 400
    assert 'href="#item-1">Choose Agree, Disagree or Not applicable for item 1' in wrong.get_data(as_text=True)
    assert web.post(f"/handouts/{job.id}/pemat", {}).status_code == 400
