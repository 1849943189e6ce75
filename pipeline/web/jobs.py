"""The staff web app's library: one folder per handout on disk, and the queue that makes them.

Each handout a member of staff asks for is a folder in the library::

    LIBRARY/ID/job.json          what was asked for, and how far it has got
    LIBRARY/ID/source/SLUG.md    the article as received (or SLUG.docx)
    LIBRARY/ID/handouts/SLUG/    the handouts, written by the same build as the command line
    LIBRARY/ID/progress.jsonl    each format's progress, written by the build as it goes
    LIBRARY/ID/pictures/         a small copy of each of the article's pictures, for staff to describe

A folder appears whole (it is made under a temporary name and renamed), and
``job.json`` is replaced atomically, so the library never shows half a
handout. Builds never run in a web request: a few runner threads hand them
to the batch layer's :class:`pipeline.batch.Builder` (warm build processes,
or a Dask cluster), which runs the same :func:`pipeline.build.build_article`
as the command line and recovers from a crashed process the same way. A job the
server accepted survives the server: the next start makes every unfinished
one again.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import abort

from ..batch import Builder
from ..build import clear_abandoned
from ..checking import check_summary
from ..errors import ArticleError, HandoutError
from ..leftovers import DELETED_PREFIX, NEW_PREFIX, PARTIAL_PREFIX, owned_name, sweep
from ..manifest import read_manifest, write_atomically
from ..settings import FORMATS, Settings
from .options import grade_option

log = logging.getLogger(__name__)

JOB_FILE = "job.json"
PROGRESS_FILE = "progress.jsonl"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
# A job's overall state. "checking" is shown to people; the API calls it "making".
STATES = ("queued", "making", "checking", "done", "failed")
# What each format is called where staff meet it.
FORMAT_NAMES = {
    "pdf": "Large-print PDF",
    "html": "Plain-language web page",
    "audio": "Audio edition (MP3 with captions)",
    "epub": "Read-along EPUB",
    "daisy": "DAISY talking book (for DAISY players)",
    "braille": "Braille (BRF, ready to emboss)",
}
# The files of each format, by the API's names for them.
FILE_KINDS = {
    "pdf": ("pdf",),
    "html": ("html",),
    "audio": ("mp3", "vtt"),
    "epub": ("epub",),
    "daisy": ("daisy",),
    "braille": ("brf", "braille_html"),
}
REPORT_FILES = ("report.html", "report.json")
# The folder of a job's pictures' small copies.
PICTURES = "pictures"
# Staff's work on a plain version, kept but not yet saved; earlier saved versions.
PLAIN_WORK = "plain-work.md"
PLAIN_VERSIONS = "plain-versions"
# What staff are told when a handout's build process keeps crashing.
CRASH_FIX = "make it again; if it happens again, report it with the article attached"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def file_kind(name: str, slug: str) -> str | None:
    """The API's name for a handout file (``pdf``, ``braille_html`` …), or None for one it does not offer."""
    suffixes = {".pdf": "pdf", ".html": "html", ".mp3": "mp3", ".vtt": "vtt", ".epub": "epub", ".brf": "brf",
                ".braille.html": "braille_html", ".daisy.zip": "daisy"}
    for suffix, kind in sorted(suffixes.items(), key=lambda item: -len(item[0])):
        if name == f"{slug}{suffix}":
            return kind
    return None


@dataclass
class Job:
    """One handout asked for in the web app: what was asked and how far it has got."""

    id: str
    title: str
    slug: str
    lang: str
    article: str
    received_as: str
    options: dict[str, Any]
    created: str = field(default_factory=now)
    state: str = "queued"
    made_by: str | None = None
    # A sentence of the article, for hearing a voice before choosing it.
    sample: str = ""
    started: str | None = None
    finished: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    check: dict[str, Any] | None = None
    attempts: int = 0
    # Times the server stopped while this job was being made.
    interrupted: int = 0
    # The cluster worker that made it (None when made on the app's own machine).
    built_on: str | None = None
    # When staff last saved its plain-language version (None: the page shows the automatic draft).
    plain_saved: str | None = None
    # The article's pictures: where each stands, its description, its small copy (see pipeline.web.pictures).
    pictures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(name for name in FORMATS if name in self.options.get("formats", FORMATS))

    @property
    def unfinished(self) -> bool:
        return self.state in ("queued", "making", "checking")

    @property
    def api_state(self) -> str:
        return "making" if self.state == "checking" else self.state

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Job:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class FormatStatus:
    name: str
    label: str
    state: str  # queued, making, done, failed
    problem: str = ""
    fix: str = ""


