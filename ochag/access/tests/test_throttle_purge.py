from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from ochag.access import throttle
from ochag.access.models import ThrottleBucket

WINDOW = dt.timedelta(minutes=15)


def test_stale_counters_are_purged_and_live_ones_kept(db: None, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    throttle.take("login:old", limit=5, window=WINDOW)
    time_machine.shift(dt.timedelta(days=1, minutes=1))
    throttle.take("login:new", limit=5, window=WINDOW)
    out = StringIO()
    call_command("access_purge_throttle", stdout=out)
    assert "1 stale" in out.getvalue()
    assert list(ThrottleBucket.objects.values_list("key", flat=True)) == ["login:new"]


def test_the_nightly_run_is_queued_once(db: None) -> None:
    from django_tasks_db.models import DBTaskResult

    call_command("access_purge_throttle", "--schedule", stdout=StringIO())
    call_command("access_purge_throttle", "--schedule", stdout=StringIO())
    assert DBTaskResult.objects.filter(task_path__endswith="purge_throttle_nightly").count() == 1
