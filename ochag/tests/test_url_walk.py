"""The URL walker over a small demo region: every page any demo role reaches, asked for by
every demo role and anonymously — no server error, own pages 200, anonymous to the login,
and a registry record page 200 exactly when the registry's policy shows the record."""

from __future__ import annotations

from typing import Any

import pytest

from ochag.access.models import User
from ochag.access.urlwalk import walk
from ochag.demo.generator import generate_region
from ochag.registry.policies import households, persons


def registry_record_visible(user: User, view_name: str, kwargs: dict[str, str]) -> bool | None:
    if view_name == "registry:person_detail":
        return persons.visible(user).filter(pk=kwargs["pk"]).exists()
    if view_name == "registry:household_detail":
        return households.visible(user).filter(pk=kwargs["pk"]).exists()
    return None


@pytest.mark.django_db
def test_every_reached_page_by_every_role(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generate_region(seed=7, persons=400, staff=40)
    users = {u.username: u for u in User.objects.filter(is_demo=True).select_related("agency")}
    result = walk(users, limit=15, record_visible=registry_record_visible)
    assert result.server_errors == 0
    assert result.failures == []
    assert len(result.urls) > 30 and result.requests > 16 * 30
    # The analyst reaches no person's record.
    assert not any("/registry/persons/" in url for url in result.reached["demo.analyst"])
