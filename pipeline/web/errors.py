"""Errors people can read: an HTTP error as a page for staff, or as JSON for the API."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .services import services

TITLES = {400: "The request could not be used", 401: "Sign in first", 403: "Refused", 404: "Page not found",
          409: "Not now", 413: "The file is too large", 405: "Not allowed here", 503: "Busy: try again soon"}
# Flask's limits on a form besides its size: its parts (fields and files) and the text of one box.
FORM_PARTS_TITLE = "The form has too many parts"
TEXTS = {404: "There is no page or handout at this address. It may have been deleted.",
         401: "Sign in with the staff password to use the app.",
         405: "This address does not take that kind of request."}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)


def http_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    title = TITLES.get(code, "Something went wrong")
    if isinstance(error, RequestEntityTooLarge) and not over_size_limit():
        title = FORM_PARTS_TITLE
        message = (f"The form was sent in more than {current_app.config['MAX_FORM_PARTS']:,} parts (fields and "
                   f"files), or with more than {current_app.config['MAX_FORM_MEMORY_SIZE'] // 1000:,} KB typed in "
                   "one box. Send the article as a file, with the form as the app shows it.")
    elif isinstance(error, RequestEntityTooLarge):
        message = (f"The file is larger than the {services().serve.upload_limit_mb} MB the app accepts. "
                   "Save the document without large pictures, or split it, and send it again.")
    else:
        message = error.description if code in (400, 403, 409, 503) else TEXTS.get(code, error.description)
    if request.path.startswith("/api/"):
        response = json_error(code, message, "")
    else:
        response = current_app.make_response((render_template("error.html", code=code, title=title,
                                                               message=message), code))
    if code == 503:
        response.headers["Retry-After"] = "60"
    return response, code


def over_size_limit() -> bool:
    """Whether the request refused as too large was so by its size (else by its parts)."""
    length = request.content_length
    return length is None or length > (current_app.config["MAX_CONTENT_LENGTH"] or 0)


def json_error(code: int, problem: str, fix: str) -> Response:
    response = jsonify({"errors": [{"problem": problem, "fix": fix}]})
    response.status_code = code
    return response


def json_errors(code: int, errors: dict[str, str]) -> tuple[Response, int]:
    """Errors of a form sent to the API, each with the field it belongs to."""
    return jsonify({"errors": [{"field": field, "problem": text} for field, text in errors.items()]}), code
