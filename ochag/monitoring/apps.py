from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class MonitoringConfig(AppConfig):
    name = "ochag.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        # The registration lives here, above every indicator module, so the catalogue
        # (whose record kinds the other modules use) imports none of them.
        from ochag.monitoring.bank_indicators import BANK, BANK_INDICATORS
        from ochag.monitoring.care_indicators import CARE, CARE_INDICATORS, REVIEWS_ON_TIME_SHARE
        from ochag.monitoring.catalogue import SECTION_LABELS, SHIPPED
        from ochag.monitoring.costs import COST_INDICATORS
        from ochag.monitoring.custom import CUSTOM
        from ochag.monitoring.indicators import register
        from ochag.monitoring.quality import QUALITY, QUALITY_CHECKS
        from ochag.monitoring.support_indicators import SUPPORT, SUPPORT_INDICATORS
        from ochag.monitoring.training import SPECIALISTS_TRAINED, STAFF

        register(*SHIPPED, *SUPPORT_INDICATORS, *CARE_INDICATORS, REVIEWS_ON_TIME_SHARE)
        register(*BANK_INDICATORS, *COST_INDICATORS)
        register(SPECIALISTS_TRAINED)
        register(*QUALITY_CHECKS)
        SECTION_LABELS[QUALITY] = _("Data quality")
        SECTION_LABELS[CARE] = _("Children in institutions")
        SECTION_LABELS[SUPPORT] = _("Support for families")
        SECTION_LABELS[BANK] = _("Data bank and family placement")
        SECTION_LABELS[STAFF] = _("Staff")
        SECTION_LABELS[CUSTOM] = _("Regional indicators")

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.monitoring.demo import generate

        return generate(rng=rng, region=region)

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.monitoring.policies import is_coordinator, may_see_dashboards

        items = []
        if may_see_dashboards(user):
            items.append(
                {"label": _("Indicators"), "url": reverse("monitoring:dashboard"), "order": 60}
            )
        # By role, not by asking the policy: the menu must cost no query.
        if user.sees_personal_data and (is_coordinator(user) or user.is_supervisor):
            items.append(
                {"label": _("Staff training"), "url": reverse("monitoring:training"), "order": 61}
            )
        return items
