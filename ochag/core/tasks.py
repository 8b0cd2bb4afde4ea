"""Background work of the core, on Django's task framework (django-tasks-db backend)."""

from __future__ import annotations

from django.tasks import task

from ochag.core.scheduling import run_daily, schedule_daily

# The hour (local time) the daily deadline check runs.
DAILY_HOUR = 6


@task()
def check_deadlines_daily(reschedule: bool = True) -> str:
    """Run ``check_deadlines`` and queue tomorrow's run, so one enqueue starts the cycle."""
    return run_daily(
        "check_deadlines", check_deadlines_daily, hour=DAILY_HOUR, reschedule=reschedule
    )


def schedule_next() -> None:
    """Queue the next daily run unless one is already waiting."""
    schedule_daily(check_deadlines_daily, hour=DAILY_HOUR)
