"""Intake of signals from every channel: validate, triage, link, route, set the deadline.

One pipeline serves a single signal (staff form, helpline, public form, API) and a batch of
hundreds (bulk import): :func:`signals_create_many` works out everything a batch needs with a
handful of queries (one candidate query per 50 reported people, one for households, one for
the families' earlier signals) and writes each table with one INSERT per batch. A signal
alone costs the same statements as a batch of one.

What changes only when an administrator changes it (the region's settings, municipalities,
indicators, routing decisions, deadlines from the calendar) is cached per process in a
:class:`RegionConfig`, checked against the configuration generation on every intake (one
query): any save or delete of those models changes the generation in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, Role, User
from ochag.core.calendar import add_working_days
from ochag.core.combining import Combiner
from ochag.core.inserts import insert_many
from ochag.core.models import AuditEvent, Territory
from ochag.core.request_context import current_request_id
from ochag.core.services import audit_event, audit_record_many
from ochag.linkage import parse_date, person_search_keys
from ochag.registry.models import Membership
from ochag.registry.services import NewPerson, person_create_many, person_prepare
from ochag.signals import linking
from ochag.signals.models import (
    COLOUR_RANK,
    AgencyToken,
    Attachment,
    Channel,
    Colour,
    ConfigGeneration,
    IdempotencyRecord,
    Indicator,
    Notification,
    RegionSettings,
    RoutingRule,
    Signal,
    SignalAction,
    SignalEvent,
    SignalIndicator,
    SignalSubject,
    SignalTask,
    SubjectRole,
    TaskKind,
    Track,
)
from ochag.signals.tasks import send_notice

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


# Triage, deadlines, routing -------------------------------------------------------------


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


def urgency(signal: Signal) -> int:
    base = COLOUR_RANK[Colour(signal.colour)] * 10
    if signal.colour == Colour.RED and signal.taken_at is None and signal.track == Track.SAFETY:
        base += 50  # on top of every queue until someone takes it
    if signal.priority_raised:
        base += 5
    if signal.routed_to_id is None:
        base += 40  # no rule matched: near the top of the coordinator's queue until routed
    return base


# The per-process configuration cache ----------------------------------------------------


def config_generation() -> str:
    """The current configuration generation. A database without one (new, or flushed by a
    test) gets a fresh random value, so no cache built on another database is ever reused."""
    # Asked on every intake: a plain statement costs a tenth of the ORM's query compilation.
    table = connection.ops.quote_name(ConfigGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")  # noqa: S608 (model's table)
        row = cursor.fetchone()
    value = row[0] if row else None
    if value is None:
        value = ConfigGeneration.objects.get_or_create(pk=1, defaults={"value": _fresh()})[0].value
    return value


def config_changed(**_kwargs: Any) -> None:
    """Receiver for saves and deletes of what :class:`RegionConfig` caches; runs inside the
    change's transaction, so a rolled-back change leaves the generation as it was."""
    ConfigGeneration.objects.update_or_create(pk=1, defaults={"value": _fresh()})


def _fresh() -> str:
    # Random rather than a counter: a rolled-back change must never be able to reproduce a
    # generation some process already cached.
    return uuid.uuid4().hex


class RegionConfig:
    """A region's intake configuration. Built on demand; decisions are memoised."""

    def __init__(self, territory: Territory, generation: str) -> None:
        self.generation = generation
        self.region = territory.region or territory
        self.conf = region_settings(self.region)
        municipalities = list(
            Territory.objects.filter(
                path__startswith=self.region.path, level=Territory.Level.MUNICIPALITY
            )
        )
        self.municipalities = municipalities
        self.scope = [t.pk for t in municipalities]
        # Only ever filtered further (cloned), never evaluated: safe to share between threads.
        self.persons = linking.search_scope(self.scope)
        self._by_name = {t.name: t for t in municipalities}
        self._by_oktmo = {t.oktmo: t for t in municipalities if t.oktmo}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self._routes: dict[tuple[int, str], Agency | None] = {}
        self._due: dict[tuple[int, str, str, dt.date], dt.date] = {}

    def municipality(self, value: str) -> Territory | None:
        """A municipality of the region by its OKTMO code or exact name."""
        return self._by_oktmo.get(value) or self._by_name.get(value)

    def indicators_for(self, codes: Sequence[str]) -> list[Indicator]:
        return [self.indicators[c] for c in dict.fromkeys(codes) if c in self.indicators]

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


