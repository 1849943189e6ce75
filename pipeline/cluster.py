"""Batch builds on a Dask distributed cluster: each article is one task running the same build as here.

A library too big for one machine is built by the machines of an existing
Dask cluster (``dask scheduler`` and ``dask worker``). The handouts are
written by the workers straight into the output folder, so every worker
must see the output folder and the sources at the same paths as the machine
that starts the build (a shared filesystem). The staging folders, atomic
moves and per-article locks of :mod:`pipeline.build` keep each handout whole
or absent whichever worker writes it, and whenever one dies.

Before anything is sent, :meth:`Cluster.check` makes sure that the scheduler
answers, that workers have joined, that they run this same release with the
same speech and braille engines, and that they see the output folder and the
sources. Any failure stops the build with exit status 2 and names the check.

A worker that dies mid-batch loses nothing: the scheduler gives its tasks to
the other workers (Dask's rescheduling of a lost worker's tasks, up to its
``allowed-failures``), and a task whose run raised is retried
(``TASK_RETRIES``). An article that fails for its own reasons (bad input, a
glyph no font has) is not an exception in Dask's eyes: it comes back as a
result with its errors, is reported once, and is never retried.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .build import ArticleResult, Progress, build_article
from .errors import HandoutError, RenderError
from .manifest import build_identity
from .settings import Settings

log = logging.getLogger(__name__)

# Seconds to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT = 10
WORKERS_TIMEOUT = 10
# Retries of a task whose run raised (a worker's lost connection to the shared
# folder, say); the tasks of a worker that died are rescheduled by Dask itself.
TASK_RETRIES = 2
# The files that show a worker and this machine share the output folder.
PROBE_PREFIX = ".handout-cluster-check-"
# Articles named in a message, at most; the count says how many there are.
SHOWN = 3


class ClusterError(HandoutError):
    """The cluster cannot build this library as it stands: which check failed, and the fix."""

    exit_code = 2

    def __init__(self, check: str, problem: str, fix: str):
        self.check = check
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.check, self.problem, self.fix))

    def __str__(self) -> str:
        return f"cluster check failed ({self.check}): {self.problem}. Fix: {self.fix}"


class ReleaseMismatch(RenderError):
    """A worker runs another release of handout, or other engines, than the machine that sent the task."""


class Cluster:
    """A connection to a Dask scheduler, checked, then used to build articles as tasks."""

    def __init__(self, client: Any, address: str):
        self.client = client
        self.address = address

    @classmethod
    def connect(cls, address: str, note: Callable[[str], None]) -> Cluster:
        """Connect to the scheduler at ``address``; says where its dashboard is, if it has one."""
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError("dask installed", "the dask distributed package is not installed here",
                               "install it with pip install 'dask[distributed]' (make build does)") from None
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise ClusterError(
                "scheduler answers", f"the scheduler at {address} does not answer ({_reason(error)})",
                "start it on that machine with 'dask scheduler', or check the address, that the "
                "port is open between the machines and that the scheduler is running") from None
        cluster = cls(client, address)
        dashboard = cluster.dashboard()
        note(f"cluster: {address}" + (f"; dashboard: {dashboard}" if dashboard else " (it has no dashboard)"))
        return cluster

    def close(self) -> None:
        self.client.close()

    def dashboard(self) -> str | None:
        """The address of the scheduler's dashboard, or None when it runs without one."""
        # The scheduler's web server runs (for health checks) even without the dashboard.
        if not self.client.run_on_scheduler(_serves_dashboard):
            return None
        return str(self.client.dashboard_link)

    def check(self, settings: Settings, sources: list[Path]) -> None:
        """Raise ClusterError unless every worker can build these articles into ``settings.out_dir``."""
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            raise ClusterError("workers joined", f"no worker has joined the scheduler at {self.address} "
                                                 f"within {WORKERS_TIMEOUT} seconds",
                               f"start workers on the build machines with 'dask worker {self.address} "
                               f"--nthreads 1' (see the README, 'Running on a cluster')") from None
        out_dir = settings.out_dir.resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        here = out_dir / f"{PROBE_PREFIX}{token}"
        here.write_text(token, encoding="utf-8")
        try:
            answers = self.client.run(probe_worker, str(out_dir), token, [str(s.resolve()) for s in sources],
                                      on_error="return")
            self._judge(answers, out_dir)
        finally:
            for probe in out_dir.glob(f"{PROBE_PREFIX}{token}*"):
                probe.unlink(missing_ok=True)

    def _judge(self, answers: dict[str, Any], out_dir: Path) -> None:
        mine = build_identity()
        for address, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                raise ClusterError("workers answer", f"worker {address} could not run the check ({_reason(answer)})",
                                   "install handout on every worker, in the environment 'dask worker' runs in")
            who = _worker_label(answer["name"], address)
            if answer["identity"] != mine:
                raise ClusterError("same release", f"worker {who} runs {_differences(answer['identity'], mine)}",
                                   "install the same release of handout and its engines on every worker and on "
                                   "this machine (for example with the same 'pip install'), then restart the "
                                   "workers")
            if answer["output"] is not None:
                raise ClusterError("output folder shared", f"worker {who} cannot use the output folder {out_dir}: "
                                                           f"{answer['output']}",
                                   "put the output folder on storage every worker mounts at the same path "
                                   "(an NFS or SMB share), or give --out a folder that is shared")
            if not Path(answer["written"]).is_file():
                raise ClusterError("output folder shared", f"a file worker {who} wrote into {out_dir} does not "
                                                           "appear on this machine",
                                   "put the output folder on storage every worker mounts at the same path "
                                   "(an NFS or SMB share), or give --out a folder that is shared")
            if answer["missing"]:
                shown = ", ".join(answer["missing"][:SHOWN])
                raise ClusterError("sources shared", f"worker {who} cannot read {len(answer['missing'])} of the "
                                                     f"articles, such as {shown}",
                                   "keep the articles on storage every worker mounts at the same path, and "
                                   "readable by the user the workers run as")

    def build(self, sources: list[Path], settings: Settings, finished: Callable[[ArticleResult], None],
              progress: dict[Path, Progress] | None = None) -> None:
        """Build each article as one task on the cluster; ``finished`` hears of each as its task ends.

        ``progress`` may give an article a listener that hears of its formats
        as the worker makes them (it runs on the worker, so it must be picklable).
        """
        if not sources:
            return
        from distributed import as_completed

        identity = build_identity()
        shared = replace(settings, out_dir=settings.out_dir.resolve(),
                         template_dir=settings.template_dir.resolve() if settings.template_dir else None,
                         voice=_shared_voice(settings.voice))
        threads = self._threads_per_host()
        futures = {}
        for source in sources:
            path = source.resolve()
            future = self.client.submit(build_on_worker, str(path), shared, identity, threads,
                                        (progress or {}).get(source),
                                        key=f"handout-{path.stem}-{uuid.uuid4().hex[:8]}",
                                        retries=TASK_RETRIES, pure=False)
            futures[future] = source
        for future in as_completed(futures, loop=self.client.loop):
            source = futures[future]
            if future.status == "error":
                finished(_failed_task(source, future.exception()))
            else:
                article = future.result()
                article.source = source
                finished(article)

    def _threads_per_host(self) -> dict[str, int]:
        """Worker threads on each machine: a task's speech engine shares its machine's cores among them."""
        threads: dict[str, int] = {}
        for worker in self.client.scheduler_info(n_workers=-1)["workers"].values():
            threads[worker["host"]] = threads.get(worker["host"], 0) + worker["nthreads"]
        return threads


