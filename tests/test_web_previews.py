"""Voice samples: one at a time for each member of staff, a bounded queue, a bounded cache."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import WebClient

import pipeline.web.previews as previews


@pytest.fixture
def speaking(web: WebClient, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Samples are 'spoken' in a thread, each waiting until the test lets it finish; returns that gate."""
    gate = threading.Event()
    started: list[str] = []

    def speak(voice_id: str, lang: str, text: str, rate: int, target: str) -> str:
        started.append(text)
        assert gate.wait(60), "the test never let the sample finish"
        Path(target).write_bytes(b"\xff\xfb" + text.encode() * (1000 // max(1, len(text)) + 1))
        return "Joe"

    monkeypatch.setattr(previews, "_speak_sample", speak)
    sampler = web.app.config["SAMPLER"]
    sampler.pool = ThreadPoolExecutor(max_workers=1)
    yield gate, started
    gate.set()
    sampler.pool.shutdown(wait=True)


def client_of(web: WebClient) -> WebClient:
    """Another member of staff: a client with a session of its own."""
    other = WebClient(web.app)
    other.get("/")
    return other


def sample_url(text: str) -> str:
    return f"/voices/sample.mp3?voice=en_US-joe-medium&lang=en&text={text.replace(' ', '+')}"


def test_a_flood_of_new_samples_is_told_503_at_once_past_the_queue(web: WebClient, speaking) -> None:  # type: ignore[no-untyped-def]
    gate, started = speaking
    limit = web.app.config["SERVE"].voice_sample_queue
    answers: dict[int, object] = {}

    def ask(number: int, client: WebClient) -> None:
        answers[number] = client.get(sample_url(f"Sentence number {number} for the new voice."))

    clients = [client_of(web) for _ in range(20)]
    threads = [threading.Thread(target=ask, args=(number, client)) for number, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    # Every request past the queue is answered while the samples in it are still being made.
    deadline = threading.Event()
    while sum(1 for answer in answers.values() if answer.status_code == 503) < 20 - limit:
        assert not deadline.wait(0.05) and any(thread.is_alive() for thread in threads), \
            {n: a.status_code for n, a in answers.items()}
    assert not gate.is_set()
    busy = [answer for answer in answers.values() if answer.status_code == 503]
    assert all(answer.headers["Retry-After"].isdigit() for answer in busy)
    assert "try again" in busy[0].get_data(as_text=True)
    # Sign-in and the pages are answered meanwhile.
    assert web.get("/").status_code == 200
    gate.set()
    for thread in threads:
        thread.join(60)
    made = [answer for answer in answers.values() if answer.status_code == 200]
    assert len(made) == limit and len(started) == limit


def test_one_sample_at_a_time_for_each_member_of_staff(web: WebClient, speaking) -> None:  # type: ignore[no-untyped-def]
    gate, started = speaking
    first: list[object] = []
    thread = threading.Thread(target=lambda: first.append(web.get(sample_url("The first sentence of all."))))
    thread.start()
    while not started:
        threading.Event().wait(0.02)
    second = web.get(sample_url("A second sentence while the first is made."))
    assert second.status_code == 503 and "still being made" in second.get_data(as_text=True)
    assert "Retry-After" in second.headers
    # Someone else is not held up by it.
    other = client_of(web)
    gate.set()
    thread.join(60)
    assert first[0].status_code == 200
    assert other.get(sample_url("Someone else's sentence here.")).status_code == 200


def test_a_sample_text_longer_than_the_form_sends_is_refused(web: WebClient, speaking) -> None:  # type: ignore[no-untyped-def]
    _, started = speaking
    response = web.get(sample_url("word " * 121))
    assert response.status_code == 400 and "600 characters" in response.get_data(as_text=True)
    assert not started


def test_the_sample_cache_keeps_a_bounded_number_of_bytes_oldest_out_first(web: WebClient, speaking) -> None:  # type: ignore[no-untyped-def]
    gate, _ = speaking
    gate.set()
    sampler = web.app.config["SAMPLER"]
    sampler.cache_bytes = 3500
    paths = []
    for number in range(6):
        assert web.get(sample_url(f"Cached sentence number {number} is here.")).status_code == 200
        made = max(sampler.cache.glob("*.mp3"), key=lambda path: path.stat().st_mtime_ns)
        paths.append(made)
        os.utime(made, ns=(number * 10**9, number * 10**9))  # made a second apart
        if number == 2:
            # Played again: the first sample is kept longer than those made after it.
            assert web.get(sample_url("Cached sentence number 0 is here.")).status_code == 200
            os.utime(paths[0], ns=(25 * 10**8, 25 * 10**8))
        if number == 4:
            assert paths[0].exists() and not paths[1].exists() and not paths[2].exists()
    kept = sorted(sampler.cache.glob("*.mp3"))
    assert sum(path.stat().st_size for path in kept) <= 3500
    assert paths[5] in kept and paths[4] in kept
    assert paths[1] not in kept and paths[2] not in kept
