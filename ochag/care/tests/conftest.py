"""The care cast on top of the case cast: a regional institution with its own agency and
staff, a remote shelter, the placing guardianship body (cast.agency_a), a guardianship
overseer, and the placement commission (chair from social protection, secretary from the
ministry, a member from the institution's operator)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.care.models import Commission, CommissionMember, Institution, InstitutionType, MemberRole
from ochag.care.services import institutions
from ochag.cases.tests.conftest import case, cc  # noqa: F401 - fixtures used by these tests
from ochag.conftest import Cast
from ochag.core.models import Territory
from ochag.core.tests.factories import TerritoryFactory


@dataclass
class CareCast:
    home_agency: Agency
    home: Institution  # an orphanage near the centre, with its own agency
    shelter: Institution  # remote, no agency of its own
    staff: User  # the orphanage's staff
    shelter_staff: User  # staff of another institution agency
    overseer: User
    commission: Commission
    chair: User
    secretary: User
    member: User
    stranger: User  # another region's coordinator


@pytest.fixture
def care(cast: Cast) -> CareCast:
    home_agency = AgencyFactory(
        name="ЦССВ «Надежда»", type=AgencyType.INSTITUTION, territory=cast.municipality_a
    )
    other_home = AgencyFactory(
        name="СРЦН «Парус»", type=AgencyType.INSTITUTION, territory=cast.municipality_b
    )
    home = institutions.institution_save(
        actor=cast.coordinator,
        name="ЦССВ «Надежда»",
        type=InstitutionType.ORPHANAGE,
        agency=home_agency,
        operating_agency=cast.ministry,
        territory=cast.municipality_a,
        capacity=40,
        distance_km=10,
        travel_minutes=20,
    )
    shelter = institutions.institution_save(
        actor=cast.coordinator,
        name="Приют «Маяк»",
        type=InstitutionType.SHELTER,
        agency=other_home,
        operating_agency=cast.agency_b,
        territory=cast.municipality_b,
        capacity=20,
        distance_km=240,
        travel_minutes=300,
    )
    social = AgencyFactory(
        name="Соцзащита области", type=AgencyType.SOCIAL_PROTECTION, territory=cast.region
    )
    commission = Commission.objects.create(region=cast.region, name="Межведомственная комиссия")
    chair = UserFactory(username="chair", agency=social, role=Role.CASE_CURATOR)
    secretary = UserFactory(
        username="secretary", agency=cast.ministry, role=Role.GUARDIANSHIP_SPECIALIST
    )
    member = UserFactory(username="member", agency=cast.agency_b)
    for user, role in ((chair, MemberRole.CHAIR), (secretary, MemberRole.SECRETARY)):
        CommissionMember.objects.create(commission=commission, user=user, role=role)
    CommissionMember.objects.create(commission=commission, user=member, role=MemberRole.MEMBER)
    other_region = TerritoryFactory(
        name="Другая область", level=Territory.Level.REGION, parent=cast.region.parent
    )
    other_agency = AgencyFactory(
        name="Министерство другой области", type=AgencyType.MINISTRY, territory=other_region
    )
    return CareCast(
        home_agency=home_agency,
        home=home,
        shelter=shelter,
        staff=UserFactory(username="home_staff", agency=home_agency, role=Role.INSTITUTION_STAFF),
        shelter_staff=UserFactory(
            username="shelter_staff", agency=other_home, role=Role.INSTITUTION_STAFF
        ),
        overseer=UserFactory(username="overseer", agency=cast.agency_b),
        commission=commission,
        chair=chair,
        secretary=secretary,
        member=member,
        stranger=UserFactory(
            username="care_stranger", agency=other_agency, role=Role.REGIONAL_COORDINATOR
        ),
    )
