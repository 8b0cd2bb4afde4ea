"""The intake's tolerant look-up (registry.search.name_candidates) for a batch of reported
people: one statement for the batch against one statement per person, alternating, on the
intake benchmark's registry; and the GIN index's pending list before and after merging it
(``--merge``: with ``fastupdate`` on, every look-up reads the whole pending list).

Usage: DATABASE_URL=postgres://.../bench_intake python bench/intake/widening.py
       [--people 50] [--rounds 3] [--merge] [--out bench/results/intake-widening-STAMP.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from ochag.core.models import Territory  # noqa: E402
from ochag.demo.names import father_name, first_names, patronymic_of, surnames  # noqa: E402
from ochag.linkage import PersonRecord  # noqa: E402
from ochag.registry.candidates import query_record, search_scope  # noqa: E402
from ochag.registry.search import name_candidates  # noqa: E402

GIN = "registry_person_key_words_gin"


def people(n: int, territory: int) -> list[PersonRecord]:
    """New children as bench/intake/bulk.py reports them (the ones the exact block misses)."""
    rng = random.Random(1)
    sn, fm, ff = surnames(), first_names("M"), first_names("F")
    out = []
    for _ in range(n):
        sex = rng.choice("MF")
        birth = f"{rng.randint(2008, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        last = sn.pick(rng)[0 if sex == "M" else 1]
        first = (fm if sex == "M" else ff).pick(rng)[0]
        patronymic = patronymic_of(father_name(rng), sex)
        out.append(query_record(last, first, patronymic, birth, "", territory))
    return out


def pending() -> dict[str, Any]:
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        cur.execute("SELECT pending_pages, pending_tuples FROM pgstatginindex(%s::regclass)", [GIN])
        pages, tuples = cur.fetchone()
        cur.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [GIN])
        options = cur.fetchone()[0]
    return {"pending_pages": pages, "pending_tuples": tuples, "reloptions": options}


def measure(recs: list[PersonRecord], rounds: int) -> dict[str, Any]:
    base = search_scope(list(Territory.objects.values_list("pk", flat=True)))
    name_candidates(base, recs[:1], 100)  # vocabulary, connection
    seen: dict[str, list[float]] = {"batched_ms": [], "one_by_one_ms": []}
    for r in range(rounds):
        for side in ("batched_ms", "one_by_one_ms") if r % 2 else ("one_by_one_ms", "batched_ms"):
            t = time.perf_counter()
            if side == "batched_ms":
                name_candidates(base, recs, 100)
            else:
                for rec in recs:
                    name_candidates(base, [rec], 100)
            seen[side].append(round((time.perf_counter() - t) * 1000, 1))
    return {**seen, "load_average_1min": os.getloadavg()[0], **pending()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--merge", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    muni = Territory.objects.filter(level=Territory.Level.MUNICIPALITY).order_by("pk").first()
    assert muni is not None, "no registry: run bench/intake/setup.py first"
    recs = people(a.people, muni.pk)
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    result: dict[str, Any] = {"commit": commit, "people": a.people, "rounds": a.rounds,
                              "persons": connection.cursor().execute(
                                  "SELECT count(*) FROM registry_person").fetchone()[0],
                              "as_found": measure(recs, a.rounds)}  # fmt: skip
    if a.merge:
        with connection.cursor() as cur:
            cur.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN])
        result["merged"] = measure(recs, a.rounds)
    text = json.dumps(result, indent=2)
    print(text)
    if a.out:
        Path(a.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
