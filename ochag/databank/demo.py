"""Demo data bank: a few dozen children (a sibling group of three, a child with a
disability, some a month in the bank and due for the federal one) and a few dozen
candidate families at every stage (inspection due and overdue, training, conclusions)."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.databank import policies, ranking, services
from ochag.databank.centroids import centroid
from ochag.databank.models import (
    ChildProfile,
    Conclusion,
    ContactOutcome,
    FederalDeadline,
    FormOfCare,
    LegalStatus,
    Need,
    PhotoPurpose,
    TrainingExemption,
)
from ochag.registry import policies as registry_policies
from ochag.registry import selectors as registry_selectors
from ochag.registry.models import MemberRole, Person

CENTRE = (57.0, 61.0)
PHOTO_COLOURS = [(180, 200, 230), (230, 200, 170), (190, 220, 190), (220, 190, 220)]
DESCRIPTIONS = [
    "Спокойный, любит рисовать и собирать конструктор. Хорошо ладит со взрослыми.",
    "Подвижная, общительная, занимается в танцевальном кружке. Учится на «хорошо».",
    "Застенчив с незнакомыми, быстро привыкает. Любит животных и футбол.",
    "Любознательная, много читает, мечтает стать врачом.",
]


def _home(rng: random.Random, territory: Territory | None) -> dict[str, object]:
    """Every other home by its address (the municipality's centre and a few km off it),
    the rest by the municipality alone (the centre from the committed table)."""
    data: dict[str, object] = {"home_territory": territory}
    point = centroid(territory) if territory is not None else None
    if point is None or rng.random() < 0.5:
        lat, lon = point or CENTRE
        data["home_lat"] = lat + rng.gauss(0, 0.04)
        data["home_lon"] = lon + rng.gauss(0, 0.07)
    return data


def _photo(rng: random.Random, letter: str) -> SimpleUploadedFile:
    """A drawn placeholder (the demo has no real children): a coloured square and a letter."""
    image = Image.new("RGB", (240, 300), rng.choice(PHOTO_COLOURS))
    ImageDraw.Draw(image).text((110, 140), letter, fill=(60, 60, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _age(person: Person, today: dt.date) -> int:
    return today.year - (person.birth_year or today.year)


def _children(rng: random.Random, user: User, today: dt.date, count: int) -> int:
    assert user.agency is not None
    persons = registry_policies.persons.visible(user).filter(
        birth_year__gte=today.year - 17, birth_year__lte=today.year - 1
    )
    made = 0
    taken: set[int] = set(ChildProfile.objects.values_list("person_id", flat=True))
    # A sibling group of three from one household, to be placed together.
    for household in registry_policies.households.visible(user).order_by("pk")[:300]:
        kids = [
            m.person
            for m in registry_selectors.household_members(user, household)
            if m.role == MemberRole.CHILD and m.person.birth_year and _age(m.person, today) < 18
        ]
        if len(kids) >= 3 and not taken & {k.pk for k in kids}:
            group = [_child(rng, user, p, today, health=2, needs=[]) for p in kids[:3]]
            if user.username.endswith("2"):
                # The second body's group: a recorded decision lets them be placed apart.
                services.siblings_join(
                    actor=user,
                    children=group,
                    must_be_together=False,
                    document="Постановление органа опеки № 45-п",
                    on=today - dt.timedelta(days=20),
                )
            else:
                services.siblings_join(actor=user, children=group, must_be_together=True)
            taken |= {p.pk for p in kids[:3]}
            made += 3
            break
    for person in persons.exclude(pk__in=taken).order_by("pk")[: count - made]:
        disabled = made % 9 == 4
        _child(
            rng,
            user,
            person,
            today,
            health=5 if disabled else rng.choice([1, 2, 2, 3]),
            needs=[Need.DISABILITY] if disabled else ([Need.CHRONIC] if rng.random() < 0.2 else []),
        )
        made += 1
    return made


def _child(
    rng: random.Random, user: User, person: Person, today: dt.date, *, health: int, needs: list[str]
) -> ChildProfile:
    assert user.agency is not None
    deprived = rng.random() < 0.4
    forms = [FormOfCare.GUARDIANSHIP, FormOfCare.FOSTER] + (
        [FormOfCare.ADOPTION] if deprived else []
    )
    child = services.child_create(
        actor=user,
        person=person,
        agency=user.agency,
        identified_on=today - dt.timedelta(days=rng.randint(3, 50)),
        legal_status=LegalStatus.DEPRIVED if deprived else LegalStatus.RESTRICTED,
        forms=forms,
        health_group=health,
        needs=needs,
        language="ru",
        description=rng.choice(DESCRIPTIONS),
        **_home(rng, person.territory or user.agency.territory),
    )
    if rng.random() < 0.25:
        services.photo_save(
            actor=user,
            child=child,
            upload=_photo(rng, person.first_name[:1]),
            consent_by="Законный представитель (руководитель организации для детей-сирот)",
            consent_on=today - dt.timedelta(days=rng.randint(1, 20)),
            purposes=[PhotoPurpose.PROFILE]
            + ([PhotoPurpose.CANDIDATES] if rng.random() < 0.7 else []),
        )
    if rng.random() < 0.3:
        # Entered five to six weeks ago: the month has run out without a family.
        entered = today - dt.timedelta(days=rng.randint(35, 42))
        ChildProfile.objects.filter(pk=child.pk).update(created_on=entered)
        FederalDeadline.objects.filter(child=child).update(due_on=services.add_month(entered))
    return child


def _families(rng: random.Random, user: User, today: dt.date, count: int) -> int:
    assert user.agency is not None
    adults = registry_policies.persons.visible(user).filter(
        birth_year__gte=today.year - 55, birth_year__lte=today.year - 25
    )
    made = 0
    for i, person in enumerate(adults.order_by("-pk")[:count]):
        young = rng.random() < 0.6
        capacity = rng.choice([1, 1, 1, 2, 3])
        family = services.family_create(
            actor=user,
            applicant=person,
            agency=user.agency,
            applied_on=today - dt.timedelta(days=rng.choice([1, 3, 5, 9, 12, 40, 90, 120])),
            documents=["application", "passport", "income", "medical"],
            training_exemption=TrainingExemption.RELATIVE if i % 7 == 0 else "",
            forms=rng.sample([FormOfCare.ADOPTION, FormOfCare.GUARDIANSHIP, FormOfCare.FOSTER], 2),
            capacity=capacity,
            age_min=0 if young else rng.randint(4, 9),
            age_max=rng.randint(4, 7) if young else rng.randint(10, 17),
            sex=rng.choice(["", "", "f", "m"]),
            siblings=capacity > 1,
            accepted_needs=[Need.CHRONIC] + ([Need.DISABILITY] if i % 6 == 0 else []),
            health_group_max=5 if i % 6 == 0 else rng.choice([2, 3]),
            languages="ru",
            **_home(rng, person.territory or user.agency.territory),
        )
        made += 1
        if (today - family.applied_on).days < 7 or i % 10 == 3:
            continue  # waiting for the home inspection (one in ten overdue)
        services.family_inspect(
            actor=user, family=family, on=family.applied_on + dt.timedelta(days=rng.randint(2, 7))
        )
        if (today - family.applied_on).days < 30:
            continue  # at the foster parents' school
        family.training_done_on = family.applied_on + dt.timedelta(days=28)
        family.save(update_fields=["training_done_on"])
        services.family_conclude(
            actor=user,
            family=family,
            conclusion=Conclusion.MAY_NOT if i % 11 == 5 else Conclusion.MAY,
            valid_until=today + dt.timedelta(days=rng.randint(200, 700)),
        )
    return made


def generate(*, rng: random.Random, region: Territory) -> dict[str, int]:
    users = list(
        User.objects.filter(username__in=["demo.opeka", "demo.opeka2"]).order_by("username")
    )
    if not users:
        return {}
    today = timezone.localdate()
    children = sum(_children(rng, u, today, 18) for u in users)
    families = sum(_families(rng, u, today, 16) for u in users)
    # One contact with an outcome, on the first child of the bank.
    first = users[0]
    child = policies.children.visible(first).order_by("pk").first()
    if child is not None:
        best = ranking.families_for(child, policies.matchable_families(first), today, limit=1)
        if best:
            family = policies.matchable_families(first).get(pk=int(best[0].family.key))
            services.contact_record(
                actor=first,
                child=child,
                family=family,
                on=today - dt.timedelta(days=2),
                outcome=ContactOutcome.MET,
                note="Первое знакомство прошло хорошо, семья думает.",
            )
    # Two children found families this month (monitoring counts placements by form).
    for placed in policies.children.visible(first).filter(siblings=None).order_by("-pk")[:2]:
        services.child_place(
            actor=first, child=placed, on=today - dt.timedelta(days=1), form=placed.forms[0]
        )
    return {"databank_children": children, "databank_families": families}
