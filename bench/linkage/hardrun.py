"""Matching and de-duplication quality of `ochag.linkage` on the independent hard set.

Usage: python bench/linkage/hardrun.py --data bench/data/hard100000 --out result.json [--dedupe]
           [--old-set] [--engine-root DIR] [--dump queries.jsonl]
Matching: every query against the whole registry (Matcher.match, the CLI's path): right
person ranked first, in the top 10, decision outcome for known and for new people, per
error class. De-duplication (--dedupe): pairwise P/R/F1 of dedupe() on registry + copies.
--old-set reads a data set of the old generator (generate.py: <data>.csv, <data>.truth.csv)
and makes the same two measurements on it: 700 records of people with other records and
300 people with one record (removed from the registry) are the queries.
--dump writes one JSON line per query (its fields, the outcome, the truth's rank, the top
candidates' scores and comparison levels, and the truth record scored against the query
even when blocking never met it): the material for classifying what goes wrong.
--engine-root runs another copy of ochag.linkage (e.g. `git archive` of an older commit),
the baseline, with the same measurements.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ENGINE = sys.argv[sys.argv.index("--engine-root") + 1] if "--engine-root" in sys.argv else ""
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
if ENGINE:
    sys.path.insert(0, ENGINE)

from evaluate import evaluate  # noqa: E402
from oldset import old_set  # noqa: E402

from ochag.linkage import Matcher, PersonRecord, dedupe  # noqa: E402

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


def rss_mb() -> float:
    """The process's resident memory now (Linux)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def stream(path: str) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def kept(rows: Iterable[dict[str, str]], wanted: set[str], into: dict[str, dict[str, str]]
         ) -> Iterator[dict[str, str]]:  # fmt: skip
    """Pass the rows through, keeping those whose record_id is wanted (the dump's truths)."""
    for r in rows:
        if r["record_id"] in wanted:
            into[r["record_id"]] = r
        yield r


def dump_line(m: Matcher, q: dict[str, str], truth: dict[str, str] | None, res: object,
              outcome_: str, rank: int | None) -> str:  # fmt: skip
    """One query's diagnostic record (see --dump)."""
    fields = ("last_name", "first_name", "patronymic", "sex", "birth_date", "municipality")
    top = [{"id": c.record_id, "score": c.score, "levels": list(c.levels),
            "conflicts": list(c.conflicts)} for c in res.candidates[:3]]  # type: ignore[attr-defined]  # fmt: skip
    line: dict[str, object] = {
        "id": q["record_id"], "cls": q["cls"], "kinds": q.get("kinds", ""),
        "query": {f: q.get(f, "") for f in fields}, "truth_id": q["truth"],
        "decision": res.decision, "outcome": outcome_, "rank": rank, "top": top,  # type: ignore[attr-defined]
    }  # fmt: skip
    if truth is not None:
        c = m.compare(record(q), record(truth))
        line["truth"] = {f: truth.get(f, "") for f in fields}
        line["truth_score"] = {"score": c.score, "levels": list(c.levels),
                               "conflicts": list(c.conflicts)}  # fmt: skip
    return json.dumps(line, ensure_ascii=False)


