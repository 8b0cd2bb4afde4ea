"""Retention of referrals: they go with the closed case or the closed signal they belong to (a
referral holds its case or signal, so it is deleted first, under the same term as
``closed_cases`` or ``signals_without_case``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.cases.retention import closed_cases, signals_without_case
from ochag.support.models import Referral


def referrals_of_closed_cases(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Referral.objects.filter(case__in=closed_cases(cutoff).values("pk")).select_related(
        "territory"
    )


def referrals_of_signals_without_case(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Referral.objects.filter(
        signal__in=signals_without_case(cutoff).values("pk")
    ).select_related("territory")


def rules() -> list[Rule]:
    # Same key suffix and default as the cases rule: a region overriding one overrides both.
    return [
        Rule("closed_cases_referrals", _("Referrals of closed cases"), 5 * 365,
             referrals_of_closed_cases, order=65),
        Rule("signals_without_case_referrals", _("Referrals of closed signals that led to no case"),
             3 * 365, referrals_of_signals_without_case, order=55),
    ]  # fmt: skip
