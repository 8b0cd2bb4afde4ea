"""Fairness per run: do the children who wait longest for a family (older than 10,
with a disability, in a sibling group of three or more) get candidates as often as
the rest? Counted in children, not units, so a group of three counts three times."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from .profiles import Need, Unit


class Group(StrEnum):
    OLDER_THAN_10 = "older_than_10"
    DISABILITY = "disability"
    SIBLINGS_3PLUS = "siblings_3plus"
    REST = "rest"


OLDER_THAN = 10


@dataclass(frozen=True, slots=True)
class Coverage:
    group: Group
    children: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.children if self.children else 0.0


def groups_of(unit: Unit) -> list[tuple[Group, ...]]:
    """The hard-to-place groups of each child of the unit (a child may be in several)."""
    result = []
    for child in unit.children:
        groups = []
        if child.age > OLDER_THAN:
            groups.append(Group.OLDER_THAN_10)
        if Need.DISABILITY.value in child.needs:
            groups.append(Group.DISABILITY)
        if unit.size >= 3:
            groups.append(Group.SIBLINGS_3PLUS)
        result.append(tuple(groups) or (Group.REST,))
    return result


def fairness_report(units: Iterable[Unit], covered: Callable[[Unit], bool]) -> list[Coverage]:
    """Per group: children, and how many of them `covered` says yes for (e.g. at least
    one candidate family, or placed in a simulated round)."""
    children = dict.fromkeys(Group, 0)
    hits = dict.fromkeys(Group, 0)
    for unit in units:
        yes = covered(unit)
        for groups in groups_of(unit):
            for group in groups:
                children[group] += 1
                hits[group] += yes
    return [Coverage(group, children[group], hits[group]) for group in Group]
