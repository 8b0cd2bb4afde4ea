"""SNILS (СНИЛС) normalisation and checksum validation."""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"[\s\-\u2010-\u2015.]")


def snils_normalise(value: str | None) -> str | None:
    """11 digits if `value` is a SNILS with a valid checksum (any of 12345678901 /
    123-456-789 01 / 123 456 789 01), else None. Invalid numbers count as missing."""
    if value is None:
        return None
    digits = _NON_DIGITS.sub("", str(value).strip())
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return None
    return digits if _checksum_ok(digits) else None


def snils_is_valid(value: str | None) -> bool:
    """True when `value` is an 11-digit SNILS whose control number matches.

    Official algorithm (Pension Fund): each of the first nine digits is multiplied by
    its position counted from the right (9..1) and the products are summed; a sum below
    100 is the control number itself, 100 or 101 give 00, above 101 the remainder of
    division by 101 is taken (and a remainder of 100 gives 00). Numbers up to
    001-001-998 were issued before the control number existed and are accepted as is.
    """
    return snils_normalise(value) is not None


def _checksum_ok(digits: str) -> bool:
    body, control = digits[:9], int(digits[9:])
    if int(body) == 0:
        return False
    if int(body) <= 1001998:
        return True
    total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
    if total < 100:
        expected = total
    elif total in (100, 101):
        expected = 0
    else:
        expected = total % 101
        if expected == 100:
            expected = 0
    return control == expected


def snils_control(body9: str) -> str:
    """Control number (two digits) for the first nine digits; used by test generators."""
    total = sum(int(d) * w for d, w in zip(body9, range(9, 0, -1), strict=True))
    if total < 100:
        c = total
    elif total in (100, 101):
        c = 0
    else:
        c = total % 101
        c = 0 if c == 100 else c
    return f"{c:02d}"
