"""The page in a real browser: axe-core (light and dark), reflow at 320 px, the disclaimer seen."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from . import Finding, Recorder

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def chromium_path() -> str | None:
    """The Chromium the checks drive, if this machine has one."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


def check_in_browser(path: Path) -> list[Finding]:
    """axe-core's WCAG 2.2 AA rules in light and dark mode, and reflow at 320 CSS px."""
    record = Recorder("html", path)
    browser_path = chromium_path()
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright and axe-playwright-python are not installed"
    else:
        missing = "no Chromium on this machine (apt-get install chromium)" if browser_path is None else ""
    if missing:
        for name in ("axe (light)", "axe (dark)", "reflow at 320 px"):
            record.not_run(name, "0 violations", missing)
        return record.findings
    axe = Axe()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        try:
            for scheme in ("light", "dark"):
                page = browser.new_page(color_scheme=scheme)
                page.goto(path.resolve().as_uri())
                results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
                violations = results.response.get("violations", [])
                record.add(f"axe ({scheme})", not violations, f"{len(violations)} violations", "0 violations",
                           "; ".join(v["id"] for v in violations))
                page.close()
            page = browser.new_page(viewport={"width": 320, "height": 640})
            page.goto(path.resolve().as_uri())
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            record.add("reflow at 320 px", scroll <= client, f"{scroll} px wide in {client} px",
                       "no sideways scrolling")
            page.close()
        finally:
            browser.close()
    return record.findings
