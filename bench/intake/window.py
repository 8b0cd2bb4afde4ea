"""The intake's tolerant look-up with and without its birth-date window (linkage.birth_reach):
for chunks of reported people as the import batches them, the registry rows one statement
reads and PostgreSQL's planning and execution times (EXPLAIN ANALYZE), alternating, on the
intake benchmark's registry. The reported people are drawn as bench/intake/bulk.py draws its
rows (a third known registry persons, the rest new).

Usage: DATABASE_URL=postgres://.../bench_intake BENCH_SAMPLE_FILE=/tmp/bench_intake_sample.json \
       python bench/intake/window.py [--people 50] [--chunks 6] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "intake"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

import bulk  # noqa: E402
from django.db import connection  # noqa: E402

from ochag.core.models import Territory  # noqa: E402
from ochag.registry.candidates import query_record, search_scope  # noqa: E402
from ochag.registry.keyplan import KeyPlan, plan_records  # noqa: E402
from ochag.registry.search import name_plan  # noqa: E402


def _plans(people: int, seed: int) -> list[KeyPlan]:
    plans = []
    for line in bulk.rows(people, random.Random(seed))[1:]:
        last, first, patr, date, *_ = line.split(";")
        day, month, year = date.split(".")
        plan = name_plan(query_record(last, first, patr, f"{year}-{month}-{day}", "", 0))
        if plan is not None:
            plans.append(plan)
    return plans


def _explain(base: Any, plans: list[KeyPlan]) -> dict[str, float]:
    """EXPLAIN ANALYZE of the statement plan_records runs for `plans`, and its rows."""
    statements: list[tuple[str, Any]] = []

    def grab(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(grab):
        found = plan_records(base, plans, 100)
    sql, params = statements[-1]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        report = cursor.fetchone()[0]
    report = json.loads(report) if isinstance(report, str) else report
    return {
        "rows": sum(len(f) for f in found),
        "planning_ms": round(report[0]["Planning Time"], 1),
        "execution_ms": round(report[0]["Execution Time"], 1),
    }


def _commit() -> str:
    git = ["git", "rev-parse", "--short=12", "HEAD"]
    return subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--chunks", type=int, default=6)
    parser.add_argument("--out")
    args = parser.parse_args()
    municipalities = list(
        Territory.objects.filter(level=Territory.Level.MUNICIPALITY).values_list("pk", flat=True)
    )
    base = search_scope(municipalities)
    runs: dict[str, list[dict[str, float]]] = {"window": [], "every date": []}
    for chunk in range(args.chunks + 1):
        plans = _plans(args.people, chunk)
        for side, chosen in (("window", plans), ("every date", [replace(p, born=None)
                                                                for p in plans])):  # fmt: skip
            measured = _explain(base, chosen)
            if chunk:  # the first chunk warms the caches of both sides
                runs[side].append(measured)
    result = {
        "command": "bench/intake/window.py " + " ".join(sys.argv[1:]),
        "commit": _commit(),
        "registry_persons": search_scope(municipalities).count(),
        "people_per_statement": args.people,
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
        "median": {
            side: {k: round(statistics.median(r[k] for r in rs), 1) for k in rs[0]}
            for side, rs in runs.items()
        },
        "runs": runs,
    }
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
