"""The demo region's care: about twenty institutions (two infant homes, remote ones far from
the regional centre, some never visited or not visited for months) with transformation plans
and incidents (institutions through the service, so their audit entries are real; visits,
many and old, in bulk), then the children in care and the commission
(:mod:`ochag.care.demo_children`).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from ochag.access.models import Agency, AgencyType, User
from ochag.care.demo_children import generate_children
from ochag.care.models import (
    IncidentKind,
    Institution,
    InstitutionType,
    MonthlyCost,
    TransformationStatus,
    Visit,
)
from ochag.care.services import institutions as services
from ochag.core.clock import as_of
from ochag.core.models import Territory

# (name, type, municipality index, capacity, km, minutes, own agency short name)
INSTITUTIONS = [
    ("Дом ребёнка «Солнышко»", InstitutionType.INFANT_HOME, 0, 60, 3, 15, ""),
    ("Специализированный дом ребёнка № 2", InstitutionType.INFANT_HOME, 1, 45, 90, 100, ""),
    ("СРЦН «Радуга»", InstitutionType.SRCN, 0, 40, 5, 20, "СРЦН «Радуга»"),
    ("ЦССВ «Надежда»", InstitutionType.ORPHANAGE, 1, 80, 85, 95, "ЦССВ «Надежда»"),
    ("ЦССВ «Берёзка»", InstitutionType.ORPHANAGE, 2, 60, 140, 170, ""),
    ("ЦССВ «Журавушка»", InstitutionType.ORPHANAGE, 3, 50, 210, 260, ""),
    ("Детский дом-интернат «Лесной»", InstitutionType.BOARDING_DISABLED, 4, 90, 260, 330, ""),
    (
        "Детский дом-интернат для детей-инвалидов № 1",
        InstitutionType.BOARDING_DISABLED,
        0,
        120,
        12,
        25,
        "",
    ),
    ("СРЦН «Островок»", InstitutionType.SRCN, 5, 30, 170, 200, ""),
    ("СРЦН «Парус»", InstitutionType.SRCN, 6, 30, 120, 150, ""),
    ("СРЦН «Теремок»", InstitutionType.SRCN, 7, 25, 310, 390, ""),
    ("Приют «Ковчег»", InstitutionType.SHELTER, 8, 20, 95, 120, ""),
    ("Приют «Маяк»", InstitutionType.SHELTER, 9, 20, 160, 210, ""),
    ("Социальный приют «Добрый дом»", InstitutionType.SHELTER, 10, 15, 230, 280, ""),
    ("ЦССВ «Родничок»", InstitutionType.ORPHANAGE, 11, 55, 190, 240, ""),
    ("Кадетская школа-интернат", InstitutionType.OTHER, 1, 100, 80, 90, ""),
    ("ЦССВ «Ласточка»", InstitutionType.ORPHANAGE, 5, 40, 175, 215, ""),
    ("СРЦН «Северный»", InstitutionType.SRCN, 11, 25, 350, 480, ""),
    ("Приют «Росинка»", InstitutionType.SHELTER, 2, 18, 135, 160, ""),
    ("ЦССВ «Исток»", InstitutionType.ORPHANAGE, 4, 45, 250, 320, ""),
]
COSTS = {
    InstitutionType.INFANT_HOME: 145_000,
    InstitutionType.ORPHANAGE: 98_000,
    InstitutionType.SRCN: 85_000,
    InstitutionType.BOARDING_DISABLED: 160_000,
    InstitutionType.SHELTER: 80_000,
    InstitutionType.OTHER: 70_000,
}


def _institutions(
    rng: random.Random, region: Territory, coordinator: User, today: dt.date
) -> list[Institution]:
    municipalities = list(
        Territory.objects.filter(parent=region, level=Territory.Level.MUNICIPALITY).order_by("pk")
    )
    ministry = Agency.objects.filter(territory=region, type=AgencyType.MINISTRY).first()
    own = {
        a.short_name: a
        for a in Agency.objects.filter(
            type=AgencyType.INSTITUTION, territory__path__startswith=region.path
        )
    }
    visitors = list(
        Agency.objects.filter(
            territory__path__startswith=region.path,
            type__in=[AgencyType.GUARDIANSHIP, AgencyType.MINISTRY, AgencyType.KDN],
        )
    )
    made = []
    visits = []
    for index, (name, kind, mun, capacity, km, minutes, agency_name) in enumerate(INSTITUTIONS):
        status = [
            TransformationStatus.NONE,
            TransformationStatus.PLANNED,
            TransformationStatus.UNDER_WAY,
        ][index % 3]
        inst = services.institution_save(
            actor=coordinator,
            name=name,
            type=kind,
            agency=own.get(agency_name),
            operating_agency=ministry,
            territory=municipalities[mun % len(municipalities)],
            address=f"ул. Школьная, {index + 3}",
            capacity=capacity,
            distance_km=km,
            travel_minutes=minutes,
            transformation_target=(
                "Центр поддержки семей с сопровождаемым проживанием"
                if status != TransformationStatus.NONE
                else ""
            ),
            transformation_status=status,
            is_active=True,
        )
        made.append(inst)
        if status != TransformationStatus.NONE:
            services.milestone_add(
                actor=coordinator,
                institution=inst,
                title="Открыть службу сопровождения выпускников",
                owner="Директор учреждения",
                owner_agency=ministry,
                due_on=today + dt.timedelta(days=rng.randint(-40, 200)),
            )
        # Remote institutions are visited rarely, some never: the board shows them first.
        gap = rng.randint(150, 400) if inst.is_remote else rng.randint(10, 120)
        if inst.is_remote and index % 4 == 1:
            continue
        last = today - dt.timedelta(days=gap)
        for n in range(rng.randint(1, 4)):
            visits.append(
                Visit(
                    institution=inst,
                    agency=rng.choice(visitors),
                    visited_on=last - dt.timedelta(days=n * rng.randint(60, 120)),
                    announced=rng.random() < 0.7,
                    findings="Условия проживания соответствуют нормам; замечаний нет.",
                    recorded_by=coordinator,
                )
            )
        Institution.objects.filter(pk=inst.pk).update(last_visit_on=last)
    Visit.objects.bulk_create(visits)
    return made


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    try:
        coordinator = User.objects.get(username="demo.coordinator")
    except User.DoesNotExist:
        return {}
    today = timezone.localdate()
    MonthlyCost.objects.bulk_create(
        [MonthlyCost(region=region, type=t, per_child_month=Decimal(v)) for t, v in COSTS.items()]
    )
    made = _institutions(rng, region, coordinator, today)
    services.incident_record(
        actor=coordinator,
        institution=made[6],
        kind=IncidentKind.RUNAWAY,
        occurred_on=today - dt.timedelta(days=3),
        description="Воспитанник 15 лет ушёл из учреждения, найден полицией через сутки.",
        follow_up="Служебная проверка, беседа с психологом",
        follow_up_agency=made[6].operating_agency,
    )
    # A complaint three weeks ago whose follow-up was never done: overdue on the board.
    with as_of(timezone.now() - dt.timedelta(days=21)):
        services.incident_record(
            actor=coordinator,
            institution=made[10],
            kind=IncidentKind.COMPLAINT,
            occurred_on=today - dt.timedelta(days=22),
            description="Жалоба родителей на отсутствие связи с ребёнком по телефону.",
            follow_up="Проверить порядок телефонных звонков, ответить родителям",
            follow_up_agency=made[10].operating_agency,
        )
    counts = generate_children(rng=rng, region=region, institutions=made, count=220)
    return {"institutions": len(made), **counts}
