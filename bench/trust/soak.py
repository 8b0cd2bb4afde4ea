"""A soak of simulated staff sessions over HTTP (run by bench/trust/run.sh) against gunicorn
on PostgreSQL, with the session idle limit shortened (OCHAG_SESSION_SECONDS) so idling can be
seen within the run.

Each session is a signed-in staff member of the demo region (the session is written to the
database as a sign-in with the second factor would). Most sessions work: a page every 20–40 s
(the home page, the signal queue, a person search, the case list) and the header bell's
background poll every 60 s, as an open tab does. Some sessions only have the tab open: the
background poll and nothing else. What must hold: no request fails (5xx or a broken
connection), no working session is ever signed out, and every idle-only session is signed out
after the idle limit and not before. Bounded: --sessions sessions, --seconds of run time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

PAGES = ["/", "/signals/", "/registry/?q=" + urllib.parse.quote("Иванова"), "/cases/"]
POLL_EVERY = 60.0


@dataclass
class Session:
    cookie: str
    idle_only: bool
    # When the server's idle clock started for this session (its last-activity stamp), on the
    # monotonic clock: signing out is measured from here, not from the run's start (creating
    # 300 sessions takes seconds, which once read as "signed out 2 s early").
    stamped: float
    pages: list[float] = field(default_factory=list)
    polls: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    signed_out_at: float | None = None


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, float, str]:
    """One request on a new connection: a session's requests are tens of seconds apart, far
    beyond the server's keep-alive, as a browser tab's are."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location") or ""
        return response.status, time.perf_counter() - started, location
    finally:
        conn.close()


