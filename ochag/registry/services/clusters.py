"""Merge clusters: a current record with every record merged into it, transitively.

The rules that two different valid SNILS and possible twins are never one person hold for a
whole cluster, not only for the two records a merge names: otherwise a third record without
a SNILS could carry two of them into one person (issue 18 #4).
"""

from __future__ import annotations

from typing import Any

from ochag.linkage import PersonRecord, features, hard_conflicts
from ochag.registry.explain import RECORD_FIELDS, person_record, record_from_values
from ochag.registry.models import MergeRecord, Person


def cluster_ids(person: Person) -> list[int]:
    """The person and every record merged into it, directly or through another."""
    ids = [person.pk]
    frontier = [person.pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def _snapshot_record(pk: Any, snapshot: dict[str, Any]) -> PersonRecord:
    values: list[Any] = [snapshot.get(f) for f in RECORD_FIELDS[1:]]
    return record_from_values(pk, *values)


def cluster_records(person: Person, *, with_history: bool = True) -> list[PersonRecord]:
    """Every record of the cluster as it is now; with history, also each survivor as it was
    before each merge still in effect, so a SNILS given up in a merge still counts."""
    ids = cluster_ids(person)
    rows = Person.objects.filter(pk__in=ids).values_list(*RECORD_FIELDS)
    records = [record_from_values(*row) for row in rows]
    if with_history:
        live = MergeRecord.objects.filter(kept_id__in=ids, undone_at__isnull=True)
        for merge in live.only("pk", "kept_id", "state"):
            records.append(_snapshot_record(f"{merge.kept_id}@{merge.pk}", merge.state["kept"]))
    return records


def cluster_conflicts(left: list[PersonRecord], right: list[PersonRecord]) -> list[str]:
    """Hard conflicts between any record of one side and any of the other, each reason once."""
    reasons: dict[str, None] = {}
    right_features = [features(r) for r in right]
    for a in left:
        fa = features(a)
        for fb in right_features:
            reasons.update(dict.fromkeys(hard_conflicts(fa, fb)))
    return list(reasons)


def edit_conflicts(person: Person) -> list[str]:
    """Conflicts an edit of ``person`` (unsaved values) would bring into its cluster."""
    if not Person.objects.filter(merged_into=person).exists():
        return []
    others = [
        r for r in cluster_records(person, with_history=False) if r.record_id != str(person.pk)
    ]
    return cluster_conflicts([person_record(person)], others)
