"""Municipality centres for distances when a home's coordinates are not typed.

The table is committed (``centroids.csv`` next to this module, documented in the README):
one row per municipality, keyed by OKTMO where the territory has one, else by the region's
and the municipality's names. A home with no typed coordinates takes its municipality's
centre, so "nearest to the child's home first" (СК 123) is measured in kilometres between
centres rather than as "same municipality or not".
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from ochag.core.models import Territory

TABLE = Path(__file__).with_name("centroids.csv")


@cache
def _rows() -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], tuple[float, float]]]:
    by_oktmo: dict[str, tuple[float, float]] = {}
    by_name: dict[tuple[str, str], tuple[float, float]] = {}
    with TABLE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            point = (float(row["lat"]), float(row["lon"]))
            if row["oktmo"]:
                by_oktmo[row["oktmo"]] = point
            by_name[row["region"], row["municipality"]] = point
    return by_oktmo, by_name


def centroid(territory: Territory) -> tuple[float, float] | None:
    """The centre of the municipality, or None when the table has no row for it."""
    by_oktmo, by_name = _rows()
    if territory.oktmo and territory.oktmo in by_oktmo:
        return by_oktmo[territory.oktmo]
    region = territory.region
    return by_name.get((region.name if region else "", territory.name))
