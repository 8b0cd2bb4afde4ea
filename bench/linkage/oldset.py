"""The old generator's data set (generate.py) as labelled queries against a registry.

generate.py writes <data>.csv (records) and <data>.truth.csv (record_id, entity_id), with no
query file: 700 records of people who have other records and 300 people with one record
(taken out of the registry) become the queries. Shared by hardrun.py (the engine's CLI path)
and findability.py (the staff search and the intake), so the three paths meet the same
queries.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict


def read(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def old_set(data: str, known: int = 700, new: int = 300, seed: int = 3
            ) -> tuple[list[dict[str, str]], list[dict[str, str]]]:  # fmt: skip
    """(registry rows, query rows with truth, cls and entity) from an old-generator data
    set. A known query's truth is one other record of its entity; any record of the entity
    is right (the registry holds the generator's duplicates too)."""
    rows = read(f"{data}.csv")
    truth = {r["record_id"]: r["entity_id"] for r in read(f"{data}.truth.csv")}
    by_entity: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_entity[truth[r["record_id"]]].append(r["record_id"])
    rng = random.Random(seed)
    multi = sorted(e for e, ids in by_entity.items() if len(ids) > 1)
    single = sorted(e for e, ids in by_entity.items() if len(ids) == 1)
    taken: dict[str, tuple[str, str]] = {}  # query record id -> (truth, cls)
    for e in rng.sample(multi, known):
        q = rng.choice(by_entity[e])
        others = [i for i in by_entity[e] if i != q]
        taken[q] = (others[0], "old_known")
    for e in rng.sample(single, new):
        taken[by_entity[e][0]] = ("", "old_new")
    registry = [{**r, "entity": truth[r["record_id"]]} for r in rows
                if r["record_id"] not in taken]  # fmt: skip
    queries = []
    for r in rows:
        if r["record_id"] in taken:
            t, cls = taken[r["record_id"]]
            queries.append({**r, "truth": t, "cls": cls, "entity": truth[r["record_id"]]})
    return registry, queries
