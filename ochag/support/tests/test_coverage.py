"""The coverage table: need × municipality from plan tasks and referrals, gaps, its export,
the services list its cells open, and who may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ochag.access.models import User
from ochag.access.tests.factories import UserFactory
from ochag.cases.models import Case, Task, TaskStatus
from ochag.cases.services import task_add, task_update
from ochag.conftest import Cast
from ochag.core.models import AuditAction, AuditEvent
from ochag.core.testing import assert_queries_flat
from ochag.support import coverage
from ochag.support.models import LegalBasis, ReferralStatus, Service
from ochag.support.services import needs, referrals
from ochag.support.tests.conftest import SupportCast, service_type

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def plan_task(
    case: Case, title: str = "Пройти лечение от зависимости", *, is_medical: bool = False
) -> Task:
    return task_add(
        actor=case.curator,
        case=case,
        title=title,
        owner_agency=case.curator.agency,
        start_date=dt.date(2026, 11, 23),
        deadline_days=10,
        is_medical=is_medical,
    )


def need(case: Case, code: str, task: Task | None = None) -> Task:
    task = task or plan_task(case)
    needs.task_need_save(
        actor=case.curator,
        task=task,
        expected_version=0,
        need=service_type(code),
        shown_to_family=False,
    )
    return task


def refer(case: Case, service: Service, status: str = "") -> None:
    referral = referrals.referral_send_with_consent(
        actor=case.curator,
        case=case,
        service=service,
        consent=referrals.ConsentData(
            basis=LegalBasis.KDN, given_on=dt.date(2026, 11, 20), scope="Постановление КДН"
        ),
        summary="Помощь семье",
        waiting_list_ok=True,
    )
    if status:
        provider = service.provider.agency
        assert provider is not None
        referrals.referral_answer(
            actor=UserFactory(agency=provider),
            referral=referral,
            expected_version=referral.version,
            status=status,
            start_date=dt.date(2026, 11, 25),
        )


def cell(table: coverage.Coverage, municipality_name: str, code: str) -> coverage.Cell:
    for municipality, cells in table.rows:
        if municipality.name == municipality_name:
            return next(c for c in cells if c.type.code == code)
    raise AssertionError(municipality_name)


def test_need_places_waiting_and_gaps(cast: Cast, sc: SupportCast, case: Case) -> None:
    # The family lives in A; addiction help exists in B only: a gap in A.
    need(case, "rehabilitation")
    # Early help has one place: the family takes it, and a second referral waits.
    refer(case, sc.early_help, ReferralStatus.ACCEPTED)
    refer(case, sc.early_help, ReferralStatus.WAITING)
    table = coverage.coverage(cast.coordinator)
    rehab_a = cell(table, "Город А", "rehabilitation")
    assert (rehab_a.need, rehab_a.services, rehab_a.gap) == (1, 0, True)
    rehab_b = cell(table, "Район Б", "rehabilitation")
    assert (rehab_b.need, rehab_b.services, rehab_b.places, rehab_b.gap) == (0, 1, 3, False)
    early_a = cell(table, "Город А", "early-help")
    # One family, counted once though it has two referrals of the kind.
    assert (early_a.need, early_a.places, early_a.free, early_a.waiting) == (1, 1, 0, 1)
    assert early_a.short and not early_a.gap
    # The NGO serves B too: its places are open to B's families as well.
    assert cell(table, "Район Б", "early-help").places == 1
    assert table.gaps == 1
    totals = {t.type.code: t for t in table.totals}
    assert (totals["rehabilitation"].need, totals["rehabilitation"].gaps) == (1, 1)
    assert totals["early-help"].need_share == 100


def test_done_tasks_closed_cases_and_unseen_cases_do_not_count(
    cast: Cast, sc: SupportCast, case: Case
) -> None:
    task = need(case, "rehabilitation")
    assert cell(coverage.coverage(cast.coordinator), "Город А", "rehabilitation").need == 1
    # A worker of another agency does not see the case: its need is not theirs to count.
    assert cell(coverage.coverage(cast.worker_b), "Город А", "rehabilitation").need == 0
    task_update(
        actor=case.curator,
        task=task,
        expected_version=task.version,
        status=TaskStatus.DONE,
        evidence="Справка",
    )
    assert cell(coverage.coverage(cast.coordinator), "Город А", "rehabilitation").need == 0


def test_pages_and_export(cast: Cast, sc: SupportCast, case: Case, client_for: Clients) -> None:
    need(case, "rehabilitation")
    client = client_for(cast.coordinator)
    page = client.get(reverse("support:coverage")).content.decode()
    assert "Реабилитация родителей с зависимостью" in page and "Пробел" in page
    services = reverse("support:services")
    rehab = service_type("rehabilitation").pk
    listed = client.get(f"{services}?municipality={cast.municipality_b.pk}&type={rehab}")
    assert ">Реабилитация родителей</a>" in listed.content.decode()
    assert "Социальный патронат" not in listed.content.decode()
    empty = client.get(f"{services}?municipality={cast.municipality_a.pk}&type={rehab}")
    assert ">Реабилитация родителей</a>" not in empty.content.decode()
    response = client.get(reverse("support:coverage_xlsx"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Муниципальное образование"
    gap_row = next(r for r in rows if r[0] == "Город А" and r[1].startswith("Реабилитация"))
    assert gap_row[2] == 1 and gap_row[7] == "Нет услуги"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, actor=cast.coordinator).exists()


def test_waiting_link_opens_the_filtered_referrals(
    cast: Cast, sc: SupportCast, case: Case, client_for: Clients
) -> None:
    refer(case, sc.patronage, ReferralStatus.WAITING)
    refer(case, sc.early_help)
    url = (
        reverse("support:referrals")
        + f"?open=unanswered&municipality={cast.municipality_a.pk}"
        + f"&type={service_type('patronage').pk}"
    )
    page = client_for(case.curator).get(url).content.decode()
    assert "Социальный патронат" in page and "Служба ранней помощи" not in page


@pytest.mark.parametrize("name", ["support:coverage", "support:coverage_xlsx", "support:services"])
def test_access(name: str, sc: SupportCast, client_for: Clients) -> None:
    url = reverse(name)
    assert Client().get(url).status_code == 302
    outsider = UserFactory(username="no_agency", agency=None)
    assert client_for(outsider).get(url).status_code == 404


def test_query_counts_flat(cast: Cast, sc: SupportCast, case: Case, client_for: Clients) -> None:
    client = client_for(cast.coordinator)

    def add(n: int) -> None:
        for _ in range(n):
            need(case, "patronage")
            refer(case, sc.patronage, ReferralStatus.WAITING)

    assert_queries_flat(client, reverse("support:coverage"), add)
    assert_queries_flat(client, reverse("support:services"), add)
