"""Whom a signal is about in the queue, and the signals lines of the home page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ochag.access.models import Agency
from ochag.conftest import Cast
from ochag.core.testing import assert_queries_flat
from ochag.signals import about
from ochag.signals.tests.test_views import red


def test_ages_read_as_people_say_them() -> None:
    day = dt.date(2026, 12, 3)
    assert about.age_label("2026-01-04", day) == "10 мес."
    assert about.age_label("2025-12-03", day) == "1 год"
    assert about.age_label("2021-12-04", day) == "4 года"
    assert about.age_label("2021-12-03", day) == "5 лет"
    assert about.age_label("2021-06", day) == "5 лет"
    assert about.age_label("2021", day) == "примерно 5 лет"
    assert about.age_label("", day) == ""
    assert about.birth_display("2021-06-09") == "09.06.2021"
    assert about.birth_display("2021-06") == "06.2021"
    assert about.birth_display("2021") == "2021"


@pytest.mark.django_db
def test_queue_names_the_family_and_childrens_ages(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC), tick=False):
        red(cast)
        body = client_for(cast.worker_a).get(reverse("signals:queue")).content.decode()
    assert "Петрова: ребёнок 7 лет" in body


@pytest.mark.django_db
def test_signal_detail_shows_reported_birth_date_as_day_month_year(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    signal = red(cast)
    body = client_for(cast.worker_a).get(reverse("signals:detail", args=[signal.pk])).content
    assert "02.01.2019" in body.decode() and "2019-01-02" not in body.decode()


@pytest.mark.django_db
def test_queue_queries_do_not_grow_with_rows(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    client = client_for(cast.worker_a)
    assert_queries_flat(client, reverse("signals:queue"), lambda n: [red(cast) for _ in range(n)])


@pytest.mark.django_db
def test_home_counts_only_the_users_own_work(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    red(cast)

    def counts(user: object) -> dict[str, int]:
        home = client_for(user).get("/")
        assert home.status_code == 200
        return {line.label: line.count for b in home.context["sections"] for line in b.lines}

    waiting = "Красные сигналы, ждущие оценки безопасности"
    assert counts(cast.worker_a)[waiting] == 1
    assert counts(cast.supervisor_a)[waiting] == 1
    assert counts(cast.coordinator)[waiting] == 1
    assert waiting not in counts(cast.worker_b)  # another municipality's guardianship body
    assert counts(cast.analyst) == {}  # aggregates only: no worklist of records
    body = client_for(cast.worker_a).get("/").content.decode()
    assert "Петрова: ребёнок" in body and "с момента получения" in body