def _serves_dashboard(dask_scheduler: Any) -> bool:
    """Run on the scheduler: whether its web server serves the Bokeh dashboard."""
    return bool(getattr(dask_scheduler.http_application, "applications", None))


def probe_worker(out_dir: str, token: str, sources: list[str], dask_worker: Any = None) -> dict[str, Any]:
    """Run on every worker by :meth:`Cluster.check`: what it runs, and what it sees of the shared folders."""
    folder = Path(out_dir)
    mark = folder / f"{PROBE_PREFIX}{token}"
    output, written = None, None
    if not folder.is_dir():
        output = "there is no such folder on that worker"
    elif not mark.is_file():
        output = "the folder there is another one (a check file written from this machine is not in it)"
    else:
        written_path = folder / f"{PROBE_PREFIX}{token}-{uuid.uuid4().hex[:8]}"
        try:
            written_path.write_text(token, encoding="utf-8")
            written = str(written_path)
        except OSError as error:
            output = f"the worker may not write there ({error.strerror})"
    name = getattr(dask_worker, "name", None)
    return {"name": str(name) if name is not None else None, "identity": build_identity(),
            "output": output, "written": written,
            "missing": [source for source in sources if not os.access(source, os.R_OK)]}


def build_on_worker(source: str, settings: Settings, identity: dict[str, str],
                    threads_per_host: dict[str, int], progress: Progress | None = None) -> ArticleResult:
    """One article's task: the same :func:`pipeline.build.build_article` as on one machine.

    Refuses to build on a worker whose release or engines differ from those
    of the machine that sent the task (one that joined after the check).
    """
    from distributed import get_worker
    from distributed.comm import get_address_host

    worker = get_worker()
    label = _worker_label(str(worker.name), worker.address)
    mine = build_identity()
    if mine != identity:
        raise ReleaseMismatch(source, f"worker {label} runs {_differences(mine, identity)}",
                              "install the same release of handout and its engines on every worker, then "
                              "restart the workers")
    # The speech engine's threads share the machine's cores among every task running on it.
    jobs = threads_per_host.get(get_address_host(worker.address), worker.state.nthreads)
    article = build_article(Path(source), replace(settings, jobs=max(1, min(64, jobs))), progress)
    article.worker = label
    return article


def _failed_task(source: Path, error: BaseException | None) -> ArticleResult:
    """The result for an article whose task the cluster could not run to the end."""
    if isinstance(error, HandoutError):
        return ArticleResult(source=source, errors=[error])
    from distributed import KilledWorker

    name = type(error).__name__
    if isinstance(error, KilledWorker):
        problem = f"every worker that took it died ({error})"
        fix = f"build it on one machine with 'handout build {source}' to see why (memory, or a crash)"
    else:
        problem = f"its task failed on the cluster ({name}: {error})"
        fix = "see the worker's log; report this with the article attached"
    return ArticleResult(source=source, errors=[RenderError(str(source), problem, fix)])


def _shared_voice(voice: str | None) -> str | None:
    """A voice given as a file path, made absolute so a worker finds the same file."""
    if voice is not None and voice.endswith(".onnx"):
        return str(Path(voice).resolve())
    return voice


def _worker_label(name: str | None, address: str) -> str:
    return address if not name or name == address else f"{name} ({address})"


def _differences(theirs: dict[str, str], mine: dict[str, str]) -> str:
    """Which parts of two build identities differ, in words."""
    parts = [f"{key} {theirs.get(key, 'absent')} where this machine has {mine.get(key, 'absent')}"
             for key in sorted(set(theirs) | set(mine)) if theirs.get(key) != mine.get(key)]
    return "; ".join(parts)


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
