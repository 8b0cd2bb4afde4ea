"""Writes on the data bank's children and families: each one transaction with its audit entry.

Deadlines are computed here and stored on the row: the profile's legal term after the
child is identified (working days), the federal bank a calendar month after the child
entered the regional bank, the home inspection 7 days after the application.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.care import selectors as care_selectors
from ochag.core.calendar import add_working_days
from ochag.core.deadlines import DayKind, due_date
from ochag.core.exports import export_record
from ochag.core.models import Territory
from ochag.core.services import audit_record, changes_apply, locked_at_version
from ochag.databank.centroids import centroid
from ochag.databank.models import (
    FAMILY_CRITERIA,
    BankGeneration,
    CandidateFamily,
    ChildProfile,
    ChildStatus,
    Conclusion,
    Contact,
    DatabankAction,
    FederalDeadline,
    FederalTransfer,
    HomeInspection,
)
from ochag.registry.models import Person

# 44-ФЗ / СК 122: the guardianship body passes the child's details to the regional bank
# within 3 working days of identifying them (domain.md §5 row 1a).
PROFILE_TERM_WORKING_DAYS = 3
HOME_INSPECTION_DAYS = 7  # domain.md §5 row 11

CHILD_FIELDS = (
    "legal_status",
    "forms",
    "health_group",
    "needs",
    "language",
    "ethnicity",
    "religion",
    "description",
)
FAMILY_FIELDS = ("documents", "training_done_on", "training_exemption", *FAMILY_CRITERIA)


def bank_generation_bump(region: Territory) -> None:
    """A new ranking generation for the region, in the caller's transaction (the cached
    family pools of every process become stale when it commits)."""
    BankGeneration.objects.update_or_create(region=region, defaults={"value": uuid.uuid4().hex})


def _home(obj: ChildProfile | CandidateFamily, data: dict[str, Any]) -> None:
    """Typed coordinates win; without them the municipality's centre from the committed
    table; neither is refused (distance is a hard part of the ranking). A call that names
    none of the three fields leaves the home as it is."""
    if not {"home_lat", "home_lon", "home_territory"} & data.keys():
        return
    lat, lon = data.pop("home_lat", None), data.pop("home_lon", None)
    if "home_territory" in data:
        obj.home_territory = data.pop("home_territory")
    if (lat is None) != (lon is None):
        raise ValidationError({"home_lon": _("Give both coordinates of the home, or neither.")})
    if lat is not None:
        obj.home_lat, obj.home_lon, obj.home_by_centroid = lat, lon, False
        return
    point = centroid(obj.home_territory) if obj.home_territory is not None else None
    if point is None:
        raise ValidationError(
            {
                "home_lat": _(
                    "Type the coordinates of the home: the municipality's centre is not in the "
                    "table of centres."
                )
            }
        )
    obj.home_lat, obj.home_lon = point
    obj.home_by_centroid = True


def _where(obj: ChildProfile | CandidateFamily) -> str:
    return f"{obj.home_territory_id}: {obj.home_lat}, {obj.home_lon}"


def _legal_status(person: Person, data: dict[str, Any], current: str = "") -> None:
    """The family-legal status comes from the care record where the child has one."""
    from_care = care_selectors.legal_status_of(person.pk)
    if from_care:
        data["legal_status"] = from_care
    elif not data.get("legal_status", current):
        raise ValidationError(
            {"legal_status": _("The child has no care record: give the family-legal status.")}
        )


def add_month(day: dt.date) -> dt.date:
    """The same day a calendar month later (the last day of a shorter month)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _region_of(agency: Agency) -> Any:
    region = agency.territory.region
    if region is None:
        raise ValidationError(_("The agency is not in a region."))
    return region


@transaction.atomic
def child_create(
    *, actor: User, person: Person, agency: Agency, identified_on: dt.date, **data: Any
) -> ChildProfile:
    if ChildProfile.objects.filter(person=person).exists():
        raise ValidationError({"person": _("This child already has a profile in the bank.")})
    region = _region_of(agency)
    today = timezone.localdate()
    data = dict(data)
    _legal_status(person, data)
    data.setdefault("home_territory", person.territory or agency.territory)
    child = ChildProfile(
        person=person,
        agency=agency,
        region=region,
        identified_on=identified_on,
        profile_due_on=add_working_days(identified_on, PROFILE_TERM_WORKING_DAYS, territory=region),
        created_on=today,
    )
    _home(child, data)
    changes_apply(child, CHILD_FIELDS, data)
    child.full_clean(exclude=["person", "agency", "region", "home_territory"])
    child.save()
    FederalDeadline.objects.create(
        child=child, due_on=due_date(add_month(today), 0, territory=region)
    )
    audit_record(
        actor=actor,
        action=DatabankAction.CHILD_SAVED,
        obj=child,
        territory=agency.territory,
        detail={"created": True, "late": child.created_on > child.profile_due_on},
    )
    return child


@transaction.atomic
def child_update(*, actor: User, child: ChildProfile, version: int, **data: Any) -> ChildProfile:
    locked = locked_at_version(ChildProfile.objects, child.pk, version)
    data = dict(data)
    _legal_status(locked.person, data, locked.legal_status)
    before = _where(locked)
    _home(locked, data)
    changed = changes_apply(locked, CHILD_FIELDS, data)
    if _where(locked) != before:
        changed["home"] = [before, _where(locked)]
    locked.full_clean(exclude=["person", "agency", "region", "home_territory"])
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor, action=DatabankAction.CHILD_SAVED, obj=locked, detail={"changed": changed}
    )
    return locked


