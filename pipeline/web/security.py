"""Who may do what: the loopback rule, CSRF and Origin checks, sign-in, API tokens and the headers of every answer."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, redirect, request, session, url_for

from .errors import json_error
from .services import services
from .staff import Staff

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Content security for the app's own pages: nothing from another host, no inline script.
APP_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
           "frame-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors 'self'")
# Pages anyone may see: the sign-in page and the app's own stylesheet, script and icon.
OPEN_ENDPOINTS = ("static", "staff.sign_in")


def init_app(app: Flask) -> None:
    """Check every request before its view, and set the security headers on every answer."""
    app.before_request(guard)
    app.after_request(headers)
    app.context_processor(page_globals)


def guard() -> Response | None:
    staff = services().staff
    g.nonce = None
    if not staff.has_password and hostname(request.host) not in LOOPBACK_HOSTS | {services().serve.host}:
        # Without a password the app answers only to its own loopback name, so a web page
        # elsewhere cannot reach it through a name it points at this machine.
        abort(400, "This address is not the one the app was started on.")
    if request.method == "POST":
        origin = request.headers.get("Origin")
        referrer = request.headers.get("Referer")
        own = f"{request.scheme}://{request.host}"
        if origin is not None and origin != own:
            abort(403, "A form on another site tried to send this. Nothing was done.")
        if origin is None and referrer and not referrer.startswith(own + "/"):
            abort(403, "A form on another site tried to send this. Nothing was done.")
    if request.path.startswith("/api/"):
        g.staff_name = api_caller(staff)
        if g.staff_name is None:
            return json_error(401, "a staff API token is needed",
                              "send it as 'Authorization: Bearer TOKEN' (make one with 'handout token NAME')")
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if session.get("staff") and session.get("staff_key") != staff.password_key:
        session.clear()  # signed in with a password that has since been changed
    if staff.has_password and not session.get("staff"):
        if request.method == "GET":
            return redirect(url_for("staff.sign_in",
                                    next=request.full_path if request.query_string else request.path))
        abort(401)
    if request.method == "POST":
        token = request.form.get("csrf_token", "")
        if not secrets.compare_digest(token, session.get("csrf", "")) or not token:
            abort(400, "The form had expired. Go back, reload the page and send it again.")
    return None


def headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", APP_CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    return response


def page_globals() -> dict[str, object]:
    """What every page's template knows: the form token and who is signed in."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return {"csrf_token": session["csrf"], "signed_in": bool(session.get("staff")),
            "needs_sign_in": services().staff.has_password, "staff_name": session.get("staff_name")}


def hostname(host: str) -> str:
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def local_path(target: str | None) -> bool:
    """Whether ``target`` is a path on this site (never another site, never a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def secret_key(root: Path) -> bytes:
    """The key that signs staff sessions: made once per library, readable only by the server's user."""
    path = root / ".session-key"
    if not path.exists():
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(32))
    return path.read_bytes()


def api_caller(staff: Staff) -> str | None:
    """Who calls the API: a token's name, "" when none is needed (loopback without a password), None when refused."""
    if not staff.has_password:
        return ""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        # Staff signed in may read (the page's live progress does); changes need a token.
        if request.method == "GET" and session.get("staff"):
            return session.get("staff_name") or ""
        return None
    return staff.token_name(header[len("Bearer "):].strip())
