from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.core.models import Territory


class RegistryConfig(AppConfig):
    name = "ochag.registry"
    label = "registry"
    verbose_name = _("Person registry")

    def ready(self) -> None:
        from ochag.core.worklist import register
        from ochag.registry.worklist import lines

        register(lines)
        # Retention of persons marked for deletion, and what in the registry still needs one.
        from ochag.access import retention
        from ochag.registry import involvement
        from ochag.registry.retention import rules
        from ochag.registry.services.deletion import registry_needs

        retention.register(*rules())
        involvement.register_needs("registry", registry_needs)
        from ochag.core import caches
        from ochag.registry import vocabulary

        caches.register(vocabulary.forget)

    def nav_items(self, user: User) -> list[dict[str, Any]]:
        from ochag.registry.policies import RegistryPolicyAction, persons

        if not user.sees_personal_data or user.agency_id is None:
            return []
        items: list[dict[str, Any]] = [
            {"label": _("Persons"), "url": reverse("registry:search"), "order": 20},
        ]
        if persons.allows(user, RegistryPolicyAction.MERGE):
            items.append({"label": _("Duplicates"), "url": reverse("registry:duplicate_list"),
                          "order": 25})  # fmt: skip
        return items

    def demo_generate(self, *, rng: random.Random, region: Territory) -> dict[str, int]:
        """Search keys for the demo persons (bulk-created without the service), a few records
        re-entered with the usual variations, and the duplicate queue for their families.

        The finder runs only over the families concerned, so the demo stays fast; the demo's
        twins in those families show up as pairs that must not be merged.
        """
        from ochag.registry import demo
        from ochag.registry.models import Person
        from ochag.registry.services import demo_duplicates, person_keys_backfill

        people = Person.objects.filter(territory__path__startswith=region.path)
        keyed = person_keys_backfill(people)
        counts = demo_duplicates(rng=rng, people=people)
        # An own generator: drawing from the shared one would change every later app's demo.
        schooled = demo.schooling(rng=random.Random("schooling"), people=people)
        disabled = demo.disabilities(rng=random.Random("disability"), people=people)
        return {
            "person_search_keys": keyed,
            "schooling": schooled,
            "disability_statuses": disabled,
            **counts,
        }
