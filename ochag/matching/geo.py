"""Distance between homes. An equirectangular approximation: within a region (a few
hundred km) it is within 0.5 % of the great circle and several times cheaper, which
matters when one child is ranked against 20 000 families."""

from __future__ import annotations

import math

from .profiles import Place

EARTH_KM = 6371.0088
_RAD = math.pi / 180


def distance_km(a: Place, b: Place) -> float:
    x = (b.lon - a.lon) * _RAD * math.cos((a.lat + b.lat) * _RAD / 2)
    y = (b.lat - a.lat) * _RAD
    return EARTH_KM * math.hypot(x, y)
