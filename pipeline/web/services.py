"""What every view of the staff app works with: the library, the maker, previews, staff and settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app

from ..settings import ServeSettings, Settings
from .jobs import Job, Library, Maker
from .options import Options
from .parsing import ReadingWorkers
from .previews import PdfPreview, VoiceSampler
from .sessions import SessionStore
from .signin import SignInThrottle
from .staff import Staff, StaffFile


@dataclass
class Services:
    """One app's library and the things that serve it, made once by ``create_app``."""

    settings: Settings
    serve: ServeSettings
    library: Library
    maker: Maker
    staff_file: StaffFile
    throttle: SignInThrottle
    previews: PdfPreview
    sampler: VoiceSampler
    readers: ReadingWorkers
    sessions: SessionStore

    @property
    def staff(self) -> Staff:
        """The staff password and API tokens as the staff file says now."""
        return self.staff_file.current()

    def defaults(self) -> Options:
        """The handout form as the server was started."""
        return Options.defaults(self.settings, self.serve)

    def read_article(self, path: Path, patient: bool = False) -> Any:
        """The article at ``path`` as the build reads it, read in a worker with a memory cap and a time limit.

        A request is refused when every worker stays busy past the time limit; a ``patient`` caller (the
        maker) waits its turn.
        """
        from .parsing import read_article

        return self.readers.run(path, read_article, path, patient=patient)

    def job(self, job_id: str) -> Job:
        """The job at this address, or a 404 page."""
        job = self.library.get(job_id)
        if job is None:
            abort(404)
        return job


def services() -> Services:
    """The running app's services."""
    return current_app.extensions["handout"]
