"""The batch pipeline and its per-process configuration cache, on the real database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from ochag.access.models import Agency, AgencyType
from ochag.conftest import Cast
from ochag.core.generation import config_generation
from ochag.core.services import calendar_override_set
from ochag.registry.models import Person, PersonKey, PersonVersion
from ochag.signals import intake, services
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import Basis, Channel, RoutingRule, Signal, SubjectRole, Track
from ochag.signals.services import routing_rule_save


def item(cast: Cast, codes: list[str], *children: tuple[str, str, str]) -> SignalInput:
    return SignalInput(
        channel=Channel.STAFF,
        basis=Basis.DUTY_ART9,
        territory=cast.municipality_a,
        original_text="Текст",
        indicator_codes=codes,
        subjects=[
            SubjectInput(role=SubjectRole.CHILD, last_name=last, first_name=first, birth_date=born)
            for last, first, born in children
        ],
    )


def test_an_edited_rule_routes_the_very_next_signal(cast: Cast, bodies: dict[str, Agency]) -> None:
    """The cached routing decision is dropped as soon as a coordinator changes the table."""
    before = intake.signal_create(actor=None, data=item(cast, ["cruelty"]))
    assert before.routed_to != bodies["school"]
    rule = RoutingRule(
        region=cast.region,
        track=Track.ASSESSMENT,
        territory=cast.municipality_a,
        agency_type=AgencyType.EDUCATION,
        agency=bodies["school"],
    )
    services.routing_rule_save(actor=cast.coordinator, rule=rule)
    after = intake.signal_create(actor=None, data=item(cast, ["cruelty"]))
    assert after.routed_to == bodies["school"]
    services.routing_rule_delete(actor=cast.coordinator, rule=rule)
    assert intake.signal_create(actor=None, data=item(cast, ["cruelty"])).routed_to == (
        before.routed_to
    )


def test_a_new_regional_day_off_moves_the_next_deadline(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    first = intake.signal_create(actor=None, data=item(cast, ["cruelty"]))
    assert first.due_date is not None
    calendar_override_set(
        actor=cast.coordinator,
        region=cast.region,
        date=first.due_date,
        is_working=False,
        reason="региональный выходной",
    )
    second = intake.signal_create(actor=None, data=item(cast, ["cruelty"]))
    assert second.due_date is not None and second.due_date > first.due_date


def test_a_rolled_back_change_leaves_no_stale_cache(cast: Cast, bodies: dict[str, Agency]) -> None:
    generation = config_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        # Configuration changes through its service, which starts a new generation.
        routing_rule_save(
            actor=cast.coordinator,
            rule=RoutingRule(
                region=cast.region,
                track=Track.ASSESSMENT,
                territory=cast.municipality_a,
                agency_type=AgencyType.EDUCATION,
                agency=bodies["school"],
            ),
        )
        assert config_generation() != generation
        # A process caching the uncommitted rule now ...
        assert (
            intake.signal_create(actor=None, data=item(cast, ["cruelty"])).routed_to
            == (bodies["school"])
        )
        raise RuntimeError("rolled back")
    # ... is not trusted afterwards: the generation is back to the committed one.
    assert config_generation() == generation
    assert (
        intake.signal_create(actor=None, data=item(cast, ["cruelty"])).routed_to
        != (bodies["school"])
    )


def test_a_batch_refuses_bad_items_and_writes_the_rest_once(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    persons_before = Person.objects.count()
    child = ("Соколова", "Мария", "2015-03-08")
    results = intake.signals_create_many(
        actor=None,
        items=[
            item(cast, ["persistent_truancy"], child),
            item(cast, ["no_such_indicator"], child),
            item(cast, ["cruelty"], ("Соколова", "Маша", "2015-03-08")),  # same new child
        ],
    )
    assert isinstance(results[1], ValidationError)
    assert "indicators" in results[1].message_dict
    first, third = results[0], results[2]
    assert isinstance(first, Signal) and isinstance(third, Signal)
    assert Signal.objects.count() == 2
    # The two rows about one new child share one registry person, with keys and a version.
    person = first.subjects.get().person
    assert person is not None and third.subjects.get().person_id == person.pk
    assert Person.objects.count() == persons_before + 1
    assert PersonKey.objects.filter(person=person).exists()
    assert PersonVersion.objects.filter(person=person, version=1).exists()
    assert third.subjects.get().candidates[0]["id"] == person.pk


def test_a_signal_and_its_attachments_are_one_transaction(
    cast: Cast, bodies: dict[str, Agency], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def disk_full(signal: Signal, upload: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(intake, "attachment_store", disk_full)
    upload = SimpleUploadedFile("акт.txt", "Акт обследования".encode(), "text/plain")
    persons_before = Person.objects.count()
    with pytest.raises(OSError):
        intake.signal_create(
            actor=cast.worker_a,
            data=item(cast, ["cruelty"], ("Орлова", "Вера", "2016-01-02")),
            attachments=[upload],
        )
    assert not Signal.objects.exists()
    assert Person.objects.count() == persons_before
