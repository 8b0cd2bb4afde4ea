"""Registry test helpers: persons created through the service, so keys and history exist."""

from __future__ import annotations

from typing import Any

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.core.models import Territory
from ochag.factories import AgencyFactory, UserFactory
from ochag.registry.models import Person
from ochag.registry.services import PersonData, person_create


def make_person(territory: Territory, **fields: Any) -> Person:
    data: dict[str, Any] = {
        "last_name": "Иванова", "first_name": "Мария", "patronymic": "Сергеевна", "sex": "F",
        "birth_year": 2015, "birth_month": 3, "birth_day": 5,
    }  # fmt: skip
    data.update(fields)
    return person_create(actor=None, data=PersonData(territory=territory, **data))


def reader_in(territory: Territory) -> User:
    """A school social pedagogue: sees the registry of the municipality, changes nothing."""
    school: Agency = AgencyFactory(name="Школа", type=AgencyType.EDUCATION, territory=territory)
    return UserFactory(username="teacher_a", agency=school, role=Role.SCHOOL_SOCIAL_PEDAGOGUE)
