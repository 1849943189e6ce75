"""Who may do what: the loopback rule, CSRF and Origin checks, sign-in, API tokens and the headers of every answer."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
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
    if not known_host(hostname(request.host)):
        # A name pointed at this machine (DNS rebinding) reaches nothing, and no link is built from a
        # name the request made up.
        abort(400, f"This app does not answer to the name {hostname(request.host)!r}. Open it at its own "
                   "address, or add the name to [serve] hosts in handout.toml.")
    if request.method == "POST":
        origin = request.headers.get("Origin")
        referrer = request.headers.get("Referer")
        own = f"{request.scheme}://{request.host}"
        if origin is not None and origin != own:
            abort(403, "A form on another site tried to send this. Nothing was done.")
        if origin is None and referrer and not referrer.startswith(own + "/"):
            abort(403, "A form on another site tried to send this. Nothing was done.")
    if session.get("staff") and (session.get("staff_key") != staff.password_key
                                 or not services().sessions.touch(session.get("sid"))):
        # Signed out elsewhere, idle too long, signed in too long ago, or the password has since changed.
        services().sessions.end(session.get("sid"))
        session.clear()
    if request.path.startswith("/api/"):
        g.staff_name = api_caller(staff)
        if g.staff_name is None:
            return json_error(401, "a staff API token is needed",
                              "send it as 'Authorization: Bearer TOKEN' (make one with 'handout token NAME')")
        return None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
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


def known_host(name: str) -> bool:
    """Whether the app answers to the host ``name``: its public address, the address it listens on, a
    loopback name when it listens there, any IP address when it listens on all of them, or a name in
    ``[serve] hosts``."""
    serve = services().serve
    name = name.lower()
    known = {host.lower() for host in serve.hosts} | {serve.host.lower()}
    if serve.public_url:
        known.add((urlsplit(serve.public_url).hostname or "").lower())
    if name in known:
        return True
    if serve.host in ("0.0.0.0", "::", "") and (name in LOOPBACK_HOSTS or name == socket.gethostname().lower()
                                               or _is_ip(name)):
        # Listening on every address: an address typed as a number cannot be a name another site controls.
        return True
    return serve.host in LOOPBACK_HOSTS and name in LOOPBACK_HOSTS


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def external_url(endpoint: str, **values: object) -> str:
    """The full address of ``endpoint``: under ``[serve] public_url`` when set, else the request's own."""
    public = services().serve.public_url
    if public:
        return public.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


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
