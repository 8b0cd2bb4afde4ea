"""Data bank fixtures: a child in agency A's bank (with a registry person), a family of
agency B with a positive conclusion, near the child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from ochag.conftest import Cast
from ochag.databank import services
from ochag.databank.models import CandidateFamily, ChildProfile, Conclusion
from ochag.registry.tests.factories import PersonFactory


@dataclass
class Bank:
    child: ChildProfile
    family: CandidateFamily  # kept by agency B
    own_family: CandidateFamily  # kept by agency A


def make_child(cast: Cast, **kw: object) -> ChildProfile:
    today = timezone.localdate()
    person = PersonFactory.create(
        territory=cast.municipality_a,
        last_name="Соколова",
        birth_year=today.year - 6,
        birth_month=1,
        birth_day=1,
        sex="F",
    )
    data: dict[str, object] = {
        "legal_status": "deprived",
        "forms": ["guardianship", "adoption"],
        "health_group": 2,
        "needs": [],
        "home_lat": 57.0,
        "home_lon": 61.0,
    }
    data.update(kw)
    return services.child_create(
        actor=cast.worker_a,
        person=person,
        agency=cast.agency_a,
        identified_on=today - dt.timedelta(days=1),
        **data,
    )


def make_family(cast: Cast, *, worker: object, agency: object, **kw: object) -> CandidateFamily:
    today = timezone.localdate()
    person = PersonFactory.create(territory=agency.territory, birth_year=today.year - 35)  # type: ignore[attr-defined]
    data: dict[str, object] = {
        "forms": ["guardianship"],
        "capacity": 1,
        "age_min": 3,
        "age_max": 8,
        "health_group_max": 3,
        "home_lat": 57.05,
        "home_lon": 61.0,
        "training_done_on": today - dt.timedelta(days=5),
    }
    data.update(kw)
    family = services.family_create(
        actor=worker,  # type: ignore[arg-type]
        applicant=person,
        agency=agency,  # type: ignore[arg-type]
        applied_on=today - dt.timedelta(days=40),
        **data,
    )
    services.family_inspect(actor=worker, family=family, on=today - dt.timedelta(days=35))  # type: ignore[arg-type]
    services.family_conclude(
        actor=worker,  # type: ignore[arg-type]
        family=family,
        conclusion=Conclusion.MAY,
        valid_until=today + dt.timedelta(days=300),
    )
    return family


@pytest.fixture
def bank(cast: Cast) -> Bank:
    return Bank(
        child=make_child(cast),
        family=make_family(cast, worker=cast.worker_b, agency=cast.agency_b),
        own_family=make_family(cast, worker=cast.worker_a, agency=cast.agency_a, home_lat=57.3),
    )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Photos written by a test (or the demo) go to the test's own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
