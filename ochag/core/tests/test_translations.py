"""Every app's Russian catalogue is complete and its compiled .mo matches the .po."""

import subprocess
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
