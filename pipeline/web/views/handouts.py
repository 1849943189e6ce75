"""Making and looking at handouts: the start page, a handout's page, its files, making again, deleting."""

from __future__ import annotations

import mimetypes
import tempfile
import zipfile
from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, session, url_for

from ...errors import ArticleError
from .. import uploads
from ..jobs import Job, Library
from ..options import Options, read_options
from ..presenting import handout_data, page_context
from ..services import services

bp = Blueprint("handouts", __name__)

# A handout page or report shown in the app: no script at all, its own inline styles and embedded fonts.
HANDOUT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src 'self' data:; "
               "media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; "
               "sandbox allow-same-origin")


def start_page(options: object, values: dict[str, str], errors: dict[str, str]) -> str:
    app = services()
    return render_template("start.html", options=options, values=values, errors=errors, jobs=app.library.all(),
                           voices=app.sampler.voices(), maker=app.maker)


@bp.get("/")
def start() -> str:
    return start_page(services().defaults(), {}, {})


@bp.post("/handouts")
def make_handout() -> Response | tuple[str, int]:
    app = services()
    values = request.form.to_dict()
    options, errors = read_options(request.form, app.defaults())
    article = None
    if not errors:
        try:
            article = uploads.article_from_request(request)
        except uploads.UploadProblem as problem:
            errors[problem.field] = f"{problem.problem}: {problem.fix}"
    if article is not None and not errors:
        app.maker.check_room()
        try:
            job = uploads.accept(app.library, article, options, app.serve.word_lists, session.get("staff_name"),
                                 read=app.read_article)
        except ArticleError as error:
            errors[uploads.field_for(error)] = uploads.article_message(error)
        else:
            app.maker.submit(job.id)
            return redirect(url_for("handouts.handout", job_id=job.id), 303)
    return start_page(options, values, errors), 400


@bp.get("/handouts/<job_id>")
def handout(job_id: str) -> str:
    app = services()
    return render_template("handout.html", **page_context(app, handout_data(app, app.job(job_id))))


@bp.post("/handouts/<job_id>/rebuild")
def rebuild(job_id: str) -> Response | tuple[str, int]:
    app = services()
    data = handout_data(app, app.job(job_id))
    job = data.job
    options, errors = read_options(request.form, Options.of_job(job.options, app.defaults()))
    if job.unfinished:
        errors["formats"] = "These handouts are still being made: make them again once they are done"
    if errors:
        return render_template("handout.html", **page_context(app, data, options, errors)), 400
    app.maker.check_room()

    def with_options(job: Job) -> None:
        job.options = options.to_dict()
    app.maker.queue_again(job, with_options)
    flash("The handouts will be made again with the options you chose.")
    return redirect(url_for("handouts.handout", job_id=job.id), 303)


@bp.get("/handouts/<job_id>/delete")
def confirm_delete(job_id: str) -> str:
    return render_template("delete.html", job=services().job(job_id), busy=False)


@bp.post("/handouts/<job_id>/delete")
def delete(job_id: str) -> Response | tuple[str, int]:
    app = services()
    job = app.job(job_id)
    if app.maker.is_running(job.id):
        return render_template("delete.html", job=job, busy=True), 409
    app.library.delete(job)
    flash(f"Deleted the handouts for “{job.title}”.")
    return redirect(url_for("handouts.start"), 303)


@bp.get("/handouts/<job_id>/download/<name>")
def download(job_id: str, name: str) -> Response:
    app = services()
    path = app.library.servable(app.job(job_id), name) or abort(404)
    return send_handout_file(path, attachment=True)


@bp.get("/handouts/<job_id>/view/<name>")
def view(job_id: str, name: str) -> Response:
    app = services()
    path = app.library.servable(app.job(job_id), name) or abort(404)
    response = send_handout_file(path, attachment=False)
    if path.suffix == ".html":
        response.headers["Content-Security-Policy"] = HANDOUT_CSP
    return response


@bp.get("/handouts/<job_id>/pages/<int:number>.png")
def page_image(job_id: str, number: int) -> Response:
    app = services()
    image = app.previews.image(app.library.files(app.job(job_id)).get("pdf"), number) or abort(404)
    response = send_file(image, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=60"
    return response


@bp.get("/handouts/<job_id>/handouts.zip")
def zip_download(job_id: str) -> Response:
    app = services()
    return send_zip(app.library, app.job(job_id))


def send_handout_file(path: Path, attachment: bool) -> Response:
    """A handout's file with its real type: as a download, or shown in the app."""
    mimetype = {".vtt": "text/vtt", ".brf": "text/plain", ".epub": "application/epub+zip",
                ".mp3": "audio/mpeg", ".json": "application/json"}.get(path.suffix) \
        or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, as_attachment=attachment, download_name=path.name,
                         conditional=True, max_age=0)
    response.headers["Cache-Control"] = "no-store"  # a shared computer keeps no copy
    if not attachment:
        response.headers["Content-Disposition"] = "inline"
    return response


def send_zip(library: Library, job: Job) -> Response:
    """Every finished file of the handout, with its check report, as one zip."""
    files = library.zip_contents(job)
    if not files:
        abort(409, "None of these handouts is ready yet. Download them once they are made.")
    buffer = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files.items()):
            archive.write(path, f"{job.slug}/{name}")
    buffer.seek(0)
    response = send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=f"{job.slug}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response
