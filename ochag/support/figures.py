"""What the monitoring app counts in referrals (its public face for indicators).

Each function returns the referrals of one territory subtree (``path``: a territory's
materialised path) or the condition a time window puts on them; an indicator combines the
two, and the same combination gives both its count and its drill-down list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from ochag.core.models import Territory
from ochag.support.models import Outcome, Provider, Referral, ReferralStatus, Service, ServiceType

STATUSES = ReferralStatus
OUTCOMES = Outcome
UNMET = (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)


def referrals_in(path: str) -> models.QuerySet[Referral]:
    return Referral.objects.filter(territory__path__startswith=path).select_related(
        "territory", "service", "case"
    )


def sent_q(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(sent_at__gte=start, sent_at__lt=end)


def waiting_at_q(moment: dt.datetime) -> Q:
    """Sent before ``moment``, not closed by then and the service not yet started."""
    return (
        Q(sent_at__lt=moment)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
        & (Q(start_date__isnull=True) | Q(start_date__gte=moment.date()))
    )


def unmet_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Closed in the window without help: declined by the provider or withdrawn."""
    return Q(status__in=UNMET, closed_at__gte=start, closed_at__lt=end)


def completed_q(start: dt.datetime, end: dt.datetime) -> Q:
    return Q(status=ReferralStatus.COMPLETED, closed_at__gte=start, closed_at__lt=end)


def leading_operator(region_id: int) -> str | None:
    """The name of the region's active leading operator of family support, if designated."""
    return (
        Provider.objects.filter(region_id=region_id, is_leading_operator=True, is_active=True)
        .values_list("name", flat=True)
        .first()
    )


def services_missing(region_id: int, path: str) -> list[tuple[str, str]]:
    """(municipality, service type) pairs where no active service of an active type of the
    catalogue serves the municipality: the same supply rule as the coverage table."""
    types = list(ServiceType.objects.filter(is_active=True).values_list("pk", "name"))
    municipalities = list(
        Territory.objects.filter(path__startswith=path, level=Territory.Level.MUNICIPALITY)
        .order_by("name")
        .values_list("pk", "name")
    )
    served = set(
        Service.objects.filter(
            is_active=True,
            type__is_active=True,
            provider__is_active=True,
            provider__region_id=region_id,
        ).values_list("provider__municipalities", "type_id")
    )
    return [
        (m_name, t_name)
        for m_pk, m_name in municipalities
        for t_pk, t_name in types
        if (m_pk, t_pk) not in served
    ]


def referral_times(case_ids: Iterable[int]) -> dict[int, list[dt.datetime]]:
    """When each case's referrals were sent (monitoring's risk-score audit: did support
    follow an assessment?)."""
    out: dict[int, list[dt.datetime]] = {}
    rows = Referral.objects.filter(case_id__in=case_ids).order_by()
    for case_id, sent_at in rows.values_list("case_id", "sent_at"):
        out.setdefault(case_id, []).append(sent_at)
    return out


def in_service_during_q(start: dt.datetime, end: dt.datetime) -> Q:
    """The service started before the window's end and the referral was not closed before
    its start: the family was being helped on at least one day of it."""
    return Q(start_date__isnull=False, start_date__lt=end.date()) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )
