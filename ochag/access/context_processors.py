"""What every page's shell needs: the navigation for this user and the session timing.

Here rather than in ``core`` (which owns the shell's templates) because the menu depends on
the signed-in user having passed access's two-factor step: ``core`` imports no app.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest

from ochag.access.middleware import two_factor_passed


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav: list[dict[str, Any]] = []
    widgets: list[str] = []
    # Until the two-factor step is passed nothing but that step is reachable, so no menu and
    # no widgets (a widget's request would be redirected to the two-factor page itself).
    if user is not None and user.is_authenticated and two_factor_passed(request):
        # Each app declares its own menu entries (AppConfig.nav_items) and header widgets
        # (AppConfig.header_widgets, URLs of fragments), so core needs no knowledge of the
        # apps above it.
        for config in apps.get_app_configs():
            items = getattr(config, "nav_items", None)
            if items is not None:
                nav.extend(items(user))
            header = getattr(config, "header_widgets", None)
            if header is not None:
                widgets.extend(header(user))
        nav.sort(key=lambda item: item["order"])
        for item in nav:
            item["current"] = request.path.startswith(item["url"]) and item["url"] != "/"
    return {
        "shell_nav": nav,
        "shell_widgets": widgets,
        "session_seconds": settings.SESSION_IDLE_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
