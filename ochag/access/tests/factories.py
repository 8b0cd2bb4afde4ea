"""factory_boy factories for access's agencies and users, for the tests of access and every
app above it."""

from __future__ import annotations

import factory

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.core.tests.factories import TerritoryFactory


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Орган {n}")
    type = AgencyType.GUARDIANSHIP
    territory = factory.SubFactory(TerritoryFactory)
    email = factory.Sequence(lambda n: f"agency{n}@example.org")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Мария"
    last_name = factory.Sequence(lambda n: f"Сотрудникова{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.GUARDIANSHIP_SPECIALIST
    password = factory.django.Password("correct-horse-battery")
