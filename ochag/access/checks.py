"""Deployment checks (``manage.py check --deploy``; the WSGI entry point runs them and refuses
to start when ``OCHAG_HTTPS=1``): no demo accounts, which skip two-factor authentication, and
HSTS on when the site is served over HTTPS. The console mail backend is refused by Django's
own deployment check (mail.E001)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_accounts_absent(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from ochag.access.models import User

    try:
        demo = list(User.objects.filter(is_demo=True).values_list("username", flat=True)[:5])
    except DatabaseError:
        return []  # not migrated yet: nothing to find
    if not demo:
        return []
    return [
        Error(
            f"Demo accounts exist ({', '.join(demo)}…): they sign in without two-factor "
            "authentication.",
            hint="Production runs on a database without the demo region "
            "(manage.py demo_region is for demonstrations only).",
            id="access.E001",
        )
    ]


@register(Tags.security, deploy=True)
def hsts_with_https(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.OCHAG_HTTPS and not settings.SECURE_HSTS_SECONDS:
        return [
            Error(
                "OCHAG_HTTPS=1 but HSTS is off (SECURE_HSTS_SECONDS is 0).",
                hint="Unset OCHAG_HSTS_SECONDS (a year by default) or give it a positive value.",
                id="access.E002",
            )
        ]
    return []


def refuse_unsafe_start() -> None:
    """Run the deployment checks and stop the process on any error (production only)."""
    if not settings.OCHAG_HTTPS:
        return
    from django.core.management import call_command

    call_command("check", deploy=True, fail_level="ERROR")
