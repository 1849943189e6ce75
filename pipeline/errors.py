"""Errors a clinic's staff can act on: which file, which line, what to fix."""

from __future__ import annotations

import errno
from pathlib import Path


class HandoutError(Exception):
    """Base class for every error the tool reports to its user."""

    exit_code = 1


class ArticleError(HandoutError):
    """A source article that cannot be turned into handouts as it stands."""

    exit_code = 2

    def __init__(self, path: Path | str, problem: str, fix: str, line: int | None = None,
                 field: str | None = None):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        # The part of the article it is about, where a form asks for it: "title", "lang" or "disclaimer".
        self.field = field
        super().__init__(str(self))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Batch builds run in worker processes and send their errors back.
        return (type(self), (self.path, self.problem, self.fix, self.line, self.field))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.problem}. Fix: {self.fix}"


class RenderError(HandoutError):
    """An output could not be made, for a reason outside the article."""

    exit_code = 1

    def __init__(self, output: str, problem: str, fix: str):
        self.output = output
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (type(self), (self.output, self.problem, self.fix))

    def __str__(self) -> str:
        return f"{self.output}: {self.problem}. Fix: {self.fix}"


# What a failed write means when the fault is the disk or the folder, not the article: in words, and what to do.
# ``{folder}`` is the folder that was being written.
WRITE_FAULTS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("the disk is full",
                   "free space on the disk that holds {folder}, or write the handouts to a folder on another disk"),
    errno.EDQUOT: ("the disk quota is used up",
                   "free space in your share of the disk that holds {folder}, or ask for a larger quota"),
    errno.EACCES: ("permission to write there is denied",
                   "let the user that makes the handouts write to {folder}, or write them to another folder"),
    errno.EPERM: ("permission to write there is denied",
                  "let the user that makes the handouts write to {folder}, or write them to another folder"),
    errno.EROFS: ("the disk is read-only",
                  "make the disk that holds {folder} writable, or write the handouts to a folder on another disk"),
}


def is_write_fault(error: BaseException) -> bool:
    """Whether ``error`` is a write refused by the disk or the folder (full, over quota, not allowed, read-only)."""
    return isinstance(error, OSError) and error.errno in WRITE_FAULTS


def write_failure(what: str, path: Path | str, error: OSError) -> RenderError:
    """A write the disk or the folder refused, as every format reports it: what could not be written, where,
    why in words, and what to do.

    ``what`` names the format for people ("the large-print PDF"); ``path`` is
    the file (or, when the error does not say which, the folder) it was
    being written to.
    """
    words, fix = WRITE_FAULTS[error.errno]
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    reason = f" ({error.strerror})" if error.strerror else ""
    return RenderError(str(path), f"{what} could not be written: {words}{reason}", fix.format(folder=folder))
