"""A generated region for the monitoring benchmark, written with PostgreSQL COPY.

At ``--scale 1``: 1 000 000 persons in 300 000 households (20 municipalities), 100 000
signals a year over two years (each naming a child), 32 000 prevention cases of which
20 000 open now (3 % closed and re-opened once), three plan tasks and a risk assessment per
case, 30 000 referrals, 60 institutions with 2 000 children in care now and 1 500 discharged,
two placement reviews per placement, 300 data-bank profiles, 200 training records.
``--scale 0.01`` is a smoke run. Rows carry no real data (names from a short list).

Small reference rows (territories, agencies, users, services, institutions) go through the
ORM; the large tables are copied with their secondary indexes dropped and rebuilt after, and
foreign-key triggers off for the load (``session_replication_role = replica``), then
ANALYZE. Every value a model would default is taken from the model's own field defaults.

Usage: DATABASE_URL=postgres://... python bench/monitoring/generate.py [--scale 1.0]
Prints a JSON line with the counts and the seconds each step took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402

from ochag.access.models import Agency, AgencyType, Role, User  # noqa: E402
from ochag.care import models as care  # noqa: E402
from ochag.cases import models as cases  # noqa: E402
from ochag.core.models import Territory  # noqa: E402
from ochag.databank import models as bank  # noqa: E402
from ochag.monitoring.models import TrainingRecord  # noqa: E402
from ochag.registry import models as registry  # noqa: E402
from ochag.signals import models as signals  # noqa: E402
from ochag.support import models as support  # noqa: E402

SEED = 20261203
MUNICIPALITIES = 20
LAST = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов"]
FIRST = ["Анна", "Мария", "Иван", "Пётр", "Дарья", "Олег", "Софья", "Артём", "Ева", "Лев"]
CHANNELS = [c for c, _ in signals.Channel.choices]
COLOURS = [c for c, _ in signals.Colour.choices]
TRACKS = [c for c, _ in signals.Track.choices]
SIGNAL_STATUSES = [c for c, _ in signals.Status.choices]
LEVELS = [cases.Level.SOP] * 3 + [cases.Level.TZHS] * 4 + [cases.Level.EARLY] * 2 + ["none"]
GROUNDS = [c for c, _ in cases.ClosureGround.choices]
TASK_STATUSES = [c for c, _ in cases.TaskStatus.choices]
INSTITUTION_TYPES = [c for c, _ in care.InstitutionType.choices]
CARE_GROUNDS = [c for c, _ in care.Ground.choices]
CARE_OUTCOMES = [c for c, _ in care.Outcome.choices]
REVIEW_KINDS = [c for c, _ in care.ReviewKind.choices]
LEGAL = [c for c, _ in care.LegalStatus.choices]
FORMS = [c for c, _ in bank.FormOfCare.choices]


def _default(field: models.Field[Any, Any], now: dt.datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        return json.dumps(value) if isinstance(field, models.JSONField) else value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return ""
    return None


class Loader:
    """COPY rows of a model: each row a dict of the attributes it sets (the rest default)."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def copy(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        started = time.perf_counter()
        fields = list(model._meta.concrete_fields)
        names = [f.attname for f in fields]
        position = {name: i for i, name in enumerate(names)}
        template = [_default(f, self.now) for f in fields]
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        table = model._meta.db_table
        n = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = list(template)
                    for key, value in row.items():
                        values[position[key]] = value
                    copy.write_row(values)
                    n += 1
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT max(id) FROM {table}), 1))"
            )
        self.timings[table] = round(time.perf_counter() - started, 2)
        self.counts[table] = n
        return n


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        return list(cursor.fetchall())


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.random()


