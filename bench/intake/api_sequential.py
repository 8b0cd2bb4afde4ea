"""The API intake one request at a time, in process (Django's test client), for what each
request costs: wall time, this process's CPU time (Python) and the time spent in SQL
statements, and which statements. The bodies are drawn as bench/intake/client.py draws
them (half known registry persons, half new). No concurrency: what gunicorn's threads
overlap is not here, and the test client adds its own Python to every request.

It imports only the tree it runs in, so it can be copied into another revision's worktree
to compare (as bench/intake/before_after.sh does with run.sh and client.py).

Usage: DATABASE_URL=postgres://.../bench_intake python bench/intake/api_sequential.py
       [--requests 400] [--seed 1] [--out FILE]   (token and sample: /tmp/<database>_token,
       /tmp/<database>_sample.json, as bench/intake/run.sh writes them)
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "intake"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

import client as bench_client  # noqa: E402
from django.db.backends import utils  # noqa: E402
from django.test import Client  # noqa: E402

WARM_UP = 20


def _shape(sql: str) -> str:
    text = re.sub(r"\s+", " ", sql)
    return re.sub(r"%s(, %s)*", "%s..", text)[:150]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    token = Path(f"/tmp/{database}_token").read_text(encoding="utf-8").strip()
    known = json.loads(Path(f"/tmp/{database}_sample.json").read_text(encoding="utf-8"))
    rng = random.Random(args.seed)
    bodies = [
        json.dumps({"basis": "duty_art9", "municipality": f"9{rng.randrange(10):07d}",
                    "original_text": "Бенчмарк", "indicators": rng.choice(bench_client.INDICATORS),
                    "children": [bench_client.child(rng, known)]}, ensure_ascii=False)
        for _ in range(args.requests + WARM_UP)
    ]  # fmt: skip
    statements: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0])
    measuring = False
    real = utils.CursorWrapper._execute_with_wrappers

    def timed(self: Any, sql: str, params: Any, many: bool, executor: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(self, sql, params, many, executor)
        finally:
            if measuring:
                entry = statements[_shape(sql)]
                entry[0] += 1
                entry[1] += time.perf_counter() - started

    utils.CursorWrapper._execute_with_wrappers = timed  # type: ignore[method-assign]
    http = Client()

    def post(body: str) -> None:
        response = http.post("/api/signals/", data=body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {token}",
                             HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))  # fmt: skip
        if response.status_code != 201:
            sys.exit(f"the API answered {response.status_code}: {response.content[:300]!r}")

    for body in bodies[:WARM_UP]:
        post(body)
    measuring = True
    wall, cpu = time.perf_counter(), time.process_time()
    for body in bodies[WARM_UP:]:
        post(body)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = args.requests
    sql = sum(t for _, t in statements.values())
    git = ["git", "rev-parse", "--short=12", "HEAD"]
    result = {
        "commit": subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip(),
        "switches": {"OCHAG_INTAKE_TOLERANT": os.environ.get("OCHAG_INTAKE_TOLERANT", "1")},
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
        "requests": n,
        "ms_per_request": {
            "wall": round(1000 * wall / n, 2),
            "python_cpu": round(1000 * cpu / n, 2),
            "sql": round(1000 * sql / n, 2),
        },
        "statements_per_request": round(sum(c for c, _ in statements.values()) / n, 2),
        "statements": [
            {"sql": k, "per_request": round(c / n, 2), "ms_per_request": round(1000 * t / n, 3)}
            for k, (c, t) in sorted(statements.items(), key=lambda kv: -kv[1][1])[:20]
        ],
    }
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
