"""What cases add to the registry's pages (registered with ``ochag.registry.extensions``):
the cases section of a person's card — the open and closed cases of the households the person
belongs to, as far as the user may see them (the case policy) — and the persons with an open
case, whom the duplicates queue puts first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.cases import policies
from ochag.cases.models import Case, CaseStatus
from ochag.core.policies import Action
from ochag.registry.extensions import CardRow, CardSection, PersonContext
from ochag.registry.involvement import members_of


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y")


def _row(case: Case) -> CardRow:
    note = _("opened %(opened)s, curator %(curator)s") % {
        "opened": _day(case.opened_at),
        "curator": case.curator.display_name,
    }
    if case.closed_at is not None:
        note += ", " + _("closed %(closed)s") % {"closed": _day(case.closed_at)}
    return CardRow(
        _("Case %(number)s, family %(family)s") % {"number": case.number, "family": case.household},
        reverse("cases:detail", args=[case.pk]),
        note,
        badge=case.get_status_display(),
        tone="green" if case.is_open else "grey",
    )


def section(user: User, context: PersonContext) -> CardSection | None:
    if not policies.cases.allows(user, Action.VIEW):
        return None
    cases: list[Case] = []
    if context.households:
        rows = policies.cases.visible(user).filter(household__in=context.households)
        # Open cases first (a stable sort keeps each group newest first).
        cases = sorted(rows.order_by("-opened_at"), key=lambda c: not c.is_open)
    return CardSection(
        _("Cases"), [_row(c) for c in cases], empty=_("No cases you may see."), order=10
    )


def open_case_members(user: User) -> QuerySet[Any]:
    """Members of the households of the open cases the user may see."""
    households = policies.cases.visible(user).filter(status=CaseStatus.OPEN).values("household_id")
    return members_of(households)
