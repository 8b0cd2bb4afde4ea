"""The registry's line on the home page: possible duplicates waiting for a decision.

The count is the duplicates queue's own selector, which its list shows by default."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.models import REGION_WIDE_ROLES, User
from ochag.core.worklist import Section, WorkLine
from ochag.registry import selectors
from ochag.registry.policies import can_merge


def lines(user: User) -> list[WorkLine]:
    if not user.is_authenticated or user.agency_id is None or not can_merge(user):
        return []
    return [
        WorkLine(
            Section.REGION if user.role in REGION_WIDE_ROLES else Section.AGENCY,
            _("Possible duplicates waiting for a decision"),
            selectors.duplicates_waiting(selectors.duplicate_queue(user)).count(),
            reverse("registry:duplicate_list"),
            order=40,
        )
    ]
