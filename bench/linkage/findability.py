"""Staff search and intake linking on a labelled set, through the product's paths.

Loads the registry of one of the three sets into PostgreSQL with COPY, with keys computed
by the registry's own key functions, then for every labelled query:

* staff search: ``ochag.registry.selectors.person_search`` (the search view's selector) as
  the regional coordinator, with the query typed as staff type it (any order and case, with
  or without the date): recall@1 / @10 and zero-result share for known people, latency;
* baseline: plain pg_trgm on the full name (``%`` and ``ORDER BY similarity``, GIN index),
  the same text without the date;
* intake: ``ochag.registry.candidates.Linker.resolve_query`` (the path every signal takes),
  one Linker per reported person: linked right / wrong, review with / without the right
  person in the shortlist, re-created as new — for known and for new people; once with the
  people the report names with the person (household evidence against the registry's
  households, loaded from the set) and once without.

The sets (--set): ``hard`` (bench/linkage/hardset.py, the default), ``febrl``
(febrlset.py, the same file layout; classes are FEBRL's modification kinds) and ``old``
(generate.py's <data>.csv and <data>.truth.csv, turned into 700 known + 300 new queries by
oldset.py exactly as hardrun.py --old-set does; any record of the person is right, the
registry holding the generator's duplicates too). The hard set's queries carry the text
staff type (hardset.staff_text); the other two sets' are typed here by the same function
with its own seeded generator. Only the hard set names relatives, so only it is measured
a second time without them; only the old set's records carry a SNILS (some of them), which
the intake is given as a signal gives it. One database per set: a database holding another set is
reloaded.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_findability \
       python bench/linkage/findability.py --data bench/data/hard100000 --out result.json \
       [--set hard|febrl|old] [--no-trgm]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "registry_search"))
sys.path.insert(0, str(ROOT / "bench" / "linkage"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import common  # noqa: E402
import hardset  # noqa: E402  (staff_text: how staff type a query)
from django.db import connection, transaction  # noqa: E402
from misses import REASONS, evidence, reason  # noqa: E402
from oldset import old_set  # noqa: E402

import bench as registry_bench  # noqa: E402  (django.setup(), territories, staff users)
from ochag.core.models import Territory  # noqa: E402
from ochag.linkage import person_search_keys, snils_normalise  # noqa: E402
from ochag.registry import vocabulary  # noqa: E402
from ochag.registry.candidates import (  # noqa: E402
    Linker,
    key_values,
    query_record,
    search_scope,
)
from ochag.registry.explain import record_from_values  # noqa: E402
from ochag.registry.models import Person  # noqa: E402
from ochag.registry.selectors import person_search  # noqa: E402
from ochag.registry.services import NewPerson  # noqa: E402


def read(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _clean(v: str) -> str:
    return v.replace("\\", "").replace("\t", " ").replace("\n", " ")


LOADED = ("registry_person", "registry_personkey", "registry_personformername",
          "registry_household", "registry_membership")  # fmt: skip


@contextmanager
def _bulk_mode(cur: Any) -> Iterator[None]:
    """COPY into the registry tables without their secondary indexes and foreign-key
    triggers, then build the indexes once: at 1 M persons (some 20 M key rows) maintaining
    the indexes row by row and checking every key's person took most of the load. The rows
    come from one consistent data set, so the skipped checks cannot fail. Indexes backing a
    constraint (primary keys, unique constraints) stay. Run inside a transaction: a load that
    fails leaves the indexes as they were."""
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i"
        " JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'"
        " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)",
        [list(LOADED)],
    )
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("SET LOCAL session_replication_role = replica")
    yield
    cur.execute("SET LOCAL session_replication_role = DEFAULT")
    cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _, definition in indexes:
        cur.execute(definition)


SETS = ("hard", "febrl", "old")
TYPING_SEED = 17  # the febrl and old sets' staff typing (the hard set's is in its file)


def _pid(record_id: str) -> int:
    """Person id of a registry record: its number + 1 (r0 / R0 -> 1)."""
    return int(record_id[1:]) + 1


def muni_of(value: str, munis: list[Territory]) -> Territory:
    """The municipality a set names («m5», «Муниципалитет 07»); a report that names none
    (FEBRL's missing value) is filed at the first one, as a signal is filed somewhere."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return munis[int(digits or 0) % len(munis)]


def _date(value: str) -> tuple[int | None, int | None, int | None]:
    parts = [int(x) for x in value.split("-") if x]
    return (*parts, *[None] * (3 - len(parts)))  # type: ignore[return-value]


def _snils(value: str) -> str:
    digits = (snils_normalise(value) or "") if value else ""
    return digits if len(digits) == 11 else ""


def labelled(data: str, which: str) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """(registry rows, queries) of a set. Every query gets ``right``: the person ids any of
    which is the right answer (empty for a new person), and ``text`` as staff type it."""
    if which == "old":
        registry, queries = old_set(data)
        by_entity: dict[str, set[int]] = defaultdict(set)
        for r in registry:
            by_entity[r["entity"]].add(_pid(r["record_id"]))
        out: list[dict[str, Any]] = [
            {**q, "right": by_entity[q["entity"]] if q["truth"] else set()} for q in queries
        ]
    else:
        registry = read(f"{data}.registry.csv")
        out = [{**q, "right": {_pid(q["truth"])} if q["truth"] else set()}
               for q in read(f"{data}.queries.csv")]  # fmt: skip
    by_id = {r["record_id"]: r for r in registry}
    for q in out:  # the truth's record, to say why a query missed (misses.reason)
        q["why"] = reason(q, by_id[q["truth"]]) if q["truth"] else ""
        q["evidence"] = evidence(q, by_id[q["truth"]]) if q["truth"] else "new person"
    if which != "hard":
        rng = random.Random(TYPING_SEED)
        for q in out:
            q["text"] = hardset.staff_text(
                hardset.Query(q["record_id"], q["truth"], q["cls"], q["last_name"],
                              q["first_name"], q["patronymic"], q["sex"], q["birth_date"], 0),
                rng,
            )  # fmt: skip
    return registry, out


def _loaded(rows: list[dict[str, str]]) -> bool:
    """Whether the database holds this registry (the count and three probed records)."""
    if Person.objects.count() != len(rows):
        return False
    probe = {_pid(r["record_id"]): _clean(r["last_name"])
             for r in (rows[0], rows[len(rows) // 2], rows[-1])}  # fmt: skip
    got = dict(Person.objects.filter(pk__in=probe).values_list("pk", "last_name"))
    return got == probe


def load(rows: list[dict[str, str]], munis: list[Territory]) -> dict[str, Any]:
    """COPY the registry (persons, keys, former surnames, households) unless it is loaded.
    Person ids are the set's record numbers + 1 (r0 -> 1); keys as the registry's
    ``explain.search_keys`` computes them (record_from_values + former surnames)."""
    if _loaded(rows):
        return {"persons": len(rows), "loaded_now": 0}
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE registry_membership, registry_household, registry_personformername,"
                    " registry_personkey, registry_person RESTART IDENTITY CASCADE")  # fmt: skip
    now = dt.datetime.now(dt.UTC).isoformat()
    people, keys, former = io.StringIO(), io.StringIO(), io.StringIO()
    households, members = io.StringIO(), io.StringIO()
    seen_households: set[int] = set()
    for r in rows:
        pid = _pid(r["record_id"])
        names = [x.split("@") for x in (r.get("former_last_names") or "").split(";") if x]
        y, m, d = _date(r["birth_date"])
        muni = muni_of(r["municipality"], munis)
        snils = _snils(r["snils"])
        rec = record_from_values(pid, r["last_name"], r["first_name"], r["patronymic"],
                                 r["sex"], y, m, d, snils, muni.pk)  # fmt: skip
        if names:
            rec = replace(rec, former_last_names=tuple(n for n, _ in names))
        k = person_search_keys(rec)
        values = key_values(k)
        people.write("\t".join([
            str(pid), _clean(r["last_name"]), _clean(r["first_name"]), _clean(r["patronymic"]),
            r["sex"], *("\\N" if x is None else str(x) for x in (y, m, d)), snils, "", "RUS",
            "", str(muni.pk),
            k["last_key"][:100], k["last_skeleton"][:100], k["first_keys"][:200],
            k["first_skeletons"][:200], k["patronymic_key"][:100], k["birth_date"],
            _clean(" ".join(values)), now, now, "1",
        ]) + "\n")  # fmt: skip
        for v in values:
            keys.write(f"{pid}\t{_clean(v)}\n")
        for name, changed in names:
            former.write(f"{pid}\t{_clean(name)}\t{changed}\t{now}\n")
        household = int(r.get("household") or 0)
        if household > 0:  # a registry namesake (negative) lives alone
            if household not in seen_households:
                seen_households.add(household)
                households.write(f"{household}\t{_clean(r['last_name'])}\t{muni.pk}\t\t"
                                 f"{now}\t{now}\t1\n")  # fmt: skip
            role = "child" if (y or 0) >= 2008 else "parent"
            members.write(f"{household}\t{pid}\t{role}\n")
    cols = ("id, last_name, first_name, patronymic, sex, birth_year, birth_month, birth_day, "
            "snils, birth_certificate, citizenship, address, territory_id, key_last, "
            "key_last_skel, key_first, key_first_skel, key_patronymic, key_birth, key_words, "
            "created_at, updated_at, version")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cur, _bulk_mode(cur):
        raw = cur.cursor
        with raw.copy(f"COPY registry_person ({cols}) FROM STDIN") as copy:
            copy.write(people.getvalue())
        with raw.copy("COPY registry_personkey (person_id, key) FROM STDIN") as copy:
            copy.write(keys.getvalue())
        with raw.copy("COPY registry_personformername (person_id, last_name, changed_on,"
                      " created_at) FROM STDIN") as copy:  # fmt: skip
            copy.write(former.getvalue())
        with raw.copy("COPY registry_household (id, name, territory_id, address, created_at,"
                      " updated_at, version) FROM STDIN") as copy:  # fmt: skip
            copy.write(households.getvalue())
        with raw.copy("COPY registry_membership (household_id, person_id, role) FROM STDIN"
                      ) as copy:  # fmt: skip
            copy.write(members.getvalue())
        cur.execute("SELECT setval(pg_get_serial_sequence('registry_person', 'id'), %s)",
                    [max(_pid(r["record_id"]) for r in rows) + 1])  # fmt: skip
        cur.execute("SELECT setval(pg_get_serial_sequence('registry_household', 'id'),"
                    " (SELECT COALESCE(MAX(id), 0) + 1 FROM registry_household))")  # fmt: skip
    with connection.cursor() as cur:
        for table in LOADED[1:]:
            cur.execute(f"ANALYZE {table}")  # autovacuum is off on the bench machine
    registry_bench.vacuum()
    return {"persons": len(rows), "loaded_now": len(rows),
            "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def trigram_setup() -> None:
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cur.execute(
            "CREATE INDEX IF NOT EXISTS bench_person_fullname_trgm ON registry_person USING gin "
            "((lower(last_name || ' ' || first_name || ' ' || patronymic)) gin_trgm_ops)"
        )


def trigram_search(text: str) -> list[int]:
    words = [w for w in text.split() if not any(ch.isdigit() for ch in w)]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM registry_person WHERE lower(last_name || ' ' || first_name || ' ' "
            "|| patronymic) %% %s ORDER BY similarity(lower(last_name || ' ' || first_name || "
            "' ' || patronymic), %s) DESC, id LIMIT 10",
            [" ".join(words).lower()] * 2,
        )
        return [row[0] for row in cur.fetchall()]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))], 2) if s else 0.0


