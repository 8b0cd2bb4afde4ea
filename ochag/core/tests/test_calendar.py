import datetime as dt

import pytest

from ochag.core.calendar import add_working_days, is_working_day, working_days_between
from ochag.core.models import CalendarOverride
from ochag.core.tests.factories import TerritoryFactory

D = dt.date


@pytest.mark.django_db
class TestFederalCalendar:
    def test_weekend_is_skipped(self) -> None:
        # Friday 2026-11-20 + 1 working day = Monday 2026-11-23.
        assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)

    def test_new_year_holidays_and_transferred_day_off(self) -> None:
        # 31.12.2026 is a day off transferred from 04.01; 01–08.01 are holidays, 9–10 a weekend.
        assert not is_working_day(D(2026, 12, 31))
        assert add_working_days(D(2026, 12, 30), 1) == D(2027, 1, 11)

    def test_transferred_working_saturday(self) -> None:
        # Saturday 01.11.2025 was a working day (transferred from 03.11).
        assert is_working_day(D(2025, 11, 1))
        assert not is_working_day(D(2025, 11, 3))
        assert add_working_days(D(2025, 10, 31), 1) == D(2025, 11, 1)

    def test_zero_days_means_today_or_next_working_day(self) -> None:
        assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)
        assert add_working_days(D(2026, 11, 22), 0) == D(2026, 11, 23)

    def test_negative_days_rejected(self) -> None:
        with pytest.raises(ValueError):
            add_working_days(D(2026, 11, 23), -1)

    def test_working_days_between_is_inverse(self) -> None:
        start = D(2026, 12, 25)
        end = add_working_days(start, 10)
        assert working_days_between(start, end) == 10
        assert working_days_between(end, start) == -10


@pytest.mark.django_db
def test_regional_override_applies_to_municipalities() -> None:
    region = TerritoryFactory(level="region", name="Область")
    municipality = TerritoryFactory(parent=region)
    other_region = TerritoryFactory(level="region", name="Другая область")
    # Radonitsa: a regional day off on a Tuesday.
    CalendarOverride.objects.create(
        region=region, date=D(2026, 4, 21), is_working=False, reason="Радоница"
    )
    assert not is_working_day(D(2026, 4, 21), territory=municipality)
    assert is_working_day(D(2026, 4, 21), territory=TerritoryFactory(parent=other_region))
    assert add_working_days(D(2026, 4, 20), 1, territory=municipality) == D(2026, 4, 22)
    assert add_working_days(D(2026, 4, 20), 1) == D(2026, 4, 21)
