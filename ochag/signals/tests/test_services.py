from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ochag.access.models import Agency, AgencyType, Notification
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.registry.models import Membership, Person, PersonKey, PersonVersion
from ochag.registry.services import PersonData, person_create
from ochag.registry.tests.factories import HouseholdFactory
from ochag.signals import intake, routing, services
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Basis,
    Channel,
    Colour,
    Indicator,
    RegionSettings,
    RoutingRule,
    Signal,
    SignalAction,
    SignalTask,
    SubjectRole,
    TaskKind,
    Track,
)

MSK = dt.timezone(dt.timedelta(hours=3))


def make(
    cast: Cast, codes: list[str], *, actor=None, subjects=None, territory=None, **kw
) -> Signal:
    data = SignalInput(
        channel=kw.pop("channel", Channel.STAFF),
        basis=kw.pop("basis", Basis.DUTY_ART9),
        territory=territory or cast.municipality_a,
        original_text="Текст сигнала",
        indicator_codes=codes,
        subjects=subjects or [],
        **kw,
    )
    return intake.signal_create(actor=actor, data=data)


def child(**kw) -> SubjectInput:
    values = {
        "role": SubjectRole.CHILD,
        "last_name": "Петрова",
        "first_name": "Анна",
        "patronymic": "Ивановна",
        "birth_date": "2016-04-12",
    }
    values.update(kw)
    return SubjectInput(**values)


def test_indicators_seeded_with_colours_and_poverty(db: None) -> None:
    assert Indicator.objects.count() == 25
    assert Indicator.objects.get(code="no_food").colour == Colour.RED
    assert Indicator.objects.get(code="no_food").poverty
    assert not Indicator.objects.get(code="signs_of_violence").poverty
    assert Indicator.objects.filter(colour=Colour.YELLOW).count() == 9


@pytest.mark.parametrize(
    ("codes", "colour", "track"),
    [
        (["signs_of_violence"], Colour.RED, Track.SAFETY),
        (["cruelty", "housing_debt"], Colour.AMBER, Track.ASSESSMENT),
        (["housing_debt", "low_income"], Colour.YELLOW, Track.SUPPORT),
        (
            ["no_food", "no_housing"],
            Colour.RED,
            Track.SUPPORT,
        ),  # poverty-type red: urgent help, not removal
        (
            ["unsanitary_housing", "no_heating_power", "family_conflict"],
            Colour.AMBER,
            Track.SUPPORT,
        ),
    ],
)
def test_triage(db: None, codes: list[str], colour: str, track: str) -> None:
    assert routing.triage(Indicator.objects.filter(code__in=codes)) == (colour, track)


def test_yellow_and_poverty_never_lead_to_removal(cast: Cast, bodies: dict[str, Agency]) -> None:
    signal = make(cast, ["no_food", "housing_debt", "unsanitary_housing"], actor=cast.worker_a)
    assert signal.track == Track.SUPPORT
    assert not signal.removal_path_allowed
    assert signal.routed_to == bodies["social"]
    assert list(signal.tasks.values_list("kind", flat=True)) == [TaskKind.SUPPORT_OFFER]
    task = SignalTask(
        signal=signal, kind=TaskKind.SAFETY_CHECK, agency=cast.agency_a, due_on=dt.date.today()
    )
    with pytest.raises(ValidationError):
        task.full_clean()
    with pytest.raises(ValidationError):
        services.signal_forward(
            actor=cast.worker_a,
            signal=signal,
            agency=Agency.objects.create(
                name="ПДН", type=AgencyType.POLICE, territory=cast.municipality_a
            ),
            reason="Не наш профиль",
        )


def test_red_signal_same_day_safety_check_and_duty_mail(
    cast: Cast,
    bodies: dict[str, Agency],
    time_machine,
    mailoutbox,
    run_queued_tasks,
) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 4, 10, 0, tzinfo=MSK), tick=False)  # Wednesday
    signal = make(cast, ["child_alone_under_10"], actor=cast.worker_a)
    assert not mailoutbox  # queued with the signal, sent by the worker
    assert run_queued_tasks() == 1
    assert signal.track == Track.SAFETY
    assert signal.routed_to == cast.agency_a
    assert signal.due_date == dt.date(2026, 3, 4)
    task = signal.tasks.get()
    assert (task.kind, task.due_on, task.agency) == (
        TaskKind.SAFETY_CHECK,
        dt.date(2026, 3, 4),
        cast.agency_a,
    )
    assert [m.to for m in mailoutbox] == [[cast.agency_a.email]]
    assert "Петрова" not in mailoutbox[0].body
    assert Notification.objects.filter(recipient=cast.supervisor_a, subject_id=signal.pk).exists()
    assert signal.urgency > make(cast, ["cruelty"]).urgency


