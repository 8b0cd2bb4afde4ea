from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class CasesConfig(AppConfig):
    name = "ochag.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from ochag.cases import person_card, selectors
        from ochag.cases.models import CaseAction, Task
        from ochag.cases.services.deadlines import KIND, open_case_tasks, task_overdue_escalate
        from ochag.cases.worklist import lines
        from ochag.core import deadlines
        from ochag.core.worklist import register
        from ochag.registry.extensions import register_card_section, register_open_work

        register(lines)
        register_card_section(person_card.section)
        register_open_work(person_card.open_case_members)
        # Registry need-to-know: the persons and families this app's work concerns.
        from ochag.cases.involvement import person_needs, provider
        from ochag.registry import involvement

        involvement.register(provider)
        involvement.register_needs("cases", person_needs)
        # Retention: how long this app's records are kept (ochag.access.retention).
        from ochag.access import retention
        from ochag.cases.retention import rules

        retention.register(*rules())
        # The home page already has the cases app's own overdue lines (cases/worklist.py).
        deadlines.register(
            deadlines.DeadlineKind(
                key=KIND,
                label=_("case plan tasks"),
                model=Task,
                visible=selectors.tasks_for,
                list_url=lambda: reverse("cases:tasks") + "?overdue=yes",
                active=open_case_tasks,
                escalate=task_overdue_escalate,
                audit_action=CaseAction.DEADLINES_CHECKED,
            )
        )

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.access.models import Role
        from ochag.cases.policies import is_coordinator

        if not user.sees_personal_data or user.agency_id is None:
            return []
        items: list[dict[str, Any]] = [
            {"label": _("Cases"), "url": reverse("cases:list"), "order": 30},
            {"label": _("Tasks"), "url": reverse("cases:tasks"), "order": 31},
        ]
        # By role, not by asking the policy: the menu is on every page and must cost no query.
        if is_coordinator(user) or user.role == Role.KDN_SECRETARY:
            items.append(
                {"label": _("KDN sittings"), "url": reverse("cases:sittings"), "order": 34}
            )
        if is_coordinator(user) or user.is_supervisor:
            items.append({"label": _("Overdue work"), "url": reverse("cases:board"), "order": 32})
        if is_coordinator(user) or user.is_supervisor or user.role == Role.CASE_CURATOR:
            items.append({"label": _("Workload"), "url": reverse("cases:workload"), "order": 33})
        return items

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.cases.demo import generate

        return generate(rng=rng, region=region)
