"""Backup and restore (issue 12): the demo region (2 000 persons) is backed up, restored into
an empty database and files folder, and every table's row count and the audit checksum match."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from ochag.access import backup
from ochag.core.models import AuditEvent


@pytest.fixture
def demo_region(transactional_db: None, settings, tmp_path: Path) -> None:
    from ochag.demo.generator import generate_region

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    generate_region(seed=7, persons=2_000)
    from ochag.core.storage import PrivateStorage

    PrivateStorage().save("signals/2026/12/photo.jpg", ContentFile(b"\xff\xd8 not really a jpeg"))


def _empty_target(tmp_path: Path) -> str:
    """An empty database of the configured engine, as a URL."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    import psycopg

    name = f"{connection.settings_dict['NAME']}_restored"
    params = backup._pg_kwargs({**connection.settings_dict, "NAME": "postgres"})
    with psycopg.connect(**params, autocommit=True) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{name}"')
        raw.execute(f'CREATE DATABASE "{name}"')
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{name}"


def test_backup_restores_identically(demo_region: None, settings, tmp_path: Path) -> None:
    assert AuditEvent.objects.exists()
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    files_before = backup.files_digest(media)
    target = _empty_target(tmp_path)
    call_command("backup", str(tmp_path / "backup"))
    manifest = (tmp_path / "backup" / backup.MANIFEST).read_text()
    assert '"audit_sha256"' in manifest
    # The files folder is restored into an empty folder, as after losing the server.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "restored-files"
    call_command("restore", str(tmp_path / "backup"), database_url=target)
    original, restored = backup.snapshot(), backup.snapshot(target)
    assert restored == original
    assert len(restored.rows) > 40 and sum(restored.rows.values()) > 10_000
    assert backup.files_digest(tmp_path / "restored-files") == files_before


def test_restore_refuses_a_non_empty_database_and_damaged_backups(
    demo_region: None, tmp_path: Path
) -> None:
    from django.core.management.base import CommandError

    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match=r"empty|exists"):
        call_command("restore", str(tmp_path / "backup"))  # the live database
    damaged = tmp_path / "backup" / backup.FILES
    damaged.write_bytes(damaged.read_bytes() + b"x")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(tmp_path / "backup"), database_url=_empty_target(tmp_path))
