"""Support's lines on the home page: referrals the user's agency has to answer (and those
overdue), and referrals on the user's cases a provider answered this week.

Every count uses the filter functions the referral list applies, over the same visible
referrals, and every line links to that list with those filters."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.worklist import Section, WorkLine
from ochag.support import policies, selectors


def _url(**params: str) -> str:
    return f"{reverse('support:referrals')}?{urlencode(params)}"


def lines(user: User) -> list[WorkLine]:
    if not user.is_authenticated or not user.sees_personal_data or user.agency_id is None:
        return []
    now = timezone.now()
    visible = policies.referrals.visible(user)
    result = []
    if selectors.is_provider_staff(user):
        queue = selectors.sent_to_agency(visible, user)
        result += [
            WorkLine(
                Section.AGENCY,
                _("Referrals to answer"),
                selectors.unanswered(queue).count(),
                _url(**{"for": "us", "open": "unanswered"}),
                order=40,
            ),
            WorkLine(
                Section.AGENCY,
                _("Referrals not answered in time"),
                selectors.answer_overdue(queue, now.date()).count(),
                _url(**{"for": "us", "open": "overdue"}),
                order=41,
                tone="red",
            ),
        ]
    curated = selectors.on_cases_curated_by(visible, user)
    answered = selectors.answered_recently(curated, now).count()
    if answered:
        result.append(
            WorkLine(
                Section.MINE,
                _("Referrals answered by providers this week"),
                answered,
                _url(**{"for": "mine", "open": "recent"}),
                order=40,
            )
        )
    return result
