"""insert_many writes what bulk_create would, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from ochag.core.inserts import FEW_ROWS, insert_many
from ochag.core.models import AuditEvent, CalendarOverride, Territory
from ochag.core.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def _event(n: int, territory: Territory | None = None) -> AuditEvent:
    return AuditEvent(
        action="test.action",
        object_type="core.territory",
        object_id=str(n),
        object_label=f"«{n}» 'quoted' \\ %s",
        territory=territory,
        detail={"n": n, "nested": {"list": [1, "два", None]}},
    )


def test_rows_read_back_as_written_with_keys_in_order() -> None:
    events = [_event(n) for n in range(5)]
    before = dt.datetime.now(dt.UTC)
    assert insert_many(events) is events
    assert [e.pk for e in events] == sorted(e.pk for e in events)
    for event in events:
        stored = AuditEvent.objects.get(pk=event.pk)
        assert not event._state.adding
        assert stored.object_label == event.object_label
        assert stored.detail == event.detail
        assert stored.at == event.at and stored.at >= before - dt.timedelta(seconds=1)


def test_a_related_object_saved_after_assignment_is_picked_up() -> None:
    region = TerritoryFactory.create(name="Область", level=Territory.Level.REGION)
    town = Territory(name="Город", level=Territory.Level.MUNICIPALITY, parent=region)
    event = _event(1, territory=town)  # assigned while unsaved, as intake assigns new persons
    town.save()
    insert_many([event])
    assert AuditEvent.objects.get(pk=event.pk).territory_id == town.pk


def test_an_unsaved_related_object_is_refused_before_anything_is_written() -> None:
    town = Territory(name="Город", level=Territory.Level.MUNICIPALITY)
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_many([_event(1), _event(2, territory=town)])
    assert not AuditEvent.objects.exists()


def test_saved_or_mixed_instances_are_refused() -> None:
    event = insert_many([_event(1)])[0]
    with pytest.raises(ValueError, match="new instances of one model"):
        insert_many([event])
    region = TerritoryFactory.create(name="Область", level=Territory.Level.REGION)
    other = CalendarOverride(region=region, date=dt.date(2026, 1, 1), is_working=True)
    with pytest.raises(ValueError, match="new instances of one model"):
        insert_many([_event(2), other])


def test_many_rows_go_through_bulk_create_with_the_same_checks() -> None:
    events = [_event(n) for n in range(FEW_ROWS + 5)]
    insert_many(events)
    assert AuditEvent.objects.count() == len(events) == len({e.pk for e in events})
    assert AuditEvent.objects.get(pk=events[-1].pk).object_id == str(len(events) - 1)
    with pytest.raises(ValueError, match="new instances of one model"):
        insert_many([*[_event(n) for n in range(FEW_ROWS)], events[0]])


def test_switched_off_a_few_rows_go_through_bulk_create(settings, monkeypatch) -> None:
    """OCHAG_PLAIN_INSERTS=0 (the benchmark's "off") writes the same rows the ORM's way."""
    from django.db.models.query import QuerySet

    real, calls = QuerySet.bulk_create, []

    def counted(self: QuerySet[AuditEvent], objs: list[AuditEvent], *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(objs))
        return real(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", counted)
    events = [_event(n) for n in range(3)]
    insert_many(events)
    assert calls == []  # on: a plain INSERT
    settings.OCHAG_PLAIN_INSERTS = False
    insert_many([_event(n) for n in range(3, 6)])
    assert calls == [3]
    assert sorted(AuditEvent.objects.values_list("object_id", flat=True)) == list("012345")
