"""Helpers every signal screen uses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ochag.access.models import User
from ochag.core.models import Territory


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def region_of(user: User) -> Territory | None:
    scope = user.scope_territory
    return (scope.region or scope) if scope is not None else None


def apply_errors(form: Any, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        target = name if name in form.fields else None
        for error in errors:
            form.add_error(target, error)
