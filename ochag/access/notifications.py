"""The one way any app notifies people: a Notification row (the in-app inbox) and, where the
message should also go by e-mail, a mail queued in the same transaction (the outbox).

The outbox is a django-tasks task (:func:`ochag.access.tasks.send_mail_task`) enqueued on the
database backend inside the caller's transaction: nothing is mailed for a change that was
rolled back, no request waits for the mail server, and a mail server that is down leaves a
failed task to see and retry instead of an error after the change was saved.

E-mail carries no personal data: only what the message says (numbers, not names) and a link
to sign in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from ochag.access.models import Agency, Notification, User
from ochag.core.inserts import insert_many

# Set while generating demo data: notifications are recorded, no e-mail is queued.
_mail_off: ContextVar[bool] = ContextVar("ochag_mail_off", default=False)


@contextmanager
def mail_suppressed() -> Iterator[None]:
    token = _mail_off.set(True)
    try:
        yield
    finally:
        _mail_off.reset(token)


def mail_queue(*, recipients: Sequence[str], subject: str, body: str) -> bool:
    """Queue one e-mail in the current transaction; False when there is nobody to send to."""
    from ochag.access.tasks import send_mail_task

    addresses = sorted({a for a in recipients if a})
    if not addresses or _mail_off.get():
        return False
    send_mail_task.enqueue(subject, body, addresses)
    return True


def site_link(path: str) -> str:
    """An absolute link for an e-mail (the site's address is a setting)."""
    return settings.OCHAG_SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Subject:
    """The record a notification is about: its model label, key and a number people read."""

    type: str
    id: int
    label: str = ""

    @classmethod
    def of(cls, obj: models.Model, label: str = "") -> Subject:
        return cls(obj._meta.label_lower, int(obj.pk), label or str(obj)[:100])


def build(
    *,
    kind: str,
    text: str,
    recipient: User | int | None = None,
    agency: Agency | None = None,
    subject: Subject | None = None,
    url: str = "",
    key: str = "",
    email: str = "",
) -> Notification:
    """An unsaved notification, for :func:`notify_many`."""
    return Notification(
        key=key,
        kind=kind,
        recipient_id=recipient.pk if isinstance(recipient, User) else recipient,
        agency=agency,
        text=text,
        url=url,
        subject_type=subject.type if subject else "",
        subject_id=subject.id if subject else None,
        subject_label=subject.label if subject else "",
        email=email,
    )


def notify(
    *,
    kind: str,
    text: str,
    recipient: User | None = None,
    agency: Agency | None = None,
    subject: Subject | None = None,
    url: str = "",
    key: str = "",
    mail_subject: str = "",
) -> bool:
    """Record a notification for a user or an agency's duty address; with ``mail_subject``
    also queue an e-mail to that user's or agency's address. With a ``key`` it is sent once:
    a second call with the same key does nothing and returns False."""
    email = ""
    if mail_subject:
        email = recipient.email if recipient is not None else agency.email if agency else ""
    row = build(
        kind=kind,
        text=text,
        recipient=recipient,
        agency=agency,
        subject=subject,
        url=url,
        key=key,
        email=email,
    )
    if key:
        _obj, created = Notification.objects.get_or_create(
            key=key, defaults={f.attname: getattr(row, f.attname) for f in _fields()}
        )
        if not created:
            return False
    else:
        row.save(force_insert=True)
    if email:
        body = text + ("\n\n" + site_link(url) if url else "")
        mail_queue(recipients=[email], subject=mail_subject, body=body)
    return True


def _fields() -> list[Any]:
    return [
        f
        for f in Notification._meta.concrete_fields
        if f.name not in ("id", "key", "created_at", "read_at")
    ]


def notify_many(rows: Sequence[Notification]) -> None:
    """Record many notifications built with :func:`build` in one INSERT (bulk intake)."""
    insert_many(list(rows))


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User) -> models.QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def about(subject_type: str, ids: Any) -> models.QuerySet[Notification]:
    """Notifications about records of one type; ``ids`` is a list or a ``values("pk")``
    queryset of the records the caller's policy shows."""
    return Notification.objects.filter(subject_type=subject_type, subject_id__in=ids)


def mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
