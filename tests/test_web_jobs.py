"""The web app's library and maker: real builds in build processes, progress as it happens, restarts."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE, WebClient

from pipeline.web.jobs import Job, Library, Maker, ProgressLog


def wait_until(test, seconds: float = 240.0, step: float = 0.2):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not reached in {seconds} s")


@pytest.fixture
def running(web: WebClient):  # type: ignore[no-untyped-def]
    maker = web.app.config["MAKER"]
    maker.start()
    yield web
    maker.stop()


def test_a_handout_is_made_off_the_request_and_each_format_shows_when_ready(running: WebClient) -> None:
    web = running
    response = web.post("/api/handouts", {"article": (io.BytesIO(HANDS_ARTICLE.encode()), "hands.md"),
                                          "formats": ["pdf", "html", "braille"], "check": "false"},
                        token=False, content_type="multipart/form-data")
    assert response.status_code == 202
    job_id = response.get_json()["id"]
    seen_states = set()

    def finished() -> dict | None:
        status = web.get(f"/api/handouts/{job_id}").get_json()
        seen_states.add(status["status"])
        # A file is listed only once the manifest vouches for it, whole.
        for kind, url in status["files"].items():
            data = web.get(url.replace("http://localhost", "")).data
            assert data, kind
        return status if status["status"] in ("done", "failed") else None

    status = wait_until(finished)
    assert status["status"] == "done", status
    assert status["formats"] == {"pdf": "done", "html": "done", "braille": "done"}
    assert set(status["files"]) == {"pdf", "html", "brf", "braille_html"}
    assert seen_states <= {"queued", "making", "done"}
    store: Library = web.app.config["LIBRARY"]
    job = store.get(job_id)
    assert job.attempts == 1 and job.finished and job.started
    events = (store.root / job_id / "progress.jsonl").read_text().splitlines()
    assert len(events) == 6, events  # making and done for each of the three
    page = web.get(f"/handouts/{job_id}").get_data(as_text=True)
    assert "Download the large-print PDF" in page and "Every handout is ready" in page


def test_a_bad_format_is_shown_failed_with_what_to_do(running: WebClient, tmp_path: Path) -> None:
    """An article whose PDF cannot be made (a character no font has) fails that format and names the fix."""
    web = running
    article = HANDS_ARTICLE.replace("Wash for twenty seconds.", "Wash for twenty seconds \ue000.")
    response = web.post("/api/handouts", {"article": (io.BytesIO(article.encode()), "hands.md"),
                                          "formats": ["pdf", "html"]}, token=False, content_type="multipart/form-data")
    job_id = response.get_json()["id"]
    status = wait_until(lambda: (s := web.get(f"/api/handouts/{job_id}").get_json())["status"] in ("done", "failed")
                        and s)
    assert status["status"] == "failed"
    assert status["formats"] == {"pdf": "failed", "html": "done"}
    assert "html" in status["files"] and "pdf" not in status["files"]
    assert any("U+E000" in error["problem"] for error in status["errors"]), status["errors"]
    page = web.get(f"/handouts/{job_id}").get_data(as_text=True)
    assert "What to do:" in page and "U+E000" in page


def test_the_check_report_follows_the_handouts(running: WebClient) -> None:
    web = running
    response = web.post("/api/handouts", {"article": (io.BytesIO(HANDS_ARTICLE.encode()), "hands.md"),
                                          "formats": ["pdf", "braille"], "check": "true"},
                        token=False, content_type="multipart/form-data")
    job_id = response.get_json()["id"]
    status = wait_until(lambda: (s := web.get(f"/api/handouts/{job_id}").get_json())["status"] in ("done", "failed")
                        and s)
    assert status["check"]["state"] == "done", status
    assert status["check"]["passed"] > 10
    report = web.get(status["check"]["report"].replace("http://localhost", ""))
    assert report.status_code == 200
    data = report.get_json()
    # PEMAT-P scores the handout itself, so its findings come beside the formats made.
    assert set(data["outputs"]) == {"pdf", "braille", "pemat"} and data["summary"]["pass"] == status["check"]["passed"]
    page = web.get(f"/handouts/{job_id}").get_data(as_text=True)
    assert "Open the check report" in page


def test_jobs_left_unfinished_are_made_again_at_the_next_start(web_settings, tmp_path: Path) -> None:
    settings, _ = web_settings
    store = Library(settings.out_dir / "library")
    jobs = []
    for number, state in enumerate(("making", "queued", "checking")):
        job = Job(id=store.new_id(f"hands-{number}"), title="Washing Your Hands", slug=f"hands-{number}", lang="en",
                  article=f"hands-{number}.md", received_as="text file",
                  options={"formats": ["pdf"], "check": False}, state=state, created=f"2026-01-0{number + 1}")
        store.create(job, HANDS_ARTICLE.encode())
        jobs.append(job)
    # What a killed build leaves behind: a staging folder and a stale progress line.
    half = store.output_dir(jobs[0])
    half.mkdir(parents=True)
    (half / ".staging-abc").mkdir()
    (half / ".staging-abc" / "hands-0.pdf").write_bytes(b"%PDF-1.7 half")
    ProgressLog(store.root / jobs[0].id / "progress.jsonl")("pdf", "making")
    maker = Maker(store, settings, workers=1)
    maker.start()
    try:
        for job in jobs:
            wait_until(lambda job=job: store.get(job.id).state == "done")
    finally:
        maker.stop()
    first = store.get(jobs[0].id)
    assert first.interrupted == 1 and first.attempts == 1
    assert store.get(jobs[1].id).interrupted == 0
    assert not list(half.glob(".staging-*"))
    assert store.output_dir(first).joinpath("hands-0.pdf").read_bytes().startswith(b"%PDF")
    assert [s.state for s in store.format_states(first)] == ["done"]


def hands_job(store: Library, slug: str) -> Job:
    job = Job(id=store.new_id(slug), title="Washing Your Hands", slug=slug, lang="en", article=f"{slug}.md",
              received_as="pasted text", options={"formats": ["pdf", "braille"], "check": False})
    return store.create(job, HANDS_ARTICLE.encode())


def test_a_build_process_killed_mid_handout_is_replaced_and_the_handout_made(web_settings) -> None:
    """The web app meets the same recovery as a batch: the dead process's handout is made again, in a new one."""
    import os
    import signal

    settings, _ = web_settings
    store = Library(settings.out_dir / "library")
    maker = Maker(store, settings, workers=1)
    maker.start()
    try:
        job = hands_job(store, "hands-killed")
        maker.submit(job.id)
        wait_until(lambda: store.get(job.id).state == "making" and store.format_states(store.get(job.id)))

        def build_processes() -> list[int]:
            children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
            return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]

        victims = build_processes()
        assert victims, "no build process is running"
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: store.get(job.id).state in ("done", "failed"))
        made = store.get(job.id)
        assert made.state == "done", made.errors
        assert set(build_processes()).isdisjoint(victims)
        assert set(store.files(made)) == {"pdf", "brf", "braille_html"}
    finally:
        maker.stop()


