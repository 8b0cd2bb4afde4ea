"""The demo's duplicates queue reads as filled by nightly runs over the last fortnight (issue
13 §6: every demo pair used to be found the same day)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from ochag.conftest import Cast
from ochag.registry.models import DuplicateCandidate, Person
from ochag.registry.services import demo_duplicates
from ochag.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_demo_pairs_are_found_on_several_days_of_the_last_fortnight(cast: Cast) -> None:
    for i, (last, first) in enumerate([("Иванова", "Мария"), ("Петрова", "Александра"),
                                       ("Сидорова", "Екатерина"), ("Кузнецов", "Дмитрий"),
                                       ("Смирнова", "Ольга"), ("Волков", "Михаил")]):  # fmt: skip
        make_person(cast.municipality_a, last_name=last, first_name=first, birth_year=2012 + i)
    before = timezone.now()
    demo_duplicates(rng=random.Random(3), people=Person.objects.all(), count=6)
    found = list(DuplicateCandidate.objects.values_list("found_at", flat=True))
    assert len(found) >= 3
    assert all(before - dt.timedelta(days=14) < f <= timezone.now() for f in found)
    assert len({timezone.localdate(f) for f in found}) > 1
