"""Timing pages through the real views, shared by the page benchmarks (bench/care/bench.py,
bench/monitoring/measure.py): a page's queries and its p50/p95.

Import it after ``django.setup()``. One percentile formula for every bench that uses it: the
nearest-rank p-th percentile, the smallest time with at least p % of the times at or below
it (index ceil(p/100 × n) − 1 of the sorted times; with 30 requests, p95 is the 29th).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.test import Client


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ``values`` (0 < p ≤ 100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(times_ms: Sequence[float]) -> dict[str, float]:
    """p50 (the median) and p95 of times in milliseconds, rounded to 0.1 ms."""
    return {
        "p50_ms": round(statistics.median(times_ms), 1),
        "p95_ms": round(percentile(times_ms, 95), 1),
    }


def measure(client: Client, url: str, repeat: int) -> dict[str, Any]:
    """One warm-up request, one with its queries counted, then ``repeat`` timed ones."""
    client.get(url)  # warm caches
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    # Counted at the driver call: the debug query log is emptied when a request starts.
    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return {"url": url, "queries": len(executed), "requests": repeat, **summary(times)}
