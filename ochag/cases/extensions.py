"""What higher apps add to a case's pages, registered at start-up (``AppConfig.ready``).

Cases never imports the apps above it: support lists its referrals on the timeline, adds
a section to the case's navigation and links beside each plan task (refer the family for
it; what the family sees of it) through these registries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.cases.models import Case, Task


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


@dataclass(frozen=True)
class TaskLink:
    """A link beside one plan task, with a short note (what it leads to) when useful."""

    label: str
    url: str
    note: str = ""


TimelineProvider = Callable[["User", "Case"], Iterable[Event]]
SectionProvider = Callable[["User", "Case"], Iterable[Section]]
# Given the tasks shown on the page at once (so a provider reads them in one query):
# the links for each task's id.
TaskLinkProvider = Callable[["User", "Case", "list[Task]"], dict[int, list[TaskLink]]]

_timeline: list[TimelineProvider] = []
_sections: list[SectionProvider] = []
_task_links: list[TaskLinkProvider] = []


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


def register_task_links(provider: TaskLinkProvider) -> None:
    if provider not in _task_links:
        _task_links.append(provider)


def task_links(user: User, case: Case, tasks: list[Task]) -> dict[int, list[TaskLink]]:
    links: dict[int, list[TaskLink]] = {}
    for provider in _task_links:
        for task_id, found in provider(user, case, tasks).items():
            links.setdefault(task_id, []).extend(found)
    return links
