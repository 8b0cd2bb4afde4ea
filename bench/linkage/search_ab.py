"""Staff search before/after, paired: the registry's search module at an older commit and the
working tree's, on the same loaded registry, the same queries, alternating which runs first
per query, so both see the same machine load (this machine is shared: unpaired runs minutes
apart are not comparable).

The queries and their right answers are findability.py's for the set (``--set``: the
text as staff type it, any record of the person right on the old set). The database must
hold the set already (findability.py loads it); with ``--load`` this script loads it the
same way, otherwise it refuses (a shared database is never written to by accident).

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_findability_big \
       python bench/linkage/search_ab.py --data bench/data/hard1000000 --before 11d9897 \
           [--set hard|febrl|old] [--step 2] [--load] --out result.json
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
    ap.add_argument("--set", choices=fa.SETS, default="hard")
    ap.add_argument("--step", type=int, default=1, help="every N-th query")
    ap.add_argument("--load", action="store_true", help="load the set if it is not loaded")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows, labelled = fa.labelled(a.data, a.set)
    if not a.load and not fa._loaded(rows):
        sys.exit(f"the database does not hold {a.data} ({a.set}); load it or pass --load")
    region, munis = fa.registry_bench.territories()
    coordinator, _ = fa.registry_bench.staff(region, munis[0])
    loaded = fa.load(rows, munis)
    queries = labelled[:: a.step]
    vocabulary.forget()
    vocabulary.vocabulary()
    systems = {"before": module_at(a.before), "after": after}
    seen: dict[str, dict[str, Any]] = {name: {"ms": [], "rank": []} for name in systems}
    load_seen = [os.getloadavg()[0]]
    for n, q in enumerate(queries):
        order = list(systems) if n % 2 else list(reversed(systems))
        right = q["right"]
        for name in order:
            t0 = time.perf_counter()
            hits = systems[name].person_search(user=coordinator, text=q["text"]).hits[:10]
            seen[name]["ms"].append((time.perf_counter() - t0) * 1000)
            ranks = [i + 1 for i, h in enumerate(hits) if h.person.pk in right]
            if right:
                seen[name]["rank"].append(ranks[0] if ranks else None)
        if n % 50 == 0:
            load_seen.append(os.getloadavg()[0])
    out: dict[str, Any] = {"data": a.data, "set": a.set, "before": a.before,
                           "machine": fa.common.machine_info(), "queries": len(queries),
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
