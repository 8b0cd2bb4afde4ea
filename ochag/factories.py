"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.core.models import Territory
from ochag.registry.models import Household, Person


class TerritoryFactory(factory.django.DjangoModelFactory[Territory]):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Муниципалитет {n}")
    level = Territory.Level.MUNICIPALITY


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


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    last_name = "Иванова"
    first_name = factory.Iterator(["Мария", "Анна", "Дарья", "Елена"])
    patronymic = "Сергеевна"
    sex = "F"
    birth_year = 2015
    birth_month = 3
    birth_day = 5

    @factory.post_generation
    def search_keys(obj: Person, create: bool, extracted: object, **kwargs: object) -> None:
        # Persons made here must be findable like those made through the registry service.
        if create:
            from ochag.registry.services import person_keys_backfill

            person_keys_backfill(Person.objects.filter(pk=obj.pk))


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = "Ивановы"