def reference(rng: random.Random) -> dict[str, Any]:
    country, _ = Territory.objects.get_or_create(
        level=Territory.Level.COUNTRY, name="Российская Федерация", parent=None
    )
    region = Territory.objects.create(
        name="Бенчмарк-область", level=Territory.Level.REGION, parent=country
    )
    muns = [
        Territory.objects.create(
            name=f"Район {i + 1:02d}", level=Territory.Level.MUNICIPALITY, parent=region
        )
        for i in range(MUNICIPALITIES)
    ]
    ministry = Agency.objects.create(
        name="Министерство", type=AgencyType.MINISTRY, territory=region
    )
    kinds = [
        AgencyType.GUARDIANSHIP,
        AgencyType.SOCIAL_PROTECTION,
        AgencyType.KDN,
        AgencyType.EDUCATION,
        AgencyType.HEALTH,
    ]
    agencies = {
        (m.pk, kind): Agency.objects.create(name=f"{kind} {m.name}", type=kind, territory=m)
        for m in muns
        for kind in kinds
    }

    def user(login: str, agency: Agency, role: str, supervisor: bool = False) -> User:
        return User.objects.create(
            username=login, agency=agency, role=role, last_name=login, is_supervisor=supervisor
        )

    coordinator = user("coordinator", ministry, Role.REGIONAL_COORDINATOR)
    analyst = user("analyst", ministry, Role.FEDERAL_ANALYST)
    head = user("head", agencies[(muns[0].pk, AgencyType.KDN)], Role.KDN_SECRETARY, True)
    curators = [
        user(f"curator{i}", agencies[(m.pk, AgencyType.SOCIAL_PROTECTION)], Role.CASE_CURATOR)
        for i, m in enumerate(muns)
    ]
    provider = support.Provider.objects.create(
        name="Региональный оператор",
        kind=support.ProviderKind.NGO,
        region=region,
        territory=muns[0],
        phone="+7 800 000-00-00",
        is_leading_operator=True,
    )
    provider.municipalities.set(muns)
    services = [
        support.Service.objects.create(
            provider=provider,
            type=service_type,
            name=service_type.name,
            format=support.ServiceFormat.HOME,
            capacity=500,
            cost_per_family_month=rng.choice([None, 9000, 12000, 18000]),
        )
        for service_type in support.ServiceType.objects.filter(is_active=True)[:6]
    ]
    institutions = [
        care.Institution.objects.create(
            name=f"Учреждение {i + 1}",
            type=INSTITUTION_TYPES[i % len(INSTITUTION_TYPES)],
            operating_agency=ministry,
            region=region,
            territory=muns[i % len(muns)],
            capacity=60,
        )
        for i in range(60)
    ]
    for kind in INSTITUTION_TYPES:
        care.MonthlyCost.objects.create(
            region=region, type=kind, per_child_month=rng.choice([90000, 120000, 160000])
        )
    return {
        "region": region,
        "muns": muns,
        "agencies": agencies,
        "ministry": ministry,
        "coordinator": coordinator,
        "analyst": analyst,
        "head": head,
        "curators": curators,
        "services": services,
        "institutions": institutions,
    }


