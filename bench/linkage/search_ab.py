"""Staff search before/after, paired: the registry's search module at an older commit and the
working tree's, on the same loaded registry, the same queries, alternating which runs first
per query, so both see the same machine load (this machine is shared: unpaired runs minutes
apart are not comparable).

Loads the hard set like findability.py (skipped when the database holds it already).

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_findability_big \
       python bench/linkage/search_ab.py --data bench/data/hard1000000 --before 11d9897 \
           [--step 2] --out result.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# findability sets Django up (before any product module); its loader and percentiles are reused
import findability as fa

import ochag.registry.search as after
from ochag.registry import vocabulary

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, source: str) -> Any:
    path = Path(tempfile.mkdtemp()) / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def module_at(commit: str) -> Any:
    """ochag/registry/search.py as it was at `commit`, imported under another name; from the
    commit that moved the key plan and its SQL to ochag/registry/keyplan.py, that module too
    (the older search.py held both)."""

    def show(path: str) -> str | None:
        done = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
        return done.stdout if done.returncode == 0 else None

    source = show("ochag/registry/search.py")
    assert source is not None, f"no ochag/registry/search.py at {commit}"
    keyplan = show("ochag/registry/keyplan.py")
    if keyplan is not None:
        _load("keyplan_before", keyplan)
        source = source.replace("from ochag.registry.keyplan import", "from keyplan_before import")
    return _load("search_before", source)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--step", type=int, default=1, help="every N-th query")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    region, munis = fa.registry_bench.territories()
    coordinator, _ = fa.registry_bench.staff(region, munis[0])
    loaded = fa.load(a.data, munis)
    queries = fa.read(f"{a.data}.queries.csv")[:: a.step]
    vocabulary.forget()
    vocabulary.vocabulary()
    systems = {"before": module_at(a.before), "after": after}
    seen: dict[str, dict[str, Any]] = {name: {"ms": [], "rank": []} for name in systems}
    load_seen = [os.getloadavg()[0]]
    for n, q in enumerate(queries):
        order = list(systems) if n % 2 else list(reversed(systems))
        truth = int(q["truth"][1:]) + 1 if q["truth"] else None
        for name in order:
            t0 = time.perf_counter()
            hits = systems[name].person_search(user=coordinator, text=q["text"]).hits[:10]
            seen[name]["ms"].append((time.perf_counter() - t0) * 1000)
            ids = [h.person.pk for h in hits]
            if truth is not None:
                seen[name]["rank"].append(ids.index(truth) + 1 if truth in ids else None)
        if n % 50 == 0:
            load_seen.append(os.getloadavg()[0])
    out: dict[str, Any] = {"data": a.data, "before": a.before, "queries": len(queries),
                           "load": loaded, "load_average_1min": [min(load_seen),
                                                                 max(load_seen)]}  # fmt: skip
    for name, r in seen.items():
        ranks, ms = r["rank"], r["ms"]
        out[name] = {
            "known": len(ranks),
            "recall_at_1": round(sum(1 for x in ranks if x == 1) / len(ranks), 4),
            "recall_at_10": round(sum(1 for x in ranks if x is not None) / len(ranks), 4),
            "p50_ms": fa.pct(ms, 50), "p95_ms": fa.pct(ms, 95), "p99_ms": fa.pct(ms, 99),
            "mean_ms": round(sum(ms) / len(ms), 2),
        }  # fmt: skip
    Path(a.out).write_text(json.dumps(out, ensure_ascii=False, indent=1))
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
