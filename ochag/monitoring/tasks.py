"""Background work of monitoring (django-tasks-db): the monthly report, rebuilt each night
for the month that ended, so the kept file is exact as of its generation time; and the
refresh of the dashboards' kept counts, every REFRESH_EVERY and on the coordinator's
request."""

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
def refresh_region(region_id: int) -> str:
    """A refresh the coordinator asked for; skipped when one finished since the request."""
    from ochag.core.models import Territory
    from ochag.monitoring.models import IndicatorRefresh
    from ochag.monitoring.services import indicator_values_refresh

    region = Territory.objects.get(pk=region_id)
    state = IndicatorRefresh.objects.filter(region=region).first()
    if state is not None and state.state == IndicatorRefresh.State.DONE:
        return "refreshed since the request"
    done = indicator_values_refresh(region=region)
    return "another refresh is running" if done is None else f"{done.seconds} s"


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
