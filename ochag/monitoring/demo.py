"""The demo region's history for the dashboards: fourteen months of signals and cases, so
every indicator shows a trend (the other apps' demos tell the last few weeks' story through
their services; this history is bulk-written, demo data only, and marked as such in its
text), a training register and the year's targets."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from ochag.access.models import Agency, Role, User
from ochag.access.notifications import mail_suppressed
from ochag.cases import services as case_services
from ochag.cases.models import Case, ClosureGround, Level
from ochag.core.clock import as_of
from ochag.core.models import Territory
from ochag.monitoring.models import IndicatorTarget, TrainingRecord
from ochag.registry.models import Household
from ochag.signals.models import Basis, Channel, Colour, Signal, Status, Track

MONTHS = 14
SIGNALS_PER_MONTH = 30
CASES_PER_MONTH = 4
HISTORY_TEXT = "Демонстрационная история: сообщение прошлых месяцев."
COURSES = [
    ("Технология раннего выявления семейного неблагополучия", 72),
    ("Оценка безопасности и рисков ребёнка", 36),
    ("Кейс-менеджмент в работе с семьёй", 48),
    ("Профилактика социального сиротства детей 0–4 лет", 24),
]


def _moment(rng: random.Random, months_ago: int) -> dt.datetime:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    day = rng.randint(1, 27)
    return timezone.make_aware(dt.datetime(year, month + 1, day, rng.randint(8, 18)))


def _signals(rng: random.Random, municipalities: list[Territory], agencies: list[Agency]) -> int:
    by_place: dict[int, list[Agency]] = {}
    for agency in agencies:
        by_place.setdefault(agency.territory_id, []).append(agency)
    rows = []
    for months_ago in range(MONTHS, 0, -1):
        for _i in range(SIGNALS_PER_MONTH + rng.randint(-8, 8)):
            place = rng.choice(municipalities)
            local = by_place.get(place.pk) or agencies
            received = _moment(rng, months_ago)
            channel = rng.choice([Channel.STAFF, Channel.STAFF, Channel.HELPLINE, Channel.API])
            due = received.date() + dt.timedelta(days=3)
            taken = received + dt.timedelta(days=rng.choice([0, 1, 1, 2, 5]))
            rows.append(
                Signal(
                    channel=channel,
                    basis=Basis.HELPLINE if channel == Channel.HELPLINE else Basis.DUTY_ART9,
                    received_at=received,
                    reporting_agency=None if channel == Channel.HELPLINE else rng.choice(local),
                    territory=place,
                    original_text=HISTORY_TEXT,
                    colour=rng.choice([Colour.YELLOW, Colour.YELLOW, Colour.AMBER, Colour.RED]),
                    track=Track.SUPPORT,
                    routed_to=rng.choice(local),
                    status=Status.CLOSED,
                    due_date=due,
                    taken_at=taken,
                )
            )
    Signal.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _cases(rng: random.Random, region: Territory, curators: list[User]) -> int:
    """Past cases are opened and closed through the cases app's services at the moment each
    happened, so they have their plan, status history and audit entries like any other."""
    households = list(
        Household.objects.filter(territory__path__startswith=region.path)
        .exclude(pk__in=Case.objects.values("household_id"))
        .order_by("pk")[: MONTHS * CASES_PER_MONTH * 2]
    )
    rng.shuffle(households)
    now = timezone.now()
    made = 0
    with mail_suppressed():
        for months_ago in range(MONTHS, 0, -1):
            for _i in range(CASES_PER_MONTH):
                if not households:
                    return made
                household = households.pop()
                opened = _moment(rng, months_ago)
                level = rng.choice([Level.SOP, Level.TZHS, Level.TZHS, Level.EARLY])
                closes = months_ago > 3 and rng.random() < 0.5
                closed = opened + dt.timedelta(days=rng.randint(40, 200)) if closes else None
                curator = rng.choice(curators)
                with as_of(opened):
                    case = case_services.case_open(
                        actor=curator,
                        household=household,
                        curator=curator,
                        legal_basis=HISTORY_TEXT,
                    )
                # The level a past assessment would have set (demo history carries no assessment).
                Case.objects.filter(pk=case.pk).update(level=level)
                if closed is not None and closed < now:
                    with as_of(closed):
                        case_services.case_close(
                            actor=curator, case=case, ground=rng.choice(ClosureGround.values)
                        )
                made += 1
    return made


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    municipalities = list(
        Territory.objects.filter(parent=region, level=Territory.Level.MUNICIPALITY)
    )
    agencies = list(Agency.objects.filter(territory__in=municipalities))
    staff = list(
        User.objects.filter(agency__territory__path__startswith=region.path, is_active=True)
        .exclude(role__in=[Role.FEDERAL_ANALYST, Role.ADMINISTRATOR])
        .select_related("agency")
        .order_by("pk")
    )
    curators = [u for u in staff if u.role == Role.CASE_CURATOR] or staff[:5]
    coordinator = next((u for u in staff if u.role == Role.REGIONAL_COORDINATOR), None)
    if not municipalities or not agencies or not staff or coordinator is None:
        return {}
    signals = _signals(rng, municipalities, agencies)
    cases = _cases(rng, region, curators)
    today = timezone.localdate()
    trained = rng.sample(staff, min(len(staff), 40))
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                specialist=user,
                agency=user.agency,
                course=course,
                hours=hours,
                completed_on=today - dt.timedelta(days=rng.randint(5, 420)),
                certificate=f"У-{rng.randint(1000, 9999)}",
                recorded_by=coordinator,
            )
            for user in trained
            for course, hours in [rng.choice(COURSES)]
        ]
    )
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(
                code=code,
                territory=region,
                year=today.year,
                value=Decimal(value),
                set_by=coordinator,
            )
            for code, value in [
                ("signals_on_time_share", "90"),
                ("families_sop", "40"),
                ("in_care_0_4", "10"),
                ("returns_home", "30"),
                ("specialists_trained", "60"),
            ]
        ]
    )
    return {"history_signals": signals, "history_cases": cases, "training_records": len(trained)}