_CONFIGS: dict[int, RegionConfig] = {}
_MAX_CONFIGS = 64


def region_config(territory: Territory, generation: str | None = None) -> RegionConfig:
    """The cached configuration of the territory's region (one query when it is current).

    Keyed by the territory asked about (an agency's or a signal's), not by the region, so a
    hit needs no walk up the tree. Threads of one process share it: a race computes the same
    value twice, nothing worse. A caller that has just read the generation passes it.
    """
    generation = generation or config_generation()
    found = _CONFIGS.get(territory.pk)
    if found is None or found.generation != generation:
        if len(_CONFIGS) >= _MAX_CONFIGS:
            _CONFIGS.clear()
        found = _CONFIGS[territory.pk] = RegionConfig(territory, generation)
    return found


_AGENCIES: dict[int, tuple[str, Agency]] = {}


def agency_cached(agency_id: int, generation: str | None = None) -> Agency:
    """An agency with its territory, cached per process like the region configuration."""
    generation = generation or config_generation()
    found = _AGENCIES.get(agency_id)
    if found is None or found[0] != generation:
        if len(_AGENCIES) >= 4 * _MAX_CONFIGS:
            _AGENCIES.clear()
        agency = Agency.objects.select_related("territory").get(pk=agency_id)
        found = _AGENCIES[agency_id] = (generation, agency)
    return found[1]


class IntakeContext:
    """One intake call or import batch: the region's configuration and one linker whose
    scorer holds the candidates of all the call's reported people."""

    def __init__(self, territory: Territory, config: RegionConfig | None = None) -> None:
        self.config = config or region_config(territory)
        self.linker: linking.Linker
        self.fresh_linker()

    def fresh_linker(self) -> None:
        """Forget candidates and pending persons, e.g. after a batch was rolled back."""
        self.linker = linking.Linker(self.config.persons, self.config.scope)


# Input ----------------------------------------------------------------------------------


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
    # An agency's system reporting through the API (staff report for their own agency).
    agency: Agency | None = None


@dataclass
class _Subject:
    row: SignalSubject
    query: Any = None  # linkage PersonRecord when the subject can be linked
    new: NewPerson | None = None  # the registry person to create if nobody matches
    shortlist: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Earlier:
    """A stored earlier signal about the same family."""

    pk: int
    received_at: dt.datetime
    assignee_id: int | None


@dataclass
class Prepared:
    """A valid signal on its way to the database (see :func:`signal_prepare`)."""

    data: SignalInput
    signal: Signal
    indicators: list[Indicator]
    subjects: list[_Subject]
    actor: User | None
    request_id: str | None
    earlier: list[Earlier] = field(default_factory=list)
    recent: int = 1

    def children(self) -> set[int]:
        return {
            s.row.person.pk
            for s in self.subjects
            if s.row.role == SubjectRole.CHILD and s.row.decision == "link" and s.row.person
        }


# Intake ---------------------------------------------------------------------------------


def signal_create(
    *,
    actor: User | None,
    data: SignalInput,
    attachments: Sequence[UploadedFile] = (),
    agency: Agency | None = None,
    context: IntakeContext | None = None,
) -> Signal:
    """Record one signal with its attachments in one transaction; ValidationError (raised
    before anything is written) if the signal or an attachment is invalid."""
    for upload in attachments:
        _attachment_check(upload)
    ctx = context or IntakeContext(data.territory)
    prepared = signal_prepare(data, actor=actor, agency=agency, ctx=ctx)
    with transaction.atomic():
        signals_write([prepared], ctx=ctx)
        for upload in attachments:
            _attachment_store(prepared.signal, upload)
    return prepared.signal


