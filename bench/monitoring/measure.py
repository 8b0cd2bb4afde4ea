"""Times the monitoring pages on the generated region (``generate.py``) through the real
views (Django's test client, signed in), and compares with baselines in the same run.

Pages: the coordinator's dashboard (the region, this year), a municipality head's dashboard,
form 103-РИК for the year, the risk-score audit. For each: p50 and p95 of the requests and
the queries of one request.

The dashboards are timed twice on the same data: first with no kept counts (every tile
counted live: the baseline, and what a period no refresh keeps costs), then after one
refresh (``services.indicator_values_refresh``, timed: its duration is how much older than
"now" a kept number can be, on top of the refresh period), from the kept counts; every
figure of every tile is checked equal to the live one. A month of the year before last (not
kept) is timed live as well.

``--old-baselines`` adds the previous session's baselines (some four minutes at 1 M):
* ``naive``: the dashboard's counts read one COUNT query per indicator and window, against
  :func:`selectors.dashboard`'s one conditional-aggregate query per indicator (same numbers,
  checked);
* ``open_at_previous``: the six families/children-at-a-level indicators with the previous
  ``cases.figures.open_at_q`` against the current one (same numbers, checked).

Writes bench/results/monitoring-<time>-<commit>.json and monitoring-latest.md.
Usage: DATABASE_URL=postgres://... python bench/monitoring/measure.py [--repeat 30]
       [--generated '<generate.py JSON line>'] [--old-baselines]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q, Subquery  # noqa: E402
from django.db.models.lookups import Exact  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.timing import measure, summary  # noqa: E402
from ochag.access.clients import signed_in  # noqa: E402
from ochag.access.models import User  # noqa: E402
from ochag.cases.models import CaseStatus, CaseStatusChange  # noqa: E402
from ochag.monitoring import indicators as registry  # noqa: E402
from ochag.monitoring.indicators import Count  # noqa: E402
from ochag.monitoring.models import IndicatorSnapshot  # noqa: E402
from ochag.monitoring.periods import Period, Window  # noqa: E402
from ochag.monitoring.services import indicator_values_refresh  # noqa: E402

P95_TARGET_MS = 300
FORM_TARGET_MS = 5000
FAMILY_CODES = [
    "families_sop",
    "children_sop",
    "families_tzhs",
    "children_tzhs",
    "families_early",
    "children_early",
]


def timed(fn: Callable[[], Any], repeat: int, warm: bool = True) -> tuple[Any, dict[str, float]]:
    result = fn() if warm else None
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return result, summary(times)


def _windows(period: Period) -> dict[str, Window]:
    out = {"cur": period.window, "prev": period.previous.window}
    out |= {m.key: m.window for m in period.months() if m.started()}
    return out


def naive_counts(path: str, period: Period) -> dict[str, dict[str, int]]:
    """One COUNT per indicator and window."""
    windows = _windows(period)
    return {
        i.code: {key: registry.rows(i, path, w).count() for key, w in windows.items()}
        for i in registry.all_indicators()
        if isinstance(i, Count)
    }


def grouped_counts(path: str, period: Period) -> dict[str, dict[str, int]]:
    windows = _windows(period)
    return {
        i.code: registry.counts_over(i, path, windows)
        for i in registry.all_indicators()
        if isinstance(i, Count)
    }


def previous_open_at_q(moment: dt.datetime, level: str | None = None) -> Q:
    """``cases.figures.open_at_q`` as it was at 914b652 (the baseline)."""
    q = Q(opened_at__lt=moment) & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
    earlier_close = CaseStatusChange.objects.filter(
        case_id=OuterRef("case_id"), status=CaseStatus.CLOSED, at__lt=OuterRef("at")
    )
    reopened = CaseStatusChange.objects.filter(
        Q(status=CaseStatus.OPEN) & Q(Exists(earlier_close))
    ).values("case_id")
    last_before = (
        CaseStatusChange.objects.filter(case_id=OuterRef("pk"), at__lt=moment)
        .order_by("-at", "-pk")
        .values("status")[:1]
    )
    q &= ~(Q(pk__in=reopened) & Q(Exact(Subquery(last_before), CaseStatus.CLOSED)))
    if level is not None:
        q &= Q(level=level)
    return q


def previous_family_indicator(indicator: Count) -> Count:
    import dataclasses

    level = indicator.code.split("_", 1)[1]
    level = {"early": "early", "sop": "sop", "tzhs": "tzhs"}[level]
    if indicator.code.startswith("families"):

        def condition(w: Window) -> Q:
            return previous_open_at_q(w.moment, level)

    else:

        def condition(w: Window) -> Q:
            from ochag.cases.models import Case

            households = Case.objects.filter(previous_open_at_q(w.moment, level)).values(
                "household_id"
            )
            return Q(household_id__in=households)

    return dataclasses.replace(indicator, condition=condition, series=None)


def family_counts(path: str, period: Period, previous: bool) -> dict[str, dict[str, int]]:
    windows = _windows(period)
    out = {}
    for code in FAMILY_CODES:
        indicator = registry.count(code)
        if previous:
            indicator = previous_family_indicator(indicator)
        out[code] = registry.counts_over(indicator, path, windows)
    return out


def _kept_equals_live(coordinator: User, head: User) -> bool:
    """Every figure of every tile read as the dashboard view reads it from the kept counts
    equals the one counted live."""
    from ochag.monitoring import snapshots
    from ochag.monitoring.selectors import Tile, dashboard, scope_for

    def texts(tiles: list[Tile]) -> dict[str, list[str]]:
        return {
            t.indicator.code: [t.value.text, t.previous.text, *(f.text for f in t.trend)]
            for t in tiles
        }

    period = Period(timezone.localdate().year)
    same = True
    for user in (coordinator, head):
        scope = scope_for(user, None)
        assert scope is not None
        kept = snapshots.kept_for(scope.territory)
        assert kept is not None
        counts = kept.counts_for(period, timezone.now())
        from_kept = dashboard(scope, period, kept=counts)
        assert all(t.indicator.code in counts for t in from_kept if isinstance(t.indicator, Count))
        same = same and texts(from_kept) == texts(dashboard(scope, period))
    return same


def old_baselines(path: str, period: Period, slow: int) -> dict[str, Any]:
    """The previous session's baselines (``--old-baselines``; some four minutes at 1 M)."""
    grouped, grouped_t = timed(lambda: grouped_counts(path, period), slow)
    naive, naive_t = timed(lambda: naive_counts(path, period), slow)
    current, current_t = timed(lambda: family_counts(path, period, False), slow)
    # The previous open_at_q takes tens of seconds a call at full scale: timed once, cold.
    before, before_t = timed(lambda: family_counts(path, period, True), 1, warm=False)
    return {
        "dashboard_counts": {
            "grouped": grouped_t,
            "naive": naive_t,
            "queries_grouped": len(grouped),
            "queries_naive": sum(len(v) for v in naive.values()),
            "same_numbers": grouped == naive,
            "p50_ratio_naive_to_grouped": round(naive_t["p50_ms"] / grouped_t["p50_ms"], 2),
        },
        "family_indicators": {
            "current": current_t,
            "previous_open_at": before_t,
            "same_numbers": current == before,
            "p50_ratio_previous_to_current": round(before_t["p50_ms"] / current_t["p50_ms"], 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--generated", default="{}")
    parser.add_argument(
        "--old-baselines",
        action="store_true",
        help="Also time the naive per-window counts and the previous open_at_q.",
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    generated = json.loads(args.generated or "{}")
    year = timezone.localdate().year
    coordinator = User.objects.get(username="coordinator")
    head = User.objects.get(username="head")
    region = coordinator.scope_territory.region  # type: ignore[union-attr]
    assert region is not None
    period = Period(year)
    dashboard = reverse("monitoring:dashboard") + f"?period={year}"
    # Not kept by a refresh (its trend reaches back three years): always counted live.
    other = reverse("monitoring:dashboard") + f"?period={year - 2}-05"
    live_repeat = max(3, args.repeat // 2)
    # The baseline first, before any refresh: no kept counts, every tile counted live.
    IndicatorSnapshot.objects.all().delete()
    live = {
        "coordinator_dashboard_live": measure(signed_in(coordinator), dashboard, live_repeat),
        "municipality_dashboard_live": measure(signed_in(head), dashboard, live_repeat),
    }
    assert not IndicatorSnapshot.objects.exists()
    start = time.perf_counter()
    done = indicator_values_refresh(region=region)
    refresh_s = round(time.perf_counter() - start, 1)
    assert done is not None and done.taken_at is not None
    kept_rows = IndicatorSnapshot.objects.filter(territory__path__startswith=region.path)
    refresh = {
        "seconds": refresh_s,
        "territories": kept_rows.count(),
        "counts_kept": sum(
            len(values) for row in kept_rows.only("counts") for values in row.counts.values()
        ),
    }
    kept_same = _kept_equals_live(coordinator, head)
    pages = {
        "coordinator_dashboard": measure(signed_in(coordinator), dashboard, args.repeat),
        "municipality_dashboard": measure(signed_in(head), dashboard, args.repeat),
        **live,
        "coordinator_other_period_live": measure(signed_in(coordinator), other, live_repeat),
        "form_103": measure(
            signed_in(coordinator), reverse("monitoring:form103") + f"?year={year}", args.repeat
        ),
        "risk_audit": measure(
            signed_in(coordinator),
            reverse("monitoring:risk_audit") + f"?period={year}",
            max(5, args.repeat // 3),
        ),
    }
    baselines: dict[str, Any] = {
        "kept_vs_live": {
            "same_numbers": kept_same,
            **{
                who: {
                    "p50_ratio_live_to_kept": round(
                        pages[f"{who}_live"]["p50_ms"] / pages[who]["p50_ms"], 1
                    ),
                    "p95_ratio_live_to_kept": round(
                        pages[f"{who}_live"]["p95_ms"] / pages[who]["p95_ms"], 1
                    ),
                }
                for who in ("coordinator_dashboard", "municipality_dashboard")
            },
        }
    }
    if args.old_baselines:
        baselines |= old_baselines(region.path, period, max(3, args.repeat // 10))
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        pg = cursor.fetchone()[0].split(",")[0]
    load = os.getloadavg()
    record: dict[str, Any] = {
        "commit": commit,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgres": pg,
            "django": django.get_version(),
            "loadavg_1_5_15": [round(x, 2) for x in load],
        },
        "repeat": args.repeat,
        "generated": generated,
        "pages": pages,
        "refresh": refresh,
        "baselines": baselines,
        "targets": {
            "dashboards_p95_met": all(
                pages[p]["p95_ms"] <= P95_TARGET_MS
                for p in ("coordinator_dashboard", "municipality_dashboard")
            ),
            "form_103_met": pages["form_103"]["p95_ms"] <= FORM_TARGET_MS,
        },
    }
    out = ROOT / "bench" / "results"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    (out / f"monitoring-{stamp}-{commit}.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2)
    )
    rows = generated.get("rows", {})
    lines = [
        f"# Monitoring benchmark ({record['at']}, commit {commit})",
        "",
        f"{pg}, Python {record['machine']['python']}, Django {record['machine']['django']}, "
        f"{record['machine']['cpus']} CPUs shared with other work (load average "
        f"{', '.join(str(x) for x in record['machine']['loadavg_1_5_15'])} at the end). "
        f"Region: {rows.get('registry_person', '?')} persons, "
        f"{rows.get('signals_signal', '?')} signals over two years, "
        f"{rows.get('cases_case', '?')} cases, {rows.get('care_placement', '?')} placements; "
        f"generated in {generated.get('seconds', {}).get('total', '?')} s. "
        f"Requests per page as in the table (p95 of a few requests is their slowest).",
        "",
        "| page | queries | requests | p50 ms | p95 ms | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in pages.items():
        target = (
            f"p95 ≤ {P95_TARGET_MS} ms"
            if name in ("coordinator_dashboard", "municipality_dashboard")
            else f"≤ {FORM_TARGET_MS} ms"
            if name == "form_103"
            else "—"
        )
        lines.append(
            f"| {name} | {r['queries']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {target} |"
        )
    k = baselines["kept_vs_live"]
    lines += [
        "",
        f"Dashboards from the kept counts against the same pages counted live (same run, "
        f"same data): coordinator p50 {k['coordinator_dashboard']['p50_ratio_live_to_kept']}× "
        f"/ p95 {k['coordinator_dashboard']['p95_ratio_live_to_kept']}× faster, "
        f"municipality p50 {k['municipality_dashboard']['p50_ratio_live_to_kept']}× / p95 "
        f"{k['municipality_dashboard']['p95_ratio_live_to_kept']}×; every figure of every tile "
        f"equal to the live one: {k['same_numbers']}. The refresh that kept them (region and "
        f"{refresh['territories'] - 1} municipalities, {refresh['counts_kept']} numbers): "
        f"{refresh['seconds']} s.",
    ]
    if "dashboard_counts" in baselines:
        lines += _old_lines(baselines)
    lines += [
        "",
        f"Generation: {json.dumps(generated.get('seconds', {}), ensure_ascii=False)}",
    ]
    (out / "monitoring-latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _old_lines(baselines: dict[str, Any]) -> list[str]:
    d, f = baselines["dashboard_counts"], baselines["family_indicators"]
    return [
        "",
        "| baseline (same run) | p50 ms | p95 ms | against | p50 ms | p95 ms | ratio "
        "| same numbers |",
        "|---|---|---|---|---|---|---|---|",
        f"| every count, one query per window ({d['queries_naive']} queries) | "
        f"{d['naive']['p50_ms']} | {d['naive']['p95_ms']} | one query per indicator "
        f"({d['queries_grouped']}) | {d['grouped']['p50_ms']} | {d['grouped']['p95_ms']} | "
        f"{d['p50_ratio_naive_to_grouped']} | {d['same_numbers']} |",
        f"| six families/children indicators, previous open_at_q | "
        f"{f['previous_open_at']['p50_ms']} | {f['previous_open_at']['p95_ms']} | current | "
        f"{f['current']['p50_ms']} | {f['current']['p95_ms']} | "
        f"{f['p50_ratio_previous_to_current']} | {f['same_numbers']} |",
    ]


if __name__ == "__main__":
    main()
