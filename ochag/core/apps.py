from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.core.actors import Actor


class CoreConfig(AppConfig):
    name = "ochag.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ochag.core import statistics  # noqa: F401  (registers the database check)

    def nav_items(self, user: Actor) -> list[dict[str, Any]]:
        return [{"label": _("Home"), "url": reverse("core:home"), "order": 0}]
