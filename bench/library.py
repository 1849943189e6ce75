"""`make bench` parts for libraries: rebuilding a thousand articles, and a batch on a loopback Dask cluster.

``library``: 1,000 small generated articles are built once (all five formats;
eSpeak NG speaks them so the set-up takes minutes, not an hour: the rebuild
decides from fingerprints and file digests, whoever spoke). Then a rebuild
with nothing changed, median of the runs; then a clinic's page stylesheet
changes (``--templates``) and the rebuild must remake only the pages.

``cluster``: the same batch of small articles as the ``batch`` part, spoken by
the default Piper voice, built by a Dask scheduler and two single-thread
worker processes on 127.0.0.1 (``--scheduler``) against the local process
pool (``--jobs 2``), one run each, fresh workers and pool for each.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HANDOUT = [PYTHON, "-m", "pipeline"]
DASK = str(Path(PYTHON).parent / "dask")
ESPEAK_VOICE = "gmw/en-us"

Row = Callable[..., None]


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:6])} … exited {done.returncode}: {done.stderr[-1500:]}")
    return elapsed, done


def remade(stdout: str) -> Counter:
    """How many files of each kind a build wrote, from its one line per article."""
    kinds: Counter = Counter()
    for files in re.findall(r": built(?: on [^(]+)? \((.+)\)$", stdout, re.M):
        for name in files.split(", "):
            kinds[name.split(".", 1)[1]] += 1
    return kinds


def library(work: Path, articles: Callable[[Path, int], None], row: Row, runs: int, count: int = 1000) -> None:
    source, out, clinic = work / "library", work / "library-out", work / "clinic-templates"
    articles(source, count)
    clinic.mkdir(exist_ok=True)
    shutil.copy(ROOT / "pipeline" / "templates" / "page.css", clinic / "page.css")
    build = [*HANDOUT, "build", str(source), "--out", str(out), "--voice", ESPEAK_VOICE, "--templates", str(clinic)]
    first, done = timed([*build, "--jobs", "2"])
    crashes = done.stderr.count("a build process stopped abruptly")
    times = [timed(build)[0] for _ in range(runs)]
    again = statistics.median(times)
    row(f"library of {count} small articles, all five formats (eSpeak NG): rebuild with nothing changed, "
        f"{again / count * 1000:.1f} ms an article (the first build took {first:.0f} s at --jobs 2"
        + (f", during which a build process died {crashes} times and its articles were built again" if crashes else "")
        + ")",
        again, first, first / again, "report", None)
    with (clinic / "page.css").open("a", encoding="utf-8") as css:
        css.write("\n/* Riverside Clinic: links in the clinic's blue */\na { color: #00457c; }\n")
    changed, done = timed([*build, "--jobs", "2"])
    kinds = remade(done.stdout)
    only_pages = set(kinds) <= {"html", "readability.json"} and kinds["html"] == count
    row(f"library of {count}: the page stylesheet changed, rebuild at --jobs 2 remade "
        + (", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "nothing"),
        changed, first, first / changed, "pages only", only_pages)


class LoopbackCluster:
    """A Dask scheduler and single-thread workers on 127.0.0.1, as `dask scheduler` / `dask worker` start them."""

    def __init__(self, folder: Path, workers: int):
        folder.mkdir(parents=True, exist_ok=True)
        scheduler_file = folder / "scheduler.json"
        scheduler_file.unlink(missing_ok=True)
        scheduler = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(scheduler_file)]
        self.processes = [self._start(folder / "scheduler.log", scheduler)]
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the Dask scheduler did not start")
            time.sleep(0.2)
        time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]
        for n in range(workers):
            self.processes.append(self._start(folder / f"worker-{n}.log",
                                              [DASK, "worker", self.address, "--nthreads", "1"]))
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)

    @staticmethod
    def _start(log: Path, command: list[str]) -> subprocess.Popen:
        return subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def cluster(work: Path, articles: Callable[[Path, int], None], row: Row, count: int) -> None:
    source = work / "cluster-batch"
    articles(source, count)
    local, _ = timed([*HANDOUT, "build", str(source), "--out", str(work / "c-local"), "--force", "--jobs", "2"])
    loopback = LoopbackCluster(work / "loopback", workers=2)
    try:
        on_cluster, _ = timed([*HANDOUT, "build", str(source), "--out", str(work / "c-cluster"), "--force",
                               "--scheduler", loopback.address])
    finally:
        loopback.close()
    row(f"batch of {count} small articles on a loopback Dask cluster (2 workers, 1 thread each) vs "
        "--jobs 2 on this machine (1 run each, fresh workers)", on_cluster, local, on_cluster / local, "<= 1.10",
        on_cluster / local <= 1.10)
