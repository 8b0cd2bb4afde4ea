"""The demo region's care: about twenty institutions, remote ones, two infant homes, and
remote institutions not visited within the period on the coordinator's board."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ochag.access.models import User
from ochag.care import selectors
from ochag.care.models import Institution, InstitutionType, Placement, Sitting
from ochag.care.worklist import lines
from ochag.demo.generator import generate_region


@pytest.mark.django_db
def test_demo_care(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        result = generate_region(seed=7, persons=1500, staff=60)
    assert result.counts["institutions"] == 20
    assert Institution.objects.filter(type=InstitutionType.INFANT_HOME).count() == 2
    unvisited = selectors.unvisited(Institution.objects.all(), timezone.localdate(), 90)
    assert unvisited.first().is_remote  # type: ignore[union-attr]
    coordinator = User.objects.get(username="demo.coordinator")
    board = {line.label: line.count for line in lines(coordinator)}
    assert board["Просроченные поручения по происшествиям"] == 1
    # Children in care, infants only in the infant homes, some siblings split.
    placements = Placement.objects.all()
    assert placements.count() > 100
    assert not selectors.age_band(
        placements.exclude(institution__type="infant_home"), "0-4", timezone.localdate()
    ).exists()
    assert selectors.split_siblings(placements).exists()
    # The next sitting has five children on its agenda, the priority ones first.
    sitting = Sitting.objects.get()
    agenda = list(selectors.agenda(sitting))
    assert len(agenda) == 5 and agenda[0].priority_reason
    assert selectors.commission_problems(sitting.commission) == []
