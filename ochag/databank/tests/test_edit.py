"""Edit screens (child profile, candidate family: versioned, audited, nothing lost on a
conflict) and the sibling-group screen (together, or apart by a recorded decision that the
matching then follows)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditEvent
from ochag.databank import policies, ranking, services
from ochag.databank.models import ChildProfile, SiblingGroup
from ochag.databank.tests.conftest import Bank, make_child, make_family

pytestmark = pytest.mark.django_db


def child_post(child: ChildProfile, **over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": child.version,
        "legal_status": "deprived",
        "forms": ["guardianship", "adoption"],
        "health_group": 3,
        "needs": ["chronic"],
        "language": "ru",
        "description": "Любит читать.",
        "home_territory": child.home_territory_id,
        "home_lat": "57.0",
        "home_lon": "61.0",
    }
    data.update(over)
    return data


def test_child_edit_keeper_saves_with_audit_coordinator_403_outsiders_404(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:child_edit", args=[bank.child.pk])
    assert client_for(cast.coordinator).get(url).status_code == 403
    assert client_for(cast.coordinator).post(url, child_post(bank.child)).status_code == 403
    for outsider in (cast.worker_b, cast.analyst):
        assert client_for(outsider).get(url).status_code == 404
    page = client_for(cast.worker_a).get(url)
    assert page.status_code == 200 and 'name="version"' in page.content.decode()
    assert AccessLogEntry.objects.filter(
        purpose="databank_child_edit", object_id=str(bank.child.pk), actor=cast.worker_a
    ).exists()
    response = client_for(cast.worker_a).post(url, child_post(bank.child))
    assert response.status_code == 302, response.content.decode()[:3000]
    bank.child.refresh_from_db()
    assert (bank.child.health_group, bank.child.needs, bank.child.version) == (3, ["chronic"], 2)
    event = AuditEvent.objects.filter(
        action="databank_child_saved", object_id=str(bank.child.pk)
    ).latest("pk")
    assert event.detail["changed"]["health_group"] == ["2", "3"]
    detail = client_for(cast.worker_a).get(reverse("databank:child", args=[bank.child.pk]))
    assert url in detail.content.decode()
    assert url not in client_for(cast.coordinator).get(detail.request["PATH_INFO"]).content.decode()


def test_child_edit_conflict_keeps_the_input_and_shows_what_is_saved_now(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:child_edit", args=[bank.child.pk])
    stale = child_post(bank.child, description="Моя версия описания.")
    # A colleague saves first.
    services.child_update(
        actor=cast.worker_a, child=bank.child, version=1, description="Версия коллеги."
    )
    response = client_for(cast.worker_a).post(url, stale)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Моя версия описания." in html  # nothing typed is lost
    assert "Версия коллеги." in html  # the saved version is shown
    assert 'name="version" value="2"' in html
    bank.child.refresh_from_db()
    assert bank.child.description == "Версия коллеги."
    # Saving again (the form now carries version 2) wins.
    again = client_for(cast.worker_a).post(url, {**stale, "version": 2})
    assert again.status_code == 302
    bank.child.refresh_from_db()
    assert bank.child.description == "Моя версия описания."


def test_child_edit_bad_input_in_russian(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:child_edit", args=[bank.child.pk])
    response = client_for(cast.worker_a).post(
        url, child_post(bank.child, health_group=9, home_lat="57", home_lon="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "от 1 до 5" in html
    assert "Любит читать." in html


def test_family_edit_keeper_only_versioned_and_audited(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    family = bank.family
    url = reverse("databank:family_edit", args=[family.pk])
    assert client_for(cast.coordinator).get(url).status_code == 403
    for outsider in (cast.worker_a, cast.analyst):
        assert client_for(outsider).get(url).status_code == 404
    data = {
        "version": family.version,
        "forms": ["guardianship", "foster"],
        "capacity": 3,
        "age_min": 2,
        "age_max": 12,
        "siblings": "on",
        "health_group_max": 3,
        "home_territory": cast.municipality_b.pk,
        "home_lat": "57.05",
        "home_lon": "61",
    }
    assert client_for(cast.worker_b).post(url, data).status_code == 302
    family.refresh_from_db()
    assert (family.capacity, family.siblings, family.version) == (3, True, 2)
    assert AuditEvent.objects.filter(
        action="databank_family_saved", object_id=str(family.pk), detail__has_key="changed"
    ).exists()
    stale = client_for(cast.worker_b).post(url, {**data, "capacity": 1})  # version 1 again
    assert stale.status_code == 400
    assert "сохранил" in stale.content.decode()
    family.refresh_from_db()
    assert family.capacity == 3
    upside = client_for(cast.worker_b).post(url, {**data, "version": 2, "age_min": 14})
    assert upside.status_code == 400 and "ниже" in upside.content.decode()


def test_the_family_edit_reranks_at_once(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    """The child page's family pool is cached per region; an edit makes it stale."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    families = policies.matchable_families(cast.worker_a)
    assert {m.family.key for m in ranking.families_for(bank.child, families, today)} == {
        str(bank.family.pk),
        str(bank.own_family.pk),
    }
    with CaptureQueriesContext(connection) as hit:
        ranking.families_for(bank.child, families, today)
    assert not any("databank_candidatefamily" in q["sql"] for q in hit.captured_queries)
    services.family_update(
        actor=cast.worker_b, family=bank.family, version=1, forms=["foster"]
    )  # no form of care possible for the child any more
    assert {m.family.key for m in ranking.families_for(bank.child, families, today)} == {
        str(bank.own_family.pk)
    }


