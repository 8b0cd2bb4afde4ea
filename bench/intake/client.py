"""Concurrent clients POSTing signals with linking; prints JSON with throughput and latency.

Each signal is about one child: half of them real registry persons (the setup's sample file,
so the engine links them), half new children with frequency-weighted names (the registry
creates them). Stdlib only, so the client costs little CPU next to the server.

Usage: client.py PORT TOKEN SECONDS CLIENTS
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ochag.demo.names import father_name, first_names, patronymic_of, surnames  # noqa: E402

INDICATORS = [
    ["persistent_truancy"],
    ["housing_debt", "low_income"],
    ["signs_of_violence"],
    ["cruelty"],
]


def child(rng: random.Random, known: list[list[str]]) -> dict[str, str]:
    if rng.random() < 0.5:
        last, first, patr, birth = rng.choice(known)
    else:
        sex = rng.choice("MF")
        last = surnames().pick(rng)[0 if sex == "M" else 1]
        first = first_names(sex).pick(rng)[0]
        patr = patronymic_of(father_name(rng), sex)
        birth = f"{rng.randint(2008, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"last_name": last, "first_name": first, "patronymic": patr, "birth_date": birth}


def worker(port: int, token: str, until: float, known: list[list[str]], out: list[float],
           errors: list[int], seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < until:
        body = json.dumps({
            "basis": "duty_art9", "municipality": f"9{rng.randrange(10):07d}",
            "original_text": "Бенчмарк", "indicators": rng.choice(INDICATORS),
            "children": [child(rng, known)],
        }, ensure_ascii=False).encode()  # fmt: skip
        started = time.monotonic()
        try:
            conn.request("POST", "/api/signals/", body=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
            response = conn.getresponse()
            response.read()
            ok = response.status == 201
        except OSError:
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append(time.monotonic() - started)
        if not ok:
            errors.append(1)


def main() -> None:
    port, token, seconds, clients = (
        int(sys.argv[1]),
        sys.argv[2],
        float(sys.argv[3]),
        int(sys.argv[4]),
    )
    sample = os.environ.get("BENCH_SAMPLE_FILE", "/tmp/bench_intake_sample.json")
    known = json.loads(Path(sample).read_text(encoding="utf-8"))
    latencies: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    args = (port, token, until, known, latencies, errors)
    # Fresh seeds every run: the "new" children of a run are new to the registry, as the
    # first run's were (fixed seeds would report the same ones again, and link them).
    base = time.time_ns()
    threads = [threading.Thread(target=worker, args=(*args, base + i)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    print(json.dumps({
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
        "errors": len(errors),
        "throughput_per_s": round((len(latencies) - len(errors)) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
