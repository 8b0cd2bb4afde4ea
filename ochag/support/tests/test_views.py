"""Every support page: who may open it (outsider 404, read-only 403), what it shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ochag.access.models import User
from ochag.cases.models import Case
from ochag.conftest import Cast
from ochag.core.models import AuditAction, AuditEvent
from ochag.support.models import (
    FamilyLink,
    LegalBasis,
    Referral,
    ReferralStatus,
    Service,
)
from ochag.support.services import family, referrals
from ochag.support.tests.conftest import SupportCast, service_type

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def referral_for(case: Case, service: Service, *, shares_health: bool = False) -> Referral:
    return referrals.referral_send_with_consent(
        actor=case.curator,
        case=case,
        service=service,
        consent=referrals.ConsentData(
            basis=LegalBasis.CONSENT,
            given_by="Петрова Вера Ивановна",
            given_on=dt.date(2026, 11, 20),
            scope="Состав семьи",
            shares_health=shares_health,
        ),
        summary="Нужна помощь с малышом",
        health_note="Диагноз ребёнка" if shares_health else "",
    )


def test_anonymous_staff_pages_go_to_login(sc: SupportCast) -> None:
    response = Client().get(reverse("support:providers"))
    assert response.status_code == 302 and "/account/login" in response["Location"]


def test_directory_pages_for_staff(cast: Cast, sc: SupportCast, client_for: Clients) -> None:
    client = client_for(cast.worker_b)
    page = client.get(reverse("support:providers"))
    assert page.status_code == 200 and "НКО «Семья рядом»" in page.content.decode()
    detail = client.get(reverse("support:provider", args=[sc.provider.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Служба ранней помощи" in text and "План составлен за 10 дней" in text
    assert client.get(reverse("support:catalogue")).status_code == 200
    # Another region's staff do not see this region's providers.
    assert (
        client_for(sc.stranger).get(reverse("support:provider", args=[sc.provider.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("url_name", ["provider_edit", "service_create"])
def test_provider_edits_outsider_404_read_only_403(
    cast: Cast, sc: SupportCast, client_for: Clients, url_name: str
) -> None:
    url = reverse(f"support:{url_name}", args=[sc.provider.pk])
    assert client_for(sc.stranger).get(url).status_code == 404
    assert client_for(cast.worker_b).get(url).status_code == 403
    assert client_for(sc.ngo_worker).get(url).status_code == 403
    assert client_for(sc.ngo_head).get(url).status_code == 200
    assert client_for(cast.coordinator).get(url).status_code == 200


def test_service_edit_access_and_capacity_conflict(
    cast: Cast, sc: SupportCast, client_for: Clients
) -> None:
    url = reverse("support:service_edit", args=[sc.patronage.pk])
    assert client_for(sc.stranger).get(url).status_code == 404
    assert client_for(cast.worker_a).get(url).status_code == 403
    head = client_for(sc.ngo_head)
    form = {
        "type": service_type("patronage").pk,
        "name": "Социальный патронат",
        "format": "home",
        "capacity": "7",
        "is_active": "on",
        "indicators": "Визит раз в неделю",
        "version": str(sc.patronage.version),
    }
    assert head.post(url, form).status_code == 302
    sc.patronage.refresh_from_db()
    assert sc.patronage.capacity == 7
    # The coordinator's form was opened before that save: same old version.
    stale = client_for(cast.coordinator).post(url, {**form, "capacity": "3"})
    assert stale.status_code == 200
    text = stale.content.decode()
    assert "изменил" in text and 'value="3"' in text
    sc.patronage.refresh_from_db()
    assert sc.patronage.capacity == 7


def test_provider_create_only_by_the_coordinator(
    cast: Cast, sc: SupportCast, client_for: Clients
) -> None:
    url = reverse("support:provider_create")
    assert client_for(cast.worker_a).get(url).status_code == 403
    client = client_for(cast.coordinator)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "Фонд", "kind": "ngo", "territory": cast.municipality_a.pk})
    assert bad.status_code == 200 and "field--error" in bad.content.decode()
    good = client.post(
        url,
        {
            "name": "Фонд «Опора»",
            "kind": "ngo",
            "territory": cast.municipality_a.pk,
            "municipalities": [cast.municipality_a.pk],
            "phone": "+7 900 000-00-00",
            "is_active": "on",
        },
    )
    assert good.status_code == 302


def test_catalogue_edit_by_the_coordinator_only(
    cast: Cast, sc: SupportCast, client_for: Clients
) -> None:
    row = service_type("legal-aid")
    url = reverse("support:service_type_edit", args=[row.pk])
    assert client_for(cast.supervisor_a).get(url).status_code == 403
    response = client_for(cast.coordinator).post(
        url, {"code": "legal-aid", "name": "Бесплатная юридическая помощь", "order": 5}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.name == "Бесплатная юридическая помощь" and not row.is_active


def test_referral_from_a_case(
    cc, case: Case, sc: SupportCast, cast: Cast, client_for: Clients
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("support:referral_create", args=[case.pk])
    assert client_for(cast.worker_b).get(url).status_code == 404
    # A participant who does not manage the case sees it but may not refer.
    assert client_for(cc.teacher).get(url).status_code == 403
    curator = client_for(case.curator)
    page = curator.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Служба ранней помощи" in text and "Реабилитация родителей" not in text
    bad = curator.post(url, {"service": sc.early_help.pk, "summary": "Помочь маме"})
    assert bad.status_code == 200 and "Помочь маме" in bad.content.decode()
    assert not Referral.objects.exists()
    sent = curator.post(
        url,
        {
            "service": sc.early_help.pk,
            "summary": "Помочь маме",
            "basis": LegalBasis.CONSENT,
            "given_by": "Петрова Вера Ивановна",
            "given_on": "20.11.2026",
            "scope": "Состав семьи",
        },
    )
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"].endswith(f"/referrals/{referral.pk}/")
    support_page = curator.get(reverse("support:case", args=[case.pk]))
    assert "Служба ранней помощи" in support_page.content.decode()


def test_the_provider_sees_only_what_the_referral_shares(
    cast: Cast, sc: SupportCast, case: Case, client_for: Clients
) -> None:
    private = referral_for(case, sc.early_help)
    private.health_note = "Не для НКО"
    private.save()
    shared = referral_for(case, sc.patronage, shares_health=True)
    ngo = client_for(sc.ngo_worker)
    page = ngo.get(reverse("support:referral", args=[private.pk])).content.decode()
    assert "Нужна помощь с малышом" in page and "Не для НКО" not in page
    assert "Петровы" not in page  # the family's household record is not shown
    assert (
        "Диагноз ребёнка" in ngo.get(reverse("support:referral", args=[shared.pk])).content.decode()
    )
    curator_page = client_for(case.curator).get(reverse("support:referral", args=[private.pk]))
    assert "Не для НКО" in curator_page.content.decode()
    # Outsiders: another municipality's worker, the analyst.
    assert (
        client_for(cast.worker_b).get(reverse("support:referral", args=[private.pk])).status_code
        == 404
    )
    assert client_for(cast.analyst).get(reverse("support:referrals")).status_code == 403
    queue = ngo.get(reverse("support:referrals") + "?for=us").content.decode()
    assert f"№ {private.pk}" in queue and f"№ {shared.pk}" in queue
    # The provider cannot open the case's own support page.
    assert ngo.get(reverse("support:case", args=[case.pk])).status_code == 404


def test_answering_a_referral(cast: Cast, sc: SupportCast, case: Case, client_for: Clients) -> None:
    referral = referral_for(case, sc.early_help)
    url = reverse("support:referral_answer", args=[referral.pk])
    answer = {"status": "accepted", "start_date": "01.12.2026", "version": referral.version}
    assert client_for(cast.worker_b).post(url, answer).status_code == 404
    # The curator sees the referral but answers for no provider.
    assert client_for(case.curator).post(url, answer).status_code == 403
    ngo = client_for(sc.ngo_worker)
    assert ngo.post(url, answer).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.start_date == dt.date(2026, 12, 1)
    twice = ngo.post(url, answer)
    assert twice.status_code == 400 and "уже" in twice.content.decode()
    delivery = ngo.post(
        reverse("support:delivery_add", args=[referral.pk]),
        {
            "indicator": sc.early_help.indicators.first().pk,  # type: ignore[union-attr]
            "date": "01.12.2020",
            "met": "on",
        },
    )
    assert delivery.status_code == 302
    assert referral.deliveries.count() == 1


def test_withdrawing_a_referral(cc, sc: SupportCast, case: Case, client_for: Clients) -> None:  # type: ignore[no-untyped-def]
    referral = referral_for(case, sc.early_help)
    url = reverse("support:referral_withdraw", args=[referral.pk])
    form = {"reason": "Семья переехала", "version": referral.version}
    assert client_for(sc.ngo_worker).post(url, form).status_code == 403
    assert client_for(cc.teacher).post(url, form).status_code == 403
    assert client_for(case.curator).post(url, form).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_public_directory_needs_no_login(cast: Cast, sc: SupportCast) -> None:
    client = Client()
    page = client.get(reverse("help:help"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "+7 800 100-20-30" in text and "Наркологический кабинет Б" in text
    in_a = client.get(
        reverse("help:help"), {"municipality": cast.municipality_a.pk, "type": "", "free": ""}
    ).content.decode()
    assert "Служба ранней помощи" in in_a and "Наркологический кабинет Б" not in in_a
    early = client.get(reverse("help:help"), {"q": "ранн"}).content.decode()
    assert "Служба ранней помощи" in early and "Социальный патронат" not in early


def test_public_directory_counts_free_places(sc: SupportCast, case: Case) -> None:
    referral = referral_for(case, sc.early_help)
    referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=referral,
        expected_version=referral.version,
        status=ReferralStatus.ACCEPTED,
        start_date=dt.date(2026, 12, 1),
    )
    free = Client().get(reverse("help:help"), {"free": "on"}).content.decode()
    assert "Социальный патронат" in free and "Служба ранней помощи" not in free
    assert "Петров" not in free


def test_family_page_with_the_code(cc, sc: SupportCast, case: Case, client_for: Clients) -> None:  # type: ignore[no-untyped-def]
    referral_for(case, sc.early_help)
    _link, code = family.family_link_issue(actor=case.curator, case=case, days=30)
    client = Client()
    assert client.get(reverse("help:family")).status_code == 200
    page = client.post(reverse("help:family"), {"code": code})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert case.curator.last_name in text and "Семья рядом" in text
    assert "Алиса" not in text and "Постановление КДН" not in text
    wrong = client.post(reverse("help:family"), {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "не открывает" in wrong


def test_family_codes_are_rate_limited(case: Case) -> None:
    _link, code = family.family_link_issue(actor=case.curator, case=case, days=30)
    client = Client()
    for _attempt in range(10):
        client.post(reverse("help:family"), {"code": "WRONG-CODE"})
    blocked = client.post(reverse("help:family"), {"code": code}).content.decode()
    assert "Слишком много попыток" in blocked and case.curator.last_name not in blocked


def test_family_links_are_issued_and_revoked_by_the_case_managers(
    cc,
    cast: Cast,
    case: Case,
    client_for: Clients,  # type: ignore[no-untyped-def]
) -> None:
    url = reverse("support:family_link_create", args=[case.pk])
    assert client_for(cast.worker_b).get(url).status_code == 404
    assert client_for(cc.teacher).get(url).status_code == 403
    curator = client_for(case.curator)
    slip = curator.post(url, {"days": "30"})
    assert slip.status_code == 200 and "Ваш код" in slip.content.decode()
    link = FamilyLink.objects.get()
    revoke = reverse("support:family_link_revoke", args=[link.pk])
    assert client_for(cast.worker_b).post(revoke).status_code == 404
    assert client_for(cc.teacher).post(revoke).status_code == 403
    assert curator.post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_case_timeline_lists_referrals_for_those_who_see_them(
    cc,
    sc: SupportCast,
    case: Case,
    client_for: Clients,  # type: ignore[no-untyped-def]
) -> None:
    referral = referral_for(case, sc.early_help)
    referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=referral,
        expected_version=referral.version,
        status=ReferralStatus.WAITING,
    )
    url = reverse("cases:timeline", args=[case.pk])
    text = client_for(case.curator).get(url).content.decode()
    assert f"Направление № {referral.pk}" in text and "В листе ожидания" in text
    assert reverse("support:case", args=[case.pk]) in text
    # The school takes part in the case: it sees the case and so its referrals.
    assert f"Направление № {referral.pk}" in client_for(cc.teacher).get(url).content.decode()


def test_the_worklist_counts_what_the_list_shows(
    sc: SupportCast, case: Case, client_for: Clients
) -> None:
    first = referral_for(case, sc.early_help)
    referral_for(case, sc.patronage)
    referrals.referral_answer(
        actor=sc.ngo_worker,
        referral=first,
        expected_version=first.version,
        status=ReferralStatus.ACCEPTED,
        start_date=dt.date(2026, 12, 1),
    )
    ngo_home = client_for(sc.ngo_worker).get(reverse("core:home")).content.decode()
    assert "Направления, ждущие ответа" in ngo_home
    queue = client_for(sc.ngo_worker).get(
        reverse("support:referrals"), {"for": "us", "open": "unanswered"}
    )
    assert queue.content.decode().count("support/referrals/") >= 1
    assert len(queue.context["table"].page.object_list) == 1
    curator = client_for(case.curator)
    assert "Ответы поставщиков за неделю" in curator.get(reverse("core:home")).content.decode()
    answered = curator.get(reverse("support:referrals"), {"for": "mine", "open": "recent"})
    assert [r.pk for r in answered.context["table"].page.object_list] == [first.pk]


def test_regional_list_exports_neutralise_formulas_and_are_audited(
    cast: Cast, sc: SupportCast, client_for: Clients
) -> None:
    sc.provider.name = '=HYPERLINK("http://evil")'
    sc.provider.save()
    xlsx_url = reverse("support:list_xlsx")
    assert client_for(cast.worker_a).get(xlsx_url).status_code == 403
    client = client_for(cast.coordinator)
    response = client.get(xlsx_url)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert len(cells[0]) == 12
    providers = {row[3] for row in cells[1:]}
    assert '\'=HYPERLINK("http://evil")' in providers
    # One row per service and municipality served: the NGO serves both.
    assert sorted(row[0] for row in cells[1:] if row[2] == "Социальный патронат") == [
        "Город А",
        "Район Б",
    ]
    pdf = client.get(reverse("support:list_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 2
