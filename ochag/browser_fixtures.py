"""Browser-test fixtures: Playwright driving Debian's Chromium against the live server.

Never a downloaded browser: the executable is /usr/bin/chromium (or OCHAG_CHROMIUM).
Every page a browser test visits can be checked with :func:`axe_check`, which fails on
serious or critical accessibility violations.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from ochag.access.middleware import SESSION_KEY
from ochag.access.models import User

CHROMIUM = os.environ.get("OCHAG_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body are still synchronous, so the guard against async contexts is lifted for these tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_check(page: Page) -> None:
    """Fail when axe finds serious or critical violations on the current page."""
    results = _AXE.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:5]
        )
        for v in blocking
    )
    assert not blocking, f"Accessibility violations on {page.url}:\n{details}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/system-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    # A CSP violation or a script error on any page fails the test.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Name the failing resource: the console only says "Failed to load resource".
    page.on(
        "requestfinished",
        lambda req: (
            errors.append(f"{req.resource_type} {req.method} {req.url}: {resp.status}")
            if (resp := req.response()) is not None and resp.status >= 400
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, f"Browser console errors: {errors}"


@pytest.fixture
def live_login(live_server: Any) -> Callable[[Page, User], None]:
    """Sign ``user`` in by session cookie (two-factor step passed), as the login flow would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
    from django.contrib.auth import SESSION_KEY as AUTH_KEY
    from django.contrib.sessions.backends.db import SessionStore

    def login(page: Page, user: User) -> None:
        # Leave the previous user's page first: a request of it still in flight (a form's
        # redirect, the session keep-alive) could answer with that user's session cookie
        # after the new one is set, and the next page would be the previous user's (seen
        # once in CI as a 403 on a page only the new user may open).
        page.goto("about:blank")
        page.context.clear_cookies()
        session = SessionStore()
        session[AUTH_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SESSION_KEY] = user.pk
        session.create()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key or "",
                    "url": live_server.url,
                }
            ]
        )

    return login
