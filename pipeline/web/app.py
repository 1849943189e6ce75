"""The staff web app's routes: thin views over the library, the queue and the same build as the command line.

People and programs see the same handouts at the same addresses:
``/handouts/ID`` is the page, ``/api/handouts/ID`` its JSON. Every task works
with plain forms and links (post, then redirect); the one script only adds
live progress and plays voice samples in place.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import ArticleError, HandoutError
from ..settings import FORMATS, PAPER_SIZES, PRINT_SIZES, ServeSettings, Settings
from . import plain, uploads
from .jobs import FORMAT_NAMES, Job, Library, Maker, grade_option, now
from .previews import PdfPreview, VoiceSampler
from .staff import SignInThrottle, Staff

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LANGUAGES = (
    ("en", "English"),
    ("en-GB", "English (United Kingdom)"),
    ("es-US", "Spanish (United States)"),
    ("es-MX", "Spanish (Mexico)"),
    ("es-419", "Spanish (Latin America)"),
    ("es-ES", "Spanish (Spain)"),
)
SAMPLE_SENTENCES = {
    "en": "This is how your handout will sound when it is read aloud.",
    "es": "Así sonará su folleto cuando se lea en voz alta.",
}
STATE_WORDS = {
    "queued": "Waiting",
    "making": "Being made",
    "checking": "Being checked",
    "done": "Done",
    "failed": "Failed",
}
# Content security for the app's own pages: nothing from another host, no inline script.
APP_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
           "frame-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
           "form-action 'self'; frame-ancestors 'self'")
# A handout page or report shown in the app: no script at all, its own inline styles and embedded fonts.
HANDOUT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src 'self' data:; "
               "media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; "
               "sandbox allow-same-origin")


@dataclass(frozen=True)
class Options:
    """The choices of the handout form, prefilled from the server's settings."""

    formats: tuple[str, ...]
    paper: str
    print_size: int
    voice: str
    braille_grade: int | None  # None: the usual grade for the article's language
    check: bool

    def to_dict(self) -> dict[str, Any]:
        return {"formats": list(self.formats), "paper": self.paper, "print_size": self.print_size,
                "voice": self.voice, "braille_grade": self.braille_grade, "check": self.check}


