"""Signals of the past, written the way they happened: the demo region's months of history
(and, later, an earlier system's records).

Each signal goes through the intake pipeline at the moment it was received
(``ochag.core.clock.as_of``): triage, routing by the region's rules, the deadline counted from
that day, its events and audit entries. Nobody is notified of it: it is history. The body it
was routed to took it into work when it did (``signal_accept``, at that moment, audited), and
it stands closed, as a case handled long ago does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction
from django.utils import timezone

from ochag.access.models import Agency, User
from ochag.core.clock import as_of
from ochag.signals import services
from ochag.signals.config import IntakeContext
from ochag.signals.inputs import SignalInput, signal_prepare
from ochag.signals.intake import signals_write
from ochag.signals.models import Signal, Status


@dataclass(frozen=True)
class PastSignal:
    data: SignalInput  # ``received_at`` is when it came in
    actor: User | None = None  # the member of staff or operator who recorded it
    agency: Agency | None = None  # the agency whose system sent it by the API
    taken_after: dt.timedelta | None = None  # how long the body took to take it on


def signals_record_past(
    *, items: Sequence[PastSignal], context: IntakeContext, handlers: dict[int, User]
) -> list[Signal]:
    """Record signals received, taken on and closed in the past, in the order they came;
    the signals are returned in the order of ``items``.

    ``handlers`` names, per agency id, who took the agency's signals into work; a signal
    routed to an agency without one stays untaken. Signals received on the same day go
    through intake together (their deadlines count from that day)."""

    def received(item: PastSignal) -> dt.datetime:
        assert item.data.received_at is not None
        return item.data.received_at

    recorded: dict[int, Signal] = {}  # by the item's place in ``items``
    ordered = sorted(range(len(items)), key=lambda n: received(items[n]))
    with transaction.atomic():
        for _day, same_day in groupby(
            ordered, key=lambda n: timezone.localdate(received(items[n]))
        ):
            batch = list(same_day)
            with as_of(received(items[batch[0]])):
                pending = [
                    signal_prepare(
                        items[n].data, actor=items[n].actor, agency=items[n].agency, ctx=context
                    )
                    for n in batch
                ]
                signals_write(pending, ctx=context, quiet=True, notify=False)
            for n, prepared in zip(batch, pending, strict=True):
                item, signal = items[n], prepared.signal
                handler = handlers.get(signal.routed_to_id or 0)
                if handler is not None and item.taken_after is not None:
                    with as_of(received(item) + item.taken_after):
                        services.signal_accept(actor=handler, signal=signal)
                recorded[n] = signal
        Signal.objects.filter(pk__in=[s.pk for s in recorded.values()]).update(status=Status.CLOSED)
    return [recorded[n] for n in range(len(items))]
