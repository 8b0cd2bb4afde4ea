"""The file for the federal data bank. Its format is not public (domain.md §1: Order 461's
fields not found), so the file follows our own documented schema, `SCHEMA` below and in
the README: only what identifies the child and what a family search needs. Never the
home's coordinates, contacts with families, notes or who keeps the profile."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from ochag.databank.models import ChildProfile
from ochag.databank.selectors import legal_status

SCHEMA_ID = "https://ochag.example/schemas/databank-federal-1.json"

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Children passed from a regional data bank to the federal one",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema", "region", "generated_on", "children"],
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "region": {"type": "string"},
        "generated_on": {"type": "string", "format": "date"},
        "children": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "ref",
                    "last_name",
                    "first_name",
                    "sex",
                    "birth",
                    "legal_status",
                    "forms",
                ],
                "properties": {
                    "ref": {"type": "string", "description": "regional profile number"},
                    "last_name": {"type": "string"},
                    "first_name": {"type": "string"},
                    "patronymic": {"type": "string"},
                    "sex": {"enum": ["M", "F", ""]},
                    "birth": {"type": "string", "description": "YYYY, YYYY-MM or YYYY-MM-DD"},
                    "citizenship": {"type": "string"},
                    "legal_status": {
                        "enum": ["with_rights", "restricted", "deprived", "unknown", "deceased"]
                    },
                    "forms": {
                        "type": "array",
                        "items": {"enum": ["adoption", "guardianship", "foster", "patronat"]},
                    },
                    "health_group": {"type": "integer", "minimum": 1, "maximum": 5},
                    "needs": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                    "ethnicity": {"type": "string"},
                    "religion": {"type": "string"},
                    "description": {"type": "string"},
                    "siblings": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["refs", "together"],
                        "properties": {
                            "refs": {"type": "array", "items": {"type": "string"}},
                            "together": {"type": "boolean"},
                        },
                    },
                    "in_regional_bank_since": {"type": "string", "format": "date"},
                },
            },
        },
    },
}


def _birth(child: ChildProfile) -> str:
    p = child.person
    parts = [f"{p.birth_year:04d}" if p.birth_year else ""]
    if p.birth_year and p.birth_month:
        parts.append(f"{p.birth_month:02d}")
        if p.birth_day:
            parts.append(f"{p.birth_day:02d}")
    return "-".join(parts)


def entry(child: ChildProfile, sibling_refs: list[str]) -> dict[str, Any]:
    p = child.person
    item: dict[str, Any] = {
        "ref": str(child.pk),
        "last_name": p.last_name,
        "first_name": p.first_name,
        "patronymic": p.patronymic,
        "sex": p.sex,
        "birth": _birth(child),
        "citizenship": p.citizenship,
        "legal_status": legal_status(child)[0],
        "forms": sorted(child.forms),
        "health_group": child.health_group,
        "needs": sorted(child.needs),
        "language": child.language,
        "ethnicity": child.ethnicity,
        "religion": child.religion,
        "description": child.description,
        "in_regional_bank_since": child.created_on.isoformat(),
    }
    if child.siblings is not None:
        item["siblings"] = {"refs": sibling_refs, "together": child.siblings.must_be_together}
    return item


def file_bytes(region: str, children: Sequence[ChildProfile], on: dt.date) -> bytes:
    groups: dict[int, list[str]] = {}
    for child in ChildProfile.objects.filter(
        siblings_id__in={c.siblings_id for c in children if c.siblings_id}
    ).values("pk", "siblings_id"):
        groups.setdefault(child["siblings_id"], []).append(str(child["pk"]))
    body = {
        "schema": SCHEMA_ID,
        "region": region,
        "generated_on": on.isoformat(),
        "children": [
            entry(c, [r for r in groups.get(c.siblings_id or 0, []) if r != str(c.pk)])
            for c in children
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode()
