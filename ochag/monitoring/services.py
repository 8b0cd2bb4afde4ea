"""Writes of the monitoring app: targets, training records, checklist declarations and the
monthly report. Each in one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.monitoring import indicators
from ochag.monitoring.models import (
    ChecklistDeclaration,
    IndicatorTarget,
    MonitoringAction,
    MonthlyReport,
    TrainingRecord,
)


@transaction.atomic
def target_set(
    *, actor: User, code: str, territory: Territory, year: int, value: Decimal | None
) -> IndicatorTarget | None:
    """Set (or, with ``value`` None, remove) an indicator's target for a territory's year."""
    if indicators.get(code) is None:
        raise ValidationError(_("Unknown indicator."))
    before = IndicatorTarget.objects.filter(code=code, territory=territory, year=year).first()
    old = str(before.value) if before else None
    target: IndicatorTarget | None = None
    if value is None:
        if before is not None:
            before.delete()
    else:
        target, _created = IndicatorTarget.objects.update_or_create(
            code=code,
            territory=territory,
            year=year,
            defaults={"value": value, "set_by": actor},
        )
    audit_record(
        actor=actor,
        action=MonitoringAction.TARGET_SET,
        territory=territory,
        object_label=f"{code} {year}",
        detail={
            "indicator": code,
            "year": year,
            "from": old,
            "to": None if value is None else str(value),
        },
    )
    return target


@transaction.atomic
def training_record(
    *,
    actor: User,
    specialist: User,
    course: str,
    hours: int,
    completed_on: dt.date,
    certificate: str = "",
) -> TrainingRecord:
    if specialist.agency_id is None:
        raise ValidationError(_("The specialist must belong to an agency."))
    if not course.strip():
        raise ValidationError(_("Name the course."))
    if hours <= 0:
        raise ValidationError(_("The course must have at least one hour."))
    agency: Agency = specialist.agency  # type: ignore[assignment]
    record = TrainingRecord.objects.create(
        specialist=specialist,
        agency=agency,
        course=course.strip(),
        hours=hours,
        completed_on=completed_on,
        certificate=certificate.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=MonitoringAction.TRAINING_RECORDED,
        obj=record,
        territory=agency.territory,
        detail={"specialist": specialist.pk, "course": record.course, "hours": hours},
    )
    return record


@transaction.atomic
def checklist_declare(
    *,
    actor: User,
    region: Territory,
    item: str,
    document: str,
    dated: dt.date,
    link: str = "",
) -> ChecklistDeclaration:
    if not document.strip():
        raise ValidationError(_("Name the document."))
    declaration, _created = ChecklistDeclaration.objects.update_or_create(
        region=region,
        item=item,
        defaults={"document": document.strip(), "dated": dated, "link": link, "declared_by": actor},
    )
    audit_record(
        actor=actor,
        action=MonitoringAction.CHECKLIST_DECLARED,
        obj=declaration,
        territory=region,
        detail={"item": item, "document": declaration.document, "dated": dated.isoformat()},
    )
    return declaration


@transaction.atomic
def monthly_report_keep(*, region: Territory, period: str, content: bytes) -> MonthlyReport:
    """Keep a generated month's report (the worker calls this; no user acts)."""
    report, _created = MonthlyReport.objects.update_or_create(
        region=region, period=period, defaults={"content": content}
    )
    audit_record(
        actor=None,
        action=MonitoringAction.REPORT_GENERATED,
        obj=report,
        territory=region,
        detail={"period": period, "bytes": len(content)},
    )
    return report
