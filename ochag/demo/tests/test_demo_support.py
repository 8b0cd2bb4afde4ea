"""The demo region's directory has the gaps the story needs, referrals in every state and
plan tasks that need help."""

from __future__ import annotations

import pytest

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.demo.generator import generate_region
from ochag.support import selectors
from ochag.support.coverage import coverage
from ochag.support.models import Provider, Referral, ReferralStatus, Service


@pytest.mark.django_db
def test_demo_directory_and_referrals(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        result = generate_region(seed=7, persons=1500, staff=60)
    assert result.counts["referrals"] > 0
    municipalities = Territory.objects.filter(level=Territory.Level.MUNICIPALITY)
    for mun in municipalities:
        assert Service.objects.filter(provider__municipalities=mun).exists(), mun
    lacking_rehab = [
        mun.name
        for mun in municipalities
        if not Service.objects.filter(type__code="rehabilitation", provider__municipalities=mun)
    ]
    assert len(lacking_rehab) == 2
    leading = Provider.objects.get(is_leading_operator=True)
    assert leading.agency is not None and leading.agency.staff.filter(username="demo.ngo").exists()
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.filter(signal__isnull=False, case__isnull=True).count() == 1
    centre = municipalities.order_by("pk").first()
    early = selectors.public_directory(
        selectors.DirectoryQuery(municipality=centre, type_id=None, text="ранней")
    ).get()
    assert early.free == 0 and early.waiting >= 1
    # Plan tasks need help, and one need has no service in its municipality.
    assert result.counts["task_needs"] > 0
    table = coverage(User.objects.get(username="demo.coordinator"))
    assert sum(cell.need for _m, cells in table.rows for cell in cells) > 0
    assert table.gaps >= 1
