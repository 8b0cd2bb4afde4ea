"""Small counts hidden from aggregate-only readers (the federal analyst).

A count from 1 to 4 is shown as «менее 5» (primary suppression). Where cells add up to a
total that is shown, one hidden cell could be worked out by subtraction, so a second cell —
the smallest of the others — is hidden too (complementary suppression); a total under 5 is
hidden itself. Zero is shown: it reveals no one.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def hidden_cells(values: Sequence[int], *, additive: bool) -> set[int]:
    """Indexes of the cells to hide. ``additive``: the cells add up to a total shown beside
    them (a year's months, a region's municipalities), so one hidden cell is never alone."""
    hidden = {i for i, v in enumerate(values) if is_small(v)}
    if additive and len(hidden) == 1:
        others = [(v, i) for i, v in enumerate(values) if i not in hidden]
        if others:
            hidden.add(min(others)[1])
    return hidden


def share_hidden(numerator: int, denominator: int) -> bool:
    """A share reveals its numerator and its complement: hide it when either is small."""
    return denominator < THRESHOLD or is_small(numerator) or is_small(denominator - numerator)
