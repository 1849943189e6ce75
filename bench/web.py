"""`make bench --parts web`: the staff web app, measured as staff and other systems use it.

A real `handout serve` on a loopback port, with two build processes:

- upload to downloadable PDF, against `handout build --format pdf` of the same
  article (interpreter start included, as staff would otherwise run it);
- the handout page's and the API's response times while two builds run;
- ten API submissions at once: every one accepted, made, and none lost.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "ketamine-ptsd.md"
HANDOUT = [sys.executable, "-m", "pipeline"]


class Server:
    def __init__(self, work: Path, jobs: int = 2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [*HANDOUT, "serve", "--port", str(self.port), "--out", str(work / "web"), "--jobs", str(jobs),
             "--word-lists", str(ROOT / "source"), "--staff-file", str(work / "staff.json")],
            cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/")
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the web app did not start") from None
                time.sleep(0.2)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
            return response.read()

    def status(self, job_id: str) -> dict:
        return json.loads(self.get(f"/api/handouts/{job_id}"))

    def submit(self, article: bytes, formats: tuple[str, ...]) -> tuple[int, str]:
        boundary = "bench-boundary"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="article"; filename="a.md"\r\n'
                 "Content-Type: text/markdown\r\n\r\n".encode() + article + b"\r\n"]
        parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="formats"\r\n\r\n{name}\r\n'.encode()
                  for name in formats]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="check"\r\n\r\nfalse\r\n'
                     f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/handouts", data=b"".join(parts))
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["id"]

    def wait(self, job_id: str, until, seconds: float = 900, step: float = 0.05) -> dict:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status = self.status(job_id)
            if until(status):
                return status
            time.sleep(step)
        raise RuntimeError(f"{job_id} did not get there in {seconds} s")

    def close(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def finished(status: dict) -> bool:
    return status["status"] in ("done", "failed")


def web(work: Path, row, runs: int, run) -> None:  # type: ignore[no-untyped-def]
    """The three measures of the web app; ``row`` writes a table row, ``run`` times a command."""
    work.mkdir(parents=True, exist_ok=True)
    article = SEED.read_bytes()
    cli = statistics.median(run([*HANDOUT, "build", str(SEED), "--format", "pdf", "--out", str(work / f"cli{n}"),
                                 "--force"])[0] for n in range(runs))
    server = Server(work)
    try:
        server.status  # noqa: B018 - started
        for formats, label in ((("pdf",), "PDF only"), (("pdf", "html", "audio", "epub", "braille"), "every format")):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                _, job_id = server.submit(article, formats)
                server.wait(job_id, lambda status: "pdf" in status["files"])
                times.append(time.perf_counter() - start)
                server.wait(job_id, finished)  # the next upload starts on an idle server
            ours = statistics.median(times)
            row(f"web app: upload to downloadable PDF ({label} asked for; median of {runs}) vs "
                "`handout build --format pdf`", ours, cli, ours / cli, "<= 1.5x", ours / cli <= 1.5)

        # Response times while two handouts (every format) are being made.
        busy = [server.submit(article, ("pdf", "html", "audio", "epub", "braille"))[1] for _ in range(2)]
        server.wait(busy[0], lambda status: status["status"] == "making")
        page_times, api_times = [], []
        while not all(finished(server.status(job_id)) for job_id in busy) and len(page_times) < 400:
            for path, times in ((f"/handouts/{busy[0]}", page_times), (f"/api/handouts/{busy[1]}", api_times)):
                start = time.perf_counter()
                server.get(path)
                times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.1)
        for label, times in (("handout page", page_times), ("API status", api_times)):
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            row(f"web app: {label} while two builds run, median / 95th percentile of {len(times)} requests",
                statistics.median(times), None, None, "95th percentile < 200 ms", p95 < 200, unit="ms")
            row(f"web app: {label} 95th percentile", p95, None, None, "< 200 ms", p95 < 200, unit="ms")
        for job_id in busy:
            server.wait(job_id, finished)

        # Ten submissions at once, from ten threads.
        answers: list[tuple[int, str] | Exception] = []

        def send(number: int) -> None:
            text = article.replace(b"title: \"Ketamine", f"title: \"Ketamine {number}".encode())
            try:
                answers.append(server.submit(text, ("pdf", "html", "braille")))
            except Exception as error:  # noqa: BLE001 - counted as lost
                answers.append(error)

        start = time.perf_counter()
        threads = [threading.Thread(target=send, args=(n,)) for n in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        accepted = [answer for answer in answers if isinstance(answer, tuple) and answer[0] == 202]
        done = sum(server.wait(job_id, finished, seconds=1800, step=0.5)["status"] == "done"
                   for _, job_id in accepted)
        elapsed = time.perf_counter() - start
        row(f"web app: ten API submissions at once (PDF, page, braille): accepted {len(accepted)}, done {done} "
            f"in {elapsed:.0f} s", done, 10, done / 10, "all done, none lost", done == 10, unit="")
    finally:
        server.close()
