"""Writes of the monitoring app: targets, training records, checklist declarations, the
monthly report and the dashboards' kept counts. Each in one transaction (with its audit
entry where a person asked for it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.monitoring import custom, indicators, snapshots
from ochag.monitoring.models import (
    ChecklistDeclaration,
    CustomIndicator,
    IndicatorRefresh,
    IndicatorSnapshot,
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


# A refresh still "running" after this long died with its worker: another may start.
REFRESH_STALLED_AFTER = dt.timedelta(minutes=30)


def refresh_busy(refresh: IndicatorRefresh, now: dt.datetime) -> bool:
    """A refresh is queued or running, and has not been for so long that its worker died."""
    since = {
        IndicatorRefresh.State.QUEUED: refresh.requested_at,
        IndicatorRefresh.State.RUNNING: refresh.started_at,
    }.get(IndicatorRefresh.State(refresh.state))
    return since is not None and since >= now - REFRESH_STALLED_AFTER


def _claim(region: Territory, now: dt.datetime) -> bool:
    """Mark the region's refresh running unless another is (compare and set); True if
    this one may run."""
    IndicatorRefresh.objects.get_or_create(region=region)
    busy = Q(state=IndicatorRefresh.State.RUNNING, started_at__gte=now - REFRESH_STALLED_AFTER)
    return bool(
        IndicatorRefresh.objects.filter(region=region)
        .exclude(busy)
        .update(state=IndicatorRefresh.State.RUNNING, started_at=now, error="")
    )


def _repeatable_read() -> None:
    """Make the transaction just opened read one snapshot of the database (PostgreSQL; a
    SQLite transaction already does). Only as the transaction's first statement, so only
    when the refresh is not inside another transaction (it is, in tests)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def indicator_values_refresh(*, region: Territory) -> IndicatorRefresh | None:
    """Re-read every kept count of the region's and its municipalities' dashboards (see
    ``snapshots.py``) and replace the kept ones, all in one transaction at one moment.
    None when another refresh of the region is running."""
    started = timezone.now()
    if not _claim(region, started):
        return None
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if outermost:
                _repeatable_read()
            # The moment every count is read at: the transaction's snapshot is taken by
            # its first read, right after.
            now = timezone.now()
            municipalities = Territory.objects.filter(
                path__startswith=region.path, level=Territory.Level.MUNICIPALITY
            ).order_by("path")
            territories = [region, *municipalities]
            rows = []
            for territory in territories:
                counts, cost_facts = snapshots.read_territory(territory, region.pk, now)
                rows.append(
                    IndicatorSnapshot(
                        territory=territory, taken_at=now, counts=counts, costs=cost_facts
                    )
                )
            IndicatorSnapshot.objects.filter(territory__in=territories).delete()
            IndicatorSnapshot.objects.bulk_create(rows)
    except Exception as exc:
        IndicatorRefresh.objects.filter(region=region).update(
            state=IndicatorRefresh.State.FAILED, finished_at=timezone.now(), error=repr(exc)
        )
        raise
    # After the commit: the state row is written by requests too, and a write under
    # REPEATABLE READ to a row changed since the snapshot would fail the whole refresh.
    finished = timezone.now()
    IndicatorRefresh.objects.filter(region=region).update(
        state=IndicatorRefresh.State.DONE,
        finished_at=finished,
        taken_at=now,
        seconds=round((finished - started).total_seconds(), 1),
    )
    return IndicatorRefresh.objects.get(region=region)


@task()
def refresh_region(region_id: int) -> str:
    """The worker's side of ``indicator_refresh_request``: skipped when a refresh finished
    since the request. Here, beside the service that queues it, so that services and tasks
    do not import each other (as signals' ``bulk.run_import``)."""
    region = Territory.objects.get(pk=region_id)
    state = IndicatorRefresh.objects.filter(region=region).first()
    if state is not None and state.state == IndicatorRefresh.State.DONE:
        return "refreshed since the request"
    done = indicator_values_refresh(region=region)
    return "another refresh is running" if done is None else f"{done.seconds} s"


@transaction.atomic
def indicator_refresh_request(*, actor: User, region: Territory) -> bool:
    """The coordinator's «Обновить сейчас»: queue a refresh of the region on the worker
    (in this transaction, with its audit entry). False when one is already queued or
    running."""
    refresh, _created = IndicatorRefresh.objects.select_for_update().get_or_create(region=region)
    now = timezone.now()
    if refresh_busy(refresh, now):
        return False
    refresh.state = IndicatorRefresh.State.QUEUED
    refresh.requested_at = now
    refresh.requested_by = actor
    refresh.save(update_fields=["state", "requested_at", "requested_by"])
    audit_record(
        actor=actor,
        action=MonitoringAction.REFRESH_REQUESTED,
        obj=refresh,
        territory=region,
        object_label=region.name,
    )
    refresh_region.enqueue(region_id=region.pk)
    return True
