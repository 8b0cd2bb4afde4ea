"""Receipt numbers that can be dictated over the telephone.

Twelve digits in three groups of four (``4821-7390-5512``): digits only, so nothing reads
differently in Cyrillic and Latin (the earlier ``С-SQUJPBACCV`` mixed a Cyrillic «С» with
Latin letters). The last digit is a Damm check digit: it catches every single wrong digit and
every swap of two neighbouring digits, so a number misheard on the phone is told apart from
one that was never issued. The other eleven are random, so a number tells nothing about
volumes and cannot be enumerated; intake re-draws the rare number already taken before it
writes. Numbers of the earlier form keep resolving as they are.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from typing import Protocol

# Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
DIGITS = 12
_TYPED = re.compile(r"^[\d\s\-–]+$")


def _damm(digits: str) -> int:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return interim


def check_digit(digits: str) -> str:
    return str(_damm(digits))


def _grouped(digits: str) -> str:
    return "-".join(digits[i : i + 4] for i in range(0, DIGITS, 4))


def new_number() -> str:
    # one draw for all eleven digits, leading zeros kept: the same uniform choice as a draw
    # per digit, at a tenth of the calls (an import draws a number per row)
    body = f"{secrets.randbelow(10 ** (DIGITS - 1)):0{DIGITS - 1}d}"
    return _grouped(body + check_digit(body))


def typed_digits(text: str) -> str | None:
    """The digits of a number typed or dictated in the current form (any spaces or dashes),
    or None when the text is not of that form (an earlier number, or anything else)."""
    if not _TYPED.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) == DIGITS else None


class Lookup:
    """What a typed number is: a current one (``number`` to look up), a current one with a
    mistake in it (``mistyped``), or anything else, looked up as typed."""

    def __init__(self, text: str) -> None:
        text = text.strip()
        digits = typed_digits(text)
        self.mistyped = digits is not None and _damm(digits) != 0
        self.number = _grouped(digits) if digits is not None else text


class _Numbered(Protocol):
    number: str


def redraw_taken(signals: Iterable[_Numbered], taken: set[str]) -> int:
    """Give a fresh number to each signal whose number is in ``taken`` or repeats one of the
    same batch; returns how many were re-drawn."""
    seen = set(taken)
    redrawn = 0
    for signal in signals:
        while signal.number in seen:
            signal.number = new_number()
            redrawn += 1
        seen.add(signal.number)
    return redrawn
