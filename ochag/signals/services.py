"""Every write of the signals app: intake from all channels, triage, routing, deadlines,
queue actions, notifications, API tokens, drafts and bulk imports."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.access.models import Agency, Role, User
from ochag.core.calendar import add_working_days
from ochag.core.models import Territory
from ochag.core.services import audit_record
from ochag.registry.models import Membership
from ochag.signals import linking
from ochag.signals.models import (
    COLOUR_RANK,
    AgencyToken,
    Attachment,
    Basis,
    Channel,
    Colour,
    IdempotencyRecord,
    ImportJob,
    ImportStatus,
    Indicator,
    Notification,
    RateLimitHit,
    RegionSettings,
    RoutingRule,
    Signal,
    SignalAction,
    SignalDraft,
    SignalEvent,
    SignalIndicator,
    SignalSubject,
    SignalTask,
    Status,
    SubjectRole,
    TaskKind,
    Track,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}
# Magic numbers, so a renamed executable is not accepted as a PDF.
_MAGIC = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8",
    "image/png": b"\x89PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
PUBLIC_LIMIT_PER_HOUR = 5


# Triage ---------------------------------------------------------------------------------


def triage(indicators: Iterable[Indicator]) -> tuple[str, str]:
    """(colour, track) of a set of indicators.

    The colour is the most severe indicator's. The track follows only the non-poverty
    indicators: poverty-type (P) and yellow indicators alone always give SUPPORT, never a
    safety check (domain §6 guardrail: poverty triggers help, never removal).
    """
    items = list(indicators)
    if not items:
        raise ValidationError(_("Choose at least one indicator."))
    colour = max((i.colour for i in items), key=lambda c: COLOUR_RANK[Colour(c)])
    decisive = {i.colour for i in items if not i.poverty and i.colour != Colour.YELLOW}
    if Colour.RED in decisive:
        return colour, Track.SAFETY
    if Colour.AMBER in decisive:
        return colour, Track.ASSESSMENT
    return colour, Track.SUPPORT


def region_settings(region: Territory) -> RegionSettings:
    found = RegionSettings.objects.filter(region=region).first()
    return found if found is not None else RegionSettings(region=region)


def due_date_for(
    *,
    track: str,
    colour: str,
    territory: Territory,
    today: dt.date,
    conf: RegionSettings | None = None,
) -> dt.date:
    """Red (also urgent poverty needs like no food) is same day; otherwise the region's
    working-day deadline for the track."""
    if colour == Colour.RED:
        return add_working_days(today, 0, territory=territory)
    if conf is None:
        conf = region_settings(territory.region or territory)
    days = conf.assessment_days if track != Track.SUPPORT else conf.support_days
    return add_working_days(today, days, territory=territory)


def route(*, territory: Territory, track: str) -> Agency | None:
    """The competent body from the rules table: a municipality's own rule beats the region's."""
    region = territory.region or territory
    rules = list(
        RoutingRule.objects.filter(region=region, track=track)
        .filter(Q(territory=territory) | Q(territory__isnull=True))
        .select_related("agency")
    )
    rules.sort(key=lambda r: r.territory_id is None)
    for rule in rules:
        if rule.agency is not None and rule.agency.is_active:
            return rule.agency
        local = Agency.objects.filter(
            type=rule.agency_type, territory=territory, is_active=True
        ).first()
        if local is not None:
            return local
        regional = Agency.objects.filter(
            type=rule.agency_type, territory=region, is_active=True
        ).first()
        if regional is not None:
            return regional
    return None


def _urgency(signal: Signal) -> int:
    base = COLOUR_RANK[Colour(signal.colour)] * 10
    if signal.colour == Colour.RED and signal.taken_at is None and signal.track == Track.SAFETY:
        base += 50  # on top of every queue until someone takes it
    if signal.priority_raised:
        base += 5
    if signal.routed_to_id is None:
        base += 40  # no rule matched: near the top of the coordinator's queue until routed
    return base


# Intake ---------------------------------------------------------------------------------


@dataclass
class SubjectInput:
    role: str
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    birth_date: str = ""  # YYYY-MM-DD / YYYY-MM / YYYY
    snils: str = ""


@dataclass
class SignalInput:
    channel: str
    basis: str
    territory: Territory
    original_text: str
    indicator_codes: Sequence[str]
    address: str = ""
    subjects: list[SubjectInput] = field(default_factory=list)
    reporter_name: str = ""
    reporter_contact: str = ""
    source_key: str = ""
    received_at: dt.datetime | None = None
    observed_on: dt.date | None = None


def _validate(data: SignalInput, ctx: IntakeContext) -> list[Indicator]:
    errors: dict[str, list[str]] = {}
    if not data.original_text.strip():
        errors.setdefault("original_text", []).append(
            _("Describe what happened in your own words.")
        )
    indicators = ctx.indicators(data.indicator_codes)
    unknown = set(data.indicator_codes) - {i.code for i in indicators}
    if unknown:
        errors.setdefault("indicators", []).append(
            _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    elif not indicators:
        errors.setdefault("indicators", []).append(_("Choose at least one indicator."))
    if data.territory.level != Territory.Level.MUNICIPALITY:
        errors.setdefault("territory", []).append(_("Choose a municipality."))
    if data.channel == Channel.HELPLINE and (data.reporter_name or data.reporter_contact):
        errors.setdefault("reporter_name", []).append(
            _("A helpline signal never carries the caller's identity.")
        )
    if errors:
        raise ValidationError(errors)
    return indicators


class IntakeContext:
    """Look-ups that stay the same across the signals of one request or one import batch:
    the region's settings, its municipalities (the registry search scope), indicators and
    routing decisions. Signal-by-signal intake builds a fresh one each time."""

    def __init__(self, territory: Territory) -> None:
        self.region = territory.region or territory
        self.conf = region_settings(self.region)
        self.scope = linking.region_municipalities(self.region)
        self.linker = linking.Linker(self.scope)
        self._routes: dict[tuple[int, str], Agency | None] = {}
        self._due: dict[tuple[int, str, str, dt.date], dt.date] = {}
        self._indicators: dict[str, Indicator] | None = None

    def indicators(self, codes: Sequence[str]) -> list[Indicator]:
        if self._indicators is None:
            self._indicators = {i.code: i for i in Indicator.objects.all()}
        return [self._indicators[c] for c in dict.fromkeys(codes) if c in self._indicators]

    def due_date(self, territory: Territory, track: str, colour: str, today: dt.date) -> dt.date:
        key = (territory.pk, track, colour, today)
        if key not in self._due:
            self._due[key] = due_date_for(
                track=track, colour=colour, territory=territory, today=today, conf=self.conf
            )
        return self._due[key]

    def route(self, territory: Territory, track: str) -> Agency | None:
        key = (territory.pk, track)
        if key not in self._routes:
            self._routes[key] = route(territory=territory, track=track)
        return self._routes[key]


@transaction.atomic
def signal_create(
    *,
    actor: User | None,
    data: SignalInput,
    attachments: Sequence[UploadedFile] = (),
    quiet: bool = False,
    agency: Agency | None = None,
    context: IntakeContext | None = None,
) -> Signal:
    """Record a signal from any channel, link its subjects, route it and set its deadline.

    Everything the signal row needs (links, household, repeats, route, deadline, urgency) is
    worked out before the single INSERT; the dependent rows are bulk-inserted after it.
    ``quiet`` (bulk import) leaves the per-signal queue notice out, except for red signals;
    the import sends one summary per agency instead. ``context`` lets a batch share
    look-ups; it must belong to the signal's region.
    """
    ctx = context or IntakeContext(data.territory)
    indicators = _validate(data, ctx)
    colour, track = triage(indicators)
    now = timezone.now()
    # The API passes the token's agency; staff report for their own agency; citizens for none.
    if agency is None and actor is not None and data.channel != Channel.PUBLIC:
        agency = actor.agency
    signal = Signal(
        channel=data.channel,
        basis=data.basis,
        received_at=data.received_at or now,
        reporting_agency=agency,
        reporter=actor if data.channel in (Channel.STAFF, Channel.BULK) else None,
        reporter_name=data.reporter_name.strip(),
        reporter_contact=data.reporter_contact.strip(),
        territory=data.territory,
        address=data.address.strip(),
        original_text=data.original_text,
        colour=colour,
        track=track,
        source_key=data.source_key,
    )
    # Foreign keys come from looked-up objects, so only the field values and the model's
    # invariants are checked (no existence queries).
    signal.clean_fields(
        exclude=["due_date"] + [f.name for f in Signal._meta.fields if f.is_relation]
    )
    signal.clean()
    subjects = _link_subjects(signal, data.subjects, actor=actor, ctx=ctx)
    earlier = _family_signal_ids(signal, subjects)
    recent = _recent_count(signal, earlier, ctx)
    signal.priority_raised = recent >= ctx.conf.repeat_threshold
    signal.routed_to = ctx.route(signal.territory, track)
    signal.due_date = ctx.due_date(signal.territory, track, colour, timezone.localdate(now))
    signal.urgency = _urgency(signal)
    signal.save(force_insert=True)
    SignalIndicator.objects.bulk_create(
        [
            SignalIndicator(signal=signal, indicator=i, observed_on=data.observed_on)
            for i in indicators
        ]
    )
    for row in subjects:
        row.signal = signal
    SignalSubject.objects.bulk_create(subjects)
    for upload in attachments:
        attachment_add(signal=signal, upload=upload)
    if signal.routed_to is not None:
        _task_create(signal, signal.routed_to)
        SignalEvent.objects.create(
            signal=signal, action=SignalAction.ROUTED, actor=actor, agency=signal.routed_to
        )
    audit_record(
        actor=actor,
        action=SignalAction.RECEIVED,
        obj=signal,
        territory=signal.territory,
        detail={"channel": signal.channel, "colour": colour, "track": track},
    )
    if signal.priority_raised:
        audit_record(
            actor=None,
            action=SignalAction.PRIORITY_RAISED,
            obj=signal,
            territory=signal.territory,
            detail={"signals_in_window": recent},
        )
    if earlier:
        _share_with_watchers(signal, earlier)
    if not quiet or signal.colour == Colour.RED:
        _notify_new(signal)
    return signal


def _link_subjects(
    signal: Signal, subjects: Sequence[SubjectInput], *, actor: User | None, ctx: IntakeContext
) -> list[SignalSubject]:
    """Subject rows linked to the registry (not saved yet) and the signal's household."""
    rows = []
    for s in subjects:
        row = SignalSubject(
            role=s.role,
            last_name=s.last_name.strip(),
            first_name=s.first_name.strip(),
            patronymic=s.patronymic.strip(),
            birth_date=s.birth_date,
        )
        if row.last_name and row.first_name:
            result = ctx.linker.resolve(
                last_name=row.last_name,
                first_name=row.first_name,
                patronymic=row.patronymic,
                birth_date=s.birth_date,
                snils=s.snils,
                territory=signal.territory,
                actor=actor,
                reason=f"signal {signal.number} ({signal.channel})",
            )
            row.person, row.decision, row.candidates = (
                result.person,
                result.decision,
                result.candidates,
            )
        rows.append(row)
    # A person the registry has just created belongs to no household yet.
    known = [r.person_id for r in rows if r.person_id is not None and r.decision == "link"]
    if known:
        membership = (
            Membership.objects.filter(person_id__in=known, until__isnull=True)
            .order_by("role")
            .values_list("household_id", flat=True)
            .first()
        )
        if membership is not None:
            signal.household_id = membership
    return rows


