from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded synthetic data set from the benchmark generator (base path)."""
    spec = importlib.util.spec_from_file_location(
        "linkage_generate", REPO / "bench" / "linkage" / "generate.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["linkage_generate"] = mod
    spec.loader.exec_module(mod)
    base = tmp_path_factory.mktemp("gen") / "ru"
    mod.Generator(5).write(str(base), 6000)
    return base
