"""Builds handouts: read each article once, render each format, publish atomically.

Every format is rendered into a private staging folder inside the article's
output folder and only then moved into place with ``os.replace``, so a failed
or interrupted build leaves the previous good files, never a half-written one.

What each format was built from is kept in a manifest (see :mod:`pipeline.manifest`):
a rebuild skips a format whose inputs are unchanged and whose files are intact,
so editing one article, or only its plain-language edition, re-renders only
what depends on the change.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import liblouis
from .errors import ArticleError, HandoutError, RenderError, is_write_fault, write_failure
from .leftovers import PARTIAL_PREFIX
from .manifest import MANIFEST, write_manifest
from .model import Document
from .plan import Plan, manifest_state
from .readers import read_article
from .renderers import MADE_FROM, build_order, format_label, get_renderer
from .settings import FORMATS, Settings

log = logging.getLogger(__name__)

# Formats rendered in a thread of their own while the others are laid out.
RENDERED_ALONGSIDE = {"audio"}


@dataclass
class ArticleResult:
    source: Path
    slug: str | None = None
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[HandoutError] = field(default_factory=list)
    # The cluster worker that built it (None on this machine).
    worker: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class Progress(Protocol):
    """Hears how each format of one article is getting on, as it happens.

    ``state`` is "making", "done", "up to date" or "failed" (with the error).
    The staff web app shows it while the voice is still speaking; it is
    called from the build's own process and threads, so it must be picklable
    for a process pool or a cluster, and safe to call from two threads.
    """

    def __call__(self, name: str, state: str, error: HandoutError | None = None) -> None: ...


def plan_article(source: Path, settings: Settings) -> tuple[ArticleResult | None, Plan | None]:
    """Decide whether an article needs building: its result when every handout is up to date (or it cannot
    be read), else None, with the plan its build starts from.

    This is the pass that decides what a batch sends out: it reads the
    article and the manifest and digests the files, but renders nothing; the
    build then works from the same plan, so nothing is read or hashed twice.
    """
    article = ArticleResult(source=source)
    document = _read(source, article)
    if document is None:
        return article, None  # reported now, never sent to be built
    article.slug = document.slug
    # Every article passes here once per build, on this machine: the place to
    # tell the person building what its reader changed or left out.
    for warning in document.warnings:
        log.warning("%s: %s", source, warning)
    plan = Plan.read(document, settings.out_dir.resolve() / document.slug)
    if settings.force or not plan.manifest:
        return None, plan
    for name in formats_for(document, settings):
        made_from = None
        if name in MADE_FROM:
            entry = plan.manifest.get(MADE_FROM[name]) or {}
            if not entry.get("files"):
                return None, plan
            made_from = dict(entry["files"])
        if not plan.up_to_date(name, plan.fingerprint(name, settings, made_from=made_from)):
            return None, plan
        article.skipped.append(name)
    log.info("%s: every handout is up to date", document.slug)
    clear_abandoned(plan.out_dir)
    return article, None


def build_article(source: Path, settings: Settings, progress: Progress | None = None,
                  plan: Plan | None = None) -> ArticleResult:
    """Read and render one article; never raises, so a batch can go on.

    ``progress``, if given, hears of each format as it starts and ends;
    ``plan``, if given, is what deciding to build it already read.
    """
    article = ArticleResult(source=source)
    document = plan.document if plan is not None else _read(source, article)
    if document is None:
        return article
    article.slug = document.slug
    try:
        build_document(document, settings, article, progress, plan)
    except HandoutError as error:
        article.errors.append(error)
    except OSError as error:
        if not is_write_fault(error):
            article.errors.append(_unexpected(source, error))
        else:
            # The output folder itself (or its lock, or its staging folder) could not be made.
            where = error.filename if isinstance(error.filename, str) else settings.out_dir / document.slug
            article.errors.append(write_failure("the handouts", where, error))
    except Exception as error:  # noqa: BLE001 - one article's crash must not end a batch
        article.errors.append(_unexpected(source, error))
    return article


def _read(source: Path, article: ArticleResult) -> Document | None:
    """The article's document, or None with the reason added to ``article``'s errors."""
    try:
        return read_article(source)
    except HandoutError as error:
        article.errors.append(error)
    except Exception as error:  # noqa: BLE001 - one article's crash must not end a batch
        article.errors.append(_unexpected(source, error))
    return None


def _unexpected(source: Path, error: Exception) -> RenderError:
    log.error("%s: unexpected failure\n%s", source, traceback.format_exc())
    return RenderError(str(source), f"unexpected failure ({type(error).__name__}: {error})",
                       "report this with the article attached")


def formats_for(document: Document, settings: Settings) -> list[str]:
    """The formats to make of ``document``, in build order.

    Braille is left out of the default set for a language with no braille
    table (its one warning says so); asked for by name, it is an error.
    """
    names = build_order(settings.formats)
    if settings.formats == FORMATS and liblouis.table_for(document.lang, settings.braille_grade) is None:
        names = [name for name in names if name != "braille"]
    return names


def build_document(document: Document, settings: Settings, article: ArticleResult,
                   progress: Progress | None = None, plan: Plan | None = None) -> None:
    """Render one document in every requested format and publish the files."""
    out_dir = output_folder(settings.out_dir, document.slug)
    with _article_lock(out_dir):
        # Another build of the same article may have written the manifest since the plan read it.
        if plan is None or plan.out_dir != out_dir or not plan.is_current():
            plan = Plan.read(document, out_dir)
        _build_locked(plan, settings, article, progress or _no_progress)


def _no_progress(name: str, state: str, error: HandoutError | None = None) -> None:
    """Progress nobody is listening to."""


class _article_lock:
    """One build at a time per article folder, across processes.

    Two builds of the same article (two staff members, or a batch and a
    single rebuild) queue here rather than interleave their files. The lock
    dies with its process, so the staging folders of a killed build are known
    to be abandoned and are cleared by the next build.
    """

    def __init__(self, out_dir: Path):
        self.path = out_dir / ".lock"

    def __enter__(self) -> None:
        self.handle = self.path.open("a")
        fcntl.flock(self.handle, fcntl.LOCK_EX)
        _clear_staging(self.path.parent)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


STAGING_PREFIX = ".staging-"


def _clear_staging(out_dir: Path) -> list[Path]:
    """Remove every staging folder and partial file in ``out_dir``; the caller holds its lock."""
    removed = []
    for stale in out_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale)
    for stale in out_dir.glob(f"{PARTIAL_PREFIX}*"):
        stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


def clear_abandoned(out_dir: Path) -> list[Path]:
    """Remove what killed builds left in one article's output folder; return it.

    A build that is killed after publishing its files but before removing its
    staging folder leaves the article up to date, so no later build takes the
    lock that clears it: this is done for such articles. What a build that is
    still running holds (it holds the lock) is left alone.
    """
    try:
        if not any(path.name.startswith((STAGING_PREFIX, PARTIAL_PREFIX)) for path in out_dir.iterdir()):
            return []
        handle = (out_dir / ".lock").open("a")
    except OSError:
        return []
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []  # a build of it is running: its staging is its own, and it clears any other
        try:
            removed = _clear_staging(out_dir)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    for path in removed:
        log.info("%s: removed, left by a build that is no longer running", path)
    return removed


def _build_locked(plan: Plan, settings: Settings, article: ArticleResult, progress: Progress) -> None:
    document, out_dir = plan.document, plan.out_dir
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        todo: list[tuple[str, str]] = []
        waiting = [name for name in formats_for(document, settings) if name in MADE_FROM]
        for name in formats_for(document, settings):
            if name in MADE_FROM:
                continue  # decided once what it is made from is known
            stamp = plan.fingerprint(name, settings)
            if not settings.force and plan.up_to_date(name, stamp):
                article.skipped.append(name)
                progress(name, "up to date")
                log.info("%s: %s is up to date", document.slug, name)
                continue
            todo.append((name, stamp))
        # The audio edition spends its time inside the speech engine, which
        # leaves Python free: the PDF and the page are laid out meanwhile.
        alongside = {name for name, _ in todo if name in RENDERED_ALONGSIDE} if len(todo) > 1 else set()

        def finish(name: str, stamp: str, outcome: list[Path] | HandoutError) -> None:
            # What is made from this format reads its files from staging, before they move.
            made = {later: _render_made_from(later, outcome, plan, settings, article, staging, progress)
                    for later in waiting if MADE_FROM[later] == name}
            waiting[:] = [later for later in waiting if later not in made]
            _publish(name, stamp, outcome, article, plan, progress)
            for later, result in made.items():
                if result is not None:
                    _publish(later, *result, article, plan, progress)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audio") as pool:
            pending = {name: pool.submit(_render, name, document, settings, staging, progress=progress)
                       for name in alongside}
            for name, stamp in todo:
                if name not in alongside:
                    finish(name, stamp, _render(name, document, settings, staging, progress=progress))
            for name, stamp in todo:
                if name in alongside:
                    finish(name, stamp, pending[name].result())
        # Made from files that were up to date (or not asked for): those in the output folder.
        for later in waiting:
            result = _render_made_from(later, None, plan, settings, article, staging, progress)
            if result is not None:
                _publish(later, *result, article, plan, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _render_made_from(name: str, source: list[Path] | HandoutError | None, plan: Plan, settings: Settings,
                      article: ArticleResult, staging: Path,
                      progress: Progress) -> tuple[str, list[Path] | HandoutError] | None:
    """(fingerprint, outcome) of a format made from format ``MADE_FROM[name]``, or None when up to date.

    ``source`` is that format's outcome in this build (files in staging, or its
    error), or None when it was not rebuilt: then its files in the output
    folder are used, if the manifest vouches for them.
    """
    document, out_dir = plan.document, plan.out_dir
    needed = MADE_FROM[name]
    fix = f"build the {needed} edition too (--format {needed}), and fix any error it reports"
    if isinstance(source, HandoutError):
        return "", RenderError(str(document.source), f"the {name.upper()} needs the {needed} edition, which failed",
                               fix)
    if source is not None:
        folder, digests = staging, {file.name: plan.digests.digest(file) for file in source}
    else:
        entry = plan.manifest.get(needed) or {}
        if not plan.files_intact(entry):
            return "", RenderError(str(document.source),
                                   f"the {name.upper()} needs the {needed} edition, which is not available", fix)
        folder, digests = out_dir, dict(entry["files"])
    stamp = plan.fingerprint(name, settings, made_from=digests)
    if not settings.force and plan.up_to_date(name, stamp):
        article.skipped.append(name)
        progress(name, "up to date")
        log.info("%s: %s is up to date", document.slug, name)
        return None
    return stamp, _render(name, document, settings, staging, inputs=folder, progress=progress)


def _render(name: str, document: Document, settings: Settings, staging: Path,
            inputs: Path | None = None, progress: Progress = _no_progress) -> list[Path] | HandoutError:
    """One format's files in the staging folder, or the error that stopped it.

    ``inputs`` is the folder of the files a format made from another reads.
    """
    progress(name, "making")
    renderer = None
    try:
        renderer = get_renderer(name, inputs)
        return renderer.render(document, settings, staging)
    except HandoutError as error:
        log.info("%s: %s", document.source, error)  # the summary prints it
        return error
    except OSError as error:
        if not is_write_fault(error):
            raise
        # A full disk or a folder it may not write: this format fails, the others are still tried.
        failure = write_failure(getattr(renderer, "label", f"the {name} edition"),
                                _published_path(error, staging), error)
        log.info("%s: %s", document.source, failure)
        return failure


def _published_path(error: OSError, staging: Path) -> Path:
    """Where the file a failed write was making would have been published (the output folder when the error
    names no file); a file outside staging is named as it is."""
    out_dir = staging.parent
    if not isinstance(error.filename, str | bytes | os.PathLike):
        return out_dir
    path = Path(os.fsdecode(error.filename))
    return out_dir / path.name if path.parent == staging else path


def _publish(name: str, stamp: str, outcome: list[Path] | HandoutError, article: ArticleResult,
             plan: Plan, progress: Progress = _no_progress) -> None:
    """Move one format's finished files into place and record what they were built from."""
    out_dir, manifest = plan.out_dir, plan.manifest
    if isinstance(outcome, HandoutError):
        article.errors.append(outcome)
        progress(name, "failed", outcome)
        return
    entry: dict = {"fingerprint": stamp, "files": {}}
    for file in outcome:
        entry["files"][file.name] = plan.digests.digest(file)
        final = out_dir / file.name
        os.replace(file, final)
        plan.digests.moved(file, final)
        article.written.append(final)
    manifest[name] = entry
    try:
        write_manifest(out_dir, manifest)
    except OSError as error:
        if not is_write_fault(error):
            raise
        # The files are in place, but not vouched for: the next build makes them again.
        del manifest[name]
        failure = write_failure(f"the record of what {format_label(name)} was built from", out_dir / MANIFEST,
                                error)
        article.errors.append(failure)
        progress(name, "failed", failure)
        return
    plan.manifest_state = manifest_state(out_dir)
    progress(name, "done")
    log.info("%s: wrote %s", out_dir.name, ", ".join(f.name for f in outcome))


def output_folder(out_root: Path, slug: str) -> Path:
    """The folder for one article's handouts, made if need be, always inside ``out_root``."""
    out_root.mkdir(parents=True, exist_ok=True)
    root = out_root.resolve()
    folder = root / slug
    if folder.is_symlink() or folder.resolve().parent != root:
        raise ArticleError(folder, "the output folder leads outside the output root",
                           f"remove the link at {folder} or choose another --out")
    folder.mkdir(exist_ok=True)
    return folder


