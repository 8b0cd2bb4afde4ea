"""Background work of the cases app, on Django's task framework (django-tasks-db backend)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone

# The hour (local time) the daily deadline check runs.
DAILY_HOUR = 6


def next_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=DAILY_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


@task()
def check_deadlines_daily(reschedule: bool = True) -> str:
    """Run ``check_deadlines`` and queue tomorrow's run, so one enqueue starts the cycle."""
    out = StringIO()
    call_command("check_deadlines", stdout=out)
    if reschedule:
        schedule_next()
    return out.getvalue().strip()


def schedule_next() -> None:
    """Queue the next daily run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=check_deadlines_daily.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return
    check_deadlines_daily.using(run_after=next_run(timezone.now())).enqueue()
