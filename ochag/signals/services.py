"""Writes of the signals app after intake: queue actions, routing rules, notifications, API
tokens and idempotency, drafts, the public form's rate limit. Intake itself (every channel,
triage, routing, deadlines) is :mod:`ochag.signals.intake`; bulk files are
:mod:`ochag.signals.imports`."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access import notifications, tokens
from ochag.access.models import Agency, AgencyToken, User
from ochag.core.generation import config_generation_bump
from ochag.core.models import IdempotencyRecord
from ochag.core.services import audit_record
from ochag.signals.config import agency_cached
from ochag.signals.models import (
    RoutingRule,
    Signal,
    SignalAction,
    SignalDraft,
    SignalEvent,
    SignalTask,
    Status,
    Track,
)
from ochag.signals.notices import notice, notify_new
from ochag.signals.routing import task_build, urgency

# Queue actions --------------------------------------------------------------------------


def _event(
    signal: Signal, action: str, actor: User, reason: str = "", agency: Agency | None = None
) -> None:
    SignalEvent.objects.create(
        signal=signal, action=action, actor=actor, agency=agency, reason=reason
    )
    audit_record(
        actor=actor, action=action, obj=signal, detail={"reason": reason} if reason else None
    )


@transaction.atomic
def signal_assign(*, actor: User, signal: Signal, assignee: User) -> Signal:
    if assignee.agency_id != signal.routed_to_id or not assignee.is_active:
        raise ValidationError(
            {"assignee": [_("Choose a member of the agency the signal is routed to.")]}
        )
    signal.assignee = assignee
    signal.status = Status.ASSIGNED
    signal.save(update_fields=["assignee", "status"])
    _event(signal, SignalAction.ASSIGNED, actor, agency=signal.routed_to)
    if assignee != actor:
        text = _("Signal %(number)s is assigned to you.") % {"number": signal.number}
        notifications.notify_many([notice(signal, assignee.pk, text)])
    return signal


@transaction.atomic
def signal_accept(*, actor: User, signal: Signal) -> Signal:
    """The body takes the signal on: it stops being an untaken red signal."""
    signal.status = Status.ACCEPTED
    signal.assignee = signal.assignee or actor
    signal.taken_at = timezone.now()
    signal.urgency = urgency(signal)
    signal.save(update_fields=["status", "assignee", "taken_at", "urgency"])
    _tasks_done(signal)
    _event(signal, SignalAction.ACCEPTED, actor, agency=signal.routed_to)
    return signal


def _tasks_done(signal: Signal) -> None:
    """Taking a signal on (or returning it) fulfils the body's deadline task."""
    SignalTask.objects.open().filter(signal=signal).update(
        done_on=timezone.localdate(), overdue_since=None
    )


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason.strip()


@transaction.atomic
def signal_return(*, actor: User, signal: Signal, reason: str) -> Signal:
    reason = _require_reason(reason)
    signal.status = Status.RETURNED
    signal.save(update_fields=["status"])
    _tasks_done(signal)
    _event(signal, SignalAction.RETURNED, actor, reason=reason, agency=signal.reporting_agency)
    if signal.reporter_id is not None:
        text = _("Signal %(number)s was returned to you.") % {"number": signal.number}
        notifications.notify_many([notice(signal, signal.reporter_id, text)])
    return signal


@transaction.atomic
def signal_forward(*, actor: User, signal: Signal, agency: Agency, reason: str) -> Signal:
    reason = _require_reason(reason)
    if agency.pk == signal.routed_to_id:
        raise ValidationError({"agency": [_("The signal is already with this agency.")]})
    if track_forbids(signal, agency):
        raise ValidationError(
            {"agency": [_("A support signal can only go to a body that offers support.")]}
        )
    signal.routed_to = agency
    signal.assignee = None
    signal.status = Status.NEW
    signal.urgency = urgency(signal)
    signal.save(update_fields=["routed_to", "assignee", "status", "urgency"])
    # The new body has not taken it yet: its deadline task is open again, with the same date.
    moved = SignalTask.objects.filter(signal=signal).update(
        agency=agency, done_on=None, overdue_since=None
    )
    if not moved:
        # Routed by hand after no rule matched: the deadline task starts now.
        task_build(signal).save(force_insert=True)
    _event(signal, SignalAction.FORWARDED, actor, reason=reason, agency=agency)
    notify_new([signal])
    return signal


def track_forbids(signal: Signal, agency: Agency) -> bool:
    """A support-only signal never goes to the police; guardianship may offer support, so it
    is allowed, but no safety task ever exists for it (see SignalTask.clean)."""
    return signal.track == Track.SUPPORT and agency.type == "police"


# Routing rules --------------------------------------------------------------------------


@transaction.atomic
def routing_rule_save(*, actor: User, rule: RoutingRule) -> RoutingRule:
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=SignalAction.RULE_CHANGED,
        obj=rule,
        territory=rule.region,
        detail={
            "track": rule.track,
            "agency_type": rule.agency_type,
            "agency": rule.agency_id,
            "territory": rule.territory_id,
        },
    )
    config_generation_bump()
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: User, rule: RoutingRule) -> None:
    audit_record(
        actor=actor,
        action=SignalAction.RULE_CHANGED,
        obj=rule,
        territory=rule.region,
        detail={"deleted": True},
    )
    rule.delete()
    config_generation_bump()


# Notifications --------------------------------------------------------------------------


# Drafts ---------------------------------------------------------------------------------


def draft_save(*, user: User, data: dict[str, Any], step: int) -> SignalDraft:
    draft, _created = SignalDraft.objects.update_or_create(
        user=user, defaults={"data": data, "step": step}
    )
    return draft


def draft_discard(*, user: User) -> None:
    SignalDraft.objects.filter(user=user).delete()


# API tokens and idempotency -------------------------------------------------------------


def token_authenticate(raw: str, *, generation: str | None = None) -> AgencyToken | None:
    """The live token of an active agency, with the agency (and its territory) from intake's
    per-process cache (which every change of an agency invalidates)."""
    live = tokens.token_lookup(raw)
    if live is None:
        return None
    token = AgencyToken(pk=live.pk, agency_id=live.agency_id, name=live.name, prefix=live.prefix)
    token.agency = agency_cached(live.agency_id, generation)
    return token


def idempotency_lookup(*, token: AgencyToken, key: str) -> IdempotencyRecord | None:
    """The stored answer to an earlier call with this key. Asked on most API calls and
    almost always empty, so a plain statement; the record is built only when found."""
    table = connection.ops.quote_name(IdempotencyRecord._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Built from the model's own table name only.
            f"SELECT id, body_hash, status_code, response FROM {table} "  # noqa: S608
            "WHERE client = %s AND key = %s",
            [token.pk, key],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    response = row[3]
    if isinstance(response, str | bytes):  # the backend may hand JSON over as text
        response = json.loads(response)
    return IdempotencyRecord(
        pk=row[0],
        client=token.pk,
        key=key,
        body_hash=row[1],
        status_code=row[2],
        response=response,
    )


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
