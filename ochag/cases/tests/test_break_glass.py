"""Break-glass: a reason, three hours of read access to one record, the coordinator and the
record's owners told, an audit entry, and a report of every use for review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import AgencyType, BreakGlass, Notification, Role, TrustAction, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.cases.models import Case, CaseParticipant
from ochag.conftest import Cast
from ochag.core.clock import as_of
from ochag.core.models import AuditEvent, Territory
from ochag.core.testing import assert_queries_flat
from ochag.core.tests.factories import TerritoryFactory
from ochag.registry.models import Household, Membership
from ochag.registry.tests.factories import HouseholdFactory, make_person

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
REASON = "Ребёнок доставлен в приёмный покой без родителей, нужен контакт семьи"


@pytest.fixture
def family(cast: Cast) -> dict[str, Any]:
    """A family of municipality A whose case the guardianship body A and a clinic work on."""
    home = HouseholdFactory(territory=cast.municipality_a, name="Закрытые")
    child = make_person(cast.municipality_a, last_name="Закрытая", first_name="Анна")
    mother = make_person(cast.municipality_a, last_name="Закрытая", first_name="Нина",
                         birth_year=1990)  # fmt: skip
    Membership.objects.create(household=home, person=child, role="child")
    Membership.objects.create(household=home, person=mother, role="parent")
    clinic = AgencyFactory(type=AgencyType.HEALTH, territory=cast.municipality_a,
                           email="clinic@example.org")  # fmt: skip
    curator = UserFactory(agency=cast.agency_a, role=Role.CASE_CURATOR)
    case = Case.objects.create(number="7/2026", region=cast.region, territory=cast.municipality_a,
                               household=home, curator=curator, opened_by=curator)  # fmt: skip
    CaseParticipant.objects.create(case=case, agency=clinic)
    police = AgencyFactory(type=AgencyType.POLICE, territory=cast.municipality_a)
    officer = UserFactory(agency=police, role=Role.POLICE_INSPECTOR)
    return {"home": home, "child": child, "mother": mother, "officer": officer, "clinic": clinic}


def _url(kind: str, pk: int) -> str:
    return reverse("registry:break_glass", args=[kind, pk])


def test_a_grant_opens_the_record_for_three_hours_and_tells_the_owners(
    cast: Cast,
    client_for: ClientFor,
    family: dict[str, Any],
    run_queued_tasks: Callable[[], int],
) -> None:
    officer, child = family["officer"], family["child"]
    client = client_for(officer)
    card = reverse("registry:person_detail", args=[child.pk])
    assert client.get(card).status_code == 404
    assert client.get(_url("person", child.pk)).status_code == 200

    # No reason, or a word: refused in Russian, nothing granted, the text kept.
    for reason, error in (("", "Обязательное поле"), ("срочно", "не короче 15 знаков")):
        page = client.post(_url("person", child.pk), {"reason": reason})
        assert page.status_code == 200
        assert error in page.content.decode() and reason in page.content.decode()
    assert not BreakGlass.objects.exists()

    start = timezone.now()
    with as_of(start):
        response = client.post(_url("person", child.pk), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == card
    grant = BreakGlass.objects.get()
    assert (grant.user, grant.kind, grant.record_id) == (officer, "person", child.pk)
    assert grant.expires_at - grant.started_at == dt.timedelta(hours=3)
    event = AuditEvent.objects.get(action=TrustAction.BREAK_GLASS)
    assert event.actor == officer and event.detail["reason"] == REASON
    assert set(event.detail["owners"]) == {cast.agency_a.pk, family["clinic"].pk}
    # In the inbox of the coordinator and of each owning agency, and mailed by the outbox.
    inbox = Notification.objects.filter(kind="registry.break_glass")
    assert {(n.recipient_id, n.agency_id) for n in inbox} == {
        (cast.coordinator.pk, None), (None, cast.agency_a.pk), (None, family["clinic"].pk),
    }  # fmt: skip
    assert run_queued_tasks() == 3
    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == sorted([cast.coordinator.email, cast.agency_a.email, "clinic@example.org"])
    message = mail.outbox[0]
    assert f"№ {child.pk}" in message.subject and f"№ {child.pk}" in message.body
    assert "Закрытая" not in message.body and REASON not in message.body  # no personal data

    # Later in the shift (a fresh sign-in: the earlier session would have idled out).
    with as_of(start + dt.timedelta(hours=2, minutes=59)):
        client = client_for(officer)
        page = client.get(card)
        assert page.status_code == 200
        # The card says it was opened by break-glass, until when and why.
        text = page.content.decode()
        assert "data-break-glass" in text and REASON in text
        assert timezone.localtime(grant.expires_at).strftime("%d.%m.%Y %H:%M") in text
        # The grant is for that person: the mother and the household stay closed.
        assert client.get(reverse("registry:person_detail", args=[family["mother"].pk])
                          ).status_code == 404  # fmt: skip
        assert client.get(reverse("registry:household_detail", args=[family["home"].pk])
                          ).status_code == 404  # fmt: skip
    with as_of(start + dt.timedelta(hours=3, minutes=1)):
        assert client_for(officer).get(card).status_code == 404


def test_a_household_grant_opens_its_members(client_for: ClientFor, family: dict[str, Any]) -> None:
    client = client_for(family["officer"])
    assert client.post(_url("household", family["home"].pk), {"reason": REASON}).status_code == 302
    for url in (
        reverse("registry:household_detail", args=[family["home"].pk]),
        reverse("registry:person_detail", args=[family["mother"].pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "data-break-glass" in page.content.decode(), url


def test_a_record_opened_by_ones_own_work_carries_no_banner(
    cast: Cast, client_for: ClientFor, family: dict[str, Any]
) -> None:
    page = client_for(cast.worker_a).get(
        reverse("registry:person_detail", args=[family["child"].pk])
    )
    assert page.status_code == 200 and "data-break-glass" not in page.content.decode()


def test_what_cannot_be_broken_into(cast: Cast, client_for: ClientFor, family: dict[str, Any]
                                    ) -> None:  # fmt: skip
    child = family["child"]
    # Another region's record does not exist for the user.
    other_region = TerritoryFactory(name="Другая область", level=Territory.Level.REGION,
                                    parent=cast.region.parent)  # fmt: skip
    far = make_person(
        TerritoryFactory(name="Чужой город", parent=other_region), last_name="Дальняя"
    )
    officer = client_for(family["officer"])
    for url in (_url("person", far.pk), _url("person", 10**9), _url("car", child.pk),
                _url("person", "x")):  # fmt: skip
        assert officer.get(url).status_code == 404, url
    assert officer.post(_url("person", far.pk), {"reason": REASON}).status_code == 404
    # A record the user sees already: straight to it, nothing recorded.
    response = client_for(cast.worker_a).get(_url("person", child.pk))
    assert response.status_code == 302
    assert client_for(cast.analyst).get(_url("person", child.pk)).status_code == 403
    anonymous = Client().get(_url("person", child.pk))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not BreakGlass.objects.exists()


def test_the_report_lists_every_use_for_the_coordinator(
    cast: Cast, client_for: ClientFor, family: dict[str, Any]
) -> None:
    client_for(family["officer"]).post(_url("person", family["child"].pk), {"reason": REASON})
    url = reverse("audit:break_glass")
    page = client_for(cast.coordinator).get(url)
    text = page.content.decode()
    assert page.status_code == 200 and REASON in text and f"№ {family['child'].pk}" in text
    assert client_for(cast.admin).get(url).status_code == 200
    for user in (family["officer"], cast.worker_a, cast.analyst):
        assert client_for(user).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    # Another region's coordinator sees none of it.
    region = TerritoryFactory(name="Другая область", level=Territory.Level.REGION,
                              parent=cast.region.parent)  # fmt: skip
    ministry = AgencyFactory(type=AgencyType.MINISTRY, territory=region)
    stranger = UserFactory(agency=ministry, role=Role.REGIONAL_COORDINATOR)
    assert REASON not in client_for(stranger).get(url).content.decode()


def test_the_report_queries_stay_flat(cast: Cast, client_for: ClientFor, family: dict[str, Any]
                                      ) -> None:  # fmt: skip
    home: Household = family["home"]

    def add(n: int) -> None:
        for _ in range(n):
            user = UserFactory(agency=AgencyFactory(territory=cast.municipality_a),
                               role=Role.SCHOOL_SOCIAL_PEDAGOGUE)  # fmt: skip
            BreakGlass.objects.create(
                user=user, agency=user.agency, kind="household", record_id=home.pk,
                territory=cast.municipality_a, reason=REASON, started_at=timezone.now(),
                expires_at=timezone.now() + dt.timedelta(hours=3),
            )  # fmt: skip

    assert_queries_flat(client_for(cast.coordinator), reverse("audit:break_glass"), add)
