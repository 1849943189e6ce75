"""The JSON API: the same handouts at /api/handouts/ID as staff see at /handouts/ID, for other systems."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request, url_for

from ...errors import ArticleError
from .. import uploads
from ..errors import json_errors
from ..options import read_options
from ..presenting import as_json, handout_data
from ..security import external_url
from ..services import services
from .handouts import send_zip

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/handouts")
def create() -> tuple[Response, int]:
    app = services()
    options, errors = read_options(request.form, app.defaults(), api=True)
    if errors:
        return json_errors(400, errors)
    app.maker.check_room()
    try:
        article = uploads.article_from_request(request)
        job = uploads.accept(app.library, article, options, app.serve.word_lists, g.staff_name,
                                 read=app.read_article)
    except uploads.UploadProblem as problem:
        return json_errors(400, {problem.field: f"{problem.problem}: {problem.fix}"})
    except ArticleError as error:
        return json_errors(400, {uploads.field_for(error): uploads.article_message(error)})
    app.maker.submit(job.id)
    response = jsonify({"id": job.id, "status": job.api_state,
                        "url": external_url("api.handout", job_id=job.id)})
    response.headers["Location"] = url_for("api.handout", job_id=job.id)
    return response, 202


@bp.get("/handouts")
def handouts() -> Response:
    app = services()
    return jsonify({"handouts": [as_json(handout_data(app, job)) for job in app.library.all()]})


@bp.get("/handouts/<job_id>")
def handout(job_id: str) -> Response:
    app = services()
    return jsonify(as_json(handout_data(app, app.job(job_id))))


@bp.get("/handouts/<job_id>/zip")
def zip_download(job_id: str) -> Response:
    app = services()
    return send_zip(app.library, app.job(job_id))
