"""Rows of any app that point at a person, as merges move them and unmerges bring them back.

A merge of X into K moves each row pointing at X to K and records it in the merge's state
(``moved``: model, pk, column). A row that cannot be moved — a unique or check constraint,
e.g. both records were members of one household — is serialised and set aside
(``set_aside``: the row as it was, and the column the merge tried to move).

Merges may be undone in any order, so a row may be touched by several merges still in
effect. :class:`Ledger` holds the merges an unmerge loads and changes, and places a row
where the merges in effect put it: each column pointing at a merged-away record follows
that record's merge to the survivor (:meth:`Ledger.fold`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector

from ochag.registry.models import MergeRecord, Person

# Relations to Person that belong to the registry's own bookkeeping and stay where they are.
_INTERNAL_MODELS = (
    "registry.personversion",
    "registry.personkey",
    "registry.duplicatecandidate",
    "registry.mergerecord",
    "registry.person",
)


class RowLost(Exception):
    """A row cannot be set aside without deleting others with it (a cascade)."""


def person_links() -> list[tuple[type[models.Model], str]]:
    """Every (model, FK column) pointing at Person outside the registry's bookkeeping.

    Discovered from Person's reverse relations, so a FK added by any other app is carried
    through merges and unmerges without changes here.
    """
    links: dict[tuple[str, str], tuple[type[models.Model], str]] = {}
    for rel in Person._meta.related_objects:
        model: type[models.Model]
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            model = through
            fks = [f for f in through._meta.fields if f.is_relation and f.related_model is Person]
        else:
            model = rel.related_model
            fks = [rel.field]
        if model._meta.label_lower in _INTERNAL_MODELS:
            continue
        for fk in fks:
            links[(model._meta.label_lower, fk.attname)] = (model, fk.attname)
    return list(links.values())


def _columns(model: type[models.Model]) -> list[str]:
    return [column for m, column in person_links() if m is model]


def set_aside_entries(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The merge's set-aside rows; records written before the column was kept hold only the
    serialised row (they are restored as they are, never moved again)."""
    return [e if isinstance(e, dict) else {"data": e, "field": None} for e in state["set_aside"]]


def _serialise(row: models.Model) -> str:
    collector = Collector(using="default")
    collector.collect([row])
    if sum(len(objs) for objs in collector.data.values()) > 1:
        raise RowLost(f"{row._meta.label} {row.pk} cannot be set aside without losing data")
    return serializers.serialize("json", [row])


def move_row(state: dict[str, Any], model: type[models.Model], pk: Any, column: str,
             to_pk: int) -> bool:  # fmt: skip
    """Point one column of a row at ``to_pk`` and record it in the merge's state, or set the
    row aside there when a constraint forbids it. True if the row moved."""
    manager = model._default_manager
    try:
        with transaction.atomic():
            moved = manager.filter(pk=pk).update(**{column: to_pk})
    except IntegrityError:
        row = manager.get(pk=pk)
        state["set_aside"].append({"data": _serialise(row), "field": column})
        row.delete()
        return False
    if moved:
        state["moved"].append({"model": model._meta.label_lower, "pk": pk, "field": column})
    return bool(moved)


def restore_row(data: str) -> models.Model | None:
    """Write a set-aside row back with its own primary key; None if a constraint refuses."""
    for obj in serializers.deserialize("json", data):
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            return None
        return obj.object
    return None


def _row_key(data: str) -> tuple[str, Any]:
    row = json.loads(data)[0]
    return row["model"], row["pk"]


class Ledger:
    """The merges in effect that an unmerge consults and changes, saved together."""

    def __init__(self, *, undoing: MergeRecord) -> None:
        # The merge being undone no longer folds its record into the survivor.
        self._by_merged: dict[int, MergeRecord | None] = {undoing.merged_id: None}
        self.changed: dict[int, MergeRecord] = {}

    def merge_of(self, person_pk: int) -> MergeRecord | None:
        """The merge in effect that folded this person into another, if any."""
        if person_pk not in self._by_merged:
            self._by_merged[person_pk] = (
                MergeRecord.objects.select_for_update()
                .filter(merged_id=person_pk, undone_at__isnull=True)
                .first()
            )
        return self._by_merged[person_pk]

    def touch(self, merge: MergeRecord) -> MergeRecord:
        """The ledger's copy of a merge, marked to be saved."""
        merge = self.changed.setdefault(merge.pk, merge)
        self._by_merged[merge.merged_id] = merge
        return merge

    def fold(self, row: models.Model) -> None:
        """Move each column of a row that points at a merged-away record to its survivor,
        recording each step in that record's merge (or setting the row aside there)."""
        model = type(row)
        for column in _columns(model):
            target = getattr(row, column)
            while target is not None and (merge := self.merge_of(target)) is not None:
                merge = self.touch(merge)
                if not move_row(merge.state, model, row.pk, column, merge.kept_id):
                    return
                target = merge.kept_id

    def find_set_aside(self, after: MergeRecord, label: str, pk: Any
                       ) -> tuple[MergeRecord, dict[str, Any]] | None:  # fmt: skip
        """A row a later merge in effect set aside (a row an earlier merge had moved)."""
        later = MergeRecord.objects.select_for_update().filter(
            pk__gt=after.pk, undone_at__isnull=True
        )
        for merge in later.order_by("pk"):
            merge = self.changed.get(merge.pk, merge)
            for entry in set_aside_entries(merge.state):
                if _row_key(entry["data"]) == (label, pk):
                    merge = self.touch(merge)
                    merge.state["set_aside"] = set_aside_entries(merge.state)
                    return merge, next(
                        e for e in merge.state["set_aside"] if e["data"] == entry["data"]
                    )
        return None

    def refold(self, merges: list[MergeRecord]) -> int:
        """Try again to place rows these merges set aside (what they clashed with may be gone):
        each goes back and its column follows the merge. Returns the rows placed."""
        placed = 0
        for merge in sorted(merges, key=lambda m: m.pk):
            merge = self.changed.get(merge.pk, merge)
            entries = set_aside_entries(merge.state)
            movable = [e for e in entries if e["field"]]
            if not movable:
                continue
            merge = self.touch(merge)
            merge.state["set_aside"] = [e for e in entries if not e["field"]]
            for entry in movable:
                row = restore_row(entry["data"])
                if row is None:
                    merge.state["set_aside"].append(entry)
                    continue
                model = type(row)
                if move_row(merge.state, model, row.pk, entry["field"], merge.kept_id):
                    placed += 1
                    self.fold(model._default_manager.get(pk=row.pk))
        return placed

    def save(self) -> None:
        for merge in self.changed.values():
            merge.save(update_fields=["state"])
