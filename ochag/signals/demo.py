"""Demo content: the region's routing table and a few dozen signals from every channel."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ochag.access.models import AgencyType, User
from ochag.core.models import Territory
from ochag.registry.models import Membership
from ochag.signals import intake
from ochag.signals.config import IntakeContext
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Basis,
    Channel,
    RegionSettings,
    RoutingRule,
    Signal,
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
    school = users.get("demo.school")
    home = school.agency.territory if school and school.agency else None
    children = (
        list(
            Membership.objects.filter(role="child", household__territory=home).select_related(
                "person", "household"
            )[:400]
        )
        if home
        else []
    )
    now = timezone.now()
    context = IntakeContext(region)
    for index in range(36):
        channel, login, codes, text = SCENARIOS[index % len(SCENARIOS)]
        actor = users.get(login) if login else None
        member = rng.choice(children) if children else None
        subjects = []
        # A few families get repeated signals so the raised priority shows in the queue.
        if member is not None and index % 9 == 0 and index:
            member = children[0]
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
        territory = home or Territory.objects.filter(parent=region).first()
        if territory is None:
            break
        intake.signal_create(
            actor=actor if channel != Channel.API else None,
            agency=actor.agency if channel == Channel.API and actor else None,
            data=SignalInput(
                channel=channel,
                basis=basis,
                territory=territory,
                original_text=text,
                indicator_codes=codes,
                subjects=subjects,
                address=member.household.address if member and channel != Channel.HELPLINE else "",
                received_at=now - dt.timedelta(hours=rng.randint(0, 24 * 20)),
            ),
            context=context,
        )
    return {
        "signals": Signal.objects.count(),
        "routing_rules": RoutingRule.objects.filter(region=region).count(),
    }
