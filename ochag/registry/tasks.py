"""Background work of the registry app, on Django's task framework (django-tasks-db backend)."""

from __future__ import annotations

from django.tasks import task

from ochag.core.scheduling import run_daily, schedule_daily

# The hour (local time) the nightly duplicate search runs: after the day's intake, before
# the 06:00 deadline check, when the registry is quiet.
NIGHTLY_HOUR = 2


@task()
def find_duplicates_nightly(reschedule: bool = True) -> str:
    """Run ``registry_find_duplicates`` and queue the next night's run."""
    return run_daily(
        "registry_find_duplicates",
        find_duplicates_nightly,
        hour=NIGHTLY_HOUR,
        reschedule=reschedule,
    )


def schedule_next() -> None:
    """Queue the next nightly run unless one is already waiting."""
    schedule_daily(find_duplicates_nightly, hour=NIGHTLY_HOUR)
