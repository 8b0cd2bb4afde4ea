"""Background work of monitoring (django-tasks-db): the monthly report, rebuilt each night
for the month that ended, so the kept file is exact as of its generation time; and the
periodic refresh of the dashboards' kept counts, every REFRESH_EVERY (the refresh the
coordinator asks for is ``services.refresh_region``, beside the service that queues it)."""

from __future__ import annotations

import datetime as dt

from django.tasks import TaskResultStatus, task
from django.utils import timezone

from ochag.core.scheduling import run_daily, schedule_daily

REPORT_HOUR = 5
# How often the kept counts are re-read: a number on a dashboard is at most this old plus
# one refresh's duration (the page shows the moment it was read at).
REFRESH_EVERY = dt.timedelta(minutes=15)


@task()
def monthly_report_daily(reschedule: bool = True) -> str:
    return run_daily(
        "monitoring_monthly_report", monthly_report_daily, hour=REPORT_HOUR, reschedule=reschedule
    )


def schedule_next() -> None:
    schedule_daily(monthly_report_daily, hour=REPORT_HOUR)


@task()
def refresh_periodically(reschedule: bool = True) -> str:
    """Refresh every region's kept counts, then queue the next run."""
    from django.core.management import call_command

    try:
        call_command("monitoring_refresh")
    finally:
        if reschedule:
            schedule_refresh(force=True)
    return "refreshed"


def schedule_refresh(*, force: bool = False) -> bool:
    """Queue the next periodic refresh unless one is already waiting (``force``: the running
    one queues its successor); True if queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=refresh_periodically.module_path, status=TaskResultStatus.READY
    )
    if not force and waiting.exists():
        return False
    refresh_periodically.using(run_after=timezone.now() + REFRESH_EVERY).enqueue()
    return True
