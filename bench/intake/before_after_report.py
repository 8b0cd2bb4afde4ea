"""Summarise one session of bench/intake/before_after.sh.

Writes bench/results/intake-before-after-SESSION.md and bench/results/intake-latest.md (the
after side's runs with the before/after table): the medians of the session's rounds per side
and their ratio after / before.

Usage: python bench/intake/before_after_report.py SESSION PERSONS LOAD_SECONDS IMPORT_ROWS
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"
SIDES = ("before", "after")
# (label, where in a run's JSON, better when higher)
MEASURES = (
    ("API signals/s", ("api", "throughput_per_s"), True),
    ("API p50 ms", ("api", "p50_ms"), False),
    ("API p95 ms", ("api", "p95_ms"), False),
    ("import rows/s", ("bulk_import", "rows_per_s"), True),
)


def value(run: dict, path: tuple[str, str]) -> float:
    return float(run[path[0]][path[1]])


def main(session: str, persons: int, load_seconds: int, rows: int) -> None:
    runs: dict[str, list[dict]] = {side: [] for side in SIDES}
    for side in SIDES:
        for path in sorted(RESULTS.glob(f"intake-*-before-after-{session}-r*-{side}.json")):
            runs[side].append({"file": path.name, **json.loads(path.read_text())})
    if not all(runs.values()):
        sys.exit(f"session {session} lacks a side: {[s for s in SIDES if not runs[s]]}")
    commits = {side: runs[side][0]["commit"][:7] for side in SIDES}
    first = runs["after"][0]
    tolerant = first.get("switches", {}).get("OCHAG_INTAKE_TOLERANT", True)
    command = (
        ("" if tolerant else "OCHAG_INTAKE_TOLERANT=0 ")
        + f"bench/intake/before_after.sh {commits['before']} {commits['after']}"
        f" {len(runs['after'])} {persons} {load_seconds} {rows}"
    )
    lines = [
        f"# Intake benchmark before / after ({session})",
        "",
        f"Before: {commits['before']}, after: {commits['after']}. Command: `{command}`: the two"
        " revisions alternate (before, after, ...) in one session, each on its own database of"
        f" {persons:,} persons at the start (every run adds the children it reports as new),"
        f" API {load_seconds} s with {first['api']['clients']} clients against gunicorn"
        f" {first['server']['gunicorn_workers']}x{first['server']['gunicorn_threads']}, then"
        f" {rows:,} rows imported. Machine: {first['machine']['cpu']},"
        f" {first['machine']['cores']} cores shared with other engineers' jobs (load averages"
        " per run below): figures are noisy; read the medians and the ratio, not one run."
        + (
            ""
            if tolerant
            else " The intake's tolerance (its tolerant look-up and, since 6b86ac4, its scorer's"
            " near-name blocking) is switched off (a measurement switch: what the rest costs"
            " without it; a revision that predates the switch ignores it)."
        ),
        "",
        "| round | side | commit | registry | signals/s | p50 / p95 ms | errors"
        " | import rows/s | load before API | load after import |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i in range(max(len(r) for r in runs.values())):
        for side in SIDES:
            if i >= len(runs[side]):
                continue
            r = runs[side][i]
            api, bulk = r["api"], r["bulk_import"]
            lines.append(
                f"| {i + 1} | {side} | {r['commit'][:7]} | {r['registry_persons']:,} |"
                f" {api['throughput_per_s']} | {api['p50_ms']} / {api['p95_ms']} |"
                f" {api['errors']} + {bulk['errors']} | {bulk['rows_per_s']} |"
                f" {r['machine']['load_average_before']} | {r['machine']['load_average_after']} |"
            )
    lines += [
        "",
        "| measure (median of the rounds) | before | after | after / before |",
        "|---|---|---|---|",
    ]
    for label, path, higher_is_better in MEASURES:
        before = statistics.median(value(r, path) for r in runs["before"])
        after = statistics.median(value(r, path) for r in runs["after"])
        better = (after > before) == higher_is_better
        lines.append(
            f"| {label} | {before:g} | {after:g} | {after / before:.2f}"
            f" ({'better' if better else 'worse'}) |"
        )
    lines += ["", "Result files: " + ", ".join(f"`{r['file']}`" for s in SIDES for r in runs[s])]
    text = "\n".join(lines) + "\n"
    (RESULTS / f"intake-before-after-{session}.md").write_text(text)
    latest = text + (
        "\nEarlier runs, what changed between them and where the time goes:"
        " `bench/results/intake-analysis.md` (written by hand).\n"
    )
    (RESULTS / "intake-latest.md").write_text(latest)
    print(text)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
