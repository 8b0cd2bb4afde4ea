"""The inspection checklist: computed items follow the data, declared items carry their
evidence and are audited, missing items come first; who may see and declare."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Role, User
from ochag.access.tests.factories import UserFactory
from ochag.care.models import Commission, Sitting
from ochag.conftest import Cast
from ochag.core.models import AuditEvent
from ochag.monitoring.checklist import checklist
from ochag.monitoring.models import ChecklistDeclaration, MonitoringAction
from ochag.support.models import Provider, Service, ServiceFormat, ServiceType

pytestmark = pytest.mark.django_db

PAGE = reverse("monitoring:checklist")
DECLARE = reverse("monitoring:checklist_declare", args=["regional_programme"])


def _states(cast: Cast) -> dict[str, bool]:
    return {item.code: item.done for item in checklist(cast.region, timezone.localdate())}


def test_computed_items_follow_the_data(cast: Cast) -> None:
    states = _states(cast)
    assert not states["commission"]
    assert not states["leading_operator"]
    assert not states["coverage"]
    commission = Commission.objects.create(region=cast.region, name="Комиссия")
    assert not _states(cast)["commission"]  # set up, but has not sat this quarter
    Sitting.objects.create(
        commission=commission,
        number=1,
        date=timezone.localdate(),
        place="Зал",
        created_by=cast.coordinator,
    )
    provider = Provider.objects.create(
        name="Центр «Семья»",
        kind="kcson",
        region=cast.region,
        territory=cast.municipality_a,
        phone="1",
        is_leading_operator=True,
    )
    provider.municipalities.set([cast.municipality_a])
    for kind in ServiceType.objects.filter(is_active=True):
        Service.objects.create(
            provider=provider, type=kind, name=kind.name, format=ServiceFormat.DAY, capacity=5
        )
    items = {item.code: item for item in checklist(cast.region, timezone.localdate())}
    assert items["commission"].done
    assert items["leading_operator"].done
    assert items["leading_operator"].detail == "Центр «Семья»"
    # Municipality B has none of the services yet.
    assert not items["coverage"].done
    assert cast.municipality_b.name in items["coverage"].detail
    assert cast.municipality_a.name not in items["coverage"].detail
    provider.municipalities.add(cast.municipality_b)
    assert _states(cast)["coverage"]


def test_coordinator_declares_an_item_with_evidence_audited(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.coordinator)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert [i.done for i in page.context["items"]] == sorted(i.done for i in page.context["items"])
    assert DECLARE in page.content.decode()
    bad = client.post(DECLARE, {"document": "Постановление № 5", "dated": "31.02.2026"})
    assert bad.status_code == 200
    assert "Постановление № 5" in bad.content.decode()  # nothing lost on bad input
    assert not ChecklistDeclaration.objects.exists()
    done = client.post(
        DECLARE,
        {"document": "Постановление № 5", "dated": "15.01.2026", "link": "https://example.org/5"},
    )
    assert done.status_code == 302
    declaration = ChecklistDeclaration.objects.get(region=cast.region, item="regional_programme")
    assert declaration.declared_by == cast.coordinator
    assert AuditEvent.objects.filter(action=MonitoringAction.CHECKLIST_DECLARED).count() == 1
    items = {i.code: i for i in client.get(PAGE).context["items"]}
    assert items["regional_programme"].done
    assert items["regional_programme"].detail == "Постановление № 5"
    assert items[list(items)[-1]].done  # done items come last


def test_analyst_reads_but_cannot_declare(cast: Cast, client_for: Callable[[User], Client]) -> None:
    client = client_for(cast.analyst)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert DECLARE not in page.content.decode()
    assert client.get(DECLARE).status_code == 403
    response = client.post(DECLARE, {"document": "Д", "dated": "15.01.2026"})
    assert response.status_code == 403
    assert not ChecklistDeclaration.objects.exists()


def test_others_are_refused(cast: Cast, client_for: Callable[[User], Client]) -> None:
    head = UserFactory(
        username="kdn_head_a", agency=cast.agency_a, role=Role.KDN_SECRETARY, is_supervisor=True
    )
    for user in (cast.worker_a, cast.supervisor_a, head):
        client = client_for(user)
        assert client.get(PAGE).status_code == 403, user
        assert client.get(DECLARE).status_code == 403, user
    coordinator = client_for(cast.coordinator)
    unknown = reverse("monitoring:checklist_declare", args=["nope"])
    assert coordinator.get(unknown).status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    for url in (PAGE, DECLARE):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login" in response["Location"]
