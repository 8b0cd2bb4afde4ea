"""The demo hook builds cases at several stages in Озёрск and Северогорск, quickly."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from ochag.access.models import Notification
from ochag.cases.models import Case, CaseStatus, KdnSitting, SittingInvitee, Task
from ochag.demo.generator import generate_region
from ochag.monitoring.demo import HISTORY_TEXT


@pytest.mark.django_db
def test_demo_cases(django_capture_on_commit_callbacks) -> None:
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        result = generate_region(seed=7, persons=1500, staff=60)
    # Eight in Озёрск; two in Северогорск when the region has staff enough to curate them.
    assert result.counts["cases"] in (8, 10)
    # The story's cases, not the fourteen months of history monitoring's demo adds for trends.
    story = Case.objects.exclude(legal_basis=HISTORY_TEXT)
    assert story.filter(status=CaseStatus.CLOSED).count() == 1
    assert story.filter(removals__isnull=False).count() == 1
    assert Task.objects.filter(overdue_since__isnull=False).exists()
    assert story.filter(curator__username="demo.curator").count() == 7
    assert time.monotonic() - started < 60
    assert Notification.objects.filter(kind="overdue").exists()
    assert not [m for m in mail.outbox if "ИПР-" in m.subject]  # recorded, not mailed
    from django_tasks_db.models import DBTaskResult

    # Nor queued in the outbox for later.
    assert not [r for r in DBTaskResult.objects.all() if "ИПР-" in str(r.args_kwargs)]


@pytest.mark.django_db
def test_demo_has_a_multi_case_kdn_sitting() -> None:
    generate_region(seed=7, persons=1500, staff=60)
    held, upcoming = KdnSitting.objects.order_by("date")
    assert held.quorum()[2] and held.chair is not None and held.secretary is not None
    assert held.items.count() == 3
    assert all(item.decision is not None for item in held.items.all())
    assert all(item.decision.points.count() == 2 for item in held.items.all())
    assert held.other_matters
    assert upcoming.items.count() == 2 and upcoming.date > held.date
    assert not upcoming.items.filter(decision__isnull=False).exists()
    assert SittingInvitee.objects.filter(item__sitting=held, attended=True).exists()
