"""Errors people can read: an HTTP error as a page for staff, or as JSON for the API."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .services import services

TITLES = {400: "The request could not be used", 401: "Sign in first", 403: "Refused", 404: "Page not found",
          409: "Not now", 413: "The file is too large", 405: "Not allowed here"}
TEXTS = {404: "There is no page or handout at this address. It may have been deleted.",
         401: "Sign in with the staff password to use the app.",
         405: "This address does not take that kind of request."}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)


def http_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    if isinstance(error, RequestEntityTooLarge):
        message = (f"The file is larger than the {services().serve.upload_limit_mb} MB the app accepts. "
                   "Save the document without large pictures, or split it, and send it again.")
    else:
        message = error.description if code in (400, 403, 409) else TEXTS.get(code, error.description)
    if request.path.startswith("/api/"):
        return json_error(code, message, ""), code
    return render_template("error.html", code=code, title=TITLES.get(code, "Something went wrong"),
                           message=message), code


def json_error(code: int, problem: str, fix: str) -> Response:
    response = jsonify({"errors": [{"problem": problem, "fix": fix}]})
    response.status_code = code
    return response


def json_errors(code: int, errors: dict[str, str]) -> tuple[Response, int]:
    """Errors of a form sent to the API, each with the field it belongs to."""
    return jsonify({"errors": [{"field": field, "problem": text} for field, text in errors.items()]}), code
