"""Care pages at regional scale, through the real views (Django's test client, signed in).

Builds two regions with the apps' public services: the target (2 000 children in care, 60
institutions, a sitting with 50 children on its agenda) and a baseline one tenth of its size
(agenda of 5). For each page it times REPEAT requests (p50, p95) and counts the queries of
one request; a page whose queries grow with its rows shows a different count in the two
regions. Writes bench/results/care-<time>-<commit>.json and care-latest.md.

Usage: DATABASE_URL=postgres://... python bench/care/bench.py [--children N] [--institutions N]
       [--agenda N] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# In place of the script's own folder: this file is bench.py and would shadow the bench package.
sys.path[0] = str(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.timing import measure  # noqa: E402
from ochag.access.clients import signed_in  # noqa: E402
from ochag.access.models import Agency, AgencyType, Role, User  # noqa: E402
from ochag.care import policies, selectors  # noqa: E402
from ochag.care.models import (  # noqa: E402  # noqa: E402
    Ground,
    InstitutionType,
    LegalStatus,
    MemberRole,
)
from ochag.care.services import commission, institutions, members, placements  # noqa: E402
from ochag.core.models import Territory  # noqa: E402
from ochag.registry.services import PersonData, person_create_many, person_prepare  # noqa: E402

SEED = 20261203
TYPES = [t for t, _ in InstitutionType.choices]
# Admissions at the parents' request join the next agenda by themselves: the bench assembles
# the agenda itself, so it admits on the other grounds.
GROUNDS = [g for g, _ in Ground.choices if g != Ground.PARENTS_REQUEST]
LAST_NAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова"]
FIRST_NAMES = ["Анна", "Мария", "Дарья", "Елена", "Ольга", "Софья"]


def build(name: str, children: int, n_institutions: int, agenda: int) -> dict[str, Any]:
    rng = random.Random(f"{SEED}:{name}")
    today = timezone.localdate()
    country, _ = Territory.objects.get_or_create(
        level=Territory.Level.COUNTRY, name="Российская Федерация", parent=None
    )
    region = Territory.objects.create(name=name, level=Territory.Level.REGION, parent=country)
    muns = [
        Territory.objects.create(
            name=f"{name}: район {i}", level=Territory.Level.MUNICIPALITY, parent=region
        )
        for i in range(10)
    ]
    ministry = Agency.objects.create(
        name=f"Министерство {name}", type=AgencyType.MINISTRY, territory=region
    )
    opeka = [
        Agency.objects.create(name=f"Опека {m.name}", type=AgencyType.GUARDIANSHIP, territory=m)
        for m in muns
    ]
    social = Agency.objects.create(
        name=f"Соцзащита {name}", type=AgencyType.SOCIAL_PROTECTION, territory=region
    )

    def user(login: str, agency: Agency, role: str) -> User:
        return User.objects.create(
            username=f"{login}-{region.pk}", agency=agency, role=role, last_name=login
        )

    coordinator = user("coordinator", ministry, Role.REGIONAL_COORDINATOR)
    placing = [user(f"opeka{i}", a, Role.GUARDIANSHIP_SPECIALIST) for i, a in enumerate(opeka)]
    chair = user("chair", social, Role.CASE_CURATOR)
    secretary = user("secretary", opeka[0], Role.GUARDIANSHIP_SPECIALIST)
    board = members.commission_create(actor=None, region=region, name=f"Комиссия {name}")
    members.member_add(actor=None, commission=board, user=chair, role=MemberRole.CHAIR)
    members.member_add(actor=None, commission=board, user=secretary, role=MemberRole.SECRETARY)
    homes = [
        institutions.institution_save(
            actor=coordinator,
            name=f"Учреждение {i + 1}",
            type=TYPES[i % len(TYPES)],
            operating_agency=ministry,
            territory=muns[i % len(muns)],
            capacity=60,
            distance_km=rng.randint(1, 400),
            travel_minutes=rng.randint(10, 500),
        )
        for i in range(n_institutions)
    ]
    people = person_create_many(
        actor=None,
        people=[
            person_prepare(
                data=PersonData(
                    territory=muns[i % len(muns)],
                    last_name=rng.choice(LAST_NAMES),
                    first_name=rng.choice(FIRST_NAMES),
                    birth_year=today.year - rng.randint(0, 17),
                    birth_month=rng.randint(1, 12),
                    birth_day=rng.randint(1, 28),
                )
            )
            for i in range(children)
        ],
    )
    for i, child in enumerate(people):
        admitted = today - dt.timedelta(days=rng.randint(1, 2000))
        placements.placement_admit(
            actor=placing[i % len(placing)],
            child=child,
            institution=homes[i % len(homes)],
            admitted_on=admitted,
            ground=GROUNDS[i % len(GROUNDS)],
            act_number=f"{i}-п",
            act_date=admitted,
            family_territory=muns[i % len(muns)],
            legal_status=LegalStatus.WITH_RIGHTS,
        )
    sitting = commission.sitting_create(
        actor=secretary, commission=board, date=today + dt.timedelta(days=1), place="Зал"
    )
    open_reviews = selectors.reviews_open(
        selectors.reviews_for(coordinator, policies.placements.visible(coordinator))
    ).filter(sitting__isnull=True)[:agenda]
    commission.agenda_add(actor=secretary, sitting=sitting, items=list(open_reviews))
    return {"coordinator": coordinator, "secretary": secretary, "sitting": sitting}


def pages(region: dict[str, Any], repeat: int) -> dict[str, Any]:
    coordinator = signed_in(region["coordinator"])
    secretary = signed_in(region["secretary"])
    return {
        "agenda": measure(secretary, reverse("care:sitting", args=[region["sitting"].pk]), repeat),
        "institutions": measure(
            coordinator, reverse("care:institutions") + "?per_page=100", repeat
        ),
        "children": measure(coordinator, reverse("care:children") + "?per_page=100", repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--institutions", type=int, default=60)
    parser.add_argument("--agenda", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    target = build("Бенчмарк-регион", args.children, args.institutions, args.agenda)
    baseline = build(
        "Базовый регион",
        max(1, args.children // 10),
        max(1, args.institutions // 10),
        max(1, args.agenda // 10),
    )
    built = time.perf_counter() - started
    load_before = os.getloadavg()
    results = {"target": pages(target, args.repeat), "baseline": pages(baseline, args.repeat)}
    load_after = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        pg = cursor.fetchone()[0].split(",")[0]
    record: dict[str, Any] = {
        "commit": commit,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgres": pg,
            "django": django.get_version(),
        },
        "params": vars(args),
        # 1/5/15-minute load averages when the timing started and ended (a shared machine).
        "load": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "build_seconds": round(built, 1),
        "pages": results,
        "queries_constant": all(
            results["target"][p]["queries"] == results["baseline"][p]["queries"]
            for p in results["target"]
        ),
    }
    out = ROOT / "bench" / "results"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    (out / f"care-{stamp}-{commit}.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2)
    )
    lines = [
        f"# Care pages benchmark ({record['at']}, commit {commit})",
        "",
        f"{record['machine']['postgres']}, Python {record['machine']['python']}, Django "
        f"{record['machine']['django']}, {record['machine']['cpus']} CPUs (shared). "
        f"Target: {args.children} children, {args.institutions} institutions, agenda of "
        f"{args.agenda}; baseline: one tenth. {args.repeat} requests per page. Load average "
        f"(1 min) {load_before[0]:.2f} at the start of the timing, {load_after[0]:.2f} at the "
        "end.",
        "",
        "| page | queries (target / baseline) | p50 ms | p95 ms | baseline p95 ms | p95 ratio |",
        "|---|---|---|---|---|---|",
    ]
    for page, r in results["target"].items():
        b = results["baseline"][page]
        lines.append(
            f"| {page} | {r['queries']} / {b['queries']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{b['p95_ms']} | {r['p95_ms'] / b['p95_ms']:.2f} |"
        )
    lines += ["", f"Queries constant in rows: {'yes' if record['queries_constant'] else 'NO'}."]
    (out / "care-latest.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
