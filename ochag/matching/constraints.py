"""Hard constraints: a family that breaks any of them is not a candidate at all,
whatever its score would be. They are checked before anything is scored."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .profiles import FamilyProfile, Unit, form_mask, need_mask


class Violation(StrEnum):
    CONCLUSION = "conclusion"  # no positive guardianship conclusion valid on the day
    FORM = "form"  # no form of care both possible for the children and applied for
    SIBLINGS = "siblings"  # brothers and sisters who must stay together; family not ready
    CAPACITY = "capacity"  # more children than the family can take
    HEALTH = "health"  # a health need the family has not accepted


def conclusion_valid(family: FamilyProfile, on: date) -> bool:
    return family.conclusion_positive and (
        family.conclusion_valid_until is None or family.conclusion_valid_until >= on
    )


def violations(unit: Unit, family: FamilyProfile, on: date) -> tuple[Violation, ...]:
    """Every hard constraint the pair breaks, in a fixed order (empty = a candidate)."""
    found: list[Violation] = []
    if not conclusion_valid(family, on):
        found.append(Violation.CONCLUSION)
    if not unit.forms & form_mask(family.forms):
        found.append(Violation.FORM)
    if unit.size > 1 and not family.siblings:
        found.append(Violation.SIBLINGS)
    if unit.size > family.capacity:
        found.append(Violation.CAPACITY)
    if unit.needs & ~need_mask(family.accepted_needs):
        found.append(Violation.HEALTH)
    return tuple(found)
