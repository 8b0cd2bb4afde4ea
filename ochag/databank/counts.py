"""The data bank's public face for monitoring (issue 16, 17): counts from the same
policy-scoped querysets the bank's lists use.

    from ochag.databank import counts
    counts.in_bank(user)                    # children looking for a family
    counts.placed_by_form(user, since, until)  # {"adoption": 3, "guardianship": 5, ...}
    counts.sent_to_federal(user, since, until)
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ochag.access.models import User
from ochag.databank import policies
from ochag.databank.models import ChildProfile, ChildStatus, FormOfCare


def in_bank(user: User) -> int:
    return policies.children.visible(user).filter(status=ChildStatus.SEARCHING).count()


def placed_by_form(user: User, since: dt.date, until: dt.date) -> dict[str, int]:
    rows = (
        policies.children.visible(user)
        .filter(status=ChildStatus.PLACED, placed_on__gte=since, placed_on__lte=until)
        .values("placed_form")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["placed_form"]: row["n"] for row in rows}


def sent_to_federal(user: User, since: dt.date, until: dt.date) -> int:
    return (
        policies.children.visible(user)
        .filter(federal__done_on__gte=since, federal__done_on__lte=until)
        .count()
    )


# The bank's face for monitoring's dashboards (added by helper "monitoring", issue 17): the
# profiles of a territory subtree (the keeping guardianship body's municipality) and the
# condition a window puts on them, so a tile and the list behind it are one selector.

FORMS = FormOfCare
STATUSES = ChildStatus


def children_in(path: str) -> QuerySet[ChildProfile]:
    return ChildProfile.objects.filter(agency__territory__path__startswith=path).select_related(
        "agency", "agency__territory"
    )


def in_bank_on_q(day: dt.date) -> Q:
    """In the bank on ``day``: entered by then and looking for a family, or placed later.
    A profile withdrawn from the bank keeps no date of withdrawal: it is not counted."""
    return Q(created_on__lte=day) & (
        Q(status=ChildStatus.SEARCHING) | Q(status=ChildStatus.PLACED, placed_on__gt=day)
    )


def placed_q(first: dt.date, after_last: dt.date) -> Q:
    return Q(status=ChildStatus.PLACED, placed_on__gte=first, placed_on__lt=after_last)


def sent_to_federal_q(first: dt.date, after_last: dt.date) -> Q:
    return Q(federal__done_on__gte=first, federal__done_on__lt=after_last)
