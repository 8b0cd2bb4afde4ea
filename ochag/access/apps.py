from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User


class AccessConfig(AppConfig):
    name = "ochag.access"
    label = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from ochag.access import (
            checks,  # noqa: F401  (registers the deployment checks)
            retention,
        )
        from ochag.access.log_retention import rules

        retention.register(*rules())

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.access.policies import is_admin, may_read_audit

        items: list[dict[str, Any]] = []
        if user.sees_personal_data:
            items.append(
                {"label": _("Agencies"), "url": reverse("access:agency_list"), "order": 80}
            )
        if is_admin(user) or user.is_supervisor:
            items.append({"label": _("Staff"), "url": reverse("access:user_list"), "order": 85})
        if user.sees_personal_data:
            items.append({"label": _("Calendar"), "url": reverse("calendar:list"), "order": 88})
        if may_read_audit(user):
            items.append({"label": _("Audit log"), "url": reverse("audit:log"), "order": 90})
        if _has_inbox(user):
            items.append(
                {"label": _("Notifications"), "url": reverse("access:notifications"), "order": 70}
            )
        return items

    def header_widgets(self, user: User) -> list[str]:
        """The unread-notifications counter, loaded into the page header by htmx."""
        return [reverse("access:bell")] if _has_inbox(user) else []


def _has_inbox(user: User) -> bool:
    """Staff of an agency who see personal records get notices (not the federal analyst)."""
    return bool(user.sees_personal_data and user.agency_id is not None)
