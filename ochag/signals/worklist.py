"""The signals app's lines on the home page: red signals waiting for a safety check, new and
assigned signals, overdue and unrouted ones.

Every count is taken with the selector functions the signal queue filters with, over the
queue's own base queryset, and every line links to the queue with those filters."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access.models import Agency, User
from ochag.core.models import Territory
from ochag.core.policies import Action
from ochag.core.worklist import Item, Section, WorkLine
from ochag.signals import about, selectors
from ochag.signals.models import Signal
from ochag.signals.policies import is_coordinator, signals

URGENT_SHOWN = 5


def _url(**params: str) -> str:
    return f"{reverse('signals:queue')}?{urlencode(params)}"


def _hours(delta_seconds: float) -> str:
    hours = max(0, int(delta_seconds // 3600))
    return ngettext("%(n)d hour since receipt", "%(n)d hours since receipt", hours) % {"n": hours}


def _about(signal: Signal, today: dt.date) -> str:
    family = signal.household.name if signal.household else ""
    return about.about(signal.subjects.all(), today, family) or signal.territory.name


def lines(user: User) -> list[WorkLine]:
    if not user.is_authenticated or not signals.allows(user, Action.VIEW):
        return []
    queue = selectors.queue(user)
    now = timezone.now()
    today = timezone.localdate()
    urgent = selectors.with_subjects(selectors.urgent(user))
    shown = [
        Item(
            f"{s.number} — {_about(s, today)}",
            reverse("signals:detail", args=[s.pk]),
            _hours((now - s.received_at).total_seconds()),
        )
        for s in urgent[:URGENT_SHOWN]
    ]
    waiting = urgent.count()
    # Shown only when there is one: an empty "immediate danger" block would only alarm.
    result = (
        []
        if not waiting
        else [
            WorkLine(
                Section.URGENT,
                _("Red signals waiting for a safety check"),
                waiting,
                _url(waiting="safety"),
                order=10,
                tone="red",
                items=tuple(shown),
            )
        ]
    )
    if is_coordinator(user):
        return result + _region_lines(queue)
    result.append(
        WorkLine(
            Section.MINE,
            _("Signals assigned to me, not yet accepted"),
            selectors.assigned_to(queue, user).count(),
            _url(**{"for": "me"}),
            order=10,
        )
    )
    section = Section.AGENCY if user.is_supervisor else Section.MINE
    result += [
        WorkLine(
            section,
            _("New signals routed to my agency, nobody assigned")
            if user.is_supervisor
            else _("New signals routed to my agency"),
            selectors.new(queue).count(),
            _url(status="new"),
            order=11,
            tone="amber",
        ),
        WorkLine(
            section,
            _("Overdue signals of my agency"),
            selectors.overdue(queue).count(),
            _url(overdue="yes"),
            order=12,
            tone="red",
        ),
    ]
    return result


def _region_lines(queue: QuerySet[Signal]) -> list[WorkLine]:
    overdue = selectors.overdue(queue)
    result = [
        WorkLine(
            Section.REGION,
            _("Signals no routing rule matched"),
            selectors.unrouted(queue).count(),
            _url(routing="none"),
            order=10,
            tone="amber",
        ),
        WorkLine(
            Section.REGION,
            _("Overdue signals in the region"),
            overdue.count(),
            _url(overdue="yes"),
            order=11,
            tone="red",
        ),
    ]
    per_territory = dict(overdue.values_list("territory").annotate(n=Count("pk")))
    for territory in Territory.objects.filter(pk__in=per_territory).order_by("name"):
        result.append(
            WorkLine(
                Section.BY_MUNICIPALITY,
                _("%(municipality)s: overdue signals") % {"municipality": territory.name},
                per_territory[territory.pk],
                _url(overdue="yes", territory=str(territory.pk)),
                order=10,
            )
        )
    per_agency = dict(
        overdue.filter(routed_to__isnull=False).values_list("routed_to").annotate(n=Count("pk"))
    )
    for agency in Agency.objects.filter(pk__in=per_agency).order_by("name"):
        result.append(
            WorkLine(
                Section.BY_AGENCY,
                _("%(agency)s: overdue signals") % {"agency": agency.short_name or agency.name},
                per_agency[agency.pk],
                _url(overdue="yes", agency=str(agency.pk)),
                order=10,
            )
        )
    return result
