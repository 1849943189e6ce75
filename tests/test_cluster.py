"""Builds on a Dask cluster: a real scheduler and worker processes on 127.0.0.1, started by these tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from pipeline.manifest import MANIFEST, file_digest

DASK = str(Path(sys.executable).parent / "dask")
HANDOUT = [sys.executable, "-m", "pipeline"]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cluster"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
# A task sent, run once and fetched goes released -> waiting -> processing -> memory -> forgotten.
TASK_TRANSITIONS = 4
DISCLAIMER = "Disclaimer: This handout is for information only. Ask your care team about your own care.\n"


def small_articles(folder: Path, count: int) -> list[Path]:
    """``count`` short articles, each different, as a clinic's library would hold."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        path = folder / f"leaflet-{n:02d}.md"
        path.write_text(f"---\ntitle: Looking After Your Knee, Week {n}\n---\n"
                        f"## Rest\n\nRest your knee for {n + 1} days after the visit.\n\n"
                        "## When to call\n\nCall the clinic if the pain gets worse or the knee gets hot.\n\n"
                        + DISCLAIMER, encoding="utf-8")
        paths.append(path)
    return paths


class LoopbackCluster:
    """A Dask scheduler and workers, each a process of its own, on 127.0.0.1."""

    def __init__(self, folder: Path, dashboard: bool = False):
        self.folder = folder
        self.scheduler_file = folder / "scheduler.json"
        self.processes: dict[str, subprocess.Popen] = {}
        # Without the dashboard the scheduler still serves health checks over HTTP: on a free port here.
        dashboard_options = ["--dashboard-address", "127.0.0.1:0"] + ([] if dashboard else ["--no-dashboard"])
        self._start("scheduler", [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--scheduler-file", str(self.scheduler_file), *dashboard_options])
        deadline = time.monotonic() + 60
        while (address := self._written_address()) is None:
            assert time.monotonic() < deadline, self.log("scheduler")
            time.sleep(0.05)
        self.address = address

    def _written_address(self) -> str | None:
        """The scheduler's address once its file is there and whole (it may be caught half-written)."""
        try:
            return json.loads(self.scheduler_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            return None

    def _start(self, name: str, command: list[str], prefix: list[str] | None = None) -> None:
        log = (self.folder / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen([*(prefix or []), *command], stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def add_worker(self, name: str, preload: Path | None = None, prefix: list[str] | None = None) -> None:
        command = [DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name]
        if preload is not None:
            command += ["--preload", str(preload)]
        self._start(name, command, prefix)

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=90)

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def close(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def cluster_factory(tmp_path: Path):  # type: ignore[no-untyped-def]
    started: list[LoopbackCluster] = []

    def start(workers: int = 2, dashboard: bool = False) -> LoopbackCluster:
        folder = tmp_path / f"cluster-{len(started)}"
        folder.mkdir()
        cluster = LoopbackCluster(folder, dashboard=dashboard)
        started.append(cluster)
        for n in range(1, workers + 1):
            cluster.add_worker(f"w{n}")
        if workers:
            cluster.wait_for_workers(workers)
        return cluster

    yield start
    for cluster in started:
        cluster.close()


def handout(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*HANDOUT, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=600)


def article_of(key: str) -> str:
    """The article a build task is for: its key is handout-SLUG-TOKEN."""
    return key.removeprefix("handout-").rsplit("-", 1)[0]


def halfway(folder: Path) -> bool:
    return (folder / f"{folder.name}.pdf").exists() and not (folder / f"{folder.name}.mp3").exists()


def cue_texts(path: Path) -> list[str]:
    """The words of a captions file, without its timings."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    return [" ".join(line for line in block.splitlines() if "-->" not in line) for block in blocks if block.strip()]


def assert_whole(folder: Path) -> None:
    """Every file the manifest lists is there with its recorded digest; nothing half-made is left."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest.values():
        for name, digest in entry["files"].items():
            assert file_digest(folder / name) == digest, name
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith((".staging-", ".partial-"))]
    assert leftovers == []


def test_a_worker_killed_mid_batch_loses_nothing(tmp_path: Path, cluster_factory) -> None:  # type: ignore[no-untyped-def]
    """Six articles, every format, on two workers; one worker is killed while it builds an article."""
    from distributed import Client

    cluster = cluster_factory(workers=2)
    sources = small_articles(tmp_path / "source", 6)
    out = tmp_path / "out"
    build = subprocess.Popen([*HANDOUT, "build", str(tmp_path / "source"), "--out", str(out),
                              "--scheduler", cluster.address], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, **EPOCH})
    victim = cluster.processes["w1"]
    with Client(cluster.address, timeout=30, set_as_default=False) as client:
        deadline = time.monotonic() + 120
        while True:
            workers = client.scheduler_info(n_workers=-1)["workers"]
            # A worker may leave between the two questions: it is busy with nothing here.
            busy = {workers[address]["name"]: keys
                    for address, keys in client.processing().items() if keys and address in workers}
            # Killed half-way through an article: its PDF is in place, its audio is still being spoken.
            writing = [key for key in busy.get("w1", ()) if halfway(out / article_of(key))]
            if writing:
                break
            assert build.poll() is None and time.monotonic() < deadline, "worker w1 never began an article"
            time.sleep(0.05)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        killed_while_building = writing
    stdout, stderr = build.communicate(timeout=600)
    assert build.returncode == 0, stderr
    assert killed_while_building
    assert "0 of 6 up to date, 6 built" in stdout
    assert "(it has no dashboard)" in stderr
    lines = [line for line in stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 6 and all(": built on " in line for line in lines), stdout
    # The article w1 was writing when it died was finished by w2, which cleared w1's staging folder.
    rebuilt = [line for line in lines if f"{article_of(killed_while_building[0])}:" in line]
    assert rebuilt and "on w2" in rebuilt[0], (killed_while_building, stdout)

    local = tmp_path / "local"
    done = handout("build", str(tmp_path / "source"), "--out", str(local), "--jobs", "2", env=EPOCH)
    assert done.returncode == 0, done.stderr
    for source in sources:
        slug = source.stem
        folder = out / slug
        assert_whole(folder)
        for suffix in (".pdf", ".html", ".brf", ".braille.html"):
            assert (folder / f"{slug}{suffix}").read_bytes() == (local / slug / f"{slug}{suffix}").read_bytes(), \
                f"{slug}{suffix} differs from the local build"
        # Piper's speech varies a little from take to take: the audio and the book are compared by their text.
        assert (folder / f"{slug}.mp3").stat().st_size > 10_000
        cues = cue_texts(folder / f"{slug}.vtt")
        assert cues and cues == cue_texts(local / slug / f"{slug}.vtt")
        assert "WEBVTT" in (folder / f"{slug}.vtt").read_text(encoding="utf-8")
        with zipfile.ZipFile(folder / f"{slug}.epub") as book:
            assert book.testzip() is None
            assert book.read("mimetype") == b"application/epub+zip"


@pytest.fixture
def pair(cluster_factory):  # type: ignore[no-untyped-def]
    """Two workers, with the scheduler's dashboard on."""
    return cluster_factory(workers=2, dashboard=True)


def test_an_article_that_fails_is_reported_once_with_its_worker(tmp_path: Path, pair) -> None:  # type: ignore[no-untyped-def]
    from distributed import Client

    small_articles(tmp_path / "source", 1)
    # A private-use character: no font has a glyph for it, so the PDF stops (exit 2).
    (tmp_path / "source" / "boxes.md").write_text(
        "---\ntitle: Symbols\n---\nThe clinic's sign is \ue000 on the door.\n\n" + DISCLAIMER, encoding="utf-8")
    with Client(pair.address, timeout=30, set_as_default=False) as client:
        before = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)
        done = handout("build", str(tmp_path / "source"), "--out", str(tmp_path / "out"), "--format", "pdf",
                       "--scheduler", pair.address)
        after = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert "boxes.md" in errors[0] and "U+E000" in errors[0] and "(built on worker w" in errors[0]
    assert "0 of 2 up to date, 1 built, 1 failed: boxes.md" in done.stderr
    assert (tmp_path / "out" / "leaflet-01" / "leaflet-01.pdf").is_file()
    # Two tasks, each run once, and no retry (a retry adds at least three transitions).
    assert after - before <= 2 * TASK_TRANSITIONS + 2, after - before


def test_the_dashboard_link_is_printed_and_answers(tmp_path: Path, pair) -> None:  # type: ignore[no-untyped-def]
    small_articles(tmp_path / "source", 1)
    done = handout("build", str(tmp_path / "source"), "--out", str(tmp_path / "out"), "--format", "braille",
                   "--scheduler", pair.address)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stderr.splitlines() if line.startswith("cluster: "))
    link = line.split("dashboard: ")[1]
    assert link.startswith("http://127.0.0.1:") and link.endswith("/status")
    with urllib.request.urlopen(link, timeout=30) as page:
        assert page.status == 200


def test_an_up_to_date_library_sends_nothing_to_the_cluster(tmp_path: Path, pair) -> None:  # type: ignore[no-untyped-def]
    from distributed import Client

    small_articles(tmp_path / "source", 4)
    command = ("build", str(tmp_path / "source"), "--out", str(tmp_path / "out"), "--format", "html",
               "--format", "braille", "--scheduler", pair.address)
    assert handout(*command).returncode == 0
    (tmp_path / "source" / "leaflet-03.md").write_text(
        (tmp_path / "source" / "leaflet-03.md").read_text(encoding="utf-8").replace("Rest your", "Raise your"),
        encoding="utf-8")
    with Client(pair.address, timeout=30, set_as_default=False) as client:
        count = lambda: client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)  # noqa: E731
        before = count()
        changed = handout(*command)
        middle = count()
        unchanged = handout(*command)
        after = count()
    assert changed.returncode == 0 and unchanged.returncode == 0
    assert "3 of 4 articles are up to date; building 1" in changed.stderr
    assert [line for line in changed.stdout.splitlines() if ": built on " in line] == \
        [line for line in changed.stdout.splitlines() if "leaflet-03" in line]
    assert 0 < middle - before <= TASK_TRANSITIONS + 2  # one task
    assert "4 of 4 articles are up to date; building 0" in unchanged.stderr
    assert after == middle  # nothing sent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_stops_before_anything_is_built(tmp_path: Path) -> None:
    small_articles(tmp_path / "source", 1)
    address = f"tcp://127.0.0.1:{free_port()}"
    done = handout("build", str(tmp_path / "source"), "--out", str(tmp_path / "out"), "--scheduler", address)
    assert done.returncode == 2
    assert f"error: cluster check failed (scheduler answers): the scheduler at {address} does not answer" \
        in done.stderr
    assert "dask scheduler" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_scheduler_address_must_be_one(tmp_path: Path) -> None:
    small_articles(tmp_path / "source", 1)
    done = handout("build", str(tmp_path / "source"), "--scheduler", "127.0.0.1")
    assert done.returncode == 2
    assert "'127.0.0.1' is not a scheduler address. Fix: give it as tcp://HOST:PORT" in done.stderr


def test_a_scheduler_without_workers_is_reported(tmp_path: Path, cluster_factory) -> None:  # type: ignore[no-untyped-def]
    cluster = cluster_factory(workers=0)
    small_articles(tmp_path / "source", 1)
    done = handout("build", str(tmp_path / "source"), "--out", str(tmp_path / "out"), "--scheduler", cluster.address)
    assert done.returncode == 2
    assert "cluster check failed (workers joined): no worker has joined the scheduler" in done.stderr
    assert f"dask worker {cluster.address}" in done.stderr


def test_a_worker_of_another_release_is_refused(tmp_path: Path, cluster_factory) -> None:  # type: ignore[no-untyped-def]
    from distributed import Client

    from pipeline.cluster import ReleaseMismatch, build_on_worker
    from pipeline.manifest import build_identity
    from pipeline.settings import Settings

    cluster = cluster_factory(workers=0)
    cluster.add_worker("old", preload=FIXTURES / "other_release.py")
    cluster.wait_for_workers(1)
    sources = small_articles(tmp_path / "source", 1)
    done = handout("build", str(tmp_path / "source"), "--out", str(tmp_path / "out"), "--scheduler", cluster.address)
    assert done.returncode == 2
    assert "cluster check failed (same release): worker old (tcp://127.0.0.1:" in done.stderr
    assert "runs handout 0.0.1-other where this machine has " in done.stderr
    assert not list((tmp_path / "out").glob("leaflet-*"))
    # A task that reaches such a worker anyway (one that joined after the check) is refused there.
    with Client(cluster.address, timeout=30, set_as_default=False) as client:
        future = client.submit(build_on_worker, str(sources[0]), Settings(out_dir=tmp_path / "out"),
                               build_identity(), {}, pure=False)
        with pytest.raises(ReleaseMismatch, match="worker old .* runs handout 0.0.1-other"):
            future.result(timeout=120)
    assert not list((tmp_path / "out").glob("leaflet-*"))


def namespaces_work() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not namespaces_work(), reason="this machine does not allow mount namespaces (unshare -rm)")
def test_folders_the_workers_cannot_see_stop_the_build(tmp_path: Path, cluster_factory) -> None:  # type: ignore[no-untyped-def]
    """A worker whose /…/private is a folder of its own, as on a machine that does not mount the share."""
    private = tmp_path / "private"
    private.mkdir()
    cluster = cluster_factory(workers=1)
    cluster.add_worker("elsewhere", prefix=["unshare", "-rm", "--propagation", "private", "sh", "-c",
                                            f"mount -t tmpfs none {private} && exec \"$0\" \"$@\""])
    cluster.wait_for_workers(2)
    small_articles(tmp_path / "source", 2)

    hidden_out = private / "out"
    done = handout("build", str(tmp_path / "source"), "--out", str(hidden_out), "--scheduler", cluster.address)
    assert done.returncode == 2
    assert ("cluster check failed (output folder shared): worker elsewhere (tcp://127.0.0.1:"
            in done.stderr), done.stderr
    assert f"cannot use the output folder {hidden_out}: there is no such folder on that worker" in done.stderr
    assert "Fix: put the output folder on storage every worker mounts at the same path" in done.stderr
    assert sorted(p.name for p in hidden_out.iterdir()) == []  # no handouts, and the check's own files removed

    # The worker has a folder at that path, but not this one.
    done = handout("build", str(tmp_path / "source"), "--out", str(private), "--scheduler", cluster.address)
    assert done.returncode == 2
    assert "the folder there is another one" in done.stderr

    hidden_source = private / "source"
    small_articles(hidden_source, 1)
    done = handout("build", str(hidden_source), "--out", str(tmp_path / "out"), "--scheduler", cluster.address)
    assert done.returncode == 2
    assert "cluster check failed (sources shared): worker elsewhere" in done.stderr
    assert f"cannot read 1 of the articles, such as {hidden_source / 'leaflet-01.md'}" in done.stderr
