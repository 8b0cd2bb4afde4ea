"""No app reaches into another domain app's tables (issue 11 §2): a higher app reads a lower
one through its ``selectors`` (or a public module: ``registry.involvement``,
``registry.figures``, ``registry.candidates``, an app's ``demo``…) and writes through its
``services``, never through that app's model managers or raw SQL naming its tables.

The scan walks the syntax tree of every module of ``ochag`` but tests and migrations,
resolves each name imported from ``ochag`` to the object it is, and fails on any
``Model.objects`` / ``_default_manager`` / ``_base_manager`` / ``_meta.db_table`` and any
``apps.get_model`` of a model of another *domain* app, and on any string naming one of
that app's tables. Importing another app's model for a foreign key, a type hint or its
choices stays allowed, and so does a query through a relation (``household__cases__level``).
Reading ``core``'s and ``access``'s reference data (territories, agencies, users) directly
is the shared kernel every app reads, so it is not checked here."""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models

import ochag

DOMAIN_APPS = ("registry", "signals", "cases", "support", "care", "databank", "monitoring")
MANAGERS = {"objects", "_default_manager", "_base_manager"}
ROOT = Path(ochag.__file__).parent

# What each domain app offers others, named in the failure message.
PUBLIC_FACES = {
    "registry": "ochag.registry.selectors (reads from the policy), registry.involvement "
    "(households_of, members_of), registry.figures (counts without names), "
    "registry.candidates (linking), registry.demo (demo data), registry.services (writes)",
    "signals": "ochag.signals.selectors, signals.figures, signals.retention, signals.demo, "
    "signals.services / signals.intake (writes)",
    "cases": "ochag.cases.selectors, cases.figures, cases.demo, cases.services (writes)",
    "support": "ochag.support.selectors, support.figures, support.services (writes)",
    "care": "ochag.care.selectors, care.figures, care.services (writes)",
    "databank": "ochag.databank.selectors, databank.services (writes)",
    "monitoring": "ochag.monitoring.selectors, monitoring.services (writes)",
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    app: str
    owner: str
    what: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: the {self.app} app reaches into the {self.owner} app's "
            f"tables ({self.what}); use its public face instead: {PUBLIC_FACES[self.owner]}"
        )


def _tables() -> dict[str, str]:
    """Every table of a domain app (its models' and their many-to-many tables) → the app."""
    out: dict[str, str] = {}
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            out[model._meta.db_table] = label
    return out


def _owner(obj: Any) -> str | None:
    """The domain app a model class belongs to, None for anything else."""
    if isinstance(obj, type) and issubclass(obj, models.Model):
        label = obj._meta.app_label
        return label if label in DOMAIN_APPS else None
    return None


def _imported(tree: ast.AST) -> dict[str, Any]:
    """Local name → the object it was imported as, for every import from ``ochag``."""
    names: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ochag"):
            try:
                module = importlib.import_module(str(node.module))
            except ImportError:  # a module gone since the revision scanned
                continue
            for alias in node.names:
                name = alias.name
                if hasattr(module, name):
                    names[alias.asname or name] = getattr(module, name)
                    continue
                try:  # a submodule: ``from ochag.registry import models as registry``
                    names[alias.asname or name] = importlib.import_module(f"{node.module}.{name}")
                except ImportError:  # a name gone since the revision scanned
                    continue
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ochag") and alias.asname:
                    names[alias.asname] = importlib.import_module(alias.name)
                elif alias.name.startswith("ochag"):
                    names["ochag"] = ochag
    return names