def create_app(settings: Settings, serve: ServeSettings, *, maker: Maker | None = None,
               library: Library | None = None) -> Flask:
    """The web app over the library in ``settings.out_dir / "library"``.

    The caller starts ``app.config["MAKER"]`` (``handout serve`` does); tests
    may pass their own.
    """
    app = Flask(__name__)
    library = library or Library(settings.out_dir / "library")
    maker = maker or Maker(library, settings, workers=settings.jobs)
    staff = Staff.load(serve.staff_file)
    app.config.update(
        SECRET_KEY=_secret_key(library.root),
        MAX_CONTENT_LENGTH=serve.upload_limit_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="handout_session",
        MAKER=maker,
        LIBRARY=library,
        STAFF=staff,
        SERVE=serve,
        SETTINGS=settings,
    )
    if serve.behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = True
    throttle = SignInThrottle()
    previews = PdfPreview(library.root / ".previews")
    sampler = VoiceSampler(library.root / ".voice-samples", settings.rate)
    app.config["SAMPLER"] = sampler
    app.jinja_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    app.jinja_env.globals.update(format_names=FORMAT_NAMES, state_words=STATE_WORDS, languages=LANGUAGES,
                                 version=version("handout"), paper_sizes=PAPER_SIZES, print_sizes=PRINT_SIZES,
                                 all_formats=FORMATS)

    def defaults() -> Options:
        return Options(formats=settings.formats, paper=settings.paper, print_size=settings.print_size,
                       voice=settings.voice or "", braille_grade=settings.braille_grade, check=serve.check)

    # ---------------------------------------------------------------- every request

    @app.before_request
    def guard() -> Response | None:
        g.nonce = None
        if not staff.has_password and _hostname(request.host) not in LOOPBACK_HOSTS | {serve.host}:
            # Without a password the app answers only to its own loopback name, so a web page
            # elsewhere cannot reach it through a name it points at this machine.
            abort(400, "This address is not the one the app was started on.")
        api = request.path.startswith("/api/")
        if request.method == "POST":
            origin = request.headers.get("Origin")
            referrer = request.headers.get("Referer")
            own = f"{request.scheme}://{request.host}"
            if origin is not None and origin != own:
                abort(403, "A form on another site tried to send this. Nothing was done.")
            if origin is None and referrer and not referrer.startswith(own + "/"):
                abort(403, "A form on another site tried to send this. Nothing was done.")
        if api:
            g.staff_name = _api_caller(staff)
            if g.staff_name is None:
                return _json_error(401, "a staff API token is needed",
                                   "send it as 'Authorization: Bearer TOKEN' (make one with 'handout token NAME')")
            return None
        if request.endpoint in ("static", "sign_in"):
            return None
        if staff.has_password and not session.get("staff"):
            if request.method == "GET":
                return redirect(url_for("sign_in", next=request.full_path if request.query_string else request.path))
            abort(401)
        if request.method == "POST":
            token = request.form.get("csrf_token", "")
            if not secrets.compare_digest(token, session.get("csrf", "")) or not token:
                abort(400, "The form had expired. Go back, reload the page and send it again.")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", APP_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response

    @app.context_processor
    def page_globals() -> dict[str, Any]:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return {"csrf_token": session["csrf"], "signed_in": bool(session.get("staff")),
                "needs_sign_in": staff.has_password, "staff_name": session.get("staff_name")}

    # ---------------------------------------------------------------- pages

    @app.get("/")
    def start() -> str:
        return render_template("start.html", options=defaults(), values={}, errors={}, jobs=library.all(),
                               voices=sampler.voices(), maker=maker)

    @app.post("/handouts")
    def make_handout() -> Response | tuple[str, int]:
        values = request.form.to_dict()
        options, errors = _read_options(request.form, defaults())
        article = None
        if not errors:
            try:
                article = _article_from_request(request, serve)
            except uploads.UploadProblem as problem:
                errors[problem.field] = f"{problem.problem}: {problem.fix}"
        if article is not None and not errors:
            try:
                job = _accept(library, article, options, serve, session.get("staff_name"))
            except ArticleError as error:
                errors[_field_for(error)] = _article_message(error)
            else:
                maker.submit(job.id)
                return redirect(url_for("handout", job_id=job.id), 303)
        return render_template("start.html", options=options, values=values, errors=errors, jobs=library.all(),
                               voices=sampler.voices(), maker=maker), 400

    @app.get("/handouts/<job_id>")
    def handout(job_id: str) -> str:
        job = _job(library, job_id)
        pages = previews.pages(library.files(job).get("pdf"))
        return render_template("handout.html", job=job, states=library.format_states(job),
                               files=library.files(job), pages=pages, position=maker.position(job.id),
                               options=_job_options(job, defaults()), voices=sampler.voices(), errors={},
                               report=library.servable(job, "report.html") is not None)

    @app.post("/handouts/<job_id>/rebuild")
    def rebuild(job_id: str) -> Response | tuple[str, int]:
        job = _job(library, job_id)
        options, errors = _read_options(request.form, _job_options(job, defaults()))
        if job.unfinished:
            errors["formats"] = "These handouts are still being made: make them again once they are done"
        if errors:
            pages = previews.pages(library.files(job).get("pdf"))
            return render_template("handout.html", job=job, states=library.format_states(job),
                                   files=library.files(job), pages=pages, position=maker.position(job.id),
                                   options=options, voices=sampler.voices(), errors=errors,
                                   report=library.servable(job, "report.html") is not None), 400

        def again(job: Job) -> None:
            job.options, job.state, job.check = options.to_dict(), "queued", None
        library.update(job.id, again)
        library.clear_progress(job)
        maker.submit(job.id)
        flash("The handouts will be made again with the options you chose.")
        return redirect(url_for("handout", job_id=job.id), 303)

    @app.get("/handouts/<job_id>/delete")
    def confirm_delete(job_id: str) -> str:
        return render_template("delete.html", job=_job(library, job_id), busy=False)

    @app.post("/handouts/<job_id>/delete")
    def delete(job_id: str) -> Response | tuple[str, int]:
        job = _job(library, job_id)
        if maker.is_running(job.id):
            return render_template("delete.html", job=job, busy=True), 409
        library.delete(job)
        flash(f"Deleted the handouts for “{job.title}”.")
        return redirect(url_for("start"), 303)

    @app.route("/handouts/<job_id>/plain", methods=["GET", "POST"])
    def plain_workbench(job_id: str) -> Response | str | tuple[str, int]:
        job = _job(library, job_id)
        document = _job_document(library, job)
        work = library.root / job.id / PLAIN_WORK
        if request.method == "GET":
            text = None
            notice = ""
            if work.is_file():
                text = work.read_text(encoding="utf-8")
                notice = "Your kept work is back: it is not saved as the plain version yet."
            elif document.plain is not None:
                text = document.plain.source.read_text(encoding="utf-8")
            bench = plain.workbench_for(document, text)
            bench.notice = notice or bench.notice
            return _render_workbench(job, document, bench, {})
        bench = plain.workbench_from_form(document, request.form)
        action = request.form.get("action", "check")
        errors = bench.problems()
        if action == "keep":
            _write_text(work, bench.markdown())
            flash("Your work is kept. It is not used in the handouts until you save it.")
            return redirect(url_for("plain_workbench", job_id=job.id), 303)
        analysis = None
        if not errors:
            try:
                analysis = plain.analyse_rows(document, bench)
            except ArticleError as error:
                errors["plain-opening"] = _article_message(error)
        if action == "save" and not errors and analysis is not None:
            if not analysis.facts.ok:
                errors["facts"] = ("Not saved: the plain version " + _facts_sentence(analysis.facts) +
                                   ". Put each one back as the article says it, then save")
            elif job.unfinished:
                errors["facts"] = "Not saved: the handouts are being made now. Save once they are done"
            else:
                _save_plain(library, job, document, bench.markdown())
                work.unlink(missing_ok=True)
                def saved(job: Job) -> None:
                    job.state, job.check, job.plain_saved = "queued", None, now()
                library.update(job.id, saved)
                library.clear_progress(job)
                maker.submit(job.id)
                flash("The plain-language version is saved. The page is being made again with it; the earlier "
                      "version is kept.")
                return redirect(url_for("handout", job_id=job.id), 303)
        return _render_workbench(job, document, bench, errors, analysis), 400 if errors else 200

    @app.post("/handouts/<job_id>/plain/analysis")
    def plain_analysis(job_id: str) -> Response | tuple[Response, int]:
        job = _job(library, job_id)
        document = _job_document(library, job)
        bench = plain.workbench_from_form(document, request.form)
        errors = bench.problems()
        if errors:
            return _json_errors(400, errors)
        try:
            analysis = plain.analyse_rows(document, bench)
        except ArticleError as error:
            return _json_errors(400, {"plain-opening": _article_message(error)})
        figures = app.jinja_env.get_template("_plain.html").module  # type: ignore[attr-defined]
        return jsonify({
            "summary": str(figures.summary(analysis)),
            "said": _said(analysis),
            "rows": {row.key: str(figures.row_figures(row, analysis.lang)) for row in bench.rows},
        })

    def _render_workbench(job: Job, document: Any, bench: plain.Workbench, errors: dict[str, str],
                          analysis: Any = None) -> str:
        if analysis is None and not errors:
            try:
                analysis = plain.analyse_rows(document, bench)
            except ArticleError as error:
                errors = {"plain-opening": _article_message(error)}
        return render_template("plain.html", job=job, document=document, bench=bench, errors=errors,
                               analysis=analysis, said=_said(analysis) if analysis else "")

    @app.get("/handouts/<job_id>/download/<name>")
    def download(job_id: str, name: str) -> Response:
        job = _job(library, job_id)
        path = library.servable(job, name) or abort(404)
        return _send(path, attachment=True)

    @app.get("/handouts/<job_id>/view/<name>")
    def view(job_id: str, name: str) -> Response:
        job = _job(library, job_id)
        path = library.servable(job, name) or abort(404)
        response = _send(path, attachment=False)
        if path.suffix == ".html":
            response.headers["Content-Security-Policy"] = HANDOUT_CSP
        return response

    @app.get("/handouts/<job_id>/pages/<int:number>.png")
    def page_image(job_id: str, number: int) -> Response:
        job = _job(library, job_id)
        image = previews.image(library.files(job).get("pdf"), number) or abort(404)
        response = send_file(image, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=60"
        return response

    @app.get("/handouts/<job_id>/handouts.zip")
    def zip_download(job_id: str) -> Response:
        return _zip(library, _job(library, job_id))

    @app.route("/voices/sample", methods=["GET", "POST"])
    def voice_sample_page() -> str:
        voice = request.values.get("voice", "")
        lang = request.values.get("lang", "") or "en"
        text = _sample_sentence(request.values.get("text", "") or request.values.get("sample_text", ""), lang)
        return render_template("voice-sample.html", voice=voice, lang=lang, text=text,
                               voice_name=sampler.voice_name(voice, lang),
                               back=request.values.get("back") if _local_path(request.values.get("back")) else "/")

    @app.get("/voices/sample.mp3")
    def voice_sample() -> Response:
        lang = request.args.get("lang", "") or "en"
        text = _sample_sentence(request.args.get("text", ""), lang)
        try:
            path = sampler.sample(request.args.get("voice", ""), lang, text)
        except HandoutError as error:
            return Response(str(error), status=422, mimetype="text/plain")
        return send_file(path, mimetype="audio/mpeg")

    @app.route("/sign-in", methods=["GET", "POST"])
    def sign_in() -> Response | str | tuple[str, int]:
        target = request.values.get("next", "/")
        target = target if _local_path(target) else "/"
        if not staff.has_password:
            return redirect(target)
        if request.method == "GET":
            return render_template("sign-in.html", errors={}, target=target, name="")
        if not secrets.compare_digest(request.form.get("csrf_token", "") or "-", session.get("csrf", "")):
            abort(400, "The form had expired. Reload the page and sign in again.")
        address = request.remote_addr or "?"
        wait = throttle.wait_for(address)
        errors = {}
        if wait > 0:
            errors["password"] = f"Too many wrong passwords: wait {int(wait) + 1} seconds, then try again"
        elif not staff.password_matches(request.form.get("password", "")):
            throttle.failed(address)
            errors["password"] = "That is not the staff password: type it again (ask whoever runs the app)"
        if errors:
            return render_template("sign-in.html", errors=errors, target=target,
                                   name=request.form.get("name", "")), 401
        throttle.succeeded(address)
        session.clear()
        session["staff"] = True
        session["staff_name"] = " ".join(request.form.get("name", "").split())[:80] or None
        session["csrf"] = secrets.token_urlsafe(32)
        return redirect(target, 303)

    @app.post("/sign-out")
    def sign_out() -> Response:
        session.clear()
        return redirect(url_for("sign_in") if staff.has_password else url_for("start"), 303)

    # ---------------------------------------------------------------- the JSON API

    @app.post("/api/handouts")
    def api_create() -> tuple[Response, int]:
        options, errors = _read_options(request.form, defaults(), api=True)
        if errors:
            return _json_errors(400, errors)
        try:
            article = _article_from_request(request, serve)
            job = _accept(library, article, options, serve, g.staff_name)
        except uploads.UploadProblem as problem:
            return _json_errors(400, {problem.field: f"{problem.problem}: {problem.fix}"})
        except ArticleError as error:
            return _json_errors(400, {_field_for(error): _article_message(error)})
        maker.submit(job.id)
        response = jsonify({"id": job.id, "status": job.api_state,
                            "url": url_for("api_handout", job_id=job.id, _external=True)})
        response.headers["Location"] = url_for("api_handout", job_id=job.id)
        return response, 202

    @app.get("/api/handouts")
    def api_list() -> Response:
        return jsonify({"handouts": [_job_json(library, job) for job in library.all()]})

    @app.get("/api/handouts/<job_id>")
    def api_handout(job_id: str) -> Response:
        return jsonify(_job_json(library, _job(library, job_id)))

    @app.get("/api/handouts/<job_id>/zip")
    def api_zip(job_id: str) -> Response:
        return _zip(library, _job(library, job_id))

    # ---------------------------------------------------------------- errors people can read

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        code = error.code or 500
        if isinstance(error, RequestEntityTooLarge):
            message = (f"The file is larger than the {serve.upload_limit_mb} MB the app accepts. "
                       "Save the document without large pictures, or split it, and send it again.")
        else:
            message = error.description if code in (400, 403, 409) else _ERROR_TEXT.get(code, error.description)
        if request.path.startswith("/api/"):
            return _json_error(code, message, ""), code
        return render_template("error.html", code=code, title=_ERROR_TITLES.get(code, "Something went wrong"),
                               message=message), code

    return app


_ERROR_TITLES = {400: "The request could not be used", 401: "Sign in first", 403: "Refused", 404: "Page not found",
                 409: "Not now", 413: "The file is too large", 405: "Not allowed here"}
_ERROR_TEXT = {404: "There is no page or handout at this address. It may have been deleted.",
               401: "Sign in with the staff password to use the app.",
               405: "This address does not take that kind of request."}


# ---------------------------------------------------------------- helpers of the views

# Staff's work on a plain version, kept but not yet saved; earlier saved versions.
PLAIN_WORK = "plain-work.md"
PLAIN_VERSIONS = "plain-versions"


def _job_document(library: Library, job: Job) -> Any:
    from ..readers import read_article

    try:
        return read_article(library.source_path(job))
    except ArticleError as error:
        abort(409, f"The article cannot be read any more ({error.problem}). Send it again.")


def _write_text(path: Path, text: str) -> None:
    from ..manifest import write_atomically

    write_atomically(path, text)


def _save_plain(library: Library, job: Job, document: Any, text: str) -> None:
    """Write the plain edition beside the article, keeping the one it replaces."""
    from datetime import UTC, datetime

    from ..readers.markdown import plain_edition_path

    target = plain_edition_path(library.source_path(job), document.slug)
    if target.is_file():
        versions = library.root / job.id / PLAIN_VERSIONS
        versions.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        os.replace(target, versions / f"{stamp}-{secrets.token_hex(2)}.plain.md")
    _write_text(target, text)


def _facts_sentence(facts: Any) -> str:
    parts = []
    if facts.dropped:
        parts.append("leaves out " + ", ".join(f"“{fact.text}”" for fact in facts.dropped))
    if facts.added:
        parts.append("adds " + ", ".join(f"“{fact.text}”" for fact in facts.added) + ", which the article never says")
    return " and ".join(parts)


def _said(analysis: Any) -> str:
    """One sentence a screen reader announces when the figures change."""
    grade = "not measured" if analysis.grade != analysis.grade else f"grade {analysis.grade:.1f}"
    facts = "every fact kept" if analysis.facts.ok else (
        f"{len(analysis.facts.dropped)} fact{'s' if len(analysis.facts.dropped) != 1 else ''} left out, "
        f"{len(analysis.facts.added)} added")
    return f"Reading level {grade}, target {analysis.target:g}. {facts.capitalize()}."



def _hostname(host: str) -> str:
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _local_path(target: str | None) -> bool:
    """Whether ``target`` is a path on this site (never another site, never a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _secret_key(root: Path) -> bytes:
    """The key that signs staff sessions: made once per library, readable only by the server's user."""
    path = root / ".session-key"
    if not path.exists():
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(32))
    return path.read_bytes()