def test_red_on_holiday_is_due_next_working_day(
    cast: Cast, bodies: dict[str, Agency], time_machine
) -> None:
    time_machine.move_to(
        dt.datetime(2026, 1, 3, 12, 0, tzinfo=MSK), tick=False
    )  # New Year holidays
    signal = make(cast, ["signs_of_violence"])
    assert signal.due_date == dt.date(2026, 1, 12)


def test_amber_deadline_is_regional_working_days_across_holidays(
    cast: Cast, bodies: dict[str, Agency], time_machine
) -> None:
    RegionSettings.objects.create(region=cast.region, assessment_days=2)
    time_machine.move_to(dt.datetime(2026, 2, 19, 9, 0, tzinfo=MSK), tick=False)  # Thursday
    signal = make(cast, ["persistent_truancy"])
    assert signal.routed_to == bodies["kdn"]
    # Friday 20th is the first working day; the weekend and Monday 23 February (a holiday)
    # are skipped.
    assert signal.due_date == dt.date(2026, 2, 24)
    assert signal.tasks.get().due_on == dt.date(2026, 2, 24)


def test_municipal_rule_beats_region_rule(cast: Cast, bodies: dict[str, Agency]) -> None:
    RoutingRule.objects.create(
        region=cast.region,
        track=Track.ASSESSMENT,
        territory=cast.municipality_a,
        agency_type=AgencyType.EDUCATION,
        agency=bodies["school"],
    )
    assert make(cast, ["cruelty"]).routed_to == bodies["school"]
    assert routing.route(territory=cast.municipality_b, track=Track.SAFETY) == cast.agency_b


def test_rule_agency_must_match_type(cast: Cast, bodies: dict[str, Agency]) -> None:
    rule = RoutingRule(
        region=cast.region,
        track=Track.ASSESSMENT,
        territory=cast.municipality_b,
        agency_type=AgencyType.KDN,
        agency=bodies["school"],
    )
    with pytest.raises(ValidationError):
        services.routing_rule_save(actor=cast.coordinator, rule=rule)


def test_subjects_link_new_then_existing(cast: Cast, bodies: dict[str, Agency]) -> None:
    first = make(cast, ["cruelty"], subjects=[child()])
    subject = first.subjects.get()
    assert subject.decision == "new" and subject.person is not None
    second = make(
        cast, ["persistent_truancy"], subjects=[child(last_name="ПЕТРОВА", first_name="Аня")]
    )
    assert (
        second.subjects.get().person_id == subject.person_id
        or second.subjects.get().decision == "review"
    )
    exact = make(cast, ["family_conflict"], subjects=[child()])
    assert exact.subjects.get().decision == "link"
    assert exact.subjects.get().person_id == subject.person_id
    assert Person.objects.count() == 1


