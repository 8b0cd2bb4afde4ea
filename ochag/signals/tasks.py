"""Background work of the signals app (run by `python manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task


@task
def send_notice(subject: str, body: str, recipients: list[str]) -> int:
    """E-mail a notice about a signal. Queued inside the transaction that made the signal
    (an outbox): nothing is mailed for a signal that was rolled back, no request waits for
    the mail server, and a mail server that is down leaves a failed task to see in the
    task table instead of an error after the signal was saved."""
    from django.core.mail import send_mail

    return send_mail(subject, body, None, recipients, fail_silently=False)
