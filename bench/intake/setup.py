"""Prepare the bench_intake database: a region, routing rules, a large registry, a token.

The registry holds frequency-weighted Russian names (ochag.demo.names), so a common surname
has thousands of bearers and a rare one a handful, as in a real regional register. Persons
and their PersonKey rows are loaded with COPY, keys computed by the registry's own code; the
key index is built after the load. Re-running with the same size keeps the loaded registry.

It also writes the client's sample file: real registry persons (the client reports half of
its children as known people, half as new ones).

Usage: DATABASE_URL=postgres://.../bench_intake python bench/intake/setup.py PERSONS
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from ochag.access.models import Agency, AgencyType, Role, User  # noqa: E402
from ochag.access.tokens import agency_token_issue  # noqa: E402
from ochag.core.models import Territory  # noqa: E402
from ochag.demo.names import father_name, first_names, patronymic_of, surnames  # noqa: E402
from ochag.registry.candidates import search_keys  # noqa: E402
from ochag.registry.models import Person  # noqa: E402
from ochag.signals.models import RoutingRule, Track  # noqa: E402

MUNICIPALITIES = 10
SEED = 1
SAMPLE = 20_000
COLUMNS = (
    "id, last_name, first_name, patronymic, sex, birth_year, birth_month, birth_day, snils, "
    "birth_certificate, citizenship, address, territory_id, key_last, key_last_skel, key_first, "
    "key_first_skel, key_patronymic, key_birth, key_words, created_at, updated_at, version"
)


def _clean(value: str) -> str:
    return value.replace("\\", "").replace("\t", " ").replace("\n", " ")


def structure() -> list[Territory]:
    country, _ = Territory.objects.get_or_create(name="РФ", level=Territory.Level.COUNTRY)
    region, _ = Territory.objects.get_or_create(
        name="Бенч-область", level=Territory.Level.REGION, parent=country
    )
    muns = [
        Territory.objects.get_or_create(
            name=f"Район {i}",
            level=Territory.Level.MUNICIPALITY,
            parent=region,
            defaults={"oktmo": f"9{i:07d}"},
        )[0]
        for i in range(MUNICIPALITIES)
    ]
    for m in muns:
        for kind in (
            AgencyType.GUARDIANSHIP,
            AgencyType.KDN,
            AgencyType.SOCIAL_PROTECTION,
            AgencyType.EDUCATION,
        ):
            Agency.objects.get_or_create(
                name=f"{kind} {m.name}",
                type=kind,
                territory=m,
                defaults={"email": f"{kind}{m.pk}@bench.invalid"},
            )
    ministry, _ = Agency.objects.get_or_create(
        name="Бенч-министерство", type=AgencyType.MINISTRY, territory=region
    )
    User.objects.get_or_create(
        username="bench.coordinator",
        defaults={"agency": ministry, "role": Role.REGIONAL_COORDINATOR},
    )
    for track, kind in (
        (Track.SAFETY, AgencyType.GUARDIANSHIP),
        (Track.ASSESSMENT, AgencyType.KDN),
        (Track.SUPPORT, AgencyType.SOCIAL_PROTECTION),
    ):
        RoutingRule.objects.get_or_create(region=region, track=track, agency_type=kind)
    return muns


GIN = "registry_person_key_words_gin"


def load(n: int, muns: list[Territory]) -> dict[str, float]:
    have = Person.objects.count()
    if have >= n:
        return {"loaded_now": 0, "seconds": 0.0}
    rng = random.Random(SEED)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM registry_person")
        next_id = cur.fetchone()[0] + 1
        cur.execute("DROP INDEX IF EXISTS registry_personkey_key")
        # The key words' GIN index takes the load through its pending list, merged by the
        # VACUUM below, then updates at once again (migration registry 0010).
        cur.execute(f"ALTER INDEX IF EXISTS {GIN} SET (fastupdate = on)")
        cur.execute("SET session_replication_role = replica")  # no FK triggers during COPY
    now = dt.datetime.now(dt.UTC).isoformat()
    sn, fm, ff = surnames(), first_names("M"), first_names("F")
    todo, done = n - have, 0
    while done < todo:
        people, keys = io.StringIO(), io.StringIO()
        for _ in range(min(50_000, todo - done)):
            sex = rng.choice("MF")
            # Mostly children and parents: the people signals are about.
            birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
            p = Person(
                pk=next_id,
                last_name=sn.pick(rng)[0 if sex == "M" else 1],
                first_name=(fm if sex == "M" else ff).pick(rng)[0],
                patronymic=patronymic_of(father_name(rng), sex),
                sex=sex,
                birth_year=birth.year,
                birth_month=birth.month,
                birth_day=birth.day,
                territory_id=muns[rng.randrange(len(muns))].pk,
            )
            values = search_keys(p)
            people.write(
                "\t".join(
                    [
                        str(p.pk),
                        _clean(p.last_name),
                        _clean(p.first_name),
                        _clean(p.patronymic),
                        sex,
                        str(birth.year),
                        str(birth.month),
                        str(birth.day),
                        "",
                        "",
                        "RUS",
                        "",
                        str(p.territory_id),
                        _clean(p.key_last),
                        _clean(p.key_last_skel),
                        _clean(p.key_first),
                        _clean(p.key_first_skel),
                        _clean(p.key_patronymic),
                        p.key_birth,
                        _clean(p.key_words),
                        now,
                        now,
                        "1",
                    ]
                )
                + "\n"
            )
            keys.writelines(f"{p.pk}\t{_clean(v)}\n" for v in values)
            next_id += 1
        with connection.cursor() as cur:
            raw = cur.cursor
            with raw.copy(f"COPY registry_person ({COLUMNS}) FROM STDIN") as copy:
                copy.write(people.getvalue())
            with raw.copy("COPY registry_personkey (person_id, key) FROM STDIN") as copy:
                copy.write(keys.getvalue())
        done += min(50_000, todo - done)
        print(
            f"registry: {have + done:,} persons, {time.perf_counter() - started:.0f} s", flush=True
        )
    with connection.cursor() as cur:
        cur.execute("SET session_replication_role = origin")
        cur.execute("SELECT setval(pg_get_serial_sequence('registry_person', 'id'), %s)", [next_id])
        cur.execute("CREATE INDEX registry_personkey_key ON registry_personkey (key, person_id)")
        cur.execute("VACUUM ANALYZE registry_person")
        cur.execute(f"ALTER INDEX IF EXISTS {GIN} SET (fastupdate = off)")
        cur.execute("VACUUM ANALYZE registry_personkey")
    return {"loaded_now": todo, "seconds": round(time.perf_counter() - started, 1)}


def sample(path: str) -> None:
    """Real children of the registry for the client to report (ids spread over the table)."""
    rows = list(
        Person.objects.filter(birth_year__gte=2008)
        .order_by("?")
        .values_list(
            "last_name", "first_name", "patronymic", "birth_year", "birth_month", "birth_day"
        )[:SAMPLE]
    )
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(
            [
                [last, first, patr, f"{y:04d}-{m:02d}-{d:02d}"]
                for last, first, patr, y, m, d in rows
            ],
            fh,
            ensure_ascii=False,
        )


def main(persons: int) -> None:
    muns = structure()
    result = load(persons, muns)
    print(f"registry ready: {Person.objects.count():,} persons ({result})", flush=True)
    sample(os.environ.get("BENCH_SAMPLE_FILE", "/tmp/bench_intake_sample.json"))
    school = Agency.objects.get(type=AgencyType.EDUCATION, territory=muns[0])
    _token, raw = agency_token_issue(actor=None, agency=school, name="bench")
    with open(os.environ.get("BENCH_TOKEN_FILE", "/tmp/bench_intake_token"), "w") as fh:
        fh.write(raw)


if __name__ == "__main__":
    main(int(sys.argv[1]))
