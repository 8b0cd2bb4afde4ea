"""Matching benchmark: the engine against the peer rule baseline on one seeded region.

The peer baseline is what a rule system does without an engine: keep the families
that pass the per-child hard constraints (valid conclusion, form of care, health
needs) and rank them by distance alone; each child is ranked on its own, so brothers
and sisters are not held together. Both run on the same region in the same process.

A placement round (the same seeded order of children for both) gives each child or
sibling group the best-ranked family that still has room: that is where the score's
choices show (coverage of the hard-to-place, siblings kept together).
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.matching.generate import ON, region
from ochag.matching import (
    ChildPool,
    FamilyPool,
    FamilyProfile,
    Unit,
    distance_km,
    fairness_report,
    placement_units,
)

Ranker = Callable[[Unit, int | None], list[FamilyProfile]]
RESULTS = Path(__file__).resolve().parents[1] / "results"


def engine_ranker(pool: FamilyPool) -> Ranker:
    return lambda unit, k: [m.family for m in pool.rank(unit, limit=k)]


def baseline_ranker(pool: FamilyPool) -> Ranker:
    def rank(unit: Unit, k: int | None) -> list[FamilyProfile]:
        scored = ((distance_km(unit.home, f.home), f.key, f) for f in pool.candidates(unit))
        best = sorted(scored) if k is None else heapq.nsmallest(k, scored)
        return [f for _, _, f in best]

    return rank


def preference_fit(unit: Unit, family: FamilyProfile) -> float:
    """Share of the family's stated wishes the pair meets (ages, sex, health readiness,
    distance limit, language): one yardstick for both methods."""
    km = distance_km(unit.home, family.home)
    checks = [
        all(family.age_min <= c.age <= family.age_max for c in unit.children),
        not family.sex or all(c.sex == family.sex for c in unit.children),
        max(c.health_group for c in unit.children) <= family.health_group_max,
        family.max_distance_km is None or km <= family.max_distance_km,
        all(not c.language or c.language in family.languages for c in unit.children),
    ]
    return sum(checks) / len(checks)


def placement_round(units: list[Unit], rank: Ranker, seed: int) -> dict[str, str]:
    """child key -> family key; each unit takes its best-ranked family with room left."""
    room: dict[str, int] = {}
    placed: dict[str, str] = {}
    order = list(units)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda u: u.children[0].together_with or u.key)  # siblings in a row
    random.Random(seed).shuffle(order)
    for unit in order:
        k: int | None = 20
        while True:
            ranked = rank(unit, k)
            free = [f for f in ranked if room.get(f.key, f.capacity) >= unit.size]
            if free or k is None or len(ranked) < k:
                break
            k = None if k >= 320 else k * 4  # the best are taken: look further down
        if free:
            family = free[0]
            room[family.key] = room.get(family.key, family.capacity) - unit.size
            for child in unit.children:
                placed[child.key] = family.key
    return placed


def _placed_together(unit: Unit, placed: dict[str, str]) -> bool:
    families = {placed.get(c.key) for c in unit.children}
    return len(families) == 1 and None not in families


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed[T](fn: Callable[[T], object], items: list[T]) -> list[float]:
    """Milliseconds per call, one call per item."""
    result = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        result.append((time.perf_counter() - start) * 1000)
    return result


def evaluate(
    name: str, units: list[Unit], report_units: list[Unit], rank: Ranker, seed: int
) -> dict[str, Any]:
    """`units` are what the method ranks; coverage is counted over `report_units`, the
    children as the engine groups them (a group is covered when every child of it is)."""
    groups = [u for u in report_units if u.size > 1]
    tops = {u.key: rank(u, 1) for u in units}
    with_top = [(u, tops[u.key][0]) for u in units if tops[u.key]]
    placed = placement_round(units, rank, seed)
    together = [
        g
        for g in groups
        if all(c.key in placed for c in g.children)
        and len({placed[c.key] for c in g.children}) == 1
    ]
    has = {c.key for u in units if tops[u.key] for c in u.children}
    candidate = fairness_report(report_units, lambda u: all(c.key in has for c in u.children))
    # Placed lawfully: a must-be-together group counts only when all went to one family.
    round_cover = fairness_report(report_units, lambda u: _placed_together(u, placed))
    return {
        "method": name,
        "units_with_a_candidate": len(with_top),
        "mean_top_km": statistics.fmean(distance_km(u.home, f.home) for u, f in with_top),
        "mean_top_preference_fit": statistics.fmean(preference_fit(u, f) for u, f in with_top),
        "children_placed_in_round": len(placed),
        "sibling_groups_kept_together": len(together) / len(groups) if groups else 0.0,
        "coverage_at_least_one_candidate": {
            r.group.value: [r.covered, r.children] for r in candidate
        },
        "coverage_placed_in_round": {r.group.value: [r.covered, r.children] for r in round_cover},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--samples", type=int, default=300, help="rankings timed per direction")
    args = parser.parse_args()

    started = time.perf_counter()
    children, families = region(args.seed, args.children, args.families)
    units = placement_units(children)
    groups = [u for u in units if u.size > 1]  # must-be-together sibling groups
    # The peer sees every child on its own: no group is held together.
    singles = placement_units(replace(c, together_with="") for c in children)
    pool = FamilyPool(families, ON)
    child_pool = ChildPool(units)
    built = time.perf_counter() - started

    rng = random.Random(args.seed)
    sample_units = rng.sample(units, min(args.samples, len(units)))
    sample_families = rng.sample(families, min(args.samples, len(families)))
    engine, baseline = engine_ranker(pool), baseline_ranker(pool)
    # The baseline family direction: the same hard filter, children by distance alone.
    singles_pool = ChildPool(singles)

    def baseline_children(f: FamilyProfile) -> object:
        near = ((distance_km(u.home, f.home), u.key) for u in singles_pool.candidates(f, ON))
        return heapq.nsmallest(10, near)

    # What the child page's cached pool saves on each view (besides loading the rows):
    # building the region's family pool from the profiles, median of 5.
    pool_builds = sorted(timed(lambda fs: FamilyPool(fs, ON), [families] * 5))

    times = {
        "engine_child_vs_families": timed(lambda u: engine(u, 10), sample_units),
        "baseline_child_vs_families": timed(lambda u: baseline(u, 10), sample_units),
        "engine_family_vs_children": timed(lambda f: child_pool.rank(f, ON, 10), sample_families),
        "baseline_family_vs_children": timed(baseline_children, sample_families),
    }

    quality = [
        evaluate("engine", units, units, engine, args.seed),
        evaluate("baseline", singles, units, baseline, args.seed),
    ]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    result: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
        "commit": commit,
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "region": {
            "seed": args.seed,
            "children": len(children),
            "families": len(families),
            "families_with_valid_conclusion": len(pool),
            "units": len(units),
            "sibling_groups_must_be_together": len(groups),
        },
        "build_seconds": built,
        "family_pool_build_ms_median_of_5": pool_builds[2],
        "latency_ms": {
            name: {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95), "max": max(v)}
            for name, v in times.items()
        },
        "quality": quality,
        "total_seconds": time.perf_counter() - started,
    }
    RESULTS.mkdir(exist_ok=True)
    stem = f"matching-{result['when'].replace(':', '')}-{commit}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    report = markdown(result)
    (RESULTS / "matching-latest.md").write_text(report)
    print(report)


def _share(pair: list[int]) -> str:
    covered, total = pair
    return f"{covered / total:.1%} ({covered}/{total})" if total else "—"


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# Matching benchmark ({result['when']} UTC, commit {result['commit']})",
        "",
        f"Command: `bash bench/matching/run.sh` · region {result['region']} · "
        f"machine {result['machine']} · {result['total_seconds']:.0f} s in all",
        "",
        "| latency, ms | p50 | p95 | max |",
        "|---|---|---|---|",
    ]
    for name, row in result["latency_ms"].items():
        lines.append(f"| {name} | {row['p50']:.1f} | {row['p95']:.1f} | {row['max']:.1f} |")
    if "family_pool_build_ms_median_of_5" in result:
        build = result["family_pool_build_ms_median_of_5"]
        lines += ["", f"Family pool build (saved by the child page's cache): {build:.0f} ms"]
    engine, baseline = result["quality"]
    lines += ["", "| quality | engine | peer baseline |", "|---|---|---|"]
    for key in ("mean_top_km", "mean_top_preference_fit", "sibling_groups_kept_together"):
        fmt = "{:.1f}" if key == "mean_top_km" else "{:.1%}"
        lines.append(f"| {key} | {fmt.format(engine[key])} | {fmt.format(baseline[key])} |")
    placed = "children_placed_in_round"
    lines.append(f"| {placed} | {engine[placed]} | {baseline[placed]} |")
    for kind in ("coverage_at_least_one_candidate", "coverage_placed_in_round"):
        for group, pair in engine[kind].items():
            lines.append(f"| {kind}: {group} | {_share(pair)} | {_share(baseline[kind][group])} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
