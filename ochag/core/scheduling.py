"""Daily background runs on the task queue (django-tasks-db): each run queues the next.

There is no separate scheduler to deploy: ``manage.py <command> --schedule`` queues the first
run once, and ``db_worker`` keeps the cycle going. At most one run of a task waits at a time,
so scheduling again (a redeploy, a second administrator) never doubles it.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.tasks import Task, TaskResultStatus
from django.utils import timezone


def next_daily_run(now: dt.datetime, hour: int) -> dt.datetime:
    """The next ``hour``:00 local time strictly after ``now``."""
    local = timezone.localtime(now)
    run = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def schedule_daily(task: Task[Any, Any], *, hour: int) -> bool:
    """Queue the task's next daily run unless one is already waiting; True if queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    task.using(run_after=next_daily_run(timezone.now(), hour)).enqueue()
    return True


def run_daily(command: str, task: Task[Any, Any], *, hour: int, reschedule: bool) -> str:
    """The body of a daily task: run the management command, queue the next run (unless
    told not to), return what the command printed for the task's result."""
    out = StringIO()
    call_command(command, stdout=out)
    if reschedule:
        schedule_daily(task, hour=hour)
    return out.getvalue().strip()
