"""Demo content: the region's routing table and a few dozen signals from every channel, in
three municipalities over the last three weeks, each handled as a body would have handled it.
Other apps' demo content finds the signals it builds on here (``support_signal_waiting``)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ochag.access.models import AgencyType, User
from ochag.core.clock import as_of
from ochag.core.models import Territory
from ochag.registry.demo import children_living_in
from ochag.signals import intake, services
from ochag.signals.config import IntakeContext
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Basis,
    Channel,
    Colour,
    RegionSettings,
    RoutingRule,
    Signal,
    Status,
    SubjectRole,
    Track,
)

# (channel, reporter login, indicator codes, text)
SCENARIOS = [
    (
        Channel.STAFF,
        "demo.school",
        ["persistent_truancy"],
        "Ученик не посещает школу третью неделю.",
    ),
    (
        Channel.STAFF,
        "demo.school",
        ["no_clothing_supplies", "low_income"],
        "У ребёнка нет зимней одежды.",
    ),
    (
        Channel.STAFF,
        "demo.clinic",
        ["missed_medical"],
        "Ребёнок пропустил два обязательных осмотра.",
    ),
    (
        Channel.STAFF,
        "demo.clinic",
        ["signs_of_violence"],
        "При осмотре обнаружены синяки разной давности.",
    ),
    (
        Channel.STAFF,
        "demo.police",
        ["caregiver_intoxicated", "child_alone_under_10"],
        "Соседи сообщили: мать в состоянии опьянения, ребёнок 5 лет один.",
    ),
    (
        Channel.HELPLINE,
        "demo.helpline",
        ["family_conflict"],
        "Подросток рассказал о постоянных ссорах дома.",
    ),
    (Channel.HELPLINE, "demo.helpline", ["signs_of_violence"], "Ребёнок говорит, что его бьют."),
    (Channel.PUBLIC, "", ["no_food"], "Соседские дети просят еду, в квартире нет продуктов."),
    (Channel.PUBLIC, "", ["unsanitary_housing"], "В квартире сильный запах, мусор на лестнице."),
    (
        Channel.API,
        "demo.ngo",
        ["housing_debt", "long_unemployment"],
        "Семья обратилась за помощью: долг за ЖКУ.",
    ),
    (
        Channel.API,
        "demo.ngo",
        ["newborn_abandonment_risk"],
        "Мать новорождённого думает об отказе.",
    ),
    (
        Channel.STAFF,
        "demo.curator",
        ["disabled_member_care", "material_aid_requests"],
        "Нужен уход за ребёнком.",
    ),
]


# Where the demo's signals happen: the two towns carry most of the work, one district a little.
PLACES = ("Городской округ Озёрск", "Городской округ Северогорск", "Заречный муниципальный район")
PLACE_WEIGHTS = (6, 3, 1)
DAYS_BACK = 20
FRESH = dt.timedelta(hours=8)  # this morning's: not yet taken


def support_signal_waiting() -> Signal | None:
    """The first routed signal on the support track that is not yet closed or returned."""
    return (
        Signal.objects.filter(
            track=Track.SUPPORT,
            status__in=(Status.NEW, Status.ASSIGNED, Status.ACCEPTED),
            routed_to__isnull=False,
        )
        .order_by("pk")
        .first()
    )


def _handler(signal: Signal, users: dict[str, User]) -> User | None:
    """Who in the body the signal is routed to takes it: the demo account working there, or
    the body's first member of staff."""
    if signal.routed_to_id is None:
        return None
    for user in users.values():
        if user.agency_id == signal.routed_to_id and not user.is_supervisor:
            return user
    return (
        User.objects.filter(agency_id=signal.routed_to_id, is_active=True)
        .order_by("-is_supervisor", "pk")
        .first()
    )


def _supervisor(signal: Signal) -> User | None:
    if signal.routed_to_id is None:
        return None
    return (
        User.objects.filter(agency_id=signal.routed_to_id, is_supervisor=True, is_active=True)
        .order_by("pk")
        .first()
    )


