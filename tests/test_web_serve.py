"""``handout serve`` as staff start it: the real server process on loopback, killed and started again."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE, ROOT

from pipeline.web.serve import is_loopback


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", str(port), "--out", str(folder / "out"),
         "--word-lists", str(ROOT / "source"), "--staff-file", str(folder / "staff.json"), *extra],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def answering(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


def api(port: int, path: str, data: bytes | None = None, content_type: str | None = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data)
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def submit(port: int, article: str, formats: tuple[str, ...]) -> str:
    boundary = "handout-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="article"; filename="a.md"\r\n'
             f"Content-Type: text/markdown\r\n\r\n{article}\r\n"]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="formats"\r\n\r\n{name}\r\n' for name in formats]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="check"\r\n\r\nfalse\r\n--{boundary}--\r\n')
    body = "".join(parts).encode()
    return api(port, "/api/handouts", body, f"multipart/form-data; boundary={boundary}")["id"]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_loopback_addresses() -> None:
    for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "192.168.1.20", "::", "clinic-pc"):
        assert not is_loopback(host), host


def test_listening_beyond_this_machine_needs_a_staff_password(tmp_path: Path) -> None:
    process = start(tmp_path, free_port(), "--host", "0.0.0.0")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "no staff password is set" in err and "handout password" in err
    assert not (tmp_path / "out" / "library").exists() or not any((tmp_path / "out" / "library").iterdir())


def test_behind_a_proxy_it_needs_a_staff_password_too(tmp_path: Path) -> None:
    process = start(tmp_path, free_port(), "--behind-proxy")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "behind a proxy" in err and "handout password" in err


def test_with_a_password_it_listens_on_every_address_and_asks_staff_to_sign_in(tmp_path: Path) -> None:
    from pipeline.web.staff import Staff

    staff = Staff(tmp_path / "staff.json")
    staff.set_password("a long staff password")
    staff.save()
    port = free_port()
    process = start(tmp_path, port, "--host", "0.0.0.0")
    try:
        answering(port, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.url.endswith("/sign-in?next=/") or "/sign-in" in response.url
            assert "Staff password" in response.read().decode()
    finally:
        stop(process)
    assert f"http://0.0.0.0:{port}/" in process.stderr.read()


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        process = start(tmp_path, holder.getsockname()[1])
        _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "cannot listen on that address" in err and "--port" in err


def test_a_killed_server_makes_every_accepted_handout_after_a_restart(tmp_path: Path) -> None:
    port = free_port()
    process = start(tmp_path, port, "--jobs", "1")
    try:
        answering(port, process)
        ids = [submit(port, HANDS_ARTICLE.replace("Washing", f"Washing {n}"), ("pdf", "html")) for n in range(3)]
        # Killed with everything it started while the first handout is being made.
        deadline = time.monotonic() + 120
        while api(port, f"/api/handouts/{ids[0]}")["status"] != "making":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    library = tmp_path / "out" / "library"
    states = {i: json.loads((library / i / "job.json").read_text())["state"] for i in ids}
    assert states[ids[0]] == "making" and {states[ids[1]], states[ids[2]]} == {"queued"}
    process = start(tmp_path, port, "--jobs", "1")
    try:
        answering(port, process)
        deadline = time.monotonic() + 240
        while any(api(port, f"/api/handouts/{i}")["status"] != "done" for i in ids):
            assert time.monotonic() < deadline, [api(port, f"/api/handouts/{i}") for i in ids]
            time.sleep(0.5)
        for i in ids:
            status = api(port, f"/api/handouts/{i}")
            assert set(status["files"]) == {"pdf", "html"}
            with urllib.request.urlopen(status["files"]["pdf"].replace("localhost", f"127.0.0.1:{port}")) as pdf:
                assert pdf.read().startswith(b"%PDF")
    finally:
        stop(process)
    first = json.loads((library / ids[0] / "job.json").read_text())
    assert first["interrupted"] == 1
    leftovers = [p for p in library.rglob("*") if p.name.startswith((".staging-", ".partial-", ".new-"))]
    assert not leftovers, leftovers


@pytest.mark.parametrize("command", [["password"], ["token", "portal"]])
def test_password_and_token_commands_keep_only_hashes(tmp_path: Path, command: list[str]) -> None:
    secret = "a long staff password\n"
    result = subprocess.run([sys.executable, "-m", "pipeline", *command, "--staff-file", str(tmp_path / "s.json")],
                            input=secret * 2, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    stored = (tmp_path / "s.json").read_text()
    assert (tmp_path / "s.json").stat().st_mode & 0o077 == 0, "only the server's user may read the hashes"
    if command[0] == "password":
        assert "a long staff password" not in stored and '"password": "scrypt:' in stored
    else:
        token = result.stdout.strip()
        assert len(token) > 30 and token not in stored and '"portal"' in stored


# ---------------------------------------------------------------- on a clinic network

PASSWORD = "a long staff password"


def staff_with_password(folder: Path) -> str:
    """A staff file with the password and an API token called 'portal'; returns the token."""
    from pipeline.web.staff import Staff

    staff = Staff(folder / "staff.json")
    staff.set_password(PASSWORD)
    token = staff.new_token("portal")
    staff.save()
    return token


def exchange(connection: http.client.HTTPConnection, method: str, path: str, body: str | bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def sign_in_page(connection: http.client.HTTPConnection) -> tuple[str, str, http.client.HTTPMessage]:
    """(session cookie, CSRF token, headers) of the sign-in page."""
    status, headers, page = exchange(connection, "GET", "/sign-in")
    assert status == 200, page[:300]
    cookie = headers["Set-Cookie"].split(";")[0]
    return cookie, re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode(), headers


def post_form(connection: http.client.HTTPConnection, path: str, fields: dict[str, str], cookie: str,
              origin: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    return exchange(connection, "POST", path, urllib.parse.urlencode(fields),
                    {"Cookie": cookie, "Origin": origin, "Content-Type": "application/x-www-form-urlencoded"})


NGINX_CONF = """daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 25m;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost;
        ssl_certificate {folder}/cert.pem;
        ssl_certificate_key {folder}/key.pem;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
        }}
    }}
}}
"""


@pytest.fixture
def proxied(tmp_path: Path):  # type: ignore[no-untyped-def]
    """``handout serve --behind-proxy`` behind nginx over TLS (a self-signed certificate for localhost).

    Yields (port of the proxy, SSL context trusting its certificate, API token).
    """
    assert shutil.which("nginx"), "the proxy test needs nginx: install nginx-light (make system does)"
    token = staff_with_password(tmp_path)
    proxy_folder = tmp_path / "proxy"
    proxy_folder.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(proxy_folder / "key.pem"),
                    "-out", str(proxy_folder / "cert.pem")], check=True, capture_output=True, timeout=60)
    app_port, proxy_port = free_port(), free_port()
    (proxy_folder / "nginx.conf").write_text(NGINX_CONF.format(folder=proxy_folder, port=proxy_port,
                                                               app_port=app_port), encoding="utf-8")
    app = start(tmp_path, app_port, "--behind-proxy")
    nginx = subprocess.Popen(["nginx", "-p", str(proxy_folder), "-c", str(proxy_folder / "nginx.conf"),
                              "-e", "stderr"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        answering(app_port, app)
        context = ssl.create_default_context(cafile=str(proxy_folder / "cert.pem"))
        deadline = time.monotonic() + 30
        while True:
            assert nginx.poll() is None, nginx.communicate()
            try:
                with socket.create_connection(("127.0.0.1", proxy_port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen"
                time.sleep(0.1)
        yield proxy_port, context, token
    finally:
        stop(nginx)
        stop(app)


def through_proxy(port: int, context: ssl.SSLContext, source: str = "127.0.0.1") -> http.client.HTTPSConnection:
    """A connection to the proxy from ``source``, one of this machine's loopback addresses."""
    return http.client.HTTPSConnection("localhost", port, context=context, timeout=60, source_address=(source, 0))


