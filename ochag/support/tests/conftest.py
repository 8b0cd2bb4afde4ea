"""The support cast on top of the case cast: the region's leading NGO (an agency of Ochag,
serving both municipalities) with early help and patronage, and a clinic's addiction
programme serving municipality B only (a provider record without an agency)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.cases.tests.conftest import case, cc  # noqa: F401 - fixtures used by these tests
from ochag.conftest import Cast
from ochag.core.models import Territory
from ochag.core.tests.factories import TerritoryFactory
from ochag.signals.tests.conftest import (  # noqa: F401 - fixtures used by these tests
    bodies,
    checklist,
)
from ochag.support.models import Provider, ProviderKind, Service, ServiceFormat, ServiceType
from ochag.support.services import directory


@dataclass
class SupportCast:
    ngo: Agency
    ngo_worker: User
    ngo_head: User
    provider: Provider
    early_help: Service
    patronage: Service
    clinic_provider: Provider
    rehab: Service
    stranger: User  # staff of another region


def service_type(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


@pytest.fixture
def sc(cast: Cast) -> SupportCast:
    ngo = AgencyFactory(name="НКО «Семья рядом»", type=AgencyType.NGO, territory=cast.region)
    ngo_worker = UserFactory(username="ngo_worker", agency=ngo, role=Role.NGO_WORKER)
    ngo_head = UserFactory(
        username="ngo_head", agency=ngo, role=Role.NGO_WORKER, is_supervisor=True
    )
    provider = directory.provider_create(
        actor=cast.coordinator,
        name="НКО «Семья рядом»",
        kind=ProviderKind.NGO,
        agency=ngo,
        territory=cast.municipality_a,
        municipalities=[cast.municipality_a, cast.municipality_b],
        phone="+7 800 100-20-30",
        hours="пн–пт 9:00–18:00",
        is_leading_operator=True,
    )
    early_help = directory.service_create(
        actor=cast.coordinator,
        provider=provider,
        type=service_type("early-help"),
        name="Служба ранней помощи",
        format=ServiceFormat.HOME,
        capacity=1,
        standard_name="Стандарт ранней помощи",
        indicators=["План составлен за 10 дней", "Не реже 2 визитов в месяц"],
    )
    patronage = directory.service_create(
        actor=cast.coordinator,
        provider=provider,
        type=service_type("patronage"),
        name="Социальный патронат",
        format=ServiceFormat.HOME,
        capacity=5,
    )
    clinic_provider = directory.provider_create(
        actor=cast.coordinator,
        name="Наркологический кабинет Б",
        kind=ProviderKind.CLINIC,
        territory=cast.municipality_b,
        municipalities=[cast.municipality_b],
        phone="+7 (812) 000-00-00",
    )
    rehab = directory.service_create(
        actor=cast.coordinator,
        provider=clinic_provider,
        type=service_type("rehabilitation"),
        name="Реабилитация родителей",
        format=ServiceFormat.DAY,
        capacity=3,
    )
    other_region = TerritoryFactory(
        name="Другая область", level=Territory.Level.REGION, parent=cast.region.parent
    )
    other_agency = AgencyFactory(
        name="Опека другой области", type=AgencyType.GUARDIANSHIP, territory=other_region
    )
    return SupportCast(
        ngo=ngo,
        ngo_worker=ngo_worker,
        ngo_head=ngo_head,
        provider=provider,
        early_help=early_help,
        patronage=patronage,
        clinic_provider=clinic_provider,
        rehab=rehab,
        stranger=UserFactory(
            username="stranger", agency=other_agency, role=Role.REGIONAL_COORDINATOR
        ),
    )
