"""Writes on the register: institutions, their transformation milestones, visits, incidents.

Remoteness is stored on the institution (``is_remote``) from the region's thresholds when
the institution or the thresholds are saved, so the register filters and sorts on it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.care.models import (
    CareAction,
    CareSettings,
    Incident,
    Institution,
    Milestone,
    MonthlyCost,
    Visit,
)
from ochag.care.selectors import settings_for
from ochag.core.calendar import add_working_days
from ochag.core.models import Territory
from ochag.core.services import audit_record

# The institution's card as its form shows it, in that order.
FIELDS = (
    "name",
    "type",
    "territory",
    "address",
    "operating_agency",
    "agency",
    "capacity",
    "distance_km",
    "travel_minutes",
    "transformation_target",
    "transformation_status",
    "is_active",
)


def _remote(settings: CareSettings, distance_km: int, travel_minutes: int) -> bool:
    return distance_km >= settings.remote_km or travel_minutes >= settings.remote_minutes


@transaction.atomic
def institution_save(
    *, actor: User, institution: Institution | None = None, **data: Any
) -> Institution:
    """Create (``institution`` None) or change an institution; ``data`` holds ``FIELDS``."""
    territory: Territory = data["territory"]
    region = territory.region
    if region is None:
        raise ValidationError({"territory": _("Choose a municipality of the region.")})
    created = institution is None
    target = institution or Institution(region=region)
    before = {name: str(getattr(target, name, "")) for name in FIELDS} if not created else {}
    for name in FIELDS:
        if name in data:
            setattr(target, name, data[name])
    target.region = region
    target.is_remote = _remote(settings_for(region), target.distance_km, target.travel_minutes)
    if not created:
        target.version = F("version") + 1
    target.save()
    target.refresh_from_db(fields=["version"])
    changed = {
        name: [before.get(name, ""), str(getattr(target, name))]
        for name in FIELDS
        if before.get(name) != str(getattr(target, name))
    }
    audit_record(
        actor=actor,
        action=CareAction.INSTITUTION_SAVED,
        obj=target,
        detail={"created": created, "changed": changed},
    )
    return target


@transaction.atomic
def care_settings_save(
    *, actor: User, region: Territory, costs: dict[str, Decimal] | None = None, **data: Any
) -> CareSettings:
    """The region's thresholds; every institution's remoteness follows them. ``costs`` (the
    cost of a child-month by institution type) is saved in the same transaction, each changed
    one with its own audit entry."""
    if costs:
        rows = MonthlyCost.objects.filter(region=region).values_list("type", "per_child_month")
        saved = dict(rows)
        for code, value in costs.items():
            if saved.get(code) != value:
                monthly_cost_set(actor=actor, region=region, type=code, per_child_month=value)
    settings, _created = CareSettings.objects.get_or_create(region=region)
    for name, value in data.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    for inst in Institution.objects.filter(region=region).only(
        "pk", "distance_km", "travel_minutes", "is_remote"
    ):
        remote = _remote(settings, inst.distance_km, inst.travel_minutes)
        if remote != inst.is_remote:
            Institution.objects.filter(pk=inst.pk).update(is_remote=remote)
    audit_record(
        actor=actor,
        action=CareAction.SETTINGS_SAVED,
        obj=settings,
        territory=region,
        detail={k: str(v) for k, v in data.items()},
    )
    return settings


@transaction.atomic
def monthly_cost_set(
    *, actor: User, region: Territory, type: str, per_child_month: Decimal
) -> MonthlyCost:
    cost, _created = MonthlyCost.objects.update_or_create(
        region=region, type=type, defaults={"per_child_month": per_child_month}
    )
    audit_record(
        actor=actor,
        action=CareAction.SETTINGS_SAVED,
        obj=cost,
        territory=region,
        detail={"type": type, "per_child_month": str(per_child_month)},
    )
    return cost


@transaction.atomic
def milestone_add(
    *,
    actor: User,
    institution: Institution,
    title: str,
    owner: str,
    due_on: dt.date,
    owner_agency: Agency | None = None,
) -> Milestone:
    """A step of the transformation plan: a deadline task of the responsible agency (told
    when it is overdue) with the person responsible by name."""
    if not title.strip():
        raise ValidationError({"title": _("Write what the milestone is.")})
    milestone = Milestone.objects.create(
        institution=institution,
        title=title.strip(),
        owner=owner.strip(),
        owner_agency=owner_agency,
        due_on=due_on,
    )
    audit_record(
        actor=actor,
        action=CareAction.MILESTONE_SAVED,
        obj=institution,
        detail={
            "milestone": milestone.pk,
            "title": milestone.title,
            "due": due_on.isoformat(),
            "agency": owner_agency.pk if owner_agency else None,
        },
    )
    return milestone


@transaction.atomic
def milestone_done(*, actor: User, milestone: Milestone, done_on: dt.date) -> Milestone:
    if milestone.done_on is not None:
        raise ValidationError(_("The milestone is already done."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    Milestone.objects.filter(pk=milestone.pk).update(done_on=done_on)
    milestone.done_on = done_on
    audit_record(
        actor=actor,
        action=CareAction.MILESTONE_SAVED,
        obj=milestone.institution,
        detail={"milestone": milestone.pk, "done": done_on.isoformat()},
    )
    return milestone


@transaction.atomic
def visit_record(
    *,
    actor: User,
    institution: Institution,
    visited_on: dt.date,
    announced: bool,
    findings: str,
) -> Visit:
    if actor.agency is None:
        raise ValidationError(_("The visitor must belong to an agency."))
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date cannot be in the future.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the visit found.")})
    visit = Visit.objects.create(
        institution=institution,
        agency=actor.agency,
        visited_on=visited_on,
        announced=announced,
        findings=findings.strip(),
        recorded_by=actor,
    )
    # The latest visit, whatever order they are recorded in: «unvisited» is a query on it.
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    if locked.last_visit_on is None or locked.last_visit_on < visited_on:
        Institution.objects.filter(pk=institution.pk).update(last_visit_on=visited_on)
        institution.last_visit_on = visited_on
    audit_record(
        actor=actor,
        action=CareAction.VISIT_RECORDED,
        obj=institution,
        detail={"visit": visit.pk, "on": visited_on.isoformat(), "announced": announced},
    )
    return visit


# An incident's follow-up is due within this many working days unless the form says otherwise.
DEFAULT_FOLLOW_UP_DAYS = 5


@transaction.atomic
def incident_record(
    *,
    actor: User,
    institution: Institution,
    kind: str,
    occurred_on: dt.date,
    description: str,
    follow_up: str,
    follow_up_agency: Agency,
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS,
) -> Incident:
    today = timezone.localdate()
    if occurred_on > today:
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    incident = Incident.objects.create(
        institution=institution,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        follow_up=follow_up.strip(),
        follow_up_agency=follow_up_agency,
        due_on=add_working_days(today, follow_up_days, territory=institution.territory),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=CareAction.INCIDENT_RECORDED,
        obj=institution,
        detail={"incident": incident.pk, "kind": kind, "due": incident.due_on.isoformat()},
    )
    return incident


@transaction.atomic
def incident_follow_up_done(*, actor: User, incident: Incident) -> Incident:
    if incident.done_on is not None:
        raise ValidationError(_("The follow-up is already done."))
    incident.done_on = timezone.localdate()
    Incident.objects.filter(pk=incident.pk).update(done_on=incident.done_on)
    audit_record(
        actor=actor,
        action=CareAction.INCIDENT_FOLLOWED_UP,
        obj=incident.institution,
        detail={"incident": incident.pk},
    )
    return incident
