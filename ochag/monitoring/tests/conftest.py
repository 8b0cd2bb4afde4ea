"""The monitoring cast: the case cast's family in municipality A and a second family in B,
signals through 2025 and 2026, cases opened, closed and re-opened, an overdue task, and a
municipality head (the supervisor of municipality A's КДН)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from ochag.access.models import Role, User
from ochag.access.tests.factories import UserFactory
from ochag.cases import services
from ochag.cases.models import Case, Level, Task
from ochag.cases.tests.conftest import (
    CaseCast,
    cc,  # noqa: F401 - fixture used by these tests
)
from ochag.conftest import Cast
from ochag.core.clock import as_of
from ochag.registry.models import MemberRole, Membership
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory
from ochag.signals.models import (
    Basis,
    Channel,
    Colour,
    Signal,
    SignalSubject,
    SubjectRole,
    Track,
)


def at(year: int, month: int, day: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


def make_signals(
    cast: Cast,
    n: int,
    *,
    when: dt.datetime,
    municipality_b: bool = False,
    channel: str = Channel.STAFF,
    on_time: bool = True,
) -> list[Signal]:
    territory = cast.municipality_b if municipality_b else cast.municipality_a
    out = []
    for _i in range(n):
        out.append(
            Signal.objects.create(
                channel=channel,
                basis=Basis.HELPLINE if channel == Channel.HELPLINE else Basis.CITIZEN,
                received_at=when,
                reporting_agency=None if channel == Channel.HELPLINE else cast.agency_a,
                territory=territory,
                original_text="Сообщение",
                colour=Colour.YELLOW,
                track=Track.SUPPORT,
                routed_to=cast.agency_b if municipality_b else cast.agency_a,
                due_date=(when + dt.timedelta(days=3)).date(),
                taken_at=when + dt.timedelta(days=1 if on_time else 9),
            )
        )
    return out


@dataclass
class MonitoringCast:
    head_a: User
    case_a: Case
    case_b: Case


@pytest.fixture
def mc(cast: Cast, cc: CaseCast) -> MonitoringCast:  # noqa: F811 - the imported fixture
    first = make_signals(cast, 7, when=at(2026, 3))[0]
    SignalSubject.objects.create(signal=first, role=SubjectRole.CHILD, first_name="Маша")
    make_signals(cast, 2, when=at(2026, 3), channel=Channel.HELPLINE, on_time=False)
    make_signals(cast, 3, when=at(2026, 5), municipality_b=True)
    make_signals(cast, 6, when=at(2025, 4))
    with as_of(at(2026, 2)):
        case_a = services.case_open(
            actor=cc.kdn_secretary, household=cc.family, curator=cc.curator, legal_basis="П-1"
        )
    Case.objects.filter(pk=case_a.pk).update(level=Level.SOP)
    family_b = HouseholdFactory(name="Сидоровы", territory=cast.municipality_b)
    child_b = PersonFactory(
        last_name="Сидоров",
        first_name="Олег",
        sex="M",
        birth_year=2018,
        territory=cast.municipality_b,
    )
    Membership.objects.create(household=family_b, person=child_b, role=MemberRole.CHILD)
    with as_of(at(2026, 4)):
        case_b = services.case_open(
            actor=cast.coordinator, household=family_b, curator=cc.curator, legal_basis="П-2"
        )
    Case.objects.filter(pk=case_b.pk).update(level=Level.TZHS)
    with as_of(at(2026, 6)):
        services.case_close(actor=cast.coordinator, case=case_b, ground="causes_removed")
    with as_of(at(2026, 8)):
        services.case_reopen(actor=cast.coordinator, case=case_b, reason="Новый сигнал")
    with as_of(at(2026, 3)):
        Task.objects.create(
            case=case_a,
            title="Посетить семью",
            owner_agency=cc.social,
            start_date=dt.date(2026, 3, 1),
            deadline_days=5,
            due_on=dt.date(2026, 3, 6),
            created_by=cc.curator,
        )
    kdn_head = UserFactory(
        username="kdn_head", agency=cc.kdn, role=Role.KDN_SECRETARY, is_supervisor=True
    )
    return MonitoringCast(head_a=kdn_head, case_a=case_a, case_b=case_b)
