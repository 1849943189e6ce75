"""The plain-language page in a real browser: axe-core, contrast, reflow, text spacing, keyboard.

Runs Debian's Chromium through Playwright (``playwright install`` cannot fetch
browsers here, and CI installs chromium from apt). Skips only when no
Chromium is found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE, picture_document, seed_without_plain_edition

from pipeline.checks.browser import AXE_TAGS, CHROMIUM_ARGS, chromium_path
from pipeline.readers import read_article
from pipeline.renderers.html import page_html
from pipeline.settings import Settings

CHROMIUM = chromium_path()
if CHROMIUM is None:
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

SCHEMES = ("light", "dark")
# WCAG 1.4.12 text spacing, as the W3C's bookmarklet applies it.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _build_page(folder: Path, article: Path) -> Path:
    """The page for an article, rendered with an audio edition and captions beside it."""
    document = read_article(article)
    out = folder / "out"
    (out / document.slug).mkdir(parents=True)
    (out / document.slug / f"{document.slug}.vtt").write_text("WEBVTT\n", encoding="utf-8")
    settings = Settings(out_dir=out, formats=("html", "audio"))
    page = out / document.slug / f"{document.slug}.html"
    page.write_text(page_html(document, settings), encoding="utf-8")
    return page


def _build_picture_page(folder: Path) -> Path:
    """The page for an article with pictures: photos described and not, captioned, decorative, at a web address."""
    from dataclasses import replace

    # With the seed's disclaimer, which the tests of every page look for.
    document = replace(picture_document(folder), disclaimer=read_article(SEED_ARTICLE).disclaimer)
    out = folder / "out"
    (out / document.slug).mkdir(parents=True)
    (out / document.slug / f"{document.slug}.vtt").write_text("WEBVTT\n", encoding="utf-8")
    page = out / document.slug / f"{document.slug}.html"
    page.write_text(page_html(document, Settings(out_dir=out, formats=("html", "audio"))), encoding="utf-8")
    return page


@pytest.fixture(scope="module", params=["plain edition", "automatic draft", "pictures"])
def page_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(request.param.replace(" ", "-"))
    if request.param == "plain edition":
        return _build_page(folder, SEED_ARTICLE)
    if request.param == "pictures":
        return _build_picture_page(folder)
    return _build_page(folder, seed_without_plain_edition(folder))


def _open(browser: Browser, page_file: Path, *, scheme: str = "light", width: int = 1280,
          javascript: bool = True) -> Page:
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(page_file.as_uri())
    return page


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations(browser: Browser, page_file: Path, scheme: str) -> None:
    page = _open(browser, page_file, scheme=scheme)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    assert results.response["passes"], "axe ran no checks at all"
    assert not violations, results.generate_report()
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_text_contrast_is_at_least_7_to_1(browser: Browser, page_file: Path, scheme: str) -> None:
    # WCAG 1.4.6 (AAA): axe's color-contrast-enhanced rule, which the AA tags leave out.
    page = _open(browser, page_file, scheme=scheme)
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}})
    assert results.response["passes"], "the contrast rule checked nothing"
    assert not results.response["violations"], results.generate_report()
    page.context.close()


def test_dark_scheme_really_is_dark(browser: Browser, page_file: Path) -> None:
    page = _open(browser, page_file, scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 17, 17)"
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_reflows_at_320_css_pixels_without_sideways_scrolling(browser: Browser, page_file: Path,
                                                               scheme: str) -> None:
    page = _open(browser, page_file, scheme=scheme, width=320)
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page is {scroll} px wide in a {client} px window"
    page.context.close()


# Every text block: does its content fit its box, and does it stay clear of the next block?
CLIPPING_AND_OVERLAP = """() => {
  const blocks = [...document.querySelectorAll('h1, h2, h3, p, li, a, audio, footer, .notice')];
  const clipped = blocks.filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline'
                                      || el.scrollHeight > el.clientHeight + 1
                                         && getComputedStyle(el).display !== 'inline')
                        .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 60));
  const flow = [...document.querySelectorAll('h1, h2, h3, p, ul, ol, audio, section, footer')]
    .filter(el => !el.closest('.skip-link'));
  const overlaps = [];
  for (let i = 0; i + 1 < flow.length; i++) {
    const a = flow[i], b = flow[i + 1];
    if (a.contains(b) || b.contains(a)) continue;
    const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    if (rb.top < ra.bottom - 1) overlaps.push(a.tagName + ' / ' + b.tagName + ': ' + b.textContent.trim().slice(0, 60));
  }
  const root = document.documentElement;
  return {clipped, overlaps, scroll: root.scrollWidth, client: root.clientWidth};
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_text_spacing_overrides_clip_or_overlap_nothing(browser: Browser, page_file: Path, width: int) -> None:
    page = _open(browser, page_file, width=width)
    before = page.evaluate("document.body.innerText.length")
    page.add_style_tag(content=TEXT_SPACING_CSS)
    result = page.evaluate(CLIPPING_AND_OVERLAP)
    assert result["clipped"] == [], "text clipped with WCAG 1.4.12 spacing"
    assert result["overlaps"] == [], "blocks overlap with WCAG 1.4.12 spacing"
    assert result["scroll"] <= result["client"], "sideways scrolling with WCAG 1.4.12 spacing"
    assert page.evaluate("document.body.innerText.length") == before
    page.context.close()


