"""Concurrent bursts over HTTP (run by bench/trust/run.sh): 40 wrong passwords for one login,
20 at a time, and 20 public reports from one address at once. Counts what the server checked
and accepted from the database afterwards."""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import http.cookiejar
import json
import os
import platform
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")


def wait_for(port: int, pid: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        os.kill(pid, 0)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/account/login/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


def post_form(base: str, path: str, data: dict[str, str | list[str]]) -> int:
    """GET the form for its CSRF cookie and token, then POST it; the answer's status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + path, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token.group(1)}, doseq=True)
    request = urllib.request.Request(base + path, data=body.encode(), headers={"Referer": base})
    try:
        with opener.open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    args = parser.parse_args()
    wait_for(args.port, args.server_pid)
    base = f"http://127.0.0.1:{args.port}"

    import django

    django.setup()
    from django.conf import settings

    from ochag.access.models import User
    from ochag.core.models import AuditEvent, Territory
    from ochag.signals.models import Channel, Signal

    login = "demo.school"
    user = User.objects.get(username=login)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(
            pool.map(
                lambda _: post_form(base, "/account/login/", {"username": login, "password": "x"}),
                range(40),
            )
        )
    login_seconds = time.monotonic() - started
    checked = AuditEvent.objects.filter(action="login_failed", object_id=str(user.pk)).count()
    locks = AuditEvent.objects.filter(action="locked_out", object_id=str(user.pk)).count()

    municipality = Territory.objects.filter(level=Territory.Level.MUNICIPALITY).order_by("pk")[0]
    report = {
        "territory": str(municipality.pk),
        "original_text": "bench",
        "indicators": ["low_income"],
    }
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        public = list(pool.map(lambda _: post_form(base, "/signals/report/", report), range(20)))
    public_seconds = time.monotonic() - started
    stored = Signal.objects.filter(
        channel=Channel.PUBLIC, original_text__startswith="bench"
    ).count()

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "server": "gunicorn 2 workers x 8 threads, PostgreSQL, loopback",
        "lockout": {
            "attempts": 40,
            "concurrency": 20,
            "limit": settings.LOGIN_MAX_FAILURES,
            "passwords_checked": checked,
            "lock_entries": locks,
            "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "seconds": round(login_seconds, 2),
        },
        "public_form": {
            "reports": 20,
            "concurrency": 20,
            "limit_per_address": settings.OCHAG_PUBLIC_REPORTS_PER_ADDRESS,
            "accepted": public.count(200),
            "refused_429": public.count(429),
            "stored": stored,
            "seconds": round(public_seconds, 2),
        },
    }
    out = ROOT / "bench" / "results"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    (out / f"trust-{stamp}-{commit}.json").write_text(json.dumps(result, indent=2) + "\n")
    lock, pub = result["lockout"], result["public_form"]
    (out / "trust-latest.md").write_text(
        f"# Trust bursts ({result['when']}, {commit})\n\n"
        f"{result['machine']}; {result['server']}. Command: `bash bench/trust/run.sh`.\n\n"
        "| burst | sent | at once | limit | checked / accepted | stored |\n"
        "|---|---|---|---|---|---|\n"
        f"| wrong passwords, one login | {lock['attempts']} | {lock['concurrency']} | "
        f"{lock['limit']} | {lock['passwords_checked']} checked, "
        f"{lock['lock_entries']} lock | — |\n"
        f"| public reports, one address | {pub['reports']} | {pub['concurrency']} | "
        f"{pub['limit_per_address']} | {pub['accepted']} accepted, {pub['refused_429']} × 429 | "
        f"{pub['stored']} |\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
