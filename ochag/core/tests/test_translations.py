"""Every app's Russian catalogue is complete and its compiled .mo matches the .po."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/ru/LC_MESSAGES/django.po"))


def test_there_are_catalogues() -> None:
    assert {p.parts[-5] for p in CATALOGUES} >= {"core", "access"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po: Path, tmp_path: Path) -> None:
    text = po.read_text(encoding="utf-8")
    _header, _, body = text.partition("\n\n")
    assert "#, fuzzy" not in body, f"{po}: fuzzy entries left"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, f"{po}: {result.stderr.strip()}"
    assert "fuzzy" not in result.stderr, f"{po}: {result.stderr.strip()}"
    shipped = po.with_suffix(".mo")
    assert shipped.exists(), f"{shipped} is missing: run scripts/messages.sh"
    assert shipped.read_bytes() == compiled.read_bytes(), (
        f"{shipped} is stale: run scripts/messages.sh"
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_covers_every_message_in_the_code(po: Path, tmp_path: Path) -> None:
    # Extract the app's messages again, into a copy, merged with the shipped catalogue: a
    # message the code uses but the catalogue lacks shows up untranslated (it once did:
    # a refusal the intake raised was shown in English).
    app = po.parents[3]
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "ru", "--no-location", "--no-obsolete", "-v0"],
        cwd=copy,
        check=True,
        capture_output=True,
        # Extraction needs no settings (scripts/messages.sh runs it the same way).
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    extracted = copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(extracted)],
        capture_output=True,
        text=True,
        check=True,
    )
    missing = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(extracted)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
        f"{po}: messages in the code but not in the catalogue, run scripts/messages.sh:\n{missing}"
    )
