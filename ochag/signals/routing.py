"""Triage, routing and deadlines of a signal: which colour and track its indicators give,
which body the rules send it to, when it is due, and the deadline task of that body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ochag.access.models import Agency
from ochag.core.calendar import add_working_days
from ochag.core.models import Territory
from ochag.signals.models import (
    COLOUR_RANK,
    Colour,
    Indicator,
    RegionSettings,
    RoutingRule,
    Signal,
    SignalTask,
    TaskKind,
    Track,
)


def triage(indicators: Iterable[Indicator]) -> tuple[str, str]:
    """(colour, track) of a set of indicators.

    The colour is the most severe indicator's. The track follows only the non-poverty
    indicators: poverty-type (P) and yellow indicators alone always give SUPPORT, never a
    safety check (domain §6 guardrail: poverty triggers help, never removal).
    """
    items = list(indicators)
    if not items:
        raise ValidationError(_("Choose at least one indicator."))
    colour = max((i.colour for i in items), key=lambda c: COLOUR_RANK[Colour(c)])
    decisive = {i.colour for i in items if not i.poverty and i.colour != Colour.YELLOW}
    if Colour.RED in decisive:
        return colour, Track.SAFETY
    if Colour.AMBER in decisive:
        return colour, Track.ASSESSMENT
    return colour, Track.SUPPORT


def region_settings(region: Territory) -> RegionSettings:
    found = RegionSettings.objects.filter(region=region).first()
    return found if found is not None else RegionSettings(region=region)


def due_date_for(
    *,
    track: str,
    colour: str,
    territory: Territory,
    today: dt.date,
    conf: RegionSettings | None = None,
) -> dt.date:
    """Red (also urgent poverty needs like no food) is same day; otherwise the region's
    working-day deadline for the track."""
    if colour == Colour.RED:
        return add_working_days(today, 0, territory=territory)
    if conf is None:
        conf = region_settings(territory.region or territory)
    days = conf.assessment_days if track != Track.SUPPORT else conf.support_days
    return add_working_days(today, days, territory=territory)


def route(*, territory: Territory, track: str) -> Agency | None:
    """The competent body from the rules table: a municipality's own rule beats the region's."""
    region = territory.region or territory
    rules = list(
        RoutingRule.objects.filter(region=region, track=track)
        .filter(Q(territory=territory) | Q(territory__isnull=True))
        .select_related("agency")
    )
    rules.sort(key=lambda r: r.territory_id is None)
    for rule in rules:
        if rule.agency is not None and rule.agency.is_active:
            return rule.agency
        local = Agency.objects.filter(
            type=rule.agency_type, territory=territory, is_active=True
        ).first()
        if local is not None:
            return local
        regional = Agency.objects.filter(
            type=rule.agency_type, territory=region, is_active=True
        ).first()
        if regional is not None:
            return regional
    return None


def urgency(signal: Signal) -> int:
    base = COLOUR_RANK[Colour(signal.colour)] * 10
    if signal.colour == Colour.RED and signal.taken_at is None and signal.track == Track.SAFETY:
        base += 50  # on top of every queue until someone takes it
    if signal.priority_raised:
        base += 5
    if signal.routed_to_id is None:
        base += 40  # no rule matched: near the top of the coordinator's queue until routed
    return base


def task_build(signal: Signal) -> SignalTask:
    """The deadline task of a routed signal for the body it is routed to (unsaved), its
    invariants checked."""
    if signal.routed_to is None:
        raise ValueError("only a routed signal gets a task")
    kind = {
        Track.SAFETY: TaskKind.SAFETY_CHECK,
        Track.ASSESSMENT: TaskKind.ASSESSMENT,
        Track.SUPPORT: TaskKind.SUPPORT_OFFER,
    }[Track(signal.track)]
    if signal.due_date is None:
        raise ValueError("a signal gets its deadline before its task")
    task = SignalTask(signal=signal, kind=kind, agency=signal.routed_to, due_on=signal.due_date)
    task.clean()  # the support-never-leads-to-a-safety-check invariant
    return task
