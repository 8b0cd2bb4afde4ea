"""Merge per-run JSON files into bench/results/linkage-<date>.json and linkage-latest.md."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import common

RESULTS = common.ROOT / "bench" / "results"


def fmt(x: object, nd: int = 3) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def main(run_dir: str) -> None:
    runs = [json.loads(p.read_text("utf-8")) for p in sorted(Path(run_dir).glob("*.json"))]
    info = json.loads((Path(run_dir) / "machine.info").read_text("utf-8"))
    today = datetime.date.today().isoformat()
    out = {"date": today, "machine": info["machine"], "versions": info["versions"], "runs": runs}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"linkage-{today}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    m = info["machine"]
    lines = [
        f"# Linkage benchmark — {today}",
        "",
        f"Machine: {m['cpu_model']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; "
        f"Python {m['python']}; git {m['git_commit'][:12]}. **Shared machine**: the 2 vCPU "
        "were shared with other engineers' jobs during the run, so timings are noisy.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        "",
        "Ours = `ochag.linkage` (pure Python, 1 process), EM-trained on each data set without "
        "labels (time included in batch wall time). Peer = Splink 5 on DuckDB, threads=2, "
        "trained without labels (prior by deterministic rule, u by random sampling, m by EM "
        "with two blocking rules), clustered at match probability 0.95 like ours.",
        "",
        "## Batch de-duplication",
        "",
        "| data | rows | system | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 | "
        "hard negatives merged | wall s | comparisons | comparisons/s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        if "batch" not in r:
            continue
        a, b = r["accuracy"], r["batch"]
        hn = a.get("hard_negatives_wrongly_merged")
        hn_s = f"{hn} / {a.get('hard_negative_pairs')} {a.get('hard_negatives_by_kind', '')}"
        lines.append(
            f"| {Path(r['data']).name} | {r['rows']} | {r['system']} | "
            f"{fmt(a['pairwise_precision'])} | {fmt(a['pairwise_recall'])} | "
            f"{fmt(a['pairwise_f1'])} | {fmt(a['bcubed_precision'])} | "
            f"{fmt(a['bcubed_recall'])} | {fmt(a['bcubed_f1'])} | {hn_s} | "
            f"{fmt(b['wall_seconds'], 1)} | {fmt(b.get('comparisons'))} | "
            f"{fmt(b.get('comparisons_per_second'))} | {fmt(r.get('peak_rss_mb'), 0)} |"
        )
    lines += [
        "",
        "## Real time: one new record against the registry",
        "",
        "| data | registry rows | system | queries | p50 ms | p95 ms | p99 ms | recall@10 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        if "realtime" not in r:
            continue
        t = r["realtime"]
        lines.append(
            f"| {Path(r['data']).name} | {t['registry_rows']} | {r['system']} | {t['queries']} | "
            f"{fmt(t['p50_ms'])} | {fmt(t['p95_ms'])} | {fmt(t['p99_ms'])} | "
            f"{fmt(t.get('recall_at_10'))} |"
        )
    prof = Path(run_dir) / "profile-ours.txt"
    if prof.exists():
        top = prof.read_text("utf-8").splitlines()
        lines += ["", "## Profile of ours (cProfile, batch pipeline, largest set)", "", "```"]
        lines += [ln for ln in top if ln.strip()][:60]
        lines += ["```"]
    notes = Path(run_dir) / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text("utf-8")]
    (RESULTS / "linkage-latest.md").write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
