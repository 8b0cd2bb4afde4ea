"""Case notifications: one per key, e-mail queued on commit (never during demo generation)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.cases.models import (
    Case,
    Notification,
    Task,
)

logger = logging.getLogger(__name__)


# Set while generating demo data: notifications are recorded, but no e-mail is queued.
_mail_off: ContextVar[bool] = ContextVar("cases_mail_off", default=False)


@contextmanager
def mail_suppressed() -> Iterator[None]:
    token = _mail_off.set(True)
    try:
        yield
    finally:
        _mail_off.reset(token)


def send_on_commit(messages: Sequence[tuple[str, str, str]]) -> None:
    """Send (address, subject, body) mails after the transaction commits."""
    if _mail_off.get():
        return

    def send() -> None:
        for address, subject, body in messages:
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # a mail server outage must not undo the recorded change
                logger.exception("case notification to %s failed", address)

    if messages:
        transaction.on_commit(send)


def notify(
    *,
    key: str,
    kind: str,
    case: Case,
    message: str,
    recipient: User | None = None,
    agency: Agency | None = None,
    task: Task | None = None,
    outbox: list[tuple[str, str, str]],
) -> bool:
    """Create the notification once per key; queue its e-mail only when it is new."""
    email = recipient.email if recipient is not None else agency.email if agency else ""
    _obj, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "case": case,
            "task": task,
            "recipient": recipient,
            "agency": agency,
            "message": message,
            "email": email,
        },
    )
    if created and email:
        outbox.append((email, f"{case.number}: {_('Ochag notification')}", message))
    return created


def inform_agencies(case: Case, kind: str, message: str, stamp: str) -> None:
    outbox: list[tuple[str, str, str]] = []
    for participant in case.participants.select_related("agency"):
        notify(
            key=f"{kind}:{case.pk}:{stamp}:agency:{participant.agency_id}",
            kind=kind,
            case=case,
            agency=participant.agency,
            message=message,
            outbox=outbox,
        )
    send_on_commit(outbox)
