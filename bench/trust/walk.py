"""URL walker per role over the demo region (run by bench/trust/run.sh, in-process through
Django's test client against the bench database): every page any demo role reaches by its
links, asked for by every demo role and anonymously. Writes bench/results/trust-walk-latest.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=60, help="pages each role crawls, at most")
    parser.add_argument("--variants", type=int, default=1, help="query strings per path")
    args = parser.parse_args()

    import django

    django.setup()
    from ochag.access.models import User
    from ochag.access.urlwalk import walk
    from ochag.registry.policies import households, persons

    def record_visible(user: User, view_name: str, kwargs: dict[str, str]) -> bool | None:
        if view_name == "registry:person_detail":
            return persons.visible(user).filter(pk=kwargs["pk"]).exists()
        if view_name == "registry:household_detail":
            return households.visible(user).filter(pk=kwargs["pk"]).exists()
        return None

    users = {u.username: u for u in User.objects.filter(is_demo=True).select_related("agency")}
    result = walk(users, limit=args.pages, record_visible=record_visible, variants=args.variants,
                  log=lambda line: print(line, flush=True))  # fmt: skip
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    rows = []
    for name in [*sorted(users), "anonymous"]:
        counts = result.statuses[name]
        rows.append({
            "role": name if name == "anonymous" else f"{name} ({users[name].get_role_display()})",
            "reached": len(result.reached.get(name, ())),
            "requests": sum(counts.values()),
            **{str(s): counts.get(s, 0) for s in (200, 302, 403, 404)},
            "5xx": sum(n for s, n in counts.items() if s >= 500),
        })  # fmt: skip
    summary = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "urls": len(result.urls),
        "requests": result.requests,
        "server_errors": result.server_errors,
        "failures": result.failures,
        "seconds": round(result.seconds, 1),
        "roles": rows,
        "slowest": [[round(t, 2), who, url] for t, who, url in result.slowest],
    }
    out = ROOT / "bench" / "results"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    (out / f"trust-walk-{stamp}-{commit}.json").write_text(json.dumps(summary, indent=2) + "\n")
    lines = [
        f"# URL walker per role ({summary['when']}, {commit})",
        "",
        f"{summary['machine']}; demo region, PostgreSQL, in-process client. "
        f"Command: `bash bench/trust/run.sh`. {summary['urls']} distinct URLs reached by the "
        f"{len(users)} demo roles (at most {args.pages} pages each), each asked for by every "
        f"role and anonymously: **{summary['requests']} requests, "
        f"{summary['server_errors']} answered 5xx**, {len(result.failures)} failed a check, "
        f"{summary['seconds']} s.",
        "",
        "| role | pages reached | requests | 200 | 302 | 403 | 404 | 5xx |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {r['role']} | {r['reached']} | {r['requests']} | {r['200']} | {r['302']} | "
            f"{r['403']} | {r['404']} | {r['5xx']} |"
            for r in rows
        ),
        "",
        "Checks that failed:" if result.failures else "Every check held.",
        *(f"- `{f}`" for f in result.failures[:50]),
        "",
        "Slowest answers (s, who, URL):",
        *(f"- {t:.1f} s {who} `{url}`" for t, who, url in result.slowest),
        "",
    ]
    (out / "trust-walk-latest.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
