from __future__ import annotations

import random

import pytest

from ochag.linkage import snils_is_valid, snils_normalise
from ochag.linkage.snils import snils_control


def _make(body: str) -> str:
    return body + snils_control(body)


def test_known_valid_number_all_formats() -> None:
    assert snils_is_valid("112-233-445 95")
    assert snils_is_valid("11223344595")
    assert snils_is_valid(" 112 233 445 95 ")
    assert snils_normalise("112-233-445 95") == "11223344595"


@pytest.mark.parametrize("bad", ["112-233-445 96", "1122334459", "abcdefghijk", "", None,
                                 "000-000-000 00", "112-233-445 9５"])  # fmt: skip
def test_invalid(bad: str | None) -> None:
    assert not snils_is_valid(bad)
    assert snils_normalise(bad) is None


def test_control_number_rules_sum_below_100_100_101_and_above() -> None:
    # sum < 100 -> the sum itself
    assert snils_control("001001999") == f"{(1 * 7 + 1 * 4 + 9 * 3 + 9 * 2 + 9 * 1):02d}"
    rng = random.Random(0)
    seen = set()
    for _ in range(3000):
        body = f"{rng.randint(1_002_000, 999_999_999):09d}"
        total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
        c = int(snils_control(body))
        if total < 100:
            assert c == total
            seen.add("lt100")
        elif total in (100, 101):
            assert c == 0
            seen.add("100/101")
        else:
            assert c == (total % 101) % 100
            seen.add("gt101")
        assert snils_is_valid(body + f"{c:02d}")
        assert not snils_is_valid(body + f"{(c + 1) % 100:02d}")
    assert {"lt100", "gt101"} <= seen


def test_old_numbers_have_no_checksum() -> None:
    assert snils_is_valid("001-001-998 00")
    assert snils_is_valid(_make("001001999"))
