"""The demo region's care: about twenty institutions, remote ones, two infant homes, and
remote institutions not visited within the period on the coordinator's board; the sitting's
five children reviewed with four-eyes confirmation, one stay found not justified."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ochag.access.models import User
from ochag.care import selectors
from ochag.care.models import (
    AgendaItem,
    Decision,
    Institution,
    InstitutionType,
    Placement,
    ReturnAction,
    Sitting,
)
from ochag.care.services import commission
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

    # The story on the demo: the commission reviews the five children with four-eyes
    # confirmation; one stay is found not justified and a reintegration plan with the
    # family's case follows.
    chair = User.objects.get(username="demo.curator.head")
    secretary = User.objects.get(username="demo.opeka")
    with_family = [item for item in agenda if item.placement.household_id is not None]
    refused = next(item for item in with_family if item.placement.plan_opened_on is None)
    planned_before = set(
        Placement.objects.filter(plan_opened_on__isnull=False).values_list("pk", flat=True)
    )
    for item in agenda:
        if item is refused:
            commission.decision_record(
                actor=secretary, item=item, decision=Decision.NOT_JUSTIFIED,
                reasons="Мать устроилась на работу, жильё отремонтировано",
                action=ReturnAction.PREPARE_RETURN,
            )  # fmt: skip
        else:
            commission.decision_record(
                actor=secretary, item=item, decision=Decision.JUSTIFIED,
                reasons="Угроза жизни ребёнка в семье сохраняется", action=ReturnAction.NONE,
            )  # fmt: skip
        for user in (chair, secretary):
            commission.decision_confirm(actor=user, item=item)
    done = AgendaItem.objects.filter(pk__in=[i.pk for i in agenda], done_on__isnull=False)
    assert done.count() == 5
    placement = Placement.objects.get(pk=refused.placement_id)
    assert placement.plan_opened_on is not None and placement.family_case_id is not None
    assert placement.family_case.household_id == placement.household_id  # type: ignore[union-attr]
    planned_after = set(
        Placement.objects.filter(plan_opened_on__isnull=False).values_list("pk", flat=True)
    )
    assert planned_after - planned_before == {placement.pk}  # the justified stays open no plan
