"""The data bank's deadline notifications, run by core's daily check (core.deadlines) as the
``escalate`` hooks of its two kinds, through access's one notification mechanism (inbox and
mail outbox in the same transaction). Each notice has a key per task, deadline and stage, so
running the check twice a day notifies once, and a moved deadline notifies afresh.

* Home inspection (7 days after the application): a reminder to the family's guardianship
  body on the due day and the day before; once overdue, the body and its supervisors.
* Federal bank (a month without a family in the region): a reminder to the region's
  coordinators three days ahead; once overdue, the coordinators and the child's body.

Mail carries numbers only, never a name (access.notifications).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access import notifications
from ochag.access.models import Agency, Role, User
from ochag.core.models import Territory
from ochag.databank.models import ChildStatus, FederalDeadline, HomeInspection

KIND = "databank_deadline"
INSPECTION_REMIND_DAYS = 1
FEDERAL_REMIND_DAYS = 3


def _send(
    key: str,
    text: str,
    url: str,
    subject: notifications.Subject,
    *,
    recipient: User | None = None,
    agency: Agency | None = None,
) -> int:
    return int(
        notifications.notify(
            kind=KIND,
            text=text,
            recipient=recipient,
            agency=agency,
            subject=subject,
            url=url,
            key=key,
            mail_subject=_("Ochag: data bank deadline"),
        )
    )


def _supervisors(agency_id: int) -> list[User]:
    return list(User.objects.filter(agency_id=agency_id, is_supervisor=True, is_active=True))


def coordinators(region: Territory) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.REGIONAL_COORDINATOR,
            is_active=True,
            agency__territory__path__startswith=region.path,
        )
    )


def _day(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def inspection_overdue_escalate(rows: QuerySet[HomeInspection], day: dt.date) -> int:
    sent = 0
    due_soon = HomeInspection.objects.due_within(INSPECTION_REMIND_DAYS, day)
    for task in due_soon.select_related("family__agency"):
        family = task.family
        text = _("Candidate family № %(n)s: the home inspection is due by %(due)s (7 days).") % {
            "n": family.pk,
            "due": _day(task.due_on),
        }
        subject = notifications.Subject.of(family, label=f"№ {family.pk}")
        url = reverse("databank:family", args=[family.pk])
        key = f"databank:inspection:{task.pk}:{task.due_on.isoformat()}:soon"
        sent += _send(f"{key}:agency", text, url, subject, agency=family.agency)
    for task in rows.select_related("family__agency"):
        family = task.family
        text = _(
            "Candidate family № %(n)s: the home inspection was due by %(due)s and is overdue."
        ) % {"n": family.pk, "due": _day(task.due_on)}
        subject = notifications.Subject.of(family, label=f"№ {family.pk}")
        url = reverse("databank:family", args=[family.pk])
        key = f"databank:inspection:{task.pk}:{task.due_on.isoformat()}:overdue"
        sent += _send(f"{key}:agency", text, url, subject, agency=family.agency)
        for supervisor in _supervisors(family.agency_id):
            sent += _send(f"{key}:user:{supervisor.pk}", text, url, subject, recipient=supervisor)
    return sent


def federal_overdue_escalate(rows: QuerySet[FederalDeadline], day: dt.date) -> int:
    sent = 0
    staff: dict[int, list[User]] = {}
    due_soon = FederalDeadline.objects.due_within(FEDERAL_REMIND_DAYS, day).filter(
        child__status=ChildStatus.SEARCHING
    )
    url = reverse("databank:federal")
    for stage, tasks in (("soon", due_soon), ("overdue", rows)):
        for task in tasks.select_related("child__region", "child__agency"):
            child = task.child
            if stage == "soon":
                text = _(
                    "Child profile № %(n)s: a month in the regional bank without a family ends "
                    "%(due)s; pass it to the federal bank by then."
                ) % {"n": child.pk, "due": _day(task.due_on)}
            else:
                text = _(
                    "Child profile № %(n)s: was due for the federal bank by %(due)s and is not "
                    "sent."
                ) % {"n": child.pk, "due": _day(task.due_on)}
            subject = notifications.Subject.of(child, label=f"№ {child.pk}")
            key = f"databank:federal:{task.pk}:{task.due_on.isoformat()}:{stage}"
            if child.region_id not in staff:
                staff[child.region_id] = coordinators(child.region)
            for user in staff[child.region_id]:
                sent += _send(f"{key}:user:{user.pk}", text, url, subject, recipient=user)
            if stage == "overdue":
                child_url = reverse("databank:child", args=[child.pk])
                sent += _send(f"{key}:agency", text, child_url, subject, agency=child.agency)
    return sent