def run_matching(data: str, old: bool = False, dump: str = "") -> dict[str, object]:
    registry: Iterable[dict[str, str]]
    if old:
        registry, queries = old_set(data)
        entity = {r["record_id"]: r["entity_id"] for r in read(f"{data}.truth.csv")}
    else:  # the registry is streamed: the index alone is what the memory figure measures
        registry, queries = stream(f"{data}.registry.csv"), read(f"{data}.queries.csv")
        entity = {}
    truths: dict[str, dict[str, str]] = {}
    if dump:
        registry = kept(registry, {q["truth"] for q in queries if q["truth"]}, truths)
    lines: list[str] = []
    Matcher().match(record(queries[0]))  # loads the morphology dictionaries
    before = rss_mb()
    t0 = time.perf_counter()
    m = Matcher()
    m.add_many(record(r) for r in registry)
    if hasattr(m, "compact"):
        m.compact()
    build_s = time.perf_counter() - t0
    index_mb = rss_mb() - before
    rss_mb_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows: list[tuple[str, str, str, int | None]] = []
    lat: list[float] = []
    for q in queries:
        t = time.perf_counter()
        res = m.match(record(q), top=10)
        lat.append((time.perf_counter() - t) * 1000)
        ranked = [c.record_id for c in res.candidates]
        if entity and q["truth"]:  # old set: any record of the same entity is right
            ranked = [q["truth"] if entity.get(r) == q["entity"] else r for r in ranked]
        rank = ranked.index(q["truth"]) + 1 if q["truth"] in ranked else None
        rows.append((q["cls"], q["truth"], outcome(q["truth"], res.decision, ranked), rank))
        if dump:
            lines.append(dump_line(m, q, truths.get(q["truth"]), res, rows[-1][2], rank))
    if dump:
        Path(dump).write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = summarise(rows)
    lat.sort()
    out["index_build_s"] = round(build_s, 2)
    out["peak_rss_mb_after_index"] = round(rss_mb_peak, 1)
    out["index_rss_mb"] = round(index_mb, 1)  # resident memory the index build added
    out["p50_ms"] = round(statistics.median(lat), 3)
    out["p95_ms"] = round(lat[int(0.95 * (len(lat) - 1))], 3)
    return out


def run_dedupe(data: str, old: bool = False) -> dict[str, object]:
    if old:
        rows = read(f"{data}.csv")
        truth = {r["record_id"]: r["entity_id"] for r in read(f"{data}.truth.csv")}
    else:
        rows = read(f"{data}.dedupe.csv")
        truth = {r["record_id"]: r["entity"] for r in rows}
    t0 = time.perf_counter()
    recs = [record(r) for r in rows]
    pred = dedupe(recs)
    res = evaluate(pred, truth)
    res["wall_s"] = round(time.perf_counter() - t0, 1)
    res["wrong_pairs_by_evidence"] = wrong_pair_evidence(recs, pred, truth)
    return res


def wrong_pair_evidence(recs: list[PersonRecord], pred: dict[str, str], truth: dict[str, str]
                        ) -> dict[str, int]:  # fmt: skip
    """The wrongly merged record pairs by what tells the two people apart: nothing
    (the full name, the birth date, sex and SNILS agree as far as both records go: the
    date the same, or missing or only a year/month on one side), or a field that
    disagrees (a different or only similar name part, a date not the same)."""
    from ochag.linkage.model import FIELDS, NULL, comparison_vector
    from ochag.linkage.records import features

    by_id = {r.record_id: r for r in recs}
    clusters: dict[str, list[str]] = defaultdict(list)
    for rid, c in pred.items():
        clusters[c].append(rid)
    out = {"nothing_date_same": 0, "nothing_date_missing_or_partial": 0, "a_field_disagrees": 0}
    for ids in clusters.values():
        if len({truth[i] for i in ids}) < 2:
            continue
        feats = {i: features(by_id[i]) for i in ids}
        for x, a in enumerate(ids):
            for b in ids[x + 1 :]:
                if truth[a] == truth[b]:
                    continue
                v = dict(zip(FIELDS, comparison_vector(feats[a], feats[b])[0], strict=False))
                names = (v["last_name"] == 4 and v["first_name"] >= 2
                         and v["patronymic"] in (NULL, 2, 3))  # fmt: skip
                other = v["sex"] != 0 and v["snils"] != 0
                if names and other and v["birth_date"] == 4:
                    out["nothing_date_same"] += 1
                elif names and other and v["birth_date"] in (NULL, 2):
                    out["nothing_date_missing_or_partial"] += 1
                else:
                    out["a_field_disagrees"] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--dedupe", action="store_true")
    ap.add_argument("--old-set", action="store_true")
    ap.add_argument("--engine-root", default="")
    ap.add_argument("--dump", default="")
    a = ap.parse_args()
    res: dict[str, object] = {"engine": a.engine_root or "this commit", "data": a.data}
    res["matching"] = run_matching(a.data, a.old_set, a.dump)
    if a.dedupe:
        res["dedupe"] = run_dedupe(a.data, a.old_set)
    Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=1))
    print(json.dumps(res, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
