"""Findability report from one run directory of findability.sh.

Usage: python bench/linkage/findability_report.py RUN_DIR BASELINE ROWS [BIG] [--reuse JSON]
writes bench/results/findability-<date>-<commit>.json and bench/results/findability-latest.md.
--reuse takes the steps RUN_DIR lacks from an earlier report's JSON (the same data: e.g. the
baseline engine, whose figures a new commit does not change, or the PostgreSQL steps when
only the engine was re-run); the report names every reused step and the run it is from.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

SETS = ("hard", "febrl", "old")
TARGETS = {
    "search_recall_at_10": 0.95, "search_p95_ms": 100.0, "dedupe_f1": 0.92,
    "dedupe_precision": 0.98, "hit_at_1": 0.95, "review_known": 0.10, "false_links_of_new": 0.02,
    "intake_recreated": 0.02, "intake_linked_right": 0.90, "intake_wrong": 0.005,
}  # fmt: skip


def _load(run: Path, name: str) -> dict[str, Any]:
    path = run / name
    return json.loads(path.read_text()) if path.exists() else {}


def _check(value: float, target: float, lower_is_better: bool = False) -> str:
    ok = value <= target if lower_is_better else value >= target
    return "met" if ok else "**not met**"


def engine_table(res: dict[str, Any]) -> list[str]:
    out = [
        "| set | engine | hit@1 | hit@10 | linked right | review (known) | re-created | "
        "false links of new | dedupe P | dedupe R | dedupe F1 | wrong pairs | dedupe s | "
        "index build s | RSS after index MB | match p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for set_name in SETS:
        for who in ("this", "baseline"):
            r = res.get(f"engine-{set_name}-{who}", {})
            if not r:
                continue
            m, d = r["matching"], r.get("dedupe", {})
            out.append(
                f"| {set_name} | {who} | {m['hit_at_1']} | {m['hit_at_10']} | "
                f"{m['linked_right']} | {m['review_known']} | {m['recreated']} | "
                f"{m['false_links_of_new']} | {d.get('pairwise_precision')} | "
                f"{d.get('pairwise_recall')} | {d.get('pairwise_f1')} | {d.get('wrong_pairs')} | "
                f"{d.get('wall_s')} | {m['index_build_s']} | "
                f"{m.get('peak_rss_mb_after_index', '')} | {m['p95_ms']} |"
            )
    return out


def per_class_table(res: dict[str, Any]) -> list[str]:
    this = res.get("engine-hard-this", {}).get("matching", {}).get("per_class", {})
    base = res.get("engine-hard-baseline", {}).get("matching", {}).get("per_class", {})
    paths = res.get("paths", {})
    search = paths.get("search", {}).get("per_class", {})
    trgm = paths.get("search_pg_trgm", {}).get("per_class", {})
    intake = paths.get("intake", {}).get("per_class", {})
    bare = paths.get("intake_no_households", {}).get("per_class", {})
    out = [
        "| class | n | engine hit@1 (baseline) | engine linked right (baseline) | "
        "search recall@10 (pg_trgm) | search recall@1 | intake linked right (no households) | "
        "intake re-created / new | intake wrong |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for cls in sorted(this):
        t, b = this[cls], base.get(cls, {})
        s, g, i = search.get(cls, {}), trgm.get(cls, {}), intake.get(cls, {})
        out.append(
            f"| {cls} | {t['n']} | {t['hit_at_1']} ({b.get('hit_at_1', '')}) | "
            f"{t['linked_right']} ({b.get('linked_right', '')}) | "
            f"{s.get('recall_at_10', '–')} ({g.get('recall_at_10', '–')}) | "
            f"{s.get('recall_at_1', '–')} | {i.get('linked_right', '')} "
            f"({bare.get(cls, {}).get('linked_right', '')}) | "
            f"{i.get('recreated', '')} | {i.get('wrong', '')} |"
        )
    return out


def paths_key(set_name: str) -> str:
    """The run's JSON name of a set's staff search and intake step (the hard set's is the
    oldest, plain ``paths``)."""
    return "paths" if set_name == "hard" else f"paths-{set_name}"


def engine_class_table(res: dict[str, Any], set_name: str) -> list[str]:
    """Per class of one set: the engine, this commit (baseline), then the staff search and
    the intake where the set's paths step ran."""
    this = res.get(f"engine-{set_name}-this", {}).get("matching", {}).get("per_class", {})
    base = res.get(f"engine-{set_name}-baseline", {}).get("matching", {}).get("per_class", {})
    paths = res.get(paths_key(set_name), {})
    search = paths.get("search", {}).get("per_class", {})
    intake = paths.get("intake", {}).get("per_class", {})
    out = [
        "| class | n | hit@1 (baseline) | hit@10 (baseline) | linked right (baseline) | "
        "review (baseline) | re-created / new (baseline) | wrong link (baseline) | "
        "search recall@10 | search recall@1 | intake linked right | intake re-created / new "
        "| intake wrong |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for cls in sorted(set(this) | set(intake)):
        t, b = this.get(cls, {}), base.get(cls, {})
        c, i = search.get(cls, {}), intake.get(cls, {})
        out.append(
            f"| {cls} | {t.get('n', i.get('n', ''))} | "
            + " | ".join(f"{t.get(k, '')} ({b.get(k, '')})" for k in
                         ("hit_at_1", "hit_at_10", "linked_right", "review", "new", "wrong_link"))
            + f" | {c.get('recall_at_10', '–')} | {c.get('recall_at_1', '–')} | "
            f"{i.get('linked_right', '')} | {i.get('recreated', '')} | {i.get('wrong', '')} |"
        )  # fmt: skip
    return out


def reasons_table(res: dict[str, Any]) -> list[str]:
    """Per set and per coarse reason (bench/linkage/misses.py): the known queries of that
    reason, how many the search missed (not in the top 10) and the intake did not link."""
    out = [
        "| set | reason | known | search missed | intake not linked right |",
        "|---|---|---|---|---|",
    ]
    for set_name in SETS:
        paths = res.get(paths_key(set_name), {})
        search = paths.get("search", {}).get("misses_by_reason", {})
        intake = paths.get("intake", {}).get("misses_by_reason", {})
        for why in sorted(set(search) | set(intake)):
            c, i = search.get(why, {}), intake.get(why, {})
            out.append(f"| {set_name} | {why} | {c.get('known', i.get('known', ''))} | "
                       f"{c.get('missed', '')} | {i.get('missed', '')} |")  # fmt: skip
    return out if len(out) > 2 else []


def _dedupe_check(d: dict[str, Any]) -> str:
    f1, precision = d.get("pairwise_f1", 0), d.get("pairwise_precision", 0)
    ok = f1 >= TARGETS["dedupe_f1"] and precision >= TARGETS["dedupe_precision"]
    return "met" if ok else "**not met**"


def targets(res: dict[str, Any]) -> list[str]:
    out = []
    for set_name in SETS:
        r = res.get(f"engine-{set_name}-this", {})
        if not r:
            continue
        m, d = r["matching"], r.get("dedupe", {})
        out += [
            f"- {set_name} set, matching hit@1 {m['hit_at_1']} (≥ 0.95): "
            f"{_check(m['hit_at_1'], TARGETS['hit_at_1'])}",
            f"- {set_name} set, review of known people {m['review_known']} (≤ 0.10): "
            f"{_check(m['review_known'], TARGETS['review_known'], True)}",
            f"- {set_name} set, false links of new people {m['false_links_of_new']} (≤ 0.02): "
            f"{_check(m['false_links_of_new'], TARGETS['false_links_of_new'], True)}",
            f"- {set_name} set, dedupe F1 {d.get('pairwise_f1')} (≥ 0.92) with precision "
            f"{d.get('pairwise_precision')} (≥ 0.98): " + _dedupe_check(d),
        ]
    for set_name in SETS:
        paths = res.get(paths_key(set_name), {})
        if not paths:
            continue
        s, i = paths["search"], paths["intake"]
        out += [
            f"- {set_name} set, search recall@10 {s['recall_at_10']} (≥ 0.95): "
            f"{_check(s['recall_at_10'], TARGETS['search_recall_at_10'])}; p95 {s['p95_ms']} ms "
            f"(≤ 100): {_check(s['p95_ms'], TARGETS['search_p95_ms'], True)}",
            f"- {set_name} set, intake re-created {i['recreated']} (≤ 0.02): "
            f"{_check(i['recreated'], TARGETS['intake_recreated'], True)}; linked right "
            f"{i['linked_right']} (≥ 0.90): "
            f"{_check(i['linked_right'], TARGETS['intake_linked_right'])}; wrong "
            f"{i['linked_wrong']} (≤ 0.005): "
            f"{_check(i['linked_wrong'], TARGETS['intake_wrong'], True)}; false links of new "
            f"people {i['new_linked']} (≤ 0.02): "
            f"{_check(i['new_linked'], TARGETS['false_links_of_new'], True)}",
        ]
    return out


def _load_avg(run: Path) -> tuple[list[str], str]:
    """The load-average lines findability.sh wrote per step, and their 1-minute range."""
    path = run / "load.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    ones = [float(x.split()[2]) for x in lines if len(x.split()) >= 3]
    span = f"{min(ones):.1f}–{max(ones):.1f}" if ones else "not recorded"
    return lines, span


def big_table(res: dict[str, Any], big: int) -> list[str]:
    m = res.get("big-this", {}).get("matching", {})
    if not m:
        return []
    return [
        f"## Engine at {big:,} persons (hard set, real-time matching, this commit)",
        "",
        "| hit@1 | hit@10 | linked right | review (known) | re-created | false links of new | "
        "index build s | peak RSS MB | RSS the index added MB | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {m['hit_at_1']} | {m['hit_at_10']} | {m['linked_right']} | {m['review_known']} | "
        f"{m['recreated']} | {m['false_links_of_new']} | {m['index_build_s']} | "
        f"{m['peak_rss_mb_after_index']} | {m.get('index_rss_mb', '')} | {m['p50_ms']} | "
        f"{m['p95_ms']} |",
        "",
        f"- memory {m['peak_rss_mb_after_index']} MB peak (< 1536 MB = 1.5 GiB): "
        f"{_check(m['peak_rss_mb_after_index'], 1536.0, True)}; real-time p95 {m['p95_ms']} "
        f"ms (≤ 10): {_check(m['p95_ms'], 10.0, True)}",
        "",
    ]


SEARCH_HEADER = [
    "| set, system | known queries | recall@1 | recall@10 | zero results (known) | p50 ms "
    "| p95 ms | p99 ms |",
    "|---|---|---|---|---|---|---|---|",
]
INTAKE_COLUMNS = (
    "known | new | linked right | linked wrong | review with right | review without right | "
    "re-created | new linked (false) | new to review | new created | p50 ms | p95 ms |"
)
INTAKE_RULE = "|---|---|---|---|---|---|---|---|---|---|---|---|---|"


def _search_row(system: str, s: dict[str, Any]) -> str:
    return (
        f"| {system} | {s['known']} | {s['recall_at_1']} | {s['recall_at_10']} | "
        f"{s['zero_result_share_known']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} |"
    )


def _intake_rows(paths: dict[str, Any], set_name: str = "") -> list[str]:
    """One row per evidence the intake was measured with (findability.py's two runs; the
    sets without relatives have only the first, names and date)."""
    out = []
    for label, key in (("with household", "intake"), ("names and date only",
                                                       "intake_no_households")):  # fmt: skip
        i = paths.get(key)
        if i:
            if set_name:
                label = set_name + (", " + label if paths.get("intake_no_households") else "")
            out.append(
                f"| {label} | {i['known']} | {i['new']} | {i['linked_right']} | "
                f"{i['linked_wrong']} | {i['review_with_right']} | "
                f"{i['review_without_right']} | {i['recreated']} | {i['new_linked']} | "
                f"{i['new_review']} | {i['new_created']} | {i['p50_ms']} | {i['p95_ms']} |"
            )
    return out


def big_paths_table(res: dict[str, Any], big: int) -> list[str]:
    """Staff search and intake on the N-person registry in PostgreSQL (findability.sh --big)."""
    paths = res.get("paths-big", {})
    if not paths:
        return []
    s = paths["search"]
    out = [
        f"## Staff search and intake at {big:,} persons (PostgreSQL, hard set, this commit)",
        "",
        f"Registry loaded with COPY in {paths['load'].get('seconds', '(already loaded)')} s"
        f" ({paths['load']['persons']:,} persons); the near-spelling vocabulary loads in "
        f"{paths.get('vocabulary_load_s')} s per process.",
        "",
        *SEARCH_HEADER,
        _search_row("`person_search`", s),
    ]
    g = paths.get("search_pg_trgm")
    if g:
        out.append(_search_row("plain pg_trgm (baseline)", g))
    out += [
        "",
        "Slowest searches (ms): "
        + "; ".join(f"{ms} «{text}»" for ms, text in s.get("slowest", [])[:8]),
        "",
        "| intake evidence | " + INTAKE_COLUMNS,
        INTAKE_RULE,
        *_intake_rows(paths),
    ]
    search = s.get("per_class", {})
    intake = paths.get("intake", {}).get("per_class", {})
    out += [
        "",
        "| class (1 M) | n | search recall@10 | search recall@1 | intake linked right | "
        "intake re-created / new | intake wrong |",
        "|---|---|---|---|---|---|---|",
    ]
    for cls in sorted(set(search) | set(intake)):
        c, i = search.get(cls, {}), intake.get(cls, {})
        out.append(
            f"| {cls} | {i.get('n', c.get('n', ''))} | {c.get('recall_at_10', '–')} | "
            f"{c.get('recall_at_1', '–')} | {i.get('linked_right', '')} | "
            f"{i.get('recreated', '')} | {i.get('wrong', '')} |"
        )
    i = paths.get("intake", {})
    out += [
        "",
        f"- {big:,} persons, search recall@10 {s['recall_at_10']} (≥ 0.95): "
        f"{_check(s['recall_at_10'], TARGETS['search_recall_at_10'])}; p95 {s['p95_ms']} ms "
        f"(≤ 100): {_check(s['p95_ms'], TARGETS['search_p95_ms'], True)}",
    ]
    if i:
        out.append(
            f"- {big:,} persons, intake re-created {i['recreated']} (≤ 0.02): "
            f"{_check(i['recreated'], TARGETS['intake_recreated'], True)}; linked right "
            f"{i['linked_right']} (≥ 0.90): "
            f"{_check(i['linked_right'], TARGETS['intake_linked_right'])}; wrong "
            f"{i['linked_wrong']} (≤ 0.005): "
            f"{_check(i['linked_wrong'], TARGETS['intake_wrong'], True)}"
        )
    return [*out, ""]


def _reuse(res: dict[str, Any], path: str) -> list[str]:
    """Fill the steps `res` lacks from an earlier report's JSON; the names of those filled."""
    old = json.loads(Path(path).read_text())
    steps = [k for k in old if k.startswith(("engine-", "paths", "big-")) and k not in res]
    for k in steps:
        res[k] = old[k]
    return steps


def main() -> None:
    args = sys.argv[1:]
    reuse = ""
    if "--reuse" in args:
        i = args.index("--reuse")
        reuse = args[i + 1]
        del args[i : i + 2]
    run, baseline, rows = Path(args[0]), args[1], args[2]
    big = int(args[3]) if len(args) > 3 else 0
    res: dict[str, Any] = {name.removesuffix(".json"): _load(run, name)
                           for name in [p.name for p in sorted(run.glob("*.json"))]}  # fmt: skip
    reused = _reuse(res, reuse) if reuse else []
    res["reused"] = {"from": reuse, "steps": reused}
    res["machine"] = common.machine_info()
    packages = ["Django", "psycopg", "rapidfuzz", "pymorphy3", "pymorphy3-dicts-ru", "numpy",
                "iuliia", "russiannames"]  # fmt: skip
    res["versions"] = common.versions(packages)
    res["baseline"] = baseline
    res["rows"] = int(rows)
    load_lines, load_span = _load_avg(run)
    res["load_average"] = load_lines
    commit = str(res["machine"].get("git_commit", ""))[:12]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"]
    pg = subprocess.run(psql, capture_output=True, text=True).stdout.strip()
    res["postgresql"] = pg
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    out_json = ROOT / "bench" / "results" / f"findability-{stamp}-{commit}.json"
    out_json.write_text(json.dumps(res, ensure_ascii=False, indent=1))
    m = res["machine"]
    big_cmd = f" --big {big}" if big else ""
    lines = [
        f"# Findability (issue 19) — {stamp} UTC, commit {commit}",
        "",
        f"Machine: {m.get('cpu_model')}, {m.get('cores')} cores, {m.get('ram_gib')} GiB RAM, "
        f"Python {m.get('python')}, PostgreSQL {pg}. **Shared machine**: the 2 vCPU were shared "
        f"with other engineers' jobs; 1-minute load average {load_span} during the run (per "
        "step in the JSON), so every time below is inflated and noisy; the quality figures "
        "are not affected.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in res["versions"].items()),
        "",
        f"Scale: **{int(rows):,} registry persons** for every quality figure"
        + (
            f"; the real-time engine, the staff search and the intake also at {big:,}."
            if big
            else "."
        )
        + f" Reproduce: `bash bench/linkage/findability.sh --rows {rows} --baseline "
        f"{baseline}{big_cmd}` (raw figures: `{out_json.relative_to(ROOT)}`).",
        "",
        "Sets: **hard** = the independent set of `bench/linkage/hardset.py` (seed 5: "
        "russiannames frequencies, keyboard/OCR/phonetic error models, every iuliia scheme, "
        "pymorphy3 declension, short forms, former and double surnames, date errors, "
        "namesakes; 700 known + 300 new queries, each labelled with its class); **febrl** = "
        "`bench/linkage/febrlset.py` (seed 11: FEBRL's duplicate generator re-implemented — "
        "Zipf duplicates per original, 1–3 modifications per record of FEBRL's kinds: insert, "
        "delete, keyboard substitution, transposition, field swap, space, missing and new "
        "values, date digits; 700 known + 300 new); **old** = `bench/linkage/generate.py` "
        "(seed 1), 700 records of people with other records and 300 people with one record "
        f"(taken out of the registry) as queries. **baseline** = `ochag/linkage` at {baseline} "
        "(before this work), same data, same measurement.",
        "",
        *(
            [
                f"**Not re-measured in this run** (taken from `{reuse}`, the same data): "
                + ", ".join(f"`{k}`" for k in reused)
                + ". Their figures, times and load are that run's.",
                "",
            ]
            if reused
            else []
        ),
        "## Engine (CLI path: `Matcher.match`, `dedupe`, shipped parameters, no training)",
        "",
        *engine_table(res),
        "",
    ]
    measured = [(n, res[paths_key(n)]) for n in SETS if res.get(paths_key(n))]
    if measured:
        lines += [
            "## Staff search through the view's selector (PostgreSQL, coordinator scope)",
            "",
            "The febrl and old sets' queries are typed as the hard set's are "
            "(`hardset.staff_text`: any order and case, with or without the date).",
            "",
            *SEARCH_HEADER,
        ]
        for n, p in measured:
            lines.append(_search_row(f"{n}, `person_search`", p["search"]))
            if p.get("search_pg_trgm"):
                lines.append(_search_row(f"{n}, plain pg_trgm (baseline)", p["search_pg_trgm"]))
        lines += [
            "",
            "## Intake linking (`registry.candidates.Linker.resolve_query`, the path every "
            "signal takes)",
            "",
            "Only the hard set names the people a report names with the person (household "
            "evidence); the febrl and old sets are names, date and municipality (and the "
            "old set's SNILS where its record has one).",
            "",
            "| set, evidence | " + INTAKE_COLUMNS,
            INTAKE_RULE,
            *[row for n, p in measured for row in _intake_rows(p, n)],
            "",
        ]
    lines += big_table(res, big)
    lines += big_paths_table(res, big)
    lines += ["## Per error class (hard set)", "", *per_class_table(res), ""]
    if res.get("engine-febrl-this") or res.get("paths-febrl"):
        lines += ["## Per modification (FEBRL-style set; multi_N = N modifications)", "",
                  *engine_class_table(res, "febrl"), ""]  # fmt: skip
    if res.get("engine-old-this") or res.get("paths-old"):
        lines += ["## Old generator's set (known / new people)", "",
                  *engine_class_table(res, "old"), ""]  # fmt: skip
    reasons = reasons_table(res)
    if reasons:
        lines += ["## Staff search and intake misses by reason (`bench/linkage/misses.py`)", "",
                  *reasons, ""]  # fmt: skip
    lines += ["## Targets (issue 19)", "", *targets(res), ""]
    (ROOT / "bench" / "results" / "findability-latest.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
