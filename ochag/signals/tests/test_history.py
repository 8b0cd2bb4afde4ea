"""Signals of the past go through intake at the moment they came in (issue 11: the demo's
history is written through signals' public face, not into its tables)."""

from __future__ import annotations

import datetime as dt

from ochag.access.models import Agency, Notification
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.signals.config import IntakeContext
from ochag.signals.history import PastSignal, signals_record_past
from ochag.signals.inputs import SignalInput
from ochag.signals.models import Basis, Channel, SignalAction, Status, Track

MSK = dt.timezone(dt.timedelta(hours=3))


def _past(cast: Cast, codes: list[str], received: dt.datetime, **kw) -> PastSignal:
    data = SignalInput(
        channel=Channel.STAFF,
        basis=Basis.DUTY_ART9,
        territory=cast.municipality_a,
        original_text="История",
        indicator_codes=codes,
        received_at=received,
    )
    return PastSignal(data=data, actor=cast.worker_b, **kw)


def test_past_signals_are_routed_dated_taken_and_closed_as_they_happened(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    holiday = dt.datetime(2026, 1, 3, 12, 0, tzinfo=MSK)  # New Year holidays
    wednesday = dt.datetime(2026, 3, 4, 10, 0, tzinfo=MSK)
    social = UserFactory(agency=bodies["social"])
    items = [
        _past(cast, ["signs_of_violence"], wednesday, taken_after=dt.timedelta(hours=3)),
        _past(cast, ["signs_of_violence"], holiday, taken_after=dt.timedelta(days=9)),
        _past(cast, ["low_income"], wednesday, taken_after=None),
    ]
    red_late, red_holiday, yellow = signals_record_past(
        items=items,
        context=IntakeContext(cast.region),
        handlers={cast.agency_a.pk: cast.supervisor_a, bodies["social"].pk: social},
    )
    # In the order they came, each routed by the region's rules with its deadline counted
    # from the day it was received (not from today).
    assert red_holiday.received_at == holiday
    assert (red_holiday.track, red_holiday.routed_to) == (Track.SAFETY, cast.agency_a)
    assert red_holiday.due_date == dt.date(2026, 1, 12)
    assert red_late.due_date == dt.date(2026, 3, 4)
    assert yellow.routed_to == bodies["social"]
    # Taken on by the body's handler at the moment it did, its deadline task done that day.
    for signal in (red_late, red_holiday, yellow):
        signal.refresh_from_db()
    assert red_holiday.taken_at == holiday + dt.timedelta(days=9)
    assert red_holiday.assignee == cast.supervisor_a
    assert red_holiday.tasks.get().done_on == dt.date(2026, 1, 12)
    assert yellow.taken_at is None and yellow.tasks.get().done_on is None
    assert {s.status for s in (red_late, red_holiday, yellow)} == {Status.CLOSED}
    # Audited at those moments; nobody is notified of history.
    received = AuditEvent.objects.get(action=SignalAction.RECEIVED, object_id=str(red_holiday.pk))
    accepted = AuditEvent.objects.get(action=SignalAction.ACCEPTED, object_id=str(red_holiday.pk))
    assert (received.at, accepted.at) == (holiday, holiday + dt.timedelta(days=9))
    assert not Notification.objects.exists()
