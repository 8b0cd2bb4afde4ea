"""Every data bank page: who may open it (keeper, coordinator), who gets 404 (outsiders)
or 403 (read-only), anonymous users sent to the login; what each page shows and logs."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditAction, AuditEvent
from ochag.core.testing import assert_queries_flat
from ochag.databank.models import ChildProfile, Contact, ContactOutcome, FederalDeadline
from ochag.databank.tests.conftest import Bank, make_child, make_family
from ochag.databank.worklist import lines

pytestmark = pytest.mark.django_db


def _status(client_for, user, url, method="get", data=None):  # type: ignore[no-untyped-def]
    client = client_for(user)
    return getattr(client, method)(url, data or {}).status_code


def test_anonymous_users_are_sent_to_the_login(client, bank: Bank) -> None:  # type: ignore[no-untyped-def]
    for url in [
        reverse("databank:children"),
        reverse("databank:child", args=[bank.child.pk]),
        reverse("databank:families"),
        reverse("databank:family", args=[bank.family.pk]),
        reverse("databank:federal"),
        reverse("databank:child_create"),
        reverse("databank:family_create"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_child_page_keeper_and_coordinator_see_it_outsiders_get_404(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:child", args=[bank.child.pk])
    assert _status(client_for, cast.worker_a, url) == 200
    assert _status(client_for, cast.coordinator, url) == 200
    assert _status(client_for, cast.worker_b, url) == 404  # another body: anonymised only
    assert _status(client_for, cast.analyst, url) == 404
    assert _status(client_for, cast.admin, url) == 404


def test_child_page_ranks_families_with_reasons_and_logs_the_view(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    before = AccessLogEntry.objects.count()
    response = client_for(cast.worker_a).get(reverse("databank:child", args=[bank.child.pk]))
    html = response.content.decode()
    # Family B is nearer the child's home than family A: ranked first, with its reasons.
    assert html.index(f"№ {bank.family.pk}") < html.index(f"№ {bank.own_family.pk}")
    assert "км от дома ребёнка" in html
    assert "из 100" in html
    # Family B is another body's: named by number, no link; A's own family links.
    assert reverse("databank:family", args=[bank.family.pk]) not in html
    assert reverse("databank:family", args=[bank.own_family.pk]) in html
    assert bank.family.applicant.last_name + " " + bank.family.applicant.first_name not in html
    assert AccessLogEntry.objects.count() == before + 2  # the profile and the registry person


def test_contact_keeper_records_coordinator_403_outsider_404(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:contact_add", args=[bank.child.pk])
    data = {
        "family": bank.family.pk,
        "on": "01.12.2026",
        "outcome": ContactOutcome.MET,
        "note": "ok",
    }
    assert _status(client_for, cast.coordinator, url, "post", data) == 403
    assert _status(client_for, cast.worker_b, url, "post", data) == 404
    assert _status(client_for, cast.analyst, url, "post", data) == 404
    assert Contact.objects.count() == 0
    assert _status(client_for, cast.worker_a, url, "post", data) == 302
    contact = Contact.objects.get()
    assert (contact.family, contact.outcome, contact.recorded_by) == (
        bank.family,
        "met",
        cast.worker_a,
    )
    assert AuditEvent.objects.filter(
        action="databank_contact_recorded", object_id=str(bank.child.pk)
    ).exists()
    # The family's page shows the contact to the family's body.
    page = client_for(cast.worker_b).get(reverse("databank:family", args=[bank.family.pk]))
    assert "Встретились, решают" in page.content.decode()


def test_contact_with_bad_input_is_refused_in_russian_keeping_what_was_typed(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:contact_add", args=[bank.child.pk])
    response = client_for(cast.worker_a).post(
        url, {"family": 999999, "on": "31.02.2026", "outcome": "met", "note": "заметка"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "заметка" in html
    assert "Введите правильную дату" in html or "дат" in html
    assert Contact.objects.count() == 0


def test_family_page_keeper_sees_ranked_children_anonymised(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:family", args=[bank.family.pk])
    assert _status(client_for, cast.worker_a, url) == 404
    assert _status(client_for, cast.analyst, url) == 404
    assert _status(client_for, cast.coordinator, url) == 200
    response = client_for(cast.worker_b).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    person = bank.child.person
    assert person.first_name in html
    assert person.last_name not in html  # anonymised: first name, age, sex, municipality
    assert reverse("databank:child", args=[bank.child.pk]) not in html
    assert (
        AccessLogEntry.objects.filter(purpose="databank_anonymised", actor=cast.worker_b).count()
        == 1
    )


def test_inspection_and_conclusion_by_the_keeper_only(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    fresh = make_family(cast, worker=cast.worker_b, agency=cast.agency_b)
    inspect = reverse("databank:family_inspect", args=[fresh.pk])
    conclude = reverse("databank:family_conclude", args=[fresh.pk])
    assert _status(client_for, cast.worker_a, inspect, "post", {"on": "01.12.2026"}) == 404
    assert _status(client_for, cast.analyst, conclude, "post", {"conclusion": "may_not"}) == 404
    assert _status(client_for, cast.worker_b, conclude, "post", {"conclusion": "may_not"}) == 302
    fresh.refresh_from_db()
    assert fresh.conclusion == "may_not" and fresh.conclusion_valid_until is None
    refused = client_for(cast.worker_b).post(conclude, {"conclusion": "may"})
    assert refused.status_code == 400
    assert "действ" in refused.content.decode()  # a positive conclusion needs «valid until»


def test_lists_show_only_what_the_user_keeps(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    children = reverse("databank:children")
    mine = client_for(cast.worker_a).get(children).content.decode()
    assert bank.child.person.last_name in mine
    theirs = client_for(cast.worker_b).get(children).content.decode()
    assert reverse("databank:child", args=[bank.child.pk]) not in theirs
    assert _status(client_for, cast.analyst, children) == 403
    families = client_for(cast.worker_a).get(reverse("databank:families")).content.decode()
    assert reverse("databank:family", args=[bank.own_family.pk]) in families
    assert reverse("databank:family", args=[bank.family.pk]) not in families
    assert _status(client_for, cast.analyst, reverse("databank:families")) == 403


def test_list_pages_run_a_flat_number_of_queries(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert_queries_flat(
        client_for(cast.coordinator),
        reverse("databank:children"),
        lambda n: [make_child(cast) for _ in range(n)],
    )
    assert_queries_flat(
        client_for(cast.coordinator),
        reverse("databank:families"),
        lambda n: [make_family(cast, worker=cast.worker_a, agency=cast.agency_a) for _ in range(n)],
    )


def test_create_pages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from ochag.registry.tests.factories import PersonFactory

    assert _status(client_for, cast.analyst, reverse("databank:child_create")) == 403
    assert _status(client_for, cast.worker_a, reverse("databank:child_create")) == 200
    person = PersonFactory.create(territory=cast.municipality_a)
    response = client_for(cast.worker_a).post(
        reverse("databank:child_create"),
        {
            "person": person.pk,
            "identified_on": "01.12.2026",
            "legal_status": "deprived",
            "forms": ["guardianship"],
            "health_group": 2,
            "home_territory": cast.municipality_a.pk,
            "home_lat": 57,
            "home_lon": 61,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    child = ChildProfile.objects.get(person=person)
    assert child.agency == cast.agency_a
    again = client_for(cast.worker_a).post(
        reverse("databank:child_create"),
        {
            "person": person.pk,
            "identified_on": "01.12.2026",
            "legal_status": "deprived",
            "forms": ["guardianship"],
            "health_group": 2,
            "home_territory": cast.municipality_a.pk,
            "home_lat": 57,
            "home_lon": 61,
        },
    )
    assert "уже есть" in again.content.decode()
    assert _status(client_for, cast.analyst, reverse("databank:family_create")) == 403
    applicant = PersonFactory.create(territory=cast.municipality_b, birth_year=1990)
    response = client_for(cast.worker_b).post(
        reverse("databank:family_create"),
        {
            "applicant": applicant.pk,
            "applied_on": timezone.localdate().strftime("%d.%m.%Y"),
            "forms": ["guardianship"],
            "capacity": 2,
            "age_min": 5,
            "age_max": 3,
            "health_group_max": 2,
            "home_territory": cast.municipality_b.pk,
            "home_lat": 57,
            "home_lon": 61,
        },
    )
    assert response.status_code == 200
    assert "ниже" in response.content.decode()  # the upper age below the lower one


def test_federal_queue_file_and_sending_recorded(cast: Cast, bank: Bank, client_for) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    FederalDeadline.objects.filter(child=bank.child).update(due_on=today - dt.timedelta(days=1))
    url = reverse("databank:federal")
    assert _status(client_for, cast.worker_a, url) == 403
    assert _status(client_for, cast.analyst, url) == 403
    assert bank.child.person.last_name in client_for(cast.coordinator).get(url).content.decode()
    (line,) = [line for line in lines(cast.coordinator) if "federal=due" in line.url]
    listing = client_for(cast.coordinator).get(line.url)
    # The board's count is the rows of the list it links to, every filter shown as a tag.
    assert listing.context["table"].page.paginator.count == line.count == 1
    assert len(listing.context["table"].tags) == 2
    assert _status(client_for, cast.worker_a, reverse("databank:federal_send"), "post") == 403
    response = client_for(cast.coordinator).post(reverse("databank:federal_send"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["schema"].endswith("databank-federal-1.json")
    (entry,) = body["children"]
    assert entry["ref"] == str(bank.child.pk)
    assert "home_lat" not in entry and "agency" not in entry and "contacts" not in entry
    bank.child.refresh_from_db()
    assert FederalDeadline.objects.get(child=bank.child).done_on == today
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED).count() == 1
    assert not any("federal=due" in str(line.url) for line in lines(cast.coordinator))


def test_inspection_overdue_on_the_board(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from ochag.databank import services
    from ochag.registry.tests.factories import PersonFactory

    services.family_create(
        actor=cast.worker_b,
        applicant=PersonFactory.create(territory=cast.municipality_b),
        agency=cast.agency_b,
        applied_on=timezone.localdate() - dt.timedelta(days=8),
        forms=["adoption"],
        home_lat=57,
        home_lon=61,
    )
    for user in (cast.coordinator, cast.worker_b):
        (line,) = [line for line in lines(user) if "inspection=overdue" in line.url]
        assert line.count == 1
        page = client_for(user).get(line.url).content.decode()
        assert "Просрочен" in page
    assert not [line for line in lines(cast.worker_a) if "inspection" in line.url]


def test_placement_by_the_keeper_or_coordinator_stops_the_offers(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:child_place", args=[bank.child.pk])
    data = {"on": timezone.localdate().strftime("%d.%m.%Y"), "form": "foster"}
    assert _status(client_for, cast.worker_b, url, "post", data) == 404
    assert _status(client_for, cast.analyst, url, "post", data) == 404
    refused = client_for(cast.worker_a).post(url, data)  # foster is not possible for the child
    assert refused.status_code == 400
    assert "невозможна" in refused.content.decode()
    assert _status(client_for, cast.worker_a, url, "post", {**data, "form": "adoption"}) == 302
    bank.child.refresh_from_db()
    assert (bank.child.status, bank.child.placed_form) == ("placed", "adoption")
    assert _status(client_for, cast.coordinator, url, "post", {**data, "form": "adoption"}) == 400


class _NoCache(dict):  # type: ignore[type-arg]
    def __setitem__(self, key: object, value: object) -> None:
        pass


def test_child_and_family_pages_run_a_flat_number_of_queries(
    cast: Cast, bank: Bank, client_for, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from ochag.databank import ranking

    # Every view misses the family-pool cache, so both counts load the families once.
    monkeypatch.setattr(ranking, "_pools", _NoCache())
    # More ranked families on the child's page, more ranked children on the family's.
    assert_queries_flat(
        client_for(cast.worker_a),
        reverse("databank:child", args=[bank.child.pk]),
        lambda n: [make_family(cast, worker=cast.worker_b, agency=cast.agency_b) for _ in range(n)],
    )
    assert_queries_flat(
        client_for(cast.worker_b),
        reverse("databank:family", args=[bank.family.pk]),
        lambda n: [make_child(cast) for _ in range(n)],
    )
