"""Why batch de-duplication misses true pairs: each true record pair the clustering leaves
apart, by the first rule on its way that stops it (never a candidate pair; below the link
threshold, with the comparison levels; kept apart by a merge rule; or joined to neither
cluster because another rule stopped the records' clusters from meeting).

The ceiling: the pairwise recall a clustering could reach if it linked every pair of one
person's records scoring at or above a weight (any blocking, no merge rule but the hard
conflicts), transitively: what the pairwise evidence allows at all, at the link threshold
and below it.

Usage: python bench/linkage/dedupe_misses.py --data bench/data/febrl20000 [--old-set]
           [--examples 5]
Prints one JSON object: pair counts per reason, the commonest comparison vectors of the
pairs below the threshold, the ceiling and a few examples per reason.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hardrun import read, record

from ochag.linkage.batch import candidate_pairs, score_pairs
from ochag.linkage.clustering import (
    FIRST,
    apart_mask,
    cluster,
    enough_to_merge,
    incompatible_mask,
    place_levels,
)
from ochag.linkage.model import Params
from ochag.linkage.records import features
from ochag.linkage.scoring import Scorer, hard_conflicts


def ceiling(feats: list, by_ent: dict[str, list[int]], scorer: Scorer,
            weights: tuple[float, ...]) -> dict[str, float]:  # fmt: skip
    """Pairwise recall of linking every same-person pair at or above each weight."""
    scored: list[list[tuple[int, int, float]]] = []
    for ids in by_ent.values():
        edges = []
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                w, v, _ = scorer.weight(feats[i], feats[j])
                if not hard_conflicts(feats[i], feats[j], v):
                    edges.append((i, j, w))
        scored.append(edges)
    total = sum(len(ids) * (len(ids) - 1) // 2 for ids in by_ent.values())
    out = {}
    for thr in weights:
        good = 0
        for ids, edges in zip(by_ent.values(), scored, strict=True):
            parent = {i: i for i in ids}

            def find(x: int, parent: dict[int, int] = parent) -> int:
                while parent[x] != x:
                    x = parent[x]
                return x

            for i, j, w in edges:
                if w >= thr:
                    parent[find(i)] = find(j)
            sizes = Counter(find(i) for i in ids)
            good += sum(n * (n - 1) // 2 for n in sizes.values())
        out[f"weight>={thr:g}"] = round(good / total, 4) if total else 1.0
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--old-set", action="store_true")
    ap.add_argument("--examples", type=int, default=5)
    a = ap.parse_args()
    if a.old_set:
        rows = read(f"{a.data}.csv")
        ent = {r["record_id"]: r["entity_id"] for r in read(f"{a.data}.truth.csv")}
    else:
        rows = read(f"{a.data}.dedupe.csv")
        ent = {r["record_id"]: r["entity"] for r in rows}
    feats = [features(record(r)) for r in rows]
    scorer = Scorer(Params.default())
    pairs = candidate_pairs(feats)
    scored = score_pairs(feats, pairs, scorer)
    roots = cluster(feats, scored, scorer)
    wthr = math.log2(scorer.params.link_threshold / (1 - scorer.params.link_threshold))
    strong = scorer.params.strong_negative
    index = {(int(i), int(j)): k for k, (i, j) in enumerate(pairs.tolist())}
    by_ent: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        by_ent[ent[f.record_id]].append(i)
    reasons: Counter[str] = Counter()
    below: Counter[str] = Counter()
    examples: dict[str, list[object]] = defaultdict(list)
    total = 0
    for ids in by_ent.values():
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                total += 1
                if roots[i] == roots[j]:
                    continue
                key = (min(i, j), max(i, j))
                k = index.get(key)
                if k is None:
                    why = "not_a_candidate"
                else:
                    v = scored.vectors[k : k + 1]
                    w = scored.weights[k : k + 1]
                    place = int(place_levels(feats, pairs[k : k + 1], v)[0])
                    if w[0] < wthr:
                        why = "below_threshold"
                        below[",".join(str(int(x)) for x in v[0])] += 1
                    elif key in scored.conflicts:
                        why = "hard_conflict"
                    elif apart_mask(v, w, strong)[0]:
                        why = "apart_mask"
                    elif incompatible_mask(v, w, strong)[0]:
                        why = "incompatible_first_name"
                    elif v[0, FIRST] == 0 and w[0] < wthr + 6.0:
                        why = "first_name_different_weak"
                    elif not enough_to_merge(v[0], place):
                        why = "not_enough_to_merge"
                    else:
                        why = "guard_or_vague_or_dates"
                reasons[why] += 1
                if len(examples[why]) < a.examples:
                    fa, fb = rows[i], rows[j]
                    cols = ("last_name", "first_name", "patronymic", "birth_date", "municipality")
                    ex: dict[str, object] = {
                        "a": " ".join(fa[c] for c in cols),
                        "b": " ".join(fb[c] for c in cols),
                    }
                    if k is not None:
                        ex["w"] = round(float(scored.weights[k]), 2)
                        ex["v"] = [int(x) for x in scored.vectors[k]]
                    examples[why].append(ex)
    out = {
        "data": a.data,
        "true_pairs": total,
        "missed": sum(reasons.values()),
        "reasons": dict(reasons.most_common()),
        "below_threshold_vectors": dict(below.most_common(15)),
        "threshold_weight": round(wthr, 2),
        "recall": round(1 - sum(reasons.values()) / total, 4) if total else 1.0,
        "ceiling_recall": ceiling(feats, by_ent, scorer, (round(wthr, 2), 0.0, -5.0)),
        "examples": examples,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
