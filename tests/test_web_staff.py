"""Staff changes apply at once: the staff file is read again when it changes, without a restart."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE, WebClient

from pipeline.web.staff import Staff

PASSWORD = "correct horse battery"


@pytest.fixture
def guarded(web_settings):  # type: ignore[no-untyped-def]
    from pipeline.web.app import create_app

    settings, serve = web_settings
    staff = Staff(serve.staff_file)
    staff.set_password(PASSWORD)
    token = staff.new_token("portal")
    staff.save()
    return WebClient(create_app(settings, serve)), token


def change(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    """What 'handout password' or 'handout token' does to the file while the app runs."""
    staff = Staff.load(path)
    edit(staff)
    staff.save()


def sign_in(web: WebClient, password: str) -> int:
    page = web.client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return web.client.post("/sign-in", data={"csrf_token": token, "password": password}).status_code


def download(web: WebClient, token: str) -> int:
    return web.client.get("/api/handouts", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_revoked_token_stops_working_at_the_next_request(guarded) -> None:  # type: ignore[no-untyped-def]
    web, token = guarded
    path = Path(web.app.config["SERVE"].staff_file)
    assert download(web, token) == 200
    change(path, lambda staff: staff.tokens.pop("portal"))
    assert download(web, token) == 401
    new = {}
    change(path, lambda staff: new.setdefault("token", staff.new_token("portal")))
    assert download(web, new["token"]) == 200
    upload = web.client.post("/api/handouts", data={"article": (io.BytesIO(HANDS_ARTICLE.encode()), "a.md")},
                             headers={"Authorization": f"Bearer {new['token']}"}, content_type="multipart/form-data")
    assert upload.status_code == 202


def test_a_new_password_counts_at_once_and_signs_out_the_old_one_s_sessions(guarded) -> None:  # type: ignore[no-untyped-def]
    web, _ = guarded
    path = Path(web.app.config["SERVE"].staff_file)
    assert sign_in(web, PASSWORD) == 303
    assert web.client.get("/").status_code == 200
    change(path, lambda staff: staff.set_password("a brand new password"))
    # The session signed in with the old password is over; the old password no longer signs in.
    assert web.client.get("/").status_code == 302
    other = WebClient(web.app)
    assert sign_in(other, PASSWORD) == 401
    assert sign_in(other, "a brand new password") == 303
    assert other.client.get("/").status_code == 200


def test_a_staff_file_that_disappears_locks_everyone_out_rather_than_opening_the_app(guarded) -> None:  # type: ignore[no-untyped-def]
    web, token = guarded
    path = Path(web.app.config["SERVE"].staff_file)
    os.unlink(path)
    assert download(web, token) == 401
    assert web.client.get("/").status_code == 302
    assert sign_in(web, PASSWORD) == 401
    change(path, lambda staff: staff.set_password("the password again"))
    assert sign_in(WebClient(web.app), "the password again") == 303


def test_an_unchanged_file_is_not_read_again(guarded, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    web, token = guarded
    assert download(web, token) == 200
    monkeypatch.setattr(Staff, "load", classmethod(lambda cls, path: pytest.fail("read again unchanged")))
    for _ in range(3):
        assert download(web, token) == 200
