"""Merge history that cannot corrupt a person (issue 18 #3 #4 #5): unmerging in any order is
exact, the SNILS and twin rules hold for the whole merge cluster, and an edit made between
a merge and its unmerge is kept and reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry.models import Membership, Person, RegistryAction, Relationship
from ochag.registry.services import (
    MergeBlocked,
    PersonData,
    person_merge,
    person_snapshot,
    person_unmerge,
    person_update,
)
from ochag.registry.tests.factories import HouseholdFactory, make_person

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _fresh(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def _edit(cast: Cast, person: Person, **changes: object) -> Person:
    person = _fresh(person)
    data = replace(PersonData.of(person), **changes)  # type: ignore[arg-type]
    return person_update(actor=cast.admin, person=person, version=person.version, data=data)


def test_unmerging_in_the_wrong_order_restores_the_kept_record_exactly(cast: Cast) -> None:
    a = make_person(cast.municipality_a, first_name="Мария", address="Лесная, 1")
    b = make_person(cast.municipality_a, first_name="Маша", address="Речная, 2")
    c = make_person(cast.municipality_a, first_name="Маша", address="")
    before = person_snapshot(_fresh(a))
    first = person_merge(actor=cast.admin, kept=a, merged=b, choices={"address": "merged"})
    second = person_merge(actor=cast.admin, kept=a, merged=c)
    assert _fresh(a).address == "Речная, 2"
    person_unmerge(actor=cast.admin, record=first)
    assert _fresh(a).address == "Лесная, 1"
    person_unmerge(actor=cast.admin, record=second)
    assert person_snapshot(_fresh(a)) == before


def test_a_later_merge_that_changed_the_same_field_reverts_to_the_value_before_both(
    cast: Cast,
) -> None:
    a = make_person(cast.municipality_a, first_name="Мария", address="Лесная, 1")
    b = make_person(cast.municipality_a, first_name="Маша", address="Речная, 2")
    c = make_person(cast.municipality_a, first_name="Маша", address="Полевая, 3")
    first = person_merge(actor=cast.admin, kept=a, merged=b, choices={"address": "merged"})
    second = person_merge(actor=cast.admin, kept=a, merged=c, choices={"address": "merged"})
    person_unmerge(actor=cast.admin, record=first)
    assert _fresh(a).address == "Полевая, 3"  # the later merge's choice stands
    person_unmerge(actor=cast.admin, record=second)
    assert _fresh(a).address == "Лесная, 1"


def test_two_different_snils_never_meet_through_a_third_record(cast: Cast) -> None:
    a = make_person(cast.municipality_a, first_name="Мария", snils="112-233-445 95")
    b = make_person(cast.municipality_a, first_name="Маша", snils="001-001-999 65")
    c = make_person(cast.municipality_a, first_name="Маша", snils="")
    person_merge(actor=cast.admin, kept=c, merged=b, choices={"snils": "kept"})
    with pytest.raises(MergeBlocked, match="SNILS"):
        person_merge(actor=cast.admin, kept=c, merged=a)
    with pytest.raises(MergeBlocked, match="SNILS"):
        person_merge(actor=cast.admin, kept=a, merged=c)
    assert _fresh(a).merged_into_id is None


def test_a_snils_the_kept_record_gave_up_in_a_merge_still_counts(cast: Cast) -> None:
    a = make_person(cast.municipality_a, first_name="Мария", snils="112-233-445 95")
    b = make_person(cast.municipality_a, first_name="Маша", snils="")
    c = make_person(cast.municipality_a, first_name="Маша", snils="001-001-999 65")
    person_merge(actor=cast.admin, kept=a, merged=b, choices={"snils": "merged"})
    assert _fresh(a).snils == ""
    with pytest.raises(MergeBlocked, match="SNILS"):
        person_merge(actor=cast.admin, kept=a, merged=c)


def test_twins_never_meet_through_a_third_record(cast: Cast) -> None:
    anna = make_person(cast.municipality_a, first_name="Анна")
    olga = make_person(cast.municipality_a, first_name="Ольга")
    vague = make_person(cast.municipality_a, first_name="Ольга", birth_month=None, birth_day=None)
    person_merge(actor=cast.admin, kept=vague, merged=olga, choices={"birth_year": "kept"})
    with pytest.raises(MergeBlocked, match="twins"):
        person_merge(actor=cast.admin, kept=vague, merged=anna)


def test_an_edit_cannot_give_a_cluster_two_snils(cast: Cast) -> None:
    a = make_person(cast.municipality_a, first_name="Мария", snils="")
    b = make_person(cast.municipality_a, first_name="Маша", snils="001-001-999 65")
    person_merge(actor=cast.admin, kept=a, merged=b)
    with pytest.raises(ValidationError):
        _edit(cast, a, snils="11223344595")
    assert _fresh(a).snils == ""


def test_an_edit_between_merge_and_unmerge_is_kept_and_reported(
    cast: Cast, client_for: ClientFor
) -> None:
    a = make_person(cast.municipality_a, first_name="Мария", address="Лесная, 1", snils="")
    b = make_person(cast.municipality_a, first_name="Маша", address="Речная, 2",
                    snils="001-001-999 65")  # fmt: skip
    record = person_merge(actor=cast.admin, kept=a, merged=b,
                          choices={"address": "merged", "snils": "merged"})  # fmt: skip
    _edit(cast, a, address="Новая, 5")

    client = client_for(cast.coordinator)
    url = reverse("registry:merge_detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert "Новая, 5" in page and "Лесная, 1" in page  # kept (edited) and what it replaced
    assert "001-001-999 65" in page  # SNILS will revert to empty

    response = client.post(url, {"reason": "разные люди"})
    assert response.status_code == 302
    after = _fresh(a)
    assert after.address == "Новая, 5"
    assert after.snils == ""
    event = AuditEvent.objects.get(action=RegistryAction.PERSONS_UNMERGED)
    assert event.detail["kept"] == {"address": "Новая, 5"}
    assert event.detail["reverted"] == {"snils": ""}


def test_undo_of_a_merge_whose_kept_record_was_merged_again_names_the_merge_to_undo(
    cast: Cast,
) -> None:
    a = make_person(cast.municipality_a, first_name="Мария")
    b = make_person(cast.municipality_a, first_name="Маша")
    c = make_person(cast.municipality_a, first_name="Маша", birth_day=None)
    first = person_merge(actor=cast.admin, kept=b, merged=c)
    second = person_merge(actor=cast.admin, kept=a, merged=b)
    with pytest.raises(MergeBlocked, match=f"№ {second.pk}"):
        person_unmerge(actor=cast.admin, record=first)


def test_links_return_exactly_after_out_of_order_unmerges(cast: Cast) -> None:
    """A membership set aside by a later merge (it clashed with one an earlier merge moved)
    takes its place when the earlier merge is undone, and a relationship between the two
    absorbed records comes back as it was."""
    a = make_person(cast.municipality_a, first_name="Мария")
    b = make_person(cast.municipality_a, first_name="Маша", address="x")
    c = make_person(cast.municipality_a, first_name="Маша", address="y")
    home = HouseholdFactory(territory=cast.municipality_a)
    Membership.objects.create(household=home, person=b, role="child")
    Membership.objects.create(household=home, person=c, role="relative")
    rel = Relationship.objects.create(person=b, kind="sibling", relative_of=c)
    first = person_merge(actor=cast.admin, kept=a, merged=b)
    second = person_merge(actor=cast.admin, kept=a, merged=c)
    assert list(Membership.objects.filter(household=home).values_list("person_id", "role")) == [
        (a.pk, "child")
    ]
    person_unmerge(actor=cast.admin, record=first)
    # as if only c had been merged into a
    assert sorted(Membership.objects.filter(household=home).values_list("person_id", "role")) == (
        sorted([(b.pk, "child"), (a.pk, "relative")])
    )
    assert list(Relationship.objects.values_list("pk", "person_id", "relative_of_id")) == [
        (rel.pk, b.pk, a.pk)
    ]
    person_unmerge(actor=cast.admin, record=second)
    assert sorted(Membership.objects.filter(household=home).values_list("person_id", "role")) == (
        sorted([(b.pk, "child"), (c.pk, "relative")])
    )
    assert list(Relationship.objects.values_list("pk", "person_id", "relative_of_id")) == [
        (rel.pk, b.pk, c.pk)
    ]
