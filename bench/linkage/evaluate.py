"""Accuracy figures for a clustering against ground truth: pairwise and B-cubed P/R/F,
plus the number of wrongly merged hard-negative entity pairs."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict


def load_truth(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as fh:
        return {r["record_id"]: r["entity_id"] for r in csv.DictReader(fh)}


def load_hardneg(path: str) -> list[tuple[str, str, str]]:
    with open(path, encoding="utf-8") as fh:
        return [(r["entity_a"], r["entity_b"], r["kind"]) for r in csv.DictReader(fh)]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def evaluate(
    pred: dict[str, str],
    truth: dict[str, str],
    hardneg: list[tuple[str, str, str]] | None = None,
) -> dict[str, float | int | dict]:
    ids = [r for r in truth if r in pred]
    joint = Counter((pred[r], truth[r]) for r in ids)
    pc = Counter(pred[r] for r in ids)
    tc = Counter(truth[r] for r in ids)
    tp = sum(_pairs(n) for n in joint.values())
    pp = sum(_pairs(n) for n in pc.values())
    tt = sum(_pairs(n) for n in tc.values())
    prec = tp / pp if pp else 1.0
    rec = tp / tt if tt else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    # B-cubed
    bp = sum(n * n / pc[p] for (p, _t), n in joint.items()) / len(ids)
    br = sum(n * n / tc[t] for (_p, t), n in joint.items()) / len(ids)
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    out: dict[str, float | int | dict] = {
        "records": len(ids),
        "pairwise_precision": round(prec, 5),
        "pairwise_recall": round(rec, 5),
        "pairwise_f1": round(f1, 5),
        "bcubed_precision": round(bp, 5),
        "bcubed_recall": round(br, 5),
        "bcubed_f1": round(bf, 5),
        "true_pairs": tt,
        "predicted_pairs": pp,
        "wrong_pairs": pp - tp,
    }
    if hardneg is not None:
        ent_clusters: dict[str, set[str]] = defaultdict(set)
        for r in ids:
            ent_clusters[truth[r]].add(pred[r])
        merged = Counter()
        for a, b, kind in hardneg:
            if ent_clusters.get(a) and ent_clusters.get(b) and ent_clusters[a] & ent_clusters[b]:
                merged[kind] += 1
        out["hard_negative_pairs"] = len(hardneg)
        out["hard_negatives_wrongly_merged"] = sum(merged.values())
        out["hard_negatives_by_kind"] = dict(merged)
    return out