def _family_signal_ids(
    signal: Signal, subjects: Sequence[SignalSubject]
) -> list[tuple[int, dt.datetime]]:
    """(id, received_at) of earlier signals about the same children or household, in one
    query; none when every child is new to the registry and there is no household."""
    children = [
        r.person_id
        for r in subjects
        if r.role == SubjectRole.CHILD and r.person_id is not None and r.decision == "link"
    ]
    condition = Q(subjects__person_id__in=children) if children else Q()
    if signal.household_id is not None:
        condition |= Q(household_id=signal.household_id)
    if not condition:
        return []
    return list(
        Signal.objects.filter(condition).values_list("pk", "received_at").distinct().order_by()
    )


def _recent_count(
    signal: Signal, earlier: Sequence[tuple[int, dt.datetime]], ctx: IntakeContext
) -> int:
    """Signals about the family within the region's window, this one included."""
    since = signal.received_at - dt.timedelta(days=ctx.conf.repeat_window_days)
    return 1 + sum(1 for _pk, at in earlier if at >= since)


def _share_with_watchers(signal: Signal, earlier: Sequence[tuple[int, dt.datetime]]) -> None:
    """Staff on the family's earlier signals are told and can see the new one."""
    ids = [pk for pk, _at in earlier]
    watchers = dict(
        User.objects.filter(Q(signals_assigned__in=ids) | Q(signals_shared__in=ids), is_active=True)
        .values_list("pk", "email")
        .distinct()
    )
    if not watchers:
        return
    signal.shared_with.add(*watchers)
    text = _("New signal %(number)s about a family you work with.") % {"number": signal.number}
    Notification.objects.bulk_create(
        [Notification(user_id=u, signal=signal, text=text) for u in watchers]
    )
    _mail_on_commit(signal, [e for e in watchers.values() if e], text)