def test_behind_a_real_tls_proxy_sign_in_forms_cookies_links_and_the_throttle_work(proxied) -> None:  # type: ignore[no-untyped-def]
    port, context, token = proxied
    origin = f"https://localhost:{port}"
    # Someone at 127.0.0.2 guesses the password five times and must then wait ...
    guesser = through_proxy(port, context, "127.0.0.2")
    cookie, csrf, _ = sign_in_page(guesser)
    for _ in range(5):
        status, _, page = post_form(guesser, "/sign-in", {"csrf_token": csrf, "password": "a wrong guess"}, cookie,
                                    origin)
        assert status == 401 and b"not the staff password" in page, page[:300]
    status, _, page = post_form(guesser, "/sign-in", {"csrf_token": csrf, "password": PASSWORD}, cookie, origin)
    assert status == 401 and b"Too many wrong passwords" in page
    # ... but a nurse at 127.0.0.1, through the same proxy, signs in at once.
    nurse = through_proxy(port, context)
    cookie, csrf, headers = sign_in_page(nurse)
    assert "Secure" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
    status, headers, page = post_form(nurse, "/sign-in", {"csrf_token": csrf, "password": PASSWORD, "name": "Ana",
                                                          "next": "/"}, cookie, origin)
    assert status == 303, page[:500]
    cookie = headers["Set-Cookie"].split(";")[0]
    status, _, page = exchange(nurse, "GET", "/", headers={"Cookie": cookie})
    assert status == 200 and b"Sign out (Ana)" in page
    csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    status, headers, page = post_form(nurse, "/handouts", {"csrf_token": csrf, "text": HANDS_ARTICLE}, cookie, origin)
    assert status == 303 and headers["Location"].startswith("/handouts/"), page[:500]
    # A form posted from the plain-http address is refused: the Origin is checked against https.
    status, _, _ = post_form(nurse, "/handouts", {"csrf_token": csrf, "text": HANDS_ARTICLE}, cookie,
                             f"http://localhost:{port}")
    assert status == 403
    # The API's links are the https ones staff and programs use.
    portal = through_proxy(port, context)
    status, _, body = exchange(portal, "POST", "/api/handouts", urllib.parse.urlencode({"text": HANDS_ARTICLE}),
                               {"Authorization": f"Bearer {token}",
                                "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 202, body[:300]
    assert json.loads(body)["url"].startswith(f"{origin}/api/handouts/")


def test_150_idle_connections_do_not_keep_a_signed_in_member_of_staff_out(tmp_path: Path) -> None:
    staff_with_password(tmp_path)
    port = free_port()
    process = start(tmp_path, port)
    idle: list[socket.socket] = []
    try:
        answering(port, process)
        nurse = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        cookie, csrf, _ = sign_in_page(nurse)
        status, headers, _ = post_form(nurse, "/sign-in", {"csrf_token": csrf, "password": PASSWORD}, cookie,
                                       f"http://127.0.0.1:{port}")
        assert status == 303
        cookie = headers["Set-Cookie"].split(";")[0]
        nurse.close()
        for _ in range(150):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        # A new connection, as a browser opens one to load the page (waitress used to accept 100 and
        # keep idle ones two minutes, so this one waited its turn for over two minutes).
        nurse = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, _, page = exchange(nurse, "GET", "/", headers={"Cookie": cookie})
        assert status == 200 and b"Make a handout" in page
    finally:
        for connection in idle:
            connection.close()
        stop(process)