def _api_caller(staff: Staff) -> str | None:
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


def _json_error(code: int, problem: str, fix: str) -> Response:
    response = jsonify({"errors": [{"problem": problem, "fix": fix}]})
    response.status_code = code
    return response


def _json_errors(code: int, errors: dict[str, str]) -> tuple[Response, int]:
    return jsonify({"errors": [{"field": field, "problem": text} for field, text in errors.items()]}), code


def _job(library: Library, job_id: str) -> Job:
    job = library.get(job_id)
    if job is None:
        abort(404)
    return job


def _job_options(job: Job, fallback: Options) -> Options:
    stored = job.options
    return Options(formats=tuple(stored.get("formats", fallback.formats)), paper=stored.get("paper", fallback.paper),
                   print_size=int(stored.get("print_size", fallback.print_size)),
                   voice=stored.get("voice", fallback.voice) or "",
                   braille_grade=grade_option(stored.get("braille_grade", fallback.braille_grade)),
                   check=bool(stored.get("check", fallback.check)))


def _read_options(form: Any, fallback: Options, api: bool = False) -> tuple[Options, dict[str, str]]:
    """The options of a form (or API call), with an error per field that is wrong.

    The HTML form always sends its checkboxes' group (``options-sent``), so an
    empty group means nothing was ticked; an API call that leaves an option
    out gets the server's default.
    """
    errors: dict[str, str] = {}
    sent = api is False and form.get("options-sent") == "1"
    formats = tuple(name for name in FORMATS if name in form.getlist("formats"))
    unknown = [name for name in form.getlist("formats") if name not in FORMATS]
    if unknown:
        errors["formats"] = f"There is no format called “{unknown[0]}”: choose from {', '.join(FORMATS)}"
    if not formats:
        if sent:
            errors["formats"] = "Choose at least one kind of handout to make"
        formats = fallback.formats
    paper = form.get("paper") or fallback.paper
    if paper not in PAPER_SIZES:
        errors["paper"] = "Choose Letter or A4 paper"
    size_text = form.get("print_size") or str(fallback.print_size)
    print_size = int(size_text) if size_text.isdigit() else 0
    if print_size not in PRINT_SIZES:
        errors["print_size"] = "Choose 18 point or 24 point print"
        print_size = fallback.print_size
    grade_text = form.get("braille_grade") or str(fallback.braille_grade or "auto")
    braille_grade = grade_option(grade_text) if grade_text in ("1", "2", "auto") else fallback.braille_grade
    if grade_text not in ("1", "2", "auto"):
        errors["braille_grade"] = "Choose grade 1 or grade 2 braille, or the usual grade for the language"
    voice = (form.get("voice") or "").strip()
    if len(voice) > 200 or "/" in voice or "\\" in voice:
        errors["voice"] = "Choose a voice from the list"
        voice = ""
    if api:
        check_text = form.get("check")
        check = fallback.check if check_text is None else check_text.lower() in ("1", "true", "yes", "on")
    else:
        check = form.get("check") == "1" if sent else fallback.check
    return Options(formats, paper, print_size, voice, braille_grade, check), errors


