"""Writes of the monitoring app: targets, training records, checklist declarations and the
monthly report. Each in one transaction with its audit entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.monitoring import custom, indicators
from ochag.monitoring.models import (
    ChecklistDeclaration,
    CustomIndicator,
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
    region = territory.region
    if indicators.get(code) is None and custom.find(code, region.pk if region else None) is None:
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


@dataclass(frozen=True)
class CustomSpec:
    """What a regional indicator is: see ``monitoring/custom.py``."""

    name: str
    unit: str
    formula: str
    kind: str
    up_is_good: bool | None
    numerator: str
    numerator_territory: Territory | None = None
    numerator_filter: str = ""
    denominator: str = ""
    denominator_territory: Territory | None = None
    denominator_filter: str = ""


def _check_part(region: Territory, code: str, territory: Territory | None, text: str) -> None:
    if code not in custom.BASES:
        raise ValidationError(_("Choose a count from the list."))
    if territory is not None and (
        territory.level != Territory.Level.MUNICIPALITY
        or not territory.path.startswith(region.path)
    ):
        raise ValidationError(_("Choose a municipality of the region."))
    try:
        custom.parse_filter(indicators.count(code), text)
    except ValueError:
        raise ValidationError(_("The filter does not fit the chosen count.")) from None


def _check_spec(region: Territory, spec: CustomSpec, exclude: int | None) -> CustomSpec:
    if not spec.name.strip() or not spec.unit.strip() or not spec.formula.strip():
        raise ValidationError(_("Give the name, the unit and the formula in words."))
    if spec.kind not in CustomIndicator.Kind.values:
        raise ValidationError(_("Choose a count or a ratio."))
    taken = CustomIndicator.objects.filter(region=region, name__iexact=spec.name.strip())
    if taken.exclude(pk=exclude or 0).exists():
        raise ValidationError(_("The region already has an indicator with this name."))
    _check_part(region, spec.numerator, spec.numerator_territory, spec.numerator_filter)
    if spec.kind == CustomIndicator.Kind.COUNT:
        return dataclasses.replace(
            spec, denominator="", denominator_territory=None, denominator_filter=""
        )
    _check_part(region, spec.denominator, spec.denominator_territory, spec.denominator_filter)
    same = (spec.numerator, spec.numerator_territory, spec.numerator_filter) == (
        spec.denominator,
        spec.denominator_territory,
        spec.denominator_filter,
    )
    if same:
        raise ValidationError(_("A ratio needs two different counts."))
    return spec


@transaction.atomic
def custom_indicator_save(
    *,
    actor: User,
    region: Territory,
    spec: CustomSpec,
    indicator: CustomIndicator | None = None,
    expected_version: int | None = None,
) -> CustomIndicator:
    """Define a regional indicator, or change one (refused if changed meanwhile)."""
    spec = _check_spec(region, spec, indicator.pk if indicator else None)
    fields = {
        "name": spec.name.strip(),
        "unit": spec.unit.strip(),
        "formula": spec.formula.strip(),
        "kind": spec.kind,
        "up_is_good": spec.up_is_good,
        "numerator": spec.numerator,
        "numerator_territory": spec.numerator_territory,
        "numerator_filter": spec.numerator_filter,
        "denominator": spec.denominator,
        "denominator_territory": spec.denominator_territory,
        "denominator_filter": spec.denominator_filter,
    }
    if indicator is None:
        indicator = CustomIndicator.objects.create(region=region, created_by=actor, **fields)
    else:
        updated = CustomIndicator.objects.filter(
            pk=indicator.pk, region=region, version=expected_version or indicator.version
        ).update(version=F("version") + 1, **fields)
        if not updated:
            raise ValidationError(_("Someone changed this indicator meanwhile: open it again."))
        indicator.refresh_from_db()
    audit_record(
        actor=actor,
        action=MonitoringAction.CUSTOM_SAVED,
        obj=indicator,
        territory=region,
        detail={
            "code": indicator.code,
            "version": indicator.version,
            **{k: str(v.pk if isinstance(v, Territory) else v) for k, v in fields.items()},
        },
    )
    return indicator


@transaction.atomic
def custom_indicator_retire(*, actor: User, indicator: CustomIndicator) -> CustomIndicator:
    """Take a regional indicator off the dashboards (its targets and history stay)."""
    CustomIndicator.objects.filter(pk=indicator.pk).update(
        is_active=False, version=F("version") + 1
    )
    indicator.refresh_from_db()
    audit_record(
        actor=actor,
        action=MonitoringAction.CUSTOM_RETIRED,
        obj=indicator,
        territory=indicator.region,
        detail={"code": indicator.code, "name": indicator.name},
    )
    return indicator
