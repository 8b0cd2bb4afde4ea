from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class SupportConfig(AppConfig):
    name = "ochag.support"
    label = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from ochag.cases import extensions
        from ochag.core.worklist import register
        from ochag.registry.extensions import register_card_section
        from ochag.signals import extensions as signal_extensions
        from ochag.support import case_pages, person_card, signal_pages
        from ochag.support.worklist import lines

        register(lines)
        register_card_section(person_card.section)
        extensions.register_timeline(case_pages.timeline)
        extensions.register_section(case_pages.sections)
        extensions.register_task_links(case_pages.task_links)
        signal_extensions.register_panel(signal_pages.panels)
        # Registry need-to-know: the persons and families this app's work concerns.
        from ochag.registry import involvement
        from ochag.support.involvement import provider

        involvement.register(provider)
        # The provider's answer is a deadline of the core base: the daily check stamps the
        # overdue ones; support's own worklist line already says so on the home page.
        from ochag.core import deadlines
        from ochag.support.models import Referral
        from ochag.support.policies import referrals

        deadlines.register(
            deadlines.DeadlineKind(
                key="support.referral_answer",
                label=_("referral answers"),
                model=Referral,
                visible=referrals.visible,
                list_url=lambda: reverse("support:referrals") + "?open=overdue",
            )
        )
        # Retention: how long this app's records are kept (ochag.access.retention).
        from ochag.access import retention
        from ochag.support.retention import rules

        retention.register(*rules())

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        if user.agency_id is None:
            return []
        items: list[dict[str, Any]] = [
            {"label": _("Services"), "url": reverse("support:providers"), "order": 40},
        ]
        if user.sees_personal_data:
            items.append(
                {"label": _("Referrals"), "url": reverse("support:referrals"), "order": 41}
            )
        return items

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.support.demo import generate

        return generate(rng=rng, region=region)
