import pytest

from ochag.core.models import Territory
from ochag.core.tests.factories import TerritoryFactory


@pytest.mark.django_db
def test_path_and_subtree() -> None:
    region = TerritoryFactory(level=Territory.Level.REGION)
    a = TerritoryFactory(parent=region)
    TerritoryFactory(level=Territory.Level.REGION)
    assert a.path == f"{region.path}{a.pk}/"
    assert set(region.subtree()) == {region, a}
    assert a.region == region
