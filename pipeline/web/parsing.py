"""Reading staff's articles and analysing their plain versions in worker processes with a memory cap and a time limit.

Whatever staff send is read before it is accepted, and the workbench
analyses each plain version as it is typed. Both run here, never in the
server's own process: each worker is a fresh interpreter whose address space
is capped (``resource.setrlimit``), and each call has a time limit past which
the worker is killed and replaced. A runaway article fails its own request
with a message that says so; the server's memory and its other requests are
untouched.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import resource
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import ArticleError

log = logging.getLogger(__name__)


def _serve(connection: Connection, memory_mb: int) -> None:
    """A worker's life: cap its memory, then run each call sent to it until told to stop."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            call = connection.recv()
        except EOFError:
            return
        if call is None:
            return
        function, args = call
        try:
            answer: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            answer = ("memory", None)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the caller
            answer = ("error", error)
        try:
            connection.send(answer)
        except Exception as error:  # noqa: BLE001 - an answer that cannot be pickled
            connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        if answer[0] == "memory":
            return  # a worker that ran out of memory may be left in any state: start a fresh one


class _Worker:
    def __init__(self, memory_mb: int):
        context = multiprocessing.get_context("spawn")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, memory_mb), daemon=True,
                                       name="handout-reader")
        self.process.start()
        theirs.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class ReadingWorkers:
    """A few worker processes that read and analyse articles, each capped at ``memory_mb`` and ``seconds``."""

    def __init__(self, workers: int, memory_mb: int, seconds: float):
        self.memory_mb, self.seconds = memory_mb, seconds
        self.idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(max(1, workers)):
            self.idle.put(None)  # started on first use
        self.lock = threading.Lock()
        self.workers: set[_Worker] = set()

    def run(self, path: Path, function: Callable[..., Any], *args: Any, patient: bool = False) -> Any:
        """``function(*args)`` in a worker; ``path`` names the article in the error raised past a limit.

        Without a worker free within the time limit the call is refused, unless it is ``patient``.
        """
        try:
            worker = self.idle.get(timeout=None if patient else self.seconds)
        except queue.Empty:
            raise ArticleError(path, "the app is busy reading other articles",
                               "send it again in a minute") from None
        try:
            if worker is None or not worker.process.is_alive():
                worker = self._start()
            worker.connection.send((function, args))
            if not worker.connection.poll(self.seconds):
                log.warning("%s: reading it took over %g s; its worker was stopped", path.name, self.seconds)
                self._retire(worker)
                worker = None
                raise ArticleError(path, f"the article took longer than {self.seconds:g} seconds to read",
                                   "check that it is the right file; split it into shorter articles")
            try:
                kind, value = worker.connection.recv()
            except (EOFError, OSError):
                kind, value = "memory", None
            if kind == "memory":
                log.warning("%s: reading it needed over %d MB; its worker was stopped", path.name, self.memory_mb)
                self._retire(worker)
                worker = None
                raise ArticleError(path, f"the article needs more than the {self.memory_mb} MB of memory the app "
                                   "allows for reading one", "check that it is the right file; split it into "
                                   "shorter articles")
            if kind == "error":
                raise value
            return value
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        with self.lock:
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.stop()

    def _start(self) -> _Worker:
        worker = _Worker(self.memory_mb)
        with self.lock:
            self.workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.stop()


def read_article(path: Path) -> Any:
    """The article at ``path`` as the build reads it (run in a worker)."""
    from ..readers import read_article as read

    return read(path)
