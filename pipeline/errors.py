"""Errors a clinic's staff can act on: which file, which line, what to fix."""

from __future__ import annotations

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