def search_figures(queries: list[dict[str, Any]], find: Callable[[str], list[int]]
                   ) -> dict[str, Any]:  # fmt: skip
    per: dict[str, list[tuple[int | None, float, bool]]] = defaultdict(list)
    times: list[float] = []
    timed: list[tuple[float, str]] = []
    misses: list[dict[str, Any]] = []
    known_classes = {q["cls"] for q in queries if q["right"]}
    for q in queries:
        t0 = time.perf_counter()
        ids = find(q["text"])
        ms = (time.perf_counter() - t0) * 1000
        times.append(ms)
        timed.append((round(ms, 1), q["text"]))
        rank = next((i + 1 for i, pid in enumerate(ids) if pid in q["right"]), None)
        per[q["cls"]].append((rank, ms, bool(ids)))
        if q["right"] and (rank is None or rank > 10):
            misses.append({"query": q["record_id"], "cls": q["cls"], "why": q["why"],
                           "text": q["text"], "truth": q["truth"],
                           "results": len(ids)})  # fmt: skip
    known = [x for cls, xs in per.items() if cls in known_classes for x in xs]

    def recall(xs: list[tuple[int | None, float, bool]], k: int) -> float:
        return round(sum(1 for r, _, _ in xs if r is not None and r <= k) / len(xs), 4)

    return {
        "known": len(known),
        "recall_at_1": recall(known, 1),
        "recall_at_10": recall(known, 10),
        "zero_result_share_known": round(sum(1 for *_, f in known if not f) / len(known), 4),
        "p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "p99_ms": pct(times, 99),
        "slowest": sorted(timed, reverse=True)[:15],
        "per_class": {cls: {"n": len(xs), "recall_at_10": recall(xs, 10),
                            "recall_at_1": recall(xs, 1)}
                      for cls, xs in sorted(per.items()) if cls in known_classes},
        "misses": misses,
        "misses_by_reason": by_reason(queries, misses),
    }  # fmt: skip


