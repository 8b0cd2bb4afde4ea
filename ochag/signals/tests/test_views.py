from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ochag.access.models import Agency, AgencyType, Notification, Role, ThrottleBucket
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.conftest import Cast
from ochag.signals import bulk, intake
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import (
    Basis,
    Channel,
    ImportJob,
    RoutingRule,
    Signal,
    SignalDraft,
    Status,
    Track,
)


def red(cast: Cast, **kw) -> Signal:
    return intake.signal_create(
        actor=kw.pop("actor", None),
        data=SignalInput(
            channel=Channel.STAFF,
            basis=Basis.DUTY_ART9,
            territory=kw.pop("territory", cast.municipality_a),
            original_text="Ребёнок один дома",
            indicator_codes=kw.pop("codes", ["child_alone_under_10"]),
            subjects=[
                SubjectInput(
                    role="child", last_name="Петрова", first_name="Анна", birth_date="2019-01-02"
                )
            ],
        ),
    )


@pytest.fixture
def signal(cast: Cast, bodies: dict[str, Agency]) -> Signal:
    return red(cast)


def test_anonymous_redirected(client, signal: Signal) -> None:
    for url in (
        reverse("signals:queue"),
        reverse("signals:detail", args=[signal.pk]),
        reverse("signals:staff_new"),
        reverse("signals:rules"),
        reverse("signals:upload"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/account/" in response["Location"]


def test_queue_shows_red_on_top_for_routed_agency(cast: Cast, signal: Signal, client_for) -> None:
    response = client_for(cast.worker_a).get(reverse("signals:queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert signal.number in body and "urgent-title" in body
    assert (
        signal.number
        not in client_for(cast.worker_b).get(reverse("signals:queue")).content.decode()
    )


def test_detail_access_cast(cast: Cast, signal: Signal, client_for) -> None:
    url = reverse("signals:detail", args=[signal.pk])
    assert client_for(cast.worker_a).get(url).status_code == 200
    assert client_for(cast.coordinator).get(url).status_code == 200
    assert client_for(cast.worker_b).get(url).status_code == 404
    assert client_for(cast.analyst).get(url).status_code == 404
    assert (
        client_for(cast.worker_a).get(reverse("signals:detail", args=[999999])).status_code == 404
    )
    assert "Петрова" not in client_for(cast.analyst).get(reverse("signals:queue")).content.decode()


def test_reporting_agency_sees_limited_view(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    school = UserFactory(agency=bodies["school"], role=Role.SCHOOL_SOCIAL_PEDAGOGUE)
    signal = red(cast, actor=school)
    response = client_for(school).get(reverse("signals:detail", args=[signal.pk]))
    assert response.status_code == 200
    assert "Петрова" not in response.content.decode()  # no linking details for the sender
    assert client_for(school).post(reverse("signals:accept", args=[signal.pk])).status_code == 403


def test_actions(cast: Cast, signal: Signal, bodies: dict[str, Agency], client_for) -> None:
    sup = client_for(cast.supervisor_a)
    r = sup.post(reverse("signals:assign", args=[signal.pk]), {"assignee": cast.worker_a.pk})
    assert r.status_code == 302
    # A worker who is not a supervisor cannot assign.
    assert (
        client_for(cast.worker_a)
        .post(reverse("signals:assign", args=[signal.pk]), {"assignee": cast.worker_a.pk})
        .status_code
        == 403
    )
    assert (
        client_for(cast.worker_b).post(reverse("signals:accept", args=[signal.pk])).status_code
        == 404
    )
    assert (
        client_for(cast.worker_a).post(reverse("signals:accept", args=[signal.pk])).status_code
        == 302
    )
    r = client_for(cast.worker_a).post(
        reverse("signals:forward", args=[signal.pk]),
        {"forward-agency": bodies["kdn"].pk, "forward-reason": ""},
    )
    assert r.status_code == 200 and "forward-reason" in r.content.decode()
    r = client_for(cast.worker_a).post(
        reverse("signals:forward", args=[signal.pk]),
        {"forward-agency": bodies["kdn"].pk, "forward-reason": "Профиль КДН"},
    )
    assert r.status_code == 302
    signal.refresh_from_db()
    assert signal.routed_to == bodies["kdn"]
    assert (
        client_for(cast.worker_a)
        .post(reverse("signals:return", args=[signal.pk]), {"return-reason": "x"})
        .status_code
        == 404
    )
    kdn_user = UserFactory(agency=bodies["kdn"], role=Role.KDN_SECRETARY)
    r = client_for(kdn_user).post(
        reverse("signals:return", args=[signal.pk]), {"return-reason": "Мало данных"}
    )
    assert r.status_code == 302
    signal.refresh_from_db()
    assert signal.status == Status.RETURNED


def test_staff_wizard_with_draft_and_check_page(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    client = client_for(cast.worker_a)
    r = client.get(reverse("signals:staff_new"))
    assert "Шаг 1 из 5" in r.content.decode()
    r = client.post(
        reverse("signals:staff_step", args=[1]),
        {"basis": "duty_art9", "observed_on": "31.02.2025", "territory": cast.municipality_a.pk},
    )
    assert r.status_code == 200 and "31.02.2025" in r.content.decode()
    assert SignalDraft.objects.get(user=cast.worker_a).data["step1"]["observed_on"] == [
        "31.02.2025"
    ]
    client.post(
        reverse("signals:staff_step", args=[1]),
        {"basis": "duty_art9", "observed_on": "01.02.2025", "territory": cast.municipality_a.pk},
    )
    # Autosave keeps what is typed without validating it.
    r = client.post(reverse("signals:staff_autosave"), {"step": 2, "last_name": "Сидоро"})
    assert r.status_code == 200
    assert SignalDraft.objects.get(user=cast.worker_a).data["step2"]["last_name"] == ["Сидоро"]
    assert "Сидоро" in client.get(reverse("signals:staff_step", args=[2])).content.decode()
    client.post(
        reverse("signals:staff_step", args=[2]),
        {"last_name": "Сидоров", "first_name": "Павел", "birth_date": "03.02.2014"},
    )
    client.post(reverse("signals:staff_step", args=[3]), {"address": "ул. Ленина, 1"})
    client.post(
        reverse("signals:staff_step", args=[4]),
        {"indicators": ["persistent_truancy", "low_income"]},
    )
    r = client.post(reverse("signals:staff_step", args=[5]), {"original_text": "Пропускает школу"})
    assert r["Location"] == reverse("signals:staff_check")
    r = client.get(reverse("signals:staff_check"))
    body = r.content.decode()
    assert "Сидоров" in body and "Изменить" in body and "03.02.2014" in body
    r = client.post(reverse("signals:staff_check"), {})
    assert r.status_code == 302
    signal = Signal.objects.get(channel=Channel.STAFF)
    assert signal.routed_to == bodies["kdn"] and signal.reporting_agency == cast.agency_a
    assert not SignalDraft.objects.filter(user=cast.worker_a).exists()


def test_staff_wizard_reports_the_child_and_the_parent(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    """Both people the form names reach the signal, each with their own fields."""
    client = client_for(cast.worker_a)
    steps = [
        {"basis": "duty_art9", "observed_on": "01.02.2025", "territory": cast.municipality_a.pk},
        {"last_name": "Сидоров", "first_name": "Павел", "patronymic": "Ильич",
         "birth_date": "03.02.2014"},
        {"address": "ул. Ленина, 1", "parent_last_name": "Сидорова",
         "parent_first_name": "Анна", "parent_patronymic": "Петровна",
         "parent_birth_date": "04.05.1990"},
        {"indicators": ["persistent_truancy"]},
        {"original_text": "Пропускает школу"},
    ]  # fmt: skip
    for number, data in enumerate(steps, start=1):
        client.post(reverse("signals:staff_step", args=[number]), data)
    assert client.post(reverse("signals:staff_check"), {}).status_code == 302
    signal = Signal.objects.get(channel=Channel.STAFF)
    people = {
        s.role: (s.last_name, s.first_name, s.patronymic, s.birth_date)
        for s in signal.subjects.all()
    }
    assert people == {
        "child": ("Сидоров", "Павел", "Ильич", "2014-02-03"),
        "parent": ("Сидорова", "Анна", "Петровна", "1990-05-04"),
    }


def test_check_page_sends_back_to_incomplete_step(cast: Cast, client_for) -> None:
    r = client_for(cast.worker_a).get(reverse("signals:staff_check"))
    assert r.status_code == 302 and reverse("signals:staff_step", args=[1]) in r["Location"]
    assert client_for(cast.worker_a).get(reverse("signals:staff_step", args=[9])).status_code == 404
    assert client_for(cast.analyst).get(reverse("signals:staff_new")).status_code == 403


def test_helpline(
    cast: Cast,
    bodies: dict[str, Agency],
    client_for,
    mailoutbox,
    run_queued_tasks,
) -> None:
    helpline = AgencyFactory(type=AgencyType.HELPLINE, territory=cast.region)
    operator = UserFactory(agency=helpline, role=Role.HELPLINE_OPERATOR)
    client = client_for(operator)
    assert client_for(cast.worker_a).get(reverse("signals:helpline")).status_code == 403
    r = client.post(
        reverse("signals:helpline"),
        {
            "territory": cast.municipality_a.pk,
            "indicators": ["family_conflict"],
            "original_text": "Ссоры",
            "escalate": "1",
        },
    )
    assert r.status_code == 200 and "Ссоры" in r.content.decode()
    r = client.post(
        reverse("signals:helpline"),
        {
            "territory": cast.municipality_a.pk,
            "indicators": ["signs_of_violence"],
            "original_text": "Бьют",
            "location": "у школы",
            "escalate": "1",
        },
    )
    assert r.status_code == 302
    run_queued_tasks()
    signal = Signal.objects.get(channel=Channel.HELPLINE)
    assert signal.escalated_at and signal.track == Track.SAFETY and signal.reporter is None
    assert signal.reporter_name == "" and signal.reporter_contact == ""
    assert mailoutbox[0].to == [cast.agency_a.email]
    detail = (
        client_for(cast.worker_a).get(reverse("signals:detail", args=[signal.pk])).content.decode()
    )
    assert "Анонимный звонок" in detail or "Anonymous helpline call" in detail


def test_public_form(client, cast: Cast, bodies: dict[str, Agency]) -> None:
    url = reverse("signals:public")
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"territory": cast.municipality_a.pk, "original_text": "Дети одни", "address": "д. 5"}
    )
    assert (
        r.status_code == 200
        and "Дети одни" in r.content.decode()
        and "error-summary" in r.content.decode()
    )
    r = client.post(
        url,
        {
            "territory": cast.municipality_a.pk,
            "original_text": "Дети одни",
            "indicators": ["child_alone_under_10"],
        },
    )
    signal = Signal.objects.get(channel=Channel.PUBLIC)
    assert r.status_code == 200 and signal.number in r.content.decode()
    assert signal.reporting_agency is None and signal.basis == Basis.CITIZEN


def test_public_receipt_never_reveals_known_family(
    client, cast: Cast, bodies: dict[str, Agency]
) -> None:
    red(cast)
    r = client.post(
        reverse("signals:public"),
        {
            "territory": cast.municipality_a.pk,
            "original_text": "Петрова Анна",
            "child_name": "Петрова Анна",
            "indicators": ["no_food"],
        },
    )
    body = r.content.decode()
    assert "Петрова" not in body and "повтор" not in body.lower()


def test_public_rate_limit_429(client, cast: Cast, bodies: dict[str, Agency]) -> None:
    data = {"territory": cast.municipality_a.pk, "original_text": "x", "indicators": ["low_income"]}
    for _ in range(5):
        assert client.post(reverse("signals:public"), data).status_code == 200
    r = client.post(reverse("signals:public"), data)
    assert (r.status_code == 429 and "Слишком много" in r.content.decode()) or r.status_code == 429
    # The five accepted reports were counted for the address (a keyed hash, never the address).
    bucket = (
        ThrottleBucket.objects.filter(key__startswith="public-report:")
        .exclude(key="public-report:*")
        .get(count=5)
    )
    assert "127.0.0.1" not in bucket.key


def test_notifications(cast: Cast, signal: Signal, client_for) -> None:
    client = client_for(cast.worker_a)
    assert signal.number in client.get(reverse("access:notifications")).content.decode()
    client.post(reverse("access:notifications_read"))
    assert not Notification.objects.filter(recipient=cast.worker_a, read_at__isnull=True).exists()
    assert client.get(reverse("access:bell")).status_code == 200


def test_the_inbox_old_addresses_lead_to_its_new_ones(
    cast: Cast, signal: Signal, client_for
) -> None:
    """The inbox moved to access (issue 11): bookmarks, an old tab's bell poll and its
    «mark all as read» form keep working."""
    client = client_for(cast.worker_a)
    page = client.get("/signals/notifications/?page=1", follow=True)
    assert page.redirect_chain == [("/account/notifications/?page=1", 302)]
    assert signal.number in page.content.decode()
    assert client.get("/signals/notifications/bell/")["Location"] == "/account/notifications/bell/"
    posted = client.post("/signals/notifications/read/")
    assert (posted.status_code, posted["Location"]) == (307, "/account/notifications/read/")
    client.post(posted["Location"])
    assert not Notification.objects.filter(recipient=cast.worker_a, read_at__isnull=True).exists()


def test_rules_screen_for_coordinator_only(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    assert client_for(cast.worker_a).get(reverse("signals:rules")).status_code == 403
    assert client_for(cast.analyst).get(reverse("signals:rules")).status_code == 403
    client = client_for(cast.coordinator)
    assert client.get(reverse("signals:rules")).status_code == 200
    r = client.post(
        reverse("signals:rule_create"),
        {
            "track": Track.ASSESSMENT,
            "territory": cast.municipality_a.pk,
            "agency_type": AgencyType.KDN,
            "agency": bodies["school"].pk,
        },
    )
    assert r.status_code == 200 and "error-summary" in r.content.decode()
    r = client.post(
        reverse("signals:rule_create"),
        {
            "track": Track.ASSESSMENT,
            "territory": cast.municipality_a.pk,
            "agency_type": AgencyType.EDUCATION,
            "agency": bodies["school"].pk,
        },
    )
    assert r.status_code == 302
    rule = RoutingRule.objects.get(territory=cast.municipality_a)
    assert (
        client_for(cast.worker_a).post(reverse("signals:rule_delete", args=[rule.pk])).status_code
        == 404
    )
    assert client.post(reverse("signals:rule_delete", args=[rule.pk])).status_code == 302
    assert client.get(reverse("signals:rule_edit", args=[424242])).status_code == 404


def test_upload_enqueues_and_progress_page(
    cast: Cast, bodies: dict[str, Agency], client_for, settings, tmp_path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from django_tasks_db.models import DBTaskResult

    client = client_for(cast.worker_a)
    body = (
        "Фамилия;Имя;Дата рождения;Показатели\nКузнецов;Иван;01.09.2012;persistent_truancy\nX;;;\n"
    )
    r = client.post(reverse("signals:upload"), {"file": SimpleUploadedFile("a.csv", body.encode())})
    job = ImportJob.objects.get()
    assert r["Location"] == reverse("signals:import_detail", args=[job.pk])
    runs = DBTaskResult.objects.filter(task_path=bulk.run_import.module_path)
    assert runs.count() == 1
    page = client.get(r["Location"]).content.decode()
    assert "<progress" in page and "every 2s" in page
    bulk.import_job_run(job_id=job.pk)
    page = client.get(r["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in page
    csv_body = client.get(reverse("signals:import_errors", args=[job.pk])).content.decode(
        "utf-8-sig"
    )
    assert csv_body.splitlines()[1].startswith("3;")
    # Same file again: nothing queued twice.
    client.post(reverse("signals:upload"), {"file": SimpleUploadedFile("a.csv", body.encode())})
    assert runs.count() == 1 and ImportJob.objects.count() == 1
    assert (
        client_for(cast.worker_b).get(reverse("signals:import_detail", args=[job.pk])).status_code
        == 404
    )
    r = client.post(reverse("signals:upload"), {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert r.status_code == 200 and "error-summary" in r.content.decode()


def test_attachment_served_through_policy(
    cast: Cast, bodies: dict[str, Agency], client_for, settings, tmp_path
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    signal = intake.signal_create(
        actor=cast.worker_a,
        data=SignalInput(
            channel=Channel.STAFF,
            basis=Basis.DUTY_ART9,
            territory=cast.municipality_a,
            original_text="т",
            indicator_codes=["cruelty"],
        ),
        attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1", "application/pdf")],
    )
    att = signal.attachments.get()
    url = reverse("signals:attachment", args=[signal.pk, att.pk])
    assert client_for(cast.worker_b).get(url).status_code == 404
    assert client_for(cast.analyst).get(url).status_code == 404
    r = client_for(cast.coordinator).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1"
    assert (
        client_for(cast.coordinator)
        .get(reverse("signals:attachment", args=[signal.pk, 9999]))
        .status_code
        == 404
    )


def test_unrouted_signal_in_coordinators_queue_with_badge(
    cast: Cast, bodies: dict[str, Agency], client_for
) -> None:
    RoutingRule.objects.filter(track="assessment").delete()
    unrouted = red(cast, codes=["persistent_truancy"])
    client = client_for(cast.coordinator)
    body = client.get(reverse("signals:queue") + "?routing=none").content.decode()
    assert unrouted.number in body and "Не направлен" in body
    assert (
        unrouted.number
        not in client_for(cast.worker_a).get(reverse("signals:queue")).content.decode()
    )
    detail = client.get(reverse("signals:detail", args=[unrouted.pk])).content.decode()
    assert "Ни одно правило маршрутизации" in detail
    assert client.post(reverse("signals:accept", args=[unrouted.pk])).status_code == 403