def signals_create_many(
    *,
    actor: User | None,
    items: Sequence[SignalInput],
    agency: Agency | None = None,
    quiet: bool = False,
    context: IntakeContext | None = None,
) -> list[Signal | ValidationError]:
    """Record signals of one region from any channel, link their subjects, route them and set
    their deadlines; one result per item, in order: the signal, or why it was refused.

    Invalid items are refused before anything is written; the valid ones are written in one
    transaction (an IntegrityError rolls the whole call back). ``quiet`` (bulk import) leaves
    the per-signal queue notice out, except for red signals; the import sends one summary per
    agency instead. ``context`` lets calls share look-ups; it must belong to the region.
    """
    if not items:
        return []
    ctx = context or IntakeContext(items[0].territory)
    now = timezone.now()
    results: list[Signal | ValidationError] = []
    pending: list[Prepared] = []
    for data in items:
        try:
            pending.append(signal_prepare(data, actor=actor, agency=agency, ctx=ctx, now=now))
        except ValidationError as exc:
            results.append(exc)
        else:
            results.append(pending[-1].signal)
    signals_write(pending, ctx=ctx, quiet=quiet)
    return results


def signals_write(pending: Sequence[Prepared], *, ctx: IntakeContext, quiet: bool = False) -> None:
    """Write prepared signals of the context's region in one transaction; an IntegrityError
    rolls them all back."""
    if pending:
        with transaction.atomic(savepoint=False):
            _write(list(pending), ctx=ctx, today=timezone.localdate(), quiet=quiet)


