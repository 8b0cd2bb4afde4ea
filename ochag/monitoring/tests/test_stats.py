"""The significance test behind the risk-score audit's marks, against textbook values."""

from __future__ import annotations

import pytest

from ochag.monitoring.stats import benjamini_hochberg, fisher_exact_p, two_proportions_p


def test_fisher_exact_matches_known_values() -> None:
    # Fisher's tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70.
    assert fisher_exact_p(3, 4, 4, 8) == pytest.approx(34 / 70)
    # [[5, 0], [0, 6]]: P = 1 / C(11, 5); every other table with these margins is likelier.
    assert fisher_exact_p(5, 5, 5, 11) == pytest.approx(1 / 462)
    # [[0, 5], [2, 4]] (0 of 5 against 2 of 6): P(0) = 126/462, P(2) = 84/462 no likelier,
    # P(1) = 252/462 likelier: p = 210/462, nothing unusual.
    assert fisher_exact_p(0, 5, 2, 11) == pytest.approx(210 / 462)


def test_large_groups_use_the_z_test() -> None:
    # 60 of 100 against 40 of 100: z = 2.828, two-sided p = 0.00468.
    assert two_proportions_p(60, 100, 40, 100) == pytest.approx(0.004678, abs=1e-5)
    # 52 of 100 against 48 of 100: z = 0.566, p = 0.5716.
    assert two_proportions_p(52, 100, 48, 100) == pytest.approx(0.5716, abs=1e-4)


def test_degenerate_tables_are_not_significant() -> None:
    assert two_proportions_p(0, 10, 0, 10) == 1.0
    assert two_proportions_p(10, 10, 10, 10) == 1.0
    assert two_proportions_p(3, 5, 0, 0) == 1.0


def test_benjamini_hochberg_adjusts_in_the_order_given() -> None:
    # Sorted 0.005, 0.01, 0.03, 0.04 of m = 4: × 4/1, 4/2, 4/3, 4/4 = 0.02, 0.02, 0.04, 0.04.
    assert benjamini_hochberg([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # Monotone: a larger p never gets a smaller q; nothing over 1.
    assert benjamini_hochberg([0.04, 0.045, 0.9]) == pytest.approx([0.0675, 0.0675, 0.9])
    assert benjamini_hochberg([]) == []
