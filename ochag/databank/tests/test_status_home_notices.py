"""The family-legal status read from care, homes by municipality centres (km, not
"same municipality or not"), and the deadline notifications of the daily check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import Notification
from ochag.access.tests.factories import UserFactory
from ochag.conftest import Cast
from ochag.core.deadlines import deadlines_check
from ochag.core.tests.factories import TerritoryFactory
from ochag.databank import federal, policies, ranking, selectors, services
from ochag.databank.models import FederalDeadline
from ochag.databank.tests.conftest import Bank, make_child, make_family
from ochag.registry.models import Person
from ochag.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

DEMO_REGION = "Северо-Озёрская область (демо)"


@pytest.fixture
def demo_places(cast: Cast) -> tuple[object, object, object]:
    """The test region renamed as the demo's, with three of its municipalities."""
    cast.region.name = DEMO_REGION
    cast.region.save()
    near = TerritoryFactory.create(name="Городской округ Озёрск", parent=cast.region)
    mid = TerritoryFactory.create(name="Берёзовский муниципальный район", parent=cast.region)
    far = TerritoryFactory.create(name="Каменский муниципальный район", parent=cast.region)
    return near, mid, far


def test_homes_without_coordinates_take_the_centre_and_rank_by_km(
    cast: Cast, demo_places: tuple
) -> None:  # type: ignore[type-arg]
    near, mid, far = demo_places
    child = make_child(cast, home_territory=near, home_lat=None, home_lon=None)
    assert child.home_by_centroid and (child.home_lat, child.home_lon) == (57.0, 61.0)
    fams = {
        t.name: make_family(
            cast,
            worker=cast.worker_b,
            agency=cast.agency_b,
            home_territory=t,
            home_lat=None,
            home_lon=None,
        )
        for t in (far, mid)
    }
    # Neither is in the child's municipality: the nearer centre still ranks first.
    ranked = ranking.families_for(
        child, policies.matchable_families(cast.worker_a), timezone.localdate()
    )
    assert [m.family.key for m in ranked[:2]] == [
        str(fams[mid.name].pk),
        str(fams[far.name].pk),
    ]
    assert 40 < ranked[0].km < ranked[1].km
    unknown = TerritoryFactory.create(name="Нет в таблице", parent=cast.region)
    with pytest.raises(ValidationError, match=r"координат|coordinates"):
        make_child(cast, home_territory=unknown, home_lat=None, home_lon=None)
    # Typed coordinates win over the centre.
    services.child_update(actor=cast.worker_a, child=child, version=1, home_lat=57.2, home_lon=61.0)
    child.refresh_from_db()
    assert not child.home_by_centroid and child.home_lat == 57.2


def _in_care(cast: Cast, person: Person, legal_status: str) -> None:
    """A care record for the child (written as care's own tests set one up)."""
    from ochag.care.models import Placement
    from ochag.care.services import institutions

    home = institutions.institution_save(
        actor=cast.coordinator,
        name=f"ЦССВ {person.pk}",
        type="orphanage",
        agency=cast.agency_a,
        operating_agency=cast.ministry,
        territory=cast.municipality_a,
        capacity=10,
        distance_km=1,
        travel_minutes=5,
    )
    today = timezone.localdate()
    Placement.objects.create(
        child=person,
        institution=home,
        region=cast.region,
        admitted_on=today,
        ground="no_care",
        act_number="1",
        act_date=today,
        placing_agency=cast.agency_a,
        family_territory=cast.municipality_a,
        legal_status=legal_status,
        recorded_by=cast.worker_a,
    )


def test_the_legal_status_comes_from_care_where_the_child_has_a_record(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    assert selectors.legal_status(bank.child) == ("deprived", False)
    _in_care(cast, bank.child.person, "unknown")
    assert selectors.legal_status(bank.child) == ("unknown", True)
    html = client_for(cast.worker_a).get(reverse("databank:child", args=[bank.child.pk]))
    assert "по данным учёта детей в организациях" in html.content.decode()
    entry = federal.entry(bank.child, [])
    assert entry["legal_status"] == "unknown"
    edit = client_for(cast.worker_a).get(reverse("databank:child_edit", args=[bank.child.pk]))
    assert edit.context["form"].fields["legal_status"].disabled  # care keeps it
    services.child_update(
        actor=cast.worker_a, child=bank.child, version=1, legal_status="with_rights"
    )
    bank.child.refresh_from_db()
    assert bank.child.legal_status == "unknown"  # a typed status never overrides care's
    # A new profile of a child in care takes care's status, whatever was typed.
    person = PersonFactory.create(territory=cast.municipality_a)
    _in_care(cast, person, "deceased")
    with pytest.raises(ValidationError):
        make_child(cast, legal_status="")  # no care record and nothing typed: refused
    cared = services.child_create(
        actor=cast.worker_a,
        person=person,
        agency=cast.agency_a,
        identified_on=timezone.localdate(),
        legal_status="",
        forms=["guardianship"],
        home_lat=57,
        home_lon=61,
    )
    assert cared.legal_status == "deceased"


def test_deadline_notices_remind_then_escalate_once(cast: Cast, bank: Bank) -> None:
    today = timezone.localdate()
    family = services.family_create(
        actor=cast.worker_b,
        applicant=PersonFactory.create(territory=cast.municipality_b),
        agency=cast.agency_b,
        applied_on=today - dt.timedelta(days=6),
        forms=["guardianship"],
        home_lat=57,
        home_lon=61,
    )
    due = family.inspection.due_on
    keys = ["databank.inspection", "databank.federal"]
    # The day before: a reminder to the family's body (its duty address).
    deadlines_check(day=due - dt.timedelta(days=1), only=keys)
    soon = Notification.objects.filter(kind="databank_deadline", agency=cast.agency_b)
    assert soon.count() == 1 and f"№ {family.pk}" in soon.get().text
    assert family.applicant.last_name not in soon.get().text  # numbers, never names
    # Overdue: the body and its supervisors; running the check twice notifies once.
    supervisor_b = UserFactory.create(
        username="supervisor_b", agency=cast.agency_b, is_supervisor=True
    )
    for _ in range(2):
        deadlines_check(day=due + dt.timedelta(days=1), only=["databank.inspection"])
    overdue = Notification.objects.filter(kind="databank_deadline", text__contains="просроч")
    assert {(n.agency_id, n.recipient_id) for n in overdue} == {
        (cast.agency_b.pk, None),
        (None, supervisor_b.pk),
    }
    # The federal month: coordinators three days ahead, then coordinators and the body.
    federal_due = FederalDeadline.objects.get(child=bank.child).due_on
    deadlines_check(day=federal_due - dt.timedelta(days=2), only=["databank.federal"])
    ahead = Notification.objects.filter(
        kind="databank_deadline", subject_id=bank.child.pk, subject_type="databank.childprofile"
    )
    assert [n.recipient_id for n in ahead] == [cast.coordinator.pk]
    assert ahead.get().url == reverse("databank:federal")
    deadlines_check(day=federal_due + dt.timedelta(days=1), only=["databank.federal"])
    deadlines_check(day=federal_due + dt.timedelta(days=2), only=["databank.federal"])
    assert ahead.all().count() == 3  # + the coordinator and the child's body, once
    assert ahead.filter(agency=cast.agency_a).count() == 1