def test_the_clipping_check_can_fail(browser: Browser, page_file: Path) -> None:
    # A fixed-height paragraph with overflow hidden is what the check exists to catch.
    page = _open(browser, page_file, width=320)
    page.add_style_tag(content=".disclaimer-text { height: 1em; overflow: hidden; }")
    assert page.evaluate(CLIPPING_AND_OVERLAP)["clipped"]
    page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_disclaimer_is_present_and_visible(browser: Browser, page_file: Path, scheme: str) -> None:
    document = read_article(SEED_ARTICLE)
    page = _open(browser, page_file, scheme=scheme, width=320)
    disclaimer = page.locator(".disclaimer-text")
    disclaimer.scroll_into_view_if_needed()
    assert disclaimer.is_visible()
    assert " ".join(disclaimer.inner_text().split()) == document.disclaimer.text
    size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.disclaimer-text')).fontSize)"))
    assert size >= 20, "the disclaimer is in smaller print than the text"
    assert page.get_by_role("region", name="Disclaimer").is_visible()
    page.context.close()


def test_type_is_large_with_generous_line_height_and_short_lines(browser: Browser, page_file: Path) -> None:
    page = _open(browser, page_file, width=1280)
    metrics = page.evaluate("""() => {
      const body = getComputedStyle(document.body);
      // Characters per rendered line, counted with a Range over each paragraph's text.
      let longest = 0;
      for (const el of document.querySelectorAll('main p, main li')) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const lines = new Map();
        while (walker.nextNode()) {
          const node = walker.currentNode;
          for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (!rect) continue;
            const top = Math.round(rect.top);
            lines.set(top, (lines.get(top) || 0) + 1);
          }
        }
        for (const count of lines.values()) longest = Math.max(longest, count);
      }
      const p = getComputedStyle(document.querySelector('main p'));
      return {fontSize: parseFloat(body.fontSize), lineHeight: parseFloat(p.lineHeight) / parseFloat(p.fontSize),
              longest, font: document.fonts.check('20px "Atkinson Hyperlegible"')};
    }""")
    assert metrics["fontSize"] >= 20
    assert metrics["lineHeight"] >= 1.5
    assert metrics["longest"] < 80, f"a line holds {metrics['longest']} characters"
    assert metrics["font"], "the embedded Atkinson Hyperlegible did not load"
    page.context.close()


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(browser: Browser, page_file: Path) -> None:
    page = _open(browser, page_file, width=320)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


def test_works_without_javascript_and_loads_nothing_from_elsewhere(browser: Browser, page_file: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page_file.as_uri())
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").is_visible()
    assert page.locator(".disclaimer-text").is_visible()
    outside = [url for url in requested if not url.startswith(("file:", "data:"))]
    assert outside == []
    context.close()


def test_audio_player_points_at_the_spoken_version(browser: Browser, page_file: Path) -> None:
    page = _open(browser, page_file)
    audio = page.get_by_role("region", name="Listen to this page").locator("audio")
    assert audio.get_attribute("controls") is not None
    slug = page_file.stem
    assert audio.evaluate("a => a.src").endswith(f"/{slug}.mp3")
    assert audio.evaluate("a => a.querySelector('track[kind=captions]').src").endswith(f"/{slug}.vtt")
    download = page.locator("a[download]")
    assert download.get_attribute("href") == f"{slug}.mp3"
    page.context.close()




def test_pictures_fit_the_column_keep_their_shape_and_load_from_the_page_itself(browser: Browser,
                                                                                tmp_path: Path) -> None:
    page_file = _build_picture_page(tmp_path)
    for width in (320, 1280):
        page = _open(browser, page_file, width=width)
        found = page.evaluate("""() => [...document.querySelectorAll('main img')].map(img => {
            const box = img.getBoundingClientRect(), main = document.querySelector('main').getBoundingClientRect();
            return {inside: box.left >= main.left - 1 && box.right <= main.right + 1, loaded: img.naturalWidth > 0,
                    ratio: box.width / box.height, natural: img.naturalWidth / img.naturalHeight,
                    src: img.currentSrc.slice(0, 5)};
        })""")
        assert len(found) == 4
        for image in found:
            assert image["inside"] and image["loaded"] and image["src"] == "data:"
            assert image["ratio"] == pytest.approx(image["natural"], rel=0.02)
        page.screenshot(path=str(tmp_path / f"pictures-{width}.png"), full_page=True)
        page.context.close()
