"""What higher apps add to a case's pages, registered at start-up (``AppConfig.ready``).

Cases never imports the apps above it: support lists its referrals on the timeline and adds
a section to the case's navigation through these registries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.cases.models import Case


@dataclass
class Event:
    """One entry of a case's timeline, whichever app it comes from."""

    title: str
    actor: str
    agency: str
    at: dt.datetime
    description: str = ""


@dataclass(frozen=True)
class Section:
    """A link in the case's section navigation."""

    label: str
    url: str


TimelineProvider = Callable[["User", "Case"], Iterable[Event]]
SectionProvider = Callable[["User", "Case"], Iterable[Section]]

_timeline: list[TimelineProvider] = []
_sections: list[SectionProvider] = []


def register_timeline(provider: TimelineProvider) -> None:
    """Add ``provider``'s events (those the user may see) to every case timeline."""
    if provider not in _timeline:
        _timeline.append(provider)


def register_section(provider: SectionProvider) -> None:
    if provider not in _sections:
        _sections.append(provider)


def timeline_events(user: User, case: Case) -> list[Event]:
    return [event for provider in _timeline for event in provider(user, case)]


def sections(user: User, case: Case) -> list[Section]:
    return [section for provider in _sections for section in provider(user, case)]
