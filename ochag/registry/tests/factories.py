"""Registry test helpers: persons created through the service, so keys and history exist,
and factory_boy factories for persons and households."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from ochag.access.models import Agency, AgencyType, BreakGlass, BreakGlassKind, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.core.models import Territory
from ochag.registry.models import Household, Person
from ochag.registry.services import PersonData, person_create


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


def make_person(territory: Territory, **fields: Any) -> Person:
    data: dict[str, Any] = {
        "last_name": "Иванова", "first_name": "Мария", "patronymic": "Сергеевна", "sex": "F",
        "birth_year": 2015, "birth_month": 3, "birth_day": 5,
    }  # fmt: skip
    data.update(fields)
    return person_create(actor=None, data=PersonData(territory=territory, **data))


def reader_in(territory: Territory, about: Household | None = None) -> User:
    """A school social pedagogue: changes nothing, and sees only the families it is involved
    with — here the family ``about``, opened by an emergency grant, the involvement the
    registry itself knows (the signals, cases and support apps add their own through
    ``ochag.registry.involvement``; ochag/tests/test_registry_need_to_know.py covers them)."""
    school: Agency = AgencyFactory(name="Школа", type=AgencyType.EDUCATION, territory=territory)
    user: User = UserFactory(username="teacher_a", agency=school,
                             role=Role.SCHOOL_SOCIAL_PEDAGOGUE)  # fmt: skip
    if about is not None:
        now = timezone.now()
        BreakGlass.objects.create(
            user=user, agency=school, kind=BreakGlassKind.HOUSEHOLD, record_id=about.pk,
            territory=about.territory, reason="проверка", started_at=now,
            expires_at=now + dt.timedelta(hours=3),
        )  # fmt: skip
    return user
