"""Oversized text uploads against a real `handout serve`: how long each refusal takes, and the server's memory.

Runnable alone::

    python bench/oversized_uploads.py [--uploads 50] [--at-once 8] [--megabytes 19]

A Markdown file of ``megabytes`` MB (under the app's 20 MB upload limit, far
over the 1 MB text limit) is sent ``uploads`` times, ``at-once`` at a time, to
the API. Every one must be refused (400). Prints one JSON object: the
refusals' median, 95th percentile and slowest time, and the server's resident
memory (VmRSS of the server process, not its build processes) before, at its
highest while the uploads ran, and after.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from web import Server


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid``, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def oversized_article(megabytes: int) -> bytes:
    """A plain Markdown article, ``megabytes`` MB long: front matter, then paragraphs."""
    head = b"---\ntitle: A Very Long Leaflet\n---\n"
    paragraph = b"Wash your hands with soap and water for twenty seconds before you eat.\n\n"
    return head + paragraph * (megabytes * 1024 * 1024 // len(paragraph))


BOUNDARY = "bench-boundary"


def form_body(article: bytes) -> bytes:
    """The API form that sends ``article`` as its file, asking for the web page only."""
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="article"; filename="long.md"\r\n'
            "Content-Type: text/markdown\r\n\r\n")
    tail = f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="formats"\r\n\r\nhtml\r\n--{BOUNDARY}--\r\n'
    return head.encode() + article + tail.encode()


def send(port: int, body: bytes) -> tuple[int, float]:
    """Send the form to the API; its status and the seconds it took to be answered."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/handouts", data=body)
    request.add_header("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - start


def measure(work: Path, uploads: int, at_once: int, megabytes: int) -> dict:
    article = oversized_article(megabytes)
    body = form_body(article)
    server = Server(work, jobs=1)
    try:
        pid = server.process.pid
        time.sleep(1.0)  # the warm build process has started
        before = rss_mb(pid)
        highest = [before]
        running = threading.Event()
        running.set()

        def watch() -> None:
            while running.is_set():
                highest.append(rss_mb(pid))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            answers = list(pool.map(lambda _: send(server.port, body), range(uploads)))
        elapsed = time.perf_counter() - started
        running.clear()
        watcher.join()
        time.sleep(0.5)
        after = rss_mb(pid)
    finally:
        server.close()
    times = sorted(seconds for _, seconds in answers)
    return {
        "uploads": uploads, "at_once": at_once, "megabytes": len(article) / 1024 / 1024,
        "statuses": sorted({status for status, _ in answers}),
        "refusal_seconds": {"median": round(statistics.median(times), 3),
                            "p95": round(times[int(0.95 * (len(times) - 1))], 3), "slowest": round(times[-1], 3)},
        "all_seconds": round(elapsed, 2),
        "server_rss_mb": {"before": round(before, 1), "highest": round(max(highest), 1), "after": round(after, 1)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--at-once", type=int, default=8)
    parser.add_argument("--megabytes", type=int, default=19)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handout-bench-") as work:
        json.dump(measure(Path(work), args.uploads, args.at_once, args.megabytes), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
