"""The staff-training register's indicator: specialists who completed a course in the
period, by agency (domain §11 item 18). The register is monitoring's own table; the
specialists are the access app's users."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ochag.access.models import User
from ochag.monitoring.indicators import FLOW, Count, Dimension, RecordKind
from ochag.monitoring.models import TrainingRecord
from ochag.monitoring.periods import Window

STAFF = "staff"


def specialists_in(path: str) -> models.QuerySet[User]:
    """Staff of the agencies of the territory who have any training record."""
    return User.objects.filter(
        agency__territory__path__startswith=path,
        pk__in=TrainingRecord.objects.values("specialist_id"),
    ).select_related("agency")


def trained_q(window: Window) -> Q:
    done = TrainingRecord.objects.filter(
        completed_on__gte=window.start.date(), completed_on__lt=window.end.date()
    )
    return Q(pk__in=done.values("specialist_id"))


def _url(user: Any) -> str:
    return reverse("monitoring:training") + f"?specialist={user.pk}"


SPECIALIST_RECORD = RecordKind(
    columns=[
        (_("Specialist"), "last_name"),
        (_("Agency"), "agency__name"),
        (_("Role"), "role"),
    ],
    default_sort="last_name",
    cells=lambda u: [u.display_name, str(u.agency), u.get_role_display()],
    url=_url,
)

SPECIALISTS_TRAINED = Count(
    code="specialists_trained",
    section=STAFF,
    name=_("Specialists trained"),
    unit=_("specialists"),
    formula=_("Staff who completed at least one course in the period, by their agency"),
    sources=_("Staff-training register"),
    kind=FLOW,
    up_is_good=True,
    base=specialists_in,
    condition=trained_q,
    territory_field="agency__territory",
    record=SPECIALIST_RECORD,
    dimensions=[Dimension("agency", _("Agency"), "agency", label_field="agency__name")],
)
