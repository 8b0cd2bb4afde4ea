"""The case cast on top of the shared one: a family in municipality A and the agencies
that take part in its case (social protection with the curator, КДН, school, clinic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.cases import scoring, services
from ochag.cases.models import Case
from ochag.conftest import Cast
from ochag.registry.models import Household, MemberRole, Membership, Person
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory


@dataclass
class CaseCast:
    family: Household
    children: list[Person]
    social: Agency
    kdn: Agency
    school: Agency
    clinic: Agency
    curator: User
    kdn_secretary: User
    teacher: User
    school_head: User
    doctor: User


@pytest.fixture
def cc(cast: Cast) -> CaseCast:
    mun = cast.municipality_a
    social = AgencyFactory(name="КЦСОН А", type=AgencyType.SOCIAL_PROTECTION, territory=mun)
    kdn = AgencyFactory(name="КДН А", type=AgencyType.KDN, territory=mun)
    school = AgencyFactory(name="Школа А", type=AgencyType.EDUCATION, territory=mun)
    clinic = AgencyFactory(name="Поликлиника А", type=AgencyType.HEALTH, territory=mun)
    family = HouseholdFactory(name="Петровы", territory=mun, address="ул. Мира, 1")
    children = [
        PersonFactory(last_name="Петрова", first_name="Алиса", birth_year=2016, territory=mun),
        PersonFactory(
            last_name="Петров", first_name="Борис", sex="M", birth_year=2020, territory=mun
        ),
    ]
    mother = PersonFactory(last_name="Петрова", first_name="Вера", birth_year=1990, territory=mun)
    for child in children:
        Membership.objects.create(household=family, person=child, role=MemberRole.CHILD)
    Membership.objects.create(household=family, person=mother, role=MemberRole.PARENT)
    return CaseCast(
        family=family,
        children=children,
        social=social,
        kdn=kdn,
        school=school,
        clinic=clinic,
        curator=UserFactory(username="curator", agency=social, role=Role.CASE_CURATOR),
        kdn_secretary=UserFactory(username="kdn", agency=kdn, role=Role.KDN_SECRETARY),
        teacher=UserFactory(username="teacher", agency=school, role=Role.SCHOOL_SOCIAL_PEDAGOGUE),
        school_head=UserFactory(
            username="school_head",
            agency=school,
            is_supervisor=True,
            role=Role.SCHOOL_SOCIAL_PEDAGOGUE,
        ),
        doctor=UserFactory(username="doctor", agency=clinic, role=Role.CLINIC_STAFF),
    )


@pytest.fixture
def case(cc: CaseCast) -> Case:
    return services.case_open(
        actor=cc.kdn_secretary,
        household=cc.family,
        curator=cc.curator,
        legal_basis="Постановление КДН № 1",
        agencies=[cc.school],
    )


def threat_assessment(case: Case, actor: User, criteria: list[str] | None = None):
    return services.safety_assessment_record(
        actor=actor,
        case=case,
        criteria=criteria or ["violence"],
        immediate_threat=True,
        reason="Следы побоев у ребёнка",
    )


TODAY = dt.date(2026, 11, 23)


def all_answered(**given: str) -> dict[str, str]:
    """Risk answers for every indicator: those given, «no» for the rest (a finished
    assessment answers all of them)."""
    return {i.code: given.get(i.code, scoring.ANSWER_NO) for i in scoring.INDICATORS}
