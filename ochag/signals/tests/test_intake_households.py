"""The intake hands the signal's family to the registry's linker as household evidence
(issue 19 §9): a child reported with its mother is linked to the registry child of the
same full name who lives with her, not to the namesake who does not."""

from __future__ import annotations

from ochag.access.models import Agency
from ochag.conftest import Cast
from ochag.registry.models import Person
from ochag.registry.services import PersonData, household_create, membership_add, person_create
from ochag.signals import intake
from ochag.signals.inputs import SignalInput, SubjectInput, _others
from ochag.signals.models import Basis, Channel, SignalSubject, SubjectRole


def _person(cast: Cast, last: str, first: str, patr: str, year: int) -> Person:
    data = PersonData(territory=cast.municipality_a, last_name=last, first_name=first,
                      patronymic=patr, birth_year=year, birth_month=2, birth_day=3)  # fmt: skip
    return person_create(actor=None, data=data)


def test_others_are_the_signals_other_identified_people() -> None:
    child = SubjectInput(role=SubjectRole.CHILD, last_name="Фомин", first_name="Лев")
    mother = SubjectInput(role=SubjectRole.PARENT, last_name="Фомина", first_name="Юлия",
                          patronymic="Андреевна")  # fmt: skip
    unnamed = SubjectInput(role=SubjectRole.PARENT, first_name="Отец")
    assert _others([child, mother, unnamed], child) == ["Фомина Юлия Андреевна"]
    assert _others([child], child) == []


def test_a_child_reported_with_its_mother_links_to_the_child_living_with_her(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    ours = _person(cast, "Фомин", "Лев", "Петрович", 2016)
    namesake = _person(cast, "Фомин", "Лев", "Петрович", 2013)
    for child, mother in ((ours, ("Фомина", "Юлия", "Андреевна")),
                          (namesake, ("Фомина", "Алла", "Сергеевна"))):  # fmt: skip
        home = household_create(actor=cast.worker_a, territory=cast.municipality_a, name="Фомины")
        membership_add(actor=cast.worker_a, household=home, person=child, role="child")
        membership_add(actor=cast.worker_a, household=home, role="parent",
                       person=_person(cast, *mother, 1988))  # fmt: skip

    def report(*subjects: SubjectInput) -> SignalSubject:
        signal = intake.signal_create(actor=None, data=SignalInput(
            channel=Channel.STAFF, basis=Basis.DUTY_ART9, territory=cast.municipality_a,
            original_text="Текст", indicator_codes=["cruelty"], subjects=list(subjects),
        ))  # fmt: skip
        return SignalSubject.objects.get(signal=signal, role=SubjectRole.CHILD)

    # no date of birth: the full name alone cannot tell the two children apart
    lev = SubjectInput(role=SubjectRole.CHILD, last_name="Фомин", first_name="Лев",
                       patronymic="Петрович")  # fmt: skip
    assert report(lev).decision == "review"
    mother = SubjectInput(role=SubjectRole.PARENT, last_name="Фомина", first_name="Юля")
    linked = report(lev, mother)
    assert linked.decision == "link" and linked.person_id == ours.pk
