"""Consent and referrals: sending, the provider's answers, withdrawal, delivery records.

A referral comes from a case (its plan task) or from a signal offered support, before any
case is opened: the consent then belongs to the signal.

Transitions follow Primero's (peers.md): sent → accepted / waiting list / declined;
accepted → in progress → completed; the case's managers may withdraw an open referral.
Each transition is checked against the referral's state under a row lock, so a provider
answering twice (two tabs, a double click) is told the referral was already answered
and nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases.models import Case, Task
from ochag.core.deadlines import due_date
from ochag.core.services import audit_record
from ochag.signals.models import Signal
from ochag.support.models import (
    PLACE_HOLDING,
    Consent,
    Delivery,
    Indicator,
    LegalBasis,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
    SupportAction,
)
from ochag.support.services.notices import tell_the_sender

# 442-ФЗ: the need for social services is decided within five working days (domain §5, 5s).
DEFAULT_ANSWER_DAYS = 5

# Which state may follow which (the provider's answers; WITHDRAWN is the case's).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.WAITING, ReferralStatus.DECLINED),
    ReferralStatus.WAITING: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
    ReferralStatus.ACCEPTED: (ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED),
    ReferralStatus.IN_PROGRESS: (ReferralStatus.COMPLETED,),
}


def answer_days() -> int:
    return int(getattr(settings, "OCHAG_SUPPORT_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))


def _source(case: Case | None, signal: Signal | None) -> Case | Signal:
    if (case is None) == (signal is None):
        raise ValueError("A referral comes from a case or from a signal, exactly one.")
    return case or signal  # type: ignore[return-value]


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case | None = None,
    signal: Signal | None = None,
    basis: str,
    given_on: dt.date,
    scope: str,
    given_by: str = "",
    shares_health: bool = False,
) -> Consent:
    if basis == LegalBasis.CONSENT and not given_by.strip():
        raise ValidationError(
            {"given_by": _("Name the parent or legal representative who gave the consent.")}
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date of consent cannot be in the future.")})
    source = _source(case, signal)
    consent = Consent(
        case=case,
        signal=signal,
        basis=basis,
        given_by=given_by.strip(),
        given_on=given_on,
        scope=scope.strip(),
        shares_health=shares_health,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action=SupportAction.CONSENT_RECORDED,
        obj=source,
        detail={"consent": consent.pk, "basis": basis, "shares_health": shares_health},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, note: str) -> Consent:
    """The family withdraws its consent: every open referral resting on it is withdrawn."""
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    current.withdrawn_at = timezone.now()
    current.withdrawal_note = note.strip()
    current.save(update_fields=["withdrawn_at", "withdrawal_note"])
    withdrawn = []
    for referral in Referral.objects.select_for_update().filter(consent=current):
        if referral.is_open:
            _move(referral, ReferralStatus.WITHDRAWN, actor, _("Consent withdrawn"))
            withdrawn.append(referral.pk)
    audit_record(
        actor=actor,
        action=SupportAction.CONSENT_WITHDRAWN,
        obj=current.case or current.signal,
        detail={"consent": current.pk, "referrals_withdrawn": withdrawn},
    )
    return current


def _free_places(service: Service) -> int:
    held = service.referrals.filter(status__in=PLACE_HOLDING).count()
    return max(service.capacity - held, 0)


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case | None = None,
    signal: Signal | None = None,
    service: Service,
    consent: Consent,
    summary: str,
    health_note: str = "",
    task: Task | None = None,
    waiting_list_ok: bool = False,
) -> Referral:
    """Send the family of ``case`` or ``signal`` to ``service``. The service row is locked
    while its places are counted, so two curators taking its last place at once cannot both
    get it."""
    source = _source(case, signal)
    locked = Service.objects.select_for_update().select_related("provider").get(pk=service.pk)
    if not (locked.is_active and locked.provider.is_active):
        raise ValidationError(_("This service no longer takes referrals."))
    if not locked.provider.municipalities.filter(pk=source.territory_id).exists():
        raise ValidationError(_("This provider does not serve the family's municipality."))
    if (consent.case_id, consent.signal_id) != (
        case.pk if case else None,
        signal.pk if signal else None,
    ):
        raise ValidationError(_("The consent was given for another family's referral."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("The family has withdrawn this consent; record a new one."))
    if health_note.strip() and consent.basis == LegalBasis.CONSENT and not consent.shares_health:
        raise ValidationError(
            {
                "health_note": _(
                    "The family did not agree to share health details; leave this field empty "
                    "or record a consent that covers them."
                )
            }
        )
    if task is not None and (case is None or task.case_id != case.pk):
        raise ValidationError(_("The plan task belongs to another case."))
    if _free_places(locked) == 0 and not waiting_list_ok:
        raise ValidationError(
            {
                "waiting_list_ok": _(
                    "The service has just filled up: no free places are left. Tick «send to the "
                    "waiting list» to send the referral anyway, or choose another service."
                )
            }
        )
    today = timezone.localdate()
    referral = Referral.objects.create(
        case=case,
        signal=signal,
        task=task,
        service=locked,
        consent=consent,
        territory=source.territory,
        summary=summary.strip(),
        health_note=health_note.strip(),
        sent_by=actor,
        due_on=due_date(today, answer_days(), territory=source.territory),
    )
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.SENT, actor=actor)
    audit_record(
        actor=actor,
        action=SupportAction.REFERRAL_SENT,
        obj=referral,
        territory=source.territory,
        detail={
            "case": case.pk if case else None,
            "signal": signal.pk if signal else None,
            "service": locked.pk,
            "consent": consent.pk,
        },
    )
    return referral


@dataclass(frozen=True)
class ConsentData:
    basis: str
    given_on: dt.date
    scope: str
    given_by: str = ""
    shares_health: bool = False


@transaction.atomic
def referral_send_with_consent(
    *,
    actor: User,
    case: Case | None = None,
    signal: Signal | None = None,
    service: Service,
    consent: ConsentData,
    summary: str,
    health_note: str = "",
    task: Task | None = None,
    waiting_list_ok: bool = False,
) -> Referral:
    """Record the consent given for this referral and send it, both or neither."""
    recorded = consent_record(
        actor=actor,
        case=case,
        signal=signal,
        basis=consent.basis,
        given_on=consent.given_on,
        scope=consent.scope,
        given_by=consent.given_by,
        shares_health=consent.shares_health,
    )
    return referral_send(
        actor=actor,
        case=case,
        signal=signal,
        service=service,
        consent=recorded,
        summary=summary,
        health_note=health_note,
        task=task,
        waiting_list_ok=waiting_list_ok,
    )


def _move(referral: Referral, status: str, actor: User, note: str = "") -> None:
    referral.status = status
    referral.version += 1
    if referral.done_on is None:
        # The first move away from «sent» answers it (or withdraws it unanswered): the
        # answer's deadline is met and no longer overdue.
        referral.done_on, referral.overdue_since = timezone.localdate(), None
    if status in (ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        referral.closed_at = timezone.now()
    referral.save()
    ReferralEvent.objects.create(referral=referral, status=status, actor=actor, note=note)


@transaction.atomic
def referral_answer(
    *,
    actor: User,
    referral: Referral,
    expected_version: int,
    status: str,
    start_date: dt.date | None = None,
    reason: str = "",
    outcome: str = "",
) -> Referral:
    """The provider's answer: accept (with a start date), waiting list, decline (with a
    reason), start, complete (with an outcome and a note)."""
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("service", "case__curator", "sent_by")
        .get(pk=referral.pk)
    )
    if current.version != expected_version or status not in TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("This referral has already been answered (now: %(state)s). Reload the page.")
            % {"state": current.get_status_display()}
        )
    note = reason.strip()
    if status == ReferralStatus.ACCEPTED:
        if start_date is None:
            raise ValidationError({"start_date": _("Enter the date the service starts.")})
        held = current.service.referrals.filter(status__in=PLACE_HOLDING).count()
        if held >= current.service.capacity:
            raise ValidationError(
                _(
                    "All places of this service are taken. Put the family on the waiting list "
                    "or raise the capacity first."
                )
            )
        current.start_date = start_date
    if status == ReferralStatus.DECLINED:
        if not note:
            raise ValidationError({"reason": _("Say why the referral is declined.")})
        current.decline_reason = note
    if status == ReferralStatus.COMPLETED:
        if outcome not in Outcome.values:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        current.outcome, current.outcome_note = outcome, note
    if current.answered_at is None:
        current.answered_at, current.answered_by = timezone.now(), actor
    _move(current, status, actor, note)
    audit_record(
        actor=actor,
        action=SupportAction.REFERRAL_ANSWERED,
        obj=current,
        detail={"status": status, "outcome": outcome, "start_date": str(start_date or "")},
    )
    tell_the_sender(current)
    return current


@transaction.atomic
def referral_withdraw(
    *, actor: User, referral: Referral, expected_version: int, reason: str
) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.version != expected_version or not current.is_open:
        raise ValidationError(
            _("This referral has changed (now: %(state)s). Reload the page.")
            % {"state": current.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is withdrawn.")})
    _move(current, ReferralStatus.WITHDRAWN, actor, reason.strip())
    audit_record(
        actor=actor,
        action=SupportAction.REFERRAL_WITHDRAWN,
        obj=current,
        detail={"reason": reason.strip()},
    )
    return current


@transaction.atomic
def delivery_record(
    *,
    actor: User,
    referral: Referral,
    indicator: Indicator,
    date: dt.date,
    met: bool,
    note: str = "",
) -> Delivery:
    if indicator.service_id != referral.service_id:
        raise ValidationError({"indicator": _("This indicator belongs to another service.")})
    if referral.status not in PLACE_HOLDING and referral.status != ReferralStatus.COMPLETED:
        raise ValidationError(_("Delivery is recorded once the referral is accepted."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    delivery = Delivery.objects.create(
        referral=referral,
        indicator=indicator,
        date=date,
        met=met,
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=SupportAction.DELIVERY_RECORDED,
        obj=referral,
        detail={"indicator": indicator.pk, "met": met, "date": date.isoformat()},
    )
    return delivery
