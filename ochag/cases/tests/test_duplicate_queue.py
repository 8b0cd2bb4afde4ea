"""The duplicates queue can be prioritised (issue 13 §6): pairs whose persons have an open
case (that the viewer may see) first, then pairs with a child, each by probability; the
calibrated probability and what differs on every row; both records as links; filters by
probability band, municipality, open case and child; a query count that does not grow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ochag.access.models import User
from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.core.models import Territory
from ochag.registry.explain import engine, explanation_json, person_record
from ochag.registry.likelihood import pair_probability, probability_text, weight_at
from ochag.registry.models import DuplicateCandidate, Person
from ochag.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
URL = "/registry/duplicates/"


def _pair(a: Person, b: Person) -> DuplicateCandidate:
    """A pair as the finder stores it (the engine's weight and explanation)."""
    first, second = sorted((a, b), key=lambda p: p.pk)
    cand = engine().compare(person_record(first), person_record(second))
    return DuplicateCandidate.objects.create(
        person_a=first, person_b=second, probability=cand.probability, score=cand.score,
        explanation=explanation_json(cand.explanation), conflicts=list(cand.conflicts),
    )  # fmt: skip


def _adults(mun: Territory, last: str) -> DuplicateCandidate:
    a = make_person(mun, last_name=last, first_name="Ольга", patronymic="Ивановна",
                    birth_year=1980, birth_month=5, birth_day=6)  # fmt: skip
    b = make_person(mun, last_name=last, first_name="Ольга", patronymic="Ивановна",
                    birth_year=1980, birth_month=5, birth_day=6)  # fmt: skip
    return _pair(a, b)


def _rows(client: Client, query: str = "") -> list[int]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return [row.pk for row in response.context["table"].page.object_list]


@pytest.fixture
def queue(cast: Cast, cc: CaseCast, case: Case) -> dict[str, DuplicateCandidate]:
    mun = cc.family.territory
    mother = Person.objects.get(first_name="Вера", last_name="Петрова")
    again = make_person(mun, last_name="Петрова", first_name="Вера", patronymic="",
                        birth_year=1990, birth_month=None, birth_day=None)  # fmt: skip
    child = make_person(mun, last_name="Сидорова", first_name="Мария", birth_year=2016)
    child_again = make_person(mun, last_name="Сидорова", first_name="Маша", patronymic="",
                              birth_year=2016)  # fmt: skip
    return {
        "adults": _adults(mun, "Кузнецова"),
        "child": _pair(child, child_again),
        "case": _pair(mother, again),
        "elsewhere": _adults(cast.municipality_b, "Волкова"),
    }


def test_open_case_and_child_pairs_first_then_by_probability(
    cast: Cast, cc: CaseCast, queue: dict[str, DuplicateCandidate], client_for: ClientFor
) -> None:
    q = queue
    # The weakest evidence of the three, yet first: its mother has an open case.
    assert q["case"].score < q["child"].score < q["adults"].score
    client = client_for(cast.coordinator)
    assert _rows(client)[:3] == [q["case"].pk, q["child"].pk, q["adults"].pk]
    assert _rows(client, "?open_case=yes") == [q["case"].pk]
    assert set(_rows(client, "?child=yes")) == {q["child"].pk}
    assert q["child"].pk not in _rows(client, "?child=no")
    here = _rows(client, f"?municipality={cast.municipality_a.pk}")
    assert q["elsewhere"].pk not in here and len(here) == 3
    top = {p.pk for p in q.values() if pair_probability(p.score) >= 0.99}
    assert set(_rows(client, "?band=99")) == top
    banded = [set(_rows(client, f"?band={b}")) for b in ("99", "95", "80", "low")]
    assert set.union(*banded) == {p.pk for p in q.values()}
    assert sum(len(b) for b in banded) == len(q)  # the bands do not overlap
    assert _rows(client, "?sort=-probability")[0] == q["adults"].pk

    # A guardianship supervisor who takes no part in the case is not told of it.
    bystander = client_for(cast.supervisor_a)
    assert _rows(bystander)[0] == q["child"].pk
    assert _rows(bystander, "?open_case=yes") == []


def test_rows_show_the_calibrated_probability_what_differs_and_both_records(
    cast: Cast, queue: dict[str, DuplicateCandidate], client_for: ClientFor
) -> None:
    page = client_for(cast.coordinator).get(URL).content.decode()
    pair = queue["child"]
    assert probability_text(pair.score) in page and "100 %" not in page
    assert "Различается: имя — то же полное имя (уменьшительное или латиница); отчество" in page
    assert "Совпадает: фамилия, дата рождения" in page
    for person in (pair.person_a, pair.person_b):
        assert reverse("registry:person_detail", args=[person.pk]) in page
    assert "Открытый случай" in page and "Ребёнок" in page

    compare = (
        client_for(cast.coordinator)
        .get(reverse("registry:duplicate_compare", args=[pair.pk]))
        .content.decode()
    )
    body = compare[compare.index("<tbody>") :]
    assert body.index("Имя") < body.index("Фамилия")  # what differs first
    assert "Маша" in compare and "маша" not in compare  # names in their proper case
    assert "за одно лицо" in compare


def test_probability_text_reads_as_a_probability() -> None:
    assert probability_text(60.0) == "99,99 %"  # never «100 %»
    assert (
        probability_text(weight_at(0.975)) == "97,4 %"
        or probability_text(weight_at(0.975)) == "97,5 %"
    )
    assert probability_text(weight_at(0.5)) in ("49 %", "50 %")
    weights = [w / 2 for w in range(-20, 60)]
    probabilities = [pair_probability(w) for w in weights]
    assert probabilities == sorted(probabilities)
    for p in (0.8, 0.95, 0.99):
        assert abs(pair_probability(weight_at(p)) - p) < 1e-9


def test_queue_query_count_does_not_grow(
    cast: Cast, cc: CaseCast, queue: dict[str, DuplicateCandidate], client_for: ClientFor
) -> None:
    client = client_for(cast.coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _rows(client, "?open_case=no")
        return len(ctx.captured_queries)

    count()
    few = count()
    for i in range(4):
        _adults(cc.family.territory, f"Смирнова{i}")
    assert count() == few
