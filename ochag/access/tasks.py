"""Background work of the access app, on Django's task framework (django-tasks-db backend)."""

from __future__ import annotations

from io import StringIO

from django.tasks import task

from ochag.core.scheduling import run_daily, schedule_daily

# The hour (local time) stale throttle buckets are deleted: a quiet hour.
NIGHTLY_HOUR = 3


@task()
def purge_throttle_nightly(reschedule: bool = True) -> str:
    """Run ``access_purge_throttle`` and queue the next night's run."""
    return run_daily(
        "access_purge_throttle", purge_throttle_nightly, hour=NIGHTLY_HOUR, reschedule=reschedule
    )


def schedule_next() -> None:
    """Queue the next nightly run unless one is already waiting."""
    schedule_daily(purge_throttle_nightly, hour=NIGHTLY_HOUR)


# Retention runs an hour after the throttle purge.
RETENTION_HOUR = 4


@task()
def retention_nightly(reschedule: bool = True) -> str:
    """Run ``retention --apply`` and queue the next night's run."""
    from django.core.management import call_command

    out = StringIO()
    call_command("retention", "--apply", stdout=out)
    if reschedule:
        schedule_retention()
    return out.getvalue().strip()


def schedule_retention() -> None:
    schedule_daily(retention_nightly, hour=RETENTION_HOUR)


@task()
def send_mail_task(subject: str, body: str, recipients: list[str]) -> int:
    """The mail outbox (ochag.access.notifications.mail_queue): queued in the transaction of
    the change it tells of, sent by the worker."""
    from django.core.mail import send_mail

    return send_mail(subject, body, None, recipients, fail_silently=False)