class ProgressLog:
    """Hears a build's progress in the build's own process and appends it to the job's progress file.

    One short line per event, appended with O_APPEND, so lines from the
    audio thread and the layout thread never interleave.
    """

    def __init__(self, path: Path):
        self.path = str(path)

    def __call__(self, name: str, state: str, error: HandoutError | None = None) -> None:
        event: dict[str, str] = {"format": name, "state": "done" if state == "up to date" else state}
        if error is not None:
            event["problem"] = getattr(error, "problem", str(error))
            event["fix"] = getattr(error, "fix", "")
        line = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(handle, line)
            finally:
                os.close(handle)
        except OSError as error:
            # Progress is only shown: a disk too full to note it must not stop the build, which reports its own.
            log.warning("%s: progress not noted (%s)", self.path, error)


class Library:
    """The handouts made in the web app, one folder each under ``root``."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ where things are

    def folder(self, job_id: str) -> Path | None:
        """The job's folder, or None for an id that is malformed or names no job (or leads outside)."""
        if not ID_PATTERN.match(job_id or ""):
            return None
        folder = self.root / job_id
        if folder.is_symlink() or not (folder / JOB_FILE).is_file():
            return None
        return folder

    def source_path(self, job: Job) -> Path:
        return self.root / job.id / "source" / job.article

    def handouts_root(self, job: Job) -> Path:
        return self.root / job.id / "handouts"

    def output_dir(self, job: Job) -> Path:
        return self.handouts_root(job) / job.slug

    def unlinked(self, job: Job, path: Path) -> bool:
        """Whether ``path``, in the job's folder, is reached through no symbolic link (the library follows none)."""
        folder = self.root / job.id
        try:
            parts = path.relative_to(folder).parts
        except ValueError:
            return False
        here = folder
        for part in ("", *parts):
            here = here / part if part else here
            if here.is_symlink():
                return False
        return True

    def picture_copy(self, job: Job, name: str) -> Path | None:
        """The small copy of one of the job's pictures, by the name the job lists it under, if it is there."""
        listed = {entry.get("thumbnail") for entry in job.pictures}
        path = self.root / job.id / PICTURES / name
        return path if name in listed and path.is_file() and self.unlinked(job, path) else None

    # ------------------------------------------------------------ reading and writing jobs

    def new_id(self, slug: str) -> str:
        stem = slug.lower()[:60].strip("-_") or "handout"
        stem = re.sub(r"[^a-z0-9-]+", "-", stem).strip("-") or "handout"
        return f"{stem}-{secrets.token_hex(4)}"

    def create(self, job: Job, article: bytes, extra_files: dict[str, bytes] | None = None,
               pictures: dict[str, bytes] | None = None) -> Job:
        """Store a new job with its article (and the word lists it reads, and its pictures' small copies),
        whole or not at all."""
        staging = self.root / f"{owned_name(NEW_PREFIX)}{secrets.token_hex(8)}"
        try:
            source = staging / "source"
            source.mkdir(parents=True)
            (source / job.article).write_bytes(article)
            for name, data in (extra_files or {}).items():
                (source / name).write_bytes(data)
            if pictures:
                (staging / PICTURES).mkdir()
                for name, data in pictures.items():
                    (staging / PICTURES / name).write_bytes(data)
            (staging / JOB_FILE).write_text(job.to_json(), encoding="utf-8")
            os.rename(staging, self.root / job.id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return job

    def get(self, job_id: str) -> Job | None:
        folder = self.folder(job_id)
        if folder is None:
            return None
        try:
            return Job.from_json((folder / JOB_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            log.warning("%s: the job file cannot be read", folder / JOB_FILE)
            return None

    def save(self, job: Job) -> None:
        with self._lock:
            if (self.root / job.id / JOB_FILE).is_file():
                write_atomically(self.root / job.id / JOB_FILE, job.to_json())

    def update(self, job_id: str, change: Callable[[Job], None]) -> Job | None:
        """Read, change and write a job under the library's lock (request threads and runners share it)."""
        with self._lock:
            folder = self.folder(job_id)
            if folder is None:
                return None
            job = Job.from_json((folder / JOB_FILE).read_text(encoding="utf-8"))
            change(job)
            write_atomically(folder / JOB_FILE, job.to_json())
            return job

    def all(self) -> list[Job]:
        """Every job, newest first."""
        jobs = []
        for folder in self.root.iterdir():
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            job = self.get(folder.name)
            if job is not None:
                jobs.append(job)
        return sorted(jobs, key=lambda job: (job.created, job.id), reverse=True)

    def delete(self, job: Job) -> None:
        """Remove a job's folder: renamed aside first, so it vanishes from the library at once."""
        with self._lock:
            gone = self.root / f"{owned_name(DELETED_PREFIX)}{job.id}-{secrets.token_hex(4)}"
            os.rename(self.root / job.id, gone)
        shutil.rmtree(gone, ignore_errors=True)

    def sweep(self) -> list[Path]:
        """Remove what a server or build that is no longer running left half-done; return it.

        Jobs being stored or deleted when the server was killed, partial job
        files, and the staging folders of builds killed after their handouts
        were published. What a running server or build still works on is left.
        """
        removed = sweep(self.root, (NEW_PREFIX, DELETED_PREFIX))
        for folder in self.root.iterdir():
            if folder.name.startswith(".") or folder.is_symlink() or not (folder / JOB_FILE).is_file():
                continue
            removed += sweep(folder, (PARTIAL_PREFIX,))
            removed += sweep(folder / "source", (PARTIAL_PREFIX,))
            handouts = folder / "handouts"
            if handouts.is_dir() and not handouts.is_symlink():
                for out_dir in handouts.iterdir():
                    if out_dir.is_dir() and not out_dir.is_symlink():
                        removed += clear_abandoned(out_dir)
        return removed

    def clear_progress(self, job: Job) -> None:
        (self.root / job.id / PROGRESS_FILE).unlink(missing_ok=True)

    def progress_log(self, job: Job) -> ProgressLog:
        return ProgressLog(self.root / job.id / PROGRESS_FILE)

    # ------------------------------------------------------------ what staff see of a job

    def manifest(self, job: Job) -> dict[str, Any]:
        """What the build vouches for in this job's output folder (read once per request by the views)."""
        return read_manifest(self.output_dir(job))

    def format_states(self, job: Job, manifest: dict[str, Any] | None = None) -> list[FormatStatus]:
        """How each format asked for is getting on, from the build's own progress reports."""
        manifest = self.manifest(job) if manifest is None else manifest
        events: dict[str, dict[str, str]] = {}
        try:
            lines = (self.root / job.id / PROGRESS_FILE).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue  # a line still being written
            if isinstance(event, dict) and event.get("format") in FORMATS:
                events[event["format"]] = event
        job_error = job.errors[0] if job.errors else {}
        states = []
        for name in job.formats:
            event = events.get(name)
            if event is not None:
                state = event.get("state", "making")
                problem, fix = event.get("problem", ""), event.get("fix", "")
            elif job.state == "failed":
                state = "failed"
                problem = job_error.get("problem", "it was not made")
                fix = job_error.get("fix", "make it again")
            elif job.state in ("done", "checking"):
                state, problem, fix = "failed", "it was not made", "make it again"
            else:
                state, problem, fix = "queued", "", ""
            if state == "done" and not self.files_of(job, name, manifest):
                state, problem, fix = "failed", "its files are missing", "make it again"
            states.append(FormatStatus(name, FORMAT_NAMES[name], state, problem, fix))
        return states

    def files_of(self, job: Job, name: str, manifest: dict[str, Any] | None = None) -> dict[str, Path]:
        """The finished files of one format, by the API's names, as the manifest vouches for them."""
        folder = self.output_dir(job)
        if not self.unlinked(job, folder):
            return {}
        entry = (self.manifest(job) if manifest is None else manifest).get(name) or {}
        found = {}
        for file_name in entry.get("files", {}):
            kind = file_kind(file_name, job.slug)
            path = folder / file_name
            if kind is not None and path.is_file() and not path.is_symlink():
                found[kind] = path
        return found

    def files(self, job: Job, manifest: dict[str, Any] | None = None) -> dict[str, Path]:
        """Every finished file of the job, by the API's names."""
        manifest = self.manifest(job) if manifest is None else manifest
        found: dict[str, Path] = {}
        for name in job.formats:
            found.update(self.files_of(job, name, manifest))
        return found

    def servable(self, job: Job, file_name: str, manifest: dict[str, Any] | None = None) -> Path | None:
        """The file ``file_name`` of this job if it may be served: a finished handout or the check report."""
        folder = self.output_dir(job)
        if not self.unlinked(job, folder):
            return None
        candidates = {path.name: path for path in self.files(job, manifest).values()}
        if file_name in REPORT_FILES and (folder / file_name).is_file():
            candidates[file_name] = folder / file_name
        path = candidates.get(file_name)
        if path is None or path.is_symlink():
            return None
        resolved = path.resolve()
        if resolved.parent != folder.resolve() or not resolved.is_file():
            return None
        return resolved


    # ------------------------------------------------------------ what staff change

    def plain_work_path(self, job: Job) -> Path:
        """Staff's work on a plain version, kept but not yet saved."""
        return self.root / job.id / PLAIN_WORK

    def save_plain(self, job: Job, slug: str, text: str) -> None:
        """Write the plain edition beside the article, keeping the one it replaces; forget the kept work."""
        from ..readers.markdown import plain_edition_path

        target = plain_edition_path(self.source_path(job), slug)
        if target.is_file():
            versions = self.root / job.id / PLAIN_VERSIONS
            versions.mkdir(exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            os.replace(target, versions / f"{stamp}-{secrets.token_hex(2)}.plain.md")
        write_atomically(target, text)
        self.plain_work_path(job).unlink(missing_ok=True)

    def zip_contents(self, job: Job, manifest: dict[str, Any] | None = None) -> dict[str, Path]:
        """What the handouts' zip holds: every finished file, and the check report when there is one."""
        manifest = self.manifest(job) if manifest is None else manifest
        files = {path.name: path for path in self.files(job, manifest).values()}
        for name in REPORT_FILES:
            path = self.servable(job, name, manifest)
            if path is not None:
                files[name] = path
        return files


class Maker:
    """Makes the library's handouts, a few at a time, off the web requests.

    ``workers`` jobs run at once, each in a build process of its own pool
    (fresh interpreters, as ``handout build --jobs`` uses); with
    ``settings.scheduler`` the builds go to that Dask cluster instead.
    """

    def __init__(self, library: Library, settings: Settings, workers: int = 1, queue_limit: int | None = None,
                 read: Callable[[Path], Any] | None = None):
        self.library = library
        self.settings = settings
        # Handouts that may wait at once (None: no limit), and how an article is read before it is built.
        self.queue_limit = queue_limit
        self.read = read
        self.workers = max(1, workers)
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.builder = Builder(settings, self.workers, crash_fix=CRASH_FIX)
        self.queued: set[str] = set()
        self.running: set[str] = set()
        self._state_lock = threading.Lock()

    def start(self) -> None:
        """Clear what a killed server left, start the runners and make again every job left unfinished."""
        self.library.sweep()
        self.builder.start(self.library.root)
        for number in range(self.workers):
            thread = threading.Thread(target=self._run, name=f"handout-maker-{number}", daemon=True)
            thread.start()
            self.threads.append(thread)
        for job in sorted(self.library.all(), key=lambda job: job.created):
            if job.unfinished:
                def interrupted(job: Job) -> None:
                    if job.state != "queued":
                        job.interrupted += 1
                self.queue_again(job, interrupted)

    def stop(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join(timeout=5)
        self.builder.close()

    def queue_again(self, job: Job, change: Callable[[Job], None] | None = None) -> None:
        """Make a job's handouts again: ``change`` it (new options, a plain version), clear its progress, queue it."""
        def queued(job: Job) -> None:
            if change is not None:
                change(job)
            job.state, job.check = "queued", None
        self.library.update(job.id, queued)
        self.library.clear_progress(job)
        self.submit(job.id)

    def check_room(self) -> None:
        """Refuse (503) a new handout while ``queue_limit`` are waiting to be made."""
        if self.queue_limit is not None and len(self.queued) >= self.queue_limit:
            abort(503, f"{len(self.queued)} handouts are waiting to be made, as many as the app takes at once. "
                       "Send this one again in a few minutes.")

    def submit(self, job_id: str) -> None:
        with self._state_lock:
            if job_id in self.queued:
                return
            self.queued.add(job_id)
        self.queue.put(job_id)

    def position(self, job_id: str) -> int | None:
        """How many jobs are ahead of this one in the queue (None when it is not waiting)."""
        with self._state_lock:
            if job_id not in self.queued:
                return None
        waiting = list(self.queue.queue)
        return waiting.index(job_id) if job_id in waiting else 0

    def is_running(self, job_id: str) -> bool:
        with self._state_lock:
            return job_id in self.running

    def _run(self) -> None:
        while True:
            job_id = self.queue.get()
            if job_id is None:
                return
            with self._state_lock:
                self.queued.discard(job_id)
                self.running.add(job_id)
            try:
                self.make(job_id)
            except Exception:  # noqa: BLE001 - a runner must outlive any one job
                log.exception("%s: making the handouts failed unexpectedly", job_id)
                try:
                    self.library.update(job_id, lambda job: _fail(job, "making the handouts failed unexpectedly",
                                                                  "make it again; if it fails again, report it"))
                except OSError as error:  # a full disk takes no record either; the runner goes on
                    log.error("%s: the failure could not be recorded (%s)", job_id, error)
            finally:
                with self._state_lock:
                    self.running.discard(job_id)

    def settings_for(self, job: Job) -> Settings:
        """The build settings of one job: the server's, with the options chosen for this handout."""
        options = job.options
        return replace(self.settings, out_dir=self.library.handouts_root(job), formats=job.formats,
                       paper=options.get("paper", self.settings.paper),
                       print_size=int(options.get("print_size", self.settings.print_size)),
                       voice=options.get("voice") or self.settings.voice,
                       braille_grade=grade_option(options.get("braille_grade", self.settings.braille_grade)),
                       jobs=self.workers, force=False)

    def make(self, job_id: str) -> None:
        """Build one job's handouts and, if asked, check them."""
        job = self.library.get(job_id)
        if job is None:
            return  # deleted while it waited
        self.library.clear_progress(job)

        def starting(job: Job) -> None:
            job.state, job.started, job.finished = "making", now(), None
            job.errors, job.check = [], None
            job.attempts += 1
        job = self.library.update(job_id, starting) or job
        settings = self.settings_for(job)
        source = self.library.source_path(job)
        if not (self.library.unlinked(job, source) and self.library.unlinked(job, self.library.output_dir(job))):
            self.library.update(job_id, lambda job: _fail(job, "its folder in the library is a link to elsewhere",
                                                          "delete it and send the article again"))
            return
        if self.read is not None:
            # Read first where memory and time are capped: an article that runs away fails here, alone.
            try:
                self.read(source)
            except ArticleError as error:
                failure = _error_dict(error)

                def refused(job: Job) -> None:
                    job.state, job.finished, job.errors = "failed", now(), [failure]
                self.library.update(job_id, refused)
                return
        started = time.monotonic()
        article = self.builder.build(source, settings, self.library.progress_log(job))
        errors = [_error_dict(error) for error in article.errors]
        log.info("%s: built in %.1f s", job_id, time.monotonic() - started)
        built_any = any(state.state == "done" for state in self.library.format_states(
            replace(job, state="checking")))
        check_it = bool(job.options.get("check")) and built_any

        def built(job: Job) -> None:
            job.errors = errors
            job.built_on = article.worker
            job.state = "checking" if check_it else ("failed" if errors else "done")
            job.check = {"state": "queued"} if check_it else None
            if not check_it:
                job.finished = now()
        self.library.update(job_id, built)
        if not check_it:
            return
        self.library.update(job_id, lambda job: job.check.update(state="making") if job.check else None)
        try:
            summary = self.builder.run(check_summary, str(source), settings)
        except BrokenProcessPool:
            summary = {"state": "failed", "problem": "the check stopped abruptly"}

        def checked(job: Job) -> None:
            job.check = summary
            job.state = "failed" if job.errors else "done"
            job.finished = now()
        self.library.update(job_id, checked)


def _fail(job: Job, problem: str, fix: str) -> None:
    job.state, job.finished = "failed", now()
    job.errors = [{"problem": problem, "fix": fix, "where": ""}]


def _error_dict(error: HandoutError) -> dict[str, str]:
    where = ""
    if isinstance(error, ArticleError):
        where = f"line {error.line}" if error.line else ""
    return {"problem": getattr(error, "problem", str(error)), "fix": getattr(error, "fix", ""), "where": where}