def _follow_up(
    signal: Signal,
    *,
    users: dict[str, User],
    now: dt.datetime,
    rng: random.Random,
    assigned: set[int],
) -> str:
    """What the body did with the signal up to now, written at the time it did it.

    Red signals are taken the same day (the safety check is same-day), except those that
    arrived this morning: they wait on the home page. Other signals are mostly accepted within
    their deadline; a few wait past it. Of this morning's signals, each body's supervisor has
    assigned the first to a specialist, who has not accepted it yet."""
    handler = _handler(signal, users)
    if handler is None or signal.routed_to_id is None:
        return "unrouted"  # waits in the coordinator's queue
    if now - signal.received_at < FRESH:
        boss = _supervisor(signal)
        if boss is not None and boss != handler and signal.routed_to_id not in assigned:
            assigned.add(signal.routed_to_id)
            at = min(now, signal.received_at + dt.timedelta(minutes=rng.randint(10, 90)))
            with as_of(at):
                services.signal_assign(actor=boss, signal=signal, assignee=handler)
            return "assigned"
        return "new"
    if signal.colour != Colour.RED and signal.due_date and rng.random() < 0.2:
        return "waiting"  # past its deadline or close to it, not taken yet
    delay = (
        dt.timedelta(minutes=rng.randint(20, 180))
        if signal.colour == Colour.RED
        else dt.timedelta(hours=rng.randint(2, 40))
    )
    with as_of(min(now, signal.received_at + delay)):
        services.signal_accept(actor=handler, signal=signal)
    return "accepted"


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    RegionSettings.objects.update_or_create(
        region=region, defaults={"assessment_days": 3, "support_days": 5, "repeat_threshold": 3}
    )
    for track, kind in (
        (Track.SAFETY, AgencyType.GUARDIANSHIP),
        (Track.ASSESSMENT, AgencyType.KDN),
        (Track.SUPPORT, AgencyType.SOCIAL_PROTECTION),
    ):
        RoutingRule.objects.update_or_create(
            region=region,
            track=track,
            territory=None,
            defaults={"agency_type": kind, "agency": None},
        )
    users = {
        u.username: u
        for u in User.objects.filter(username__startswith="demo.").select_related("agency")
    }
    places = [t for t in Territory.objects.filter(parent=region, name__in=PLACES) if t is not None]
    places.sort(key=lambda t: PLACES.index(t.name))
    if not places:
        return {}
    weights = PLACE_WEIGHTS[: len(places)]
    children = {t.pk: children_living_in(t.pk, limit=400) for t in places}
    now = timezone.now()
    # Received times first, so the story is written in the order it happened.
    plan = []
    for index in range(36):
        # This morning's signals, red ones among them; the rest over the last three weeks.
        if index < 24 and index % 12 in (0, 4, 6):
            received = now - dt.timedelta(minutes=rng.randint(5, 6 * 60))
        else:
            received = now - dt.timedelta(
                days=rng.randint(1, DAYS_BACK), hours=rng.randint(0, 9), minutes=rng.randint(0, 59)
            )
        plan.append((received, index, rng.choices(places, weights)[0]))
    plan.sort(key=lambda p: p[0])
    context = IntakeContext(region)
    outcomes: dict[str, int] = {}
    assigned: set[int] = set()
    for received, index, territory in plan:
        channel, login, codes, text = SCENARIOS[index % len(SCENARIOS)]
        actor = users.get(login) if login else None
        pool = children.get(territory.pk, [])
        member = rng.choice(pool) if pool else None
        # A few families get repeated signals so the raised priority shows in the queue.
        if pool and index and index % 9 == 0:
            member = pool[0]
        subjects = []
        if member is not None and channel != Channel.HELPLINE:
            p = member.person
            subjects.append(
                SubjectInput(
                    role=SubjectRole.CHILD,
                    last_name=p.last_name,
                    first_name=p.first_name,
                    patronymic=p.patronymic,
                    birth_date=p.birth_iso,
                )
            )
        basis = {Channel.HELPLINE: Basis.HELPLINE, Channel.PUBLIC: Basis.CITIZEN}.get(
            channel, Basis.DUTY_ART9
        )
        with as_of(received):
            signal = intake.signal_create(
                actor=actor if channel != Channel.API else None,
                agency=actor.agency if channel == Channel.API and actor else None,
                data=SignalInput(
                    channel=channel,
                    basis=basis,
                    territory=territory,
                    original_text=text,
                    indicator_codes=codes,
                    subjects=subjects,
                    address=member.household.address
                    if member and channel != Channel.HELPLINE
                    else "",
                    received_at=received,
                ),
                context=context,
            )
        outcome = _follow_up(signal, users=users, now=now, rng=rng, assigned=assigned)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return {
        "signals": Signal.objects.count(),
        "routing_rules": RoutingRule.objects.filter(region=region).count(),
        **{f"signals_{k}": v for k, v in sorted(outcomes.items())},
    }
