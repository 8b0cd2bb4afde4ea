"""Need-to-know on the commission's agenda and on the family's case timeline: the family's
case and the support it was offered are shown to the commission's members only, and only
while the sitting is open; the child's details to whom the placement policy shows the child;
the case timeline lists a placement only to whom the care policy shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.care.extensions import timeline
from ochag.care.models import Decision, Ground, Placement, ReturnAction
from ochag.care.services import commission
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_commission import sitting
from ochag.care.tests.test_placements import admit
from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.support.models import LegalBasis
from ochag.support.services import referrals
from ochag.support.tests.conftest import SupportCast, sc  # noqa: F401 - the support cast

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
SERVICE = "Служба ранней помощи"


def _placed(cast: Cast, care: CareCast, cc: CaseCast, case: Case, sc: SupportCast) -> Placement:  # noqa: F811
    referrals.referral_send_with_consent(
        actor=cc.curator,
        case=case,
        service=sc.early_help,
        consent=referrals.ConsentData(
            basis=LegalBasis.KDN, given_on=dt.date(2026, 11, 20), scope="Постановление КДН"
        ),
        summary="Помощь семье",
        waiting_list_ok=True,
    )
    return admit(
        cast,
        care,
        child=cc.children[0],
        institution=care.shelter,
        family_case=case,
        ground=Ground.PARENTS_REQUEST,
    )


def test_family_details_on_the_agenda_for_members_during_the_sitting_only(
    cast: Cast,
    care: CareCast,
    cc: CaseCast,
    case: Case,
    sc: SupportCast,  # noqa: F811
    client_for: Clients,
) -> None:
    placement = _placed(cast, care, cc, case, sc)
    s = sitting(care)
    item = placement.reviews.get()
    assert item.sitting_id == s.pk and item.priority_reason  # parents' request: first
    url = reverse("care:agenda_item", args=[s.pk, item.pk])
    # A member (not on the family's case) sees the support offered before, first.
    page = client_for(care.member).get(url).content.decode()
    assert SERVICE in page and case.number in page
    assert page.index(SERVICE) < page.index("Основание")
    # The coordinator is not a member: the child, yes; the family's case and support, no.
    page = client_for(cast.coordinator).get(url).content.decode()
    assert "Основание" in page
    assert SERVICE not in page and case.number not in page
    assert "видны только членам комиссии" in page
    # Decided, confirmed, the sitting closed: the member keeps the protocol's line only.
    commission.decision_record(
        actor=care.member,
        item=item,
        decision=Decision.JUSTIFIED,
        reasons="Мама в больнице",
        action=ReturnAction.REFER,
    )
    commission.decision_confirm(actor=care.chair, item=item)
    commission.decision_confirm(actor=care.secretary, item=item)
    commission.sitting_close(actor=care.secretary, sitting=s)
    response = client_for(care.member).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Петрова" in page and "Помещение обосновано" in page
    assert SERVICE not in page and case.number not in page and "Основание" not in page
    assert "пока заседание не закрыто" in page


def test_case_timeline_lists_placements_by_the_care_policy(
    cast: Cast,
    care: CareCast,
    cc: CaseCast,
    case: Case,
    sc: SupportCast,  # noqa: F811
    client_for: Clients,
) -> None:
    _placed(cast, care, cc, case, sc)

    def placed(user: User) -> bool:
        return any("помещение в Приют «Маяк»" in str(e.title) for e in timeline(user, case))

    # The placing body, the institution's staff and the coordinator see it; the case's
    # curator and team, who are none of these, do not.
    assert placed(cast.worker_a) and placed(care.shelter_staff) and placed(cast.coordinator)
    assert not placed(cc.curator) and not placed(cc.teacher)
    page = client_for(cc.curator).get(reverse("cases:timeline", args=[case.pk]))
    assert page.status_code == 200 and "Приют «Маяк»" not in page.content.decode()
