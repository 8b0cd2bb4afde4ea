"""Ranking both ways: the families for a child (or a sibling group), the children for a family.

A pool is built once for a run (the families with a conclusion valid on the day,
bucketed by the forms of care they apply for), then answers any number of rankings.
Only the top results carry reasons; the rest are scored without building them.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from .constraints import conclusion_valid, violations
from .geo import EARTH_KM, distance_km
from .profiles import FamilyProfile, Place, Unit, form_mask, need_mask
from .scoring import Reason, explain, score, total, upper_bound


@dataclass(frozen=True, slots=True)
class Match:
    unit: Unit
    family: FamilyProfile
    score: float
    km: float
    reasons: tuple[Reason, ...]


def _order(
    score_: float, km: float, family_key: str, unit_key: str
) -> tuple[float, float, str, str]:
    # Best score first; on a tie the nearer home, then the keys: the order never
    # depends on the order the records came in.
    return (-score_, km, family_key, unit_key)


def _match(unit: Unit, family: FamilyProfile, km: float) -> Match:
    reasons = explain(unit, family, km)
    return Match(unit, family, total(reasons), km, reasons)


# Grid cells of about 11 x 12 km in the middle latitudes: ranking a child walks the
# cells nearest first and stops when no farther cell can beat the last kept place.
_RAD = math.pi / 180
CELL_LAT = 0.1
CELL_LON = 0.2

_Row = tuple[int, int, int, bool, FamilyProfile]  # forms, accepted needs, capacity, siblings


class FamilyPool:
    def __init__(self, families: Iterable[FamilyProfile], on: date) -> None:
        self.on = on
        self._cells: dict[tuple[int, int], list[_Row]] = {}
        for family in families:
            if not conclusion_valid(family, on):
                continue
            row = (
                form_mask(family.forms),
                need_mask(family.accepted_needs),
                family.capacity,
                family.siblings,
                family,
            )
            cell = (math.floor(family.home.lat / CELL_LAT), math.floor(family.home.lon / CELL_LON))
            self._cells.setdefault(cell, []).append(row)

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._cells.values())

    def candidates(self, unit: Unit) -> Iterator[FamilyProfile]:
        """Families that break no hard constraint for this unit."""
        for rows in self._cells.values():
            yield from _passing(unit, rows)

    def has_candidate(self, unit: Unit) -> bool:
        return next(self.candidates(unit), None) is not None

    def rank(self, unit: Unit, limit: int | None = 10) -> list[Match]:
        home = unit.home
        keyed: list[tuple[tuple[float, float, str, str], float, FamilyProfile]] = []
        kept: list[float] = []  # the `limit` best scores so far, worst on top
        for nearest, (lat_i, lon_i) in sorted(
            (_cell_floor_km(home, cell), cell) for cell in self._cells
        ):
            if limit is not None and len(kept) == limit and upper_bound(nearest) < kept[0]:
                break  # cells come nearest first: no farther family can reach the last kept place
            for family in _passing(unit, self._cells[lat_i, lon_i]):
                km = distance_km(home, family.home)
                s = score(unit, family, km)
                keyed.append((_order(s, km, family.key, unit.key), km, family))
                if limit is None:
                    continue
                if len(kept) < limit:
                    heapq.heappush(kept, s)
                elif s > kept[0]:
                    heapq.heapreplace(kept, s)
        best = (
            sorted(keyed, key=_first)
            if limit is None
            else heapq.nsmallest(limit, keyed, key=_first)
        )
        return [_match(unit, family, km) for _, km, family in best]


def _passing(unit: Unit, rows: list[_Row]) -> Iterator[FamilyProfile]:
    size, needs, forms = unit.size, unit.needs, unit.forms
    for family_forms, accepted, capacity, siblings, family in rows:
        if not family_forms & forms or needs & ~accepted or size > capacity:
            continue
        if size > 1 and not siblings:
            continue
        yield family


def _cell_floor_km(home: Place, cell: tuple[int, int]) -> float:
    """A lower bound of `distance_km` from home to any point of the cell: the degrees
    outside the cell's span, the longitude shrunk by the smallest cosine on the way."""
    lat_lo, lon_lo = cell[0] * CELL_LAT, cell[1] * CELL_LON
    lat_hi, lon_hi = lat_lo + CELL_LAT, lon_lo + CELL_LON
    dlat = max(lat_lo - home.lat, home.lat - lat_hi, 0.0)
    dlon = max(lon_lo - home.lon, home.lon - lon_hi, 0.0)
    widest = max(abs(home.lat), abs(lat_lo), abs(lat_hi))
    shrink = math.cos(min(widest, 90.0) * _RAD)
    # A hair under the bound: float rounding must never make it exceed a true distance.
    return max(0.0, EARTH_KM * _RAD * math.hypot(dlon * shrink, dlat) * (1 - 1e-9))


def _first(
    item: tuple[tuple[float, float, str, str], float, FamilyProfile],
) -> tuple[float, float, str, str]:
    return item[0]


class ChildPool:
    def __init__(self, units: Iterable[Unit]) -> None:
        self._units = list(units)

    def candidates(self, family: FamilyProfile, on: date) -> Iterator[Unit]:
        if not conclusion_valid(family, on):
            return
        forms, accepted = form_mask(family.forms), need_mask(family.accepted_needs)
        capacity, siblings = family.capacity, family.siblings
        for unit in self._units:
            if not unit.forms & forms or unit.needs & ~accepted or unit.size > capacity:
                continue
            if unit.size > 1 and not siblings:
                continue
            yield unit

    def rank(self, family: FamilyProfile, on: date, limit: int | None = 10) -> list[Match]:
        home = family.home
        keyed = (
            (_order(score(unit, family, km), km, family.key, unit.key), km, unit)
            for unit in self.candidates(family, on)
            for km in (distance_km(unit.home, home),)
        )
        best = (
            sorted(keyed, key=_first_u)
            if limit is None
            else heapq.nsmallest(limit, keyed, key=_first_u)
        )
        return [_match(unit, family, km) for _, km, unit in best]


def _first_u(
    item: tuple[tuple[float, float, str, str], float, Unit],
) -> tuple[float, float, str, str]:
    return item[0]


def is_candidate(unit: Unit, family: FamilyProfile, on: date) -> bool:
    return not violations(unit, family, on)
