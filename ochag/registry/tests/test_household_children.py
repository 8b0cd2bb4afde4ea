"""A form that picks among a family's children offers only those the user may see: the
registry's ``household_children`` starts from the person policy (issue 11 §2)."""

from __future__ import annotations

import pytest

from ochag.conftest import Cast
from ochag.registry.models import MemberRole, Membership
from ochag.registry.selectors import household_children
from ochag.registry.tests.factories import HouseholdFactory, make_person, reader_in

pytestmark = pytest.mark.django_db


def test_household_children_are_the_children_the_user_may_see(cast: Cast) -> None:
    family = HouseholdFactory(territory=cast.municipality_a, name="Петровы")
    alice = make_person(cast.municipality_a, last_name="Петрова", first_name="Алиса")
    boris = make_person(cast.municipality_a, last_name="Петров", first_name="Борис", sex="M")
    mother = make_person(cast.municipality_a, last_name="Петрова", first_name="Вера",
                         birth_year=1990)  # fmt: skip
    for child in (alice, boris):
        Membership.objects.create(household=family, person=child, role=MemberRole.CHILD)
    Membership.objects.create(household=family, person=mother, role=MemberRole.PARENT)
    elsewhere = HouseholdFactory(territory=cast.municipality_b, name="Дальние")
    far = make_person(cast.municipality_b, last_name="Дальняя", first_name="Нина")
    Membership.objects.create(household=elsewhere, person=far, role=MemberRole.CHILD)

    # The guardianship body of the family's municipality: the children, not the mother.
    assert set(household_children(cast.worker_a, family)) == {alice, boris}
    # Another municipality's body, not involved with the family: nobody to pick.
    assert list(household_children(cast.worker_b, family)) == []
    assert list(household_children(cast.worker_a, elsewhere)) == []
    # A school of the other municipality, opened to the family by an emergency grant.
    assert set(household_children(reader_in(cast.municipality_b, about=family), family)) == {
        alice,
        boris,
    }
