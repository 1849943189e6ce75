"""Sessions that end: a cookie replayed after sign-out, expiry or a new password gets the sign-in page;
links use the app's own address, and a request for another host name is refused."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner
from conftest import WebClient

from pipeline.web.staff import Staff

PASSWORD = "correct horse battery"
ARTICLE = {"text": "Wash your hands.\n\nDisclaimer: Ask us.", "title": "Hands"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def guarded(web_settings) -> tuple[WebClient, Clock]:  # type: ignore[no-untyped-def]
    from pipeline.web.app import create_app

    settings, serve = web_settings
    staff = Staff(serve.staff_file)
    staff.set_password(PASSWORD)
    staff.save()
    app = create_app(settings, serve)
    clock = Clock()
    app.extensions["handout"].sessions.clock = clock
    return WebClient(app), clock


def sign_in(web: WebClient, password: str = PASSWORD) -> str:
    """Sign in and return the session cookie, as someone copying it would."""
    page = web.client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = web.client.post("/sign-in", data={"csrf_token": token, "password": password, "name": "Ana"})
    assert response.status_code == 303
    cookie = web.client.get_cookie("handout_session")
    assert cookie is not None
    return cookie.value


def replay(web: WebClient, cookie: str) -> int | str:
    """What a fresh browser holding only ``cookie`` gets for the start page: 200, or where it is sent."""
    other = web.app.test_client()
    other.set_cookie("handout_session", cookie)
    response = other.get("/")
    return response.status_code if response.status_code != 302 else response.headers["Location"]


def test_a_cookie_replayed_after_sign_out_gets_the_sign_in_page(guarded) -> None:  # type: ignore[no-untyped-def]
    web, _ = guarded
    cookie = sign_in(web)
    assert replay(web, cookie) == 200
    page = web.client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert web.client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert replay(web, cookie) == "/sign-in?next=/"


def test_a_session_ends_when_idle_and_after_its_limit(guarded) -> None:  # type: ignore[no-untyped-def]
    web, clock = guarded
    cookie = sign_in(web)
    clock.now += 7.9 * 3600
    assert replay(web, cookie) == 200  # used within the idle time: still signed in
    clock.now += 8.1 * 3600
    assert replay(web, cookie) == "/sign-in?next=/"
    cookie = sign_in(web)
    for _ in range(3):  # kept busy, yet no longer than the limit
        clock.now += 3.9 * 3600
        assert replay(web, cookie) == 200
    clock.now += 0.4 * 3600
    assert replay(web, cookie) == "/sign-in?next=/"


def test_a_new_password_or_sign_out_everyone_ends_every_session(guarded, web_settings) -> None:  # type: ignore[no-untyped-def]
    from pipeline.cli import main

    web, _ = guarded
    staff_file = web_settings[1].staff_file
    cookie = sign_in(web)
    staff = Staff.load(staff_file)
    staff.set_password("another good password")
    staff.save()
    assert replay(web, cookie) == "/sign-in?next=/"
    cookie = sign_in(web, "another good password")
    assert replay(web, cookie) == 200
    result = CliRunner().invoke(main, ["password", "--sign-out-everyone", "--staff-file", str(staff_file)])
    assert result.exit_code == 0, result.output
    assert "Every staff session has ended" in result.output
    assert replay(web, cookie) == "/sign-in?next=/"
    assert Staff.load(staff_file).password_matches("another good password")  # the password stays


def test_links_use_the_public_address_and_other_host_names_get_400(web_settings) -> None:  # type: ignore[no-untyped-def]
    from pipeline.web.app import create_app

    settings, serve = web_settings
    public = WebClient(create_app(settings, replace(serve, public_url="https://handouts.clinic.example")))
    answer = public.client.post("/api/handouts", data=ARTICLE,
                                headers={"Host": "127.0.0.1:8000"})
    assert answer.status_code == 202, answer.get_data(as_text=True)
    assert json.loads(answer.data)["url"].startswith("https://handouts.clinic.example/api/handouts/")
    evil = public.client.get("/api/handouts", headers={"Host": "evil.example"})
    assert evil.status_code == 400
    assert "does not answer to the name 'evil.example'" in evil.get_data(as_text=True)
    assert public.client.get("/", headers={"Host": "handouts.clinic.example"}).status_code == 200
    # Without a public address, the names in [serve] hosts are answered too, and no other.
    named = WebClient(create_app(settings, replace(serve, hosts=("handouts.clinic.example",))))
    answer = named.client.post("/api/handouts", data=ARTICLE,
                               headers={"Host": "handouts.clinic.example"})
    assert json.loads(answer.data)["url"].startswith("http://handouts.clinic.example/api/handouts/")
    refused = named.client.post("/api/handouts", data=ARTICLE,
                                headers={"Host": "evil.example"})
    assert refused.status_code == 400


def test_behind_a_proxy_the_forwarded_host_is_the_one_checked(web_settings) -> None:  # type: ignore[no-untyped-def]
    from pipeline.web.app import create_app

    settings, serve = web_settings
    web = WebClient(create_app(settings, replace(serve, behind_proxy=True, hosts=("handouts.clinic.example",))))
    ok = web.client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "handouts.clinic.example"})
    assert ok.status_code == 200
    refused = web.client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"})
    assert refused.status_code == 400


def test_public_url_and_hosts_are_checked_in_the_settings_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.errors import ArticleError
    from pipeline.settings import load_serve_settings

    toml = tmp_path / "handout.toml"
    toml.write_text('[serve]\npublic_url = "handouts.clinic.example"\n', encoding="utf-8")
    with pytest.raises(ArticleError, match="is not a web address"):
        load_serve_settings(toml)
    toml.write_text('[serve]\npublic_url = "https://h.example"\nhosts = ["a.example"]\nsession_idle_hours = 2\n',
                    encoding="utf-8")
    serve = load_serve_settings(toml)
    assert serve.hosts == ("a.example",) and serve.session_idle_hours == 2
