"""The demo region's data bank: the issue's «done when» on generated data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ochag.access.models import User
from ochag.databank import centroids, counts, policies, ranking
from ochag.databank.models import ChildProfile, Contact
from ochag.databank.worklist import lines
from ochag.demo.generator import MUNICIPALITIES, generate_region
from ochag.matching import Place, distance_km


@pytest.mark.django_db
def test_demo_databank(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        result = generate_region(seed=7, persons=1500, staff=60)
    assert result.counts["databank_children"] >= 30
    assert result.counts["databank_families"] >= 30
    grouped = ChildProfile.objects.filter(siblings__isnull=False).count()
    assert grouped >= 3 and grouped % 3 == 0
    assert any("disability" in c.needs for c in ChildProfile.objects.all())
    assert Contact.objects.count() == 1
    coordinator = User.objects.get(username="demo.coordinator")
    board = {line.label: line.count for line in lines(coordinator)}
    assert any("federal" in label.lower() or "федеральн" in label.lower() for label in board)
    assert any("inspection" in label.lower() or "обследован" in label.lower() for label in board)
    assert counts.in_bank(coordinator) == result.counts["databank_children"] - 2
    today = timezone.localdate()
    placed = counts.placed_by_form(coordinator, today - dt.timedelta(days=30), today)
    assert sum(placed.values()) == 2
    opeka = User.objects.get(username="demo.opeka")
    child = policies.children.visible(opeka).filter(siblings__isnull=False).first()
    assert child is not None
    ranked = ranking.families_for(child, policies.matchable_families(opeka), timezone.localdate())
    assert all(m.unit.size == 3 for m in ranked)


@pytest.mark.django_db
def test_the_centroid_table_covers_the_demo_region() -> None:
    _, by_name = centroids._rows()
    assert {name for _, name in by_name} == {name for name, _ in MUNICIPALITIES}
    ozersk = by_name["Северо-Озёрская область (демо)", "Городской округ Озёрск"]
    severogorsk = by_name["Северо-Озёрская область (демо)", "Городской округ Северогорск"]
    km = distance_km(Place(*ozersk), Place(*severogorsk))
    assert 100 < km < 130  # documented: centres tens to ~150 km apart
