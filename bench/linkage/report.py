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
    lines += ["", "## Targets", ""]
    by = {(Path(r["data"]).name, r["system"]): r for r in runs}
    for name in sorted(
        {Path(r["data"]).name for r in runs if Path(r["data"]).name.startswith("ru")}
    ):
        o, sp = by.get((name, "ochag.linkage")), by.get((name, "splink"))
        if o and "realtime" in o:
            t = o["realtime"]
            ok = t["p50_ms"] <= 15 and t["p95_ms"] <= 40
            lines.append(
                f"- {name}: real time p50 {t['p50_ms']:.2f} ms (≤ 15), p95 {t['p95_ms']:.2f} ms "
                f"(≤ 40) → {'met' if ok else 'MISSED'}"
            )
        if o and sp and "batch" in o and "batch" in sp:
            fo, fs = o["accuracy"]["pairwise_f1"], sp["accuracy"]["pairwise_f1"]
            ho = o["accuracy"]["hard_negatives_wrongly_merged"]
            hs = sp["accuracy"]["hard_negatives_wrongly_merged"]
            wo, ws = o["batch"]["wall_seconds"], sp["batch"]["wall_seconds"]
            lines.append(
                f"- {name}: batch F1 {fo:.3f} vs Splink {fs:.3f} → "
                f"{'met' if fo >= fs else 'MISSED'}; wrongly merged hard negatives {ho} vs "
                f"{hs} (≤ half) → {'met' if ho * 2 <= hs else 'MISSED'}; wall time {wo:.1f} s "
                f"vs {ws:.1f} s → {'met' if wo <= ws else 'MISSED'}"
            )
        if o and sp and "realtime" in o and "realtime" in sp:
            lines.append(
                f"- {name}: real-time p50 ratio Splink/ours = "
                f"{sp['realtime']['p50_ms'] / max(o['realtime']['p50_ms'], 1e-9):.0f}×"
            )
    loads = [
        f"{Path(r['data']).name}/{r['system']}: {r.get('load_average_at_end')}"
        for r in runs
        if r.get("load_average_at_end")
    ]
    if loads:
        lines += ["", "Load average (1/5/15 min) at the end of each run: " + "; ".join(loads)]
    prof = Path(run_dir) / "profile-ours.txt"
    if prof.exists():
        top = prof.read_text("utf-8").splitlines()
        lines += ["", "## Profile of ours (cProfile, batch pipeline, first Russian set)", "", "```"]
        lines += [ln for ln in top if ln.strip()][:60]
        lines += ["```"]
    notes = Path(run_dir) / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text("utf-8")]
    (RESULTS / "linkage-latest.md").write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
