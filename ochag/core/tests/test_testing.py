"""The query-count helper fails on a page that queries once per row."""

from __future__ import annotations

from typing import Any

import pytest

from ochag.core.models import Territory
from ochag.core.testing import assert_queries_flat
from ochag.core.tests.factories import TerritoryFactory


class _Page:
    status_code = 200


class _PerRowClient:
    """Stands in for a test client whose page reads each territory again (an N+1)."""

    def get(self, url: str) -> _Page:
        for territory in Territory.objects.all():
            Territory.objects.filter(pk=territory.pk).exists()
        return _Page()


class _FlatClient:
    def get(self, url: str) -> _Page:
        list(Territory.objects.all())
        return _Page()


def _add(n: int) -> Any:
    return TerritoryFactory.create_batch(n)


@pytest.mark.django_db
def test_a_page_that_queries_per_row_fails() -> None:
    with pytest.raises(AssertionError, match="queries"):
        assert_queries_flat(_PerRowClient(), "/page/", _add)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_flat_page_passes_and_gives_its_count() -> None:
    assert assert_queries_flat(_FlatClient(), "/page/", _add) == 1  # type: ignore[arg-type]
