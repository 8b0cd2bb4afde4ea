"""Decisions of the commission on minors' affairs (КДН) recorded on a case."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import (
    Case,
    CaseAction,
    ClosureGround,
    KdnSession,
    Level,
    Plan,
    Resolution,
)
from ochag.cases.services.case import case_close
from ochag.core.services import audit_record


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
        recorded_by=actor,
    )
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