def _article_from_request(req: Any, serve: ServeSettings) -> uploads.Article:
    """The article sent as a file (field ``article``) or pasted text (field ``text``)."""
    upload = req.files.get("article")
    pasted = (req.form.get("text") or "").strip()
    title, lang = req.form.get("title", ""), req.form.get("lang", "")
    disclaimer = req.form.get("disclaimer", "")
    if upload is not None and upload.filename and pasted:
        raise uploads.UploadProblem("text", "Both a file and pasted text were given",
                                    "keep one: clear the pasted text, or choose no file")
    if upload is not None and upload.filename:
        data = upload.read()
        kind = uploads.recognise(data)
        if kind == uploads.WORD_KIND:
            return uploads.word_article(data, title, "Word document")
        text = data.decode("utf-8-sig")
        return uploads.text_article(text, title, lang, disclaimer, "text file")
    if pasted:
        return uploads.text_article(pasted, title, lang, disclaimer, "pasted text")
    raise uploads.UploadProblem("article", "No article was given",
                                "choose the article's file, or paste its text in the box below")


def _accept(library: Library, article: uploads.Article, options: Options, serve: ServeSettings,
            made_by: str | None) -> Job:
    """Read the article as a build would (its errors reach the form), then store the job."""
    from ..readers import read_article

    word_lists = _word_lists(serve.word_lists)
    with tempfile.TemporaryDirectory(prefix="handout-upload-") as scratch:
        folder = Path(scratch)
        (folder / article.file_name).write_bytes(article.data)
        for name, data in word_lists.items():
            (folder / name).write_bytes(data)
        try:
            document = read_article(folder / article.file_name)
        except ArticleError as error:
            line = error.line - article.line_offset if error.line else None
            raise ArticleError(Path(article.file_name), error.problem, error.fix,
                               line if line and line > 0 else None) from None
    # A Word document sent without a title is named after the title inside it.
    slug = uploads.slug_for(document.title) if article.slug == "handout" else article.slug
    file_name = f"{slug}{Path(article.file_name).suffix}"
    job = Job(id=library.new_id(slug), title=document.title, slug=slug, lang=document.lang, article=file_name,
              received_as=article.received_as,
              options=options.to_dict(), made_by=made_by,
              warnings=[*article.warnings, *(str(w) for w in getattr(document, "warnings", ()))],
              sample=_sample_sentence(_first_text(document), document.lang))
    return library.create(job, article.data, word_lists)


