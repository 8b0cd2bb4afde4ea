"""What every channel hands the intake, and its validation into unsaved rows.

:func:`signal_prepare` checks one signal (indicators, territory, the helpline's anonymity,
plausible dates of birth), triages it and builds its rows without a query, so an invalid
signal is refused before anything of its call is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.core.dates import PartialDate
from ochag.core.models import Territory
from ochag.core.request_context import current_request_id
from ochag.linkage import person_search_keys
from ochag.registry import candidates
from ochag.registry.candidates import NewPerson, PersonData, person_prepare
from ochag.signals.config import IntakeContext, RegionConfig
from ochag.signals.models import Channel, Colour, Indicator, Signal, SignalSubject, SubjectRole
from ochag.signals.routing import triage


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
    # An agency's system reporting through the API (staff report for their own agency),
    # and the API token it used, named in the audit entry so every use is attributable.
    agency: Agency | None = None
    api_token_id: int | None = None
    # A helpline operator escalates a red call at once: recorded with the signal itself.
    escalate: bool = False


@dataclass
class Subject:
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
    subjects: list[Subject]
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
    if data.escalate and not any(i.colour == Colour.RED for i in indicators):
        errors.setdefault("indicators", []).append(
            _("To escalate at once, tick at least one red indicator.")
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
    if data.escalate:
        signal.escalated_at = now or timezone.now()
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
        subjects=[
            _subject(s, data.territory, reason, _others(data.subjects, s), data.address)
            for s in data.subjects
        ],
        actor=actor,
        request_id=current_request_id.get(),
    )


def _others(subjects: Sequence[SubjectInput], s: SubjectInput) -> list[str]:
    """The full names of the signal's other people: the family the registry's household of
    a candidate is compared with (namesakes live with other people)."""
    return [
        " ".join(x for x in (o.last_name, o.first_name, o.patronymic) if x.strip())
        for o in subjects
        if o is not s and o.last_name.strip() and o.first_name.strip()
    ]


def _subject(
    s: SubjectInput, territory: Territory, reason: str, others: list[str], address: str
) -> Subject:
    row = SignalSubject(
        role=s.role,
        last_name=s.last_name.strip(),
        first_name=s.first_name.strip(),
        patronymic=s.patronymic.strip(),
        birth_date=s.birth_date,
    )
    if not (row.last_name and row.first_name):
        return Subject(row=row)  # described, not identified: nothing to link
    year, month, day = _birth(s.birth_date)
    query = candidates.query_record(
        row.last_name, row.first_name, row.patronymic, s.birth_date, s.snils, territory.pk,
        relatives=others, address=address,
    )  # fmt: skip
    # Validated now, so an invalid person refuses the signal before anything is written.
    data = PersonData(
        territory=territory,
        last_name=row.last_name,
        first_name=row.first_name,
        patronymic=row.patronymic,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        sex=person_search_keys(query)["sex"],
        snils=query.snils or "",
    )
    new = person_prepare(data=data, reason=reason)
    return Subject(row=row, query=query, new=new)


# Nobody a signal is about was born before this.
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def _birth(value: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a reported date of birth; ValidationError if it is not a date
    or not a plausible one (before 1900 or after today), whichever channel it came from."""
    # Shown as people write dates (ДД.ММ.ГГГГ); channels hand the intake ISO dates.
    shown = ".".join(reversed(value.split("-"))) if value.count("-") == 2 else value
    try:
        year, month, day = PartialDate.parse(value).parts
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
