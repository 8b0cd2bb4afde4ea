"""Case tasks as a kind of deadline (ochag.core.deadlines): overdue tasks of open cases
escalate to their owners and supervisors. The daily check itself is core's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import CaseStatus, NotificationKind, Task
from ochag.cases.services.notifications import notify
from ochag.core import deadlines

KIND = "cases.task"


def open_case_tasks(rows: QuerySet[Task]) -> QuerySet[Task]:
    """The daily check looks at tasks of open cases only: a closed case's tasks wait."""
    return rows.filter(case__status=CaseStatus.OPEN)


def task_overdue_escalate(rows: QuerySet[Task], day: dt.date) -> int:
    """Notify the assignee (or the owning agency's duty address) and the agency's supervisors
    of each overdue task, once per task and deadline: the notification key includes both, so
    running again the same day (or the next) sends nothing new and a moved deadline escalates
    afresh. Returns the notifications created."""
    sent = 0
    supervisors: dict[int, list[User]] = {}
    for task in rows.select_related("case", "owner_agency", "assignee"):
        message = _(
            "Task «%(title)s» of case %(number)s was due on %(deadline)s and is overdue."
        ) % {
            "title": task.title,
            "number": task.case.number,
            "deadline": task.due_on.strftime("%d.%m.%Y"),
        }
        stamp = f"overdue:{task.pk}:{task.due_on.isoformat()}"
        common: dict[str, Any] = {"kind": NotificationKind.OVERDUE, "case": task.case}
        if task.assignee is not None and task.assignee.is_active:
            sent += notify(
                key=f"{stamp}:user:{task.assignee_id}",
                recipient=task.assignee,
                message=message,
                **common,
            )
        else:
            sent += notify(
                key=f"{stamp}:agency:{task.owner_agency_id}",
                agency=task.owner_agency,
                message=message,
                **common,
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
            sent += notify(
                key=f"{stamp}:user:{supervisor.pk}",
                recipient=supervisor,
                message=message,
                **common,
            )
    return sent


def deadlines_check(*, today: dt.date | None = None) -> deadlines.KindReport:
    """Core's daily check for case tasks only (the demo replays it day by day)."""
    day = today or timezone.localdate()
    return deadlines.deadlines_check(day=day, only=[KIND])[0]
