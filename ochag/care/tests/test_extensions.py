"""What care adds below it: the registry's need-to-know (an institution's staff may open
their children's registry records, others not), the person card's section and the family
case's timeline."""

from __future__ import annotations

import pytest

from ochag.care.extensions import card_section, owners
from ochag.care.models import Decision, ReturnAction
from ochag.care.services import commission, placements
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_placements import admit
from ochag.cases.extensions import timeline_events
from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.registry import policies as registry_policies
from ochag.registry.extensions import PersonContext

pytestmark = pytest.mark.django_db


def test_institution_staff_see_their_children_in_the_registry(
    cast: Cast, care: CareCast, cc: CaseCast
) -> None:
    child = cc.children[0]
    assert not registry_policies.persons.visible(care.staff).filter(pk=child.pk).exists()
    placement = admit(cast, care, child=child, household=cc.family)
    assert registry_policies.persons.visible(care.staff).filter(pk=child.pk).exists()
    assert not registry_policies.persons.visible(care.shelter_staff).filter(pk=child.pk).exists()
    assert set(owners([child.pk], [])) >= {care.home_agency.pk, cast.agency_a.pk}
    section = card_section(care.staff, PersonContext(child, []))
    assert section is not None and section.rows[0].label == "ЦССВ «Надежда»"
    assert card_section(care.shelter_staff, PersonContext(child, [])).rows == []  # type: ignore[union-attr]
    assert card_section(cast.analyst, PersonContext(child, [])) is None
    assert placement.pk


def test_placement_and_decision_on_the_family_case_timeline(
    cast: Cast, care: CareCast, cc: CaseCast, case: Case
) -> None:
    placement = admit(
        cast, care, child=cc.children[1], household=cc.family, institution=care.shelter
    )
    sitting = commission.sitting_create(
        actor=care.secretary,
        commission=care.commission,
        date=placement.admitted_on.today(),
        place="Зал",
    )
    item = placement.reviews.get()
    commission.agenda_add(actor=care.secretary, sitting=sitting, items=[item])
    commission.decision_record(
        actor=care.member,
        item=item,
        decision=Decision.JUSTIFIED,
        reasons="Мать в больнице",
        action=ReturnAction.PREPARE_RETURN,
    )
    for user in (care.chair, care.secretary):
        commission.decision_confirm(actor=user, item=item)
    # The placing body (worker_a's agency) sees the placement on the family's timeline; the
    # case's curator, whom the care policy does not show this child, does not.
    titles = [e.title for e in timeline_events(cast.worker_a, case)]
    assert any("Приют «Маяк»" in t for t in titles)
    assert any("Помещение обосновано" in t for t in titles)
    assert not any("Приют «Маяк»" in e.title for e in timeline_events(cc.curator, case))
    placements.placement_discharge(
        actor=cast.worker_a,
        placement=placement,
        discharged_on=placement.admitted_on.today(),
        outcome="home",
    )
    assert any("Возвращён родителям" in e.title for e in timeline_events(cast.worker_a, case))
