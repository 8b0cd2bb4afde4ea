"""Whether a group's rate differs from the other children's by more than chance would
explain (the risk-score audit, issue 17 §5): a two-sided test of two proportions, and the
Benjamini–Hochberg correction for the many comparisons one audit page makes.

Plain Python. With every expected count of the 2×2 table at least 5, the two-proportion
z-test (normal approximation, pooled variance); below that the approximation is poor and
Fisher's exact test is used (the hypergeometric probabilities of every table with the
same margins no likelier than the one seen). Children are counted as independent, which
siblings assessed together are not: a family's decision counts once per child, so a
difference made by one large family can test as significant (the page says so).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

ALPHA = 0.05  # the false discovery rate, after correction, a difference must reach
MIN_EXPECTED = 5.0  # below this expected count, Fisher's exact test instead of z


def two_proportions_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """The two-sided p-value of ``k1`` of ``n1`` against ``k2`` of ``n2``; 1.0 when either
    group is empty or nothing (or everything) happened in both."""
    n, k = n1 + n2, k1 + k2
    if n1 == 0 or n2 == 0 or k == 0 or k == n:
        return 1.0
    pooled = k / n
    expected = min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if expected < MIN_EXPECTED:
        return fisher_exact_p(k1, n1, k, n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (k1 / n1 - k2 / n2) / se
    return math.erfc(abs(z) / math.sqrt(2))


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact_p(k1: int, n1: int, k: int, n: int) -> float:
    """Fisher's exact two-sided p: ``k1`` events among ``n1`` of ``n`` children with ``k``
    events in all; the sum over every ``x`` as likely as ``k1`` or less."""

    def log_p(x: int) -> float:
        return _log_comb(k, x) + _log_comb(n - k, n1 - x) - _log_comb(n, n1)

    seen = log_p(k1)
    low, high = max(0, n1 - (n - k)), min(n1, k)
    # A relative tolerance, as in R and SciPy, so tables as likely as the one seen count.
    total = sum(math.exp(log_p(x)) for x in range(low, high + 1) if log_p(x) <= seen + 1e-7)
    return min(1.0, total)


def benjamini_hochberg(pvalues: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) in the order given: p × m / rank, made monotone. Marking
    every comparison with q < α keeps the expected share of false marks among the marked
    under α, however many comparisons the page makes."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted
