"""The interagency plan and its tasks, both under optimistic locking."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.cases.models import (
    Case,
    CaseAction,
    DayKind,
    Plan,
    Task,
    TaskStatus,
)
from ochag.cases.services.case import case_participant_add
from ochag.cases.services.common import (
    participate,
)
from ochag.core.deadlines import due_date
from ochag.core.services import audit_record, locked_at_version


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: Plan,
    expected_version: int,
    goals: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
) -> Plan:
    """Save the plan unless a colleague saved it since ``expected_version`` was read."""
    current = locked_at_version(Plan.objects, plan.pk, expected_version)
    current.goals, current.period_start, current.period_end = (
        goals.strip(),
        period_start,
        period_end,
    )
    current.full_clean(exclude=["case", "approved_session"])
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=CaseAction.PLAN_CHANGED,
        obj=plan.case,
        detail={"version": current.version},
    )
    return current


@transaction.atomic
def task_add(
    *,
    actor: User,
    case: Case,
    title: str,
    owner_agency: Agency,
    start_date: dt.date,
    deadline_days: int,
    deadline_kind: str = DayKind.WORKING,
    description: str = "",
    assignee: User | None = None,
    legal_source: str = "",
    is_medical: bool = False,
    shared: bool = False,
    is_legal: bool = False,
) -> Task:
    if assignee is not None and assignee.agency_id != owner_agency.pk:
        raise ValidationError(_("The responsible person must work in the owning agency."))
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        description=description.strip(),
        owner_agency=owner_agency,
        assignee=assignee,
        start_date=start_date,
        deadline_days=deadline_days,
        deadline_kind=deadline_kind,
        legal_source=legal_source,
        due_on=due_date(start_date, deadline_days, kind=deadline_kind, territory=case.territory),
        is_medical=is_medical,
        shared=shared and not is_legal,
        is_legal=is_legal,
        created_by=actor,
    )
    participate(case, owner_agency)
    Plan.objects.filter(case=case).update(version=F("version") + 1)
    audit_record(
        actor=actor,
        action=CaseAction.TASK_ADDED,
        obj=case,
        detail={"task": task.pk, "agency": owner_agency.pk, "deadline": task.due_on.isoformat()},
    )
    return task


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    expected_version: int,
    status: str,
    status_reason: str = "",
    evidence: str = "",
    notes: str = "",
) -> Task:
    """Change a task's status and evidence unless someone changed it meanwhile."""
    current = locked_at_version(Task.objects.select_related("case"), task.pk, expected_version)
    before = current.status
    current.status, current.status_reason = status, status_reason.strip()
    current.evidence, current.notes = evidence.strip(), notes.strip()
    current.done_on = timezone.localdate() if status == TaskStatus.DONE else None
    if status == TaskStatus.DONE:
        current.overdue_since = None
    current.full_clean(exclude=["case", "owner_agency", "assignee", "created_by"])
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=CaseAction.TASK_UPDATED,
        obj=current.case,
        detail={"task": current.pk, "from": before, "to": status},
    )
    return current


@transaction.atomic
def task_share(*, actor: User, task: Task, shared: bool, agency: Agency | None = None) -> Task:
    """Share an existing task with every agency taking part (or stop sharing it), first
    bringing ``agency`` into the case when the task is to reach an agency not yet in it.
    Legal steps and medical secrets are never shared."""
    current = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if shared and current.is_legal:
        raise ValidationError(_("A legal step of guardianship or the KDN is never shared."))
    if shared and current.is_medical:
        raise ValidationError(_("A medical secret is shown only to health staff and the curator."))
    if agency is not None:
        case_participant_add(actor=actor, case=current.case, agency=agency)
    if current.shared != shared:
        current.shared = shared
        current.version += 1
        current.save(update_fields=["shared", "version"])
    audit_record(
        actor=actor,
        action=CaseAction.TASK_SHARING_CHANGED,
        obj=current.case,
        detail={"task": current.pk, "shared": shared,
                "agency": agency.pk if agency is not None else None},
    )  # fmt: skip
    return current
