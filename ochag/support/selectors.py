"""Reads of the support app, each starting from a policy's ``visible`` (or, for the public
directory, from active records only: it shows no personal data).

Free places, waiting lists, waiting time and unmet need are counted here and nowhere else,
so the directory, a provider's page and the queue show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from ochag.access.models import User
from ochag.access.policies import territories as territory_policy
from ochag.cases.models import Case, Task, TaskStatus
from ochag.core.models import Territory
from ochag.signals.models import Signal
from ochag.support import policies
from ochag.support.models import (
    PLACE_HOLDING,
    UNANSWERED,
    FamilyLink,
    Provider,
    Referral,
    ReferralStatus,
    Service,
    TaskNeed,
)


def with_places(services: QuerySet[Service]) -> QuerySet[Service]:
    """Annotate ``held``, ``waiting`` and ``free`` places (never below zero)."""
    return services.annotate(
        held=Count("referrals", filter=Q(referrals__status__in=PLACE_HOLDING), distinct=True),
        waiting=Count(
            "referrals", filter=Q(referrals__status=ReferralStatus.WAITING), distinct=True
        ),
    ).annotate(free=Greatest(F("capacity") - F("held"), Value(0)))


@dataclass(frozen=True)
class DirectoryQuery:
    municipality: Territory | None = None
    type_id: int | None = None
    format: str = ""
    free_only: bool = False
    text: str = ""


def _directory(services: QuerySet[Service], query: DirectoryQuery) -> QuerySet[Service]:
    if query.municipality is not None:
        services = services.filter(provider__municipalities=query.municipality)
    if query.type_id is not None:
        services = services.filter(type_id=query.type_id)
    if query.format:
        services = services.filter(format=query.format)
    if query.text:
        services = services.filter(
            Q(name__icontains=query.text)
            | Q(description__icontains=query.text)
            | Q(type__name__icontains=query.text)
            | Q(type__plain_name__icontains=query.text)
            | Q(provider__name__icontains=query.text)
        )
    services = with_places(services)
    if query.free_only:
        services = services.filter(Q(free__gt=0))
    return services


def public_directory(query: DirectoryQuery) -> QuerySet[Service]:
    """«Помощь рядом»: active services of active providers, no personal data."""
    services = Service.objects.filter(
        is_active=True, provider__is_active=True, type__is_active=True
    )
    return (
        _directory(services, query)
        .select_related("provider", "type")
        .order_by("type__order", "provider__name", "name")
    )


def public_municipalities() -> QuerySet[Territory]:
    """Municipalities some active provider serves (the public filter's choices)."""
    served = Provider.objects.filter(is_active=True).values("municipalities")
    return Territory.objects.filter(pk__in=served).order_by("name")


def region_municipalities(user: User) -> QuerySet[Territory]:
    """The municipalities of the user's region (the coverage table's rows, the filters)."""
    return (
        territory_policy.visible(user).filter(level=Territory.Level.MUNICIPALITY).order_by("name")
    )


def staff_directory(user: User, query: DirectoryQuery) -> QuerySet[Service]:
    return _directory(policies.services.visible(user), query)


def services_for_case(user: User, case: Case) -> QuerySet[Service]:
    """Active services serving the family's municipality, fullest-free first."""
    services = policies.services.visible(user).filter(
        is_active=True, provider__is_active=True, provider__municipalities=case.territory_id
    )
    return with_places(services).order_by("type__order", F("free").desc(), "provider__name")


def provider_services(user: User, provider: Provider) -> QuerySet[Service]:
    return with_places(policies.services.visible(user).filter(provider=provider)).order_by(
        "type__order", "name"
    )


def regional_list(user: User) -> QuerySet[Service]:
    """The regional list of services as published: one row per service and municipality
    served, grouped by municipality and type."""
    services = policies.services.visible(user).filter(is_active=True, provider__is_active=True)
    return (
        with_places(services)
        .annotate(municipality_name=F("provider__municipalities__name"))
        .select_related("provider", "type")
        .order_by("municipality_name", "type__order", "provider__name", "name")
    )


def case_referrals(user: User, case: Case) -> QuerySet[Referral]:
    return policies.referrals.visible(user).filter(case=case)


def referrals_of_case_granted(case: Case) -> QuerySet[Referral]:
    """A case's referrals for a caller whose own policy granted the family's case to the
    user (care: a placement commission's member while the child is on an open sitting's
    agenda). Not a list of this app's: the caller answers for who reads it."""
    return Referral.objects.filter(case=case).select_related("service").order_by("-sent_at")


def signal_referrals(user: User, signal: Signal) -> QuerySet[Referral]:
    return policies.referrals.visible(user).filter(signal=signal)


def services_for_signal(user: User, signal: Signal) -> QuerySet[Service]:
    """Active services serving the signal's municipality, fullest-free first."""
    services = policies.services.visible(user).filter(
        is_active=True, provider__is_active=True, provider__municipalities=signal.territory_id
    )
    return with_places(services).order_by("type__order", F("free").desc(), "provider__name")


# The referral list's filters; the home page's worklist counts with the same functions.


def sent_to_agency(referrals: QuerySet[Referral], user: User) -> QuerySet[Referral]:
    """Referrals sent to the user's own agency as a provider (its queue)."""
    if user.agency_id is None:
        return referrals.none()
    return referrals.filter(service__provider__agency_id=user.agency_id)


def on_cases_curated_by(referrals: QuerySet[Referral], user: User) -> QuerySet[Referral]:
    """Referrals the user answers for: on the cases they curate, and those they sent from
    a signal (no case has a curator yet)."""
    return referrals.filter(Q(case__curator=user) | Q(case__isnull=True, sent_by=user))


def unanswered(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.filter(status__in=UNANSWERED)


def answer_overdue(referrals: QuerySet[Referral], today: dt.date) -> QuerySet[Referral]:
    """Sent and still unanswered after the day the answer was due."""
    return referrals.filter(done_on__isnull=True, due_on__lt=today)


ANSWERED_RECENTLY_DAYS = 7


def answered_recently(referrals: QuerySet[Referral], now: dt.datetime) -> QuerySet[Referral]:
    """Answered by the provider within the last week (news for the curator)."""
    return referrals.filter(answered_at__gte=now - dt.timedelta(days=ANSWERED_RECENTLY_DAYS))


def is_provider_staff(user: User) -> bool:
    return user.agency_id is not None and Provider.objects.filter(agency_id=user.agency_id).exists()


def waiting_days(referral: Referral) -> int | None:
    """Days from sending to the start of the service (None while it has not started)."""
    if referral.start_date is None:
        return None
    return (referral.start_date - referral.sent_at.date()).days


def task_need(task: Task) -> TaskNeed | None:
    """What a task the caller was allowed to see needs of support (None: not said yet)."""
    return TaskNeed.objects.filter(task=task).select_related("need").first()


def task_needs(tasks: list[Task]) -> dict[int, TaskNeed]:
    """The needs of tasks the caller was allowed to see, by task id, in one query."""
    rows = TaskNeed.objects.filter(task__in=[t.pk for t in tasks]).select_related("need")
    return {row.task_id: row for row in rows}


def family_links(user: User, case: Case) -> QuerySet[FamilyLink]:
    return policies.family_links.visible(user).filter(case=case)


@dataclass
class FamilyPage:
    """What a family sees behind its code: nothing of any other person, nothing about the
    signal's source."""

    curator_name: str
    curator_agency: str
    curator_phone: str
    curator_email: str
    tasks: list[FamilyTask]
    referrals: list[Referral]
    nearby: QuerySet[Service]


@dataclass(frozen=True)
class FamilyTask:
    """A plan task as the family reads it: the curator's plain words, who helps, by when."""

    text: str
    who: str
    due_on: dt.date
    done: bool
    overdue: bool


def family_page(link: FamilyLink) -> FamilyPage:
    case = link.case
    curator = case.curator
    agency = curator.agency
    referrals = list(
        Referral.objects.filter(case=case)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("service", "service__provider", "service__type")
        .order_by("-sent_at")
    )
    today = timezone.localdate()
    tasks = [
        FamilyTask(
            text=row.family_text,
            who=row.task.owner_agency.name,
            due_on=row.task.due_on,
            done=row.task.status == TaskStatus.DONE,
            overdue=row.task.status != TaskStatus.DONE and row.task.due_on < today,
        )
        for row in TaskNeed.objects.filter(
            task__case=case, shown_to_family=True, task__is_medical=False
        )
        .select_related("task__owner_agency")
        .order_by("task__due_on", "task_id")
    ]
    return FamilyPage(
        tasks=tasks,
        curator_name=curator.get_full_name() or curator.display_name,
        curator_agency=agency.name if agency else "",
        curator_phone=agency.phone if agency else "",
        curator_email=curator.email or (agency.email if agency else ""),
        referrals=referrals,
        nearby=public_directory(DirectoryQuery(municipality=case.territory)),
    )


# What family support costs: the care app sets it against the cost of institutional care.


@dataclass(frozen=True)
class ServiceCost:
    """The cost per family-month of one type of service (services with a cost only)."""

    type_code: str
    type_name: str
    services: int
    places: int
    # Weighted by places: a centre for forty families weighs more than one for two.
    mean: Decimal
    minimum: Decimal
    maximum: Decimal


def _weighted(rows: list[tuple[Decimal, int]]) -> Decimal:
    places = sum(capacity for _cost, capacity in rows)
    if places == 0:
        return sum((cost for cost, _c in rows), Decimal(0)) / len(rows)
    return sum((cost * capacity for cost, capacity in rows), Decimal(0)) / places


def service_costs(
    user: User, *, territory: Territory | None = None, type_codes: Iterable[str] = ()
) -> list[ServiceCost]:
    """Cost per family-month by service type, over the active services the user sees
    that serve ``territory`` (a municipality; the region or None: every one), in
    catalogue order. Types without a costed service are left out."""
    services = policies.services.visible(user).filter(
        is_active=True, provider__is_active=True, cost_per_family_month__isnull=False
    )
    if territory is not None and territory.level == Territory.Level.MUNICIPALITY:
        services = services.filter(provider__municipalities=territory)
    codes = list(type_codes)
    if codes:
        services = services.filter(type__code__in=codes)
    by_type: dict[tuple[str, str], list[tuple[Decimal, int]]] = {}
    for code, name, cost, capacity in services.order_by("type__order", "type__name").values_list(
        "type__code", "type__name", "cost_per_family_month", "capacity"
    ):
        if cost is not None:  # the filter excludes it; the type checker cannot know
            by_type.setdefault((code, name), []).append((cost, capacity))
    return [
        ServiceCost(
            type_code=code,
            type_name=name,
            services=len(rows),
            places=sum(c for _x, c in rows),
            mean=_weighted(rows).quantize(Decimal("0.01")),
            minimum=min(cost for cost, _c in rows),
            maximum=max(cost for cost, _c in rows),
        )
        for (code, name), rows in by_type.items()
    ]


def family_support_cost(
    user: User, *, territory: Territory | None = None, type_codes: Iterable[str] = ()
) -> Decimal | None:
    """One figure: the cost of a family-month of support, the mean over the services of
    :func:`service_costs` weighted by places (None when no service has a cost)."""
    costs = service_costs(user, territory=territory, type_codes=type_codes)
    if not costs:
        return None
    rows = [(c.mean, c.places) for c in costs]
    return _weighted(rows).quantize(Decimal("0.01"))
