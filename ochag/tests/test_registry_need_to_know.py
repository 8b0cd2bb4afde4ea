"""Registry need-to-know: every cell of the role × record × relation matrix in the README.

A family (a household, its child and its parent) stands in one relation to the viewer's
agency; each role is asked for the child's person record, the parent's, the household and
the staff search. :func:`expected` is the README's matrix written as a rule, independent of
how the policy builds its querysets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import Agency, AgencyType, Role, TrustAction, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.cases.models import Case, CaseParticipant
from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditEvent, Territory
from ochag.registry.models import Household, Membership, Person
from ochag.registry.policies import households, persons
from ochag.registry.selectors import person_search
from ochag.registry.tests.factories import HouseholdFactory, make_person
from ochag.signals.models import SignalSubject, SubjectRole
from ochag.signals.tests.factories import report_about
from ochag.support.models import LegalBasis, ProviderKind, ServiceFormat, ServiceType
from ochag.support.services import directory, referrals

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]

# The agency each role works in, and whether it sits at region level (the issue: NGOs and
# the helpline are regional bodies).
ROLE_AGENCY: dict[Role, tuple[AgencyType, bool]] = {
    Role.GUARDIANSHIP_SPECIALIST: (AgencyType.GUARDIANSHIP, False),
    Role.KDN_SECRETARY: (AgencyType.KDN, False),
    Role.CASE_CURATOR: (AgencyType.SOCIAL_PROTECTION, False),
    Role.SCHOOL_SOCIAL_PEDAGOGUE: (AgencyType.EDUCATION, False),
    Role.CLINIC_STAFF: (AgencyType.HEALTH, False),
    Role.POLICE_INSPECTOR: (AgencyType.POLICE, False),
    Role.INSTITUTION_STAFF: (AgencyType.INSTITUTION, False),
    Role.NGO_WORKER: (AgencyType.NGO, True),
    Role.HELPLINE_OPERATOR: (AgencyType.HELPLINE, True),
    Role.REGIONAL_COORDINATOR: (AgencyType.MINISTRY, True),
    Role.ADMINISTRATOR: (AgencyType.MINISTRY, True),
    Role.FEDERAL_ANALYST: (AgencyType.MINISTRY, True),
}

# How the family relates to the viewer's agency. Every family but "none" lives in the other
# municipality, so territory alone never explains what an involved viewer sees.
RELATIONS = (
    "none",  # the viewer's municipality, no work with the family
    "elsewhere",  # another municipality, no work with the family
    "reported",  # the agency reported the family (a signal about the household)
    "subject",  # a signal routed to the agency names the child (no household on it)
    "case",  # the agency takes part in the family's case
    "referral",  # the family's case referred it to a service the agency provides
)

TERRITORIAL = {Role.GUARDIANSHIP_SPECIALIST, Role.KDN_SECRETARY, Role.CASE_CURATOR}
REGION_WIDE = {Role.REGIONAL_COORDINATOR, Role.ADMINISTRATOR}


@dataclass(frozen=True)
class Sees:
    child: bool
    parent: bool
    household: bool


def expected(role: Role, relation: str) -> Sees:
    """The README's matrix."""
    if role == Role.FEDERAL_ANALYST:
        return Sees(False, False, False)
    if role in REGION_WIDE:
        return Sees(True, True, True)
    if relation == "none":
        return Sees(*(role in TERRITORIAL,) * 3)
    if relation == "elsewhere":
        return Sees(False, False, False)
    if relation == "subject":
        return Sees(True, False, False)
    return Sees(True, True, True)  # reported, case, referral: the whole family


@dataclass
class Family:
    home: Household
    child: Person
    parent: Person


def _family(territory: Territory, surname: str) -> Family:
    home = HouseholdFactory(territory=territory, name=surname)
    child = make_person(territory, last_name=surname, first_name="Мария")
    parent = make_person(territory, last_name=surname, first_name="Ольга", birth_year=1988)
    Membership.objects.create(household=home, person=child, role="child")
    Membership.objects.create(household=home, person=parent, role="parent")
    return Family(home, child, parent)


def _viewer(cast: Cast, role: Role) -> User:
    kind, regional = ROLE_AGENCY[role]
    territory = cast.region if regional else cast.municipality_a
    agency = AgencyFactory(type=kind, territory=territory)
    return UserFactory(agency=agency, role=role)


def _relate(cast: Cast, viewer: User, relation: str) -> Family:
    if relation == "none":
        return _family(cast.municipality_a, "Ближняя")
    family = _family(cast.municipality_b, "Дальняя")
    agency = viewer.agency
    assert agency is not None
    if relation == "reported":
        report_about(agency, family.home)
    elif relation == "subject":
        signal = report_about(
            cast.agency_b, family.home, household=None, routed_to=agency, reporting_agency=None
        )
        SignalSubject.objects.create(signal=signal, role=SubjectRole.CHILD, person=family.child)
    elif relation == "case":
        curator = UserFactory(agency=cast.agency_b, role=Role.CASE_CURATOR)
        case = Case.objects.create(
            number="1/2026", region=cast.region, territory=cast.municipality_b,
            household=family.home, curator=curator, opened_by=curator,
        )  # fmt: skip
        CaseParticipant.objects.create(case=case, agency=agency)
    elif relation == "referral":
        _refer(cast, family, agency)
    return family


