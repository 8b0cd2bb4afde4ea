"""Intake of signals from every channel: validate, triage, link, route, set the deadline.

One pipeline serves a single signal (staff form, helpline, public form, API) and a batch of
hundreds (bulk import): :func:`signals_create_many` works out everything a batch needs with a
handful of queries (one candidate query per 50 reported people, one for households, one for
the families' earlier signals) and writes each table with one INSERT per batch. A signal
alone costs the same statements as a batch of one.

The pieces live next to it: :mod:`~ochag.signals.inputs` (what a channel hands in, and its
validation), :mod:`~ochag.signals.routing` (triage, routing, deadlines),
:mod:`~ochag.signals.config` (the per-process configuration cache),
:mod:`~ochag.signals.notices` (who is told), :mod:`~ochag.signals.attachments` and
:mod:`~ochag.signals.api_intake` (the API's combined writes with their idempotency records).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ochag.access.models import Agency, User
from ochag.core.inserts import insert_many
from ochag.core.models import AuditEvent
from ochag.core.services import audit_event, audit_record_many
from ochag.registry import candidates
from ochag.registry.candidates import NewPerson, person_create_many
from ochag.signals.attachments import attachment_check, attachment_store
from ochag.signals.config import IntakeContext, RegionConfig
from ochag.signals.inputs import Earlier, Prepared, SignalInput, signal_prepare
from ochag.signals.models import (
    Colour,
    Signal,
    SignalAction,
    SignalEvent,
    SignalIndicator,
    SignalSubject,
)
from ochag.signals.notices import notify_new, share_with_watchers
from ochag.signals.numbers import redraw_taken
from ochag.signals.routing import task_build, urgency


def signal_create(
    *,
    actor: User | None,
    data: SignalInput,
    attachments: Sequence[UploadedFile] = (),
    agency: Agency | None = None,
    context: IntakeContext | None = None,
) -> Signal:
    """Record one signal with its attachments in one transaction; ValidationError (raised
    before anything is written) if the signal or an attachment is invalid."""
    for upload in attachments:
        attachment_check(upload)
    ctx = context or IntakeContext(data.territory)
    prepared = signal_prepare(data, actor=actor, agency=agency, ctx=ctx)
    with transaction.atomic():
        signals_write([prepared], ctx=ctx)
        for upload in attachments:
            attachment_store(prepared.signal, upload)
    return prepared.signal


def signals_create_many(
    *,
    actor: User | None,
    items: Sequence[SignalInput],
    agency: Agency | None = None,
    quiet: bool = False,
    context: IntakeContext | None = None,
) -> list[Signal | ValidationError]:
    """Record signals of one region from any channel, link their subjects, route them and set
    their deadlines; one result per item, in order: the signal, or why it was refused.

    Invalid items are refused before anything is written; the valid ones are written in one
    transaction (an IntegrityError rolls the whole call back). ``quiet`` (bulk import) leaves
    the per-signal queue notice out, except for red signals; the import sends one summary per
    agency instead. ``context`` lets calls share look-ups; it must belong to the region.
    """
    if not items:
        return []
    ctx = context or IntakeContext(items[0].territory)
    now = timezone.now()
    results: list[Signal | ValidationError] = []
    pending: list[Prepared] = []
    for data in items:
        try:
            pending.append(signal_prepare(data, actor=actor, agency=agency, ctx=ctx, now=now))
        except ValidationError as exc:
            results.append(exc)
        else:
            results.append(pending[-1].signal)
    signals_write(pending, ctx=ctx, quiet=quiet)
    return results


def signals_write(
    pending: Sequence[Prepared], *, ctx: IntakeContext, quiet: bool = False, notify: bool = True
) -> None:
    """Write prepared signals of the context's region in one transaction; an IntegrityError
    rolls them all back. ``notify=False`` tells nobody (signals of the past: history)."""
    if pending:
        with transaction.atomic(savepoint=False):
            _write(list(pending), ctx=ctx, today=timezone.localdate())
            if notify:
                _notify(pending, quiet=quiet)


def _notify(pending: Sequence[Prepared], *, quiet: bool) -> None:
    share_with_watchers([item for item in pending if item.earlier])
    notify_new([item.signal for item in pending if not quiet or item.signal.colour == Colour.RED])


def _write(pending: list[Prepared], *, ctx: IntakeContext, today: dt.date) -> None:
    _link(pending, ctx=ctx)
    _households(pending)
    _families(pending, ctx.config)
    audit: list[AuditEvent] = []
    for item in pending:
        signal = item.signal
        signal.priority_raised = item.recent >= ctx.config.conf.repeat_threshold
        signal.routed_to = ctx.config.route(signal.territory, signal.track)
        signal.due_date = ctx.config.due_date(signal.territory, signal.track, signal.colour, today)
        signal.urgency = urgency(signal)
    signals = [item.signal for item in pending]
    taken = Signal.objects.filter(number__in=[s.number for s in signals])
    redraw_taken(signals, set(taken.values_list("number", flat=True)))
    insert_many(signals)
    insert_many(
        [
            SignalIndicator(signal=item.signal, indicator=i, observed_on=item.data.observed_on)
            for item in pending
            for i in item.indicators
        ]
    )
    rows = []
    for item in pending:
        for s in item.subjects:
            s.row.signal = item.signal
            s.row.candidates = [
                {"id": ctx.linker.person_id(record_id), "probability": probability}
                for record_id, probability in s.shortlist
            ]
            rows.append(s.row)
    insert_many(rows)
    routed = [item for item in pending if item.signal.routed_to is not None]
    insert_many([task_build(item.signal) for item in routed])
    insert_many(
        [
            SignalEvent(
                signal=item.signal,
                action=SignalAction.ROUTED,
                actor=item.actor,
                agency=item.signal.routed_to,
            )
            for item in routed
        ]
    )
    for item in pending:
        signal = item.signal
        audit.append(
            audit_event(
                actor=item.actor,
                action=SignalAction.RECEIVED,
                obj=signal,
                territory=signal.territory,
                detail={
                    "channel": signal.channel,
                    "colour": signal.colour,
                    "track": signal.track,
                    **({"api_token": item.data.api_token_id} if item.data.api_token_id else {}),
                },
                request_id=item.request_id,
            )
        )
        if signal.escalated_at is not None:
            audit.append(
                audit_event(
                    actor=item.actor,
                    action=SignalAction.ESCALATED,
                    obj=signal,
                    territory=signal.territory,
                    request_id=item.request_id,
                )
            )
        if signal.priority_raised:
            audit.append(
                audit_event(
                    actor=None,
                    action=SignalAction.PRIORITY_RAISED,
                    obj=signal,
                    territory=signal.territory,
                    detail={"signals_in_window": item.recent},
                    request_id=item.request_id,
                )
            )
    audit_record_many(audit)


def _link(pending: list[Prepared], *, ctx: IntakeContext) -> None:
    """Search before create for every reported person, then create the new ones at once.

    A person created for one item is known to the next, so two rows of a batch about the
    same new child link to one registry person.
    """
    linker = ctx.linker
    linker.prefetch([s.query for item in pending for s in item.subjects if s.query])
    to_create: dict[User | None, list[NewPerson]] = defaultdict(list)
    for item in pending:
        for s in item.subjects:
            if s.query is None or s.new is None:
                continue
            result = linker.resolve_query(s.query, s.new)
            s.row.person, s.row.decision, s.shortlist = (
                result.person,
                result.decision,
                result.candidates,
            )
            if result.decision == "new":
                to_create[item.actor].append(s.new)
    for actor, people in to_create.items():
        person_create_many(actor=actor, people=people)


def _households(pending: list[Prepared]) -> None:
    """Each signal's household: the first current household (by membership role) of a person
    it is linked to. One query for the whole call."""
    known = {
        s.row.person.pk: None
        for item in pending
        for s in item.subjects
        if s.row.decision == "link" and s.row.person is not None
    }
    if not known:
        return
    best = candidates.current_households(known)
    for item in pending:
        options = [
            best[s.row.person.pk]
            for s in item.subjects
            if s.row.decision == "link" and s.row.person is not None and s.row.person.pk in best
        ]
        if options:
            item.signal.household_id = min(options).household_id


def _families(pending: list[Prepared], config: RegionConfig) -> None:
    """Earlier signals about each signal's children or household (two indexed queries per call,
    plus the call's own earlier items), and how many fall in the region's repeat window."""
    children = {pk for item in pending for pk in item.children()}
    households = {item.signal.household_id for item in pending if item.signal.household_id}
    by_child: dict[int, dict[int, Earlier]] = defaultdict(dict)
    by_household: dict[int, dict[int, Earlier]] = defaultdict(dict)
    # Two indexed look-ups: one query with an OR across the subjects join would scan both
    # tables, growing with every signal ever received.
    if children:
        for person_id, pk, at, assignee in SignalSubject.objects.filter(
            person_id__in=children
        ).values_list("person_id", "signal_id", "signal__received_at", "signal__assignee_id"):
            by_child[person_id][pk] = Earlier(pk, at, assignee)
    if households:
        for household_id, pk, at, assignee in Signal.objects.filter(
            household_id__in=households
        ).values_list("household_id", "pk", "received_at", "assignee_id"):
            by_household[household_id][pk] = Earlier(pk, at, assignee)
    window = dt.timedelta(days=config.conf.repeat_window_days)
    # Earlier items of this call, keyed like the stored ones by a negative index.
    seen_child: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    seen_household: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for position, item in enumerate(pending):
        signal, mine = item.signal, item.children()
        stored: dict[int, Earlier] = {}
        batch: dict[int, dt.datetime] = {}
        for pk in mine:
            stored.update(by_child.get(pk, {}))
            batch.update(seen_child.get(pk, {}))
        if signal.household_id:
            stored.update(by_household.get(signal.household_id, {}))
            batch.update(seen_household.get(signal.household_id, {}))
        item.earlier = list(stored.values())
        since = signal.received_at - window
        times = [e.received_at for e in stored.values()] + list(batch.values())
        item.recent = 1 + sum(1 for at in times if at >= since)
        for pk in mine:
            seen_child[pk][-position - 1] = signal.received_at
        if signal.household_id:
            seen_household[signal.household_id][-position - 1] = signal.received_at
