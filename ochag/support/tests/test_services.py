"""Directory, referral and family-link services on the real database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ochag.access.models import Notification
from ochag.cases.models import Case
from ochag.conftest import Cast
from ochag.core.calendar import add_working_days
from ochag.core.deadlines import deadlines_check
from ochag.core.models import AuditEvent
from ochag.core.services import ConflictError
from ochag.support import selectors
from ochag.support.catalogue import STARTING_CATALOGUE
from ochag.support.models import (
    LegalBasis,
    Outcome,
    Referral,
    ReferralStatus,
    ServiceType,
    SupportAction,
)
from ochag.support.services import directory, family, referrals
from ochag.support.tests.conftest import SupportCast

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def consent_for(case: Case, *, shares_health: bool = False) -> referrals.ConsentData:
    return referrals.ConsentData(
        basis=LegalBasis.CONSENT,
        given_by="Петрова Вера Ивановна",
        given_on=dt.date(2026, 11, 20),
        scope="Сведения о составе семьи и о потребности в помощи",
        shares_health=shares_health,
    )


def send(case: Case, sc: SupportCast, service=None, **kwargs) -> Referral:  # type: ignore[no-untyped-def]
    return referrals.referral_send_with_consent(
        actor=case.curator,
        case=case,
        service=service or sc.early_help,
        consent=kwargs.pop("consent", consent_for(case)),
        summary="Мама одна с двумя детьми, младшему 3 года",
        **kwargs,
    )


def test_the_catalogue_starts_with_the_twelve_types() -> None:
    codes = set(ServiceType.objects.values_list("code", flat=True))
    assert {code for code, _n, _p in STARTING_CATALOGUE} <= codes
    assert len(STARTING_CATALOGUE) == 12


def test_a_second_leading_operator_is_refused(cast: Cast, sc: SupportCast) -> None:
    with pytest.raises(ValidationError) as error:
        directory.provider_create(
            actor=cast.coordinator,
            name="Другой фонд",
            kind="ngo",
            territory=cast.municipality_b,
            municipalities=[cast.municipality_b],
            phone="123",
            is_leading_operator=True,
        )
    assert "is_leading_operator" in error.value.message_dict
    assert "НКО «Семья рядом»" in error.value.message_dict["is_leading_operator"][0]


def test_every_directory_write_is_audited(cast: Cast, sc: SupportCast) -> None:
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count(SupportAction.PROVIDER_CREATED) == 2
    assert actions.count(SupportAction.SERVICE_CREATED) == 3


def test_overlapping_capacity_edits_do_not_overwrite_each_other(
    cast: Cast, sc: SupportCast
) -> None:
    version = sc.patronage.version
    directory.service_update(
        actor=cast.coordinator,
        service=sc.patronage,
        expected_version=version,
        indicators=[],
        capacity=8,
    )
    with pytest.raises(ConflictError) as conflict:
        directory.service_update(
            actor=sc.ngo_head,
            service=sc.patronage,
            expected_version=version,
            indicators=[],
            capacity=2,
        )
    assert conflict.value.current.capacity == 8
    sc.patronage.refresh_from_db()
    assert sc.patronage.capacity == 8


def test_indicators_with_delivery_records_are_kept(cast: Cast, sc: SupportCast, case: Case) -> None:
    referral = send(case, sc)
    referral = referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=referral,
        expected_version=referral.version,
        status=ReferralStatus.ACCEPTED,
        start_date=dt.date(2026, 12, 1),
    )
    indicator = sc.early_help.indicators.first()
    assert indicator is not None
    referrals.delivery_record(
        actor=sc.ngo_worker,
        referral=referral,
        indicator=indicator,
        date=referral.sent_at.date(),
        met=True,
    )
    directory.service_update(
        actor=cast.coordinator,
        service=sc.early_help,
        expected_version=sc.early_help.version,
        indicators=["Новый показатель"],
    )
    names = set(sc.early_help.indicators.values_list("name", flat=True))
    assert names == {indicator.name, "Новый показатель"}


@time_machine.travel(NOW, tick=False)
def test_a_referral_is_due_in_five_working_days_and_audited(sc: SupportCast, case: Case) -> None:
    referral = send(case, sc)
    assert referral.status == ReferralStatus.SENT
    assert referral.due_on == add_working_days(NOW.date(), 5, territory=case.territory)
    assert referral.consent.given_by == "Петрова Вера Ивановна"
    assert AuditEvent.objects.filter(
        action=SupportAction.REFERRAL_SENT, object_id=str(referral.pk)
    ).exists()
    assert AuditEvent.objects.filter(action=SupportAction.CONSENT_RECORDED).exists()


def test_a_service_that_just_filled_refuses_and_records_nothing(
    sc: SupportCast, case: Case
) -> None:
    first = send(case, sc)
    referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=first,
        expected_version=first.version,
        status=ReferralStatus.ACCEPTED,
        start_date=dt.date(2026, 12, 1),
    )
    consents_before = AuditEvent.objects.filter(action=SupportAction.CONSENT_RECORDED).count()
    with pytest.raises(ValidationError) as error:
        send(case, sc)
    assert "waiting_list_ok" in error.value.message_dict
    # The consent of the refused referral is not left behind.
    assert (
        AuditEvent.objects.filter(action=SupportAction.CONSENT_RECORDED).count() == consents_before
    )
    waiting = send(case, sc, waiting_list_ok=True)
    assert waiting.status == ReferralStatus.SENT
    place = selectors.with_places(type(sc.early_help).objects.filter(pk=sc.early_help.pk)).get()
    assert (place.free, place.held) == (0, 1)


def test_a_provider_must_serve_the_family(sc: SupportCast, case: Case) -> None:
    with pytest.raises(ValidationError, match="не обслуживает"):
        send(case, sc, service=sc.rehab)


def test_health_details_need_the_familys_consent(sc: SupportCast, case: Case) -> None:
    with pytest.raises(ValidationError) as error:
        send(case, sc, health_note="Мама на учёте у нарколога")
    assert "health_note" in error.value.message_dict
    referral = send(
        case,
        sc,
        health_note="Мама на учёте у нарколога",
        consent=consent_for(case, shares_health=True),
    )
    assert referral.health_note


def test_transitions_follow_primero_and_a_second_answer_is_refused(
    sc: SupportCast, case: Case
) -> None:
    referral = send(case, sc, service=sc.patronage)
    stale = referral.version
    waiting = referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=referral,
        expected_version=stale,
        status=ReferralStatus.WAITING,
    )
    with pytest.raises(ValidationError, match="уже ответили"):
        referrals.referral_answer(
            actor=sc.ngo_head,
            referral=referral,
            expected_version=stale,
            status=ReferralStatus.DECLINED,
            reason="Нет мест",
        )
    with pytest.raises(ValidationError) as error:
        referrals.referral_answer(
            actor=sc.ngo_worker,
            referral=waiting,
            expected_version=waiting.version,
            status=ReferralStatus.ACCEPTED,
        )
    assert "start_date" in error.value.message_dict
    accepted = referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=waiting,
        expected_version=waiting.version,
        status=ReferralStatus.ACCEPTED,
        start_date=dt.date(2026, 12, 1),
    )
    started = referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=accepted,
        expected_version=accepted.version,
        status=ReferralStatus.IN_PROGRESS,
    )
    with pytest.raises(ValidationError) as error:
        referrals.referral_answer(
            actor=sc.ngo_worker,
            referral=started,
            expected_version=started.version,
            status=ReferralStatus.COMPLETED,
        )
    assert "outcome" in error.value.message_dict
    done = referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=started,
        expected_version=started.version,
        status=ReferralStatus.COMPLETED,
        outcome=Outcome.REACHED,
        reason="Семья справляется сама",
    )
    assert done.status == ReferralStatus.COMPLETED and done.closed_at is not None
    assert list(done.events.values_list("status", flat=True)) == [
        "sent",
        "waiting",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert (
        AuditEvent.objects.filter(
            action=SupportAction.REFERRAL_ANSWERED, object_id=str(done.pk)
        ).count()
        == 4
    )


def test_declining_needs_a_reason(sc: SupportCast, case: Case) -> None:
    referral = send(case, sc)
    with pytest.raises(ValidationError) as error:
        referrals.referral_answer(
            actor=sc.ngo_worker,
            referral=referral,
            expected_version=referral.version,
            status=ReferralStatus.DECLINED,
        )
    assert "reason" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_withdrawing_consent_withdraws_open_referrals(sc: SupportCast, case: Case) -> None:
    referral = send(case, sc)
    referrals.consent_withdraw(actor=case.curator, consent=referral.consent, note="Мама передумала")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        referrals.referral_send(
            actor=case.curator,
            case=case,
            service=sc.patronage,
            consent=referral.consent,
            summary="Повторно",
        )


def test_a_legal_basis_replaces_consent(sc: SupportCast, case: Case) -> None:
    referral = send(
        case,
        sc,
        consent=referrals.ConsentData(
            basis=LegalBasis.KDN, given_on=dt.date(2026, 11, 1), scope="Постановление КДН № 5"
        ),
    )
    assert referral.consent.basis == LegalBasis.KDN
    with pytest.raises(ValidationError) as error:
        send(
            case,
            sc,
            consent=referrals.ConsentData(
                basis=LegalBasis.CONSENT, given_on=dt.date(2026, 11, 1), scope="—"
            ),
        )
    assert "given_by" in error.value.message_dict


def test_family_code_opens_until_revoked_or_expired(
    case: Case, settings, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.OCHAG_SMS_BACKEND = "ochag.support.sms.FileBackend"
    settings.OCHAG_SMS_FILE = tmp_path / "sms.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        link, code = family.family_link_issue(
            actor=case.curator, case=case, days=30, phone="+7 912 345-67-89"
        )
    sent = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert sent[0]["phone"] == "+79123456789" and code in sent[0]["text"]
    assert link.code_hash != code and code not in link.code_hash
    assert family.family_page_open(code=code.lower().replace("-", " ")) == link
    assert family.family_page_open(code="AAAA-BBBB-CCCC") is None
    assert AuditEvent.objects.filter(action=SupportAction.FAMILY_PAGE_OPENED).count() == 1
    link.refresh_from_db()
    assert link.openings == 1
    with time_machine.travel(link.expires_at + dt.timedelta(seconds=1)):
        assert family.family_page_open(code=code) is None
    family.family_link_revoke(actor=case.curator, link=link)
    assert family.family_page_open(code=code) is None


def test_a_bad_phone_is_refused_and_nothing_issued(case: Case) -> None:
    with pytest.raises(ValidationError) as error:
        family.family_link_issue(actor=case.curator, case=case, days=30, phone="позвонить маме")
    assert "phone" in error.value.message_dict
    assert not selectors.family_links(case.curator, case).exists()


def test_the_answer_is_a_deadline_of_the_core_base(sc: SupportCast, case: Case) -> None:
    with time_machine.travel(NOW, tick=False):
        referral = send(case, sc)
    late = referral.due_on + dt.timedelta(days=1)
    deadlines_check(day=late, only=["support.referral_answer"])
    referral.refresh_from_db()
    assert referral.overdue_since == late and referral.done_on is None
    assert list(selectors.answer_overdue(Referral.objects.all(), late)) == [referral]
    with time_machine.travel(dt.datetime.combine(late, dt.time(10), tzinfo=dt.UTC), tick=False):
        referrals.referral_answer(
            actor=sc.ngo_worker,
            referral=referral,
            expected_version=referral.version,
            status=ReferralStatus.WAITING,
        )
    referral.refresh_from_db()
    assert (referral.done_on, referral.overdue_since) == (late, None)
    assert not selectors.answer_overdue(Referral.objects.all(), late).exists()


def test_the_curator_is_told_of_each_answer(
    sc: SupportCast,
    case: Case,
    run_queued_tasks,  # type: ignore[no-untyped-def]
    mailoutbox,
) -> None:
    case.curator.email = "curator@example.org"
    case.curator.save(update_fields=["email"])
    referral = send(case, sc)

    def answer(status: str, **kwargs: object) -> None:
        current = Referral.objects.get(pk=referral.pk)
        referrals.referral_answer(
            actor=sc.ngo_worker,
            referral=current,
            expected_version=current.version,
            status=status,
            **kwargs,  # type: ignore[arg-type]
        )

    answer(ReferralStatus.ACCEPTED, start_date=dt.date(2026, 12, 1))
    told = Notification.objects.filter(kind="support.referral_answered")
    only = told.get()
    assert only.recipient == case.curator
    assert f"№ {referral.pk}" in only.text and "Принят" in only.text
    run_queued_tasks()
    assert [m.to for m in mailoutbox] == [["curator@example.org"]]
    assert str(referral.pk) in mailoutbox[0].subject
    assert "Петров" not in mailoutbox[0].body  # no family names by e-mail
    answer(ReferralStatus.IN_PROGRESS)  # routine: not told
    assert told.count() == 1
    answer(ReferralStatus.COMPLETED, outcome=Outcome.REACHED, reason="Справились")
    assert told.count() == 2
