"""Production refuses to start unsafe (issue 12 #5), and what the service writes is readable
by its user only."""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ochag.access.models import User

ROOT = Path(__file__).resolve().parents[3]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OCHAG_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        OCHAG_HTTPS="1",
        OCHAG_SECRET_KEY=secrets.token_urlsafe(50),
        OCHAG_ALLOWED_HOSTS="ochag.example.ru",
        OCHAG_VAR_DIR=str(tmp_path / "var"),
        OCHAG_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_SETTINGS_MODULE="ochag.settings",
    )
    env.update(extra)
    return env


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "check_id"),
    [
        ({"OCHAG_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "mail.E001"),
        ({"OCHAG_HSTS_SECONDS": "0"}, "access.E002"),
    ],
)
def test_the_wsgi_application_refuses_to_start(
    tmp_path: Path, extra: dict[str, str], check_id: str
) -> None:
    result = _run("import ochag.wsgi", _production_env(tmp_path, **extra))
    assert result.returncode != 0
    assert check_id in result.stderr
    started = _run("import ochag.wsgi", _production_env(tmp_path))
    assert started.returncode == 0, started.stderr


def test_demo_accounts_fail_the_deploy_check(cast, settings) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    call_command("check", "--deploy", "--fail-level", "ERROR", "--tag", "security")
    User.objects.filter(pk=cast.worker_b.pk).update(is_demo=True)
    with pytest.raises(SystemCheckError, match=r"access\.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR", "--tag", "security")


def test_files_are_readable_by_the_service_user_only(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.db import connection; connection.ensure_connection()\n"
        "from django.core.files.base import ContentFile\n"
        "from ochag.core.storage import PrivateStorage\n"
        "print(PrivateStorage().save('signals/2026/12/a.txt', ContentFile(b'x')))\n"
    )
    env = _production_env(tmp_path)
    env.pop("OCHAG_SECRET_KEY")  # the key file is written too
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    var = tmp_path / "var"
    paths = [var / "ochag.sqlite3", var / "secret_key", var / "private" / result.stdout.strip()]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (var, var / "private" / "signals" / "2026"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
