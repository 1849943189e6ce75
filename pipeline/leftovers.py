"""Names a writer works under until its files are whole, and clearing those whose writer has gone.

A partial file (``.partial-``), a job being stored (``.new-``) or deleted
(``.deleted-``) carries its writer in its name: the process id and the time
that process started, so a killed writer's leftovers can be told from a live
one's even when its id has since been given to another process. A build's
staging folders are guarded by the article's lock instead (see
:mod:`pipeline.build`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

PARTIAL_PREFIX = ".partial-"
NEW_PREFIX = ".new-"
DELETED_PREFIX = ".deleted-"
# A name that records no writer was made by an earlier release: it is left alone until this old (seconds),
# far longer than any write takes.
UNOWNED_AGE = 3600

_OWNED = re.compile(r"^\.[a-z]+-(?P<pid>\d+)-(?P<start>\d+)-")
_HAVE_PROC = Path("/proc/self/stat").is_file()


def started(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks after boot; 0 where the system does not say), or None when
    no such process is running (a zombie has stopped running)."""
    if not _HAVE_PROC:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return 0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the name: state (field 3) ... starttime (field 22).
    return None if fields[0] in ("Z", "X") else int(fields[19])


def owner() -> str:
    """This process as a writer's name records it: ``PID-START``."""
    return f"{os.getpid()}-{started(os.getpid()) or 0}"


def owned_name(prefix: str) -> str:
    """The start of a name that ``prefix`` marks as work in progress, recording this process as its writer."""
    return f"{prefix}{owner()}-"


def abandoned(path: Path) -> bool:
    """Whether the writer of ``path`` (a name from :func:`owned_name`) is no longer running.

    A name that records no writer counts as abandoned only once it is
    ``UNOWNED_AGE`` old.
    """
    match = _OWNED.match(path.name)
    if match is None:
        try:
            return time.time() - path.lstat().st_mtime > UNOWNED_AGE
        except OSError:
            return False
    return started(int(match["pid"])) != int(match["start"])


def sweep(folder: Path, prefixes: tuple[str, ...]) -> list[Path]:
    """Remove what writers that are no longer running left in ``folder`` under ``prefixes``; return it."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    removed = []
    for path in entries:
        if not path.name.startswith(prefixes) or not abandoned(path):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        log.info("%s: removed, left by a process that is no longer running", path)
        removed.append(path)
    return removed
