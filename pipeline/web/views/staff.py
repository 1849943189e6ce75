"""Signing in and out with the staff password."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for

from ..security import local_path
from ..services import services

bp = Blueprint("staff", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    app = services()
    target = request.values.get("next", "/")
    target = target if local_path(target) else "/"
    if not app.staff.has_password:
        return redirect(target)
    if request.method == "GET":
        return render_template("sign-in.html", errors={}, target=target, name="")
    if not secrets.compare_digest(request.form.get("csrf_token", "") or "-", session.get("csrf", "")):
        abort(400, "The form had expired. Reload the page and sign in again.")
    address = request.remote_addr or "?"
    wait = app.throttle.wait_for(address)
    errors = {}
    if wait > 0:
        errors["password"] = f"Too many wrong passwords: wait {int(wait) + 1} seconds, then try again"
    elif not app.staff.password_matches(request.form.get("password", "")):
        app.throttle.failed(address)
        errors["password"] = "That is not the staff password: type it again (ask whoever runs the app)"
    if errors:
        return render_template("sign-in.html", errors=errors, target=target,
                               name=request.form.get("name", "")), 401
    app.throttle.succeeded(address)
    session.clear()
    session["staff"] = True
    session["staff_name"] = " ".join(request.form.get("name", "").split())[:80] or None
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(target, 303)


@bp.post("/sign-out")
def sign_out() -> Response:
    return_to = url_for("staff.sign_in") if services().staff.has_password else url_for("handouts.start")
    session.clear()
    return redirect(return_to, 303)
