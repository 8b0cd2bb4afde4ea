"""A test client signed in past the second factor, as the pages see a staff member: the
tests (``ochag/conftest.py``), the page benchmarks (``bench/timing.py``) and the URL walker
(``urlwalk``) share this one way in, so a change to the sign-in reaches all of them."""

from __future__ import annotations

from django.test import Client

from ochag.access.middleware import SESSION_KEY
from ochag.access.models import User


def signed_in(user: User, *, raise_request_exception: bool = True) -> Client:
    """A client signed in as ``user`` with the two-factor step passed; the URL walker asks
    for ``raise_request_exception=False`` to count a view's error as a 500 answer."""
    client = Client(raise_request_exception=raise_request_exception)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = user.pk
    session.save()
    return client
