"""Monitoring reports on the regional cadence."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import (
    Case,
    CaseAction,
    DayKind,
    MonitoringReport,
    Task,
    TaskStatus,
)
from ochag.cases.services.common import (
    MONITORING_SOURCE,
    add_months,
    monitoring_months,
)
from ochag.core.calendar import add_working_days
from ochag.core.services import audit_record


@transaction.atomic
def monitoring_report_add(
    *,
    actor: User,
    case: Case,
    period_end: dt.date,
    summary: str,
    next_review: dt.date | None = None,
    reassessment_needed: bool = False,
) -> MonitoringReport:
    """A report on the regional cadence; the next one becomes a tracked task for the curator."""
    review = next_review or add_months(period_end, monitoring_months())
    if review <= period_end:
        raise ValidationError(_("The next review must come after the reporting period."))
    report = MonitoringReport.objects.create(
        case=case,
        period_end=period_end,
        summary=summary.strip(),
        next_review=review,
        reassessment_needed=reassessment_needed,
        author=actor,
    )
    # The earlier review task is fulfilled by this report.
    Task.objects.filter(case=case, legal_source=MONITORING_SOURCE).exclude(
        status=TaskStatus.DONE
    ).update(status=TaskStatus.DONE, done_on=timezone.localdate(), overdue_since=None)
    curator_agency = case.curator.agency
    assert curator_agency is not None
    Task.objects.create(
        case=case,
        title=_("Monitoring report and case review"),
        owner_agency=curator_agency,
        assignee=case.curator,
        start_date=period_end,
        deadline_days=(review - period_end).days,
        deadline_kind=DayKind.CALENDAR,
        legal_source=MONITORING_SOURCE,
        due_on=review,
        created_by=actor,
    )
    if reassessment_needed:
        Task.objects.create(
            case=case,
            title=_("Re-assess the family's situation"),
            owner_agency=curator_agency,
            assignee=case.curator,
            start_date=period_end,
            deadline_days=10,
            deadline_kind=DayKind.WORKING,
            due_on=add_working_days(period_end, 10, territory=case.territory),
            created_by=actor,
        )
    audit_record(
        actor=actor,
        action=CaseAction.MONITORING_ADDED,
        obj=case,
        detail={"period_end": period_end.isoformat(), "next_review": review.isoformat()},
    )
    return report
