"""Walk every URL pattern of the project: anonymous users are sent to the login page,
outsiders and unknown ids get 404 or 403, and nothing ever answers 500."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

SAMPLES = {
    "int": "999999",
    "str": "no-such-thing",
    "slug": "no-such-thing",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "path": "no/such/thing",
}
PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:  # a regex pattern; none of ours, Django's own static helpers only
            continue
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry.callback


def _concrete(route: str, value: str | None = None) -> str:
    return "/" + PARAM.sub(lambda m: value or SAMPLES.get(m.group("conv") or "str", "x"), route)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)), key=lambda item: item[0])


def _public(callback: Any) -> bool:
    return getattr(callback, "login_required", True) is False


@pytest.mark.parametrize(("route", "callback"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_is_sent_to_login_and_nothing_fails(db: None, route: str, callback: Any) -> None:
    path = _concrete(route)
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code < 500, f"{path} answered {response.status_code}"
    if route.startswith("api/") or _public(callback):
        return
    assert response.status_code == 302, f"{path} answered {response.status_code} to anonymous"
    assert response["Location"].startswith("/account/login/")


@pytest.mark.parametrize(("route", "callback"), ROUTES, ids=[r for r, _ in ROUTES])
@pytest.mark.parametrize("who", ["worker_b", "analyst"])
def test_outsiders_and_unknown_ids_never_fail(
    cast: Any, client_for: Any, route: str, callback: Any, who: str
) -> None:
    client: Client = client_for(getattr(cast, who))
    client.raise_request_exception = False
    has_params = bool(PARAM.search(route))
    # Unknown ids, and small ids that probably exist but belong to someone else.
    for value in [None, "1", "2", "3"] if has_params else [None]:
        path = _concrete(route, value)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code < 500, (
                f"{method.upper()} {path} answered {response.status_code}"
            )
        if has_params and value is None and not route.startswith("api/"):
            status = client.get(path).status_code
            assert status in (404, 403, 405), f"{path} with an unknown id answered {status}"


# Every query parameter the views read, plus the table filters' usual names; each gets a NUL
# byte (PostgreSQL text cannot hold one), a lone surrogate's escape and an absurd page.
HOSTILE_KEYS = (
    "q", "page", "sort", "order", "person", "signal", "keep", "edit", "next", "status",
    "colour", "track", "channel", "agency", "territory", "municipality", "role", "action",
    "actor", "kind", "from", "to", "date", "year", "region", "assignee", "overdue",
    "step", "reason", "text", "name", "comment", "confirm_different", "per_page",
)  # fmt: skip


@pytest.mark.parametrize(("route", "callback"), ROUTES, ids=[r for r, _ in ROUTES])
@pytest.mark.parametrize("value", ["%00", "%ED%A0%80", "-1", "99999999999999999999"])
def test_hostile_query_strings_never_fail(
    cast: Any, client_for: Any, route: str, callback: Any, value: str
) -> None:
    client: Client = client_for(cast.coordinator)
    client.raise_request_exception = False
    query = "&".join(f"{key}={value}" for key in HOSTILE_KEYS)
    path = f"{_concrete(route, '1')}?{query}"
    response = client.get(path)
    assert response.status_code < 500, f"GET {path} answered {response.status_code}"
    form = {key: unquote(value) for key in HOSTILE_KEYS}
    response = client.post(_concrete(route, "1"), form)
    assert response.status_code < 500, f"POST {route} answered {response.status_code}"
