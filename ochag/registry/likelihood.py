"""How likely a pair in the duplicates queue is one person, in words people read.

The engine's Fellegi–Sunter probability counts every agreeing field as independent
evidence, so every pair the finder proposes reads «100 %», a pair with a typo included.
The queue shows instead the probability calibrated on the independent hard set
(bench/duplicates/calibrate.py: Platt scaling of the pair's match weight against the truth
over the pairs the finder proposes, fitted on one generated registry and checked on
another). On the check set, pairs shown at 99 % and above were duplicates 99.9 % of the
time, pairs shown at 80–95 % 98.6 %, and pairs below 80 % about half of the time, so the
number a reviewer sees is what it says.

The calibration is monotonic in the weight, so the queue sorts and filters by the stored
weight (``DuplicateCandidate.score``) and the bands below are weight thresholds.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext_lazy as _

# P(same person | weight w) = 1 / (1 + exp(-(A·w + B))); bench/duplicates/run.sh 20000 5
# at ce0e0ee (fit on 3 206 pairs, Brier 0.0140 on the check set against the engine's 0.0149).
A = 0.49899
B = -0.20066


def pair_probability(weight: float) -> float:
    x = A * weight + B
    if x > 40:
        return 1.0
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def weight_at(probability: float) -> float:
    """The weight at which a pair reaches ``probability`` (the inverse of the above)."""
    return (math.log(probability / (1 - probability)) - B) / A


def probability_text(weight: float) -> str:
    """The calibrated probability of a queue pair, as ``percent_text`` writes it."""
    return percent_text(pair_probability(weight))


def percent_text(probability: float) -> str:
    """«97 %», «99,4 %», «99,98 %»: rounded down, never «100 %» (evidence is not certainty),
    with as many decimals as it takes to tell a near-certain pair from a very likely one."""
    percent = probability * 100
    if percent < 90:
        return f"{math.floor(percent)} %"
    digits = 1 if percent < 99 else 2
    shown = math.floor(percent * 10**digits) / 10**digits
    shown = min(shown, 99.99)
    return f"{shown:.{digits}f} %".replace(".", ",")


# Filter bands of the queue: (token, label, lowest probability, highest probability).
BANDS: tuple[tuple[str, Any, float, float], ...] = (
    ("99", _("99 % and above"), 0.99, 1.0),
    ("95", _("95–99 %"), 0.95, 0.99),
    ("80", _("80–95 %"), 0.80, 0.95),
    ("low", _("below 80 %"), 0.0, 0.80),
)
