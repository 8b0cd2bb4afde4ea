"""Care's kinds of deadline on the core base (:mod:`ochag.core.deadlines`), registered in
``CareConfig.ready``: the commission's placement reviews, incident follow-up tasks and
transformation milestones. The one daily check (``manage.py check_deadlines``, on the
working-day calendar) stamps ``overdue_since`` on each and calls the hooks here.

* An overdue placement review escalates to the region's coordinator (or, with no
  coordinator, to the regional ministry's duty address): an inbox notification and an
  e-mail queued in the same transaction, once per review and deadline (the notification key
  holds both, so the daily run notifies once and a moved deadline escalates afresh).
* An overdue incident follow-up or milestone tells its responsible agency's duty address,
  once per task and deadline.

E-mails carry no personal data: the record's number, the institution and the date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ochag.access import notifications
from ochag.access.models import Agency, AgencyType, Role, User
from ochag.care import policies, selectors
from ochag.care.models import AgendaItem, CareAction, Incident, Milestone
from ochag.core import deadlines
from ochag.core.models import Territory

REVIEW = "care.review"
FOLLOW_UP = "care.incident_follow_up"
MILESTONE = "care.milestone"

# The notifications' kind and subject types (access's inbox lists them).
KIND_OVERDUE = "care_overdue"
PLACEMENT = "care.placement"
INSTITUTION = "care.institution"


def coordinators(region: Territory) -> list[User]:
    """The region's active coordinators (the people overdue reviews escalate to)."""
    return list(
        User.objects.filter(
            is_active=True,
            role=Role.REGIONAL_COORDINATOR,
            agency__territory__path__startswith=region.path,
        ).order_by("pk")
    )


def _ministry(region: Territory) -> Agency | None:
    return Agency.objects.filter(territory=region, type=AgencyType.MINISTRY, is_active=True).first()


def reviews_overdue_escalate(rows: QuerySet[AgendaItem], day: dt.date) -> int:
    """Tell the region's coordinators of every overdue review, once per review and deadline.
    Returns the notifications created."""
    sent = 0
    by_region: dict[int, tuple[list[User], Agency | None]] = {}
    subject = _("Ochag: a placement review is overdue")
    for item in rows.select_related("placement__institution", "placement__region"):
        placement = item.placement
        if placement.region_id not in by_region:
            people = coordinators(placement.region)
            by_region[placement.region_id] = (
                people,
                None if people else _ministry(placement.region),
            )
        people, duty = by_region[placement.region_id]
        text = _(
            "%(kind)s of child no. %(number)s (%(institution)s) was due on %(deadline)s and "
            "is overdue."
        ) % {
            "kind": item.get_kind_display(),
            "number": placement.pk,
            "institution": placement.institution.name,
            "deadline": item.due_on.strftime("%d.%m.%Y"),
        }
        common: dict[str, Any] = {
            "kind": KIND_OVERDUE,
            "text": text,
            "subject": notifications.Subject(PLACEMENT, placement.pk, f"№ {placement.pk}"),
            "url": reverse("care:placement", args=[placement.pk]),
            "mail_subject": subject,
        }
        stamp = f"{REVIEW}:overdue:{item.pk}:{item.due_on.isoformat()}"
        for person in people:
            sent += notifications.notify(
                key=f"{stamp}:user:{person.pk}", recipient=person, **common
            )
        if duty is not None:
            sent += notifications.notify(key=f"{stamp}:agency:{duty.pk}", agency=duty, **common)
    return sent


def _tell_agency(agency: Agency, key: str, text: str, institution_id: int, label: str) -> int:
    return int(
        notifications.notify(
            kind=KIND_OVERDUE,
            text=text,
            agency=agency,
            subject=notifications.Subject(INSTITUTION, institution_id, label),
            url=reverse("care:institution", args=[institution_id]),
            key=key,
            mail_subject=_("Ochag: a task is overdue"),
        )
    )


def follow_ups_overdue_escalate(rows: QuerySet[Incident], day: dt.date) -> int:
    sent = 0
    for incident in rows.select_related("institution", "follow_up_agency"):
        text = _(
            "The follow-up «%(task)s» of the incident of %(date)s (%(institution)s) was due "
            "on %(deadline)s and is overdue."
        ) % {
            "task": incident.follow_up,
            "date": incident.occurred_on.strftime("%d.%m.%Y"),
            "institution": incident.institution.name,
            "deadline": incident.due_on.strftime("%d.%m.%Y"),
        }
        key = f"{FOLLOW_UP}:overdue:{incident.pk}:{incident.due_on.isoformat()}"
        sent += _tell_agency(
            incident.follow_up_agency,
            f"{key}:agency:{incident.follow_up_agency_id}",
            text,
            incident.institution_id,
            incident.institution.name[:100],
        )
    return sent


def milestones_overdue_escalate(rows: QuerySet[Milestone], day: dt.date) -> int:
    sent = 0
    for milestone in rows.filter(owner_agency__isnull=False).select_related(
        "institution", "owner_agency"
    ):
        assert milestone.owner_agency is not None
        text = _(
            "The transformation milestone «%(title)s» (%(institution)s) was due on "
            "%(deadline)s and is overdue."
        ) % {
            "title": milestone.title,
            "institution": milestone.institution.name,
            "deadline": milestone.due_on.strftime("%d.%m.%Y"),
        }
        key = f"{MILESTONE}:overdue:{milestone.pk}:{milestone.due_on.isoformat()}"
        sent += _tell_agency(
            milestone.owner_agency,
            f"{key}:agency:{milestone.owner_agency_id}",
            text,
            milestone.institution_id,
            milestone.institution.name[:100],
        )
    return sent


def register() -> None:
    """Called from ``CareConfig.ready``. The coordinator's home-page lines for these kinds
    are care's own (:mod:`ochag.care.worklist`), with the same filters as the lists."""
    deadlines.register(
        deadlines.DeadlineKind(
            key=REVIEW,
            label=gettext_lazy("placement reviews"),
            model=AgendaItem,
            visible=lambda user: selectors.reviews_for(user, policies.placements.visible(user)),
            list_url=lambda: reverse("care:reviews") + "?due=overdue",
            active=lambda rows: rows.filter(placement__discharged_on__isnull=True),
            escalate=reviews_overdue_escalate,
            audit_action=CareAction.DEADLINES_CHECKED,
        )
    )
    deadlines.register(
        deadlines.DeadlineKind(
            key=FOLLOW_UP,
            label=gettext_lazy("incident follow-ups"),
            model=Incident,
            visible=policies.institutions.follow_ups,
            list_url=lambda: reverse("care:follow_ups") + "?due=overdue",
            escalate=follow_ups_overdue_escalate,
            audit_action=CareAction.DEADLINES_CHECKED,
        )
    )
    deadlines.register(
        deadlines.DeadlineKind(
            key=MILESTONE,
            label=gettext_lazy("transformation milestones"),
            model=Milestone,
            visible=policies.institutions.milestones,
            list_url=lambda: reverse("care:milestones") + "?due=overdue",
            escalate=milestones_overdue_escalate,
            audit_action=CareAction.DEADLINES_CHECKED,
        )
    )
