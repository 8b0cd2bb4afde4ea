"""How likely a pair in the duplicates queue really is one person, as a function of the
engine's match weight.

The engine's Fellegi–Sunter probability treats every agreeing field as independent
evidence and starts from the odds of two random registry records, so every pair the finder
puts in the queue reads 99.99 %, a typo pair included. This fits a logistic calibration
(Platt scaling) of the pair's weight against the truth on the independent hard set
(bench/linkage/hardset.py: a registry with namesakes and re-entered records carrying
keyboard, OCR, phonetic, date, short-form and surname-change errors), over exactly the pairs
the queue's finder proposes, and compares it with the engine's probability (the baseline)
per band: what share of the pairs each method puts in a band are duplicates.

    bench/duplicates/run.sh [REGISTRY] [SEED]

prints the coefficients that ochag/registry/likelihood.py carries and writes
bench/results/duplicates-calibration-<time>-<commit>.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "linkage"))

import hardset  # noqa: E402  (the bench's own generator, not an app)

from ochag.linkage import Matcher, PersonRecord, find_duplicate_pairs  # noqa: E402

BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 0.99), (0.99, 1.0001))


def _record(rid: str, last: str, first: str, patr: str, sex: str, birth: str, muni: int
            ) -> PersonRecord:  # fmt: skip
    return PersonRecord(record_id=rid, last_name=last, first_name=first, patronymic=patr,
                        sex=sex, birth_date=birth, municipality=f"m{muni}")  # fmt: skip


def pairs(n_registry: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(weights, is the same person) of every pair the finder proposes."""
    registry, _queries, dedupe = hardset.build(n_registry, 0, 0, seed)
    entity = {p.pid: p.pid for p in registry}
    records = [_record(p.pid, p.last, p.first, p.patr, p.sex, hardset._iso(p.birth), p.muni)
               for p in registry]  # fmt: skip
    for q in dedupe:
        entity[q.qid] = q.truth
        records.append(_record(q.qid, q.last, q.first, q.patr, q.sex, q.birth, q.muni))
    by_id = {r.record_id: r for r in records}
    engine = Matcher()
    weights, truth = [], []
    for left, right, _p, _expl in find_duplicate_pairs(records, min_probability=0.5):
        weights.append(engine.compare(by_id[left], by_id[right]).score)
        truth.append(entity[left] == entity[right])
    return np.array(weights), np.array(truth, dtype=float)


def fit(w: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: P(same | w) = 1 / (1 + exp(-(a·w + b))), by Newton's method."""
    a, b = 0.1, 0.0
    x = np.stack([w, np.ones_like(w)], axis=1)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ np.array([a, b]))))
        grad = x.T @ (y - p)
        hess = (x * (p * (1 - p))[:, None]).T @ x + 1e-9 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        a, b = a + step[0], b + step[1]
        if np.abs(step).max() < 1e-10:
            break
    return float(a), float(b)


def bands(prob: np.ndarray, y: np.ndarray) -> list[dict[str, object]]:
    out = []
    for lo, hi in BANDS:
        sel = (prob >= lo) & (prob < hi)
        n = int(sel.sum())
        out.append({"band": f"{lo:.2f}–{min(hi, 1):.2f}", "pairs": n,
                    "duplicates": round(float(y[sel].mean()), 3) if n else None,
                    "mean_stated": round(float(prob[sel].mean()), 4) if n else None})  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--registry", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--check-seed", type=int, default=6)
    args = ap.parse_args()
    started = time.perf_counter()
    w, y = pairs(args.registry, args.seed)
    a, b = fit(w, y)
    # Checked on another hard set than the one fitted on.
    w2, y2 = pairs(args.registry, args.check_seed)
    calibrated = 1 / (1 + np.exp(-(a * w2 + b)))
    engine = 1 / (1 + np.power(2.0, -np.clip(w2, -60, 60)))
    brier = {"calibrated": float(np.mean((calibrated - y2) ** 2)),
             "engine": float(np.mean((engine - y2) ** 2))}  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    result = {
        "what": "duplicates queue: calibrated pair probability vs the engine's",
        "commit": commit,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "registry": args.registry,
        "fit_seed": args.seed,
        "check_seed": args.check_seed,
        "fit_pairs": len(w),
        "fit_duplicates": int(y.sum()),
        "check_pairs": len(w2),
        "check_duplicates": int(y2.sum()),
        "a": round(a, 5),
        "b": round(b, 5),
        "brier": {k: round(v, 4) for k, v in brier.items()},
        "bands_calibrated": bands(calibrated, y2),
        "bands_engine": bands(engine, y2),
        "seconds": round(time.perf_counter() - started, 1),
    }
    stamp = time.strftime("%Y-%m-%dT%H%M", time.gmtime())
    out = ROOT / "bench" / "results" / f"duplicates-calibration-{stamp}-{commit}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"weight at 50 %: {-b / a:.2f}; written {out.relative_to(ROOT)}")
    assert math.isfinite(a) and a > 0


if __name__ == "__main__":
    main()
