"""PEMAT-P answers: staff answer the items only a person can judge, kept with the handout, completing the score."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for

from ...pemat.answers import answers_path, write_answers
from ..jobs import now
from ..pemat import pemat_for, read_form
from ..presenting import handout_data, page_context
from ..services import services

bp = Blueprint("pemat", __name__)


@bp.post("/handouts/<job_id>/pemat")
def answer(job_id: str) -> Response | tuple[str, int]:
    """Keep staff's answers beside the article, then show the handout page with the scores they complete."""
    app = services()
    data = handout_data(app, app.job(job_id))
    assessment = pemat_for(app, data.job)
    if assessment is None:
        abort(409, "The handouts are being made now, or the article cannot be read. Answer once they are done.")
    answers, errors = read_form(assessment, request.form)
    if errors:
        context = page_context(app, data, errors=errors)
        context["pemat_values"] = {key: value for key, value in request.form.items() if key.startswith("item-")}
        return render_template("handout.html", **context), 400
    source = app.library.source_path(data.job)
    write_answers(answers_path(source, data.job.slug), answers, session.get("staff_name") or "staff", now())
    completed = pemat_for(app, data.job)
    scores = (f" Understandability: {completed.understandability.describe()}. Actionability: "
              f"{completed.actionability.describe()}." if completed else "")
    flash(f"Your PEMAT-P answers are kept with the handout.{scores} The next check of the handouts reports them.")
    return redirect(url_for("handouts.handout", job_id=data.job.id) + "#pemat-title", 303)
