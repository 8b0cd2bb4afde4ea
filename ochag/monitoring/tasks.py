"""Background work of monitoring (django-tasks-db): the monthly report, rebuilt each night
for the month that ended, so the kept file is exact as of its generation time."""

from __future__ import annotations

from django.tasks import task

from ochag.core.scheduling import run_daily, schedule_daily

REPORT_HOUR = 5


@task()
def monthly_report_daily(reschedule: bool = True) -> str:
    return run_daily(
        "monitoring_monthly_report", monthly_report_daily, hour=REPORT_HOUR, reschedule=reschedule
    )


def schedule_next() -> None:
    schedule_daily(monthly_report_daily, hour=REPORT_HOUR)
