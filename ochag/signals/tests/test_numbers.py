"""Receipt numbers: digits only, with a Damm check digit that every dictation mistake of one
digit or of two neighbouring digits breaks; new numbers are checked on lookup, earlier ones
still resolve."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ochag.access.models import Agency
from ochag.conftest import Cast
from ochag.signals import numbers
from ochag.signals.models import Signal
from ochag.signals.tests.test_api import URL, body, post
from ochag.signals.tests.test_api import token as token


def test_new_numbers_are_three_groups_of_four_digits_that_check() -> None:
    for _ in range(200):
        number = numbers.new_number()
        assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", number)
        assert not numbers.Lookup(number).mistyped


def test_every_single_digit_and_neighbour_swap_mistake_is_caught() -> None:
    for _ in range(50):
        digits = numbers.new_number().replace("-", "")
        for i in range(len(digits)):
            for wrong in "0123456789":
                if wrong != digits[i]:
                    typo = digits[:i] + wrong + digits[i + 1 :]
                    assert numbers.Lookup(typo).mistyped, (digits, typo)
        for i in range(len(digits) - 1):
            if digits[i] != digits[i + 1]:
                swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
                assert numbers.Lookup(swapped).mistyped, (digits, swapped)


def test_lookup_takes_any_spacing_and_leaves_earlier_numbers_alone() -> None:
    number = numbers.new_number()
    digits = number.replace("-", "")
    spaced = " ".join(digits[i : i + 3] for i in range(0, 12, 3))
    assert numbers.Lookup(spaced).number == number
    assert numbers.Lookup(digits).number == number
    old = numbers.Lookup("С-SQUJPBACCV")
    assert old.number == "С-SQUJPBACCV" and not old.mistyped


def test_a_taken_number_is_drawn_again() -> None:
    class Row:
        def __init__(self, number: str) -> None:
            self.number = number

    rows = [Row("1111-1111-1111"), Row("2222-2222-2222"), Row("2222-2222-2222")]
    assert numbers.redraw_taken(rows, {"1111-1111-1111"}) == 2
    assert len({r.number for r in rows}) == 3 and rows[0].number != "1111-1111-1111"


@pytest.mark.django_db
def test_status_lookup_checks_new_numbers_and_resolves_old_ones(
    client: Client, cast: Cast, bodies: dict[str, Agency], token: str
) -> None:
    created = post(client, token, body(cast)).json()["number"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(URL + created.replace("-", ""), headers=headers).status_code == 200
    digits = created.replace("-", "")
    typo = digits[:3] + str((int(digits[3]) + 1) % 10) + digits[4:]
    wrong = client.get(URL + typo, headers=headers)
    assert wrong.status_code == 404 and "с ошибкой" in wrong.json()["detail"]
    signal = Signal.objects.get(number=created)
    Signal.objects.filter(pk=signal.pk).update(number="С-SQUJPBACCV")
    assert client.get(URL + "С-SQUJPBACCV", headers=headers).json()["id"] == signal.pk
