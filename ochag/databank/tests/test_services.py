"""The data bank's rules: deadlines stored on write, conclusions only when earned,
siblings apart only by a recorded decision, monitoring's counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ochag.conftest import Cast
from ochag.core.calendar import add_working_days
from ochag.core.deadlines import DayKind, due_date
from ochag.core.models import AuditEvent
from ochag.databank import counts, policies, ranking, services
from ochag.databank.models import Conclusion
from ochag.databank.tests.conftest import Bank, make_child
from ochag.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
        (dt.date(2028, 1, 30), dt.date(2028, 2, 29)),
    ],
)
def test_a_month_in_the_bank(day: dt.date, expected: dt.date) -> None:
    assert services.add_month(day) == expected


def test_profile_deadlines_are_stored_when_the_child_enters(cast: Cast) -> None:
    child = make_child(cast)
    today = timezone.localdate()
    assert child.profile_due_on == add_working_days(child.identified_on, 3, territory=cast.region)
    assert child.federal.due_on == due_date(services.add_month(today), 0, territory=cast.region)
    assert AuditEvent.objects.filter(
        action="databank_child_saved", object_id=str(child.pk)
    ).exists()
    with pytest.raises(ValidationError):
        services.child_create(
            actor=cast.worker_a,
            person=child.person,
            agency=cast.agency_a,
            identified_on=today,
            legal_status="deprived",
            forms=["guardianship"],
            home_lat=57,
            home_lon=61,
        )


def test_home_inspection_within_seven_days_and_the_conclusion_needs_it(cast: Cast) -> None:
    applied = timezone.localdate() - dt.timedelta(days=2)
    family = services.family_create(
        actor=cast.worker_b,
        applicant=PersonFactory.create(territory=cast.municipality_b),
        agency=cast.agency_b,
        applied_on=applied,
        forms=["guardianship"],
        home_lat=57,
        home_lon=61,
    )
    assert family.inspection.due_on == due_date(
        applied, 7, kind=DayKind.CALENDAR, territory=cast.region
    )
    valid = timezone.localdate() + dt.timedelta(days=365)
    with pytest.raises(ValidationError, match=r"жиль|home"):
        services.family_conclude(
            actor=cast.worker_b, family=family, conclusion=Conclusion.MAY, valid_until=valid
        )
    services.family_inspect(actor=cast.worker_b, family=family, on=applied + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match=r"ШПР|school"):
        services.family_conclude(
            actor=cast.worker_b, family=family, conclusion=Conclusion.MAY, valid_until=valid
        )
    family.training_exemption = "relative"  # relatives are exempt from the school
    services.family_conclude(
        actor=cast.worker_b, family=family, conclusion=Conclusion.MAY, valid_until=valid
    )
    assert family.conclusion == Conclusion.MAY


def test_siblings_apart_only_with_a_recorded_decision(cast: Cast) -> None:
    kids = [make_child(cast), make_child(cast)]
    with pytest.raises(ValidationError):
        services.siblings_join(actor=cast.worker_a, children=kids, must_be_together=False)
    with pytest.raises(ValidationError, match=r"дат|date"):
        services.siblings_join(
            actor=cast.worker_a, children=kids, must_be_together=False, document="№ 12"
        )
    group = services.siblings_join(
        actor=cast.worker_a,
        children=kids,
        must_be_together=False,
        document="Постановление № 12",
        on=dt.date(2026, 11, 1),
    )
    assert (group.separation_document, group.separation_on) == (
        "Постановление № 12",
        dt.date(2026, 11, 1),
    )


def test_siblings_who_must_stay_together_are_ranked_as_one(cast: Cast, bank: Bank) -> None:
    brother = make_child(cast)
    services.siblings_join(
        actor=cast.worker_a, children=[bank.child, brother], must_be_together=True
    )
    bank.child.refresh_from_db()
    today = timezone.localdate()
    # Both families take one child only: nobody is shown for the pair.
    assert ranking.families_for(bank.child, policies.matchable_families(cast.worker_a), today) == []
    services.family_update(
        actor=cast.worker_b,
        family=bank.family,
        version=bank.family.version,
        capacity=2,
        siblings=True,
    )
    (match,) = ranking.families_for(bank.child, policies.matchable_families(cast.worker_a), today)
    assert match.unit.size == 2 and match.family.key == str(bank.family.pk)


def test_monitoring_counts(cast: Cast, bank: Bank) -> None:
    today = timezone.localdate()
    assert counts.in_bank(cast.coordinator) == 1
    assert counts.in_bank(cast.worker_b) == 0  # counts follow the same policy as the lists
    services.child_place(actor=cast.worker_a, child=bank.child, on=today, form="adoption")
    assert counts.in_bank(cast.coordinator) == 0
    assert counts.placed_by_form(cast.coordinator, today, today) == {"adoption": 1}
    assert counts.sent_to_federal(cast.coordinator, today, today) == 0


def test_the_daily_deadline_check_stamps_overdue_inspections_and_federal_transfers(
    cast: Cast, bank: Bank
) -> None:
    from ochag.core.deadlines import deadlines_check
    from ochag.databank.models import FederalDeadline, HomeInspection

    late = services.family_create(
        actor=cast.worker_b,
        applicant=PersonFactory.create(territory=cast.municipality_b),
        agency=cast.agency_b,
        applied_on=timezone.localdate() - dt.timedelta(days=20),
        forms=["guardianship"],
        home_lat=57,
        home_lon=61,
    )
    day = timezone.localdate() + dt.timedelta(days=60)  # the child's month has run out too
    reports = {
        r.key: r for r in deadlines_check(day=day, only=["databank.inspection", "databank.federal"])
    }
    assert reports["databank.inspection"].newly_overdue == 1
    assert reports["databank.federal"].newly_overdue == 1
    assert HomeInspection.objects.get(family=late).overdue_since == day
    services.family_inspect(actor=cast.worker_b, family=late, on=timezone.localdate())
    assert HomeInspection.objects.get(family=late).overdue_since is None
    services.child_place(
        actor=cast.worker_a, child=bank.child, on=timezone.localdate(), form="adoption"
    )
    deadlines_check(day=day, only=["databank.federal"])
    assert FederalDeadline.objects.get(child=bank.child).overdue_since is None  # placed: not due
