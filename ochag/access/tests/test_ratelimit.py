from __future__ import annotations

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone

from ochag.access import ratelimit

LIMIT = ratelimit.Limit(scope="t", per_address=5, overall=100, window=dt.timedelta(hours=1))


def test_public_rate_limit(db: None) -> None:
    # Moved from the signals app with the rate limit itself.
    first = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    second = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")
    for _ in range(5):
        assert not ratelimit.exhausted(first, LIMIT)
        assert ratelimit.take(first, LIMIT)
    assert ratelimit.exhausted(first, LIMIT)
    assert not ratelimit.take(first, LIMIT)
    assert not ratelimit.exhausted(second, LIMIT)


def test_the_window_ends(db: None, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        ratelimit.take(request, LIMIT)
    time_machine.shift(dt.timedelta(hours=1, seconds=1))
    assert not ratelimit.exhausted(request, LIMIT)
    assert ratelimit.take(request, LIMIT)
