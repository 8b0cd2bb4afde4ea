"""Emergency (break-glass) access: which records a user's live grants open.

The grant itself is written by :func:`ochag.access.services.break_glass_open`; this module
is what the registry's policy reads, so it stays a query and nothing else.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ochag.access.models import BreakGlass, User

# How long a grant lasts (DHIS2 uses the same three hours).
GRANT_HOURS = 3


def live_grants(user: User) -> QuerySet[BreakGlass]:
    if not user.is_authenticated or not user.is_active:
        return BreakGlass.objects.none()
    return BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=timezone.now())


def granted_ids(user: User, kind: str) -> QuerySet[Any]:
    """Ids of records of ``kind`` the user's live grants open (a subquery)."""
    return live_grants(user).filter(kind=kind).values("record_id")


def live_grant(user: User, records: dict[str, list[int]]) -> BreakGlass | None:
    """The user's live grant on any of these records (kind → ids), for the banner a record
    opened by break-glass carries (None when the user's own work opens it). One query: a grant
    on a record of the kind named first wins (a person's own before their household's), then
    the one that lasts longest."""
    wanted = [Q(kind=kind, record_id__in=ids) for kind, ids in records.items() if ids]
    if not wanted:
        return None
    first_kind = Case(
        *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(records)),
        output_field=IntegerField(),
    )
    grants = live_grants(user).filter(reduce(or_, wanted))
    return grants.order_by(first_kind, "-expires_at").first()
