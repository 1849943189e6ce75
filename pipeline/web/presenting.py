"""One handout as staff and programs see it: gathered once per request, for the page and the JSON alike.

Datasette's way: one function reads what the library holds of a job (its
manifest once, its progress, its files, its check report) and both the HTML
page and the API render that same data, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .jobs import FormatStatus, Job
from .options import Options
from .pemat import pemat_for
from .security import external_url
from .services import Services


@dataclass(frozen=True)
class HandoutData:
    """What there is to show of one job right now."""

    job: Job
    states: list[FormatStatus]
    # The finished files, by the API's names, as the manifest vouches for them.
    files: dict[str, Path]
    # The check report, when the handouts were checked and it is there.
    report: dict[str, Path]
    # Jobs ahead of this one in the queue (None when it is not waiting).
    position: int | None


def handout_data(services: Services, job: Job) -> HandoutData:
    """Gather one job's data, reading its manifest once."""
    library = services.library
    manifest = library.manifest(job)
    report = {name: path for name in ("report.html", "report.json")
              if (path := library.servable(job, name, manifest)) is not None}
    return HandoutData(job=job, states=library.format_states(job, manifest), files=library.files(job, manifest),
                       report=report, position=services.maker.position(job.id))


def page_context(services: Services, data: HandoutData, options: Options | None = None,
                 errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The handout page's template values."""
    return {"job": data.job, "states": data.states, "files": data.files,
            "pages": services.previews.pages(data.files.get("pdf")), "position": data.position,
            "options": options or Options.of_job(data.job.options, services.defaults()),
            "voices": services.sampler.voices(), "errors": errors or {}, "report": "report.html" in data.report,
            "pemat": pemat_for(services, data.job)}


def as_json(data: HandoutData) -> dict[str, Any]:
    """The API's view of the same handout."""
    job = data.job
    files = {kind: external_url("handouts.download", job_id=job.id, name=path.name)
             for kind, path in data.files.items()}
    errors = [dict(error) for error in job.errors]
    known = {error.get("problem") for error in errors}
    for state in data.states:
        if state.state == "failed" and state.problem not in known:
            errors.append({"format": state.name, "problem": state.problem, "fix": state.fix})
    result: dict[str, Any] = {
        "id": job.id, "title": job.title, "lang": job.lang, "status": job.api_state,
        "created": job.created, "finished": job.finished,
        "formats": {state.name: state.state for state in data.states},
        "files": files, "errors": errors, "warnings": job.warnings,
        "pictures": [{"number": entry["number"], "where": entry["where"], "description": entry["description"],
                      "decorative": entry["decorative"]} for entry in job.pictures],
        "zip": external_url("api.zip_download", job_id=job.id),
        "page": external_url("handouts.handout", job_id=job.id),
    }
    if job.check is not None:
        result["check"] = {key: value for key, value in job.check.items() if key != "failures"}
        if "report.json" in data.report:
            result["check"]["report"] = external_url("handouts.download", job_id=job.id, name="report.json")
    return result
