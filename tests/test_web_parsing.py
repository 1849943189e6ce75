"""Reading and analysis in worker processes: a runaway article fails its own request, never the server."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE, WebClient

from pipeline.errors import ArticleError
from pipeline.web.jobs import Job, Library, Maker
from pipeline.web.parsing import ReadingWorkers, read_article

# The finding: 400 KB on one line, under the 1 MB limit, 100,000 levels of bold around one letter.
DEEP = "*" * 200_000 + "x" + "*" * 200_000


@pytest.fixture
def workers():  # type: ignore[no-untyped-def]
    workers = ReadingWorkers(1, memory_mb=512, seconds=20)
    yield workers
    workers.close()


def test_a_worker_past_its_memory_cap_fails_that_call_and_the_next_works(workers: ReadingWorkers) -> None:
    with pytest.raises(ArticleError) as caught:
        workers.run(Path("big.md"), bytearray, 2 * 1024 ** 3)
    assert "more than the 512 MB" in caught.value.problem and caught.value.path.name == "big.md"
    assert workers.run(Path("small.md"), len, "four") == 4


def test_a_worker_past_its_time_limit_is_stopped_and_replaced(workers: ReadingWorkers) -> None:
    assert workers.run(Path("warm.md"), len, "") == 0  # the worker is started and warm
    workers.seconds = 1
    started = time.monotonic()
    with pytest.raises(ArticleError) as caught:
        workers.run(Path("slow.md"), time.sleep, 60)
    assert time.monotonic() - started < 30
    assert "longer than 1 seconds" in caught.value.problem
    workers.seconds = 20
    assert workers.run(Path("next.md"), len, "ab") == 2


def test_an_article_error_comes_back_as_it_was_raised(workers: ReadingWorkers, tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text(f"---\ntitle: Deep\n---\n{DEEP}\n\nDisclaimer: Ask us.\n", encoding="utf-8")
    with pytest.raises(ArticleError) as caught:
        workers.run(path, read_article, path)
    assert caught.value.line == 4 and "nested more than 12 levels" in caught.value.problem


def test_the_nesting_attack_through_the_api_is_a_400_with_its_line_and_the_server_s_memory_flat(
        web: WebClient) -> None:
    tracemalloc.start()
    try:
        response = web.post("/api/handouts", {"text": f"Opening.\n\n{DEEP}\n\nDisclaimer: Ask us.",
                                              "title": "Deep"}, token=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    [error] = response.get_json()["errors"]
    assert error["field"] == "article"
    assert error["problem"].startswith("Line 3: emphasis (* or _) is nested more than 12 levels deep")
    assert peak < 60 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    assert not web.app.config["LIBRARY"].all()


def test_the_nesting_attack_on_the_form_names_the_line_beside_the_field(web: WebClient) -> None:
    response = web.post("/handouts", {"article": (io.BytesIO(f"Opening.\n\n{DEEP}\n\nDisclaimer: Ask.".encode()),
                                                  "deep.md"), "title": "Deep"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Line 3: emphasis (* or _) is nested more than 12 levels deep" in response.get_data(as_text=True)


def test_the_workbench_s_analysis_of_a_deep_field_is_a_400(web: WebClient) -> None:
    store: Library = web.app.config["LIBRARY"]
    job = store.create(Job(id="hands-0001", title="Washing Your Hands", slug="hands", lang="en", article="hands.md",
                           received_as="pasted text", options={"formats": ["html"], "check": False}, state="done"),
                       HANDS_ARTICLE.encode())
    fields = {"plain-opening": "*" * 100_000 + "x" + "*" * 100_000, "plain-section-1": "## When\n\nBefore you eat.",
              "plain-added": "", "plain_title": "", "retold": ""}
    tracemalloc.start()
    try:
        response = web.post(f"/handouts/{job.id}/plain/analysis", fields)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    [error] = response.get_json()["errors"]
    assert error["field"] == "plain-opening" and "nested more than 12 levels" in error["problem"]
    assert peak < 60 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_a_build_whose_article_cannot_be_read_in_its_limits_fails_alone(web_settings) -> None:
    settings, _ = web_settings
    store = Library(settings.out_dir / "library")
    job = store.create(Job(id="hands-0001", title="Washing Your Hands", slug="hands", lang="en", article="hands.md",
                           received_as="pasted text", options={"formats": ["pdf"], "check": False}),
                       HANDS_ARTICLE.encode())
    workers = ReadingWorkers(1, memory_mb=512, seconds=20)

    def read_slowly(path: Path) -> object:
        return workers.run(path, time.sleep, 60)

    maker = Maker(store, settings, read=read_slowly)
    maker.builder.build = lambda *_: pytest.fail("an article that could not be read was built")  # type: ignore
    try:
        workers.seconds = 1
        maker.make(job.id)
    finally:
        workers.close()
    failed = store.get(job.id)
    assert failed.state == "failed"
    assert "longer than 1 seconds to read" in failed.errors[0]["problem"]
