"""The home page's worklist: what the signed-in person has to act on.

Core imports no app. Each app registers a provider at start-up (``AppConfig.ready``) that
returns its lines for a user. Every line links to the filtered list it counts, and the
provider takes the count from the same selector and filter functions that list applies, so
the number on the home page is the number of rows behind the link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class Section(IntEnum):
    """Where a line stands on the page, most pressing first."""

    URGENT = 0  # immediate danger: same-day safety checks
    MINE = 1  # work of the signed-in person
    AGENCY = 2  # the whole agency's work (supervisors)
    REGION = 3  # region-wide counts (the coordinator)
    BY_MUNICIPALITY = 4
    BY_AGENCY = 5


SECTION_TITLES = {
    Section.URGENT: _("Immediate danger"),
    Section.MINE: _("My work"),
    Section.AGENCY: _("My agency's work"),
    Section.REGION: _("The region"),
    Section.BY_MUNICIPALITY: _("Overdue work by municipality"),
    Section.BY_AGENCY: _("Overdue work by agency"),
}


@dataclass(frozen=True)
class Item:
    """One record named under a line (e.g. a red signal with the hours since its receipt)."""

    label: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class WorkLine:
    section: Section
    label: str
    count: int
    url: str
    order: int = 0
    tone: str = ""  # a badge tone ("red", "amber") when the count needs attention
    items: tuple[Item, ...] = field(default_factory=tuple)


# The provider receives the signed-in user (ochag.access.models.User; core may not name it).
Provider = Callable[[Any], Iterable[WorkLine]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Called from an app's ``ready()``; registering the same provider twice has no effect."""
    if provider not in _providers:
        _providers.append(provider)


@dataclass
class SectionBlock:
    section: Section
    title: str
    lines: list[WorkLine]


def worklist(user: Any) -> list[SectionBlock]:
    """Every provider's lines for the user, grouped by section in page order."""
    lines = [line for provider in _providers for line in provider(user)]
    blocks: dict[Section, list[WorkLine]] = {}
    for line in sorted(lines, key=lambda ln: (ln.section, ln.order, ln.label)):
        blocks.setdefault(line.section, []).append(line)
    return [SectionBlock(s, str(SECTION_TITLES[s]), blocks[s]) for s in sorted(blocks)]
