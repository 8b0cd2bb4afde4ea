"""Children in care: admission and its review deadline, need-to-know access to the child's
page (every read logged), the list's filters and query count, the reintegration plan that
opens the family's case, discharge and the public counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import User
from ochag.care import counts, selectors
from ochag.care.models import AgendaItem, Ground, LegalStatus, Outcome, Placement, ReviewKind
from ochag.care.services import placements
from ochag.care.tests.conftest import CareCast
from ochag.care.worklist import lines
from ochag.cases.models import Case, Task
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry
from ochag.core.testing import assert_queries_flat
from ochag.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
_n = count()


def admit(cast: Cast, care: CareCast, child=None, **kw) -> Placement:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    fields = {
        "institution": care.home,
        "admitted_on": today - dt.timedelta(days=40),
        "ground": Ground.NO_CARE,
        "act_number": f"{next(_n)}-п",
        "act_date": today - dt.timedelta(days=41),
        "family_territory": cast.municipality_a,
        "legal_status": LegalStatus.WITH_RIGHTS,
    }
    fields.update(kw)
    child = child or PersonFactory(
        last_name="Сидоров",
        first_name="Ваня",
        birth_year=today.year - 3,
        territory=cast.municipality_a,
    )
    return placements.placement_admit(actor=cast.worker_a, child=child, **fields)


def test_admission_creates_its_review_due_in_working_days(cast: Cast, care: CareCast) -> None:
    # Ten working days from an ordinary Tuesday and from a Monday.
    placement = admit(cast, care, admitted_on=dt.date(2026, 12, 1), act_date=dt.date(2026, 12, 1))
    review = placement.reviews.get()
    assert review.kind == ReviewKind.ADMISSION and review.due_on == dt.date(2026, 12, 15)
    late = admit(cast, care, admitted_on=dt.date(2026, 11, 30))
    assert late.reviews.get().due_on == dt.date(2026, 12, 14)
    with pytest.raises(ValidationError):
        admit(cast, care, child=placement.child)  # already in care


def test_new_year_holidays_count_as_days_off(cast: Cast, care: CareCast) -> None:
    moment = dt.datetime(2027, 1, 20, 10, tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: moment)
        placement = admit(
            cast, care, admitted_on=dt.date(2026, 12, 30), act_date=dt.date(2026, 12, 30)
        )
    # 31.12 and 1–10 January are days off: the tenth working day is 22.01.
    assert placement.reviews.get().due_on == dt.date(2027, 1, 22)


def test_child_page_need_to_know_and_logged(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    placement = admit(cast, care)
    url = reverse("care:placement", args=[placement.pk])
    assert Client().get(url).status_code == 302
    for user in (care.shelter_staff, care.overseer, cast.worker_b, cast.analyst, care.stranger):
        assert client_for(user).get(url).status_code == 404, user
    for user in (cast.coordinator, care.staff, cast.worker_a):
        assert client_for(user).get(url).status_code == 200, user
    assert AccessLogEntry.objects.filter(object_id=str(placement.pk)).count() == 3
    # The institution's staff see the child but not the family, and change nothing.
    staff_page = client_for(care.staff).get(url).content.decode()
    assert "Сидоров" in staff_page and "Brothers and sisters" not in staff_page
    assert (
        client_for(care.staff).get(reverse("care:overseer", args=[placement.pk])).status_code == 403
    )
    placements.overseer_assign(actor=cast.worker_a, placement=placement, overseer=care.overseer)
    assert client_for(care.overseer).get(url).status_code == 200


@pytest.mark.parametrize("url_name", ["overseer", "plan", "discharge", "contact_add"])
def test_child_forms_outsider_404_read_only_403(
    cast: Cast, care: CareCast, client_for: Clients, url_name: str
) -> None:
    placement = admit(cast, care)
    url = reverse(f"care:{url_name}", args=[placement.pk])
    assert client_for(care.shelter_staff).get(url).status_code == 404
    assert client_for(cast.worker_a).get(url).status_code == 200
    expected_staff = 200 if url_name == "contact_add" else 403
    assert client_for(care.staff).get(url).status_code == expected_staff


def test_list_filters_and_board(cast: Cast, care: CareCast, client_for: Clients) -> None:
    today = timezone.localdate()
    infant = admit(cast, care)
    older = admit(
        cast,
        care,
        child=PersonFactory(
            last_name="Кузнецова", birth_year=today.year - 12, territory=cast.municipality_b
        ),
        institution=care.shelter,
        admitted_on=today - dt.timedelta(days=800),
    )
    base = Placement.objects.all()
    assert list(selectors.age_band(base, "0-4", today)) == [infant]
    assert list(selectors.age_band(base, "10-13", today)) == [older]
    assert list(selectors.stay_band(base, "1-3y", today)) == [older]
    assert counts.in_care_by_age_band(cast.coordinator, today)["0-4"] == 1
    page = client_for(care.staff).get(reverse("care:children")).content.decode()
    assert "Сидоров" in page and "Кузнецова" not in page
    page = client_for(cast.coordinator).get(reverse("care:children") + "?age=0-4").content.decode()
    assert "Сидоров" in page and "Кузнецова" not in page
    labels = {line.label: line.count for line in lines(cast.coordinator)}
    assert labels["Дети в учреждениях без куратора"] == 2
    assert client_for(cast.analyst).get(reverse("care:children")).status_code == 403


def test_list_queries_flat(cast: Cast, care: CareCast, client_for: Clients) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            p = admit(cast, care)
            placements.overseer_assign(actor=cast.worker_a, placement=p, overseer=care.overseer)

    assert_queries_flat(client_for(cast.coordinator), reverse("care:children"), add)


def test_plan_opens_family_case_and_return_home_counts(
    cast: Cast, care: CareCast, cc: CaseCast
) -> None:
    placement = admit(cast, care, child=cc.children[1], household=cc.family)
    with pytest.raises(ValidationError):
        placements.reintegration_plan_open(actor=cast.worker_a, placement=placement, goal="")
    placements.reintegration_plan_open(
        actor=cast.worker_a, placement=placement, goal="Ремонт печи, пособие", barriers="Печь"
    )
    placement.refresh_from_db()
    case = Case.objects.get(pk=placement.family_case_id)
    assert case.household == cc.family
    assert Task.objects.filter(case=case, title__contains="Петров").exists()
    today = timezone.localdate()
    placements.placement_discharge(
        actor=cast.worker_a, placement=placement, discharged_on=today, outcome=Outcome.HOME
    )
    assert counts.returns_home(cast.coordinator, today, today) == 1
    assert counts.discharges_by_outcome(cast.coordinator, today, today) == {"home": 1}
    with pytest.raises(ValidationError):
        placements.placement_discharge(
            actor=cast.worker_a, placement=placement, discharged_on=today, outcome=Outcome.HOME
        )


def test_admit_form(cast: Cast, care: CareCast, client_for: Clients) -> None:
    url = reverse("care:admit")
    assert client_for(care.staff).get(url).status_code == 403
    child = PersonFactory(territory=cast.municipality_a)
    today = timezone.localdate()
    data = {
        "child": child.pk,
        "institution": care.home.pk,
        "admitted_on": today.strftime("%d.%m.%Y"),
        "ground": Ground.PARENTS_REQUEST,
        "act_number": "12-п",
        "act_date": today.strftime("%d.%m.%Y"),
        "family_territory": cast.municipality_a.pk,
        "legal_status": LegalStatus.WITH_RIGHTS,
    }
    bad = client_for(cast.worker_a).post(url, {**data, "admitted_on": "31.02.2026"})
    assert bad.status_code == 200 and "12-п" in bad.content.decode()
    response = client_for(cast.worker_a).post(url, data)
    assert response.status_code == 302
    item = AgendaItem.objects.get(placement__child=child)
    assert item.priority_reason  # parents' request: shown first at the next sitting
