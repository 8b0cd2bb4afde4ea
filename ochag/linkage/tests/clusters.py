"""What the batch de-duplication's tests compare: the clusters as sets of record ids."""

from __future__ import annotations

from ochag.linkage import PersonRecord, dedupe


def groups(*recs: PersonRecord) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for rid, cluster in dedupe(list(recs)).items():
        by.setdefault(cluster, set()).add(rid)
    return {frozenset(g) for g in by.values()}
