"""Browser tests: Playwright for Python driving Debian's Chromium, against the test stack through its gateway.

No Chromium is a failure, never a skip (`make test` installs it when it can). Every page a test visits is
checked with axe-core (no serious or critical violation), must fit 390 px without sideways scrolling, and is
saved as a screenshot under tests/browser/artefacts/ (or $REGSYS_BROWSER_ARTEFACTS).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.checks import PHONE, Checked, chromium_path
from playwright.sync_api import Browser, sync_playwright

from devstack.portal import ensure_built
from devstack.stack import Stack
from e2e.journeys import Client, sign_in


@pytest.fixture(scope="session")
def built_portal() -> Path:
    return ensure_built()


@pytest.fixture(scope="session")
def gateway(built_portal: Path, running_stack: Stack) -> str:
    return running_stack.gateway_url


@pytest.fixture(scope="session")
def admin(running_stack: Stack) -> Client:
    return sign_in(running_stack, "admin", running_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"])


@pytest.fixture(scope="session")
def browser(gateway: str) -> Iterator[Browser]:
    # after the stack (its set-up runs asyncio; sync Playwright keeps an event loop in this thread)
    executable = chromium_path()
    if executable is None:
        pytest.fail(
            "no Chromium on this machine: `apt-get install chromium` (make test does it as root); "
            "the browser tests cannot run, and are not skipped"
        )
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        chromium = playwright.chromium.launch(executable_path=executable, args=args)
        yield chromium
        chromium.close()


@pytest.fixture
def visitor(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Checked]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    yield Checked(context, request.node.name)
    context.close()
