"""In the demo region the coordinator sees every shipped indicator with a trend."""

from __future__ import annotations

import pytest

from ochag.access.models import Role, User
from ochag.demo.generator import generate_region
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import dashboard, scope_for


@pytest.mark.django_db
def test_demo_dashboard_has_trends(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        result = generate_region(seed=7, persons=1500, staff=60)
    assert result.counts["history_signals"] > 300
    coordinator = User.objects.filter(role=Role.REGIONAL_COORDINATOR).first()
    assert coordinator is not None
    scope = scope_for(coordinator, None)
    assert scope is not None
    period = Period.parse(None)
    tiles = dashboard(scope, period.previous) + dashboard(scope, period)
    with_trend = {t.indicator.code for t in tiles if sum(1 for f in t.trend if f.value) >= 2}
    expected = {
        "signals_received",
        "signals_on_time_share",
        "families_sop",
        "children_sop",
        "cases_opened",
        "cases_closed",
        "in_care",
        "admissions",
        "specialists_trained",
    }
    assert expected <= with_trend, expected - with_trend