def by_reason(queries: list[dict[str, Any]], misses: list[dict[str, Any]]
              ) -> dict[str, dict[str, int]]:  # fmt: skip
    """Per misses.REASONS: the known queries of that reason and how many of them missed."""
    missed = {m["query"] for m in misses}
    out = {r: {"known": 0, "missed": 0} for r in REASONS}
    for q in queries:
        if q["right"]:
            out[q["why"]]["known"] += 1
            out[q["why"]]["missed"] += q["record_id"] in missed
    return {r: v for r, v in out.items() if v["known"]}


def intake_figures(queries: list[dict[str, Any]], munis: list[Territory], region: Territory,
                   households: bool = True) -> dict[str, Any]:  # fmt: skip
    """The intake's resolve path per reported person; `households`: with the people the
    report names with the person (the hard set's relatives column) as household evidence."""
    scope = [m.pk for m in munis]
    base = search_scope(scope)
    out: dict[str, list[str]] = defaultdict(list)
    known_classes = {q["cls"] for q in queries if q["right"]}
    times: list[float] = []
    misses: list[dict[str, Any]] = []
    by_evidence: dict[str, Counter[str]] = defaultdict(Counter)
    for q in queries:
        muni = muni_of(q["municipality"], munis)
        birth = q["birth_date"]
        relatives = [x for x in (q.get("relatives") or "").split(";") if x] if households else []
        rec = query_record(q["last_name"], q["first_name"], q["patronymic"], birth, q["snils"],
                           muni.pk, relatives=relatives)  # fmt: skip
        prepared = Person(territory=muni, last_name=q["last_name"], first_name=q["first_name"])
        new = NewPerson(person=prepared, keys=[], reason="bench")
        t0 = time.perf_counter()
        res = Linker(base, scope, region=region.pk).resolve_query(rec, new)
        times.append((time.perf_counter() - t0) * 1000)
        right: set[int] = q["right"]
        shortlist = {int(rid) for rid, _ in res.candidates}
        if not right:
            word = {"link": "new_linked", "review": "new_review"}.get(res.decision, "new_new")
        elif res.decision == "link":
            word = "linked_right" if res.person and res.person.pk in right else "linked_wrong"
        elif res.decision == "review":
            word = "review_with_right" if right & shortlist else "review_without_right"
        else:
            word = "recreated"
        out[q["cls"]].append(word)
        by_evidence[q["evidence"]][word] += 1
        if word not in ("linked_right", "new_new"):
            misses.append({"query": q["record_id"], "cls": q["cls"], "why": q["why"],
                           "outcome": word,
                           "truth": q["truth"], "linked": res.person.pk if res.person else None,
                           "shortlist": sorted(shortlist)[:5]})  # fmt: skip
    known = [w for cls, ws in out.items() if cls in known_classes for w in ws]
    unknown = [w for cls, ws in out.items() if cls not in known_classes for w in ws]

    def share(ws: list[str], *words: str) -> float:
        return round(sum(1 for w in ws if w in words) / len(ws), 4) if ws else 0.0

    return {
        "known": len(known), "new": len(unknown),
        "linked_right": share(known, "linked_right"),
        "linked_wrong": share(known, "linked_wrong"),
        "review_with_right": share(known, "review_with_right"),
        "review_without_right": share(known, "review_without_right"),
        "recreated": share(known, "recreated"),
        "new_linked": share(unknown, "new_linked"), "new_review": share(unknown, "new_review"),
        "new_created": share(unknown, "new_new"),
        "p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
        "per_class": {cls: {"n": len(ws), "linked_right": share(ws, "linked_right"),
                            "recreated": share(ws, "recreated", "new_new"),
                            "wrong": share(ws, "linked_wrong", "new_linked")}
                      for cls, ws in sorted(out.items())},
        "misses": misses,
        "misses_by_reason": by_reason(queries, [m for m in misses if m["truth"]]),
        "outcomes_by_evidence": {k: dict(v) for k, v in sorted(by_evidence.items())},
    }  # fmt: skip


