"""Backup and restore of the database and the uploaded files, checked by a manifest.

A backup is a directory holding

* ``database.dump`` — PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot while the
  service runs); or ``database.sqlite3`` — SQLite: the online backup API (pages copied under
  a read transaction, so writers may go on);
* ``files.tar`` — everything under ``PRIVATE_MEDIA_ROOT`` (attachments, uploaded imports);
* ``manifest.json`` — the engine, the time, the row count of every table, a SHA-256 checksum
  of the audit log, and a SHA-256 of each file above.

Restoring goes into an *empty* database and an empty files folder, and then counts the rows
again and recomputes the audit checksum: the restore reports failure unless everything matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import connection

from ochag.core.models import AuditEvent

MANIFEST = "manifest.json"
FILES = "files.tar"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


@dataclass(frozen=True)
class Snapshot:
    """What a backup must reproduce: rows per table and the audit log's checksum."""

    rows: dict[str, int]
    audit_sha256: str

    def differences(self, other: Snapshot) -> list[str]:
        found = [
            f"{table}: {self.rows.get(table)} rows, restored {other.rows.get(table)}"
            for table in sorted(set(self.rows) | set(other.rows))
            if self.rows.get(table) != other.rows.get(table)
        ]
        if self.audit_sha256 != other.audit_sha256:
            found.append("audit log checksum differs")
        return found


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _db_api(url: str | None) -> Iterator[Any]:
    """A DB-API connection to ``url``, or to the configured database."""
    params = _params(url)
    if "sqlite3" in params["ENGINE"]:
        raw: Any = sqlite3.connect(params["NAME"])
    else:
        import psycopg

        raw = psycopg.connect(**_pg_kwargs(params))
    try:
        yield raw
    finally:
        raw.close()


def _params(url: str | None) -> dict[str, Any]:
    """Connection settings of ``url``, or of the configured database."""
    return dict(dj_database_url.parse(url)) if url else dict(connection.settings_dict)


def _pg_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    kwargs = {
        "dbname": params["NAME"],
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
    }
    return {key: value for key, value in kwargs.items() if value}


def _pg_env(params: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for key, variable in names.items():
        if params.get(key):
            env[variable] = str(params[key])
    return env


def snapshot(url: str | None = None) -> Snapshot:
    """Row counts of every table and the audit checksum, read with plain SQL so that any
    database (the live one, a restored copy) is read the same way."""
    audit_table = AuditEvent._meta.db_table
    with _db_api(url) as raw:
        cursor = raw.cursor()
        if isinstance(raw, sqlite3.Connection):
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = [row[0] for row in cursor.fetchall() if not row[0].startswith("sqlite_")]
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
        rows = {}
        for table in sorted(tables):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - catalogue names
            rows[table] = int(cursor.fetchone()[0])
        digest = hashlib.sha256()
        if audit_table in rows:
            cursor.execute(
                "SELECT id, at, actor_id, actor_label, agency_id, action, object_type, "  # noqa: S608
                f"object_id, object_label, territory_id, detail, request_id FROM {audit_table} "
                "ORDER BY id"
            )
            for row in cursor:
                digest.update(json.dumps([_plain(v) for v in row], sort_keys=True).encode())
    return Snapshot(rows=rows, audit_sha256=digest.hexdigest())


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def backup(target: Path) -> dict[str, Any]:
    """Write a backup of the configured database and files into ``target`` (a new folder)."""
    target.mkdir(mode=0o700, parents=True)
    params = connection.settings_dict
    before = snapshot()
    if "sqlite3" in params["ENGINE"]:
        database = target / SQLITE_COPY
        with sqlite3.connect(params["NAME"]) as source, sqlite3.connect(database) as copy:
            source.backup(copy)
        copy.close()
    else:
        database = target / PG_DUMP
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={database}",
                params["NAME"],
            ],
            env=_pg_env(params),
            check=True,
        )
    files = target / FILES
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    with tarfile.open(files, "w") as archive:
        if media.exists():
            archive.add(media, arcname=".")
    after = snapshot()
    manifest = {
        "engine": "sqlite" if database.name == SQLITE_COPY else "postgresql",
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        # A backup taken while the service writes may hold rows newer than the counts read
        # before it started; the counts read after it bound them.
        "rows": before.rows if before == after else None,
        "audit_sha256": before.audit_sha256 if before == after else None,
        "files": {path.name: _sha256_file(path) for path in (database, files)},
    }
    if manifest["rows"] is None:
        # The service wrote during the backup: describe the copy itself.
        copied = snapshot(_sqlite_url(database)) if manifest["engine"] == "sqlite" else after
        manifest["rows"], manifest["audit_sha256"] = copied.rows, copied.audit_sha256
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def restore(source: Path, *, database_url: str | None = None) -> list[str]:
    """Restore a backup into an empty database (``database_url``, else the configured one)
    and the empty files folder; returns the differences found afterwards (none: identical)."""
    manifest = json.loads((source / MANIFEST).read_text())
    for name, expected in manifest["files"].items():
        if _sha256_file(source / name) != expected:
            raise RestoreError(f"{name} is damaged (its checksum differs from the manifest)")
    params = _params(database_url)
    if manifest["engine"] == "sqlite":
        if "sqlite3" not in params["ENGINE"]:
            raise RestoreError("a SQLite backup restores into SQLite")
        target = Path(params["NAME"])
        if target.exists() and target.stat().st_size:
            raise RestoreError(f"{target} exists: restore into an empty database")
        with sqlite3.connect(source / SQLITE_COPY) as copy, sqlite3.connect(target) as restored:
            copy.backup(restored)
        restored.close()
    else:
        if "sqlite3" in params["ENGINE"]:
            raise RestoreError("a PostgreSQL backup restores into PostgreSQL")
        if _pg_has_tables(params):
            raise RestoreError(f"database {params['NAME']} is not empty")
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={params['NAME']}",
                str(source / PG_DUMP),
            ],
            env=_pg_env(params),
            check=True,
        )
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise RestoreError(f"{media} is not empty: restore files into an empty folder")
    media.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tarfile.open(source / FILES) as archive:
        archive.extractall(media, filter="data")
    restored_snapshot = snapshot(database_url or None)
    return Snapshot(manifest["rows"], manifest["audit_sha256"]).differences(restored_snapshot)


def _pg_has_tables(params: dict[str, Any]) -> bool:
    import psycopg

    with psycopg.connect(**_pg_kwargs(params)) as raw:
        row = raw.execute(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()
    return bool(row and row[0])


class RestoreError(Exception):
    pass


def files_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` by relative path (for comparing file trees)."""
    return {
        str(path.relative_to(folder)): _sha256_file(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