def _task_create(signal: Signal, agency: Agency) -> SignalTask:
    kind = {
        Track.SAFETY: TaskKind.SAFETY_CHECK,
        Track.ASSESSMENT: TaskKind.ASSESSMENT,
        Track.SUPPORT: TaskKind.SUPPORT_OFFER,
    }[Track(signal.track)]
    if signal.due_date is None:
        raise ValueError("a signal gets its deadline before its task")
    task = SignalTask(signal=signal, kind=kind, agency=agency, due_date=signal.due_date)
    task.clean()  # the support-never-leads-to-a-safety-check invariant
    task.save(force_insert=True)
    return task


def _coordinators(territory: Territory) -> QuerySet[User]:
    region = territory.region or territory
    return User.objects.filter(
        role=Role.REGIONAL_COORDINATOR, agency__territory=region, is_active=True
    )


def _notify_unrouted(signal: Signal) -> None:
    """No routing rule matched: the region's coordinators must route it by hand."""
    text = _("Signal %(number)s matched no routing rule: choose the body to send it to.") % {
        "number": signal.number
    }
    coordinators = list(_coordinators(signal.territory).values_list("pk", "email"))
    Notification.objects.bulk_create(
        [Notification(user_id=pk, signal=signal, text=text) for pk, _email in coordinators]
    )
    if signal.colour == Colour.RED:
        _mail_on_commit(signal, [email for _pk, email in coordinators if email], text)


