from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class SignalsConfig(AppConfig):
    name = "ochag.signals"
    label = "signals"
    verbose_name = _("Signals")

    def ready(self) -> None:
        from ochag.core import deadlines
        from ochag.core.worklist import register
        from ochag.registry.extensions import register_card_section
        from ochag.signals import person_card, selectors
        from ochag.signals.models import SignalTask
        from ochag.signals.worklist import lines

        register(lines)
        register_card_section(person_card.section)
        # Registry need-to-know: the persons and families this app's work concerns.
        from ochag.registry import involvement
        from ochag.signals.involvement import person_needs, provider

        involvement.register(provider)
        involvement.register_needs("signals", person_needs)
        # Retention: how long this app's records are kept (ochag.access.retention).
        from ochag.access import retention
        from ochag.signals.retention import rules

        retention.register(*rules())
        # Overdue signals are escalated on the queues and the home page (signals/worklist.py);
        # the daily check only records which deadline tasks are overdue since when.
        deadlines.register(
            deadlines.DeadlineKind(
                key="signals.task",
                label=_("signal deadlines"),
                model=SignalTask,
                visible=selectors.tasks_for,
                list_url=lambda: reverse("signals:queue") + "?overdue=yes",
            )
        )

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.access.models import Role
        from ochag.signals.policies import is_coordinator

        if not user.sees_personal_data or user.agency_id is None:
            return []
        items: list[dict[str, Any]] = [
            {"label": _("Signals"), "url": reverse("signals:queue"), "order": 10},
        ]
        if user.role == Role.HELPLINE_OPERATOR:
            items.append(
                {"label": _("Helpline call"), "url": reverse("signals:helpline"), "order": 11}
            )
        if is_coordinator(user):
            items.append(
                {"label": _("Routing rules"), "url": reverse("signals:rules"), "order": 75}
            )
        return items

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.signals.demo import generate

        return generate(rng=rng, region=region)
