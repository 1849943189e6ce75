"""Describing a handout's pictures: their small copies, and the form that keeps their descriptions and remakes them."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for

from ...errors import ArticleError
from ..jobs import Job
from ..pictures import picture_list, read_form, restore_descriptions, save_descriptions
from ..presenting import handout_data, page_context
from ..services import services
from ..uploads import article_message

bp = Blueprint("pictures", __name__)


@bp.get("/handouts/<job_id>/pictures/<name>")
def picture_copy(job_id: str, name: str) -> Response:
    app = services()
    path = app.library.picture_copy(app.job(job_id), name) or abort(404)
    response = send_file(path, mimetype="image/jpeg" if name.endswith(".jpg") else "image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.post("/handouts/<job_id>/pictures")
def describe(job_id: str) -> Response | tuple[str, int]:
    """Keep the descriptions staff gave beside the article, and make the handouts again with them."""
    app = services()
    read_article = app.read_article
    data = handout_data(app, app.job(job_id))
    job = data.job
    given, errors = read_form(job.pictures, request.form)
    if job.unfinished and not errors:
        errors[f"description-{job.pictures[0]['key']}" if job.pictures else "pictures"] = (
            "These handouts are still being made: describe the pictures once they are done")
    if not errors:
        source = app.library.source_path(job)
        try:
            before = read_article(source)
            earlier = save_descriptions(source, before.slug, given)
            try:
                after = read_article(source)
            except ArticleError:
                restore_descriptions(source, before.slug, earlier)
                raise
        except ArticleError as error:
            errors[f"description-{job.pictures[0]['key']}" if job.pictures else "pictures"] = article_message(error)
        else:
            pictures, _copies = picture_list(after)
            old = set(before.warnings)

            def described(job: Job) -> None:
                # The warnings staff were given when they sent the article stay; the article's own are read again.
                job.warnings = [w for w in job.warnings if w not in old] + list(after.warnings)
                job.pictures = pictures
            app.maker.queue_again(job, described)
            left = sum(1 for entry in pictures if not entry["described"])
            flash("The descriptions are kept with the article, and the handouts are being made again with them."
                  + (f" {left} picture{'s' if left != 1 else ''} still {'have' if left != 1 else 'has'} no "
                     "description." if left else ""))
            return redirect(url_for("handouts.handout", job_id=job.id) + "#pictures-title", 303)
    context = page_context(app, data, errors=errors)
    context["picture_values"] = {key: value for key, value in given.items()}
    return render_template("handout.html", **context), 400
