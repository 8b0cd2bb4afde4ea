from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User


class MonitoringConfig(AppConfig):
    name = "ochag.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from ochag.monitoring import catalogue

        catalogue.load()

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.monitoring.policies import may_see_dashboards

        if not may_see_dashboards(user):
            return []
        return [{"label": _("Indicators"), "url": reverse("monitoring:dashboard"), "order": 60}]
