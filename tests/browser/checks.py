"""What every browser test checks on each page it visits: axe-core, the 390 px layout, the CSP; and a screenshot."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page

from devstack.portal import PORTAL

ARTEFACTS = Path(os.environ.get("REGSYS_BROWSER_ARTEFACTS", Path(__file__).parent / "artefacts"))
AXE = PORTAL / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str | None:
    """$REGSYS_CHROMIUM, else Debian's chromium on PATH."""
    configured = os.environ.get("REGSYS_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return next((found for n in ("chromium", "chromium-browser") if (found := shutil.which(n))), None)


# the page's transitions that end (a button fading to its hover or focus colour takes 0.1 s): until they have,
# axe would measure a colour half-way and call its contrast too low (seen once in CI on a default button)
TRANSITIONS_DONE = """() => document.getAnimations().every(
    (a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)"""


def assert_accessible(page: Page, label: str) -> None:
    """axe-core over the page as it is once its transitions ended: no serious or critical WCAG 2.2 A/AA
    violation."""
    page.wait_for_function(TRANSITIONS_DONE, timeout=5000)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")  # through the DevTools protocol: the page's CSP stays on
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG!r}}}}})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{label}: axe found {bad}"


class Checked:
    """A browser context whose page is screenshotted and checked (axe, 390 px, CSP) at each `look`."""

    def __init__(self, context: BrowserContext, name: str) -> None:
        self.context, self.name = context, name
        self.page = context.new_page()
        self.csp_errors: list[str] = []
        self.page.on("console", self._console)
        self.shots = 0

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def look(self, label: str) -> Page:
        page = self.page
        page.wait_for_load_state("networkidle")
        self.shots += 1
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{self.name}-{self.shots:02d}-{label}")
        page.screenshot(path=str(ARTEFACTS / f"{safe}.png"), full_page=True)
        assert self.csp_errors == [], self.csp_errors
        width = page.viewport_size["width"] if page.viewport_size else 0
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert width > PHONE["width"] or overflow <= 0, f"{label}: the page scrolls sideways by {overflow}px"
        assert_accessible(page, label)
        return page


# how long work that arrives through the events (another role's decision, an activation) may take to show
ARRIVAL_SECONDS = 60


def until_shown(page: Page, target: Locator, refresh: str = "刷新", timeout: float = ARRIVAL_SECONDS) -> None:
    """Press the page's refresh button until `target` shows (work that arrives asynchronously)."""
    deadline = time.monotonic() + timeout
    while not target.first.is_visible():
        assert time.monotonic() < deadline, f"{target} never appeared"
        page.get_by_role("button", name=refresh).click()
        page.wait_for_timeout(500)
