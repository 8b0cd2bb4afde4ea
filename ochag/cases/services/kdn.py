"""Decisions of the commission on minors' affairs (КДН) recorded on a case: alone, as
before sittings existed, or as the decision on one item of a sitting's agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.cases.models import (
    Case,
    CaseAction,
    ClosureGround,
    DayKind,
    KdnSession,
    KdnSitting,
    Level,
    Plan,
    Resolution,
    ResolutionPoint,
)
from ochag.cases.services.case import case_close
from ochag.cases.services.plan import task_add
from ochag.core.services import audit_record


@dataclass(frozen=True)
class PointData:
    """A point of «ПОСТАНОВИЛА»; with an agency and a term it becomes a tracked task."""

    text: str
    agency: Agency | None = None
    term: dt.date | None = None


@transaction.atomic
def kdn_session_record(
    *,
    actor: User,
    case: Case,
    date: dt.date,
    resolution_number: str,
    agenda: str,
    resolution: str,
    resolution_text: str,
    closure_ground: str = "",
    sitting: KdnSitting | None = None,
    established: str = "",
    points: Sequence[PointData] = (),
) -> KdnSession:
    if resolution == Resolution.CLOSE and closure_ground not in ClosureGround.values:
        raise ValidationError(_("Choose the ground for closing the case."))
    session = KdnSession.objects.create(
        case=case,
        date=date,
        resolution_number=resolution_number.strip(),
        agenda=agenda.strip(),
        resolution=resolution,
        resolution_text=resolution_text.strip(),
        sitting=sitting,
        established=established.strip(),
        recorded_by=actor,
    )
    for number, point in enumerate(points, start=1):
        _point_add(actor=actor, session=session, number=number, point=point)
    if resolution == Resolution.RECOGNISE_SOP:
        Case.objects.filter(pk=case.pk).update(level=Level.SOP)
        case.level = Level.SOP
    elif resolution in (Resolution.APPROVE_PLAN, Resolution.CHANGE_PLAN):
        plan = case.plan
        Plan.objects.filter(pk=plan.pk).update(approved_session=session, version=plan.version + 1)
    audit_record(
        actor=actor,
        action=CaseAction.SESSION_RECORDED,
        obj=case,
        detail={"resolution": resolution, "number": session.resolution_number},
    )
    if resolution == Resolution.CLOSE:
        case_close(
            actor=actor,
            case=case,
            ground=closure_ground,
            note=_("KDN resolution No. %(number)s") % {"number": session.resolution_number},
        )
    return session


def _point_add(*, actor: User, session: KdnSession, number: int, point: PointData) -> None:
    """Store the point; one with an agency and a term is tracked as the agency's task, due
    on the term (moved to the next working day when it falls on a day off)."""
    if point.term is not None and point.term < session.date:
        raise ValidationError(
            _("Point %(n)s: the term cannot come before the sitting.") % {"n": number}
        )
    task = None
    if point.agency is not None and point.term is not None:
        task = task_add(
            actor=actor,
            case=session.case,
            title=point.text[:300],
            owner_agency=point.agency,
            start_date=session.date,
            deadline_days=(point.term - session.date).days,
            deadline_kind=DayKind.CALENDAR,
            legal_source=_("KDN resolution No. %(number)s, point %(n)s")
            % {"number": session.resolution_number, "n": number},
        )
    ResolutionPoint.objects.create(
        session=session,
        number=number,
        text=point.text.strip(),
        agency=point.agency,
        term=point.term,
        task=task,
    )
