from __future__ import annotations

import pytest
from django.test import RequestFactory

from ochag.access.addresses import address_digest, client_address


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "198.51.100.7", "10.0.0.1"),  # no proxy configured: the header is ignored
        ("X-Forwarded-For", 1, "198.51.100.7", "198.51.100.7"),
        ("X-Forwarded-For", 1, "203.0.113.5, 198.51.100.7", "198.51.100.7"),  # typed-in first
        ("X-Forwarded-For", 2, "203.0.113.5, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        ("X-Forwarded-For", 2, "198.51.100.7", "10.0.0.1"),  # did not pass both proxies
        ("X-Forwarded-For", 1, "not-an-address", "10.0.0.1"),
        ("X-Forwarded-For", 1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, header: str, count: int, forwarded: str, expected: str) -> None:
    settings.OCHAG_TRUSTED_PROXY_HEADER = header
    settings.OCHAG_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_digest_hides_the_address() -> None:
    assert "198.51.100.7" not in address_digest("198.51.100.7")
    assert address_digest("198.51.100.7") == address_digest("198.51.100.7")
