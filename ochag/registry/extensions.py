"""What higher apps add to a person's card and the duplicates queue, registered at start-up
(``AppConfig.ready``).

The registry never imports the apps above it. Cases, signals, support (and care once it
exists) each register a provider that returns their section of the card: the person's
records in that app that the signed-in user may see, read from the app's own policy. A
provider returns None when the user may not see that kind of record at all, so the section
is left out rather than shown empty.

The duplicates queue puts first the pairs whose persons have open work (an open case…): an
app registers which persons those are, as far as the user may see that work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ochag.access.models import User
    from ochag.registry.models import Household, Person


@dataclass(frozen=True)
class CardRow:
    """One record on the card: a link to its own page and a few words about it."""

    label: str
    url: str
    note: str = ""
    badge: str = ""
    tone: str = "grey"  # the badge's tone, as components/badge.html takes it


@dataclass(frozen=True)
class CardSection:
    title: str
    rows: Sequence[CardRow] = field(default_factory=tuple)
    empty: str = ""  # what the card says when the user sees no such record
    order: int = 0


@dataclass(frozen=True)
class PersonContext:
    """What the card already knows, so a provider need not ask the registry again: the person
    and the households the user sees the person in."""

    person: Person
    households: Sequence[Household]


CardProvider = Callable[["User", PersonContext], CardSection | None]

_providers: list[CardProvider] = []


def register_card_section(provider: CardProvider) -> None:
    """Called from an app's ``ready()``; registering the same provider twice has no effect."""
    if provider not in _providers:
        _providers.append(provider)


def card_sections(user: User, context: PersonContext) -> list[CardSection]:
    """Every provider's section for the user, in page order."""
    found = (provider(user, context) for provider in _providers)
    return sorted((s for s in found if s is not None), key=lambda s: (s.order, s.title))


# Returns a ``values("person_id")`` queryset: persons with open work the user may see.
OpenWorkProvider = Callable[["User"], "QuerySet[Any]"]

_open_work: list[OpenWorkProvider] = []


def register_open_work(provider: OpenWorkProvider) -> None:
    if provider not in _open_work:
        _open_work.append(provider)


def open_work(user: User) -> list[QuerySet[Any]]:
    """One subquery of person ids per registered provider (used inside the queue's query)."""
    return [provider(user) for provider in _open_work]