def _notify_new(signal: Signal) -> None:
    agency = signal.routed_to
    if agency is None:
        _notify_unrouted(signal)
        return
    if signal.colour == Colour.RED:
        text = _("Red signal %(number)s: immediate danger, safety check today.") % {
            "number": signal.number
        }
        if signal.track == Track.SUPPORT:
            text = _("Red signal %(number)s: urgent support needed today.") % {
                "number": signal.number
            }
    else:
        text = _("New signal %(number)s in your queue.") % {"number": signal.number}
    staff = list(agency.staff.filter(is_active=True).values_list("pk", flat=True))
    Notification.objects.bulk_create(
        [Notification(user_id=u, signal=signal, text=text) for u in staff]
    )
    if signal.colour == Colour.RED and agency.email:
        # The duty officer reads the agency mailbox.
        _mail_on_commit(signal, [agency.email], text)


def _mail_on_commit(signal: Signal, recipients: list[str], text: str) -> None:
    if not recipients:
        return
    path = reverse("signals:detail", args=[signal.pk])
    # No personal data in e-mail: only the number and a link to sign in.
    body = _("%(text)s\n\nOpen it in Ochag: %(path)s") % {"text": text, "path": path}
    transaction.on_commit(lambda: send_mail(text, body, None, recipients, fail_silently=False))


def attachment_add(*, signal: Signal, upload: UploadedFile) -> Attachment:
    content_type = (upload.content_type or "").split(";")[0].strip()
    if content_type not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "attachments": [
                    _("File %(name)s: only PDF, JPEG, PNG, DOCX or TXT files can be attached.")
                    % {"name": upload.name}
                ]
            }
        )
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": [_("File %(name)s is larger than 10 MB.") % {"name": upload.name}]}
        )
    head = upload.read(8)
    upload.seek(0)
    magic = _MAGIC.get(content_type)
    if magic is not None and not head.startswith(magic):
        raise ValidationError(
            {"attachments": [_("File %(name)s is not what its type says.") % {"name": upload.name}]}
        )
    name = (upload.name or "file")[-200:]
    attachment = Attachment(
        signal=signal, name=name, content_type=content_type, size=upload.size or 0
    )
    attachment.file.save(
        f"{secrets.token_hex(16)}{ALLOWED_ATTACHMENT_TYPES[content_type]}", upload, save=False
    )
    attachment.save()
    return attachment


