"""The account behind a request, typed for the views."""

from __future__ import annotations

from django.http import HttpRequest

from ochag.access.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in account: the sign-in middleware lets no anonymous request reach a view
    that asks, so ``request.user`` is a ``User`` here (Django types it as a union)."""
    return request.user  # type: ignore[return-value]
