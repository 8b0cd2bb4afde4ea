"""Matching and de-duplication quality of `ochag.linkage` on the independent hard set.

Usage: python bench/linkage/hardrun.py --data bench/data/hard100000 --out result.json [--dedupe]
Matching: every query against the whole registry (Matcher.match, the CLI's path): right
person ranked first, in the top 10, decision outcome for known and for new people, per
error class. De-duplication (--dedupe): pairwise P/R/F1 of dedupe() on registry + copies.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import evaluate

from ochag.linkage import Matcher, PersonRecord, dedupe

COLUMNS = ("last_name", "first_name", "patronymic", "sex", "birth_date", "region",
           "municipality")  # fmt: skip


def record(row: dict[str, str]) -> PersonRecord:
    extra = {}
    if "former_last_names" in inspect.signature(PersonRecord).parameters:
        former = row.get("former_last_names") or ""
        extra["former_last_names"] = tuple(x.split("@")[0] for x in former.split(";") if x)
    return PersonRecord(record_id=row["record_id"], **{c: row[c] or None for c in COLUMNS},
                        **extra)  # fmt: skip


def read(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def outcome(truth: str, decision: str, ranked: list[str]) -> str:
    """One word per query: what the decision did with a known or a new person."""
    if not truth:
        return {"link": "new_linked", "review": "new_review"}.get(decision, "new_new")
    if decision == "link":
        return "linked_right" if ranked[:1] == [truth] else "linked_wrong"
    if decision == "review":
        return "review_with_right" if truth in ranked else "review_without_right"
    return "recreated"


def summarise(rows: list[tuple[str, str, str, int | None]]) -> dict[str, object]:
    """rows: (class, truth, outcome, rank of the truth or None)."""
    known = [r for r in rows if r[1]]
    new = [r for r in rows if not r[1]]

    def share(sel: list, cond: object) -> float:
        return round(sum(1 for r in sel if cond(r)) / len(sel), 4) if sel else 0.0  # type: ignore[operator]

    out: dict[str, object] = {
        "known": len(known),
        "new": len(new),
        "hit_at_1": share(known, lambda r: r[3] == 1),
        "hit_at_10": share(known, lambda r: r[3] is not None and r[3] <= 10),
        "linked_right": share(known, lambda r: r[2] == "linked_right"),
        "linked_wrong": share(known, lambda r: r[2] == "linked_wrong"),
        "review_known": share(known, lambda r: r[2].startswith("review")),
        "review_with_right": share(known, lambda r: r[2] == "review_with_right"),
        "review_without_right": share(known, lambda r: r[2] == "review_without_right"),
        "recreated": share(known, lambda r: r[2] == "recreated"),
        "false_links_of_new": share(new, lambda r: r[2] == "new_linked"),
        "review_new": share(new, lambda r: r[2] == "new_review"),
    }
    per: dict[str, list] = defaultdict(list)
    for r in rows:
        per[r[0]].append(r)
    out["per_class"] = {
        cls: {
            "n": len(sel),
            "hit_at_1": share(sel, lambda r: r[3] == 1),
            "hit_at_10": share(sel, lambda r: r[3] is not None and r[3] <= 10),
            "linked_right": share(sel, lambda r: r[2] == "linked_right"),
            "review": share(sel, lambda r: r[2].startswith("review") or r[2] == "new_review"),
            "new": share(sel, lambda r: r[2] in ("recreated", "new_new")),
            "wrong_link": share(sel, lambda r: r[2] in ("linked_wrong", "new_linked")),
        }
        for cls, sel in sorted(per.items())
    }
    return out


def run_matching(data: str) -> dict[str, object]:
    t0 = time.perf_counter()
    m = Matcher()
    m.add_many(record(r) for r in read(f"{data}.registry.csv"))
    build_s = time.perf_counter() - t0
    rows: list[tuple[str, str, str, int | None]] = []
    lat: list[float] = []
    for q in read(f"{data}.queries.csv"):
        t = time.perf_counter()
        res = m.match(record(q), top=10)
        lat.append((time.perf_counter() - t) * 1000)
        ranked = [c.record_id for c in res.candidates]
        rank = ranked.index(q["truth"]) + 1 if q["truth"] in ranked else None
        rows.append((q["cls"], q["truth"], outcome(q["truth"], res.decision, ranked), rank))
    out = summarise(rows)
    lat.sort()
    out["index_build_s"] = round(build_s, 2)
    out["p50_ms"] = round(statistics.median(lat), 3)
    out["p95_ms"] = round(lat[int(0.95 * (len(lat) - 1))], 3)
    return out


def run_dedupe(data: str) -> dict[str, object]:
    rows = read(f"{data}.dedupe.csv")
    truth = {r["record_id"]: r["entity"] for r in rows}
    t0 = time.perf_counter()
    pred = dedupe([record(r) for r in rows])
    res = evaluate(pred, truth)
    res["wall_s"] = round(time.perf_counter() - t0, 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dedupe", action="store_true")
    a = ap.parse_args()
    res: dict[str, object] = {"matching": run_matching(a.data)}
    if a.dedupe:
        res["dedupe"] = run_dedupe(a.data)
    Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=1))
    print(json.dumps(res, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
