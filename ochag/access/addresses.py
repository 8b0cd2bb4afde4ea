"""The client's address, as a configured reverse proxy reports it.

Behind a reverse proxy every request comes from the proxy's own address, so per-address
limits would put every citizen in one bucket. The proxy appends the address it saw to
``X-Forwarded-For``; only the entries appended by proxies we run can be trusted (a client can
send any header it likes), so the address is the entry ``OCHAG_TRUSTED_PROXY_COUNT`` places
from the right. Without a configured header the address is ``REMOTE_ADDR``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    header = settings.OCHAG_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    hops = [part.strip() for part in request.headers.get(header, "").split(",") if part.strip()]
    count = settings.OCHAG_TRUSTED_PROXY_COUNT
    if len(hops) < count:
        # The request did not pass through all of our proxies: use what we can trust.
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_digest(address: str) -> str:
    """A keyed hash of an address, so throttle tables never hold citizens' addresses."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
