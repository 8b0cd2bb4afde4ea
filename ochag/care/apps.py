from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class CareConfig(AppConfig):
    name = "ochag.care"
    label = "care"
    verbose_name = _("Children in care")

    def ready(self) -> None:
        from ochag.care import deadlines, extensions
        from ochag.care.worklist import lines
        from ochag.cases.extensions import register_timeline
        from ochag.core.worklist import register
        from ochag.registry import involvement
        from ochag.registry.extensions import register_card_section

        register(lines)
        involvement.register(extensions.provider)
        # Retention: care's own terms, and a child with a stay on record is not deleted.
        from ochag.access import retention as retention_rules
        from ochag.care import retention

        for rule in retention.rules():
            retention_rules.register(rule)
        involvement.register_needs("care", retention.person_needs)
        register_card_section(extensions.card_section)
        register_timeline(extensions.timeline)
        # Placement reviews, incident follow-ups and transformation milestones join the one
        # daily deadline check (overdue_since is stamped there, escalations sent).
        deadlines.register()

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        if user.agency_id is None:
            return []
        return [{"label": _("Institutions"), "url": reverse("care:institutions"), "order": 50}]

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.care.demo import generate

        return generate(rng=rng, region=region)
