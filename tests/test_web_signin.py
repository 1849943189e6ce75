"""Signing in: wrong guesses checked and counted in one step per address, and every attempt logged."""

from __future__ import annotations

import logging
import re
import threading
import time

import pytest
from conftest import WebClient

from pipeline.web.staff import Staff

PASSWORD = "correct horse battery"


@pytest.fixture
def guarded(web_settings) -> WebClient:  # type: ignore[no-untyped-def]
    from pipeline.web.app import create_app

    settings, serve = web_settings
    staff = Staff(serve.staff_file)
    staff.set_password(PASSWORD)
    staff.save()
    return WebClient(create_app(settings, serve))


def sign_in_token(client: WebClient) -> str:
    page = client.client.get("/sign-in").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_forty_wrong_passwords_at_once_get_five_checks(guarded: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[str] = []
    real = Staff.password_matches

    def slow_check(self: Staff, password: str) -> bool:
        checks.append(password)
        time.sleep(0.2)  # scrypt takes its time too: every guess is under way at once
        return real(self, password)

    monkeypatch.setattr(Staff, "password_matches", slow_check)
    clients = [WebClient(guarded.app) for _ in range(40)]
    tokens = [sign_in_token(client) for client in clients]
    start = threading.Barrier(40)
    answers: list[str] = []

    def guess(client: WebClient, token: str) -> None:
        start.wait()
        answers.append(client.client.post("/sign-in", data={"csrf_token": token, "password": "a wrong guess"})
                       .get_data(as_text=True))

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(checks) == 5
    assert sum("Too many wrong passwords" in answer for answer in answers) == 35
    # The right password, now, is refused too: the address must wait.
    right = clients[0].client.post("/sign-in", data={"csrf_token": tokens[0], "password": PASSWORD})
    assert right.status_code == 401 and len(checks) == 5


def test_every_sign_in_attempt_is_logged_without_the_password(guarded: WebClient,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pipeline.web.signin")
    token = sign_in_token(guarded)
    guarded.client.post("/sign-in", data={"csrf_token": token, "password": "hunter2 guess", "name": "Ana  Ruiz"})
    guarded.client.post("/sign-in", data={"csrf_token": "stale", "password": "hunter3 guess", "name": "Bo"})
    guarded.client.post("/sign-in", data={"csrf_token": token, "password": PASSWORD, "name": "Ana Ruiz"})
    lines = [record.getMessage() for record in caplog.records if record.name == "pipeline.web.signin"]
    assert len(lines) == 3, lines
    assert re.match(r"sign-in at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 from 127\.0\.0\.1, name 'Ana Ruiz': "
                    r"wrong password$", lines[0]), lines[0]
    assert lines[1].endswith("name 'Bo': refused: the form had expired")
    assert lines[2].endswith("name 'Ana Ruiz': signed in")
    assert not any(secret in line for line in lines for secret in ("hunter", PASSWORD))


def test_a_wait_is_per_address(guarded: WebClient) -> None:
    token = sign_in_token(guarded)
    for _ in range(5):
        guarded.client.post("/sign-in", data={"csrf_token": token, "password": "guess"},
                            environ_base={"REMOTE_ADDR": "192.0.2.7"})
    refused = guarded.client.post("/sign-in", data={"csrf_token": token, "password": PASSWORD},
                                  environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert refused.status_code == 401
    other = WebClient(guarded.app)
    allowed = other.client.post("/sign-in", data={"csrf_token": sign_in_token(other), "password": PASSWORD},
                                environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert allowed.status_code == 303
