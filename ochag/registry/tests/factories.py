"""Registry test helpers: persons created through the service, so keys and history exist."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.core.models import Territory
from ochag.factories import AgencyFactory, UserFactory
from ochag.registry.models import Household, Person
from ochag.registry.services import PersonData, person_create
from ochag.signals.models import Basis, Channel, Colour, Signal, Track


def make_person(territory: Territory, **fields: Any) -> Person:
    data: dict[str, Any] = {
        "last_name": "Иванова", "first_name": "Мария", "patronymic": "Сергеевна", "sex": "F",
        "birth_year": 2015, "birth_month": 3, "birth_day": 5,
    }  # fmt: skip
    data.update(fields)
    return person_create(actor=None, data=PersonData(territory=territory, **data))


def reader_in(territory: Territory, about: Household | None = None) -> User:
    """A school social pedagogue: changes nothing, and sees only the families its work
    concerns — here the family ``about``, which the school reported (need-to-know)."""
    school: Agency = AgencyFactory(name="Школа", type=AgencyType.EDUCATION, territory=territory)
    user: User = UserFactory(username="teacher_a", agency=school,
                             role=Role.SCHOOL_SOCIAL_PEDAGOGUE)  # fmt: skip
    if about is not None:
        report_about(school, about)
    return user


def report_about(agency: Agency, home: Household, **fields: Any) -> Signal:
    """A signal ``agency`` sent about the family ``home``: what makes the agency involved."""
    data: dict[str, Any] = {
        "channel": Channel.STAFF, "basis": Basis.DUTY_ART9, "received_at": timezone.now(),
        "reporting_agency": agency, "territory": home.territory, "household": home,
        "original_text": "Ребёнок часто пропускает занятия", "colour": Colour.YELLOW,
        "track": Track.SUPPORT,
    }  # fmt: skip
    data.update(fields)
    return Signal.objects.create(**data)