def _refer(cast: Cast, family: Family, agency: Agency) -> None:
    """A case of another municipality's guardianship refers the family to a service the
    viewer's agency provides (the agency takes no other part in the case)."""
    curator = UserFactory(agency=cast.agency_b, role=Role.CASE_CURATOR)
    case = Case.objects.create(
        number="2/2026", region=cast.region, territory=cast.municipality_b,
        household=family.home, curator=curator, opened_by=curator,
    )  # fmt: skip
    provider = directory.provider_create(
        actor=cast.coordinator, name=f"Поставщик {agency.name}", kind=ProviderKind.NGO,
        agency=agency, territory=cast.municipality_b, municipalities=[cast.municipality_b],
        phone="+7 800 100-20-30",
    )  # fmt: skip
    service = directory.service_create(
        actor=cast.coordinator, provider=provider,
        type=ServiceType.objects.get(code="early-help"), name="Ранняя помощь",
        format=ServiceFormat.HOME, capacity=5,
    )  # fmt: skip
    consent = referrals.ConsentData(
        basis=LegalBasis.CONSENT, given_by="Дальняя Ольга", given_on=dt.date(2026, 11, 20),
        scope="Сведения о составе семьи", shares_health=False,
    )  # fmt: skip
    referrals.referral_send_with_consent(
        actor=curator, case=case, service=service, consent=consent, summary="Нужна помощь"
    )


CELLS = [(role, relation) for role in ROLE_AGENCY for relation in RELATIONS]


@pytest.mark.parametrize(("role", "relation"), CELLS, ids=[f"{r.value}-{x}" for r, x in CELLS])
def test_matrix_cell(cast: Cast, role: Role, relation: str) -> None:
    viewer = _viewer(cast, role)
    family = _relate(cast, viewer, relation)
    want = expected(role, relation)
    seen = set(persons.visible(viewer).values_list("pk", flat=True))
    assert (family.child.pk in seen, family.parent.pk in seen) == (want.child, want.parent)
    assert households.visible(viewer).filter(pk=family.home.pk).exists() == want.household
    # The staff search starts from the same policy.
    found = {h.person.pk for h in person_search(user=viewer, text=family.child.last_name).hits}
    assert (family.child.pk in found, family.parent.pk in found) == (want.child, want.parent)


def test_pages_follow_the_policy(cast: Cast, client_for: ClientFor) -> None:
    """The person card and the household page: involved → 200 and logged, not → 404."""
    teacher = _viewer(cast, Role.SCHOOL_SOCIAL_PEDAGOGUE)
    involved = _relate(cast, teacher, "reported")
    stranger = _family(cast.municipality_a, "Чужая")
    client = client_for(teacher)
    for url in (
        reverse("registry:person_detail", args=[involved.child.pk]),
        reverse("registry:household_detail", args=[involved.home.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert AccessLogEntry.objects.filter(actor=teacher, object_id=str(involved.child.pk)).exists()
    for url in (
        reverse("registry:person_detail", args=[stranger.child.pk]),
        reverse("registry:household_detail", args=[stranger.home.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_known_to_the_system_lookup(cast: Cast, client_for: ClientFor) -> None:
    """A school's search that finds no family it works with says only that records exist,
    their numbers and whom to call; no name, date or address; and it is logged."""
    guardianship = Agency.objects.get(pk=cast.agency_a.pk)
    guardianship.phone = "+7 900 000-00-01"
    guardianship.save()
    teacher = _viewer(cast, Role.SCHOOL_SOCIAL_PEDAGOGUE)
    stranger = _family(cast.municipality_a, "Незнакомова")
    Person.objects.filter(pk=stranger.child.pk).update(
        address="Тайная улица, 7", birth_month=11, birth_day=23
    )
    page = client_for(teacher).get(reverse("registry:search"), {"q": "Незнакомова Мария"})
    text = page.content.decode()
    assert "Известен системе" in text
    assert f"№ {stranger.child.pk}" in text
    assert cast.coordinator.agency.name in text  # type: ignore[union-attr]
    assert "+7 900 000-00-01" in text
    for secret in ("Незнакомова Мария", "23.11.2015", "Тайная"):
        assert secret not in text.replace('value="Незнакомова Мария"', ""), secret
    event = AuditEvent.objects.get(action=TrustAction.KNOWN_LOOKUP, actor=teacher)
    assert event.detail == {"query": "Незнакомова Мария", "known": 1}


@pytest.mark.parametrize(
    "role", [Role.NGO_WORKER, Role.GUARDIANSHIP_SPECIALIST, Role.FEDERAL_ANALYST]
)
def test_no_lookup_for_roles_without_it(cast: Cast, client_for: ClientFor, role: Role) -> None:
    """An NGO may not learn that a family is known to the state; a territorial role sees the
    records themselves; the analyst sees no registry at all."""
    viewer = _viewer(cast, role)
    _family(cast.municipality_b, "Незнакомова")
    response = client_for(viewer).get(reverse("registry:search"), {"q": "Незнакомова"})
    assert response.status_code == (403 if role == Role.FEDERAL_ANALYST else 200)
    assert not AuditEvent.objects.filter(action=TrustAction.KNOWN_LOOKUP).exists()
    assert "known-heading" not in response.content.decode()


def test_lookup_names_no_one_when_all_matches_are_seen(cast: Cast) -> None:
    from ochag.registry.lookup import known_elsewhere

    teacher = _viewer(cast, Role.SCHOOL_SOCIAL_PEDAGOGUE)
    involved = _relate(cast, teacher, "reported")
    # The involved family lives in municipality B: outside the lookup's territory, seen.
    known = known_elsewhere(user=teacher, text=involved.child.last_name)
    assert known is not None and known.count == 0
    _family(cast.municipality_a, involved.child.last_name)
    known = known_elsewhere(user=teacher, text=involved.child.last_name)
    assert known is not None and known.count == 2  # the other family's child and parent
    assert not AuditEvent.objects.filter(action=TrustAction.KNOWN_LOOKUP).exists()