class CrashingProcesses:
    """Stands in for the build processes: an article whose name holds 'crash' takes its process down."""

    builds: list[str] = []

    def __init__(self, max_workers: int, mp_context: object):
        pass

    def submit(self, function, *args):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future = Future()
        if args and "crash" in str(args[0]):
            CrashingProcesses.builds.append(Path(args[0]).name)
            future.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
        else:
            future.set_result(function(*args))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_a_handout_whose_process_keeps_dying_fails_with_what_to_do_and_the_next_is_made(
        web_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import batch

    monkeypatch.setattr(batch, "ProcessPoolExecutor", CrashingProcesses)
    CrashingProcesses.builds = []
    settings, _ = web_settings
    store = Library(settings.out_dir / "library")
    maker = Maker(store, settings, workers=1)
    maker.start()
    try:
        crashing, next_one = hands_job(store, "crash-hands"), hands_job(store, "hands-after")
        maker.submit(crashing.id)
        maker.submit(next_one.id)
        wait_until(lambda: all(store.get(job.id).state in ("done", "failed") for job in (crashing, next_one)))
    finally:
        maker.stop()
    failed = store.get(crashing.id)
    assert failed.state == "failed"
    (error,) = failed.errors
    assert "stopped abruptly while building it, 2 times" in error["problem"]
    assert error["fix"] == "make it again; if it happens again, report it with the article attached"
    # Tried once more in a fresh process, as a batch does, then given up.
    assert CrashingProcesses.builds == ["crash-hands.md", "crash-hands.md"]
    assert store.get(next_one.id).state == "done"


def test_the_library_lists_newest_first_and_ignores_what_is_not_a_job(tmp_path: Path) -> None:
    store = Library(tmp_path / "library")
    for day in (3, 1, 2):
        job = Job(id=f"a-{day}", title=f"Day {day}", slug="a", lang="en", article="a.md", received_as="pasted text",
                  options={}, created=f"2026-01-0{day}T00:00:00+00:00")
        store.create(job, b"x")
    (store.root / ".new-half").mkdir()
    (store.root / "stray").mkdir()
    (store.root / "not-a-job.txt").write_text("x")
    assert [job.id for job in store.all()] == ["a-3", "a-2", "a-1"]
    for bad in ("../a-1", "a-1/..", "A-1", "", ".previews", "a" * 100):
        assert store.get(bad) is None, bad


def test_with_a_scheduler_the_handouts_are_made_on_the_cluster(web_settings, tmp_path: Path) -> None:
    """The same jobs, sent as tasks to a real Dask scheduler and worker on 127.0.0.1."""
    from dataclasses import replace

    from test_cluster import LoopbackCluster

    cluster = LoopbackCluster(tmp_path)
    try:
        cluster.add_worker("w1")
        cluster.wait_for_workers(1)
        settings, _ = web_settings
        store = Library(settings.out_dir / "library")
        job = Job(id="hands-cluster", title="Washing Your Hands", slug="hands", lang="en", article="hands.md",
                  received_as="pasted text", options={"formats": ["pdf", "html"], "check": False})
        store.create(job, HANDS_ARTICLE.encode())
        maker = Maker(store, replace(settings, scheduler=cluster.address), workers=1)
        maker.start()
        try:
            maker.submit(job.id)
            wait_until(lambda: store.get(job.id).state in ("done", "failed"))
        finally:
            maker.stop()
        assert store.get(job.id).state == "done", store.get(job.id)
        assert [state.state for state in store.format_states(job)] == ["done", "done"]
        assert store.get(job.id).built_on.startswith("w1 (tcp://127.0.0.1:")
        assert set(store.files(job)) == {"pdf", "html"}
    finally:
        cluster.close()


def test_a_word_document_uploaded_is_made_with_its_warnings_on_the_page(running: WebClient, tmp_path: Path) -> None:
    from wordfiles import article

    web = running
    data = article(tmp_path).read_bytes()
    response = web.post("/handouts", {"article": (io.BytesIO(data), "scan 2024 (final).docx"), "options-sent": "1",
                                      "formats": ["pdf", "html"], "paper": "letter", "print_size": "18",
                                      "braille_grade": "2"}, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    store: Library = web.app.config["LIBRARY"]
    (job,) = store.all()
    assert (job.title, job.slug, job.article, job.received_as) == ("Knee pain", "knee-pain", "knee-pain.docx",
                                                                   "Word document")
    assert any("'When to call your doctor' looks like a heading" in warning for warning in job.warnings)
    wait_until(lambda: store.get(job.id).state in ("done", "failed"))
    assert store.get(job.id).state == "done", store.get(job.id).errors
    page = web.get(f"/handouts/{job.id}").get_data(as_text=True)
    assert "Worth a look in the article" in page and "style it Heading 1 in Word" in page
    handout = web.get(f"/handouts/{job.id}/view/knee-pain.html").get_data(as_text=True)
    assert "When to call your doctor</h2>" in handout and "A knee with ice on it" in handout


def test_an_old_word_file_named_docx_is_refused_on_the_form(web: WebClient) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    response = web.post("/handouts", {"article": (io.BytesIO(ole), "leaflet.docx")},
                        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "old Word file" in response.get_data(as_text=True)
    bomb = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.png", bytes(60 * 1024 * 1024))
    response = web.post("/handouts", {"article": (io.BytesIO(bomb.getvalue()), "leaflet.docx")},
                        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "unpacks to" in response.get_data(as_text=True) or "over the" in response.get_data(as_text=True)
    assert not web.app.config["LIBRARY"].all()


def test_a_write_the_disk_refuses_shows_that_format_failed_in_words(  # type: ignore[no-untyped-def]
        web: WebClient, monkeypatch: pytest.MonkeyPatch, refused_writes) -> None:
    import errno

    from pipeline import batch

    # Built in this process, where the disk is made to refuse the page's files.
    monkeypatch.setattr(batch, "ProcessPoolExecutor", CrashingProcesses)
    refused_writes(("washing-your-hands.html", "washing-your-hands.readability.json"), errno.ENOSPC)
    maker = web.app.config["MAKER"]
    maker.start()
    try:
        response = web.post("/api/handouts", {"article": (io.BytesIO(HANDS_ARTICLE.encode()), "hands.md"),
                                              "formats": ["pdf", "html", "braille"], "check": "false"},
                            token=False, content_type="multipart/form-data")
        job_id = response.get_json()["id"]
        status = wait_until(lambda: (s := web.get(f"/api/handouts/{job_id}").get_json())["status"]
                            in ("done", "failed") and s)
    finally:
        maker.stop()
    assert status["status"] == "failed"
    assert status["formats"] == {"pdf": "done", "html": "failed", "braille": "done"}, status
    (error,) = status["errors"]
    assert error["problem"] == ("the plain-language page could not be written: the disk is full "
                                "(No space left on device)")
    assert error["fix"].startswith("free space on the disk that holds ") and error["fix"].endswith(
        "/handouts/washing-your-hands, or write the handouts to a folder on another disk")
    page = web.get(f"/handouts/{job_id}").get_data(as_text=True)
    assert "The plain-language page could not be written: the disk is full" in page
    assert "What to do:</strong> free space on the disk that holds" in page and "report this" not in page


def test_a_disk_too_full_to_record_a_job_leaves_the_maker_making_the_next(  # type: ignore[no-untyped-def]
        web_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from pipeline import batch

    monkeypatch.setattr(batch, "ProcessPoolExecutor", CrashingProcesses)
    settings, _ = web_settings
    store = Library(settings.out_dir / "library")
    maker = Maker(store, settings, workers=1)
    maker.start()
    full, next_one = hands_job(store, "full-hands"), hands_job(store, "hands-after")
    real_update = Library.update

    def update(self, job_id, change):  # type: ignore[no-untyped-def]
        if job_id == full.id:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_update(self, job_id, change)

    monkeypatch.setattr(Library, "update", update)
    try:
        maker.submit(full.id)
        maker.submit(next_one.id)
        wait_until(lambda: store.get(next_one.id).state == "done", seconds=60)
    finally:
        maker.stop()


def test_progress_a_full_disk_cannot_note_does_not_stop_the_build(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    def full(handle: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    progress = ProgressLog(tmp_path / "progress.jsonl")
    monkeypatch.setattr(os, "write", full)
    progress("pdf", "making")  # noted in the server's log, not raised into the build
    monkeypatch.undo()
    progress("pdf", "done")
    assert (tmp_path / "progress.jsonl").read_text().splitlines() == ['{"format": "pdf", "state": "done"}']


# An upload being stored when the server is killed: the article is half written, then the process dies (SIGKILL).
STORE_THEN_KILLED = """
import os, signal, sys
from pathlib import Path
from pipeline.web.jobs import Job, Library

real_write = Path.write_bytes

def write_bytes(self, data):
    real_write(self, data[: len(data) // 2])
    os.kill(os.getpid(), signal.SIGKILL)

Path.write_bytes = write_bytes
job = Job(id="half-1", title="Half", slug="half", lang="en", article="half.md", received_as="text file", options={})
Library(Path(sys.argv[1])).create(job, b"# Half\\n\\n" + b"Wash your hands. " * 10000)
"""


def test_an_upload_stored_when_the_server_was_killed_is_cleared_at_the_next_start(web_settings) -> None:
    import signal
    import subprocess
    import sys

    from pipeline.leftovers import NEW_PREFIX, owned_name

    settings, _ = web_settings
    store = Library(settings.out_dir / "library")
    killed = subprocess.run([sys.executable, "-c", STORE_THEN_KILLED, str(store.root)], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    (left,) = store.root.glob(".new-*")
    assert (left / "source" / "half.md").is_file()
    # An upload this process is storing now, and one from a release that did not record its writer.
    live = store.root / f"{owned_name(NEW_PREFIX)}cafe"
    (live / "source").mkdir(parents=True)
    unowned = store.root / ".new-beef"
    unowned.mkdir()
    # A finished job whose build was killed after publishing its handouts, before clearing its staging folder.
    done = Job(id="done-1", title="Done", slug="done", lang="en", article="done.md", received_as="text file",
               options={}, state="done")
    store.create(done, HANDS_ARTICLE.encode())
    staging = store.output_dir(done) / ".staging-killed"
    staging.mkdir(parents=True)
    maker = Maker(store, settings, workers=1)
    maker.start()
    maker.stop()
    assert not left.exists(), "an upload its killed server left behind is still in the library"
    assert live.is_dir() and unowned.is_dir()
    assert not staging.exists(), "the staging folder of a finished job's killed build is still there"
    assert store.get("half-1") is None and [job.id for job in store.all()] == ["done-1"]
