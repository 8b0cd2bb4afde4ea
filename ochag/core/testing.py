"""Test helpers every app's tests may use (imported by tests only)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def page_queries(client: Client, url: str) -> int:
    """How many database queries one GET of ``url`` runs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def assert_queries_flat(
    client: Client, url: str, add_rows: Callable[[int], object], *, more: int = 5
) -> int:
    """Fail when the page at ``url`` runs more queries after ``add_rows(more)`` added rows.

    ``add_rows`` is called twice: once before the first count (a page with no rows may skip
    queries a page with some runs, which is not growth), and once between the two counts. The
    page is fetched once first to warm per-process caches (the configuration, content types).
    A page that queries once per row (a missing ``select_related``, a property that reads the
    database) shows a difference of at least ``more``. Returns the count, for a test that pins
    it as well.
    """
    add_rows(more)
    client.get(url)
    before = page_queries(client, url)
    add_rows(more)
    after = page_queries(client, url)
    assert after == before, f"{url}: {before} queries, {after} after {more} more rows"
    return after
