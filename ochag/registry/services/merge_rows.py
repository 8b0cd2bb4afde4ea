"""Rows of any app that point at a person, as merges move them and unmerges bring them back.

A merge of X into K moves each row pointing at X to K and records it in the merge's state
(``moved``: model, pk, column). A row that cannot be moved — a unique or check constraint,
e.g. both records were members of one household — is serialised and set aside
(``set_aside``: the row as it was, and the column the merge tried to move).

Merges may be undone in any order, and which of two clashing rows a merge kept depends on
what earlier merges had moved. So an unmerge takes back the later merges in effect in the
region (:func:`unwind`, latest first), undoes its own, and applies the
later ones again (:func:`move_links`): the rows end as if the undone merge had never been.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector

from ochag.registry.models import Person

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


def move_links(state: dict[str, Any], from_pk: int, to_pk: int) -> None:
    """Move every row pointing at ``from_pk`` to ``to_pk``, recording each in the state."""
    for model, column in person_links():
        rows = model._default_manager.filter(**{column: from_pk})
        for pk in list(rows.values_list("pk", flat=True)):
            move_row(state, model, pk, column, to_pk)


def unwind(state: dict[str, Any], kept_pk: int, merged_pk: int) -> tuple[int, list[str]]:
    """Take back a merge's row changes in reverse order: moved rows return to the merged
    record, set-aside rows are written back. A row changed since (deleted, or pointed
    elsewhere) stays as it is and is reported. Returns (rows restored, rows skipped)."""
    restored, skipped = 0, []
    for entry in reversed(set_aside_entries(state)):
        if restore_row(entry["data"]) is None:
            skipped.append(entry["data"][:80])
        else:
            restored += 1
    for item in reversed(state["moved"]):
        model = apps.get_model(item["model"])
        column = item["field"]
        try:
            with transaction.atomic():
                n = model._default_manager.filter(pk=item["pk"], **{column: kept_pk}).update(
                    **{column: merged_pk}
                )
        except IntegrityError:
            n = 0
        if n:
            restored += 1
        else:
            skipped.append(f"{item['model']}:{item['pk']}")
    state["moved"], state["set_aside"] = [], []
    return restored, skipped