def _word_lists(folder: Path) -> dict[str, bytes]:
    """The glossary, plain-words lists and lexicons every uploaded article is read with."""
    found: dict[str, bytes] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        name = path.name
        if path.is_file() and (name.startswith(("glossary", "plain-words")) and name.endswith(".yml")
                               or name.startswith("lexicon") and name.endswith(".txt")):
            found[name] = path.read_bytes()
    return found


def _first_text(document: Any) -> str:
    from ..model import section_texts

    return next((text for text in section_texts(document.sections) if text.strip()), document.title)


def _sample_sentence(text: str, lang: str) -> str:
    """A sentence of the article for a voice sample: its first, at most about 25 words."""
    from ..text.words import split_sentences

    sentences = split_sentences(" ".join(text.split())[:2000], lang) if text.strip() else []
    sentence = next((s for s in sentences if len(s.split()) >= 4), sentences[0] if sentences else "")
    words = sentence.split()
    if len(words) > 25:
        sentence = " ".join(words[:25])
    return sentence or SAMPLE_SENTENCES.get(lang.split("-")[0].lower(), SAMPLE_SENTENCES["en"])


def _field_for(error: ArticleError) -> str:
    problem = error.problem.lower()
    if "disclaimer" in problem:
        return "disclaimer"
    if "title" in problem:
        return "title"
    if "lang" in problem:
        return "lang"
    return "article"


