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
        from ochag.core.worklist import register
        from ochag.databank.worklist import lines

        register(lines)

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.databank import policies

        if not (policies.is_coordinator(user) or policies.is_guardianship(user)):
            return []
        return [{"label": _("Data bank"), "url": reverse("databank:children"), "order": 55}]

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        from ochag.databank.demo import generate

        return generate(rng=rng, region=region)
