"""Helpers every signal screen uses."""

from __future__ import annotations

from django.http import HttpRequest

from ochag.access.models import User
from ochag.core.models import Territory


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def region_of(user: User) -> Territory | None:
    scope = user.scope_territory
    return (scope.region or scope) if scope is not None else None