def run_session(s: Session, port: int, bell: str, until: float, start: float,
                rng: random.Random) -> None:  # fmt: skip
    base = {"Cookie": s.cookie}
    poll = {**base, "HX-Request": "true", "X-Ochag-Background": "1"}
    next_poll = time.monotonic() + rng.uniform(0, POLL_EVERY)
    next_page = time.monotonic() + (rng.uniform(0, 20) if not s.idle_only else float("inf"))
    while True:
        now = time.monotonic()
        due = min(next_poll, next_page)
        if due >= until:
            return
        time.sleep(max(0.0, due - now))
        is_poll = next_poll <= next_page
        path, headers = (bell, poll) if is_poll else (rng.choice(PAGES), base)
        try:
            status, seconds, location = _get(port, path, headers)
        except Exception as exc:  # any failure is counted and the session goes on
            s.errors.append(f"{path}: {type(exc).__name__}")
            status, seconds, location = 0, 0.0, ""
        (s.polls if is_poll else s.pages).append(seconds)
        if status >= 500:
            s.errors.append(f"{path}: {status}")
        if status == 401 or (status == 302 and "/account/login/" in location):
            s.signed_out_at = time.monotonic() - s.stamped
            return
        if is_poll:
            next_poll += POLL_EVERY
        else:
            next_page = time.monotonic() + rng.uniform(20, 40)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--idle-share", type=float, default=0.1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
    from django.contrib.auth import SESSION_KEY as AUTH_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from ochag.access.idle import LAST_ACTIVITY_KEY
    from ochag.access.middleware import SESSION_KEY as TWO_FACTOR_KEY
    from ochag.access.models import AGGREGATE_ONLY_ROLES, User

    idle_limit = int(os.environ["OCHAG_SESSION_SECONDS"])
    staff = list(
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(role__in=AGGREGATE_ONLY_ROLES)
        .order_by("pk")
    )
    rng = random.Random(12)
    sessions = []
    # More sessions than staff accounts: some staff have a second browser open.
    for i in range(args.sessions):
        user = staff[i % len(staff)]
        store = SessionStore()
        store[AUTH_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[TWO_FACTOR_KEY] = user.pk
        stamped = time.monotonic()
        store[LAST_ACTIVITY_KEY] = time.time()
        store.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
        idle_only = i % round(1 / args.idle_share) == 0
        sessions.append(Session(cookie, idle_only=idle_only, stamped=stamped))
    bell = reverse("access:bell") if _has("access:bell") else "/"
    start = time.monotonic()
    until = start + args.seconds
    threads = [
        threading.Thread(target=run_session, args=(s, args.port, bell, until, start,
                                                   random.Random(rng.random())), daemon=True)
        for s in sessions
    ]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.seconds + 120)
    wall = time.monotonic() - start

    idle = [s for s in sessions if s.idle_only]
    working = [s for s in sessions if not s.idle_only]
    ended = sorted(s.signed_out_at for s in idle if s.signed_out_at is not None)
    early = [t for t in ended if t < idle_limit]
    late = [t for t in ended if t > idle_limit + POLL_EVERY + 30]
    pages = [x for s in sessions for x in s.pages]
    polls = [x for s in sessions for x in s.polls]
    errors = [e for s in sessions for e in s.errors]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "server": "gunicorn 2 workers x 8 threads, PostgreSQL, loopback",
        "sessions": len(sessions),
        "staff_accounts": min(len(staff), len(sessions)),
        "idle_only": len(idle),
        "seconds": round(wall, 1),
        "idle_limit_seconds": idle_limit,
        "bell": bell,
        "requests": len(pages) + len(polls),
        "errors": len(errors),
        "error_samples": errors[:20],
        "page_p50_ms": round(statistics.median(pages) * 1000) if pages else None,
        "page_p95_ms": round(p95(pages) * 1000),
        "poll_p50_ms": round(statistics.median(polls) * 1000) if polls else None,
        "poll_p95_ms": round(p95(polls) * 1000),
        "working_signed_out": sum(s.signed_out_at is not None for s in working),
        "idle_signed_out": len(ended),
        "idle_signed_out_early": len(early),
        "idle_signed_out_late": len(late),
        "idle_signed_out_after_s": [round(t) for t in ended[:3]] + [round(t) for t in ended[-3:]],
    }
    out = ROOT / "bench" / "results"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    (out / f"trust-soak-{stamp}-{commit}.json").write_text(json.dumps(result, indent=2) + "\n")
    r = result
    text = (
        f"# Session soak ({r['when']}, {commit})\n\n"
        f"{r['machine']}; {r['server']}; demo region. Command: `bash bench/trust/run.sh` "
        f"(SOAK_SESSIONS, SOAK_SECONDS, SOAK_IDLE_LIMIT).\n\n"
        f"{r['sessions']} signed-in staff sessions for {r['seconds']} s, idle limit "
        f"{idle_limit} s: {r['sessions'] - r['idle_only']} working (a page every 20–40 s and "
        f"the bell's background poll every 60 s), {r['idle_only']} with only the tab open "
        f"(the poll alone).\n\n"
        "| figure | value |\n|---|---|\n"
        f"| requests | {r['requests']} |\n"
        f"| errors (5xx or broken connection) | {r['errors']} |\n"
        f"| page p50 / p95 | {r['page_p50_ms']} / {r['page_p95_ms']} ms |\n"
        f"| background poll p50 / p95 | {r['poll_p50_ms']} / {r['poll_p95_ms']} ms |\n"
        f"| working sessions signed out | {r['working_signed_out']} of "
        f"{r['sessions'] - r['idle_only']} |\n"
        f"| idle-only sessions signed out | {r['idle_signed_out']} of {r['idle_only']} "
        f"(before the limit: {r['idle_signed_out_early']}; more than a poll late: "
        f"{r['idle_signed_out_late']}) |\n"
        f"| idle sessions ended after (s, first and last) | "
        f"{', '.join(map(str, r['idle_signed_out_after_s']))} |\n"
    )
    (out / "trust-soak-latest.md").write_text(text)
    print(text)


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


if __name__ == "__main__":
    main()
