from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User


class CoreConfig(AppConfig):
    name = "ochag.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ochag.core import statistics  # noqa: F401  (registers the database check)

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        return [{"label": _("Home"), "url": reverse("core:home"), "order": 0}]
