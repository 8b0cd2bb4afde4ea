"""What the engine knows about a child and a candidate family.

Plain values only (no Django): the databank app builds these from its records, the
benchmark builds them from a synthetic region. Codes are stable strings so the
databank can store them in its own fields and word them for people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class FormOfCare(StrEnum):
    ADOPTION = "adoption"
    GUARDIANSHIP = "guardianship"
    FOSTER = "foster"
    PATRONAT = "patronat"


class Need(StrEnum):
    """Health needs a family says it can accept (the child's needs must all be among them)."""

    DISABILITY = "disability"
    CHRONIC = "chronic"
    HIV = "hiv"
    HEPATITIS = "hepatitis"
    DEVELOPMENTAL = "developmental"


# Bit masks make the hard filter over 20 000 families a few integer operations each.
FORM_BITS: dict[str, int] = {form.value: 1 << i for i, form in enumerate(FormOfCare)}
NEED_BITS: dict[str, int] = {need.value: 1 << i for i, need in enumerate(Need)}


def form_mask(forms: Iterable[str]) -> int:
    mask = 0
    for form in forms:
        mask |= FORM_BITS[form]
    return mask


def need_mask(needs: Iterable[str]) -> int:
    mask = 0
    for need in needs:
        mask |= NEED_BITS[need]
    return mask


@dataclass(frozen=True, slots=True)
class Place:
    """A home's coordinates in degrees (the child's home before care, the family's address)."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class ChildProfile:
    key: str
    age: int  # full years on the day of the run
    sex: str  # "m" / "f"
    forms: frozenset[str]  # forms of care possible for this child
    home: Place
    health_group: int = 1  # 1 (healthy) .. 5
    needs: frozenset[str] = frozenset()
    language: str = ""  # "" = not recorded: nothing to consider
    ethnicity: str = ""
    religion: str = ""
    # Children sharing a non-empty group key must be placed together or not at all
    # (separating them needs a recorded decision, after which each has its own key).
    together_with: str = ""


@dataclass(frozen=True, slots=True)
class FamilyProfile:
    key: str
    conclusion_positive: bool  # guardianship conclusion: may be a guardian / adopter
    conclusion_valid_until: date | None
    forms: frozenset[str]  # forms of care the family applies for
    capacity: int  # how many children the family is ready to take
    age_min: int
    age_max: int
    home: Place
    sex: str = ""  # "" = either
    siblings: bool = False  # ready to take brothers and sisters together
    accepted_needs: frozenset[str] = frozenset()
    health_group_max: int = 2  # the health groups the family feels ready for
    languages: frozenset[str] = frozenset()
    ethnicity: str = ""
    religion: str = ""
    max_distance_km: float | None = None


@dataclass(frozen=True, slots=True)
class Unit:
    """What is placed at once: one child, or brothers and sisters who must stay together."""

    key: str
    children: tuple[ChildProfile, ...]
    forms: int = field(init=False)  # forms possible for every child (bits)
    needs: int = field(init=False)  # needs of any child (bits)

    def __post_init__(self) -> None:
        forms = form_mask(self.children[0].forms)
        needs = 0
        for child in self.children:
            forms &= form_mask(child.forms)
            needs |= need_mask(child.needs)
        object.__setattr__(self, "forms", forms)
        object.__setattr__(self, "needs", needs)

    @property
    def size(self) -> int:
        return len(self.children)

    @property
    def home(self) -> Place:
        return self.children[0].home


def placement_units(children: Iterable[ChildProfile]) -> list[Unit]:
    """Group children into units: a must-be-together sibling group is one unit."""
    groups: dict[str, list[ChildProfile]] = {}
    units: list[Unit] = []
    for child in children:
        if child.together_with:
            groups.setdefault(child.together_with, []).append(child)
        else:
            units.append(Unit(key=child.key, children=(child,)))
    for key, members in groups.items():
        members.sort(key=lambda c: c.key)
        units.append(Unit(key=key, children=tuple(members)))
    units.sort(key=lambda u: u.key)
    return units
