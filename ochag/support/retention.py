"""Retention of referrals: they go with the closed case they belong to (a referral holds its
case, so it is deleted first, under the same term as ``closed_cases``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.access.retention import Rule
from ochag.cases.retention import closed_cases
from ochag.support.models import Referral


def referrals_of_closed_cases(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Referral.objects.filter(case__in=closed_cases(cutoff).values("pk")).select_related(
        "territory"
    )


def rules() -> list[Rule]:
    # Same key suffix and default as the cases rule: a region overriding one overrides both.
    return [
        Rule("closed_cases_referrals", _("Referrals of closed cases"), 5 * 365,
             referrals_of_closed_cases, order=65),
    ]  # fmt: skip
