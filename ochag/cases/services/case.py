"""The case itself: opening, curator, participants, notes, closure and re-opening."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.cases.models import (
    Case,
    CaseAction,
    CaseNote,
    CaseNumberSequence,
    CaseParticipant,
    CaseStatus,
    CaseStatusChange,
    ClosureGround,
    NotificationKind,
    Plan,
)
from ochag.cases.services.common import (
    participate,
    signal_label,
)
from ochag.cases.services.notifications import inform_agencies
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.registry.models import Household
from ochag.signals.models import Signal


def _next_number(region: Territory, year: int) -> str:
    CaseNumberSequence.objects.get_or_create(region=region, year=year)
    seq = CaseNumberSequence.objects.select_for_update().get(region=region, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"ИПР-{year}-{seq.last:06d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    household: Household,
    curator: User,
    legal_basis: str = "",
    agencies: Iterable[Agency] = (),
    source_signal: Signal | None = None,
) -> Case:
    region = household.territory.region
    if region is None:
        raise ValidationError(_("The family's municipality is not in a region."))
    if curator.agency is None:
        raise ValidationError(_("The curator must belong to an agency."))
    if source_signal is not None and source_signal.household_id not in (None, household.pk):
        raise ValidationError(_("The signal is about another family."))
    case = Case.objects.create(
        number=_next_number(region, timezone.localdate().year),
        region=region,
        territory=household.territory,
        household=household,
        curator=curator,
        legal_basis=legal_basis,
        source_signal=source_signal,
        source_signal_label=signal_label(source_signal) if source_signal else "",
        opened_by=actor,
    )
    for agency in (curator.agency, actor.agency, *agencies):
        participate(case, agency)
    Plan.objects.create(case=case)
    CaseStatusChange.objects.create(case=case, status=CaseStatus.OPEN, actor=actor)
    audit_record(
        actor=actor,
        action=CaseAction.OPENED,
        obj=case,
        detail={
            "household": household.pk,
            "curator": curator.pk,
            "signal": source_signal.pk if source_signal else None,
        },
    )
    return case


@transaction.atomic
def case_curator_change(*, actor: User, case: Case, curator: User) -> Case:
    if curator.agency is None:
        raise ValidationError(_("The curator must belong to an agency."))
    before = case.curator_id
    Case.objects.filter(pk=case.pk).update(curator=curator, version=F("version") + 1)
    case.curator = curator
    participate(case, curator.agency)
    audit_record(
        actor=actor,
        action=CaseAction.CURATOR_CHANGED,
        obj=case,
        detail={"from": before, "to": curator.pk},
    )
    return case


@transaction.atomic
def case_participant_add(*, actor: User, case: Case, agency: Agency) -> CaseParticipant:
    participant, created = CaseParticipant.objects.get_or_create(case=case, agency=agency)
    if created:
        audit_record(
            actor=actor, action=CaseAction.PARTICIPANT_ADDED, obj=case, detail={"agency": agency.pk}
        )
    return participant


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str, is_medical: bool = False) -> CaseNote:
    if not text.strip():
        raise ValidationError(_("Write the note."))
    note = CaseNote.objects.create(
        case=case, text=text.strip(), is_medical=is_medical, author=actor
    )
    audit_record(
        actor=actor,
        action=CaseAction.NOTE_ADDED,
        obj=case,
        detail={"note": note.pk, "medical": is_medical},
    )
    return note


@transaction.atomic
def case_close(*, actor: User, case: Case, ground: str, note: str = "") -> Case:
    """Close on a listed ground and inform every agency taking part."""
    if ground not in ClosureGround.values:
        raise ValidationError(_("Choose the ground for closing the case."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is already closed."))
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=now, closure_ground=ground, version=locked.version + 1
    )
    case.status, case.closed_at, case.closure_ground = CaseStatus.CLOSED, now, ground
    case.version = locked.version + 1
    change = CaseStatusChange.objects.create(
        case=case, status=CaseStatus.CLOSED, ground=ground, note=note.strip(), actor=actor
    )
    message = _("Case %(number)s is closed: %(ground)s.") % {
        "number": case.number,
        "ground": ClosureGround(ground).label,
    }
    inform_agencies(case, NotificationKind.CLOSED, message, str(change.pk))
    audit_record(actor=actor, action=CaseAction.CLOSED, obj=case, detail={"ground": ground})
    return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Re-open a closed case; its assessments, tasks and notes stay as they were."""
    if not reason.strip():
        raise ValidationError(_("State why the case is re-opened."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.CLOSED:
        raise ValidationError(_("The case is open."))
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, closed_at=None, closure_ground="", version=locked.version + 1
    )
    case.status, case.closed_at, case.closure_ground = CaseStatus.OPEN, None, ""
    case.version = locked.version + 1
    change = CaseStatusChange.objects.create(
        case=case, status=CaseStatus.OPEN, note=reason.strip(), actor=actor
    )
    message = _("Case %(number)s is re-opened: %(reason)s") % {
        "number": case.number,
        "reason": reason.strip(),
    }
    inform_agencies(case, NotificationKind.REOPENED, message, str(change.pk))
    audit_record(actor=actor, action=CaseAction.REOPENED, obj=case, detail={"reason": reason})
    return case