def generate(scale: float) -> dict[str, Any]:
    rng = random.Random(SEED)
    loader = Loader()
    started = time.perf_counter()
    ref = reference(rng)
    muns: list[Territory] = ref["muns"]
    mun_ids = [m.pk for m in muns]
    now = timezone.now()
    today = timezone.localdate()
    two_years_ago = timezone.make_aware(dt.datetime(today.year - 1, 1, 1))
    four_years_ago = timezone.make_aware(dt.datetime(today.year - 3, 1, 1))

    n_persons = int(1_000_000 * scale)
    n_households = int(300_000 * scale)
    n_signals = int(100_000 * scale) * 2
    n_open, n_closed = int(20_000 * scale), int(12_000 * scale)
    n_in_care, n_discharged = int(2_000 * scale), int(1_500 * scale)
    big = [
        "registry_person",
        "registry_household",
        "registry_membership",
        "signals_signal",
        "signals_signalsubject",
        "cases_case",
        "cases_casestatuschange",
        "cases_task",
        "cases_riskassessment",
        "support_referral",
        "support_consent",
    ]
    indexes = _secondary_indexes(big)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    # Households: the municipality of each; persons fill them (adults first, then children).
    household_mun = [mun_ids[h % len(mun_ids)] for h in range(n_households)]
    loader.copy(
        registry.Household,
        (
            {"id": h + 1, "name": f"Семья {h + 1}", "territory_id": household_mun[h]}
            for h in range(n_households)
        ),
    )
    member_of = [rng.randrange(n_households) for _ in range(n_persons)]
    seen: dict[int, int] = {}
    roles: list[str] = []
    years: list[int] = []
    for household in member_of:
        order = seen.get(household, 0)
        seen[household] = order + 1
        adult = order < 2 and rng.random() < 0.8
        roles.append(registry.MemberRole.PARENT if adult else registry.MemberRole.CHILD)
        years.append(today.year - (rng.randint(22, 60) if adult else rng.randint(0, 17)))
    loader.copy(
        registry.Person,
        (
            {
                "id": p + 1,
                "last_name": LAST[p % len(LAST)],
                "first_name": FIRST[p % len(FIRST)],
                "sex": "F" if p % 2 else "M",
                "birth_year": years[p],
                "birth_month": 1 + p % 12,
                "birth_day": 1 + p % 28,
                "territory_id": household_mun[member_of[p]],
            }
            for p in range(n_persons)
        ),
    )
    loader.copy(
        registry.Membership,
        (
            {
                "id": p + 1,
                "household_id": member_of[p] + 1,
                "person_id": p + 1,
                "role": roles[p],
            }
            for p in range(n_persons)
        ),
    )
    children = [p + 1 for p in range(n_persons) if roles[p] == registry.MemberRole.CHILD]
    agencies = ref["agencies"]

    def signal_rows() -> Iterator[dict[str, Any]]:
        for s in range(n_signals):
            received = _between(rng, two_years_ago, now)
            mun = mun_ids[s % len(mun_ids)]
            channel = CHANNELS[s % len(CHANNELS)]
            routed = rng.random() < 0.9
            due = (received + dt.timedelta(days=3)).date() if routed else None
            taken = received + dt.timedelta(days=rng.choice([1, 2, 3, 5, 9])) if routed else None
            yield {
                "id": s + 1,
                "number": f"S-{s + 1}",
                "channel": channel,
                "basis": signals.Basis.CITIZEN,
                "received_at": received,
                "reporting_agency_id": None
                if channel == signals.Channel.HELPLINE
                else agencies[(mun, AgencyType.EDUCATION)].pk,
                "territory_id": mun,
                "household_id": rng.randrange(n_households) + 1 if s % 2 else None,
                "original_text": "Сообщение (сгенерировано для бенчмарка)",
                "colour": COLOURS[s % len(COLOURS)],
                "track": TRACKS[s % len(TRACKS)],
                "routed_to_id": agencies[(mun, AgencyType.SOCIAL_PROTECTION)].pk
                if routed
                else None,
                "status": SIGNAL_STATUSES[s % len(SIGNAL_STATUSES)],
                "due_date": due,
                "taken_at": taken if taken and taken < now else None,
                "created_at": received,
            }

    loader.copy(signals.Signal, signal_rows())
    loader.copy(
        signals.SignalSubject,
        (
            {
                "id": s + 1,
                "signal_id": s + 1,
                "role": signals.SubjectRole.CHILD,
                "first_name": "Ребёнок",
                "birth_date": "" if s % 10 == 0 else "2015-03-04",
            }
            for s in range(n_signals)
        ),
    )

    # Cases: the open ones opened any time in four years; the closed ones closed in the two
    # years shown; 3 % of them closed once and re-opened (open now).
    n_cases = n_open + n_closed
    households = rng.sample(range(1, n_households + 1), n_cases)
    curators = ref["curators"]
    case_rows: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    for c in range(n_cases):
        mun_index = (households[c] - 1) % len(mun_ids)
        opened = _between(rng, four_years_ago, now - dt.timedelta(days=1))
        closed_at = None
        reopened = c < n_open and rng.random() < 0.03
        if c >= n_open:
            closed_at = _between(rng, max(opened, two_years_ago), now)
        case_rows.append(
            {
                "id": c + 1,
                "number": f"ИПР-{c + 1}",
                "region_id": ref["region"].pk,
                "territory_id": mun_ids[mun_index],
                "household_id": households[c],
                "curator_id": curators[mun_index].pk,
                "status": cases.CaseStatus.CLOSED if closed_at else cases.CaseStatus.OPEN,
                "level": LEVELS[c % len(LEVELS)],
                "opened_at": opened,
                "opened_by_id": curators[mun_index].pk,
                "closed_at": closed_at,
                "closure_ground": rng.choice(GROUNDS) if closed_at else "",
            }
        )
        changes.append({"case_id": c + 1, "status": cases.CaseStatus.OPEN, "at": opened})
        if closed_at:
            changes.append(
                {
                    "case_id": c + 1,
                    "status": cases.CaseStatus.CLOSED,
                    "ground": case_rows[-1]["closure_ground"],
                    "at": closed_at,
                }
            )
        if reopened:
            shut = _between(rng, opened, now)
            back = _between(rng, shut, now)
            changes.append({"case_id": c + 1, "status": "closed", "ground": GROUNDS[0], "at": shut})
            changes.append({"case_id": c + 1, "status": "open", "at": back})
    loader.copy(cases.Case, case_rows)
    loader.copy(cases.CaseStatusChange, ({"id": i + 1, **row} for i, row in enumerate(changes)))

    def task_rows() -> Iterator[dict[str, Any]]:
        t = 0
        for case in case_rows:
            mun = case["territory_id"]
            for k in range(3):
                t += 1
                created = case["opened_at"] + dt.timedelta(days=2 + 20 * k)
                if created > now:
                    created = now
                due = created.date() + dt.timedelta(days=rng.choice([5, 10, 20]))
                done = due + dt.timedelta(days=rng.randint(-4, 6)) if rng.random() < 0.7 else None
                if done is not None and done > today:
                    done = None
                kind = [AgencyType.SOCIAL_PROTECTION, AgencyType.EDUCATION, AgencyType.HEALTH]
                yield {
                    "id": t,
                    "case_id": case["id"],
                    "title": "Задача плана",
                    "owner_agency_id": agencies[(mun, kind[k])].pk,
                    "start_date": created.date(),
                    "deadline_days": (due - created.date()).days,
                    "due_on": due,
                    "done_on": done,
                    "status": cases.TaskStatus.DONE if done else rng.choice(TASK_STATUSES[:3]),
                    "created_by_id": case["curator_id"],
                    "created_at": created,
                    "updated_at": created,
                }

    loader.copy(cases.Task, task_rows())

    def assessment_rows() -> Iterator[dict[str, Any]]:
        for case in case_rows:
            score = rng.randint(0, 30)
            proposed = (
                "sop" if score >= 16 else "tzhs" if score >= 8 else "early" if score else "none"
            )
            yield {
                "id": case["id"],
                "case_id": case["id"],
                "answers": json.dumps({"env_income": rng.choice(["yes", "no", "partly"])}),
                "score": score,
                "proposed_level": proposed,
                "level": case["level"],
                "override_reason": "" if proposed == case["level"] else "Иная оценка",
                "assessed_by_id": case["curator_id"],
                "at": min(case["opened_at"] + dt.timedelta(days=5), now),
            }

    loader.copy(cases.RiskAssessment, assessment_rows())
    # Emergency removals: one in a hundred cases, each after its safety assessment.
    removal_cases = case_rows[:: max(1, 100)]
    loader.copy(
        cases.SafetyAssessment,
        (
            {
                "id": i + 1,
                "case_id": case["id"],
                "immediate_threat": True,
                "reason": "Угроза",
                "assessed_by_id": case["curator_id"],
                "at": case["opened_at"],
            }
            for i, case in enumerate(removal_cases)
        ),
    )
    loader.copy(
        cases.EmergencyRemoval,
        (
            {
                "id": i + 1,
                "case_id": case["id"],
                "safety_assessment_id": i + 1,
                "act_number": f"А-{i + 1}",
                "act_date": case["opened_at"].date(),
                "prosecutor_notified_on": case["opened_at"].date(),
                "placement": "Центр",
                "reason": "Угроза жизни",
                "claim_deadline": case["opened_at"].date() + dt.timedelta(days=7),
                "recorded_by_id": case["curator_id"],
                "at": case["opened_at"],
            }
            for i, case in enumerate(removal_cases)
        ),
    )

    # Referrals: 30 000 from the cases (a consent each), sent over the two years.
    n_referrals = int(30_000 * scale)
    referred = [case_rows[i % n_cases] for i in range(n_referrals)]
    loader.copy(
        support.Consent,
        (
            {
                "id": i + 1,
                "case_id": case["id"],
                "basis": support.LegalBasis.CONSENT,
                "given_by": "Родитель",
                "given_on": case["opened_at"].date(),
                "scope": "Сведения о семье",
                "recorded_by_id": case["curator_id"],
            }
            for i, case in enumerate(referred)
        ),
    )
    services = ref["services"]

    def referral_rows() -> Iterator[dict[str, Any]]:
        for i, case in enumerate(referred):
            sent = _between(rng, max(case["opened_at"], two_years_ago), now)
            fate = rng.random()
            row: dict[str, Any] = {
                "id": i + 1,
                "case_id": case["id"],
                "service_id": services[i % len(services)].pk,
                "consent_id": i + 1,
                "territory_id": case["territory_id"],
                "summary": "Нужна помощь",
                "sent_by_id": case["curator_id"],
                "sent_at": sent,
                "due_on": sent.date() + dt.timedelta(days=10),
            }
            if fate < 0.15:
                row["status"] = support.ReferralStatus.SENT
            elif fate < 0.25:
                closed = min(sent + dt.timedelta(days=rng.randint(1, 20)), now)
                row |= {
                    "status": support.ReferralStatus.DECLINED,
                    "answered_at": closed,
                    "closed_at": closed,
                    "decline_reason": "Нет мест",
                }
            else:
                start = sent.date() + dt.timedelta(days=rng.randint(1, 15))
                row |= {
                    "answered_at": sent,
                    "start_date": start,
                    "status": support.ReferralStatus.IN_PROGRESS,
                }
                if fate > 0.6:
                    closed = sent + dt.timedelta(days=rng.randint(30, 200))
                    if closed < now:
                        row |= {
                            "status": support.ReferralStatus.COMPLETED,
                            "closed_at": closed,
                            "outcome": support.Outcome.REACHED,
                        }
            yield row

    loader.copy(support.Referral, referral_rows())

    # Children in care: placements of children from the registry.
    homes = ref["institutions"]
    placed = rng.sample(children, n_in_care + n_discharged)
    placement_rows = []
    for i, child in enumerate(placed):
        admitted = today - dt.timedelta(days=rng.randint(10, 1500))
        discharged = None
        if i >= n_in_care:
            discharged = admitted + dt.timedelta(days=rng.randint(5, 400))
            if discharged >= today:
                discharged = today - dt.timedelta(days=1)
                admitted = min(admitted, discharged - dt.timedelta(days=5))
        home = homes[i % len(homes)]
        mun = mun_ids[i % len(mun_ids)]
        placement_rows.append(
            {
                "id": i + 1,
                "child_id": child,
                "institution_id": home.pk,
                "region_id": ref["region"].pk,
                "admitted_on": admitted,
                "ground": CARE_GROUNDS[i % len(CARE_GROUNDS)],
                "act_number": f"{i + 1}-п",
                "act_date": admitted,
                "placing_agency_id": agencies[(mun, AgencyType.GUARDIANSHIP)].pk,
                "family_territory_id": mun,
                "legal_status": LEGAL[i % len(LEGAL)],
                "discharged_on": discharged,
                "outcome": CARE_OUTCOMES[i % len(CARE_OUTCOMES)] if discharged else "",
                "overseer_id": None if i % 7 == 0 else ref["coordinator"].pk,
                "recorded_by_id": ref["coordinator"].pk,
            }
        )
    loader.copy(care.Placement, placement_rows)
    loader.copy(
        care.AgendaItem,
        (
            {
                "id": 2 * i + k + 1,
                "placement_id": p["id"],
                "kind": REVIEW_KINDS[k % len(REVIEW_KINDS)],
                "due_on": p["admitted_on"] + dt.timedelta(days=14 + 180 * k),
                "done_on": (
                    p["admitted_on"] + dt.timedelta(days=rng.randint(7, 20) + 180 * k)
                    if p["admitted_on"] + dt.timedelta(days=20 + 180 * k) < today
                    else None
                ),
            }
            for i, p in enumerate(placement_rows)
            for k in range(2)
        ),
    )
    # The data bank: 300 profiles of children from the registry (not those in care).
    in_bank = rng.sample(children, int(300 * max(scale, 0.1)))
    profiles = []
    for i, child in enumerate(in_bank):
        created = today - dt.timedelta(days=rng.randint(1, 700))
        placed_on = created + dt.timedelta(days=rng.randint(20, 300)) if i % 3 == 0 else None
        if placed_on is not None and placed_on > today:
            placed_on = None
        mun = mun_ids[i % len(mun_ids)]
        profiles.append(
            {
                "id": i + 1,
                "person_id": child,
                "region_id": ref["region"].pk,
                "agency_id": agencies[(mun, AgencyType.GUARDIANSHIP)].pk,
                "status": bank.ChildStatus.PLACED if placed_on else bank.ChildStatus.SEARCHING,
                "legal_status": bank.LegalStatus.DEPRIVED,
                "forms": json.dumps(FORMS),
                "home_lat": 55.0,
                "home_lon": 37.0,
                "identified_on": created,
                "profile_due_on": created,
                "created_on": created,
                "placed_on": placed_on,
                "placed_form": FORMS[i % len(FORMS)] if placed_on else "",
            }
        )
    loader.copy(bank.ChildProfile, profiles)
    loader.copy(
        bank.FederalDeadline,
        (
            {
                "id": i + 1,
                "child_id": p["id"],
                "due_on": p["created_on"] + dt.timedelta(days=30),
                "done_on": p["created_on"] + dt.timedelta(days=31)
                if p["created_on"] + dt.timedelta(days=31) < today
                else None,
            }
            for i, p in enumerate(profiles)
            if i % 2 == 0
        ),
    )
    loader.copy(
        TrainingRecord,
        (
            {
                "id": i + 1,
                "specialist_id": curators[i % len(curators)].pk,
                "agency_id": curators[i % len(curators)].agency_id,
                "course": "Курс",
                "hours": 16,
                "completed_on": today - dt.timedelta(days=rng.randint(0, 700)),
                "recorded_by_id": ref["coordinator"].pk,
            }
            for i in range(200)
        ),
    )
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        for _name, definition in indexes:
            cursor.execute(definition)
    indexed = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    done = time.perf_counter()
    return {
        "scale": scale,
        "rows": loader.counts,
        "seconds": {
            "load": round(loaded - started, 1),
            "indexes": round(indexed - loaded, 1),
            "analyze": round(done - indexed, 1),
            "total": round(done - started, 1),
            "tables": loader.timings,
        },
        "indexes_rebuilt": len(indexes),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
    print(json.dumps(generate(args.scale), ensure_ascii=False))


if __name__ == "__main__":
    main()
