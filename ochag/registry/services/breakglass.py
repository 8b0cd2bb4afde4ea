"""Break-glass: emergency read access to a person or household outside one's work.

A user states why, gets read access to the one record for three hours (a household opens its
members too), and the regional coordinator and the agencies that work with the record are
told at once. Every use is an audit entry and a row the coordinator reviews
(«Журнал» → «Экстренный доступ»). The grant lives in the access app (ochag.access.models.
BreakGlass); the registry's policy counts a live one as involvement.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ochag.access.breakglass import GRANT_HOURS
from ochag.access.models import Agency, BreakGlass, BreakGlassKind, Role, TrustAction, User
from ochag.access.policies import region_q
from ochag.core.services import audit_record
from ochag.registry import involvement
from ochag.registry.models import Household, Membership, Person
from ochag.registry.policies import _reads_registry

if TYPE_CHECKING:
    from ochag.core.models import Territory

logger = logging.getLogger(__name__)

# A reason someone can review later: more than a word.
MIN_REASON = 15


def break_glass_target(*, actor: User, kind: str, record_id: int) -> Person | Household | None:
    """The record a grant may open: a current person or a household of the actor's region;
    None for anything else (the caller answers 404)."""
    if not _reads_registry(actor) or actor.role in (Role.FEDERAL_ANALYST,):
        return None
    if kind == BreakGlassKind.PERSON:
        rows = Person.objects.filter(merged_into__isnull=True)
    elif kind == BreakGlassKind.HOUSEHOLD:
        rows = Household.objects.all()  # type: ignore[assignment]
    else:
        return None
    return rows.filter(region_q(actor)).select_related("territory").filter(pk=record_id).first()


@transaction.atomic
def break_glass_open(*, actor: User, kind: str, record_id: int, reason: str) -> BreakGlass:
    """Open the record for ``GRANT_HOURS``; notify the coordinator and the record's owners."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ValidationError(
            _("Say why you need this record now, in at least %(n)s characters.")
            % {"n": MIN_REASON},
            code="reason",
        )
    record = break_glass_target(actor=actor, kind=kind, record_id=record_id)
    if record is None or actor.agency is None:
        raise ValidationError(_("There is no such record in your region."), code="absent")
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=actor, agency=actor.agency, kind=kind, record_id=record.pk,
        territory=record.territory, reason=reason, started_at=now,
        expires_at=now + dt.timedelta(hours=GRANT_HOURS),
    )  # fmt: skip
    owners = _owners(kind, record.pk)
    audit_record(
        actor=actor, action=TrustAction.BREAK_GLASS, obj=record, territory=record.territory,
        detail={"kind": kind, "record": record.pk, "reason": reason,
                "until": grant.expires_at.isoformat(), "owners": sorted(owners)},
    )  # fmt: skip
    _notify_on_commit(grant, _recipients(record.territory, owners))
    return grant


def _owners(kind: str, record_id: int) -> set[int]:
    if kind == BreakGlassKind.PERSON:
        homes = list(
            Membership.objects.filter(person_id=record_id).values_list("household_id", flat=True)
        )
        return involvement.owner_agency_ids(person_ids=[record_id], household_ids=homes)
    return involvement.owner_agency_ids(person_ids=[], household_ids=[record_id])


def _recipients(territory: Territory, owners: set[int]) -> list[str]:
    """The region's coordinators and the duty e-mail of each agency working with the record."""
    region = territory.region or territory
    coordinators = User.objects.filter(
        role=Role.REGIONAL_COORDINATOR, is_active=True,
        agency__territory__path__startswith=region.path,
    ).exclude(email="").values_list("email", flat=True)  # fmt: skip
    duty = Agency.objects.filter(pk__in=owners, is_active=True).exclude(email="")
    return sorted(set(coordinators) | set(duty.values_list("email", flat=True)))


def _notify_on_commit(grant: BreakGlass, addresses: list[str]) -> None:
    """One mail to each address after the commit; a mail outage never undoes the grant.

    TODO(house): when core's notification outbox lands, this becomes one call to it."""
    name = "registry:person_detail" if grant.kind == BreakGlassKind.PERSON else (
        "registry:household_detail"
    )  # fmt: skip
    link = settings.OCHAG_SITE_URL.rstrip("/") + reverse(name, args=[grant.record_id])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Ochag: emergency access to record № %(n)s") % {"n": grant.record_id}
        body = _(
            "%(who)s (%(agency)s) opened record № %(n)s by emergency access until %(until)s.\n"
            "Reason: %(reason)s\n\n%(link)s\n\n"
            "Every emergency access is listed for review under Audit log → Emergency access."
        ) % {
            "who": grant.user.get_full_name() or grant.user.username,
            "agency": grant.agency, "n": grant.record_id,
            "until": timezone.localtime(grant.expires_at).strftime("%d.%m.%Y %H:%M"),
            "reason": grant.reason, "link": link,
        }  # fmt: skip

    def send() -> None:
        for address in addresses:
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # a mail server outage must not undo the recorded access
                logger.exception("break-glass notice to %s failed", address)

    if addresses:
        transaction.on_commit(send)
