"""The demo region tells a story that agrees with itself: dates in order, red signals taken
the same day, work in several municipalities for several curators, supervisors named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from ochag.access.models import User
from ochag.cases import policies as case_policies
from ochag.cases.models import Case, Task
from ochag.core.models import AuditEvent
from ochag.core.statistics import autovacuum_check
from ochag.demo.generator import generate_region
from ochag.registry.models import Schooling
from ochag.signals import selectors as signal_selectors
from ochag.signals.models import Colour, Signal, Status


@pytest.mark.django_db
def test_the_demo_story_agrees_with_itself(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = generate_region(seed=7, persons=1500, staff=200)
    now = timezone.now()
    today = timezone.localdate()

    cases = list(Case.objects.prefetch_related("sessions", "safety_assessments", "tasks"))
    assert len(cases) >= 9
    for case in cases:
        opened = timezone.localdate(case.opened_at)
        assert case.opened_at <= now
        for session in case.sessions.all():
            assert opened <= session.date <= today, case.number
            assert session.at >= case.opened_at
        for safety in case.safety_assessments.all():
            assert safety.at >= case.opened_at
        for task in case.tasks.all():
            assert task.start_date >= opened, (case.number, task.title)
        if case.plan.period_start:
            assert case.plan.period_start >= opened
        if case.closed_at:
            assert case.closed_at > case.opened_at
        opened_audit = AuditEvent.objects.filter(action="case_opened", object_id=str(case.pk))
        assert [e.at for e in opened_audit] == [case.opened_at]
    # Overdue from the day after the deadline, as the daily check records it.
    overdue = Task.objects.filter(overdue_since__isnull=False)
    assert overdue.exists()
    for task in overdue:
        assert task.overdue_since == task.due_on + dt.timedelta(days=1), task.title

    # A red signal waits for its same-day safety check only if it came in today.
    waiting = Signal.objects.filter(colour=Colour.RED, status=Status.NEW, routed_to__isnull=False)
    assert waiting.exists()
    assert all(now - s.received_at < dt.timedelta(hours=24) for s in waiting)
    assert Signal.objects.filter(colour=Colour.RED, status=Status.ACCEPTED).exists()

    # Work in several municipalities for several curators; Северогорск's specialist has some.
    assert Signal.objects.values("territory").distinct().count() >= 3
    assert Case.objects.values("territory").distinct().count() >= 2
    assert Case.objects.values("curator").distinct().count() >= 3
    opeka2 = User.objects.get(username="demo.opeka2")
    assert signal_selectors.queue(opeka2).exists()
    assert case_policies.cases.visible(opeka2).exists()

    # The logins say who supervises.
    labels = {login.username: login.role for login in result.logins}
    supervisors = {name for name, label in labels.items() if "руковод" in label}
    assert supervisors == {"demo.opeka.head", "demo.curator.head"}

    # Children of school age go to their municipality's school, younger ones to kindergarten.
    schooled = Schooling.objects.select_related("person", "agency")
    assert schooled.filter(kind="school").exists() and schooled.filter(kind="kindergarten").exists()
    for row in schooled.filter(kind="school")[:50]:
        assert row.agency is not None and row.agency.territory_id == row.person.territory_id
        assert 7 <= (row.person.age_on(today) or 0) <= 17


@pytest.mark.django_db
def test_the_demo_leaves_fresh_planner_statistics() -> None:
    # Plans from empty statistics nested loops over "one-row" tables: the coordinator's home
    # page took 12 s on the 2 000-person demo until ANALYZE (ochag.core.statistics).
    generate_region(seed=7, persons=1000, staff=60)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_person'")
            assert cursor.fetchone()[0] >= 1000
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'registry_person'")
            assert int(cursor.fetchone()[0].split()[0]) >= 1000


def test_the_database_check_warns_when_autovacuum_is_off(db: None) -> None:
    warnings = autovacuum_check()
    if connection.vendor != "postgresql":
        assert warnings == []
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")
        off = cursor.fetchone()[0] == "off"
    assert [w.id for w in warnings] == (["core.W001"] if off else [])
