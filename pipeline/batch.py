"""Runs many builds: a pool of build processes that outlives a crash, a Dask cluster, and progress.

:mod:`pipeline.build` builds one article. This module decides which articles
of a library are out of date and hands each to ``build_article``, in this
process, in a pool of fresh build processes (``--jobs``), or as tasks on a
Dask cluster (``--scheduler``). The command line runs a whole batch and
waits (:func:`build`); the staff web app keeps a :class:`Builder` for as long
as it serves and hands it one article at a time. Both meet the same
recovery: a build process that dies is replaced, its article is tried once
more, and an article that takes its process down again is reported as
failed while the others go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .build import ArticleResult, Progress, build_article, plan_article
from .cluster import Cluster
from .errors import RenderError
from .plan import Plan
from .readers import find_articles
from .settings import Settings

log = logging.getLogger(__name__)

# Crashed build processes an article may be caught in before it is reported as failed (see build_here).
CRASHES_ALLOWED = 1


@dataclass
class BuildResult:
    articles: list[ArticleResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        codes = [e.exit_code for a in self.articles for e in a.errors]
        return max(codes, default=0)

    @property
    def failed(self) -> list[ArticleResult]:
        return [a for a in self.articles if not a.ok]


class Feedback:
    """What a build tells the person running it; the command line shows it, a library caller may not."""

    def planned(self, total: int, to_build: int, failed: int = 0) -> None:
        """``total`` articles were found; ``to_build`` of them are out of date and will be built, and ``failed``
        could not be read (the rest are up to date)."""

    def note(self, text: str) -> None:
        """Something worth a line of its own, such as the cluster's dashboard address."""

    def done(self, article: ArticleResult) -> None:
        """One article is finished: built, failed or found up to date."""


def build(paths: Iterable[Path], settings: Settings, feedback: Feedback | None = None) -> BuildResult:
    """Build every article found under ``paths`` into ``settings.out_dir``.

    One pass first finds the articles whose handouts are all up to date; only
    the others are built, on this machine or, with ``settings.scheduler``, as
    tasks on a Dask cluster. One article's bad input or failed format does not
    stop the others; the result lists what was written, skipped and what went
    wrong, in the order the articles were found.
    """
    sources = find_articles(paths)
    feedback = feedback or Feedback()
    results: dict[Path, ArticleResult] = {}

    def finished(article: ArticleResult) -> None:
        results[article.source] = article
        feedback.done(article)

    cluster = None
    if settings.scheduler and sources:
        # Checked before anything is decided or sent: a cluster that cannot
        # build stops the run with the reason, whatever is out of date.
        cluster = Cluster.connect(settings.scheduler, feedback.note)
    try:
        if cluster is not None:
            cluster.check(settings, sources)
        to_build = []
        plans: dict[Path, Plan] = {}
        for source in sources:
            current, plan = plan_article(source, settings)
            if current is None:
                to_build.append(source)
                if plan is not None:
                    plans[source] = plan
            else:
                results[source] = current
        feedback.planned(len(sources), len(to_build), sum(1 for result in results.values() if not result.ok))
        for source in sources:
            if source in results:
                feedback.done(results[source])
        if cluster is not None:
            cluster.build(to_build, settings, finished)
        else:
            build_here(to_build, settings, finished, plans)
    finally:
        if cluster is not None:
            cluster.close()
    return BuildResult(articles=[results[source] for source in sources])


def build_here(sources: list[Path], settings: Settings, finished: Callable[[ArticleResult], None],
               plans: dict[Path, Plan] | None = None) -> None:
    """Build ``sources`` on this machine, ``settings.jobs`` at a time, each from its plan if it has one."""
    plans = plans or {}
    # The jobs actually run at once share out the cores (see speech_threads).
    settings = replace(settings, jobs=max(1, min(settings.jobs, len(sources))))
    if settings.jobs == 1:
        for source in sources:
            finished(build_article(source, settings, plan=plans.get(source)))
        return
    crashes: Counter[Path] = Counter()
    pending = list(sources)
    while pending:
        pending = _build_in_pool(pending, settings, finished, crashes, plans)


