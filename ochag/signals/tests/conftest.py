from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from ochag.access.models import Agency, AgencyType
from ochag.access.tests.factories import AgencyFactory
from ochag.conftest import Cast
from ochag.signals.models import Indicator, RoutingRule, Track


@pytest.fixture
def checklist(transactional_db: None) -> None:
    """The indicators are seeded by a data migration; a transactional test (browser, mail)
    flushes every table when it ends, so a later transactional test re-seeds them."""
    if not Indicator.objects.exists():
        migration = importlib.import_module("ochag.signals.migrations.0002_seed_indicators")
        migration.seed(apps, None)


@pytest.fixture
def bodies(cast: Cast) -> dict[str, Agency]:
    """Competent bodies in municipality A and the routing table of the test region."""
    made = {
        "kdn": AgencyFactory(name="КДН А", type=AgencyType.KDN, territory=cast.municipality_a),
        "social": AgencyFactory(
            name="КЦСОН А", type=AgencyType.SOCIAL_PROTECTION, territory=cast.municipality_a
        ),
        "school": AgencyFactory(
            name="Школа А", type=AgencyType.EDUCATION, territory=cast.municipality_a
        ),
    }
    RoutingRule.objects.create(
        region=cast.region, track=Track.SAFETY, agency_type=AgencyType.GUARDIANSHIP
    )
    RoutingRule.objects.create(
        region=cast.region, track=Track.ASSESSMENT, agency_type=AgencyType.KDN
    )
    RoutingRule.objects.create(
        region=cast.region, track=Track.SUPPORT, agency_type=AgencyType.SOCIAL_PROTECTION
    )
    return made
