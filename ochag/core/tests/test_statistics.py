"""Planner statistics after bulk writes (ochag.core.statistics)."""

from __future__ import annotations

import pytest
from django.db import connection

from ochag.core.models import Territory
from ochag.core.statistics import statistics_refresh, statistics_refresh_changed


@pytest.mark.django_db(transaction=True)
def test_a_bulk_write_analyses_the_tables_it_changed_by_a_tenth() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no per-table change counts: the whole database is analysed")
    statistics_refresh()
    statistics_refresh_changed()  # what the test database's set-up wrote, counted late
    assert statistics_refresh_changed() == []  # nothing changed since
    level = Territory.Level.MUNICIPALITY
    Territory.objects.bulk_create(
        [Territory(name=f"Район {i}", level=level, path=f"/{i}/") for i in range(120)]
    )
    assert statistics_refresh_changed() == ["core_territory"]
    # analysed: the next bulk write of a few rows into 120 is under autovacuum's rule
    Territory.objects.bulk_create(
        [Territory(name="Ещё район", level=Territory.Level.MUNICIPALITY, path="/x/")]
    )
    assert statistics_refresh_changed() == []
