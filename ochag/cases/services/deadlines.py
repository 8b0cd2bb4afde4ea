"""The daily deadline check: overdue tasks escalate to owners and supervisors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import (
    CaseAction,
    CaseStatus,
    NotificationKind,
    Task,
    TaskStatus,
)
from ochag.cases.services.notifications import notify, send_on_commit
from ochag.core.services import audit_record


@dataclass
class DeadlineReport:
    overdue: int = 0
    newly_overdue: int = 0
    notifications: int = 0


@transaction.atomic
def deadlines_check(*, today: dt.date | None = None) -> DeadlineReport:
    """Mark overdue tasks, notify owner and supervisors once per task and deadline.

    Idempotent: the notification key includes the task and its deadline, so running again
    the same day (or the next) sends nothing new; a moved deadline escalates afresh.
    """
    day = today or timezone.localdate()
    report = DeadlineReport()
    outbox: list[tuple[str, str, str]] = []
    overdue = (
        Task.objects.filter(case__status=CaseStatus.OPEN, deadline__lt=day)
        .exclude(status=TaskStatus.DONE)
        .select_related("case", "owner_agency", "assignee")
    )
    supervisors: dict[int, list[User]] = {}
    for task in overdue:
        report.overdue += 1
        if task.overdue_since is None:
            Task.objects.filter(pk=task.pk).update(overdue_since=day)
            report.newly_overdue += 1
        message = _(
            "Task «%(title)s» of case %(number)s was due on %(deadline)s and is overdue."
        ) % {
            "title": task.title,
            "number": task.case.number,
            "deadline": task.deadline.strftime("%d.%m.%Y"),
        }
        stamp = f"overdue:{task.pk}:{task.deadline.isoformat()}"
        if task.assignee is not None and task.assignee.is_active:
            report.notifications += notify(
                key=f"{stamp}:user:{task.assignee_id}",
                kind=NotificationKind.OVERDUE,
                case=task.case,
                task=task,
                recipient=task.assignee,
                message=message,
                outbox=outbox,
            )
        else:
            report.notifications += notify(
                key=f"{stamp}:agency:{task.owner_agency_id}",
                kind=NotificationKind.OVERDUE,
                case=task.case,
                task=task,
                agency=task.owner_agency,
                message=message,
                outbox=outbox,
            )
        if task.owner_agency_id not in supervisors:
            supervisors[task.owner_agency_id] = list(
                User.objects.filter(
                    Q(agency_id=task.owner_agency_id), is_supervisor=True, is_active=True
                )
            )
        for supervisor in supervisors[task.owner_agency_id]:
            if supervisor.pk == task.assignee_id:
                continue
            report.notifications += notify(
                key=f"{stamp}:user:{supervisor.pk}",
                kind=NotificationKind.OVERDUE,
                case=task.case,
                task=task,
                recipient=supervisor,
                message=message,
                outbox=outbox,
            )
    send_on_commit(outbox)
    if report.newly_overdue or report.notifications:
        audit_record(
            actor=None,
            action=CaseAction.DEADLINES_CHECKED,
            detail={
                "day": day.isoformat(),
                "overdue": report.overdue,
                "new": report.newly_overdue,
                "notifications": report.notifications,
            },
        )
    return report
