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

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.access.policies import may_read_audit

        items: list[dict[str, Any]] = [
            {"label": _("Home"), "url": reverse("core:home"), "order": 0}
        ]
        if user.sees_personal_data:
            items.append({"label": _("Calendar"), "url": reverse("core:calendar"), "order": 88})
        if may_read_audit(user):
            items.append({"label": _("Audit log"), "url": reverse("core:audit"), "order": 90})
        return items