def test_linking_finds_registry_person_by_its_keys_and_household(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    household = HouseholdFactory(territory=cast.municipality_a)
    person = person_create(
        actor=cast.worker_a,
        data=PersonData(
            last_name="Сидоров",
            first_name="Павел",
            patronymic="Олегович",
            sex="M",
            birth_year=2014,
            birth_month=2,
            birth_day=3,
            territory=cast.municipality_a,
        ),
    )
    Membership.objects.create(household=household, person=person, role="child")
    signal = make(
        cast,
        ["cruelty"],
        subjects=[
            child(
                last_name="Сидоров",
                first_name="Павел",
                patronymic="Олегович",
                birth_date="2014-02-03",
            )
        ],
    )
    assert signal.subjects.get().person == person
    assert signal.household == household


def test_repeat_signals_raise_priority_and_share_with_earlier_assignees(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    first = make(cast, ["cruelty"], subjects=[child()])
    services.signal_assign(
        actor=cast.supervisor_a, signal=first, assignee=UserFactory(agency=bodies["kdn"])
    )
    second = make(cast, ["persistent_truancy"], subjects=[child()])
    assert not second.priority_raised
    assert second.shared_with.filter(pk=first.assignee_id).exists()
    assert Notification.objects.filter(recipient=first.assignee, subject_id=second.pk).exists()
    third = make(cast, ["family_conflict"], subjects=[child()])
    assert third.priority_raised
    assert third.urgency > make(cast, ["family_conflict"]).urgency


def test_staff_shared_on_a_familys_signal_see_the_next_one_but_not_the_deactivated(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    first = make(cast, ["cruelty"], subjects=[child()])
    reader, gone = UserFactory(agency=bodies["kdn"]), UserFactory(agency=bodies["kdn"])
    first.shared_with.add(reader, gone)
    gone.is_active = False
    gone.save()
    second = make(cast, ["persistent_truancy"], subjects=[child()])
    assert set(second.shared_with.all()) == {reader}
    assert Notification.objects.filter(subject_id=second.pk, recipient=reader).exists()
    unrelated = make(cast, ["persistent_truancy"], subjects=[child(first_name="Пётр")])
    assert not unrelated.shared_with.exists()


def test_repeat_threshold_per_region(cast: Cast, bodies: dict[str, Agency]) -> None:
    RegionSettings.objects.create(region=cast.region, repeat_threshold=2)
    make(cast, ["cruelty"], subjects=[child()])
    assert make(cast, ["cruelty"], subjects=[child()]).priority_raised


def test_helpline_never_stores_caller(cast: Cast, bodies: dict[str, Agency]) -> None:
    with pytest.raises(ValidationError) as exc:
        make(
            cast,
            ["signs_of_violence"],
            channel=Channel.HELPLINE,
            basis=Basis.HELPLINE,
            reporter_name="Звонивший",
        )
    assert "reporter_name" in exc.value.message_dict


def test_helpline_escalation_is_recorded_with_the_signal_and_audited(
    cast: Cast, bodies: dict[str, Agency], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escalation happens in signal_create's own transaction, with its audit entry: a write
    that fails after it leaves neither the signal nor the escalation behind."""
    call = {"channel": Channel.HELPLINE, "basis": Basis.HELPLINE, "escalate": True}
    with pytest.raises(ValidationError) as exc:
        make(cast, ["family_conflict"], **call)  # not red: nothing to escalate
    assert "indicators" in exc.value.message_dict and not Signal.objects.exists()

    signal = make(cast, ["signs_of_violence"], actor=cast.worker_a, **call)
    stored = Signal.objects.get()
    assert stored.escalated_at is not None and stored.escalated_at == signal.escalated_at
    entry = AuditEvent.objects.get(action=SignalAction.ESCALATED)
    assert entry.object_id == str(signal.pk) and entry.actor == cast.worker_a

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(intake, "audit_record_many", broken)
    with pytest.raises(RuntimeError):
        make(cast, ["signs_of_violence"], **call)
    assert Signal.objects.count() == 1
    assert AuditEvent.objects.filter(action=SignalAction.ESCALATED).count() == 1


def test_validation_explains(cast: Cast) -> None:
    with pytest.raises(ValidationError) as exc:
        intake.signal_create(
            actor=None,
            data=SignalInput(
                channel=Channel.PUBLIC,
                basis=Basis.CITIZEN,
                territory=cast.region,
                original_text=" ",
                indicator_codes=["nope"],
            ),
        )
    assert set(exc.value.message_dict) == {"original_text", "indicators", "territory"}


def test_queue_actions(cast: Cast, bodies: dict[str, Agency]) -> None:
    signal = make(cast, ["signs_of_violence"], actor=cast.worker_a)
    services.signal_assign(actor=cast.supervisor_a, signal=signal, assignee=cast.worker_a)
    with pytest.raises(ValidationError):
        services.signal_assign(actor=cast.supervisor_a, signal=signal, assignee=cast.worker_b)
    urgency = signal.urgency
    services.signal_accept(actor=cast.worker_a, signal=signal)
    assert signal.taken_at is not None and signal.urgency < urgency
    with pytest.raises(ValidationError):
        services.signal_forward(
            actor=cast.worker_a, signal=signal, agency=bodies["kdn"], reason="  "
        )
    services.signal_forward(
        actor=cast.worker_a, signal=signal, agency=bodies["kdn"], reason="Профиль КДН"
    )
    assert signal.routed_to == bodies["kdn"] and signal.tasks.get().agency == bodies["kdn"]
    services.signal_return(actor=cast.worker_a, signal=signal, reason="Недостаточно данных")
    assert signal.events.filter(reason="Недостаточно данных").exists()


def test_attachment_type_and_size_checked(
    cast: Cast, bodies: dict[str, Agency], settings, tmp_path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    ok = SimpleUploadedFile("акт.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    signal = make(cast, ["cruelty"], attachments=None) if False else None
    data = SignalInput(
        channel=Channel.STAFF,
        basis=Basis.DUTY_ART9,
        territory=cast.municipality_a,
        original_text="т",
        indicator_codes=["cruelty"],
    )
    signal = intake.signal_create(actor=cast.worker_a, data=data, attachments=[ok])
    stored = signal.attachments.get()
    assert stored.file.path.startswith(str(tmp_path))
    for upload in (bad, exe):
        with pytest.raises(ValidationError):
            intake.signal_create(actor=cast.worker_a, data=data, attachments=[upload])


def test_token_issue_and_authenticate(cast: Cast) -> None:
    from ochag.access.tokens import agency_token_issue

    token, raw = agency_token_issue(actor=cast.admin, agency=cast.agency_a, name="МИС")
    assert token.key_hash != raw and raw not in token.key_hash
    assert services.token_authenticate(raw) == token
    assert services.token_authenticate(raw + "x") is None


def test_new_person_from_a_signal_is_created_by_the_registry_with_search_keys(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    signal = make(
        cast,
        ["cruelty"],
        subjects=[child(last_name="Ёлкин", first_name="Тимофей", birth_date="2016-04-05")],
    )
    subject = signal.subjects.get()
    assert subject.decision == "new"
    person = subject.person
    assert person is not None and person.key_birth == "2016-04-05"
    assert PersonKey.objects.filter(person=person).exists()
    assert PersonVersion.objects.filter(person=person, version=1).exists()
    # The registry's own search finds the person the signal created.
    again = make(
        cast,
        ["persistent_truancy"],
        subjects=[child(last_name="Ёлкин", first_name="Тимофей", birth_date="2016-04-05")],
    )
    assert again.subjects.get().person == person


def test_unrouted_signal_goes_to_the_coordinator_and_can_be_sent_by_hand(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    services.RoutingRule.objects.filter(track=Track.ASSESSMENT).delete()
    signal = make(cast, ["persistent_truancy"])
    assert signal.routed_to is None
    assert not signal.tasks.exists()
    assert Notification.objects.filter(recipient=cast.coordinator, subject_id=signal.pk).exists()
    forwarded = services.signal_forward(
        actor=cast.coordinator, signal=signal, agency=bodies["kdn"], reason="Компетенция КДН"
    )
    assert forwarded.routed_to == bodies["kdn"]
    task = forwarded.tasks.get()
    assert task.agency == bodies["kdn"] and task.due_on == signal.due_date


def test_deadline_task_is_done_when_taken_and_open_again_when_forwarded(
    cast: Cast, bodies: dict[str, Agency]
) -> None:
    signal = make(cast, ["signs_of_violence"], actor=cast.worker_a)
    assert SignalTask.objects.open().filter(signal=signal).count() == 1
    services.signal_accept(actor=cast.worker_a, signal=signal)
    task = signal.tasks.get()
    assert task.done_on is not None and not SignalTask.objects.open().filter(signal=signal)
    services.signal_forward(
        actor=cast.worker_a, signal=signal, agency=bodies["kdn"], reason="Профиль КДН"
    )
    task.refresh_from_db()
    assert task.done_on is None and task.agency == bodies["kdn"]
    services.signal_return(actor=cast.worker_a, signal=signal, reason="Недостаточно данных")
    task.refresh_from_db()
    assert task.done_on is not None