def test_sibling_group_screen_and_the_matching_follows_the_decision(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    brother = make_child(cast)
    sister = make_child(cast)
    join = reverse("databank:siblings_join", args=[bank.child.pk])
    assert client_for(cast.coordinator).post(join, {"others": f"{brother.pk}"}).status_code == 403
    assert client_for(cast.worker_b).post(join, {"others": f"{brother.pk}"}).status_code == 404
    refused = client_for(cast.worker_a).post(join, {"others": "999999"})
    assert refused.status_code == 400 and "999999" in refused.content.decode()
    response = client_for(cast.worker_a).post(join, {"others": f"{brother.pk}, {sister.pk}"})
    assert response.status_code == 302
    group = SiblingGroup.objects.get()
    assert group.must_be_together and group.children.count() == 3

    url = reverse("databank:siblings", args=[group.pk])
    assert client_for(cast.worker_a).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(purpose="databank_siblings").count() == 3
    assert client_for(cast.coordinator).get(url).status_code == 200
    for outsider in (cast.worker_b, cast.analyst):
        assert client_for(outsider).get(url).status_code == 404

    today = timezone.localdate()
    big = make_family(
        cast, worker=cast.worker_b, agency=cast.agency_b, capacity=3, siblings=True, age_max=10
    )
    families = policies.matchable_families(cast.worker_a)
    bank.child.refresh_from_db()
    together = ranking.families_for(bank.child, families, today)
    assert [m.family.key for m in together] == [str(big.pk)] and together[0].unit.size == 3
    offered = policies.anonymised_children(cast.worker_b)
    # The other direction too: a family for one child is offered none of the three.
    assert ranking.children_for(bank.family, offered, today) == []

    edit = reverse("databank:siblings_edit", args=[group.pk])
    apart = {"version": group.version, "must_be_together": "", "separation_document": ""}
    assert client_for(cast.coordinator).post(edit, apart).status_code == 403
    refused = client_for(cast.worker_a).post(edit, apart)
    assert refused.status_code == 400
    assert "документ" in refused.content.decode() and "дат" in refused.content.decode()
    group.refresh_from_db()
    assert group.must_be_together  # nothing changed without the decision
    decided = {**apart, "separation_document": "Постановление № 7-п", "separation_on": "01.12.2026"}
    assert client_for(cast.worker_a).post(edit, decided).status_code == 302
    group.refresh_from_db()
    assert not group.must_be_together and group.separation_on.isoformat() == "2026-12-01"
    assert AuditEvent.objects.filter(
        action="databank_siblings_saved", object_id=str(group.pk), detail__has_key="document"
    ).exists()
    bank.child.refresh_from_db()
    apart_ranked = ranking.families_for(bank.child, families, today)
    assert all(m.unit.size == 1 for m in apart_ranked)
    assert str(bank.family.pk) in {m.family.key for m in apart_ranked}
    assert len(ranking.children_for(bank.family, offered, today)) == 3  # each on their own
    page = client_for(cast.worker_a).get(reverse("databank:child", args=[bank.child.pk]))
    assert "Постановление № 7-п" in page.content.decode()


def test_sibling_add_and_remove_dissolve_the_last_pair(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    brother = make_child(cast)
    group = services.siblings_join(actor=cast.worker_a, children=[bank.child, brother])
    third = make_child(cast)
    add = reverse("databank:sibling_add", args=[group.pk])
    assert client_for(cast.coordinator).post(add, {"child": third.pk}).status_code == 403
    assert client_for(cast.worker_a).post(add, {"child": third.pk}).status_code == 302
    assert group.children.count() == 3
    # A decision typed on the page opened before the child was added: kept, not saved.
    stale = client_for(cast.worker_a).post(
        reverse("databank:siblings_edit", args=[group.pk]),
        {"version": 1, "separation_document": "Постановление № 9", "separation_on": "02.12.2026"},
    )
    assert stale.status_code == 400
    assert "сохранил" in stale.content.decode() and "Постановление № 9" in stale.content.decode()
    group.refresh_from_db()
    assert group.must_be_together and group.version == 2
    remove = reverse("databank:sibling_remove", args=[group.pk, third.pk])
    assert client_for(cast.coordinator).post(remove).status_code == 403
    assert client_for(cast.worker_b).post(remove).status_code == 404
    assert client_for(cast.worker_a).post(remove).status_code == 302
    assert group.children.count() == 2
    client_for(cast.worker_a).post(reverse("databank:sibling_remove", args=[group.pk, brother.pk]))
    assert not SiblingGroup.objects.exists()
    bank.child.refresh_from_db()
    assert bank.child.siblings_id is None
