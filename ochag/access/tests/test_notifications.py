"""The one notification table and mail outbox (ochag.access.notifications)."""

from __future__ import annotations

from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ochag.access import notifications
from ochag.access.models import Notification
from ochag.conftest import Cast


def test_a_key_sends_once_and_the_mail_waits_in_the_outbox(cast: Cast, run_queued_tasks) -> None:
    cast.agency_a.email = "duty@example.org"
    cast.agency_a.save()
    about = notifications.Subject("cases.case", 7, "ИПР-1")
    sent = [
        notifications.notify(
            kind="closed",
            text="Случай закрыт",
            agency=cast.agency_a,
            subject=about,
            url="/cases/7/",
            key="closed:7",
            mail_subject="ИПР-1: уведомление",
        )
        for _ in range(2)
    ]
    assert sent == [True, False]
    row = Notification.objects.get()
    assert (row.subject_type, row.subject_id, row.subject_label, row.email) == (
        "cases.case",
        7,
        "ИПР-1",
        "duty@example.org",
    )
    assert not mail.outbox  # queued, not sent inside the change
    assert run_queued_tasks() == 1
    (message,) = mail.outbox
    assert message.to == ["duty@example.org"] and message.body.endswith("/cases/7/")


def test_a_rolled_back_change_mails_nobody(cast: Cast) -> None:
    try:
        with transaction.atomic():
            notifications.notify(kind="x", text="т", recipient=cast.worker_a, mail_subject="тема")
            raise RuntimeError
    except RuntimeError:
        pass
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()


def test_suppressed_mail_is_recorded_but_not_queued(cast: Cast) -> None:
    with notifications.mail_suppressed():
        notifications.notify(kind="x", text="т", recipient=cast.worker_a, mail_subject="тема")
    assert Notification.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_inbox_unread_and_mark_read(cast: Cast) -> None:
    notifications.notify_many(
        [notifications.build(kind="x", text=f"т{i}", recipient=cast.worker_a) for i in range(3)]
        + [notifications.build(kind="x", text="чужое", recipient=cast.worker_b)]
    )
    assert notifications.unread_count(cast.worker_a) == 3
    assert notifications.mark_read(user=cast.worker_a) == 3
    assert notifications.unread_count(cast.worker_a) == 0
    assert notifications.unread_count(cast.worker_b) == 1
    assert [n.text for n in notifications.inbox(cast.worker_b)] == ["чужое"]
