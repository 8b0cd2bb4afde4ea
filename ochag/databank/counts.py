"""The data bank's public face for monitoring (issue 16, 17): counts from the same
policy-scoped querysets the bank's lists use.

    from ochag.databank import counts
    counts.in_bank(user)                    # children looking for a family
    counts.placed_by_form(user, since, until)  # {"adoption": 3, "guardianship": 5, ...}
    counts.sent_to_federal(user, since, until)
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from ochag.access.models import User
from ochag.databank import policies
from ochag.databank.models import ChildStatus


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
