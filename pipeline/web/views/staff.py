"""Signing in and out with the staff password."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for

from ..security import local_path
from ..services import services
from ..signin import log_attempt

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
    address = request.remote_addr or "?"
    name = " ".join(request.form.get("name", "").split())[:80]
    if not secrets.compare_digest(request.form.get("csrf_token", "") or "-", session.get("csrf", "")):
        log_attempt(address, name, "refused: the form had expired")
        abort(400, "The form had expired. Reload the page and sign in again.")
    staff = app.staff
    wait = app.throttle.begin(address)
    errors = {}
    if wait > 0:
        log_attempt(address, name, "refused: too many wrong passwords")
        errors["password"] = f"Too many wrong passwords: wait {int(wait) + 1} seconds, then try again"
    else:
        matches = False
        try:
            matches = staff.password_matches(request.form.get("password", ""))
        finally:
            app.throttle.end(address, matches)
        log_attempt(address, name, "signed in" if matches else "wrong password")
        if not matches:
            errors["password"] = "That is not the staff password: type it again (ask whoever runs the app)"
    if errors:
        return render_template("sign-in.html", errors=errors, target=target,
                               name=request.form.get("name", "")), 401
    app.sessions.end(session.get("sid"))
    session.clear()
    session["sid"] = app.sessions.start()
    session["staff"] = True
    session["staff_key"] = staff.password_key
    session["staff_name"] = name or None
    session["csrf"] = secrets.token_urlsafe(32)
    return redirect(target, 303)


@bp.post("/sign-out")
def sign_out() -> Response:
    return_to = url_for("staff.sign_in") if services().staff.has_password else url_for("handouts.start")
    services().sessions.end(session.get("sid"))
    session.clear()
    return redirect(return_to, 303)
