"""The staff web app: a small factory that joins the library, the maker and the views (blueprints).

People and programs see the same handouts at the same addresses:
``/handouts/ID`` is the page, ``/api/handouts/ID`` its JSON. Every task works
with plain forms and links (post, then redirect); the one script only adds
live progress and plays voice samples in place. The views live in
:mod:`pipeline.web.views`, one blueprint for each thing staff do.
"""

from __future__ import annotations

import logging
from functools import partial
from importlib.metadata import version

from flask import Flask

from ..languages import languages
from ..settings import FORMATS, PAPER_SIZES, PRINT_SIZES, ServeSettings, Settings
from . import errors, security
from .jobs import FORMAT_NAMES, Library, Maker
from .parsing import ReadingWorkers
from .previews import PdfPreview, VoiceSampler
from .services import Services
from .sessions import SessionStore
from .signin import SignInThrottle
from .staff import StaffFile
from .views import api, handouts, pemat, pictures, staff, voices, workbench

log = logging.getLogger(__name__)

# Worker processes that read articles and analyse plain versions for the requests (one per core here).
READING_WORKERS = 2

# The language list of "Make a handout": every tag each language's folder offers.
LANGUAGES = tuple(tag for language in languages().values() for tag in language.offered)
STATE_WORDS = {
    "queued": "Waiting",
    "making": "Being made",
    "checking": "Being checked",
    "done": "Done",
    "failed": "Failed",
}


def sentence(text: object) -> str:
    """``text`` with a capital first."""
    words = str(text)
    return words[:1].upper() + words[1:]


def full_sentence(text: object) -> str:
    """``text`` as a sentence: a capital first, and a full stop unless it ends in one already (inside a quote too)."""
    words = sentence(str(text).strip())
    return words if words.rstrip("”’\"')»").endswith((".", "!", "?", "…", "。", "！", "？")) else words + "."


def create_app(settings: Settings, serve: ServeSettings, *, maker: Maker | None = None,
               library: Library | None = None) -> Flask:
    """The web app over the library in ``settings.out_dir / "library"``.

    The caller starts ``app.config["MAKER"]`` (``handout serve`` does); tests
    may pass their own.
    """
    app = Flask(__name__)
    library = library or Library(settings.out_dir / "library")
    readers = ReadingWorkers(READING_WORKERS, serve.reading_memory_mb, serve.reading_time_limit_s)
    sampler = VoiceSampler(library.root / ".voice-samples", settings.rate, queue_limit=serve.voice_sample_queue,
                           spoken_lang=settings.spoken_lang,
                           cache_bytes=serve.voice_sample_cache_mb * 1024 * 1024)
    services = Services(
        settings=settings, serve=serve, library=library, maker=maker, staff_file=StaffFile(serve.staff_file),
        throttle=SignInThrottle(), previews=PdfPreview(library.root / ".previews"), sampler=sampler,
        readers=readers, sessions=SessionStore(serve.session_idle_hours * 3600, serve.session_limit_hours * 3600))
    services.maker = maker or Maker(library, settings, workers=settings.jobs, queue_limit=serve.queue_limit,
                                    read=partial(services.read_article, patient=True))
    maker = services.maker
    app.extensions["handout"] = services
    app.config.update(
        SECRET_KEY=security.secret_key(library.root),
        MAX_CONTENT_LENGTH=serve.upload_limit_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="handout_session",
        MAKER=maker,
        LIBRARY=library,
        SAMPLER=sampler,
        READERS=readers,
        SERVE=serve,
        SETTINGS=settings,
    )
    if serve.behind_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
        app.config["SESSION_COOKIE_SECURE"] = True
    app.jinja_env.filters["sentence"] = sentence
    app.jinja_env.filters["full_sentence"] = full_sentence
    app.jinja_env.globals.update(format_names=FORMAT_NAMES, state_words=STATE_WORDS, languages=LANGUAGES,
                                 version=version("handout"), paper_sizes=PAPER_SIZES, print_sizes=PRINT_SIZES,
                                 all_formats=FORMATS)
    security.init_app(app)
    errors.init_app(app)
    for blueprint in (handouts.bp, api.bp, workbench.bp, voices.bp, staff.bp, pictures.bp, pemat.bp):
        app.register_blueprint(blueprint)
    return app
