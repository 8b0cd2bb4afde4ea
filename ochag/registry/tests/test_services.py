"""Registry services: history, optimistic locking, merge/unmerge round trip, safety rules."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Membership,
    Person,
    PersonKey,
    PersonVersion,
    RegistryAction,
    Relationship,
    snils_checksum_ok,
)
from ochag.registry.services import (
    ConflictError,
    MergeBlocked,
    PersonData,
    duplicate_dismiss,
    duplicates_find,
    person_create,
    person_merge,
    person_resolve,
    person_snapshot,
    person_unmerge,
    person_update,
)
from ochag.registry.tests.factories import HouseholdFactory, make_person

pytestmark = pytest.mark.django_db


def test_create_writes_keys_history_and_audit(cast: Cast) -> None:
    person = person_create(
        actor=cast.worker_a,
        data=PersonData(
            territory=cast.municipality_a,
            last_name="Иванова",
            first_name="Саша",
            patronymic="Сергеевна",
            birth_year=2015,
            birth_month=3,
            birth_day=5,
            snils="112-233-445 95",
        ),
    )
    assert person.snils == "11223344595"
    assert person.key_last == "иванов"
    assert "александра" in person.key_first.split()
    assert person.key_birth == "2015-03-05"
    keys = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    assert {"Lиванов", "Fалександра"} <= keys
    version = PersonVersion.objects.get(person=person)
    assert version.version == 1 and version.data["first_name"] == "Саша"
    assert AuditEvent.objects.filter(
        action=RegistryAction.PERSON_CREATED, object_id=str(person.pk)
    ).exists()


def test_update_keeps_history_and_detects_conflicts(cast: Cast) -> None:
    person = make_person(cast.municipality_a)
    person = person_update(actor=cast.worker_a, person=person, version=1,
                           data=replace(PersonData.of(person), last_name="Петрова"))  # fmt: skip
    assert person.version == 2 and person.key_last == "петров"
    assert list(person.versions.values_list("version", flat=True)) == [2, 1]
    assert PersonVersion.objects.get(person=person, version=1).data["last_name"] == "Иванова"
    with pytest.raises(ConflictError):
        person_update(actor=cast.worker_a, person=person, version=1,
                      data=replace(PersonData.of(person), first_name="Анна"))  # fmt: skip
    assert Person.objects.get(pk=person.pk).first_name == "Мария"


def test_snils_checksum() -> None:
    assert snils_checksum_ok("11223344595")
    assert not snils_checksum_ok("11223344596")
    assert not snils_checksum_ok("1122334459")


def test_bad_snils_and_impossible_date_rejected(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        make_person(cast.municipality_a, snils="112-233-445 96")
    with pytest.raises(ValidationError):
        make_person(cast.municipality_a, birth_month=2, birth_day=31)
    assert not Person.objects.exists()


def _links_of(person: Person) -> dict[str, list[tuple[object, ...]]]:
    return {
        "memberships": sorted(
            Membership.objects.filter(person=person).values_list("pk", "household_id", "role")
        ),
        "out": sorted(
            Relationship.objects.filter(person=person).values_list("pk", "kind", "relative_of_id")
        ),
        "in": sorted(
            Relationship.objects.filter(relative_of=person).values_list("pk", "kind", "person_id")
        ),
    }


def test_merge_and_unmerge_round_trip(cast: Cast) -> None:
    kept = make_person(cast.municipality_a, first_name="Мария", snils="")
    dup = make_person(
        cast.municipality_a,
        first_name="Маша",
        snils="112-233-445 95",
        birth_certificate="I-АБ 123456",
        address="ул. Лесная, 1",
    )
    mother = make_person(cast.municipality_a, first_name="Ольга", birth_year=1990)
    home = HouseholdFactory(territory=cast.municipality_a)
    other_home = HouseholdFactory(territory=cast.municipality_a, name="Другие")
    Membership.objects.create(household=home, person=kept, role="child")
    Membership.objects.create(household=home, person=dup, role="child")  # clashes on merge
    Membership.objects.create(household=other_home, person=dup, role="child")
    Relationship.objects.create(person=mother, kind="mother", relative_of=dup)
    Relationship.objects.create(person=mother, kind="mother", relative_of=kept)  # clashes
    Relationship.objects.create(person=dup, kind="sibling", relative_of=kept)  # becomes self
    before = {p.pk: (person_snapshot(p), _links_of(p)) for p in (kept, dup)}
    dup_pair = DuplicateCandidate.objects.create(person_a=kept, person_b=dup, probability=0.9)

    record = person_merge(
        actor=cast.supervisor_a,
        kept=kept,
        merged=dup,
        duplicate=dup_pair,
        choices={"snils": "merged", "birth_certificate": "merged"},
    )
    kept.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into_id == kept.pk
    assert kept.snils == "11223344595" and kept.birth_certificate == "I-АБ 123456"
    assert not Membership.objects.filter(person=dup).exists()
    assert Membership.objects.filter(person=kept).count() == 2
    assert not Relationship.objects.filter(relative_of=dup).exists()
    assert len(record.state["set_aside"]) == 3
    assert DuplicateCandidate.objects.get(pk=dup_pair.pk).status == DuplicateStatus.MERGED

    result = person_unmerge(actor=cast.supervisor_a, record=record)
    assert result.skipped == []
    for p in (kept, dup):
        p.refresh_from_db()
        snap, links = before[p.pk]
        assert person_snapshot(p) == snap
        assert _links_of(p) == links
    assert DuplicateCandidate.objects.get(pk=dup_pair.pk).status == DuplicateStatus.OPEN
    assert set(PersonKey.objects.filter(person=dup).values_list("key", flat=True))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {RegistryAction.PERSONS_MERGED, RegistryAction.PERSONS_UNMERGED} <= actions
    with pytest.raises(MergeBlocked):
        person_unmerge(actor=cast.supervisor_a, record=record)


def test_twins_are_never_merged(cast: Cast) -> None:
    anna = make_person(cast.municipality_a, first_name="Анна")
    olga = make_person(cast.municipality_a, first_name="Ольга")
    with pytest.raises(MergeBlocked):
        person_merge(actor=cast.admin, kept=anna, merged=olga)
    assert Person.objects.get(pk=olga.pk).merged_into_id is None


def test_different_valid_snils_never_merged(cast: Cast) -> None:
    a = make_person(cast.municipality_a, snils="112-233-445 95")
    b = make_person(cast.municipality_a, snils="001-001-999 65")
    with pytest.raises(MergeBlocked):
        person_merge(actor=cast.admin, kept=a, merged=b)


def test_duplicate_finder_stores_pairs_flags_twins_and_respects_dismissal(cast: Cast) -> None:
    a = make_person(cast.municipality_a, first_name="Мария")
    b = make_person(cast.municipality_a, first_name="Маша", last_name="Иванова")
    make_person(cast.municipality_a, first_name="Дарья")  # twin sister of a
    make_person(
        cast.municipality_b,
        last_name="Смирнов",
        first_name="Олег",
        sex="M",
        patronymic="Ильич",
        birth_year=1980,
    )
    assert duplicates_find() >= 1
    pair = DuplicateCandidate.objects.get(person_a=a, person_b=b)
    assert pair.probability >= 0.5 and pair.explanation and not pair.conflicts
    twins = DuplicateCandidate.objects.exclude(pk=pair.pk)
    assert all(t.conflicts for t in twins)
    duplicate_dismiss(actor=cast.supervisor_a, duplicate=pair)
    assert duplicates_find() == 0
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == DuplicateStatus.DISMISSED


def test_resolve_links_and_hides_out_of_scope(cast: Cast) -> None:
    mine = make_person(cast.municipality_a, snils="112-233-445 95")
    make_person(
        cast.municipality_b,
        last_name="Кузнецов",
        first_name="Пётр",
        sex="M",
        patronymic="Ильич",
        birth_year=2010,
        birth_month=1,
        birth_day=2,
    )
    res = person_resolve(
        actor=cast.worker_a,
        data={
            "last_name": "Иванова",
            "first_name": "Маша",
            "patronymic": "Сергеевна",
            "birth_date": "2015-03-05",
            "snils": "11223344595",
        },
    )
    assert res.decision == "link" and res.person == mine
    res = person_resolve(
        actor=cast.worker_a,
        data={
            "last_name": "Кузнецов",
            "first_name": "Петя",
            "patronymic": "Ильич",
            "birth_date": "2010-01-02",
        },
    )
    assert res.candidates == [] and res.hidden == 1 and res.person is None
    res = person_resolve(actor=cast.worker_a, data={"last_name": "Сидоров", "first_name": "Иван"})
    assert res.decision == "new"


def test_backfill_and_demo_duplicates(cast: Cast) -> None:
    import random

    from ochag.registry.services import demo_duplicates, person_keys_backfill

    Person.objects.bulk_create([
        Person(last_name="Соколова", first_name="Мария", patronymic="Ивановна", sex="F",
               birth_year=2012, birth_month=4, birth_day=9, territory=cast.municipality_a),
        Person(last_name="Орлов", first_name="Иван", sex="M", birth_year=2011,
               territory=cast.municipality_a),
    ])  # fmt: skip
    people = Person.objects.all()
    assert person_keys_backfill(people) == 2
    assert Person.objects.get(last_name="Соколова").key_first == "мария"
    assert PersonKey.objects.filter(key="Lсоколов").count() == 1
    counts = demo_duplicates(rng=random.Random(1), people=people, count=1)
    assert counts["demo_duplicate_records"] == 1
    assert DuplicateCandidate.objects.count() == counts["duplicate_pairs"] >= 1


def test_find_duplicates_command(cast: Cast) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_person(cast.municipality_a, first_name="Мария")
    make_person(cast.municipality_a, first_name="Маша")
    out = StringIO()
    call_command("registry_find_duplicates", "--region", str(cast.region.pk), stdout=out)
    assert out.getvalue().startswith("1 new")
    assert DuplicateCandidate.objects.count() == 1


def test_nightly_duplicate_search_fills_the_queue_and_queues_one_next_run(
    cast: Cast, time_machine
) -> None:
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from ochag.core.scheduling import next_daily_run
    from ochag.registry.tasks import NIGHTLY_HOUR, find_duplicates_nightly

    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
    waiting = DBTaskResult.objects.filter(task_path=find_duplicates_nightly.module_path)
    call_command("registry_find_duplicates", "--schedule", stdout=StringIO())
    call_command("registry_find_duplicates", "--schedule", stdout=StringIO())
    assert waiting.count() == 1  # scheduling twice never doubles the cycle
    (queued,) = waiting
    assert queued.run_after == next_daily_run(timezone.now(), NIGHTLY_HOUR)
    assert timezone.localtime(queued.run_after).hour == NIGHTLY_HOUR
    make_person(cast.municipality_a, first_name="Мария")
    make_person(cast.municipality_a, first_name="Маша")
    assert find_duplicates_nightly.call().startswith("1 new")
    assert DuplicateCandidate.objects.count() == 1
    assert waiting.count() == 1  # the run queued while one waits adds none
    waiting.delete()
    find_duplicates_nightly.call()
    assert waiting.count() == 1  # a run queues the next night's


def test_household_created_with_its_first_member_or_not_at_all(cast: Cast) -> None:
    """The screen opened from a person creates the household and the membership in one
    transaction: a refused member leaves no empty household behind (webcopies review)."""
    from ochag.registry.models import Household
    from ochag.registry.services import household_create

    child = make_person(territory=cast.municipality_a)
    before = Household.objects.count()
    with pytest.raises(ValueError):  # an unknown role, refused after the household's INSERT
        household_create(actor=cast.worker_a, territory=cast.municipality_a, name="Ивановы",
                         member=child, role="no-such-role")  # fmt: skip
    assert Household.objects.count() == before
    home = household_create(actor=cast.worker_a, territory=cast.municipality_a,
                            name="Ивановы", member=child, role="child")  # fmt: skip
    assert list(home.memberships.values_list("person_id", "role")) == [(child.pk, "child")]
    actions = AuditEvent.objects.filter(object_id=str(home.pk)).values_list("action", flat=True)
    assert {RegistryAction.HOUSEHOLD_CREATED, RegistryAction.MEMBER_ADDED} <= set(actions)
