"""Rate limits for what anyone may send without signing in (the public report form).

Each submission is counted per client address (as the trusted proxy reports it, see
addresses.py) and overall, with a generous overall ceiling so a flood from many addresses
cannot bury the duty officers while one address cannot use up the region's channel. Counting
goes through ``throttle.take``, so a concurrent burst is never let through beyond the limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest

from ochag.access import throttle
from ochag.access.addresses import address_digest, client_address


@dataclass(frozen=True)
class Limit:
    scope: str
    per_address: int
    overall: int
    window: dt.timedelta

    def address_key(self, request: HttpRequest) -> str:
        return f"{self.scope}:{address_digest(client_address(request))}"

    @property
    def overall_key(self) -> str:
        return f"{self.scope}:*"


def exhausted(request: HttpRequest, limit: Limit) -> bool:
    """Whether this address or everyone together has used the window up (nothing counted)."""
    return throttle.is_full(
        limit.address_key(request), limit=limit.per_address, window=limit.window
    ) or throttle.is_full(limit.overall_key, limit=limit.overall, window=limit.window)


def take(request: HttpRequest, limit: Limit) -> bool:
    """Count one submission; False when the address's or the overall limit is reached."""
    if (
        throttle.take(limit.address_key(request), limit=limit.per_address, window=limit.window)
        is None
    ):
        return False
    return throttle.take(limit.overall_key, limit=limit.overall, window=limit.window) is not None
