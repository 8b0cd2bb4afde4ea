"""The federal file is valid against its committed JSON Schema (`federal.SCHEMA`).

jsonschema is not in the lock files, so a tiny validator covers the keywords the schema
uses (type, required, properties, additionalProperties, const, enum, items, minimum,
maximum, format: date); a test below shows it rejects what it should, so a pass means
something. Any keyword it does not know fails loudly rather than passing silently."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ochag.conftest import Cast
from ochag.databank import federal, services
from ochag.databank.models import FederalDeadline
from ochag.databank.tests.conftest import Bank, make_child

pytestmark = pytest.mark.django_db

KNOWN = {
    "$schema",
    "$id",
    "title",
    "description",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "const",
    "enum",
    "items",
    "minimum",
    "maximum",
    "format",
}
TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "boolean": bool,
}


def errors(value: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    unknown = set(schema) - KNOWN
    if unknown:
        raise AssertionError(f"{path}: the validator does not know {sorted(unknown)}")
    found: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        ok = isinstance(value, TYPES[kind]) and not (kind == "integer" and isinstance(value, bool))
        if not ok:
            return [f"{path}: not {kind}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        found.append(f"{path}: below {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        found.append(f"{path}: above {schema['maximum']}")
    if schema.get("format") == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            found.append(f"{path}: not a date")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        found += [
            f"{path}: missing {name}" for name in schema.get("required", []) if name not in value
        ]
        if schema.get("additionalProperties") is False:
            found += [f"{path}: unexpected {name}" for name in value if name not in props]
        for name, item in value.items():
            if name in props:
                found += errors(item, props[name], f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += errors(item, schema["items"], f"{path}[{i}]")
    return found


def test_the_validator_rejects_what_the_schema_forbids() -> None:
    good = {
        "schema": federal.SCHEMA_ID,
        "region": "Р",
        "generated_on": "2026-12-03",
        "children": [
            {
                "ref": "1",
                "last_name": "А",
                "first_name": "Б",
                "sex": "F",
                "birth": "2020",
                "legal_status": "deprived",
                "forms": ["adoption"],
            }
        ],
    }
    assert errors(good, federal.SCHEMA) == []
    child = good["children"][0]  # type: ignore[index]
    for broken, expected in [
        ({**good, "schema": "other"}, "$.schema"),
        ({**good, "generated_on": "03.12.2026"}, "not a date"),
        ({**good, "children": [{**child, "home_lat": 57.0}]}, "unexpected home_lat"),
        ({**good, "children": [{**child, "legal_status": "gone"}]}, "legal_status"),
        ({**good, "children": [{**child, "forms": ["orphanage"]}]}, "forms[0]"),
        ({**good, "children": [{**child, "health_group": 6}]}, "above 5"),
        ({**good, "children": [{**child, "health_group": True}]}, "not integer"),
        ({k: v for k, v in good.items() if k != "region"}, "missing region"),
        ({**good, "children": [{**child, "siblings": {"refs": ["2"]}}]}, "missing together"),
    ]:
        found = errors(broken, federal.SCHEMA)
        assert any(expected in e for e in found), (expected, found)


def test_the_sent_file_is_valid_against_the_committed_schema(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    brother = make_child(cast, needs=["disability"], health_group=5, ethnicity="татарин")
    services.siblings_join(actor=cast.worker_a, children=[bank.child, brother])
    FederalDeadline.objects.update(due_on=timezone.localdate() - dt.timedelta(days=1))
    response = client_for(cast.coordinator).post(reverse("databank:federal_send"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert len(body["children"]) == 2
    assert errors(body, federal.SCHEMA) == []
    refs = {entry["ref"]: entry["siblings"]["refs"] for entry in body["children"]}
    assert refs == {str(bank.child.pk): [str(brother.pk)], str(brother.pk): [str(bank.child.pk)]}
