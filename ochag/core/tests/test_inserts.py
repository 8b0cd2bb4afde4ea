"""insert_many writes what bulk_create would, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from ochag.core.inserts import FEW_ROWS, insert_many, insert_rows
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


def test_many_rows_read_back_as_written_with_keys_in_order() -> None:
    """More than FEW_ROWS: COPY on PostgreSQL, bulk_create elsewhere; the same rows."""
    region = TerritoryFactory.create(name="Область", level=Territory.Level.REGION)
    town = Territory(name="Город", level=Territory.Level.MUNICIPALITY, parent=region)
    events = [_event(n, territory=town if n % 2 else None) for n in range(FEW_ROWS + 5)]
    town.save()  # saved after assignment, as intake assigns new persons
    before = AuditEvent.objects.count()
    assert insert_many(events) is events
    assert AuditEvent.objects.count() - before == len(events) == len({e.pk for e in events})
    assert [e.pk for e in events] == sorted(e.pk for e in events)
    stored = AuditEvent.objects.in_bulk([e.pk for e in events])
    for event in events:
        row = stored[event.pk]
        assert not event._state.adding
        assert (row.object_id, row.object_label, row.detail, row.at, row.territory_id) == (
            event.object_id, event.object_label, event.detail, event.at, event.territory_id
        )  # fmt: skip
    assert stored[events[1].pk].territory_id == town.pk
    # the sequence moved past the copied keys: the next ordinary save gets a fresh one
    assert insert_many([_event(99)])[0].pk > events[-1].pk
    with pytest.raises(ValueError, match="new instances of one model"):
        insert_many([*[_event(n) for n in range(FEW_ROWS)], events[0]])


@pytest.mark.parametrize("plain", [True, False])
def test_plain_rows_are_written_as_given(settings, plain: bool) -> None:  # type: ignore[no-untyped-def]
    """insert_rows: COPY on PostgreSQL, chunked INSERTs elsewhere or switched off; values
    with quotes, tabs, backslashes and newlines arrive unchanged."""
    settings.OCHAG_PLAIN_INSERTS = plain
    region = TerritoryFactory.create(name="Область", level=Territory.Level.REGION)
    rows = [(region.pk, dt.date(2026, 1, 1) + dt.timedelta(days=n), n % 2 == 0,
             f"«{n}»\t 'q' \\ %s\n{n}") for n in range(700)]  # fmt: skip
    insert_rows(
        CalendarOverride._meta.db_table, ["region_id", "date", "is_working", "reason"], rows
    )
    stored = sorted(
        CalendarOverride.objects.values_list("region_id", "date", "is_working", "reason")
    )
    assert stored == rows


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
