"""The per-process caches other apps keep (the registry's vocabulary of known names), listed
here so that what must start from the database again — each test, a bulk load written outside
the services — can drop them all without core knowing which apps keep one."""

from __future__ import annotations

from collections.abc import Callable

_forgetters: list[Callable[[], None]] = []


def register(forget: Callable[[], None]) -> None:
    """An app's ``ready()`` names the function that drops its cache."""
    if forget not in _forgetters:
        _forgetters.append(forget)


def forget_all() -> None:
    for forget in _forgetters:
        forget()
