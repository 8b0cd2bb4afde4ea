"""The data bank's lines on the home page (the coordinator's board and the guardianship
body's work): children due for the federal bank and home inspections past 7 days; each
count comes from the selector its list applies."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.worklist import Section, WorkLine
from ochag.databank import policies, selectors


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def lines(user: User) -> list[WorkLine]:
    coordinator = policies.is_coordinator(user)
    if not (coordinator or policies.is_guardianship(user)):
        return []
    today = timezone.localdate()
    section = Section.REGION if coordinator else Section.AGENCY
    result = []
    if coordinator:
        result.append(
            WorkLine(
                section,
                _("Children due for the federal data bank (a month without a family)"),
                selectors.federal_queue(user, today).count(),
                # The list with the queue's filter (the queue page itself sends the file).
                _url("databank:children", status="searching", federal="due"),
                order=60,
                tone="amber",
            )
        )
    result.append(
        WorkLine(
            section,
            _("Candidate families: home inspection overdue (7 days)"),
            selectors.inspections_overdue(policies.families.visible(user), today).count(),
            _url("databank:families", inspection="overdue"),
            order=61,
            tone="red",
        )
    )
    return [line for line in result if line.count]
