"""Every signals list and detail page makes as many queries for many rows as for few
(ochag.core.testing.assert_queries_flat), and no more than it does today."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import Agency, Notification, User
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.core.models import Territory
from ochag.core.testing import assert_queries_flat
from ochag.core.tests.factories import TerritoryFactory
from ochag.registry.tests.factories import make_person
from ochag.signals import intake
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Basis,
    Channel,
    ImportJob,
    RoutingRule,
    Signal,
    SignalAction,
    SignalEvent,
    SignalSubject,
    SignalTask,
    TaskKind,
    Track,
)
from ochag.signals.notices import notice

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _signals(cast: Cast, reporter: User, count: int) -> list[Signal]:
    """Red signals about different children, reported by ``reporter``'s agency and routed
    to guardianship A (cast.agency_a)."""
    made = []
    for _ in range(count):
        n = Signal.objects.count()
        made.append(
            intake.signal_create(
                actor=reporter,
                data=SignalInput(
                    channel=Channel.STAFF,
                    basis=Basis.DUTY_ART9,
                    territory=cast.municipality_a,
                    original_text="Ребёнок один дома",
                    indicator_codes=["child_alone_under_10", "persistent_truancy"],
                    subjects=[
                        SubjectInput(
                            role="child",
                            last_name=f"Петрова{n}",
                            first_name="Анна",
                            birth_date="2019-01-02",
                        )
                    ],
                ),
            )
        )
    return made


@pytest.fixture
def school_user(bodies: dict[str, Agency]) -> User:
    return UserFactory(agency=bodies["school"])


def test_queues_do_not_grow_with_their_signals(
    cast: Cast, school_user: User, client_for: ClientFor
) -> None:
    def add(count: int) -> None:
        _signals(cast, school_user, count)

    # Naming whom each signal is about prefetches the subjects of the table's rows and of the
    # red block's (+2); the coordinator's municipality and routed-to filters list their
    # choices (+2 more, and the unrouted one).
    ceilings = {cast.worker_a: 11, cast.supervisor_a: 11, cast.coordinator: 14}
    for user, ceiling in ceilings.items():
        assert assert_queries_flat(client_for(user), reverse("signals:queue"), add) <= ceiling
    assert assert_queries_flat(client_for(school_user), reverse("signals:sent"), add) <= 8


def test_the_detail_page_does_not_grow_with_its_history(
    cast: Cast, school_user: User, client_for: ClientFor
) -> None:
    signal = _signals(cast, school_user, 1)[0]
    url = reverse("signals:detail", args=[signal.pk])

    def add(count: int) -> None:
        for i in range(count):
            person = make_person(cast.municipality_a, last_name="Петров", first_name=f"Брат{i}")
            SignalSubject.objects.create(
                signal=signal,
                role="child",
                last_name="Петров",
                first_name=f"Брат{i}",
                person=person,
                decision="link",
            )
            SignalEvent.objects.create(
                signal=signal,
                action=SignalAction.FORWARDED,
                actor=cast.worker_a,
                agency=cast.agency_a,
                reason="—",
            )
            SignalTask.objects.create(
                signal=signal,
                kind=TaskKind.SAFETY_CHECK,
                agency=cast.agency_a,
                due_on=signal.due_date,
            )

    for user in (cast.worker_a, cast.coordinator, school_user):
        # 19: support's panel of the signal's referrals (ochag.signals.extensions) adds one.
        assert assert_queries_flat(client_for(user), url, add, more=3) <= 19


def test_notifications_rules_and_uploads_do_not_grow_with_their_rows(
    cast: Cast, school_user: User, client_for: ClientFor, bodies: dict[str, Agency]
) -> None:
    signals = _signals(cast, school_user, 1)

    def notices(count: int) -> None:
        Notification.objects.bulk_create(
            notice(signals[0], cast.worker_a.pk, "Новый сигнал") for _ in range(count)
        )

    client = client_for(cast.worker_a)
    assert assert_queries_flat(client, reverse("access:notifications"), notices) <= 8

    def rules(count: int) -> None:
        for _ in range(count):
            town = TerritoryFactory(parent=cast.region, level=Territory.Level.MUNICIPALITY)
            RoutingRule.objects.create(
                region=cast.region, territory=town, track=Track.SUPPORT, agency=bodies["social"]
            )

    coordinator = client_for(cast.coordinator)
    assert assert_queries_flat(coordinator, reverse("signals:rules"), rules) <= 9

    def jobs(count: int) -> None:
        for i in range(count):
            ImportJob.objects.create(
                agency=bodies["school"],
                user=school_user,
                file_name=f"{i}.csv",
                file_hash=f"{i}-{ImportJob.objects.count()}",
            )

    assert assert_queries_flat(client_for(school_user), reverse("signals:upload"), jobs) <= 7
