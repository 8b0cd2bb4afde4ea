"""The signals a user sees whole (VIEW_FULL): the list the person card starts from agrees,
signal by signal, with what the policy decides for one signal."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ochag.access.models import Agency, AgencyType
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.conftest import Cast
from ochag.signals.models import Signal
from ochag.signals.policies import SignalPolicyAction, signals

pytestmark = pytest.mark.django_db


def _signal(cast: Cast, *, routed_to: Agency | None, reporter: Agency) -> Signal:
    return Signal.objects.create(channel="staff", basis="duty_art9", received_at=timezone.now(),
                                 territory=cast.municipality_a, original_text="Сообщение",
                                 colour="amber", track="assessment", routed_to=routed_to,
                                 reporting_agency=reporter)  # fmt: skip


def test_visible_view_full_is_what_allows_decides(cast: Cast) -> None:
    school = AgencyFactory(name="Школа А", type=AgencyType.EDUCATION, territory=cast.municipality_a)
    teacher = UserFactory(username="teacher", agency=school)
    handled = _signal(cast, routed_to=cast.agency_a, reporter=school)
    reported = _signal(cast, routed_to=cast.agency_b, reporter=cast.agency_a)
    assigned = _signal(cast, routed_to=cast.agency_b, reporter=school)
    assigned.assignee = cast.worker_a
    assigned.save()
    shared = _signal(cast, routed_to=cast.agency_b, reporter=school)
    shared.shared_with.add(cast.worker_a)
    unrouted = _signal(cast, routed_to=None, reporter=school)
    every = [handled, reported, assigned, shared, unrouted]

    expected = {
        cast.worker_a: {handled, assigned, shared},
        teacher: set(),  # a reporting agency sees its submissions, never whole
        cast.coordinator: set(every),
        cast.analyst: set(),
    }
    for user, whole in expected.items():
        listed = set(signals.visible(user, SignalPolicyAction.VIEW_FULL))
        decided = {s for s in every if signals.allows(user, SignalPolicyAction.VIEW_FULL, s)
                   and s in set(signals.visible(user))}  # fmt: skip
        assert listed == decided == whole, user
    assert set(signals.visible(teacher)) == {handled, assigned, shared, unrouted}