def _build_in_pool(sources: list[Path], settings: Settings, finished: Callable[[ArticleResult], None],
                   crashes: Counter[Path], plans: dict[Path, Plan]) -> list[Path]:
    """Build ``sources`` in a pool of ``settings.jobs`` processes; return those to try again after a crash.

    A build process that dies (a fault inside a native engine) takes the
    articles it was building with it; the pool then cannot go on. Those
    articles are tried again in a fresh pool, and one that was being built
    when processes died ``CRASHES_ALLOWED + 1`` times is reported as failed.
    Only ``jobs`` articles are handed out at a time, so the ones lost in a
    crash are known.
    """
    # Fresh interpreters, not forks: the speech engine and the layout
    # engine keep native state that must not be shared across a fork.
    context = multiprocessing.get_context("spawn")
    waiting = list(sources)
    running: dict[Future, Path] = {}
    with ProcessPoolExecutor(max_workers=settings.jobs, mp_context=context) as pool:
        while waiting or running:
            while waiting and len(running) < settings.jobs:
                source = waiting.pop(0)
                running[pool.submit(build_article, source, settings, None, plans.get(source))] = source
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            if any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                break
            for future in done:
                running.pop(future)
                finished(future.result())
        else:
            return []
    # A process died: what finished before it is kept, the rest is lost with the pool.
    lost = []
    for future, source in running.items():
        if future.done() and future.exception() is None:
            finished(future.result())
        else:
            lost.append(source)
    log.warning("a build process stopped abruptly; building again: %s", ", ".join(path.name for path in lost))
    crashes.update(lost)
    for source in lost:
        if crashes[source] > CRASHES_ALLOWED:
            finished(_crashed(source, crashes[source]))
    return [source for source in lost if crashes[source] <= CRASHES_ALLOWED] + waiting


def _crashed(source: Path, times: int, fix: str | None = None) -> ArticleResult:
    return ArticleResult(source=source, errors=[RenderError(
        str(source), f"the build process stopped abruptly while building it, {times} times (a crash inside the "
                     "layout or speech engine)",
        fix or f"build it alone with 'handout build {source} -v' to see which format, and report it with the "
               "article attached")])


def _warm_up() -> None:
    """Load the layout engine and the build in a fresh build process before the first article arrives."""
    import pipeline.renderers.html  # noqa: F401
    import pipeline.renderers.pdf  # noqa: F401


class Builder:
    """Builds articles one at a time for a front end that stays up (the staff web app).

    ``workers`` build processes are started at once and kept warm, so the
    first handout does not wait for the layout engine to load; with
    ``settings.scheduler`` the articles go to that Dask cluster instead. A
    build process that dies is replaced and its article tried again, as in a
    batch, up to ``CRASHES_ALLOWED`` times; ``crash_fix`` is what the person
    who asked is told to do when it dies again.
    """

    def __init__(self, settings: Settings, workers: int = 1, crash_fix: str | None = None):
        self.settings = settings
        self.workers = max(1, workers)
        self.crash_fix = crash_fix
        self.pool: ProcessPoolExecutor | None = None
        self.pool_lock = threading.Lock()
        self.cluster: Cluster | None = None

    def start(self, out_dir: Path) -> None:
        """Connect to the cluster (checked against ``out_dir``), or start the warm build processes."""
        if self.settings.scheduler:
            self.cluster = Cluster.connect(self.settings.scheduler, log.warning)
            self.cluster.check(replace(self.settings, out_dir=out_dir), [])
        else:
            self._new_pool()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        if self.cluster is not None:
            self.cluster.close()

    def build(self, source: Path, settings: Settings, progress: Progress | None = None) -> ArticleResult:
        """Build one article; a crash is retried in a fresh process, then reported in the result."""
        if self.cluster is not None:
            results: list[ArticleResult] = []
            self.cluster.build([source], settings, results.append,
                               progress={source: progress} if progress is not None else None)
            return results[0]
        crashes = 0
        while True:
            try:
                return self.run(build_article, source, settings, progress)
            except BrokenProcessPool:
                crashes += 1
                if crashes > CRASHES_ALLOWED:
                    return _crashed(source, crashes, self.crash_fix)
                log.warning("a build process stopped abruptly; building again: %s", source.name)

    def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run ``function`` in a build process; a pool broken by a crashed process is replaced, and the
        crash raised as BrokenProcessPool."""
        if self.pool is None:
            self._new_pool()
        with self.pool_lock:
            pool = self.pool
        assert pool is not None
        future: Future = pool.submit(function, *args)
        try:
            return future.result()
        except BrokenProcessPool:
            with self.pool_lock:
                broken = self.pool is pool
            if broken:
                self._new_pool()
            raise

    def _new_pool(self) -> None:
        with self.pool_lock:
            if self.pool is not None:
                self.pool.shutdown(wait=False, cancel_futures=True)
            # Fresh interpreters, not forks, as in a batch (see _build_in_pool).
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
            for _ in range(self.workers):
                self.pool.submit(_warm_up)
