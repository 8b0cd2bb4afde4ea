"""The public form's rate limit (issue 12 #2): per citizen behind the reverse proxy, with an
overall ceiling, and a concurrent burst never gets past it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ochag.access.models import Agency
from ochag.conftest import Cast
from ochag.signals.models import Channel, Signal

PROXY = "10.0.0.1"


def _report(client: Client, cast: Cast, **headers: str) -> int:
    data = {"territory": cast.municipality_a.pk, "original_text": "x", "indicators": ["low_income"]}
    return client.post(reverse("signals:public"), data, **headers).status_code


@pytest.fixture
def behind_proxy(settings) -> None:
    settings.OCHAG_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.OCHAG_TRUSTED_PROXY_COUNT = 1


def test_citizens_behind_the_proxy_each_have_their_own_limit(
    cast: Cast, bodies: dict[str, Agency], behind_proxy: None
) -> None:
    # Before, every report came from the proxy's address: the sixth citizen got 429.
    for number in range(12):
        client = Client(REMOTE_ADDR=PROXY)
        assert _report(client, cast, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}") == 200
    one = Client(REMOTE_ADDR=PROXY)
    for _ in range(4):
        assert _report(one, cast, HTTP_X_FORWARDED_FOR="198.51.100.1") == 200
    assert _report(one, cast, HTTP_X_FORWARDED_FOR="198.51.100.1") == 429


def test_an_address_typed_into_the_header_is_not_believed(
    cast: Cast, bodies: dict[str, Agency], behind_proxy: None
) -> None:
    # The client sends its own X-Forwarded-For; the proxy appends the real address after it.
    for number in range(5):
        spoofed = f"203.0.113.{number}, 198.51.100.7"
        assert _report(Client(REMOTE_ADDR=PROXY), cast, HTTP_X_FORWARDED_FOR=spoofed) == 200
    assert (
        _report(Client(REMOTE_ADDR=PROXY), cast, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
        == 429
    )


def test_without_a_configured_proxy_the_header_is_ignored(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    for number in range(5):
        assert _report(Client(), cast, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}") == 200
    assert _report(Client(), cast, HTTP_X_FORWARDED_FOR="198.51.100.99") == 429


def test_an_overall_ceiling_holds_across_addresses(
    cast: Cast, bodies: dict[str, Agency], behind_proxy: None, settings
) -> None:
    settings.OCHAG_PUBLIC_REPORTS_OVERALL = 8
    statuses = [
        _report(Client(REMOTE_ADDR=PROXY), cast, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        for number in range(10)
    ]
    assert statuses == [200] * 8 + [429] * 2


def test_a_concurrent_burst_never_exceeds_the_limit(
    transactional_db: None, cast: Cast, bodies: dict[str, Agency], settings
) -> None:
    # Before: 20 concurrent reports from one address let 7 through.
    def one(_: int) -> int:
        try:
            return _report(Client(), cast)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(one, range(20)))
    assert statuses.count(200) == settings.OCHAG_PUBLIC_REPORTS_PER_ADDRESS
    assert statuses.count(429) == 20 - settings.OCHAG_PUBLIC_REPORTS_PER_ADDRESS
    assert Signal.objects.filter(channel=Channel.PUBLIC).count() == 5
