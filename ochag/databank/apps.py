from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class DatabankConfig(AppConfig):
    name = "ochag.databank"
    label = "databank"
    verbose_name = _("Data bank")

    def ready(self) -> None:
        from ochag.core import deadlines
        from ochag.core.worklist import register
        from ochag.databank import policies, services
        from ochag.databank.models import ChildStatus, FederalDeadline, HomeInspection
        from ochag.databank.worklist import lines

        register(lines)
        # The daily check stamps overdue rows; the bank's own lines show them on the board.
        deadlines.register(
            deadlines.DeadlineKind(
                key="databank.inspection",
                label=_("home inspections of candidate families"),
                model=HomeInspection,
                visible=lambda user: HomeInspection.objects.filter(
                    family__in=policies.families.visible(user)
                ),
                list_url=lambda: reverse("databank:families") + "?inspection=overdue",
                escalate=services.inspection_overdue_escalate,
            )
        )
        deadlines.register(
            deadlines.DeadlineKind(
                key="databank.federal",
                label=_("children due for the federal data bank"),
                model=FederalDeadline,
                visible=lambda user: FederalDeadline.objects.filter(
                    child__in=policies.children.visible(user, policies.DatabankPolicyAction.FEDERAL)
                ),
                list_url=lambda: reverse("databank:children") + "?status=searching&federal=due",
                active=lambda rows: rows.filter(child__status=ChildStatus.SEARCHING),
                escalate=services.federal_overdue_escalate,
            )
        )

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.databank import policies

        if not (policies.is_coordinator(user) or policies.is_guardianship(user)):
            return []
        return [{"label": _("Data bank"), "url": reverse("databank:children"), "order": 55}]

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.databank.demo import generate

        return generate(rng=rng, region=region)
