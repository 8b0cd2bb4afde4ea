"""XLSX exports through core's helper: the register and the children list exactly as filtered
on screen, a sitting's agenda with its decisions; every export audited, formula-like text
neutralised, each child's read logged; outsiders 404 / get nothing, read-only users 403."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ochag.access.models import User
from ochag.care.models import Decision, Ground, ReturnAction
from ochag.care.services import commission, institutions
from ochag.care.tests.conftest import CareCast
from ochag.care.tests.test_commission import sitting
from ochag.care.tests.test_placements import admit
from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditEvent
from ochag.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def exported(what: str) -> AuditEvent:
    return AuditEvent.objects.filter(action="exported", detail__what=what).latest("pk")


def test_register_export_follows_the_screens_filters(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    institutions.institution_save(
        actor=cast.coordinator,
        name='=HYPERLINK("http://x")',
        type="shelter",
        operating_agency=cast.ministry,
        territory=cast.municipality_a,
        capacity=5,
    )
    url = reverse("care:institutions_xlsx")
    everything = rows(client_for(cast.coordinator).get(url + "?sort=name"))
    assert everything[0][0] == "Название"
    names = [r[0] for r in everything[1:]]
    assert names == ['\'=HYPERLINK("http://x")', "Приют «Маяк»", "ЦССВ «Надежда»"]
    remote = rows(client_for(cast.coordinator).get(url + "?remote=1"))
    assert [r[0] for r in remote[1:]] == ["Приют «Маяк»"]
    assert remote[1][9] == "да"  # remote
    event = exported("care_institutions")
    assert event.detail["rows"] == 1 and event.detail["format"] == "xlsx"
    # Staff see the register but do not export it; the list page offers the link only to
    # the coordinator.
    assert client_for(care.staff).get(url).status_code == 403
    assert client_for(cast.analyst).get(url).status_code == 403
    page = client_for(cast.coordinator).get(reverse("care:institutions") + "?remote=1")
    assert f"{url}?remote=1" in page.content.decode()
    # Another region's coordinator gets their own (empty) register, never ours.
    assert rows(client_for(care.stranger).get(url))[1:] == []


def test_children_export_is_the_filtered_list_and_logs_each_read(
    cast: Cast, care: CareCast, client_for: Clients
) -> None:
    today = timezone.localdate()
    infant = admit(cast, care, ground=Ground.REMOVAL)
    admit(
        cast,
        care,
        child=PersonFactory(
            last_name="Кузнецова", birth_year=today.year - 12, territory=cast.municipality_b
        ),
        institution=care.shelter,
        admitted_on=today - dt.timedelta(days=800),
    )
    url = reverse("care:children_xlsx")
    table = rows(client_for(cast.coordinator).get(url + "?age=0-4"))
    assert table[0][:3] == ["Фамилия", "Имя", "Отчество"]
    assert [r[0] for r in table[1:]] == ["Сидоров"]
    assert table[1][4] == "ЦССВ «Надежда»" and table[1][7].startswith("Отобрание")
    assert AccessLogEntry.objects.filter(
        actor=cast.coordinator, object_id=str(infant.pk), purpose__contains="export"
    ).exists()
    assert exported("care_children").detail["rows"] == 1
    both = rows(client_for(cast.coordinator).get(url + "?sort=child"))
    assert [r[0] for r in both[1:]] == ["Кузнецова", "Сидоров"]
    # The institution's own staff export their children only (what their list shows).
    own = rows(client_for(care.staff).get(url))
    assert [r[0] for r in own[1:]] == ["Сидоров"]
    # Read-only: a commission chair sees agenda children, exports nothing; the analyst sees
    # no personal data.
    assert client_for(care.chair).get(url).status_code == 403
    assert client_for(cast.analyst).get(url).status_code == 403
    assert rows(client_for(care.stranger).get(url))[1:] == []


def test_agenda_export_with_decisions(cast: Cast, care: CareCast, client_for: Clients) -> None:
    s = sitting(care)
    placement = admit(cast, care, institution=care.shelter)
    item = placement.reviews.get()
    commission.agenda_add(actor=care.secretary, sitting=s, items=[item])
    commission.decision_record(
        actor=care.member,
        item=item,
        decision=Decision.NOT_JUSTIFIED,
        reasons="+7 999: семья готова принять ребёнка",
        action=ReturnAction.PREPARE_RETURN,
    )
    commission.decision_confirm(actor=care.chair, item=item)
    url = reverse("care:agenda_xlsx", args=[s.pk])
    table = rows(client_for(care.secretary).get(url))
    assert table[0][0] == "№" and table[1][1] == "Сидоров"
    assert table[1][11] == "Помещение не обосновано"
    assert table[1][13] == "'+7 999: семья готова принять ребёнка"  # neutralised
    assert table[1][15] and not table[1][16]  # chair confirmed, secretary not yet
    event = exported("care_agenda")
    assert event.object_id == str(s.pk) and event.detail["rows"] == 1
    assert AccessLogEntry.objects.filter(
        actor=care.secretary, object_id=str(placement.pk), purpose__contains="agenda export"
    ).exists()
    assert rows(client_for(cast.coordinator).get(url))[1][1] == "Сидоров"
    assert rows(client_for(care.chair).get(url))[1][1] == "Сидоров"
    # An ordinary member reads the agenda but does not export it; outsiders get 404.
    assert client_for(care.member).get(url).status_code == 403
    for user in (care.stranger, care.staff, cast.analyst):
        assert client_for(user).get(url).status_code == 404, user
    page = client_for(care.member).get(reverse("care:sitting", args=[s.pk])).content.decode()
    assert url not in page
    assert (
        url in client_for(care.secretary).get(reverse("care:sitting", args=[s.pk])).content.decode()
    )
