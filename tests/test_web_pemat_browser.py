"""The PEMAT-P form on the handout page in a real browser: keyboard alone, axe 0, no sideways scrolling at 320 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE
from test_web_browser import Served, axe_violations, browser, focused_class, open_page, tab_to  # noqa: F401 - browser: a fixture

from pipeline.web.jobs import Job

if False:  # pragma: no cover - for the type checker only
    from playwright.sync_api import Browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_answering_the_pemat_items_with_the_keyboard_alone(browser: Browser, tmp_path: Path,  # noqa: F811
                                                          javascript: bool) -> None:
    served = Served(tmp_path, start_maker=False, formats=("html",))
    try:
        job = served.library.create(Job(id="hands-0001", title="Washing Your Hands", slug="hands", lang="en",
                                        article="hands.md", received_as="pasted text",
                                        options={"formats": ["html"], "check": False}, state="done"),
                                    HANDS_ARTICLE.encode())
        page = open_page(browser, f"{served.url}/handouts/{job.id}", javascript=javascript)
        assert "items judged" in page.inner_text("#pemat")
        assert axe_violations(page) == [], "the form unanswered"
        # Sent with nothing chosen: the error is named and summarised, focus on the summary.
        tab_to(page, "#pemat button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Choose an answer for at least one item" in page.inner_text("main")
        if javascript:
            assert "error-summary" in focused_class(page)
        assert axe_violations(page) == [], "the form with an error"
        tab_to(page, "#item-1-1")
        page.keyboard.press("Space")
        tab_to(page, "#item-10-1")
        page.keyboard.press("ArrowDown")  # the next choice of the group: Disagree
        assert page.evaluate("document.getElementById('item-10-2').checked")
        tab_to(page, "#pemat button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Your PEMAT-P answers are kept with the handout." in page.inner_text("main")
        assert "Item 10:" in page.inner_text("#pemat")
        assert axe_violations(page) == [], "the answers kept"
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.context.close()
    finally:
        served.close()
