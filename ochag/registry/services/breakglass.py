"""Break-glass: emergency read access to a person or household outside one's work.

A user states why, gets read access to the one record for three hours (a household opens its
members too), and the regional coordinator and the agencies that work with the record are
told at once. Every use is an audit entry and a row the coordinator reviews
(«Журнал» → «Экстренный доступ»). The grant lives in the access app (ochag.access.models.
BreakGlass); the registry's policy counts a live one as involvement.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ochag.access import notifications
from ochag.access.breakglass import GRANT_HOURS
from ochag.access.models import Agency, BreakGlass, BreakGlassKind, Role, TrustAction, User
from ochag.access.policies import region_q
from ochag.core.services import audit_record
from ochag.registry import involvement
from ochag.registry.models import Household, Membership, Person
from ochag.registry.policies import _reads_registry

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
    _notify(grant, record, owners)
    return grant


def _owners(kind: str, record_id: int) -> set[int]:
    if kind == BreakGlassKind.PERSON:
        homes = list(
            Membership.objects.filter(person_id=record_id).values_list("household_id", flat=True)
        )
        return involvement.owner_agency_ids(person_ids=[record_id], household_ids=homes)
    return involvement.owner_agency_ids(person_ids=[], household_ids=[record_id])


def _notify(grant: BreakGlass, record: Person | Household, owners: set[int]) -> None:
    """Tell the region's coordinators and every agency working with the record (its duty
    address), in the inbox and by mail queued in this transaction. The text names the record
    by number and the staff member, not the family; the reason is in the report."""
    region = record.territory.region or record.territory
    coordinators = User.objects.filter(
        role=Role.REGIONAL_COORDINATOR, is_active=True,
        agency__territory__path__startswith=region.path,
    )  # fmt: skip
    page = "registry:person_detail" if grant.kind == BreakGlassKind.PERSON else (
        "registry:household_detail"
    )  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(who)s (%(agency)s) opened record № %(n)s by emergency access until %(until)s. "
            "The reason is in the audit log, under Emergency access."
        ) % {
            "who": grant.user.display_name, "agency": grant.agency, "n": grant.record_id,
            "until": timezone.localtime(grant.expires_at).strftime("%d.%m.%Y %H:%M"),
        }  # fmt: skip
        mail_subject = _("Ochag: emergency access to record № %(n)s") % {"n": grant.record_id}
    about = notifications.Subject.of(record, label=f"№ {record.pk}")
    url = reverse(page, args=[grant.record_id])

    def send(key: str, recipient: User | None = None, agency: Agency | None = None) -> None:
        notifications.notify(
            kind="registry.break_glass", text=text, recipient=recipient, agency=agency,
            subject=about, url=url, key=f"break_glass:{grant.pk}:{key}",
            mail_subject=mail_subject,
        )  # fmt: skip

    for user in coordinators:
        send(f"u{user.pk}", recipient=user)
    for agency in Agency.objects.filter(pk__in=owners, is_active=True):
        send(f"a{agency.pk}", agency=agency)
