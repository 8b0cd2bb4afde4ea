"""Prepare the bench_intake database: a region, routing rules, a large registry, a token."""

from __future__ import annotations

import os
import random
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ochag.settings")
django.setup()

from ochag.access.models import Agency, AgencyType  # noqa: E402
from ochag.core.models import Territory  # noqa: E402
from ochag.linkage import PersonRecord, person_search_keys  # noqa: E402
from ochag.registry.models import Person  # noqa: E402
from ochag.signals.models import RoutingRule, Track  # noqa: E402
from ochag.signals.services import agency_token_issue  # noqa: E402

LAST = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Волков", "Соколов", "Лебедев", "Козлов",
        "Новиков", "Морозов", "Павлов", "Орлов", "Зайцев", "Белов", "Медведев", "Егоров", "Никитин", "Фёдоров"]
FIRST_M = ["Иван", "Пётр", "Алексей", "Дмитрий", "Сергей", "Андрей", "Максим", "Артём", "Михаил", "Никита"]
FIRST_F = ["Анна", "Мария", "Елена", "Ольга", "Дарья", "Софья", "Полина", "Виктория", "Алиса", "Ксения"]
PATR = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Алексеевич", "Дмитриевич"]


def main(persons: int) -> None:
    country = Territory.objects.create(name="РФ", level=Territory.Level.COUNTRY)
    region = Territory.objects.create(name="Бенч-область", level=Territory.Level.REGION, parent=country)
    muns = [Territory.objects.create(name=f"Район {i}", level=Territory.Level.MUNICIPALITY, parent=region,
                                     oktmo=f"9{i:07d}") for i in range(10)]
    agencies = {}
    for m in muns:
        for kind in (AgencyType.GUARDIANSHIP, AgencyType.KDN, AgencyType.SOCIAL_PROTECTION, AgencyType.EDUCATION):
            agencies[(m.pk, kind)] = Agency.objects.create(name=f"{kind} {m.name}", type=kind, territory=m,
                                                           email=f"{kind}{m.pk}@bench.invalid")
    for track, kind in ((Track.SAFETY, AgencyType.GUARDIANSHIP), (Track.ASSESSMENT, AgencyType.KDN),
                        (Track.SUPPORT, AgencyType.SOCIAL_PROTECTION)):
        RoutingRule.objects.create(region=region, track=track, agency_type=kind)
    rng = random.Random(1)
    started = time.monotonic()
    batch: list[Person] = []
    for n in range(persons):
        female = rng.random() < 0.5
        last = rng.choice(LAST) + ("а" if female else "")
        first = rng.choice(FIRST_F if female else FIRST_M)
        patr = rng.choice(PATR)
        patr = patr[:-2] + "на" if female else patr
        y, mo, d = rng.randint(1960, 2024), rng.randint(1, 12), rng.randint(1, 28)
        keys = person_search_keys(PersonRecord(record_id="x", last_name=last, first_name=first, patronymic=patr,
                                               birth_date=f"{y}-{mo:02d}-{d:02d}"))
        batch.append(Person(last_name=last, first_name=first, patronymic=patr, sex="F" if female else "M",
                            birth_year=y, birth_month=mo, birth_day=d, territory=rng.choice(muns),
                            key_last=keys["last_key"], key_first=keys["first_keys"].split(" ")[0],
                            key_patronymic=keys["patronymic_key"]))
        if len(batch) == 10_000:
            Person.objects.bulk_create(batch)
            batch = []
            print(f"registry: {n + 1} persons, {time.monotonic() - started:.0f} s", flush=True)
    Person.objects.bulk_create(batch)
    school = agencies[(muns[0].pk, AgencyType.EDUCATION)]
    _token, raw = agency_token_issue(actor=None, agency=school, name="bench")
    with open(os.environ.get("BENCH_TOKEN_FILE", "/tmp/bench_intake_token"), "w") as fh:
        fh.write(raw)
    print(f"registry ready: {persons} persons in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]))
