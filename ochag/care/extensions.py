"""What care adds to the apps below it, registered in ``CareConfig.ready``:

* the registry's need-to-know: the children a user's care work concerns (the placements the
  placement policy shows), and the agencies working with them (for break-glass notices);
* a «In institutions» section on a person's card: the person's placements the user sees;
* the family's case timeline: admissions, discharges and the commission's confirmed
  decisions on the children of the case's household, as far as the placement policy shows
  them to the reader (a case worker who is not the placing body, the institution, the
  overseer or the coordinator sees no placement there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.care import policies
from ochag.care.models import AgendaItem, Placement
from ochag.cases.extensions import Event
from ochag.cases.models import Case
from ochag.core.policies import Action
from ochag.registry.extensions import CardRow, CardSection, PersonContext
from ochag.registry.involvement import Involvement, Provider, households_of


def involvement(user: User) -> Involvement:
    return Involvement(persons=policies.placements.visible(user).values("child_id"))


def owners(person_ids: list[int], household_ids: list[int]) -> Iterable[int]:
    homes = households_of(person_ids)
    about = (
        Q(child_id__in=person_ids) | Q(household_id__in=household_ids) | Q(household_id__in=homes)
    )
    found: set[int] = set()
    for row in Placement.objects.filter(about).values_list(
        "institution__agency_id", "placing_agency_id", "overseer__agency_id"
    ):
        found.update(agency for agency in row if agency is not None)
    return found


provider = Provider(name="care", involvement=involvement, owners=owners)


def card_section(user: User, context: PersonContext) -> CardSection | None:
    if not policies.placements.allows(user, Action.VIEW) or not user.sees_personal_data:
        return None
    rows = (
        policies.placements.visible(user)
        .filter(child=context.person)
        .select_related("institution")
        .order_by("-admitted_on")[:10]
    )
    return CardSection(
        _("In institutions"),
        [
            CardRow(
                p.institution.name,
                reverse("care:placement", args=[p.pk]),
                _("from %(date)s") % {"date": p.admitted_on.strftime("%d.%m.%Y")},
                badge=p.get_outcome_display() if p.discharged_on else str(_("In care")),
                tone="grey" if p.discharged_on else "blue",
            )
            for p in rows
        ],
        empty=_("Not placed in an institution."),
        order=60,
    )


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def timeline(user: User, case: Case) -> list[Event]:
    """The placements of the case's children that the care policy shows ``user``."""
    placements = (
        policies.placements.visible(user)
        .filter(Q(family_case=case) | Q(household_id=case.household_id))
        .select_related("child", "institution", "placing_agency")
    )
    events = []
    for p in placements:
        events.append(
            Event(
                _("%(child)s placed in %(institution)s: %(ground)s")
                % {
                    "child": p.child,
                    "institution": p.institution,
                    "ground": p.get_ground_display(),
                },
                "",
                str(p.placing_agency),
                _moment(p.admitted_on),
            )
        )
        if p.discharged_on:
            events.append(
                Event(
                    _("%(child)s left %(institution)s: %(outcome)s")
                    % {
                        "child": p.child,
                        "institution": p.institution,
                        "outcome": p.get_outcome_display(),
                    },
                    "",
                    str(p.institution),
                    _moment(p.discharged_on),
                )
            )
    reviews = AgendaItem.objects.filter(
        placement__in=placements, done_on__isnull=False
    ).select_related("placement__child", "sitting__commission")
    for r in reviews:
        events.append(
            Event(
                _("Placement commission on %(child)s: %(decision)s")
                % {"child": r.placement.child, "decision": r.get_decision_display()},
                "",
                str(r.sitting.commission) if r.sitting else "",
                _moment(r.done_on),  # type: ignore[arg-type]
                r.reasons,
            )
        )
    return events
