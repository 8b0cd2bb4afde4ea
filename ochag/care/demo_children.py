"""The demo region's children in care and the commission's next sitting.

A few hundred registry children are placed in bulk (no service sees them: a demo of this size
through the services would add tens of seconds): infants in the infant homes, realistic
grounds and stays of a month to six years, some brothers and sisters split between
institutions, most admissions already reviewed, some reviews overdue, some children without
an overseer. The commission (chair from social protection, secretary from guardianship) is
set up and its next sitting is planned through the services with five children on the
agenda, the parents'-request and poverty cases first: the demo's walk-through reviews them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from ochag.access.models import Agency, AgencyType, User
from ochag.care.models import (
    AgendaItem,
    ContactKind,
    Decision,
    Ground,
    Institution,
    InstitutionType,
    LegalStatus,
    MemberRole,
    ParentContact,
    Placement,
    ReviewKind,
)
from ochag.care.services import commission as commission_services
from ochag.care.services import members as member_services
from ochag.care.services.agenda import agenda_enqueue
from ochag.core.models import Territory
from ochag.registry.demo import children_of_region
from ochag.registry.models import Membership

GROUNDS = [
    (Ground.NO_CARE, 0.30),
    (Ground.DEPRIVED, 0.25),
    (Ground.PARENTS_REQUEST, 0.20),
    (Ground.REMOVAL, 0.15),
    (Ground.OTHER, 0.10),
]
STATUS_BY_GROUND: dict[str, str] = {
    Ground.NO_CARE: LegalStatus.UNKNOWN,
    Ground.DEPRIVED: LegalStatus.DEPRIVED,
    Ground.PARENTS_REQUEST: LegalStatus.WITH_RIGHTS,
    Ground.REMOVAL: LegalStatus.WITH_RIGHTS,
    Ground.OTHER: LegalStatus.RESTRICTED,
}
BARRIERS = [
    "Нет жилья, пригодного для проживания",
    "Мать проходит лечение от зависимости",
    "Долг за коммунальные услуги, отключено отопление",
    "Родители не навещают, связь потеряна",
    "",
]


def _ground(rng: random.Random) -> str:
    return rng.choices([g for g, _ in GROUNDS], weights=[w for _, w in GROUNDS])[0]


def generate_children(
    *, rng: random.Random, region: Territory, institutions: list[Institution], count: int
) -> dict[str, int]:
    today = timezone.localdate()
    five_years_ago = today.replace(year=today.year - 5, day=min(today.day, 28))
    coordinator = User.objects.get(username="demo.coordinator")
    guardianship = {
        a.territory_id: a
        for a in Agency.objects.filter(
            type=AgencyType.GUARDIANSHIP, territory__path__startswith=region.path
        )
    }
    overseers = list(
        User.objects.filter(
            agency__type__in=[AgencyType.GUARDIANSHIP, AgencyType.NGO],
            agency__territory__path__startswith=region.path,
            is_active=True,
        )
    )
    # Children of the region's households, grouped by family (siblings).
    families: dict[int, list[Membership]] = defaultdict(list)
    for m in children_of_region(region.path, born_since=today.year - 17):
        families[m.household_id].append(m)
    chosen = rng.sample(sorted(families), min(len(families), count))
    infant_homes = [i for i in institutions if i.type == InstitutionType.INFANT_HOME]
    others = [i for i in institutions if i.type != InstitutionType.INFANT_HOME]
    placements: list[Placement] = []
    for household_id in chosen:
        members = families[household_id][:3]
        ground = _ground(rng)
        stay_days = int(rng.triangular(20, 6 * 365, 300))
        split = len(members) > 1 and rng.random() < 0.3
        home = rng.choice(others)
        for n, m in enumerate(members):
            person = m.person
            born = dt.date(person.birth_year or today.year - 8, person.birth_month or 6, 15)
            admitted = max(today - dt.timedelta(days=stay_days), born + dt.timedelta(days=30))
            if admitted >= today:
                continue
            # The same test as the 0–4 age band (a missing month or day counts as earliest).
            infant = (person.birth_year or 0, person.birth_month or 0, person.birth_day or 0) > (
                five_years_ago.year,
                five_years_ago.month,
                five_years_ago.day,
            )
            institution = rng.choice(infant_homes) if infant else home
            if split and n > 0 and not infant:
                institution = rng.choice(others)
            placing = guardianship.get(m.household.territory_id)
            if placing is None:
                continue
            placements.append(
                Placement(
                    child=person,
                    institution=institution,
                    region=region,
                    admitted_on=admitted,
                    ground=ground,
                    act_number=f"{rng.randint(10, 999)}-п",
                    act_date=admitted,
                    placing_agency=placing,
                    family_territory=m.household.territory,
                    legal_status=STATUS_BY_GROUND[ground],
                    household_id=household_id,
                    poverty_only=ground == Ground.REMOVAL and rng.random() < 0.3,
                    term_until=(
                        admitted + dt.timedelta(days=180)
                        if ground == Ground.PARENTS_REQUEST
                        else None
                    ),
                    overseer=rng.choice(overseers) if overseers and rng.random() < 0.8 else None,
                    barriers=rng.choice(BARRIERS),
                    recorded_by=coordinator,
                )
            )
    Placement.objects.bulk_create(placements)
    reviews, contacts = [], []
    for p in placements:
        due = p.admitted_on + dt.timedelta(days=14)
        done = due - dt.timedelta(days=rng.randint(0, 5)) if due < today else None
        # About one in twelve admissions was never reviewed: overdue on the board.
        if done is not None and rng.random() < 0.08:
            done = None
        reviews.append(
            AgendaItem(
                placement=p,
                kind=ReviewKind.ADMISSION,
                due_on=due,
                done_on=done,
                decision=Decision.JUSTIFIED if done else "",
                reasons="Возвращение в семью пока невозможно" if done else "",
                action="refer" if done else "",
            )
        )
        if p.legal_status == LegalStatus.WITH_RIGHTS and rng.random() < 0.6:
            contacts.append(
                ParentContact(
                    placement=p,
                    on=today - dt.timedelta(days=rng.randint(1, 60)),
                    kind=rng.choice([ContactKind.VISIT, ContactKind.CALL, ContactKind.HOME_LEAVE]),
                    who="Мать",
                    recorded_by=coordinator,
                )
            )
    AgendaItem.objects.bulk_create(reviews)
    ParentContact.objects.bulk_create(contacts)
    _commission(region, placements, today)
    return {"children_in_care": len(placements)}


def _commission(region: Territory, placements: list[Placement], today: dt.date) -> None:
    users = {u.username: u for u in User.objects.filter(username__startswith="demo.")}
    commission = member_services.commission_create(
        actor=None,
        region=region,
        name="Межведомственная комиссия по оценке обоснованности помещения детей в организации",
        legal_source="Постановление правительства области № 88 (демо)",
    )
    cast = [
        ("demo.curator.head", MemberRole.CHAIR),
        ("demo.opeka", MemberRole.SECRETARY),
        ("demo.ngo", MemberRole.MEMBER),
        ("demo.clinic", MemberRole.MEMBER),
        ("demo.school", MemberRole.MEMBER),
    ]
    for name, role in cast:
        if name in users:
            member_services.member_add(
                actor=None, commission=commission, user=users[name], role=role
            )
    secretary = users.get("demo.opeka")
    if secretary is None:
        return
    sitting = commission_services.sitting_create(
        actor=secretary,
        commission=commission,
        date=today + dt.timedelta(days=3),
        place="Министерство социального развития, зал заседаний",
    )
    open_reviews = AgendaItem.objects.filter(
        placement__in=[p.pk for p in placements], done_on__isnull=True
    ).select_related("placement")
    first = [
        r
        for r in open_reviews
        if r.placement.poverty_only or r.placement.ground == Ground.PARENTS_REQUEST
    ][:2]
    rest = [r for r in open_reviews if r not in first][: 5 - len(first)]
    for r in first:
        r.priority_reason = (
            "Отобрание только по признакам бедности"
            if r.placement.poverty_only
            else "Помещён по заявлению родителей"
        )
        r.save(update_fields=["priority_reason"])
    agenda_enqueue(actor=secretary, items=first + rest, sitting=sitting)
