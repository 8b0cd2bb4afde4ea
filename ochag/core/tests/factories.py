"""factory_boy factories for core's records, for the tests of core and every app above it."""

from __future__ import annotations

import factory

from ochag.core.models import Territory


class TerritoryFactory(factory.django.DjangoModelFactory[Territory]):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Муниципалитет {n}")
    level = Territory.Level.MUNICIPALITY
