"""The workbench's fact review in a real browser: keyboard alone, with and without JavaScript, axe in each state."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_web_browser import Served, axe_violations, browser, focused_class, open_page, tab_to  # noqa: F401 - browser is a fixture
from test_web_fact_review import ARTICLE, NO_DOSE

from pipeline.web.jobs import Job

# Where the states are kept as pictures for a person to look at, when asked (HANDOUT_SCREENSHOTS=folder).
SHOTS = os.environ.get("HANDOUT_SCREENSHOTS")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def replace_text(page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_button(page, value: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"button[value={value}]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_reviewing_a_dropped_dose_with_the_keyboard_alone(browser, tmp_path: Path, javascript: bool) -> None:  # type: ignore[no-untyped-def] # noqa: F811
    """Check, tick "I checked", save, confirm the dropped dose, save: the review is kept and shown."""
    served = Served(tmp_path, start_maker=False, formats=("html",))
    try:
        job = served.library.create(Job(id="bp-0001", title="Blood Pressure", slug="bp", lang="en", article="bp.md",
                                        received_as="pasted text", options={"formats": ["html"], "check": False},
                                        state="done"), ARTICLE.encode())
        js = "js" if javascript else "nojs"
        page = open_page(browser, f"{served.url}/handouts/{job.id}/plain", javascript=javascript)
        replace_text(page, "#plain-opening", NO_DOSE["plain-opening"])
        replace_text(page, "#plain-section-1", NO_DOSE["plain-section-1"])
        press_button(page, "check")
        fact = page.locator("input[name^=checked-]").get_attribute("name").removeprefix("checked-")
        assert "you will be asked to confirm" in page.inner_text(f"#review-{fact}")
        shot(page, f"1-flagged-{js}")
        assert axe_violations(page) == [], "a dropped dose flagged"

        tab_to(page, f"#checked-{fact}")
        page.keyboard.press("Space")
        tab_to(page, f"#note-{fact}")
        page.keyboard.type("strong means 60%")
        press_button(page, "save")
        assert "error-summary" in focused_class(page)
        assert f"the dropped dose “60%” ({fact})" in page.inner_text(".error-summary")
        assert not (served.library.root / job.id / "source" / "bp.plain.md").exists()
        shot(page, f"2-confirm-{js}")
        assert axe_violations(page) == [], "asked a second time"

        tab_to(page, f"#confirm-{fact}")
        page.keyboard.press("Space")
        press_button(page, "save")
        saved = (served.library.root / job.id / "source" / "bp.plain.md").read_text(encoding="utf-8")
        assert f"fact: {fact}" in saved and "note: strong means 60%" in saved

        served.library.update(job.id, lambda job: setattr(job, "state", "done"))
        page.goto(f"{served.url}/handouts/{job.id}/plain")
        assert f"{fact}: number “60%” (left out), reviewed by" in page.inner_text("#review-title + p + ul, main")
        shot(page, f"3-reviewed-{js}")
        assert axe_violations(page) == [], "the review shown"
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.context.close()
    finally:
        served.close()
