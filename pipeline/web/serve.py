"""``handout serve``: the web app on waitress, a production WSGI server, with its makers started."""

from __future__ import annotations

import ipaddress
import logging
import resource
import signal
from collections.abc import Callable
from typing import Any

from ..errors import ArticleError
from ..settings import ServeSettings, Settings

log = logging.getLogger(__name__)

# Threads answering requests; builds never run in them.
SERVER_THREADS = 8


def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(serve: ServeSettings, has_password: bool) -> None:
    """Refuse to listen beyond this machine without a staff password."""
    if (serve.behind_proxy or not is_loopback(serve.host)) and not has_password:
        where = "behind a proxy that other machines reach" if serve.behind_proxy else f"on {serve.host}"
        raise ArticleError(serve.staff_file, f"the app would listen {where}, where other machines can reach "
                           "it, but no staff password is set",
                           "set one with 'handout password' (it is kept only as a hash in "
                           f"{serve.staff_file}), or leave --host at 127.0.0.1 to use the app on this machine only")


def waitress_options(serve: ServeSettings) -> dict[str, Any]:
    """How waitress listens: its connection limits and, behind a proxy, whose forwarded headers it keeps."""
    options: dict[str, Any] = dict(
        host=serve.host, port=serve.port, threads=SERVER_THREADS,
        # Larger than the app's own limit, so an upload just over it gets the app's readable page.
        max_request_body_size=4 * serve.upload_limit_mb * 1024 * 1024,
        # Idle connections cost a file and no thread: allow many, and close the idle ones soon, so a
        # crowd of open connections cannot keep staff out (waitress: 100, and 120 s).
        connection_limit=serve.connection_limit, channel_timeout=serve.idle_timeout_s,
        cleanup_interval=max(1, min(30, serve.idle_timeout_s // 3)),
        ident="handout", _quiet=True)
    if serve.behind_proxy:
        # Waitress deletes X-Forwarded-* unless they come from a trusted proxy; from that one address
        # it keeps one hop of them, and the app's ProxyFix reads the same hop.
        options.update(trusted_proxy=serve.trusted_proxy, trusted_proxy_count=1,
                       trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
                       clear_untrusted_proxy_headers=True)
    return options


def allow_open_files(connections: int) -> None:
    """Let the server hold ``connections`` sockets besides its own files, as far as the system allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard),
                                                    hard))


def serve(settings: Settings, serve_settings: ServeSettings, announce: Callable[[str], None] = print) -> None:
    """Start the makers and serve the app until Ctrl-C (or SIGTERM); every accepted job is kept on disk."""
    import waitress

    from .app import create_app
    from .staff import Staff

    check_exposure(serve_settings, Staff.load(serve_settings.staff_file).has_password)
    if serve_settings.behind_proxy and not serve_settings.public_url and not serve_settings.hosts:
        log.warning("behind a proxy, the app answers only to the name %s: set [serve] public_url in handout.toml "
                    "(or --public-url) to the address staff open, or other names get 400", serve_settings.host)
    # Every sign-in attempt is logged, whatever else is.
    logging.getLogger("pipeline.web.signin").setLevel(logging.INFO)
    allow_open_files(serve_settings.connection_limit)
    app = create_app(settings, serve_settings)
    maker = app.config["MAKER"]
    maker.start()
    host = f"[{serve_settings.host}]" if ":" in serve_settings.host else serve_settings.host
    announce(f"Handouts for staff: http://{host}:{serve_settings.port}/  (library: {maker.library.root}; "
             "Ctrl-C stops)")

    def stop(*_: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        waitress.serve(app, **waitress_options(serve_settings))
    except KeyboardInterrupt:
        pass
    finally:
        maker.stop()
        app.config["SAMPLER"].close()
        app.config["READERS"].close()
