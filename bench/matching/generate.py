"""A seeded synthetic region for the matching benchmark.

Shapes follow what is published about the data bank and candidates (most children
in the bank are older than ten and many have brothers and sisters or health needs;
most candidates wish for one healthy young child): the proportions below are our
assumptions, stated so that anyone can change them, not sourced figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from ochag.matching import ChildProfile, FamilyProfile, FormOfCare, Need, Place

ON = date(2026, 12, 3)
CENTRE = Place(57.0, 61.0)  # a region some 400 x 400 km


def _towns(rng: random.Random, count: int = 30) -> list[tuple[Place, float]]:
    towns = []
    for i in range(count):
        place = Place(CENTRE.lat + rng.uniform(-1.8, 1.8), CENTRE.lon + rng.uniform(-3.3, 3.3))
        towns.append((place, 1.0 / (i + 1)))  # a capital and a long tail of small towns
    return towns


def _near(rng: random.Random, towns: list[tuple[Place, float]]) -> Place:
    town = rng.choices([t for t, _ in towns], weights=[w for _, w in towns])[0]
    return Place(town.lat + rng.gauss(0, 0.08), town.lon + rng.gauss(0, 0.14))


def _pick[T](rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


LANGUAGES = [("ru", 0.86), ("tt", 0.08), ("ba", 0.04), ("", 0.02)]


def children(
    rng: random.Random, count: int, towns: list[tuple[Place, float]]
) -> list[ChildProfile]:
    result: list[ChildProfile] = []
    group_no = 0
    while len(result) < count:
        size = int(_pick(rng, [(1, 0.62), (2, 0.22), (3, 0.10), (4, 0.04), (5, 0.02)]))
        size = min(size, count - len(result))
        together = ""
        if size > 1 and rng.random() < 0.85:  # the rest were separated by a recorded decision
            group_no += 1
            together = f"g{group_no:05d}"
        home = _near(rng, towns)
        language = str(_pick(rng, LANGUAGES))
        ethnicity = (
            {"ru": "russian", "tt": "tatar", "ba": "bashkir"}.get(language, "")
            if rng.random() < 0.6
            else ""
        )
        religion = (
            (rng.choice(["orthodox", "muslim"]) if rng.random() < 0.2 else "") if ethnicity else ""
        )
        adoptable = rng.random() < 0.3  # parental rights terminated: adoption possible
        first_age = rng.choices(
            range(18), weights=[2, 3, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 10, 10, 10, 9, 7, 3]
        )[0]
        for k in range(size):
            age = max(0, min(17, first_age - 2 * k + rng.randint(-1, 1)))
            disability = rng.random() < 0.12
            needs = set()
            if disability:
                needs.add(Need.DISABILITY.value)
            if rng.random() < 0.2:
                needs.add(Need.CHRONIC.value)
            if rng.random() < 0.08:
                needs.add(Need.DEVELOPMENTAL.value)
            if rng.random() < 0.02:
                needs.add(Need.HIV.value)
            if rng.random() < 0.03:
                needs.add(Need.HEPATITIS.value)
            group = 5 if disability else rng.choices([1, 2, 3, 4], weights=[12, 50, 30, 8])[0]
            forms = {FormOfCare.GUARDIANSHIP.value, FormOfCare.FOSTER.value}
            if adoptable:
                forms.add(FormOfCare.ADOPTION.value)
            if rng.random() < 0.5:
                forms.add(FormOfCare.PATRONAT.value)
            result.append(
                ChildProfile(
                    key=f"c{len(result):05d}",
                    age=age,
                    sex=rng.choice("mf"),
                    forms=frozenset(forms),
                    home=home,
                    health_group=group,
                    needs=frozenset(needs),
                    language=language,
                    ethnicity=ethnicity,
                    religion=religion,
                    together_with=together,
                )
            )
    return result


def families(
    rng: random.Random, count: int, towns: list[tuple[Place, float]]
) -> list[FamilyProfile]:
    result = []
    for i in range(count):
        capacity = int(_pick(rng, [(1, 0.64), (2, 0.25), (3, 0.08), (4, 0.03)]))
        forms = {
            str(
                _pick(
                    rng,
                    [
                        ("adoption", 0.45),
                        ("guardianship", 0.4),
                        ("foster", 0.12),
                        ("patronat", 0.03),
                    ],
                )
            )
        }
        if rng.random() < 0.4:
            forms.add(rng.choice(["guardianship", "foster"]))
        if rng.random() < 0.65:  # most wish for a young child
            age_min, age_max = rng.randint(0, 2), rng.randint(3, 7)
        else:
            age_min = rng.randint(3, 10)
            age_max = min(17, age_min + rng.randint(3, 8))
        accepted: set[str] = set()
        if rng.random() < 0.3:
            accepted.add(Need.CHRONIC.value)
        if rng.random() < 0.12:
            accepted.add(Need.DEVELOPMENTAL.value)
        if rng.random() < 0.07:
            accepted.add(Need.DISABILITY.value)
        if rng.random() < 0.04:
            accepted.add(Need.HIV.value)
        if rng.random() < 0.05:
            accepted.add(Need.HEPATITIS.value)
        language = str(_pick(rng, LANGUAGES)) or "ru"
        languages = {language, "ru"} if rng.random() < 0.9 else {language}
        expired = rng.random() < 0.08
        result.append(
            FamilyProfile(
                key=f"f{i:05d}",
                conclusion_positive=rng.random() < 0.94,
                conclusion_valid_until=ON
                + timedelta(days=(-rng.randint(1, 300) if expired else rng.randint(1, 700))),
                forms=frozenset(forms),
                capacity=capacity,
                age_min=age_min,
                age_max=age_max,
                home=_near(rng, towns),
                sex=str(_pick(rng, [("f", 0.4), ("m", 0.2), ("", 0.4)])),
                siblings=capacity > 1 and rng.random() < 0.85,
                accepted_needs=frozenset(accepted),
                health_group_max=int(_pick(rng, [(2, 0.6), (3, 0.3), (4, 0.07), (5, 0.03)])),
                languages=frozenset(languages),
                ethnicity={"ru": "russian", "tt": "tatar", "ba": "bashkir"}.get(language, "")
                if rng.random() < 0.5
                else "",
                religion=rng.choice(["orthodox", "muslim", ""]) if rng.random() < 0.3 else "",
                max_distance_km=rng.choice([50.0, 100.0, 200.0, 300.0])
                if rng.random() < 0.5
                else None,
            )
        )
    return result


def region(
    seed: int, n_children: int, n_families: int
) -> tuple[list[ChildProfile], list[FamilyProfile]]:
    rng = random.Random(seed)
    towns = _towns(rng)
    return children(rng, n_children, towns), families(rng, n_families, towns)
