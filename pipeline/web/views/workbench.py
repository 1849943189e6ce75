"""The plain-language workbench: staff rewrite a handout's plain version, with its reading level and facts."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ...errors import ArticleError
from ...manifest import write_atomically
from .. import plain
from ..errors import json_errors
from ..jobs import Job, Library, now
from ..services import services
from ..uploads import article_message

bp = Blueprint("workbench", __name__)


@bp.route("/handouts/<job_id>/plain", methods=["GET", "POST"])
def plain_workbench(job_id: str) -> Response | str | tuple[str, int]:
    app = services()
    job = app.job(job_id)
    document = job_document(app.library, job)
    work = app.library.plain_work_path(job)
    if request.method == "GET":
        text = None
        notice = ""
        if work.is_file():
            text = work.read_text(encoding="utf-8")
            notice = "Your kept work is back: it is not saved as the plain version yet."
        elif document.plain is not None:
            text = document.plain.source.read_text(encoding="utf-8")
        bench = app.readers.run(document.source, plain.workbench_for, document, text)
        bench.notice = notice or bench.notice
        return render_workbench(job, document, bench, {})
    bench = plain.workbench_from_form(document, request.form)
    action = request.form.get("action", "check")
    errors = bench.problems()
    if action == "keep":
        write_atomically(work, bench.markdown())
        flash("Your work is kept. It is not used in the handouts until you save it.")
        return redirect(url_for("workbench.plain_workbench", job_id=job.id), 303)
    analysis = None
    if not errors:
        try:
            analysis, bench = analyse(document, bench)
        except ArticleError as error:
            errors["plain-opening"] = article_message(error)
    confirming: list[str] = []
    if action == "save" and not errors and analysis is not None:
        reviews, confirming = plain.ticked_reviews(document, bench, analysis.facts, request.form, staff_name())
        if confirming:
            errors["facts"] = ("Not saved yet: you checked " + confirm_sentence(analysis.facts, confirming) +
                               ". Tick “Yes, I am sure” under each to confirm, then save again")
        elif reviews:
            bench.reviews = [r for r in bench.reviews if r.fact not in {n.fact for n in reviews}] + reviews
            analysis, bench = analyse(document, bench)
    if action == "save" and not errors and analysis is not None:
        if not analysis.facts.ok:
            errors["facts"] = ("Not saved: the plain version " + facts_sentence(analysis.facts) +
                               ". Put each one back as the article says it, or tick “I checked” under it, "
                               "then save")
        elif job.unfinished:
            errors["facts"] = "Not saved: the handouts are being made now. Save once they are done"
        else:
            app.maker.check_room()
            app.library.save_plain(job, document.slug, bench.markdown())

            def saved(job: Job) -> None:
                job.plain_saved = now()
            app.maker.queue_again(job, saved)
            flash("The plain-language version is saved. The page is being made again with it; the earlier "
                  "version is kept.")
            return redirect(url_for("handouts.handout", job_id=job.id), 303)
    return render_workbench(job, document, bench, errors, analysis, confirming), 400 if errors else 200


@bp.post("/handouts/<job_id>/plain/analysis")
def plain_analysis(job_id: str) -> Response | tuple[Response, int]:
    app = services()
    job = app.job(job_id)
    document = job_document(app.library, job)
    bench = plain.workbench_from_form(document, request.form)
    errors = bench.problems()
    if errors:
        return json_errors(400, errors)
    try:
        analysis, bench = analyse(document, bench)
    except ArticleError as error:
        return json_errors(400, {"plain-opening": article_message(error)})
    figures = current_app.jinja_env.get_template("_plain.html").module  # type: ignore[attr-defined]
    return jsonify({
        "summary": str(figures.summary(analysis)),
        "said": said(analysis),
        "rows": {row.key: str(figures.row_figures(row, analysis.lang)) for row in bench.rows},
    })


def render_workbench(job: Job, document: Any, bench: plain.Workbench, errors: dict[str, str],
                     analysis: Any = None, confirming: list[str] | None = None) -> str:
    if analysis is None and not errors:
        try:
            analysis, bench = analyse(document, bench)
        except ArticleError as error:
            errors = {"plain-opening": article_message(error)}
    return render_template("plain.html", job=job, document=document, bench=bench, errors=errors,
                           analysis=analysis, said=said(analysis) if analysis else "", confirming=confirming or [],
                           review_json=plain.review_json, needs_confirming=plain.needs_confirming)


def job_document(library: Library, job: Job) -> Any:
    """The job's article as the build reads it; a 409 page when it can no longer be read."""
    try:
        return services().read_article(library.source_path(job))
    except ArticleError as error:
        abort(409, f"The article cannot be read any more ({error.problem}). Send it again.")


def analyse(document: Any, bench: plain.Workbench) -> tuple[Any, plain.Workbench]:
    """The analysis of the workbench's fields, made in a reading worker (memory and time capped)."""
    return services().readers.run(document.source, plain.analysed, document, bench)


def facts_sentence(facts: Any) -> str:
    """What the plain version leaves out and adds, as part of a sentence."""
    parts = []
    if facts.dropped:
        parts.append("leaves out " + ", ".join(f"“{fact.text}”" for fact in facts.dropped))
    if facts.added:
        parts.append("adds " + ", ".join(f"“{fact.text}”" for fact in facts.added) + ", which the article never says")
    return " and ".join(parts)


def staff_name() -> str:
    """The name staff gave at sign-in, recorded with their reviews."""
    return session.get("staff_name") or "staff (no name given at sign-in)"


def confirm_sentence(facts: Any, fact_ids: list[str]) -> str:
    """The dropped doses and drugs a review needs confirmed, named with their FACT-IDs."""
    return ", ".join(f"the dropped {'dose' if fact.kind == 'number' else 'drug'} “{fact.text}” ({fact_id})"
                     for fact_id, _direction, fact in facts.flagged() if fact_id in fact_ids)


def said(analysis: Any) -> str:
    """One sentence a screen reader announces when the figures change."""
    grade = "not measured" if analysis.grade != analysis.grade else f"grade {analysis.grade:.1f}"
    facts = "every fact kept" if analysis.facts.ok else (
        f"{len(analysis.facts.dropped)} fact{'s' if len(analysis.facts.dropped) != 1 else ''} left out, "
        f"{len(analysis.facts.added)} added")
    pemat = analysis.pemat
    scores = "" if pemat is None else "".join(
        f" PEMAT-P {score.part} {'not scored yet' if score.percent is None else f'{score.percent:g}%'}."
        for score in (pemat.understandability, pemat.actionability))
    return f"Reading level {grade}, target {analysis.target:g}. {facts.capitalize()}.{scores}"