# Queue actions --------------------------------------------------------------------------


def _event(
    signal: Signal, action: str, actor: User, reason: str = "", agency: Agency | None = None
) -> None:
    SignalEvent.objects.create(
        signal=signal, action=action, actor=actor, agency=agency, reason=reason
    )
    audit_record(
        actor=actor, action=action, obj=signal, detail={"reason": reason} if reason else None
    )


@transaction.atomic
def signal_assign(*, actor: User, signal: Signal, assignee: User) -> Signal:
    if assignee.agency_id != signal.routed_to_id or not assignee.is_active:
        raise ValidationError(
            {"assignee": [_("Choose a member of the agency the signal is routed to.")]}
        )
    signal.assignee = assignee
    signal.status = Status.ASSIGNED
    signal.save(update_fields=["assignee", "status"])
    _event(signal, SignalAction.ASSIGNED, actor, agency=signal.routed_to)
    if assignee != actor:
        Notification.objects.create(
            user=assignee,
            signal=signal,
            text=_("Signal %(number)s is assigned to you.") % {"number": signal.number},
        )
    return signal


@transaction.atomic
def signal_accept(*, actor: User, signal: Signal) -> Signal:
    """The body takes the signal on: it stops being an untaken red signal."""
    signal.status = Status.ACCEPTED
    signal.assignee = signal.assignee or actor
    signal.taken_at = timezone.now()
    signal.urgency = _urgency(signal)
    signal.save(update_fields=["status", "assignee", "taken_at", "urgency"])
    _event(signal, SignalAction.ACCEPTED, actor, agency=signal.routed_to)
    return signal


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason.strip()


@transaction.atomic
def signal_return(*, actor: User, signal: Signal, reason: str) -> Signal:
    reason = _require_reason(reason)
    signal.status = Status.RETURNED
    signal.save(update_fields=["status"])
    _event(signal, SignalAction.RETURNED, actor, reason=reason, agency=signal.reporting_agency)
    if signal.reporter_id is not None:
        Notification.objects.create(
            user_id=signal.reporter_id,
            signal=signal,
            text=_("Signal %(number)s was returned to you.") % {"number": signal.number},
        )
    return signal


@transaction.atomic
def signal_forward(*, actor: User, signal: Signal, agency: Agency, reason: str) -> Signal:
    reason = _require_reason(reason)
    if agency.pk == signal.routed_to_id:
        raise ValidationError({"agency": [_("The signal is already with this agency.")]})
    if track_forbids(signal, agency):
        raise ValidationError(
            {"agency": [_("A support signal can only go to a body that offers support.")]}
        )
    signal.routed_to = agency
    signal.assignee = None
    signal.status = Status.NEW
    signal.urgency = _urgency(signal)
    signal.save(update_fields=["routed_to", "assignee", "status", "urgency"])
    moved = SignalTask.objects.filter(signal=signal, done_at__isnull=True).update(agency=agency)
    if not moved and not signal.tasks.exists():
        # Routed by hand after no rule matched: the deadline task starts now.
        _task_create(signal, agency)
    _event(signal, SignalAction.FORWARDED, actor, reason=reason, agency=agency)
    _notify_new(signal)
    return signal


def track_forbids(signal: Signal, agency: Agency) -> bool:
    """A support-only signal never goes to the police; guardianship may offer support, so it
    is allowed, but no safety task ever exists for it (see SignalTask.clean)."""
    return signal.track == Track.SUPPORT and agency.type == "police"


# Routing rules --------------------------------------------------------------------------