def _resolve(node: ast.expr, names: dict[str, Any]) -> Any:
    """The object a name or dotted attribute chain stands for, None when not one of ours."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, names)
        if base is None:
            return None
        if not hasattr(base, node.attr) and isinstance(base, type(ochag)):
            try:
                return importlib.import_module(f"{base.__name__}.{node.attr}")
            except ImportError:
                return None
        return getattr(base, node.attr, None)
    return None


def _strings(node: ast.AST) -> Iterator[tuple[int, str]]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.lineno, sub.value


def violations(app: str, path: str, source: str, tables: dict[str, str]) -> list[Violation]:
    """Every reach of module ``path`` (of ``app``) into another domain app's tables."""
    tree = ast.parse(source)
    names = _imported(tree)
    found: list[Violation] = []

    def foreign(obj: Any) -> str | None:
        owner = _owner(obj)
        return owner if owner is not None and owner != app else None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            model = _resolve(node.value, names)
            if owner := foreign(model):
                what = f"{model.__name__}.{node.attr}"
                found.append(Violation(path, node.lineno, app, owner, what))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "db_table"
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "_meta"
        ):
            model = _resolve(node.value.value, names)
            if owner := foreign(model):
                what = f"{model.__name__}._meta.db_table"
                found.append(Violation(path, node.lineno, app, owner, what))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            label = node.args[0].value.split(".")[0].lower()
            if label in DOMAIN_APPS and label != app:
                what = f"apps.get_model({node.args[0].value!r})"
                found.append(Violation(path, node.lineno, app, label, what))
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(tables))) + r")\b")
    for line, text in _strings(tree):
        for match in pattern.finditer(text):
            owner = tables[match.group(1)]
            if owner != app:
                what = f"SQL naming the table {match.group(1)}"
                found.append(Violation(path, line, app, owner, what))
    return found


def _modules(root: Path) -> Iterable[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def scan(root: Path = ROOT) -> list[Violation]:
    """Every violation in the package at ``root`` (this tree's, or a copy of another
    revision's: ``scripts/public-faces.sh REV``)."""
    tables = _tables()
    found: list[Violation] = []
    for path in _modules(root):
        parts = path.relative_to(root).parts
        app = parts[0] if len(parts) > 1 else "ochag"  # top-level modules: the project's own
        found += violations(app, str(path.relative_to(root.parent)), path.read_text(), tables)
    return found


def test_no_app_reaches_into_another_domain_apps_tables() -> None:
    found = scan()
    assert not found, "\n".join(map(str, found))


# Planted violations: the scan must catch each way of reaching in, and nothing allowed.
PLANTED = {
    "manager": (
        "from ochag.registry.models import Person\nPerson.objects.filter(pk=1)\n",
        "Person.objects",
    ),
    "aliased": (
        "from ochag.registry.models import Membership as M\nM._default_manager.all()\n",
        "Membership._default_manager",
    ),
    "module": (
        "from ochag.registry import models as registry\nregistry.Household.objects.none()\n",
        "Household.objects",
    ),
    "inside a function": (
        "def f():\n"
        "    from ochag.signals.models import Signal\n"
        "    return Signal.objects.count()\n",
        "Signal.objects",
    ),
    "db_table": (
        "from ochag.cases.models import Case\nt = Case._meta.db_table\n",
        "Case._meta.db_table",
    ),
    "raw SQL": ("SQL = 'SELECT id FROM registry_person WHERE snils = %s'\n", "registry_person"),
    "get_model": (
        "from django.apps import apps\napps.get_model('signals.Signal').objects.all()\n",
        "get_model('signals.Signal')",
    ),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_the_scan_catches_a_planted_violation(name: str) -> None:
    source, what = PLANTED[name]
    found = violations("care", "ochag/care/planted.py", source, _tables())
    assert len(found) == 1, found
    assert what in str(found[0])
    assert "ochag/care/planted.py:" in str(found[0])
    assert "public face" in str(found[0])


def test_the_scan_allows_what_the_rule_allows() -> None:
    source = (
        "from ochag.registry.models import MemberRole, Person\n"
        "from ochag.core.models import Territory\n"
        "from ochag.access.models import User\n"
        "from ochag.cases.models import Case\n"
        "def f(p: Person) -> None:\n"
        "    Territory.objects.all(); User.objects.all(); Case.objects.all()\n"
        "    Case.objects.filter(household__memberships__role=MemberRole.CHILD)\n"
    )
    assert violations("cases", "ochag/cases/ok.py", source, _tables()) == []