def _validate(data: SignalInput, config: RegionConfig) -> list[Indicator]:
    errors: dict[str, list[str]] = {}
    if not data.original_text.strip():
        errors.setdefault("original_text", []).append(
            _("Describe what happened in your own words.")
        )
    indicators = config.indicators_for(data.indicator_codes)
    unknown = set(data.indicator_codes) - {i.code for i in indicators}
    if unknown:
        errors.setdefault("indicators", []).append(
            _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    elif not indicators:
        errors.setdefault("indicators", []).append(_("Choose at least one indicator."))
    if data.territory.level != Territory.Level.MUNICIPALITY:
        errors.setdefault("territory", []).append(_("Choose a municipality."))
    elif data.territory.pk not in config.scope:
        errors.setdefault("territory", []).append(_("Choose a municipality of the region."))
    if data.channel == Channel.HELPLINE and (data.reporter_name or data.reporter_contact):
        errors.setdefault("reporter_name", []).append(
            _("A helpline signal never carries the caller's identity.")
        )
    if errors:
        raise ValidationError(errors)
    return indicators


def signal_prepare(
    data: SignalInput,
    *,
    actor: User | None,
    ctx: IntakeContext,
    agency: Agency | None = None,
    now: dt.datetime | None = None,
) -> Prepared:
    """Validate one signal and build its unsaved rows, with no query; ValidationError if it
    is invalid. Written later by :func:`signals_write`, possibly with others."""
    indicators = _validate(data, ctx.config)
    colour, track = triage(indicators)
    agency = data.agency or agency
    # Staff report for their own agency; citizens for none.
    if agency is None and actor is not None and data.channel != Channel.PUBLIC:
        agency = actor.agency
    signal = Signal(
        channel=data.channel,
        basis=data.basis,
        received_at=data.received_at or now or timezone.now(),
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
    reason = f"signal {signal.number} ({signal.channel})"
    return Prepared(
        data=data,
        signal=signal,
        indicators=indicators,
        subjects=[_subject(s, data.territory, reason) for s in data.subjects],
        actor=actor,
        request_id=current_request_id.get(),
    )


def _subject(s: SubjectInput, territory: Territory, reason: str) -> _Subject:
    row = SignalSubject(
        role=s.role,
        last_name=s.last_name.strip(),
        first_name=s.first_name.strip(),
        patronymic=s.patronymic.strip(),
        birth_date=s.birth_date,
    )
    if not (row.last_name and row.first_name):
        return _Subject(row=row)  # described, not identified: nothing to link
    year, month, day = _birth(s.birth_date)
    query = linking.query_record(
        row.last_name, row.first_name, row.patronymic, s.birth_date, s.snils, territory.pk
    )
    # Validated now, so an invalid person refuses the signal before anything is written.
    new = person_prepare(
        territory=territory,
        last_name=row.last_name,
        first_name=row.first_name,
        patronymic=row.patronymic,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        sex=person_search_keys(query)["sex"],
        snils=query.snils or "",
        reason=reason,
    )
    return _Subject(row=row, query=query, new=new)


# Nobody a signal is about was born before this.
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _birth(value: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a reported date of birth; ValidationError if it is not a date
    or not a plausible one (before 1900 or after today), whichever channel it came from."""
    # Shown as people write dates (ДД.ММ.ГГГГ); channels hand the intake ISO dates.
    shown = ".".join(reversed(value.split("-"))) if value.count("-") == 2 else value
    try:
        year, month, day = parse_date(value) if value else (None, None, None)
    except ValueError:
        raise ValidationError(
            {"birth_date": [_("Date of birth %(value)s is not a valid date.") % {"value": shown}]}
        ) from None
    if year is not None:
        earliest = (EARLIEST_BIRTH.year, EARLIEST_BIRTH.month, EARLIEST_BIRTH.day)
        today = timezone.localdate()
        if not earliest <= (year, month or 1, day or 1) <= (today.year, today.month, today.day):
            raise ValidationError(
                {
                    "birth_date": [
                        _("Date of birth %(value)s must be between 1900 and today.")
                        % {"value": shown}
                    ]
                }
            )
    return year, month, day


def _write(pending: list[Prepared], *, ctx: IntakeContext, today: dt.date, quiet: bool) -> None:
    _link(pending, ctx=ctx)
    _households(pending)
    _families(pending, ctx.config)
    audit: list[AuditEvent] = []
    for item in pending:
        signal = item.signal
        signal.priority_raised = item.recent >= ctx.config.conf.repeat_threshold
        signal.routed_to = ctx.config.route(signal.territory, signal.track)
        signal.due_date = ctx.config.due_date(signal.territory, signal.track, signal.colour, today)
        signal.urgency = urgency(signal)
    insert_many([item.signal for item in pending])
    insert_many(
        [
            SignalIndicator(signal=item.signal, indicator=i, observed_on=item.data.observed_on)
            for item in pending
            for i in item.indicators
        ]
    )
    rows = []
    for item in pending:
        for s in item.subjects:
            s.row.signal = item.signal
            s.row.candidates = [
                {"id": ctx.linker.person_id(record_id), "probability": probability}
                for record_id, probability in s.shortlist
            ]
            rows.append(s.row)
    insert_many(rows)
    routed = [item for item in pending if item.signal.routed_to is not None]
    insert_many([task_build(item.signal) for item in routed])
    insert_many(
        [
            SignalEvent(
                signal=item.signal,
                action=SignalAction.ROUTED,
                actor=item.actor,
                agency=item.signal.routed_to,
            )
            for item in routed
        ]
    )
    for item in pending:
        signal = item.signal
        audit.append(
            audit_event(
                actor=item.actor,
                action=SignalAction.RECEIVED,
                obj=signal,
                territory=signal.territory,
                detail={"channel": signal.channel, "colour": signal.colour, "track": signal.track},
                request_id=item.request_id,
            )
        )
        if signal.priority_raised:
            audit.append(
                audit_event(
                    actor=None,
                    action=SignalAction.PRIORITY_RAISED,
                    obj=signal,
                    territory=signal.territory,
                    detail={"signals_in_window": item.recent},
                    request_id=item.request_id,
                )
            )
    audit_record_many(audit)
    _share_with_watchers([item for item in pending if item.earlier])
    notify_new([item.signal for item in pending if not quiet or item.signal.colour == Colour.RED])


def _link(pending: list[Prepared], *, ctx: IntakeContext) -> None:
    """Search before create for every reported person, then create the new ones at once.

    A person created for one item is known to the next, so two rows of a batch about the
    same new child link to one registry person.
    """
    linker = ctx.linker
    linker.prefetch([s.query for item in pending for s in item.subjects if s.query])
    to_create: dict[User | None, list[NewPerson]] = defaultdict(list)
    for item in pending:
        for s in item.subjects:
            if s.query is None or s.new is None:
                continue
            result = linker.resolve_query(s.query, s.new)
            s.row.person, s.row.decision, s.shortlist = (
                result.person,
                result.decision,
                result.candidates,
            )
            if result.decision == "new":
                to_create[item.actor].append(s.new)
    for actor, people in to_create.items():
        person_create_many(actor=actor, people=people)


def _households(pending: list[Prepared]) -> None:
    """Each signal's household: the first current household (by membership role) of a person
    it is linked to. One query for the whole call."""
    known = {
        s.row.person.pk: None
        for item in pending
        for s in item.subjects
        if s.row.decision == "link" and s.row.person is not None
    }
    if not known:
        return
    best: dict[int, tuple[str, int, int]] = {}
    for person_id, role, pk, household_id in Membership.objects.filter(
        person_id__in=list(known), until__isnull=True
    ).values_list("person_id", "role", "pk", "household_id"):
        candidate = (role, pk, household_id)
        if person_id not in best or candidate < best[person_id]:
            best[person_id] = candidate
    for item in pending:
        options = [
            best[s.row.person.pk]
            for s in item.subjects
            if s.row.decision == "link" and s.row.person is not None and s.row.person.pk in best
        ]
        if options:
            item.signal.household_id = min(options)[2]


def _families(pending: list[Prepared], config: RegionConfig) -> None:
    """Earlier signals about each signal's children or household (two indexed queries per call,
    plus the call's own earlier items), and how many fall in the region's repeat window."""
    children = {pk for item in pending for pk in item.children()}
    households = {item.signal.household_id for item in pending if item.signal.household_id}
    by_child: dict[int, dict[int, Earlier]] = defaultdict(dict)
    by_household: dict[int, dict[int, Earlier]] = defaultdict(dict)
    # Two indexed look-ups: one query with an OR across the subjects join would scan both
    # tables, growing with every signal ever received.
    if children:
        for person_id, pk, at, assignee in SignalSubject.objects.filter(
            person_id__in=children
        ).values_list("person_id", "signal_id", "signal__received_at", "signal__assignee_id"):
            by_child[person_id][pk] = Earlier(pk, at, assignee)
    if households:
        for household_id, pk, at, assignee in Signal.objects.filter(
            household_id__in=households
        ).values_list("household_id", "pk", "received_at", "assignee_id"):
            by_household[household_id][pk] = Earlier(pk, at, assignee)
    window = dt.timedelta(days=config.conf.repeat_window_days)
    # Earlier items of this call, keyed like the stored ones by a negative index.
    seen_child: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    seen_household: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for position, item in enumerate(pending):
        signal, mine = item.signal, item.children()
        stored: dict[int, Earlier] = {}
        batch: dict[int, dt.datetime] = {}
        for pk in mine:
            stored.update(by_child.get(pk, {}))
            batch.update(seen_child.get(pk, {}))
        if signal.household_id:
            stored.update(by_household.get(signal.household_id, {}))
            batch.update(seen_household.get(signal.household_id, {}))
        item.earlier = list(stored.values())
        since = signal.received_at - window
        times = [e.received_at for e in stored.values()] + list(batch.values())
        item.recent = 1 + sum(1 for at in times if at >= since)
        for pk in mine:
            seen_child[pk][-position - 1] = signal.received_at
        if signal.household_id:
            seen_household[signal.household_id][-position - 1] = signal.received_at


def _share_with_watchers(items: list[Prepared]) -> None:
    """Staff on a family's earlier signals (assigned to one, or shared on one) are told of the
    new one and can see it. Looked up by the families' children and households — short
    lists — rather than by the families' whole signal history."""
    if not items:
        return
    watchers: dict[int, dict[int, str]] = defaultdict(dict)  # earlier signal -> {user: email}
    assignees = {e.assignee_id for item in items for e in item.earlier if e.assignee_id}
    if assignees:
        active = dict(
            User.objects.filter(pk__in=assignees, is_active=True).values_list("pk", "email")
        )
        for item in items:
            for e in item.earlier:
                if e.assignee_id in active:
                    watchers[e.pk][e.assignee_id] = active[e.assignee_id]
    through = Signal.shared_with.through
    children = {pk for item in items for pk in item.children()}
    households = {item.signal.household_id for item in items if item.signal.household_id}
    shared = through.objects.filter(user__is_active=True).values_list(
        "signal_id", "user_id", "user__email"
    )
    found = list(shared.filter(signal__subjects__person_id__in=children)) if children else []
    if households:
        found += shared.filter(signal__household_id__in=households)
    for pk, user_id, email in found:
        watchers[pk][user_id] = email
    shares, notices = [], []
    for item in items:
        users: dict[int, str] = {}
        for e in item.earlier:
            users.update(watchers.get(e.pk, {}))
        if not users:
            continue
        signal = item.signal
        text = _("New signal %(number)s about a family you work with.") % {"number": signal.number}
        shares += [through(signal_id=signal.pk, user_id=u) for u in users]
        notices += [Notification(user_id=u, signal=signal, text=text) for u in users]
        mail_queue(signal, [e for e in users.values() if e], text)
    insert_many(shares)
    insert_many(notices)


def task_build(signal: Signal) -> SignalTask:
    """The deadline task of a routed signal for the body it is routed to (unsaved), its
    invariants checked."""
    if signal.routed_to is None:
        raise ValueError("only a routed signal gets a task")
    kind = {
        Track.SAFETY: TaskKind.SAFETY_CHECK,
        Track.ASSESSMENT: TaskKind.ASSESSMENT,
        Track.SUPPORT: TaskKind.SUPPORT_OFFER,
    }[Track(signal.track)]
    if signal.due_date is None:
        raise ValueError("a signal gets its deadline before its task")
    task = SignalTask(signal=signal, kind=kind, agency=signal.routed_to, due_date=signal.due_date)
    task.clean()  # the support-never-leads-to-a-safety-check invariant
    return task


# Notices --------------------------------------------------------------------------------


def _new_signal_text(signal: Signal) -> str:
    if signal.routed_to is None:
        return _("Signal %(number)s matched no routing rule: choose the body to send it to.") % {
            "number": signal.number
        }
    if signal.colour != Colour.RED:
        return _("New signal %(number)s in your queue.") % {"number": signal.number}
    if signal.track == Track.SUPPORT:
        return _("Red signal %(number)s: urgent support needed today.") % {"number": signal.number}
    return _("Red signal %(number)s: immediate danger, safety check today.") % {
        "number": signal.number
    }


def notify_new(signals: Sequence[Signal]) -> None:
    """Tell the staff of each signal's body (the region's coordinators when no rule matched)
    in the app; a red signal also by e-mail, to the agency mailbox the duty officer reads."""
    if not signals:
        return
    agencies = {s.routed_to_id for s in signals if s.routed_to_id is not None}
    staff: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in User.objects.filter(agency_id__in=agencies, is_active=True).values_list(
        "pk", "agency_id"
    ):
        staff[agency_id].append(pk)
    # Unrouted signals are rare: walking up to their region costs a query or two.
    region_of = {s.pk: (s.territory.region or s.territory).pk for s in signals if not s.routed_to}
    regions = set(region_of.values())
    coordinators: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if regions:
        for pk, email, region_id in User.objects.filter(
            role=Role.REGIONAL_COORDINATOR, agency__territory_id__in=regions, is_active=True
        ).values_list("pk", "email", "agency__territory_id"):
            coordinators[region_id].append((pk, email))
    notices = []
    for signal in signals:
        text = _new_signal_text(signal)
        if signal.routed_to is None:
            people = coordinators.get(region_of[signal.pk], [])
            notices += [Notification(user_id=pk, signal=signal, text=text) for pk, _e in people]
            if signal.colour == Colour.RED:
                mail_queue(signal, [email for _pk, email in people if email], text)
            continue
        notices += [
            Notification(user_id=u, signal=signal, text=text)
            for u in staff.get(signal.routed_to.pk, [])
        ]
        if signal.colour == Colour.RED and signal.routed_to.email:
            mail_queue(signal, [signal.routed_to.email], text)
    insert_many(notices)


def mail_queue(signal: Signal, recipients: list[str], text: str) -> None:
    """Queue an e-mail notice in the current transaction (see tasks.send_notice)."""
    if not recipients:
        return
    path = reverse("signals:detail", args=[signal.pk])
    # No personal data in e-mail: only the number and a link to sign in.
    body = _("%(text)s\n\nOpen it in Ochag: %(path)s") % {"text": text, "path": path}
    send_notice.enqueue(text, body, recipients)


# Attachments ----------------------------------------------------------------------------


def _attachment_check(upload: UploadedFile) -> str:
    """The upload's content type if it may be attached; ValidationError otherwise."""
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
    return content_type


def _attachment_store(signal: Signal, upload: UploadedFile) -> Attachment:
    content_type = _attachment_check(upload)
    name = (upload.name or "file")[-200:]
    attachment = Attachment(
        signal=signal, name=name, content_type=content_type, size=upload.size or 0
    )
    attachment.file.save(
        f"{secrets.token_hex(16)}{ALLOWED_ATTACHMENT_TYPES[content_type]}", upload, save=False
    )
    attachment.save()
    return attachment


# Combined intake for agencies' systems --------------------------------------------------


@dataclass(eq=False)
class ApiItem:
    """A validated API signal with its idempotency key (empty: none), waiting to be written."""

    prepared: Prepared
    config: RegionConfig
    token: AgencyToken
    key: str
    body_hash: str
    respond: Callable[[Signal], dict[str, Any]]


def _write_api_batch(items: Sequence[ApiItem]) -> list[dict[str, Any] | IntegrityError]:
    """The response body of each item, or the IntegrityError that refused it (its
    idempotency key was used at the same moment). One transaction per region when nothing
    collides; after a collision each item of the group gets a transaction of its own."""
    results: dict[int, dict[str, Any] | IntegrityError] = {}
    groups: dict[int, list[ApiItem]] = defaultdict(list)
    for item in items:
        groups[id(item.config)].append(item)
    for group in groups.values():
        try:
            with transaction.atomic():
                results.update(_write_api_group(group))
        except IntegrityError:
            for item in group:
                # The rolled-back rows are prepared again: their objects hold stale keys.
                again = signal_prepare(item.prepared.data, actor=None, ctx=IntakeContext(
                    item.prepared.data.territory, item.config))  # fmt: skip
                again.request_id = item.prepared.request_id
                retry = replace(item, prepared=again)
                try:
                    with transaction.atomic():
                        results.update({id(item): _write_api_group([retry])[id(retry)]})
                except IntegrityError as exc:
                    results[id(item)] = exc
    return [results[id(item)] for item in items]


def _write_api_group(group: list[ApiItem]) -> dict[int, dict[str, Any]]:
    ctx = IntakeContext(group[0].prepared.data.territory, group[0].config)
    signals_write([item.prepared for item in group], ctx=ctx)
    bodies = {id(item): item.respond(item.prepared.signal) for item in group}
    insert_many(
        [
            IdempotencyRecord(
                token=item.token,
                key=item.key,
                body_hash=item.body_hash,
                status_code=201,
                response=bodies[id(item)],
            )
            for item in group
            if item.key
        ]
    )
    return bodies


_API_COMBINER: Combiner[ApiItem, dict[str, Any] | IntegrityError] = Combiner(_write_api_batch)


def signal_create_from_api(item: ApiItem) -> dict[str, Any] | IntegrityError:
    """Write an API signal together with whatever other requests of this process are
    writing at the same moment (see :mod:`ochag.core.combining`): under load a batch costs
    about as many statements as one signal. Returns the response body, or the
    IntegrityError when a concurrent request used the same idempotency key."""
    return _API_COMBINER.submit(item)
