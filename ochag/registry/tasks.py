"""Background work of the registry app, on Django's task framework (django-tasks-db backend)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.tasks import task

from ochag.core.scheduling import schedule_daily

# The hour (local time) the nightly duplicate search runs: after the day's intake, before
# the 06:00 deadline check, when the registry is quiet.
NIGHTLY_HOUR = 2


@task()
def find_duplicates_nightly(reschedule: bool = True) -> str:
    """Run ``registry_find_duplicates`` and queue the next night's run."""
    out = StringIO()
    call_command("registry_find_duplicates", stdout=out)
    if reschedule:
        schedule_next()
    return out.getvalue().strip()


def schedule_next() -> None:
    """Queue the next nightly run unless one is already waiting."""
    schedule_daily(find_duplicates_nightly, hour=NIGHTLY_HOUR)
