"""The placement commission: the agenda assembled (priority admissions first and added
automatically), decisions with four-eyes confirmation and the agency rule, extension reviews
before the term ends (working days across holidays), «not justified» opening the family's
plan, members' access for the sitting's duration, the protocol PDF and every page's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import User
from ochag.care import policies, selectors
from ochag.care.models import (
    AgendaItem,
    Decision,
    Ground,
    Placement,
    ReturnAction,
    ReviewKind,
    Sitting,
)
from ochag.care.services import commission
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_placements import admit
from ochag.care.worklist import lines
from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.core.testing import assert_queries_flat

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def sitting(care: CareCast, days: int = 2) -> Sitting:
    return commission.sitting_create(
        actor=care.secretary,
        commission=care.commission,
        date=timezone.localdate() + dt.timedelta(days=days),
        place="Министерство, зал 2",
    )


def decide(care: CareCast, item: AgendaItem, decision: str = Decision.JUSTIFIED, **kw) -> None:  # type: ignore[no-untyped-def]
    commission.decision_record(
        actor=care.member,
        item=item,
        decision=decision,
        reasons=kw.pop("reasons", "Семья не готова"),
        action=kw.pop("action", ReturnAction.REFER),
        **kw,
    )


def test_priority_admissions_join_the_next_agenda_first(cast: Cast, care: CareCast) -> None:
    plain = admit(cast, care, institution=care.shelter)
    waiting = admit(cast, care, institution=care.shelter, ground=Ground.PARENTS_REQUEST)
    s = sitting(care)
    # Created after the admission: the sitting took the waiting priority review.
    assert list(s.items.values_list("placement", flat=True)) == [waiting.pk]
    later = admit(cast, care, ground=Ground.PARENTS_REQUEST)
    commission.agenda_add(actor=care.secretary, sitting=s, items=[plain.reviews.get()])
    order = [item.placement_id for item in selectors.agenda(s)]
    assert order[-1] == plain.pk and set(order[:2]) == {waiting.pk, later.pk}


def test_four_eyes_and_the_agency_rule(cast: Cast, care: CareCast, cc: CaseCast) -> None:
    s = sitting(care)
    in_shelter = admit(
        cast, care, institution=care.shelter, child=cc.children[0], household=cc.family
    )
    in_home = admit(cast, care)
    commission.agenda_add(
        actor=care.secretary, sitting=s, items=[in_shelter.reviews.get(), in_home.reviews.get()]
    )
    item = in_shelter.reviews.get()
    with pytest.raises(ValidationError):
        decide(care, item, Decision.NOT_JUSTIFIED, action=ReturnAction.NONE)
    decide(care, item, Decision.NOT_JUSTIFIED, action=ReturnAction.PREPARE_RETURN)
    with pytest.raises(ValidationError):
        commission.decision_confirm(actor=care.member, item=item)  # not chair or secretary
    commission.decision_confirm(actor=care.chair, item=item)
    with pytest.raises(ValidationError):
        commission.decision_confirm(actor=care.chair, item=item)  # twice
    item.refresh_from_db()
    assert item.done_on is None
    commission.decision_confirm(actor=care.secretary, item=item)
    item.refresh_from_db()
    assert item.done_on == s.date
    in_shelter.refresh_from_db()
    case = Case.objects.get(pk=in_shelter.family_case_id)
    assert case.household == cc.family and in_shelter.plan_opened_on is not None
    # The home is operated by the ministry: its secretary may not confirm about it.
    other = in_home.reviews.get()
    decide(care, other)
    with pytest.raises(ValidationError, match="своего ведомства"):
        commission.decision_confirm(actor=care.secretary, item=other)


def test_justified_until_sets_the_term_and_the_extension_review(cast: Cast, care: CareCast) -> None:
    s = sitting(care)
    placement = admit(cast, care, institution=care.shelter)
    item = placement.reviews.get()
    commission.agenda_add(actor=care.secretary, sitting=s, items=[item])
    decide(care, item, Decision.JUSTIFIED_UNTIL, justified_until=dt.date(2027, 1, 15))
    commission.decision_confirm(actor=care.chair, item=item)
    commission.decision_confirm(actor=care.secretary, item=item)
    placement.refresh_from_db()
    assert placement.term_until == dt.date(2027, 1, 15)
    extension = placement.reviews.get(kind=ReviewKind.EXTENSION)
    # Ten working days before 15.01.2027, with 31.12 and 1–10 January off: 23.12.2026.
    assert extension.due_on == dt.date(2026, 12, 23)


def test_members_see_the_agenda_children_only_while_the_sitting_is_open(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    s = sitting(care)
    placement = admit(cast, care, institution=care.shelter)
    commission.agenda_add(actor=care.secretary, sitting=s, items=[placement.reviews.get()])
    assert policies.placements.visible(care.member).filter(pk=placement.pk).exists()
    item = placement.reviews.get()
    url = reverse("care:agenda_item", args=[s.pk, item.pk])
    assert client_for(care.member).get(url).status_code == 200
    commission.sitting_close(actor=care.secretary, sitting=s)
    assert not policies.placements.visible(care.member).filter(pk=placement.pk).exists()
    assert client_for(care.member).get(url).status_code == 404  # closed: the item went back
    assert (
        client_for(care.member).get(reverse("care:placement", args=[placement.pk])).status_code
        == 404
    )


def test_overdue_reviews_on_the_coordinators_board(cast: Cast, care: CareCast) -> None:
    today = timezone.localdate()
    admit(cast, care, admitted_on=today - dt.timedelta(days=60))
    labels = {line.label: line.count for line in lines(cast.coordinator)}
    assert labels["Просроченные рассмотрения обоснованности"] == 1


def test_commission_pages_access(cast: Cast, care: CareCast, client_for: Clients) -> None:
    s = sitting(care)
    placement = admit(cast, care, institution=care.shelter)
    item = placement.reviews.get()
    commission.agenda_add(actor=care.secretary, sitting=s, items=[item])
    detail = reverse("care:sitting", args=[s.pk])
    for user in (care.stranger, cast.worker_a, care.staff):
        assert client_for(user).get(detail).status_code == 404, user
    for user in (care.member, care.chair, care.secretary, cast.coordinator):
        assert client_for(user).get(detail).status_code == 200, user
    assert Client().get(detail).status_code == 302
    create = reverse("care:sitting_create")
    assert client_for(care.member).get(create).status_code == 403
    assert client_for(care.secretary).get(create).status_code == 200
    close = reverse("care:sitting_close", args=[s.pk])
    assert client_for(care.member).post(close).status_code == 403
    assert client_for(care.stranger).post(close).status_code == 404
    reviews = client_for(care.secretary).get(reverse("care:reviews"))
    assert reviews.status_code == 200 and "Сидоров" in reviews.content.decode()
    assert client_for(cast.analyst).get(reverse("care:reviews")).status_code == 403
    pdf = client_for(care.chair).get(reverse("care:protocol", args=[s.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client_for(care.stranger).get(reverse("care:protocol", args=[s.pk])).status_code == 404


def test_decide_and_confirm_through_the_pages(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    s = sitting(care)
    placement = admit(cast, care, institution=care.shelter)
    item = placement.reviews.get()
    commission.agenda_add(actor=care.secretary, sitting=s, items=[item])
    url = reverse("care:agenda_item", args=[s.pk, item.pk])
    bad = client_for(care.member).post(url, {"decision": Decision.JUSTIFIED, "action": "refer"})
    assert bad.status_code == 200
    ok = client_for(care.member).post(
        url, {"decision": Decision.JUSTIFIED, "reasons": "Родители в больнице", "action": "none"}
    )
    assert ok.status_code == 302
    confirm = reverse("care:confirm", args=[s.pk, item.pk])
    for user in (care.chair, care.secretary):
        assert client_for(user).post(confirm).status_code == 302
    item.refresh_from_db()
    assert item.is_confirmed and item.done_on is not None
    assert client_for(care.staff).post(confirm).status_code == 404


def test_agenda_page_queries_flat(cast: Cast, care: CareCast, client_for: Clients) -> None:
    s = sitting(care)

    def add(n: int) -> None:
        items = [admit(cast, care, institution=care.shelter).reviews.get() for _ in range(n)]
        commission.agenda_add(actor=care.secretary, sitting=s, items=items)

    assert_queries_flat(client_for(care.secretary), reverse("care:sitting", args=[s.pk]), add)
    assert_queries_flat(client_for(care.secretary), reverse("care:reviews"), add)
    assert Placement.objects.count() == 20


def test_the_daily_deadline_check_stamps_overdue_reviews(cast: Cast, care: CareCast) -> None:
    from ochag.core.deadlines import deadlines_check

    today = timezone.localdate()
    late = admit(cast, care, admitted_on=today - dt.timedelta(days=60))
    on_time = admit(cast, care, admitted_on=today - dt.timedelta(days=1))
    (report,) = deadlines_check(day=today, only=["care.review"])
    assert report.overdue == 1
    assert late.reviews.get().overdue_since == today
    assert on_time.reviews.get().overdue_since is None
