"""The monthly indicator report the background worker builds and keeps for download."""

from __future__ import annotations

from django.utils import timezone

from ochag.core.exports import xlsx_bytes
from ochag.core.models import Territory
from ochag.monitoring import services
from ochag.monitoring.models import MonthlyReport
from ochag.monitoring.periods import Period
from ochag.monitoring.selectors import Scope, dashboard


def build(region: Territory, period: Period) -> bytes:
    """Every indicator of the region for the month: value, previous month, target."""
    scope = Scope(territory=region, aggregate_only=False, may_drill=False)
    rows = [
        [str(t.indicator.name), str(t.indicator.unit), t.value.text, t.previous.text, t.target_text]
        for t in dashboard(scope, period)
    ]
    header = [f"{region.name}, {period.label}", "", "Значение", "Прошлый месяц", "Цель"]
    content, _count = xlsx_bytes(header, rows, sheet=period.key)
    return content


def keep_last_month() -> list[MonthlyReport]:
    """Build and keep last month's report of every region (again, if already kept)."""
    today = timezone.localdate()
    period = Period(today.year, today.month).previous
    return [
        services.monthly_report_keep(
            region=region, period=period.key, content=build(region, period)
        )
        for region in Territory.objects.filter(level=Territory.Level.REGION)
    ]
