"""API token lifecycle (issue 12 #4): list, issue (shown once, stored hashed), revoke, rotate,
expiry and last use; every use attributable."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from ochag.access import tokens
from ochag.access.models import AgencyToken
from ochag.core.models import AuditEvent


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _status(raw: str) -> int:
    # Any API call that authenticates: the status of a signal that does not exist.
    return Client().get("/api/signals/С-0000-000000", **_bearer(raw)).status_code


def test_access_to_the_token_screens(cast, client_for) -> None:
    token, _ = tokens.agency_token_issue(actor=cast.admin, agency=cast.agency_a, name="ЭШ")
    url = f"/account/agencies/{cast.agency_a.pk}/tokens/"
    for outsider in (cast.worker_a, cast.supervisor_a, cast.worker_b, cast.analyst):
        client = client_for(outsider)
        assert client.get(url).status_code == 404
        assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
        assert client.post(f"/account/tokens/{token.pk}/rotate/").status_code == 404
    coordinator = client_for(cast.coordinator)
    assert coordinator.get(url).status_code == 200
    assert "Выпустить" not in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"name": "x", "lifetime": "90"}).status_code == 403
    assert coordinator.post(f"/account/tokens/{token.pk}/revoke/").status_code == 403
    assert coordinator.post(f"/account/tokens/{token.pk}/rotate/").status_code == 403
    assert client_for(cast.admin).get(url).status_code == 200
    assert AgencyToken.objects.get(pk=token.pk).is_live


def test_issue_shows_the_token_once_and_stores_only_its_hash(cast, client_for) -> None:
    admin = client_for(cast.admin)
    url = f"/account/agencies/{cast.agency_a.pk}/tokens/"
    refused = admin.post(url, {"name": "", "lifetime": "90"})
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    response = admin.post(url, {"name": "МИС Озёрск", "lifetime": "90"})
    assert response["Cache-Control"] == "no-store"
    raw = re.search(r"<code data-token>(och_[^<]+)</code>", response.content.decode()).group(1)
    token = AgencyToken.objects.get(name="МИС Озёрск")
    assert token.key_hash == tokens.token_hash(raw) and raw not in token.key_hash
    assert token.created_by == cast.admin
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=90)).date()
    listing = admin.get(url).content.decode()
    assert token.prefix in listing and raw not in listing
    assert AuditEvent.objects.filter(action="token_issued", object_id=str(token.pk)).exists()


def test_revoked_and_expired_tokens_are_refused(cast, client_for, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    _token, raw = tokens.agency_token_issue(
        actor=cast.admin,
        agency=cast.agency_a,
        name="ЭШ",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    assert _status(raw) == 404  # authenticated: the signal is simply unknown
    time_machine.shift(dt.timedelta(days=1, seconds=1))
    assert _status(raw) == 401
    other, other_raw = tokens.agency_token_issue(actor=cast.admin, agency=cast.agency_a, name="2")
    assert _status(other_raw) == 404
    assert client_for(cast.admin).post(f"/account/tokens/{other.pk}/revoke/").status_code == 302
    assert _status(other_raw) == 401
    other.refresh_from_db()
    assert other.revoked_by == cast.admin
    assert AuditEvent.objects.filter(action="token_revoked", object_id=str(other.pk)).exists()


def test_rotation_overlaps_for_a_day(cast, client_for, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    old, old_raw = tokens.agency_token_issue(actor=cast.admin, agency=cast.agency_a, name="ЭШ")
    response = client_for(cast.admin).post(f"/account/tokens/{old.pk}/rotate/")
    new_raw = re.search(r"<code data-token>(och_[^<]+)</code>", response.content.decode()).group(1)
    assert _status(old_raw) == 404 and _status(new_raw) == 404
    time_machine.shift(tokens.ROTATION_OVERLAP + dt.timedelta(seconds=1))
    assert _status(old_raw) == 401 and _status(new_raw) == 404
    assert AuditEvent.objects.filter(action="token_rotated", object_id=str(old.pk)).exists()


def test_last_use_is_kept_to_the_minute(cast, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    token, raw = tokens.agency_token_issue(actor=cast.admin, agency=cast.agency_a, name="ЭШ")
    assert token.last_used_at is None
    _status(raw)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    time_machine.shift(dt.timedelta(seconds=20))
    _status(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    time_machine.shift(dt.timedelta(seconds=60))
    _status(raw)
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_token() -> None:
    """AgencyToken moved from signals to access: the migration keeps ids, hashes and times."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from ochag.access.tests.factories import AgencyFactory

    before = [("signals", "0008_import_lease"),
              ("access", "0003_throttle_buckets")]  # fmt: skip
    after = [("signals", "0009_agency_tokens_moved_to_access")]
    agency = AgencyFactory.create()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        executor.loader.build_graph()
        old = executor.loader.project_state(before).apps.get_model("signals", "AgencyToken")
        issued = timezone.now() - dt.timedelta(days=30)
        rows = [
            old.objects.create(
                agency_id=agency.pk, name=f"T{i}", prefix=f"p{i}", key_hash=f"{i}" * 64
            )
            for i in range(3)
        ]
        old.objects.filter(pk=rows[0].pk).update(created_at=issued, revoked_at=issued)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        executor.loader.build_graph()
        new = executor.loader.project_state(after).apps.get_model("access", "AgencyToken")
        moved = list(new.objects.order_by("pk").values_list("pk", "name", "key_hash"))
        assert moved == [(r.pk, r.name, r.key_hash) for r in rows]
        first = new.objects.get(pk=rows[0].pk)
        assert first.created_at == issued and first.revoked_at == issued
        fresh = new.objects.create(agency_id=agency.pk, name="later", prefix="x", key_hash="z" * 64)
        assert fresh.pk > rows[-1].pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