def _loadavg() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--set", choices=SETS, default="hard")
    ap.add_argument(
        "--no-trgm",
        action="store_true",
        help="skip the plain pg_trgm baseline (at 1 M it takes longer than the rest)",
    )
    a = ap.parse_args()
    region, munis = registry_bench.territories()
    coordinator, _ = registry_bench.staff(region, munis[0])
    registry, queries = labelled(a.data, a.set)
    res: dict[str, Any] = {"data": a.data, "set": a.set, "load": load(registry, munis)}
    res["machine"] = common.machine_info()
    res["versions"] = common.versions(["Django", "psycopg", "rapidfuzz", "pymorphy3"])
    steps = res["load_average"] = [f"start {_loadavg()}"]
    vocabulary.forget()
    t0 = time.perf_counter()
    vocabulary.vocabulary()
    res["vocabulary_load_s"] = round(time.perf_counter() - t0, 2)

    def ours(text: str) -> list[int]:
        return [h.person.pk for h in person_search(user=coordinator, text=text).hits[:10]]

    res["search"] = search_figures(queries, ours)
    steps.append(f"search {_loadavg()}")
    if not a.no_trgm:
        trigram_setup()
        res["search_pg_trgm"] = search_figures(queries, trigram_search)
        steps.append(f"search_pg_trgm {_loadavg()}")
    res["intake"] = intake_figures(queries, munis, region)
    steps.append(f"intake {_loadavg()}")
    if any(q.get("relatives") for q in queries):  # else the second run is the first again
        res["intake_no_households"] = intake_figures(queries, munis, region, households=False)
        steps.append(f"intake_no_households {_loadavg()}")
    Path(a.out).write_text(json.dumps(res, ensure_ascii=False, indent=1))
    print(json.dumps({k: v for k, v in res.items()}, ensure_ascii=False, indent=1)[:3000])


if __name__ == "__main__":
    main()
