"""Build settings: defaults, then a settings file, then command-line options.

One function makes them and the result is frozen, so every stage sees the same
values and no module reads the environment on its own.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ArticleError

FORMATS = ("pdf", "html", "audio", "epub", "daisy", "braille")
PAPER_SIZES = ("letter", "a4")
PRINT_SIZES = (18, 24)
BRAILLE_GRADES = (1, 2)
SETTINGS_FILE = "handout.toml"
# The accents a bare "es" may be read in, and the tag each one stands for.
SPANISH_ACCENTS = {"latin-american": "es-419", "spain": "es-ES"}
# What Dask's client connects to: tcp:// or tls://, a host and a port.
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}")


@dataclass(frozen=True)
class Settings:
    out_dir: Path = Path("output")
    formats: tuple[str, ...] = FORMATS
    paper: str = "letter"
    print_size: int = 18
    rate: int = 150
    voice: str | None = None
    template_dir: Path | None = None
    force: bool = False
    jobs: int = 1
    # A Dask scheduler's address (tcp://HOST:PORT): build on that cluster instead of here.
    scheduler: str | None = None
    # The braille edition: cells a line and lines a page (BANA: 40 x 25), and grade 2 (contracted) or 1.
    braille_cells: int = 40
    braille_lines: int = 25
    # None: the grade usual for the article's language (1, uncontracted, for Spanish; 2 otherwise).
    braille_grade: int | None = None
    # SOURCE_DATE_EPOCH, for dates written into a file (the EPUB's modified date and zip times).
    source_date_epoch: int | None = None
    # The accent a bare "lang: es" is read in: "latin-american" (es-419, most US clinics' patients) or
    # "spain" (es-ES). A regional tag (es-MX, es-ES) always has its own.
    spanish_accent: str = "latin-american"

    def spoken_lang(self, lang: str) -> str:
        """The language tag a voice is chosen for: a bare "es" gets the accent set in ``spanish_accent``."""
        if lang.strip().lower() == "es":
            return SPANISH_ACCENTS[self.spanish_accent]
        return lang


@dataclass(frozen=True)
class ServeSettings:
    """How ``handout serve`` runs: where it listens and what it lets in (the ``[serve]`` table of handout.toml)."""

    host: str = "127.0.0.1"
    port: int = 8000
    # The folder whose glossary, plain-words list and lexicon every uploaded article uses.
    word_lists: Path = Path("source")
    # The staff password's and the API tokens' hashes (see pipeline.web.staff).
    staff_file: Path = Path("handout-staff.json")
    upload_limit_mb: int = 20
    # Check the handouts once made (handout check), unless staff untick it.
    check: bool = True
    # Served through a TLS proxy (nginx, Caddy): trust the X-Forwarded-For, -Proto and -Host headers of
    # requests from ``trusted_proxy`` (one hop), so the Origin check sees https://the-name-staff-type and the
    # sign-in limit counts each person's address, and send the session cookie over TLS only.
    behind_proxy: bool = False
    trusted_proxy: str = "127.0.0.1"
    # Connections open at once, and seconds an idle one is kept: many idle connections must not shut staff out.
    connection_limit: int = 500
    idle_timeout_s: int = 30
    # Handouts waiting to be made; past it, new ones are refused until the queue shortens.
    queue_limit: int = 100
    # Reading an article or analysing a plain version runs in a worker with this memory and time.
    reading_memory_mb: int = 1024
    reading_time_limit_s: int = 30
    # Voice samples being made or waiting at once (one per member of staff), and the bytes kept of them.
    voice_sample_queue: int = 4
    voice_sample_cache_mb: int = 50
    # A signed-in session ends after this many hours without a request, and this many after signing in.
    session_idle_hours: int = 8
    session_limit_hours: int = 12
    # The address staff and other systems reach the app at (https://handouts.clinic.example): links and
    # the API use it. Without it, links follow the request, whose Host must be the address the app
    # listens on or one of ``hosts``.
    public_url: str | None = None
    hosts: tuple[str, ...] = ()


# The [serve] numbers and the ranges they may take.
SERVE_RANGES = (
    ("connection_limit", 10, 10_000),
    ("idle_timeout_s", 5, 3600),
    ("queue_limit", 1, 100_000),
    ("reading_memory_mb", 256, 65_536),
    ("reading_time_limit_s", 1, 3600),
    ("voice_sample_queue", 1, 100),
    ("voice_sample_cache_mb", 1, 100_000),
    ("session_idle_hours", 1, 24 * 30),
    ("session_limit_hours", 1, 24 * 90),
)


def load_serve_settings(settings_file: Path | None = None, **given: Any) -> ServeSettings:
    """Defaults, then the settings file's ``[serve]`` table, then the options given."""
    values: dict[str, Any] = {}
    path = settings_file or (Path(SETTINGS_FILE) if Path(SETTINGS_FILE).exists() else None)
    if path is not None:
        table = _read_toml(path).get("serve", {})
        if not isinstance(table, dict):
            raise ArticleError(path, "'serve' must be a table", "write it as [serve] followed by key = value lines")
        known = {f.name for f in fields(ServeSettings)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ArticleError(path, f"unknown setting {unknown[0]!r} in [serve]",
                               f"use only {', '.join(sorted(known))}")
        values.update(table)
    values.update({k: v for k, v in given.items() if v is not None})
    for key in ("word_lists", "staff_file"):
        if key in values:
            values[key] = Path(values[key])
    if isinstance(values.get("hosts"), list):
        values["hosts"] = tuple(values["hosts"])
    serve = replace(ServeSettings(), **values)
    where = path or Path("command line")
    if not 1 <= serve.port <= 65535:
        raise ArticleError(where, f"port {serve.port} is out of range",
                           "choose a port between 1 and 65535 (8000 is usual)")
    if not 1 <= serve.upload_limit_mb <= 1024:
        raise ArticleError(where, f"an upload limit of {serve.upload_limit_mb} MB is out of range",
                           "choose between 1 and 1024 MB (20 is the default)")
    for key, low, high in SERVE_RANGES:
        value = getattr(serve, key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            default = getattr(ServeSettings(), key)
            raise ArticleError(where, f"{key} = {value!r} is out of range",
                               f"choose a whole number between {low} and {high} ({default} is the default)")
    _check_addresses(serve, where)
    try:
        ipaddress.ip_address(serve.trusted_proxy)
    except ValueError:
        raise ArticleError(where, f"trusted_proxy = {serve.trusted_proxy!r} is not an IP address",
                           "give the address the proxy connects from, such as 127.0.0.1") from None
    return serve


def _check_addresses(serve: ServeSettings, where: Path) -> None:
    """``public_url`` is an http(s) address with a host name; ``hosts`` a list of names."""
    if serve.public_url is not None:
        parts = urlsplit(str(serve.public_url))
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ArticleError(where, f"public_url = {serve.public_url!r} is not a web address",
                               "give the address staff open, such as https://handouts.clinic.example")
    if isinstance(serve.hosts, str) or not all(isinstance(name, str) and name for name in serve.hosts):
        raise ArticleError(where, f"hosts = {serve.hosts!r} is not a list of names",
                           'write it as hosts = ["handouts.clinic.example", "10.0.0.5"]')


def load_settings(settings_file: Path | None = None, **given: Any) -> Settings:
    """Defaults, overridden by the settings file, overridden by options given.

    Options whose value is None were not given on the command line and leave
    the file's or the default value alone.
    """
    values: dict[str, Any] = {}
    path = settings_file or (Path(SETTINGS_FILE) if Path(SETTINGS_FILE).exists() else None)
    if path is not None:
        values.update(_read_settings_file(path))
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        values.setdefault("source_date_epoch", int(epoch))
    values.update({k: v for k, v in given.items() if v is not None and v != ()})
    settings = replace(Settings(), **_coerce(values, path))
    _validate(settings, path)
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArticleError(path, "no such settings file", "check the path given to --config") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ArticleError(path, f"the settings file is not valid TOML ({error})",
                           "write each setting as key = value") from None


def _read_settings_file(path: Path) -> dict[str, Any]:
    data = _read_toml(path)
    data.pop("serve", None)  # the web app's own table (ServeSettings)
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ArticleError(path, f"unknown setting {unknown[0]!r}",
                           f"use only {', '.join(sorted(known))}")
    return data


def _coerce(values: dict[str, Any], path: Path | None) -> dict[str, Any]:
    out = dict(values)
    for key in ("out_dir", "template_dir"):
        if out.get(key) is not None:
            out[key] = Path(out[key])
    if "formats" in out:
        out["formats"] = tuple(dict.fromkeys(out["formats"]))
    return out


def _validate(settings: Settings, path: Path | None) -> None:
    where = path or Path("command line")
    for fmt in settings.formats:
        if fmt not in FORMATS:
            raise ArticleError(where, f"unknown format {fmt!r}", f"choose from {', '.join(FORMATS)}")
    if settings.paper not in PAPER_SIZES:
        raise ArticleError(where, f"unknown paper size {settings.paper!r}", "choose letter or a4")
    if settings.print_size not in PRINT_SIZES:
        raise ArticleError(where, f"print size {settings.print_size} is not offered",
                           f"choose one of {', '.join(map(str, PRINT_SIZES))}")
    if settings.spanish_accent not in SPANISH_ACCENTS:
        raise ArticleError(where, f"spanish_accent = {settings.spanish_accent!r} is not an accent the voices have",
                           f"choose {' or '.join(repr(name) for name in SPANISH_ACCENTS)}")
    if not 1 <= settings.jobs <= 64:
        raise ArticleError(where, f"--jobs {settings.jobs} is out of range", "choose between 1 and 64")
    if settings.scheduler is not None and not SCHEDULER_ADDRESS.fullmatch(settings.scheduler):
        raise ArticleError(where, f"{settings.scheduler!r} is not a scheduler address",
                           "give it as tcp://HOST:PORT, as 'dask scheduler' prints it (8786 is its usual port)")
    if not 20 <= settings.braille_cells <= 100:
        raise ArticleError(where, f"{settings.braille_cells} braille cells a line is out of range",
                           "choose between 20 and 100 (40 is the default; check the embosser's manual)")
    if not 10 <= settings.braille_lines <= 100:
        raise ArticleError(where, f"{settings.braille_lines} braille lines a page is out of range",
                           "choose between 10 and 100 (25 is the default; check the embosser's manual)")
    if settings.braille_grade is not None and settings.braille_grade not in BRAILLE_GRADES:
        raise ArticleError(where, f"braille grade {settings.braille_grade} is not offered",
                           "choose 2 (contracted) or 1 (uncontracted), or leave it out for the language's usual grade")
    if not 80 <= settings.rate <= 450:
        raise ArticleError(where, f"speaking rate {settings.rate} is out of range",
                           "choose between 80 and 450 words per minute (150 is the default)")
