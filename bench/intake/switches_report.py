"""Summarise one session of bench/intake/switches.sh into bench/results/intake-switches-SESSION.md.

A mechanism is kept only if switching it off costs at least 15 % of throughput or of p95
latency (issue 11 §6), comparing the medians of the session's rounds; the import's rows/s
with the plain INSERT and COPY on and off are reported beside them.

Usage: python bench/intake/switches_report.py SESSION
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"
CONFIGS = ("both-on", "inserts-off", "combiner-off")
THRESHOLD = 15.0


def _rows_per_s(run: dict) -> float:
    return float((run["bulk_import"] or {}).get("rows_per_s", 0.0))


def main(session: str) -> None:
    runs: dict[str, list[dict]] = {c: [] for c in CONFIGS}
    for path in sorted(RESULTS.glob(f"intake-*-switches-{session}-r*.json")):
        config = next(c for c in CONFIGS if path.stem.endswith(c))
        runs[config].append({"file": path.name, **json.loads(path.read_text())})
    base = runs["both-on"]
    if not base:
        sys.exit(f"no runs of session {session}")
    first = base[0]
    rows = (first["bulk_import"] or {}).get("rows", 0)
    lines = [
        f"# Intake switches ({session}, commit {first['commit']})",
        "",
        f"Registry: {first['registry_persons']:,} persons; API: {first['api']['clients']} clients,"
        f" {first['api']['seconds']} s per run, gunicorn {first['server']['gunicorn_workers']}x"
        f"{first['server']['gunicorn_threads']}; "
        + (
            f"then an import of {rows:,} rows (its 500-row batches are written by COPY and do"
            " not go through the combiner; each import grows the registry by the children it"
            " reports as new)"
            if rows
            else "no import"
        )
        + ". Machine: 2 cores shared with other engineers' jobs (load averages per run below):"
        " figures are noisy.",
        "Command: `bench/intake/switches.sh "
        f"{first['registry_persons'] // 1000 * 1000} {round(first['api']['seconds'])}"
        f" {len(base)} {rows}` (each round runs its configurations in the order of the table).",
        "",
        "| round | configuration | signals/s | p50 ms | p95 ms | errors | import rows/s |"
        " load before |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i in range(len(base)):
        for config in CONFIGS:
            if i < len(runs[config]):
                r = runs[config][i]
                api = r["api"]
                lines.append(
                    f"| {i + 1} | {config} | {api['throughput_per_s']} | {api['p50_ms']} |"
                    f" {api['p95_ms']} | {api['errors']} | {_rows_per_s(r)} |"
                    f" {r['machine']['load_average_before']} |"
                )

    def median(config: str, key: str) -> float:
        return statistics.median(r["api"][key] for r in runs[config])

    lines += [
        "",
        "| mechanism | throughput on / off (median) | p95 on / off (median) | gain | verdict |",
        "|---|---|---|---|---|",
    ]
    for config, name in (("inserts-off", "plain INSERT"), ("combiner-off", "API combiner")):
        if not runs[config]:
            continue
        t_on, t_off = median("both-on", "throughput_per_s"), median(config, "throughput_per_s")
        p_on, p_off = median("both-on", "p95_ms"), median(config, "p95_ms")
        throughput_gain = (t_on / t_off - 1) * 100
        p95_gain = (1 - p_on / p_off) * 100
        keep = throughput_gain >= THRESHOLD or p95_gain >= THRESHOLD
        verdict = "keep" if keep else "remove"
        lines.append(
            f"| {name} | {t_on} / {t_off} | {p_on} / {p_off} ms |"
            f" throughput {throughput_gain:+.1f} %, p95 {p95_gain:+.1f} % |"
            f" {verdict} (threshold {THRESHOLD:.0f} %) |"
        )
    if rows:
        i_on = statistics.median(_rows_per_s(r) for r in runs["both-on"])
        i_off = statistics.median(_rows_per_s(r) for r in runs["inserts-off"])
        gain = (i_on / i_off - 1) * 100
        verdict = "keep" if gain >= THRESHOLD else "below the threshold"
        lines += [
            "",
            "| mechanism | import rows/s on / off (median) | gain | verdict |",
            "|---|---|---|---|",
            f"| plain INSERT and COPY | {i_on} / {i_off} | {gain:+.1f} % |"
            f" {verdict} (threshold {THRESHOLD:.0f} %) |",
        ]
    lines += ["", "Result files: " + ", ".join(f"`{r['file']}`" for c in CONFIGS for r in runs[c])]
    out = RESULTS / f"intake-switches-{session}.md"
    out.write_text("\n".join(lines) + "\n")
    print(out.read_text())


if __name__ == "__main__":
    main(sys.argv[1])
