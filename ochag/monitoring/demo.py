"""The demo region's history for the dashboards: fourteen months of signals and cases, so
every indicator shows a trend (the other apps' demos tell the last few weeks' story), a
training register and the year's targets. The history goes through the signals' and cases'
public services at the moment each step happened (signals: ``signals_record_past``; cases:
``case_open``/``case_close`` under ``as_of``), and its texts mark it as demo history."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from ochag.access.models import Agency, Role, User
from ochag.access.notifications import mail_suppressed
from ochag.cases import services as case_services
from ochag.cases.demo import past_level_set
from ochag.cases.models import ClosureGround, Level
from ochag.core.clock import as_of
from ochag.core.models import Territory
from ochag.monitoring.models import IndicatorTarget, TrainingRecord
from ochag.registry.demo import households_in
from ochag.signals.config import IntakeContext
from ochag.signals.demo import SCENARIOS
from ochag.signals.history import PastSignal, signals_record_past
from ochag.signals.inputs import SignalInput
from ochag.signals.models import Basis, Channel

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


def _signals(
    rng: random.Random, region: Territory, municipalities: list[Territory], staff: list[User]
) -> int:
    """Past signals from staff, the helpline and agencies' systems, each taken into work by
    the body the region's rules routed it to, from the same day to five days later."""
    reporters: dict[int, list[User]] = {}
    handlers: dict[int, User] = {}
    for user in staff:
        if user.agency is not None and user.sees_personal_data:
            reporters.setdefault(user.agency.territory_id, []).append(user)
            if not user.is_supervisor:
                handlers.setdefault(user.agency.pk, user)
    operators = [u for u in staff if u.role == Role.HELPLINE_OPERATOR]
    codes = [scenario_codes for _c, _l, scenario_codes, _t in SCENARIOS]
    items = []
    for months_ago in range(MONTHS, 0, -1):
        for _i in range(SIGNALS_PER_MONTH + rng.randint(-8, 8)):
            place = rng.choice(municipalities)
            local = reporters.get(place.pk) or [u for users in reporters.values() for u in users]
            channel = rng.choice([Channel.STAFF, Channel.STAFF, Channel.HELPLINE, Channel.API])
            if channel == Channel.HELPLINE and not operators:
                channel = Channel.STAFF
            reporter = rng.choice(operators if channel == Channel.HELPLINE else local)
            items.append(
                PastSignal(
                    data=SignalInput(
                        channel=channel,
                        basis=Basis.HELPLINE if channel == Channel.HELPLINE else Basis.DUTY_ART9,
                        territory=place,
                        original_text=HISTORY_TEXT,
                        indicator_codes=rng.choice(codes),
                        received_at=_moment(rng, months_ago),
                    ),
                    actor=None if channel == Channel.API else reporter,
                    agency=reporter.agency if channel == Channel.API else None,
                    taken_after=dt.timedelta(days=rng.choice([0, 1, 1, 2, 5]), hours=1),
                )
            )
    return len(signals_record_past(items=items, context=IntakeContext(region), handlers=handlers))


def _cases(rng: random.Random, region: Territory, curators: list[User]) -> int:
    """Past cases are opened and closed through the cases app's services at the moment each
    happened, so they have their plan, status history and audit entries like any other."""
    households = list(
        households_in(region.path)
        .filter(cases__isnull=True)
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
                past_level_set(case=case, level=level)
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
    signals = _signals(rng, region, municipalities, staff)
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