@transaction.atomic
def routing_rule_save(*, actor: User, rule: RoutingRule) -> RoutingRule:
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action=SignalAction.RULE_CHANGED,
        obj=rule,
        territory=rule.region,
        detail={
            "track": rule.track,
            "agency_type": rule.agency_type,
            "agency": rule.agency_id,
            "territory": rule.territory_id,
        },
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, actor: User, rule: RoutingRule) -> None:
    audit_record(
        actor=actor,
        action=SignalAction.RULE_CHANGED,
        obj=rule,
        territory=rule.region,
        detail={"deleted": True},
    )
    rule.delete()


# Notifications --------------------------------------------------------------------------


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Drafts ---------------------------------------------------------------------------------


def draft_save(*, user: User, data: dict[str, Any], step: int) -> SignalDraft:
    draft, _created = SignalDraft.objects.update_or_create(
        user=user, defaults={"data": data, "step": step}
    )
    return draft


def draft_discard(*, user: User) -> None:
    SignalDraft.objects.filter(user=user).delete()


# Public form rate limit -----------------------------------------------------------------


def _address_key(address: str) -> str:
    # Keyed hash: the table never holds citizens' addresses.
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def public_rate_limited(*, address: str, limit: int = PUBLIC_LIMIT_PER_HOUR) -> bool:
    since = timezone.now() - dt.timedelta(hours=1)
    return RateLimitHit.objects.filter(key=_address_key(address), at__gte=since).count() >= limit


def public_rate_hit(*, address: str) -> None:
    now = timezone.now()
    RateLimitHit.objects.filter(at__lt=now - dt.timedelta(hours=2)).delete()
    RateLimitHit.objects.create(key=_address_key(address), at=now)


# API tokens and idempotency -------------------------------------------------------------


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def agency_token_issue(*, actor: User | None, agency: Agency, name: str) -> tuple[AgencyToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = "och_" + secrets.token_urlsafe(32)
    token = AgencyToken.objects.create(
        agency=agency, name=name, prefix=raw[4:12], key_hash=token_hash(raw)
    )
    audit_record(
        actor=actor, action=SignalAction.TOKEN_ISSUED, obj=token, territory=agency.territory
    )
    return token, raw


def token_authenticate(raw: str) -> AgencyToken | None:
    if not raw:
        return None
    return (
        AgencyToken.objects.select_related("agency", "agency__territory")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, agency__is_active=True)
        .first()
    )


def idempotency_lookup(*, token: AgencyToken, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(token=token, key=key).first()


def idempotency_store(
    *, token: AgencyToken, key: str, body_hash: str, status_code: int, response: dict[str, Any]
) -> IdempotencyRecord:
    """Store inside the transaction that created the signal: a concurrent retry with the same
    key fails on the unique constraint and rolls its own signal back."""
    return IdempotencyRecord.objects.create(
        token=token, key=key, body_hash=body_hash, status_code=status_code, response=response
    )


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def is_unique_violation(exc: IntegrityError) -> bool:
    return "unique" in str(exc).lower() or "duplicate" in str(exc).lower()


# Bulk import ----------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "фамилия": "last_name",
    "имя": "first_name",
    "отчество": "patronymic",
    "дата рождения": "birth_date",
    "муниципалитет": "territory",
    "адрес": "address",
    "показатели": "indicators",
    "описание": "text",
}
REQUIRED_IMPORT_COLUMNS = ("last_name", "first_name", "birth_date", "indicators")
# Rows per transaction; progress is saved after each batch.
IMPORT_BATCH = 500


