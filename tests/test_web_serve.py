"""``handout serve`` as staff start it: the real server process on loopback, killed and started again."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
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
