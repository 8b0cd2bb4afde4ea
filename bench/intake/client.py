"""16 concurrent clients POSTing signals with linking; prints JSON with throughput and latency."""

from __future__ import annotations

import http.client
import json
import random
import statistics
import sys
import threading
import time
import uuid

LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Соколов", "Лебедев", "Козлов"]
FIRST = ["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Максим", "Артём"]
IND = [["persistent_truancy"], ["housing_debt", "low_income"], ["signs_of_violence"], ["cruelty"]]


def worker(port: int, token: str, until: float, out: list[float], errors: list[int], seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        body = json.dumps({
            "basis": "duty_art9", "municipality": "90000000", "original_text": "Бенчмарк",
            "indicators": rng.choice(IND),
            "children": [{"last_name": rng.choice(LAST), "first_name": rng.choice(FIRST), "patronymic": "Петрович",
                          "birth_date": f"{rng.randint(2008, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}],
        }, ensure_ascii=False).encode()
        started = time.monotonic()
        try:
            conn.request("POST", "/api/signals/", body=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4())})
            response = conn.getresponse()
            response.read()
            ok = response.status == 201
        except OSError:
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append(time.monotonic() - started)
        if not ok:
            errors.append(1)


def main() -> None:
    port, token, seconds, clients = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    latencies: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=worker, args=(port, token, until, latencies, errors, i))
               for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    print(json.dumps({
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies), "errors": len(errors),
        "throughput_per_s": round((len(latencies) - len(errors)) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
    }))


if __name__ == "__main__":
    main()