@transaction.atomic
def family_create(
    *, actor: User, applicant: Person, agency: Agency, applied_on: dt.date, **data: Any
) -> CandidateFamily:
    family = CandidateFamily(
        applicant=applicant,
        agency=agency,
        region=_region_of(agency),
        applied_on=applied_on,
    )
    data = dict(data)
    data.setdefault("home_territory", applicant.territory or agency.territory)
    _home(family, data)
    changes_apply(family, FAMILY_FIELDS, data)
    family.save()
    bank_generation_bump(family.region)
    HomeInspection.objects.create(
        family=family,
        due_on=due_date(
            applied_on, HOME_INSPECTION_DAYS, kind=DayKind.CALENDAR, territory=family.region
        ),
    )
    audit_record(
        actor=actor,
        action=DatabankAction.FAMILY_SAVED,
        obj=family,
        territory=agency.territory,
        detail={"created": True},
    )
    return family


@transaction.atomic
def family_update(
    *, actor: User, family: CandidateFamily, version: int, **data: Any
) -> CandidateFamily:
    locked = locked_at_version(CandidateFamily.objects, family.pk, version)
    data = dict(data)
    before = _where(locked)
    _home(locked, data)
    changed = changes_apply(locked, FAMILY_FIELDS, data)
    if _where(locked) != before:
        changed["home"] = [before, _where(locked)]
    if locked.age_min > locked.age_max:
        raise ValidationError({"age_max": _("The upper age is below the lower one.")})
    locked.version += 1
    locked.save()
    bank_generation_bump(locked.region)
    audit_record(
        actor=actor, action=DatabankAction.FAMILY_SAVED, obj=locked, detail={"changed": changed}
    )
    return locked


@transaction.atomic
def family_inspect(*, actor: User, family: CandidateFamily, on: dt.date) -> CandidateFamily:
    if on < family.applied_on:
        raise ValidationError({"on": _("The inspection cannot precede the application.")})
    inspection = family.inspection
    inspection.done_on = on
    inspection.overdue_since = None
    inspection.save(update_fields=["done_on", "overdue_since"])
    bank_generation_bump(family.region)
    audit_record(
        actor=actor,
        action=DatabankAction.INSPECTED,
        obj=family,
        detail={"on": on.isoformat(), "late": on > inspection.due_on},
    )
    return family


@transaction.atomic
def family_conclude(
    *, actor: User, family: CandidateFamily, conclusion: str, valid_until: dt.date | None
) -> CandidateFamily:
    """The guardianship conclusion; a positive one needs the inspection, the training
    (or an exemption) and a date it is valid until."""
    if conclusion == Conclusion.MAY:
        errors = {}
        if family.inspection.done_on is None:
            errors["conclusion"] = _("Inspect the family's home first.")
        elif not family.training_ok:
            errors["conclusion"] = _(
                "The foster parents' school is not finished and no exemption applies."
            )
        if valid_until is None:
            errors["valid_until"] = _("A positive conclusion needs the date it is valid until.")
        if errors:
            raise ValidationError(errors)
    family.conclusion = conclusion
    family.conclusion_valid_until = valid_until if conclusion == Conclusion.MAY else None
    family.save(update_fields=["conclusion", "conclusion_valid_until"])
    bank_generation_bump(family.region)
    audit_record(
        actor=actor,
        action=DatabankAction.CONCLUDED,
        obj=family,
        detail={"conclusion": conclusion, "valid_until": str(valid_until or "")},
    )
    return family


@transaction.atomic
def contact_record(
    *,
    actor: User,
    child: ChildProfile,
    family: CandidateFamily,
    on: dt.date,
    outcome: str,
    note: str = "",
) -> Contact:
    if family.conclusion != Conclusion.MAY:
        raise ValidationError({"family": _("The family has no positive conclusion.")})
    contact = Contact.objects.create(
        child=child, family=family, on=on, outcome=outcome, note=note, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=DatabankAction.CONTACT_RECORDED,
        obj=child,
        detail={"family": family.pk, "on": on.isoformat(), "outcome": outcome},
    )
    return contact


@transaction.atomic
def child_place(*, actor: User, child: ChildProfile, on: dt.date, form: str) -> ChildProfile:
    """The child is placed in a family: the bank stops offering them."""
    if child.status != ChildStatus.SEARCHING:
        raise ValidationError(_("The child is not looking for a family."))
    if form not in child.forms:
        raise ValidationError({"form": _("This form of care is not possible for the child.")})
    child.status, child.placed_on, child.placed_form = ChildStatus.PLACED, on, form
    child.save(update_fields=["status", "placed_on", "placed_form"])
    audit_record(
        actor=actor,
        action=DatabankAction.CHILD_SAVED,
        obj=child,
        detail={"placed_on": on.isoformat(), "form": form},
    )
    return child


@transaction.atomic
def federal_transfer_record(
    *, actor: User, children: Sequence[ChildProfile], content: bytes
) -> FederalTransfer:
    """Record that the file with these profiles was sent to the federal bank today."""
    if not children:
        raise ValidationError(_("No children are due for the federal bank."))
    today = timezone.localdate()
    transfer = FederalTransfer.objects.create(
        region=children[0].region,
        sent_on=today,
        sent_by=actor,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    transfer.children.set(children)
    FederalDeadline.objects.filter(child__in=children).update(done_on=today, overdue_since=None)
    audit_record(
        actor=actor,
        action=DatabankAction.FEDERAL_SENT,
        obj=transfer,
        territory=children[0].region,
        detail={"children": [c.pk for c in children], "sha256": transfer.sha256},
    )
    export_record(
        actor=actor,
        what="databank_federal",
        file_format="json",
        rows=len(children),
        obj=transfer,
        recipient=_("Federal data bank"),
    )
    return transfer
