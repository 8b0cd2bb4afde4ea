"""A synthetic region, generated deterministically from a seed.

About 12 municipalities, 60 agencies, 200 staff and 50 000 persons in households, with
demo accounts for every role. Nothing here is real: names are drawn by real frequency,
everything else is invented.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.services import user_create
from ochag.core.generation import config_generation_bump
from ochag.core.models import Territory
from ochag.core.statistics import statistics_refresh
from ochag.demo.names import father_name, first_names, patronymic_of, surnames
from ochag.registry.demo import families_bulk_create
from ochag.registry.models import (
    Household,
    MemberRole,
    Membership,
    Person,
    RelationKind,
    Relationship,
)

REGION_NAME = "Северо-Озёрская область (демо)"
MUNICIPALITIES = [
    ("Городской округ Озёрск", 0.22),
    ("Городской округ Северогорск", 0.16),
    ("Заречный муниципальный район", 0.08),
    ("Луговской муниципальный район", 0.07),
    ("Боровской муниципальный район", 0.07),
    ("Краснохолмский муниципальный округ", 0.07),
    ("Сосновский муниципальный район", 0.06),
    ("Верхнеудинский муниципальный округ", 0.06),
    ("Ильинский муниципальный район", 0.05),
    ("Берёзовский муниципальный район", 0.05),
    ("Тихореченский муниципальный округ", 0.06),
    ("Каменский муниципальный район", 0.05),
]
STREETS = [
    "Ленина",
    "Советская",
    "Мира",
    "Школьная",
    "Садовая",
    "Лесная",
    "Молодёжная",
    "Набережная",
    "Заречная",
    "Центральная",
    "Новая",
    "Гагарина",
    "Первомайская",
]
TODAY = dt.date(2026, 11, 1)


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    agency: str


@dataclass
class Result:
    logins: list[DemoLogin] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _agencies(region: Territory, municipalities: list[Territory]) -> dict[str, list[Agency]]:
    """Municipal bodies in every municipality, plus the region-level ones."""
    made: dict[str, list[Agency]] = {}

    def add(name: str, short: str, kind: AgencyType, territory: Territory, email: str) -> None:
        agency = Agency.objects.create(
            name=name,
            short_name=short,
            type=kind,
            territory=territory,
            email=email,
            phone="8-800-000-00-00",
        )
        made.setdefault(kind, []).append(agency)

    add(
        "Министерство социального развития Северо-Озёрской области",
        "Минсоцразвития",
        AgencyType.MINISTRY,
        region,
        "minsoc@demo.invalid",
    )
    add(
        "Областная комиссия по делам несовершеннолетних и защите их прав",
        "Областная КДН и ЗП",
        AgencyType.KDN,
        region,
        "kdn@demo.invalid",
    )
    add(
        "Детский телефон доверия Северо-Озёрской области",
        "Телефон доверия",
        AgencyType.HELPLINE,
        region,
        "helpline@demo.invalid",
    )
    add(
        "АНО «Семья рядом» — ведущий оператор поддержки семей",
        "АНО «Семья рядом»",
        AgencyType.NGO,
        region,
        "ngo@demo.invalid",
    )
    add(
        "Социально-реабилитационный центр для несовершеннолетних «Радуга»",
        "СРЦН «Радуга»",
        AgencyType.INSTITUTION,
        municipalities[0],
        "raduga@demo.invalid",
    )
    add(
        "Центр содействия семейному воспитанию «Надежда»",
        "ЦССВ «Надежда»",
        AgencyType.INSTITUTION,
        municipalities[1],
        "nadezhda@demo.invalid",
    )
    for index, mun in enumerate(municipalities, start=1):
        place = (
            mun.name.split(" ", 2)[-1] if mun.name.startswith("Городской") else mun.name.split()[0]
        )
        add(
            f"КДН и ЗП — {mun.name}",
            f"КДН {place}",
            AgencyType.KDN,
            mun,
            f"kdn{index}@demo.invalid",
        )
        add(
            f"Отдел опеки и попечительства — {mun.name}",
            f"Опека {place}",
            AgencyType.GUARDIANSHIP,
            mun,
            f"opeka{index}@demo.invalid",
        )
        add(
            f"Комплексный центр социального обслуживания — {mun.name}",
            f"КЦСОН {place}",
            AgencyType.SOCIAL_PROTECTION,
            mun,
            f"kcson{index}@demo.invalid",
        )
        add(
            f"Средняя школа № {index} — {mun.name}",
            f"Школа № {index}",
            AgencyType.EDUCATION,
            mun,
            f"school{index}@demo.invalid",
        )
        if index <= 6:
            add(
                f"Детская поликлиника — {mun.name}",
                f"Поликлиника {place}",
                AgencyType.HEALTH,
                mun,
                f"clinic{index}@demo.invalid",
            )
        if index <= 4:
            add(
                f"ПДН ОМВД — {mun.name}",
                f"ПДН {place}",
                AgencyType.POLICE,
                mun,
                f"pdn{index}@demo.invalid",
            )
    return made


# Demo accounts: (login, role, agency type, index of the agency of that type, supervisor).
DEMO_ACCOUNTS = [
    ("coordinator", Role.REGIONAL_COORDINATOR, AgencyType.MINISTRY, 0, False),
    ("admin", Role.ADMINISTRATOR, AgencyType.MINISTRY, 0, False),
    ("analyst", Role.FEDERAL_ANALYST, AgencyType.MINISTRY, 0, False),
    ("kdn", Role.KDN_SECRETARY, AgencyType.KDN, 1, False),
    ("opeka", Role.GUARDIANSHIP_SPECIALIST, AgencyType.GUARDIANSHIP, 0, False),
    ("opeka.head", Role.GUARDIANSHIP_SPECIALIST, AgencyType.GUARDIANSHIP, 0, True),
    ("opeka2", Role.GUARDIANSHIP_SPECIALIST, AgencyType.GUARDIANSHIP, 1, False),
    ("curator", Role.CASE_CURATOR, AgencyType.SOCIAL_PROTECTION, 0, False),
    ("curator.head", Role.CASE_CURATOR, AgencyType.SOCIAL_PROTECTION, 0, True),
    ("school", Role.SCHOOL_SOCIAL_PEDAGOGUE, AgencyType.EDUCATION, 0, False),
    ("clinic", Role.CLINIC_STAFF, AgencyType.HEALTH, 0, False),
    ("police", Role.POLICE_INSPECTOR, AgencyType.POLICE, 0, False),
    ("ngo", Role.NGO_WORKER, AgencyType.NGO, 0, False),
    ("institution", Role.INSTITUTION_STAFF, AgencyType.INSTITUTION, 0, False),
    ("helpline", Role.HELPLINE_OPERATOR, AgencyType.HELPLINE, 0, False),
]
ROLE_BY_AGENCY = {
    AgencyType.MINISTRY: Role.REGIONAL_COORDINATOR,
    AgencyType.KDN: Role.KDN_SECRETARY,
    AgencyType.GUARDIANSHIP: Role.GUARDIANSHIP_SPECIALIST,
    AgencyType.SOCIAL_PROTECTION: Role.CASE_CURATOR,
    AgencyType.EDUCATION: Role.SCHOOL_SOCIAL_PEDAGOGUE,
    AgencyType.HEALTH: Role.CLINIC_STAFF,
    AgencyType.POLICE: Role.POLICE_INSPECTOR,
    AgencyType.NGO: Role.NGO_WORKER,
    AgencyType.INSTITUTION: Role.INSTITUTION_STAFF,
    AgencyType.HELPLINE: Role.HELPLINE_OPERATOR,
}


def _person_name(
    rng: random.Random, sex: str, surname: tuple[str, ...], father: str
) -> dict[str, str]:
    return {
        "last_name": surname[0] if sex == "M" else surname[1],
        "first_name": first_names(sex).pick(rng)[0],
        "patronymic": patronymic_of(father, sex),
        "sex": sex,
    }


def _staff(
    rng: random.Random, agencies: dict[str, list[Agency]], total: int, result: Result
) -> None:
    for login, role, kind, index, supervisor in DEMO_ACCOUNTS:
        agency = agencies[kind][index]
        sex = rng.choice("MF")
        name = _person_name(rng, sex, surnames().pick(rng), father_name(rng))
        password = secrets.token_urlsafe(9)
        user_create(
            actor=None,
            username=f"demo.{login}",
            password=password,
            agency=agency,
            role=role,
            last_name=name["last_name"],
            first_name=name["first_name"],
            patronymic=name["patronymic"],
            email=f"{login}@demo.invalid",
            is_supervisor=supervisor,
            is_demo=True,
        )
        label = str(role.label)
        if supervisor:
            label = gettext("%(role)s, supervisor") % {"role": label}
        result.logins.append(DemoLogin(f"demo.{login}", password, label, str(agency)))
    all_agencies = [a for group in agencies.values() for a in group]
    staff = []
    for number in range(total - len(DEMO_ACCOUNTS)):
        agency = all_agencies[number % len(all_agencies)]
        sex = rng.choice("MFFF")  # the prevention system's staff are mostly women
        name = _person_name(rng, sex, surnames().pick(rng), father_name(rng))
        user = User(
            username=f"staff{number + 1:04d}",
            agency=agency,
            role=ROLE_BY_AGENCY[AgencyType(agency.type)],
            last_name=name["last_name"],
            first_name=name["first_name"],
            patronymic=name["patronymic"],
            email=f"staff{number + 1:04d}@demo.invalid",
            is_supervisor=number < len(all_agencies),
        )
        # Synthetic staff cannot sign in; only the demo accounts can.
        user.set_unusable_password()
        staff.append(user)
    User.objects.bulk_create(staff)


def _birth(rng: random.Random, age_from: int, age_to: int) -> dt.date:
    start = TODAY - dt.timedelta(days=365.25 * (age_to + 1) - 1)
    return start + dt.timedelta(days=rng.randrange(int(365.25 * (age_to - age_from + 1))))


def _snils(rng: random.Random) -> str:
    body = rng.randrange(2_000_000, 999_999_999)
    digits = f"{body:09d}"
    total = sum(int(d) * w for d, w in zip(digits, range(9, 0, -1), strict=True)) % 101
    return digits + f"{0 if total == 100 else total:02d}"


def _family_name(male_surname: str) -> str:
    """«Ивановы», «Вишневские»; other surnames as «Семья Черных»."""
    if male_surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return f"{male_surname}ы"
    if male_surname.endswith(("ский", "цкий")):
        return f"{male_surname[:-2]}ие"
    return f"Семья {male_surname}"


def _households(
    rng: random.Random,
    municipalities: list[Territory],
    target: int,
    progress: Callable[[int], None],
) -> dict[str, int]:
    weights = [w for _, w in MUNICIPALITIES]
    persons: list[Person] = []
    links: list[tuple[int, str, int]] = []  # (household index, role, person index)
    relations: list[tuple[int, str, int]] = []
    homes: list[Household] = []

    def add_person(name: dict[str, str], birth: dt.date, territory: Territory) -> int:
        persons.append(
            Person(
                **name,
                birth_year=birth.year,
                birth_month=birth.month,
                birth_day=birth.day,
                snils=_snils(rng) if rng.random() < 0.85 else "",
                territory=territory,
                citizenship="RUS",
            )
        )
        return len(persons) - 1

    while len(persons) < target:
        territory = rng.choices(municipalities, weights=weights)[0]
        surname = surnames().pick(rng)
        home = Household(
            name=_family_name(surname[0]),
            territory=territory,
            address=f"ул. {rng.choice(STREETS)}, д. {rng.randint(1, 120)}, "
            f"кв. {rng.randint(1, 90)}",
        )
        homes.append(home)
        h = len(homes) - 1
        mother = add_person(
            _person_name(rng, "F", surname, father_name(rng)), _birth(rng, 22, 48), territory
        )
        links.append((h, MemberRole.PARENT, mother))
        father = None
        father_first = father_name(rng)
        if rng.random() < 0.68:  # about a third of families with children have one parent
            father = add_person(
                _person_name(rng, "M", surname, father_name(rng)), _birth(rng, 24, 52), territory
            )
            persons[father].first_name = father_first
            links.append((h, MemberRole.PARENT, father))
        children = rng.choices([1, 2, 3, 4, 5], weights=[38, 37, 16, 6, 3])[0]
        twins_at = rng.randrange(children) if children >= 2 and rng.random() < 0.03 else -1
        previous_birth = None
        for number in range(children):
            sex = rng.choice("MF")
            if number == twins_at + 1 and previous_birth is not None:
                birth = previous_birth  # twins share the birth date and patronymic
            else:
                birth = _birth(rng, 0, 17)
            child = add_person(_person_name(rng, sex, surname, father_first), birth, territory)
            previous_birth = birth
            links.append((h, MemberRole.CHILD, child))
            relations.append((mother, RelationKind.MOTHER, child))
            if father is not None:
                relations.append((father, RelationKind.FATHER, child))
        if rng.random() < 0.12:
            granny = add_person(
                _person_name(rng, "F", surname, father_name(rng)), _birth(rng, 55, 80), territory
            )
            links.append((h, MemberRole.GRANDPARENT, granny))
        if len(homes) % 1000 == 0:
            progress(len(persons))

    families_bulk_create(
        households=homes,
        persons=persons,
        memberships=[
            Membership(household=homes[h], person=persons[p], role=role) for h, role, p in links
        ],
        relationships=[
            Relationship(person=persons[a], kind=kind, relative_of=persons[b])
            for a, kind, b in relations
        ],
    )
    return {"households": len(homes), "persons": len(persons), "relationships": len(relations)}


@transaction.atomic
def generate_region(
    *,
    seed: int,
    persons: int = 50_000,
    staff: int = 200,
    progress: Callable[[int], None] = lambda n: None,
) -> Result:
    """Create the demo region. Deterministic for a seed, except the demo passwords."""
    rng = random.Random(seed)
    result = Result()
    country, _ = Territory.objects.get_or_create(
        level=Territory.Level.COUNTRY, name="Российская Федерация", parent=None
    )
    region = Territory.objects.create(
        name=REGION_NAME, level=Territory.Level.REGION, parent=country
    )
    municipalities = [
        Territory.objects.create(name=name, level=Territory.Level.MUNICIPALITY, parent=region)
        for name, _ in MUNICIPALITIES
    ]
    agencies = _agencies(region, municipalities)
    _staff(rng, agencies, staff, result)
    result.counts = _households(rng, municipalities, persons, progress)
    result.counts.update(
        municipalities=len(municipalities),
        agencies=sum(len(v) for v in agencies.values()),
        staff=staff,
    )
    # Apps add their own demo content (signals, cases…) through AppConfig.demo_generate.
    for config in apps.get_app_configs():
        hook = getattr(config, "demo_generate", None)
        if hook is not None:
            result.counts.update(hook(rng=random.Random(f"{seed}:{config.label}"), region=region))
    # Written in bulk, which no service sees: processes must rebuild their cached configuration.
    config_generation_bump()
    # Tens of thousands of rows written at once: plans must not come from empty statistics.
    statistics_refresh()
    return result
