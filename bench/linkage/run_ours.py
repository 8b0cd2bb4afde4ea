"""Benchmark ochag.linkage on one data set: batch dedupe (+accuracy) and real-time latency."""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time

import common
from evaluate import evaluate, load_hardneg, load_truth

from ochag.linkage import Matcher, Params, train_features
from ochag.linkage.batch import candidate_pairs, cluster, compare_pairs, score_pairs
from ochag.linkage.cli import read_records
from ochag.linkage.records import features
from ochag.linkage.scoring import Scorer


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--train", action="store_true", help="EM-train on this data first")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--no-batch", action="store_true")
    a = ap.parse_args()
    recs = read_records(a.data + ".csv")
    res: dict[str, object] = {"system": "ochag.linkage", "data": a.data, "rows": len(recs)}
    params = Params.default()
    feats = pairs = None
    if not a.no_batch or a.train:
        t0 = time.perf_counter()
        feats = [features(r) for r in recs]
        t1 = time.perf_counter()
        pairs = candidate_pairs(feats)
        t2 = time.perf_counter()
        vectors = compare_pairs(feats, pairs)
        t2v = time.perf_counter()
    if a.train:
        t = time.perf_counter()
        params, info = train_features(feats, pairs, vectors=vectors)
        res["train_seconds"] = round(time.perf_counter() - t, 2)
        res["em"] = {k: v for k, v in info.items() if k != "history"}
    if not a.no_batch:
        scorer = Scorer(params)
        t2b = time.perf_counter()
        scored = score_pairs(feats, pairs, scorer, vectors=vectors)
        t3 = time.perf_counter()
        roots = cluster(feats, scored, scorer)
        t4 = time.perf_counter()
        pred = {feats[i].record_id: str(r) for i, r in enumerate(roots)}
        res["batch"] = {
            "wall_seconds": round(t4 - t0, 2),
            "features_seconds": round(t1 - t0, 2),
            "blocking_seconds": round(t2 - t1, 2),
            "training_seconds": res.get("train_seconds", 0.0),
            "scoring_seconds": round(t3 - t2b + t2v - t2, 2),
            "clustering_seconds": round(t4 - t3, 2),
            "comparisons": len(pairs),
            "comparisons_per_second": round(len(pairs) / max(t3 - t2b + t2v - t2, 1e-9)),
        }
        res["accuracy"] = evaluate(pred, load_truth(a.data + ".truth.csv"),
                                   load_hardneg(a.data + ".hardneg.csv"))  # fmt: skip
        del feats, pairs, scored
        gc.collect()
    if a.queries:
        qidx = common.split_queries(len(recs), a.queries)
        registry = [r for i, r in enumerate(recs) if i not in qidx]
        queries = [recs[i] for i in sorted(qidx)]
        t = time.perf_counter()
        m = Matcher(params)
        m.add_many(registry)
        build = time.perf_counter() - t
        lat = []
        truth = load_truth(a.data + ".truth.csv")
        reg_ents = {truth[r.record_id] for r in registry}
        hit = found = linked_ok = linked = 0
        for q in queries:
            t = time.perf_counter()
            r = m.match(q, top=10)
            lat.append((time.perf_counter() - t) * 1000)
            e = truth[q.record_id]
            if e in reg_ents:
                found += 1
                if any(truth[c.record_id] == e for c in r.candidates):
                    hit += 1
            if r.decision == "link":
                linked += 1
                linked_ok += truth[r.candidates[0].record_id] == e
        res["realtime"] = {
            "registry_rows": len(registry),
            "queries": len(queries),
            "index_build_seconds": round(build, 2),
            "p50_ms": round(pct(lat, 50), 3),
            "p95_ms": round(pct(lat, 95), 3),
            "p99_ms": round(pct(lat, 99), 3),
            "mean_ms": round(statistics.mean(lat), 3),
            "recall_at_10": round(hit / max(found, 1), 4),
            "auto_link_precision": round(linked_ok / max(linked, 1), 4),
            "auto_links": linked,
        }
    res["peak_rss_mb"] = round(common.peak_rss_mb(), 1)
    res["load_average_at_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(res, fh, ensure_ascii=False, indent=1)
    print(json.dumps(res, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
