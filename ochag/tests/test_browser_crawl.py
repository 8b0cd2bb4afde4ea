"""Crawl the demo region in a real browser as each role, running axe on every page reached.

Pages are found by following the links a user actually sees, so every screen any app adds is
covered without listing it here. One page per URL pattern is enough: the same template with
another record adds nothing to an accessibility check.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.demo.generator import generate_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    "demo.coordinator",
    "demo.opeka",
    "demo.curator",
    "demo.school",
    "demo.analyst",
    "demo.helpline",
    "demo.kdn",
]
MAX_PAGES = 45
SKIP_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json")


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


@pytest.fixture
def demo_region(transactional_db: None) -> None:
    generate_region(seed=7, persons=400, staff=40)


@pytest.mark.parametrize("username", ROLES)
def test_every_reachable_page_is_accessible(
    browser_page: Page, live_login, live_server, demo_region: None, username: str
) -> None:
    page = browser_page
    live_login(page, User.objects.get(username=username))
    origin = urlsplit(live_server.url).netloc
    queue: deque[str] = deque(["/"])
    seen_patterns: set[str] = set()
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        # Ask first with the same cookies: downloads (PDF, CSV) are checked for their status
        # but not opened, since the browser's own viewer is not ours to test.
        probe = page.request.get(path)
        assert probe.status < 400, f"{username}: {path} answered {probe.status}"
        visited.append(path)
        if "html" not in (probe.headers.get("content-type") or ""):
            continue
        response = page.goto(path)
        assert response is not None
        assert response.status < 400, f"{username}: {path} answered {response.status}"
        axe_check(page)
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            url = urlsplit(urljoin(page.url, href))
            if (
                url.netloc != origin
                or url.path.endswith(SKIP_SUFFIXES)
                or (url.fragment and not url.path)
            ):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    assert len(visited) >= 2, f"{username} reached only {visited}"
