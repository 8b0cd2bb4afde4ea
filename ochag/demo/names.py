"""Frequency-weighted Russian names for the synthetic demo region.

The tables in ``data/`` come from the frequency counts bundled with the `russiannames`
package (see ``data/build_name_tables.py``), so the demo's names are as common or as rare
as they are in real Russian registers.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Weighted:
    values: tuple[tuple[str, ...], ...]
    cumulative: tuple[float, ...]

    def pick(self, rng: random.Random) -> tuple[str, ...]:
        return rng.choices(self.values, cum_weights=self.cumulative, k=1)[0]


def _load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@cache
def first_names(sex: str) -> Weighted:
    rows = [r for r in _load("first_names.tsv") if r["sex"] == sex]
    return Weighted(
        tuple((r["name"],) for r in rows), tuple(accumulate(float(r["count"]) for r in rows))
    )


@cache
def surnames() -> Weighted:
    rows = _load("surnames.tsv")
    return Weighted(
        tuple((r["male"], r["female"]) for r in rows),
        tuple(accumulate(float(r["count"]) for r in rows)),
    )


@cache
def patronymics() -> dict[str, tuple[str, str]]:
    return {r["father"]: (r["male"], r["female"]) for r in _load("patronymics.tsv")}


def father_name(rng: random.Random) -> str:
    """A male first name that has a known patronymic form."""
    table = patronymics()
    while True:
        name = first_names("M").pick(rng)[0]
        if name in table:
            return name


def patronymic_of(father: str, sex: str) -> str:
    male, female = patronymics()[father]
    return male if sex == "M" else female
