"""What the place rules cost families who move (issue 19, §9's namesake rules).

The engine reads "same municipality" as evidence: the scorer's `geo` field, and batch
de-duplication's rule that a full name with a missing or slipped date merges only within
one municipality. That keeps full namesakes apart, and it is also what a family that
moved between municipalities looks like. No other set measures the cost, so this one
takes the hard set as it is and moves people:

* matching: every known query once as made and once with its municipality replaced by
  another municipality of the registry (drawn per query, fixed seed); the same Matcher,
  so the difference between the two rows is what the move alone costs;
* de-duplication: the extra records of `<data>.dedupe.csv` (the copies of registry
  people) once as made and once moved the same way; pairwise recall and precision, and of
  the copies the clustering leaves apart from their person, how many the duplicates queue
  (`find_duplicate_pairs` at probability 0.5, what the registry's queue lists for a person
  to decide) still offers beside that person, and how many are lost to both.

Usage: python bench/linkage/movers.py --data bench/data/hard100000 --out result.json
           [--no-dedupe]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import evaluate
from hardrun import outcome, read, record, stream, summarise

from ochag.linkage import Matcher, PersonRecord, dedupe, find_duplicate_pairs

SEED = 11


def moved(rec: PersonRecord, places: list[str], rng: random.Random) -> PersonRecord:
    """The same record, in another municipality of the registry."""
    return replace(rec, municipality=rng.choice([p for p in places if p != rec.municipality]))


def municipalities(data: str) -> list[str]:
    return sorted({r["municipality"] for r in stream(f"{data}.registry.csv") if r["municipality"]})


def run_matching(data: str, places: list[str]) -> dict[str, object]:
    m = Matcher()
    m.add_many(record(r) for r in stream(f"{data}.registry.csv"))
    if hasattr(m, "compact"):
        m.compact()
    known = [q for q in read(f"{data}.queries.csv") if q["truth"]]
    rng = random.Random(SEED)
    out: dict[str, object] = {}
    for label, move in (("as_made", False), ("moved", True)):
        rows: list[tuple[str, str, str, int | None]] = []
        for q in known:
            rec = record(q)
            if move and rec.municipality:
                rec = moved(rec, places, rng)
            res = m.match(rec, top=10)
            ranked = [c.record_id for c in res.candidates]
            rank = ranked.index(q["truth"]) + 1 if q["truth"] in ranked else None
            rows.append((q["cls"], q["truth"], outcome(q["truth"], res.decision, ranked), rank))
        out[label] = summarise(rows)
    return out


def run_dedupe(data: str, places: list[str]) -> dict[str, object]:
    rows = read(f"{data}.dedupe.csv")
    truth = {r["record_id"]: r["entity"] for r in rows}
    rng = random.Random(SEED)
    out: dict[str, object] = {}
    for label, move in (("as_made", False), ("moved", True)):
        recs = []
        for r in rows:
            rec = record(r)
            # the copies are the records that are not their entity's own registry row
            if move and r["record_id"] != r["entity"] and rec.municipality:
                rec = moved(rec, places, rng)
            recs.append(rec)
        t0 = time.perf_counter()
        pred = dedupe(recs)
        res = evaluate(pred, truth)
        res["wall_s"] = round(time.perf_counter() - t0, 1)
        copies = [(r["record_id"], r["entity"]) for r in rows if r["record_id"] != r["entity"]]
        apart = [(c, e) for c, e in copies if pred[c] != pred[e]]
        queued = {frozenset(p[:2]) for p in find_duplicate_pairs(recs, min_probability=0.5)}
        offered = sum(1 for pair in apart if frozenset(pair) in queued)
        res["copies"] = len(copies)
        res["copies_apart"] = len(apart)
        res["copies_apart_in_queue"] = offered
        res["copies_apart_lost"] = len(apart) - offered
        out[label] = res
    return out


def commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False).stdout.strip()  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-dedupe", action="store_true")
    a = ap.parse_args()
    places = municipalities(a.data)
    res: dict[str, object] = {
        "data": a.data,
        "commit": commit(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_start": os.getloadavg(),
        },
        "municipalities": len(places),
        "matching": run_matching(a.data, places),
    }
    if not a.no_dedupe:
        res["dedupe"] = run_dedupe(a.data, places)
    res["load_end"] = os.getloadavg()
    Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=1))
    print(json.dumps(res, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
