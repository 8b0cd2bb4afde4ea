"""What higher apps add to a signal's page, registered at start-up (``AppConfig.ready``).

Signals never imports the apps above it: support lists the referrals made from a signal
offered support and links to referring the family, through a panel provider registered here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ochag.access.models import User
    from ochag.signals.models import Signal


@dataclass(frozen=True)
class PanelLine:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Panel:
    """A titled section of the signal's page: lines (each maybe a link) and one action."""

    title: str
    lines: list[PanelLine] = field(default_factory=list)
    empty: str = ""  # said when there are no lines
    action_label: str = ""
    action_url: str = ""


PanelProvider = Callable[["User", "Signal"], Iterable[Panel]]

_panels: list[PanelProvider] = []


def register_panel(provider: PanelProvider) -> None:
    """Add ``provider``'s panels (those the user may see) to every signal's page."""
    if provider not in _panels:
        _panels.append(provider)


def panels(user: User, signal: Signal) -> list[Panel]:
    return [panel for provider in _panels for panel in provider(user, signal)]