def file_digest(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(*, actor: User, upload: UploadedFile) -> tuple[ImportJob, bool]:
    """Store the file and queue the job. The same file from the same agency returns the
    earlier job instead: re-uploading creates nothing twice."""
    if actor.agency is None:
        raise ValidationError({"file": [_("Only staff of an agency can upload signals.")]})
    name = (upload.name or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise ValidationError({"file": [_("Upload a CSV or XLSX file.")]})
    if (upload.size or 0) > 50 * 1024 * 1024:
        raise ValidationError({"file": [_("The file is larger than 50 MB.")]})
    digest = file_digest(upload)
    existing = ImportJob.objects.filter(agency=actor.agency, file_hash=digest).first()
    if existing is not None:
        return existing, False
    job = ImportJob(
        agency=actor.agency, user=actor, file_name=(upload.name or "")[-200:], file_hash=digest
    )
    job.file.save(
        f"{secrets.token_hex(16)}{'.xlsx' if name.endswith('.xlsx') else '.csv'}",
        upload,
        save=False,
    )
    job.save()
    audit_record(
        actor=actor,
        action=SignalAction.IMPORT_STARTED,
        obj=job,
        territory=actor.agency.territory,
        object_label=job.file_name,
    )
    return job, True


def _read_rows(job: ImportJob) -> list[list[str]]:
    path = job.file.path
    if path.endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
        workbook.close()
        return rows
    import csv

    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        return [row for row in csv.reader(fh, delimiter=delimiter)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _parse_birth(text: str) -> str:
    """ДД.ММ.ГГГГ (or ISO) to YYYY-MM-DD; ValueError with a Russian message otherwise."""
    text = text.strip()
    try:
        if "." in text:
            return dt.datetime.strptime(text, "%d.%m.%Y").date().isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            _("date of birth %(value)s is not a valid date (ДД.ММ.ГГГГ)") % {"value": text}
        ) from None


def import_job_run(*, job_id: int) -> ImportJob:
    """Process the file row by row. A bad row never stops the others and always ends up in
    the error report; a row already imported (same natural key) is counted, not repeated."""
    job = ImportJob.objects.select_related("agency", "agency__territory", "user").get(pk=job_id)
    if job.status == ImportStatus.DONE:
        return job
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        rows = _read_rows(job)
    except Exception as exc:
        job.status, job.errors = (
            ImportStatus.FAILED,
            [[0, _("The file cannot be read: %(error)s") % {"error": exc}]],
        )
        job.finished_at = timezone.now()
        job.save()
        return job
    header = [c.strip().lower() for c in rows[0]] if rows else []
    columns = {IMPORT_COLUMNS[h]: i for i, h in enumerate(header) if h in IMPORT_COLUMNS}
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in columns]
    if missing:
        names = {v: k for k, v in IMPORT_COLUMNS.items()}
        job.status = ImportStatus.FAILED
        job.errors = [
            [
                1,
                _("Missing columns: %(cols)s")
                % {"cols": ", ".join(names[m].capitalize() for m in missing)},
            ]
        ]
        job.finished_at = timezone.now()
        job.save()
        return job
    body = rows[1:]
    job.total = len(body)
    job.save(update_fields=["total"])
    ctx = _ImportContext(job)
    errors: list[list[Any]] = list(job.errors)
    seen: set[str] = set()
    # Resumed after a worker restart: rows already processed are skipped.
    for start in range(job.processed, len(body), IMPORT_BATCH):
        _import_batch(ctx, body, start, columns, errors, seen)
        job.processed = min(start + IMPORT_BATCH, len(body))
        job.errors = errors
        job.save(update_fields=["processed", "created", "duplicates", "errors"])
    job.errors = errors
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
        audit_record(
            actor=job.user,
            action=SignalAction.IMPORT_FINISHED,
            obj=job,
            territory=job.agency.territory,
            object_label=job.file_name,
            detail={"created": job.created, "duplicates": job.duplicates, "errors": len(errors)},
        )
        Notification.objects.create(
            user=job.user,
            text=_(
                "Import of %(name)s finished: %(created)s created, %(dup)s already imported, "
                "%(err)s errors."
            )
            % {
                "name": job.file_name,
                "created": job.created,
                "dup": job.duplicates,
                "err": len(errors),
            },
        )
        for agency_id, count in ctx.routed.items():
            staff = User.objects.filter(agency_id=agency_id, is_active=True).values_list(
                "pk", flat=True
            )
            text = ngettext(
                "%(count)s new signal from an import in your queue.",
                "%(count)s new signals from an import in your queue.",
                count,
            ) % {"count": count}
            Notification.objects.bulk_create([Notification(user_id=u, text=text) for u in staff])
    return job


def _flatten(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]


class _ImportContext:
    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.actor = job.user
        self.territories: dict[str, Territory] = {}
        region = job.agency.territory.region or job.agency.territory
        for t in Territory.objects.filter(
            path__startswith=region.path, level=Territory.Level.MUNICIPALITY
        ):
            self.territories[t.name.lower()] = t
            if t.oktmo:
                self.territories[t.oktmo] = t
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.indicators.update({i.name_ru.lower(): i for i in self.indicators.values()})
        self.routed: dict[int, int] = {}
        self.intake = IntakeContext(region)


def _import_batch(
    ctx: _ImportContext,
    body: list[list[str]],
    start: int,
    columns: dict[str, int],
    errors: list[list[Any]],
    seen: set[str],
) -> None:
    """One transaction for a batch of rows, one query for the batch's known rows; a bad row
    is rolled back to its own savepoint and reported, the others go on."""
    parsed: list[tuple[int, SignalInput]] = []
    for number, row in enumerate(body[start : start + IMPORT_BATCH], start=start + 2):
        try:
            parsed.append((number, _parse_row(ctx, row, columns)))
        except ValueError as exc:
            errors.append([number, str(exc)])
    known = set(
        Signal.objects.filter(
            reporting_agency=ctx.job.agency, source_key__in=[d.source_key for _n, d in parsed]
        ).values_list("source_key", flat=True)
    )
    job = ctx.job
    with transaction.atomic():
        # One candidate query for the batch's children; one scorer shared by its rows.
        ctx.intake.linker = linking.Linker(ctx.intake.scope)
        ctx.intake.linker.prefetch(
            [
                linking.query_record(
                    s.last_name, s.first_name, s.patronymic, s.birth_date, s.snils, d.territory.pk
                )
                for _n, d in parsed
                for s in d.subjects
            ]
        )
        for number, data in parsed:
            if data.source_key in known or data.source_key in seen:
                job.duplicates += 1
                continue
            seen.add(data.source_key)
            try:
                with transaction.atomic():
                    signal = signal_create(
                        actor=ctx.actor, data=data, quiet=True, context=ctx.intake
                    )
            except ValidationError as exc:
                errors.append([number, "; ".join(_flatten(exc))])
                ctx.intake.linker = linking.Linker(ctx.intake.scope)  # forget rolled-back persons
                continue
            except IntegrityError:
                job.duplicates += 1  # the same row arrived at once from another worker
                ctx.intake.linker = linking.Linker(ctx.intake.scope)
                continue
            job.created += 1
            if signal.routed_to_id is not None:
                ctx.routed[signal.routed_to_id] = ctx.routed.get(signal.routed_to_id, 0) + 1


def _parse_row(ctx: _ImportContext, row: list[str], columns: dict[str, int]) -> SignalInput:
    def get(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) and row[index] else ""

    last, first = get("last_name"), get("first_name")
    if not last or not first:
        raise ValueError(_("surname and first name are required"))
    birth = _parse_birth(get("birth_date")) if get("birth_date") else ""
    if not birth:
        raise ValueError(_("date of birth is required"))
    territory_name = get("territory").lower()
    territory = ctx.territories.get(territory_name) if territory_name else ctx.job.agency.territory
    if territory is None or territory.level != Territory.Level.MUNICIPALITY:
        raise ValueError(_("unknown municipality %(value)s") % {"value": get("territory")})
    codes = []
    for token in get("indicators").replace(",", ";").split(";"):
        token = token.strip().lower()
        if not token:
            continue
        indicator = ctx.indicators.get(token)
        if indicator is None:
            raise ValueError(_("unknown indicator %(value)s") % {"value": token})
        codes.append(indicator.code)
    if not codes:
        raise ValueError(_("at least one indicator is required"))
    text = get("text") or _("Imported from %(file)s") % {"file": ctx.job.file_name}
    natural = "|".join(
        [
            last.lower(),
            first.lower(),
            get("patronymic").lower(),
            birth,
            str(territory.pk),
            ",".join(sorted(codes)),
            text,
        ]
    )
    key = hashlib.sha256(natural.encode()).hexdigest()
    return SignalInput(
        channel=Channel.BULK,
        basis=Basis.DUTY_ART9,
        territory=territory,
        original_text=text,
        indicator_codes=codes,
        address=get("address"),
        source_key=key,
        subjects=[
            SubjectInput(
                role=SubjectRole.CHILD,
                last_name=last,
                first_name=first,
                patronymic=get("patronymic"),
                birth_date=birth,
            )
        ],
    )