def _article_message(error: ArticleError) -> str:
    where = f"Line {error.line}: " if error.line else ""
    problem = error.problem[:1].upper() + error.problem[1:] if not where else error.problem
    return f"{where}{problem}. {error.fix[:1].upper() + error.fix[1:]}"


def _job_json(library: Library, job: Job) -> dict[str, Any]:
    files = {kind: url_for("download", job_id=job.id, name=path.name, _external=True)
             for kind, path in library.files(job).items()}
    states = library.format_states(job)
    errors = [dict(error) for error in job.errors]
    known = {error.get("problem") for error in errors}
    for state in states:
        if state.state == "failed" and state.problem not in known:
            errors.append({"format": state.name, "problem": state.problem, "fix": state.fix})
    data: dict[str, Any] = {
        "id": job.id, "title": job.title, "lang": job.lang, "status": job.api_state,
        "created": job.created, "finished": job.finished,
        "formats": {state.name: state.state for state in states},
        "files": files, "errors": errors, "warnings": job.warnings,
        "zip": url_for("api_zip", job_id=job.id, _external=True),
        "page": url_for("handout", job_id=job.id, _external=True),
    }
    if job.check is not None:
        data["check"] = {key: value for key, value in job.check.items() if key != "failures"}
        if library.servable(job, "report.json") is not None:
            data["check"]["report"] = url_for("download", job_id=job.id, name="report.json", _external=True)
    return data


def _send(path: Path, attachment: bool) -> Response:
    mimetype = {".vtt": "text/vtt", ".brf": "text/plain", ".epub": "application/epub+zip",
                ".mp3": "audio/mpeg", ".json": "application/json"}.get(path.suffix) \
        or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, as_attachment=attachment, download_name=path.name,
                         conditional=True, max_age=0)
    if not attachment:
        response.headers["Content-Disposition"] = "inline"
    return response


def _zip(library: Library, job: Job) -> Response:
    """Every finished file of the handout, with its check report, as one zip."""
    files = {path.name: path for path in library.files(job).values()}
    for name in ("report.html", "report.json"):
        path = library.servable(job, name)
        if path is not None:
            files[name] = path
    if not files:
        abort(409, "None of these handouts is ready yet. Download them once they are made.")
    buffer = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in sorted(files.items()):
            archive.write(path, f"{job.slug}/{name}")
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=f"{job.slug}.zip")
