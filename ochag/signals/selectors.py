"""Every read of the signals app starts from the policy querysets."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from ochag.access.models import Agency, AgencyType, User
from ochag.core.models import Territory
from ochag.signals.models import (
    Colour,
    Indicator,
    Signal,
    SignalDraft,
    SignalSubject,
    SignalTask,
    Status,
    Track,
)
from ochag.signals.numbers import Lookup
from ochag.signals.policies import is_coordinator, signals


def queue(user: User) -> models.QuerySet[Signal]:
    """Signals the user's agency works on (coordinators: the whole region)."""
    qs = signals.visible(user)
    if not is_coordinator(user):
        qs = qs.filter(routed_to_id=user.agency_id)
    return qs.exclude(status__in=[Status.RETURNED, Status.CLOSED])


def awaiting_safety_check(qs: models.QuerySet[Signal]) -> models.QuerySet[Signal]:
    """Red signals for a same-day safety check that nobody has taken yet."""
    return qs.filter(colour=Colour.RED, track=Track.SAFETY, taken_at__isnull=True)


def urgent(user: User) -> models.QuerySet[Signal]:
    """Red safety signals nobody has taken yet: shown above every queue and on the home page."""
    return awaiting_safety_check(queue(user)).order_by("received_at")


def new(qs: models.QuerySet[Signal]) -> models.QuerySet[Signal]:
    """Signals nobody in the agency has been assigned to or has accepted yet."""
    return qs.filter(status=Status.NEW)


def assigned_to(qs: models.QuerySet[Signal], user: User) -> models.QuerySet[Signal]:
    """Signals assigned to the user and not yet accepted."""
    return qs.filter(assignee=user, status=Status.ASSIGNED)


def unrouted(qs: models.QuerySet[Signal]) -> models.QuerySet[Signal]:
    return qs.filter(routed_to__isnull=True)


def overdue(qs: models.QuerySet[Signal]) -> models.QuerySet[Signal]:
    return qs.filter(overdue_q())


def tasks_for(user: User) -> models.QuerySet[SignalTask]:
    """Deadline tasks of the signals the user may see (core's deadline registry reads it)."""
    return SignalTask.objects.filter(signal__in=signals.visible(user))


def sent(user: User) -> models.QuerySet[Signal]:
    return signals.visible(user).filter(reporting_agency_id=user.agency_id)


def overdue_q() -> Q:
    return Q(due_date__lt=timezone.localdate(), taken_at__isnull=True)


def forward_targets(signal: Signal) -> models.QuerySet[Agency]:
    """The bodies of the signal's region it may be forwarded to (not its own, not the
    ministry or the helpline, which take no signals)."""
    region = signal.territory.region or signal.territory
    targets = Agency.objects.filter(
        territory__path__startswith=region.path, is_active=True
    ).exclude(type__in=[AgencyType.MINISTRY, AgencyType.HELPLINE])
    if signal.routed_to_id is not None:
        targets = targets.exclude(pk=signal.routed_to_id)
    return targets


def draft(user: User) -> SignalDraft:
    """The user's draft of the staff form (a new, unsaved one if there is none)."""
    return SignalDraft.objects.filter(user=user).first() or SignalDraft(user=user, data={})


def public_region() -> Territory | None:
    """The region the public form serves (the installation's first region)."""
    return Territory.objects.filter(level=Territory.Level.REGION).order_by("pk").first()


def with_subjects(qs: models.QuerySet[Signal]) -> models.QuerySet[Signal]:
    """Rows that say whom each signal is about (ochag.signals.about) in two more queries for
    any number of rows: the family in the same query, every row's subjects in one more."""
    return qs.select_related("household").prefetch_related(
        Prefetch("subjects", queryset=SignalSubject.objects.order_by("role", "pk"))
    )


def indicators() -> list[Indicator]:
    """The screening checklist in its order (reference data, not personal)."""
    return list(Indicator.objects.order_by("order", "pk"))


def number_typed(text: str) -> Q:
    """Signals whose receipt number is ``text`` typed or dictated any way: «482173905512»,
    «4821 7390 5512» find «4821-7390-5512» (the queue's search box)."""
    lookup = Lookup(text)
    if lookup.number == text.strip():
        return Q(pk__in=[])  # not a number of the current form: the plain search covers it
    return Q(number=lookup.number)
