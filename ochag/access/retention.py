"""Retention: records whose regional term has passed are deleted by a daily job, dry run first.

Each app registers the rules for its own records in ``AppConfig.ready`` (the access app sits
below them and never reads their tables): a rule names the rows past their term at a moment
and how to delete them. ``manage.py retention`` lists what would go (and writes that it
looked); ``--apply`` deletes, writing an audit entry for every record deleted (logs, deleted
by the million, get one entry per run with the count). A row that other records still hold
(a protected foreign key) is skipped and reported, never forced.

Terms are in days; ``settings.OCHAG_RETENTION_DAYS`` (a dict by rule key) overrides the
defaults the rules declare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from ochag.access.models import TrustAction
from ochag.core.services import audit_event, audit_record, audit_record_many

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Rows listed by name in a dry run, per rule.
SAMPLE = 20
# Rows deleted per transaction: a long purge never holds one huge transaction.
BATCH = 500


@dataclass(frozen=True)
class Rule:
    key: str
    label: StrOrPromise
    default_days: int
    # Rows past their term when the term started ``cutoff`` ago.
    due: Callable[[dt.datetime], models.QuerySet[Any]]
    # Delete these rows; returns how many went. None: ``rows.delete()``.
    purge: Callable[[models.QuerySet[Any]], int] | None = None
    # One audit entry per record (False for logs: one entry per run).
    audit_each: bool = True
    # Rules run in this order (referrals before the cases they hold).
    order: int = 100

    @property
    def days(self) -> int:
        overrides: dict[str, int] = getattr(settings, "OCHAG_RETENTION_DAYS", {})
        return int(overrides.get(self.key, self.default_days))

    def cutoff(self, now: dt.datetime) -> dt.datetime:
        return now - dt.timedelta(days=self.days)


@dataclass
class Outcome:
    rule: Rule
    due: int
    sample: list[str] = field(default_factory=list)
    deleted: int = 0
    blocked: list[str] = field(default_factory=list)


_rules: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    """Add an app's rules (from its ``AppConfig.ready``); a key registered again is replaced."""
    for rule in rules:
        _rules[rule.key] = rule


def rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda r: (r.order, r.key))


def _label(obj: models.Model) -> str:
    """A deleted record's name in the audit log: its kind and number, never personal data."""
    return f"{obj._meta.verbose_name} № {obj.pk}"


def retention_plan(*, actor: Any = None, now: dt.datetime | None = None) -> list[Outcome]:
    """What would go now, per rule; recorded as one audit entry."""
    now = now or timezone.now()
    outcomes = []
    for rule in rules():
        rows = rule.due(rule.cutoff(now))
        outcomes.append(
            Outcome(rule, rows.count(), [_label(o) for o in rows.order_by("pk")[:SAMPLE]])
        )
    audit_record(
        actor=actor, action=TrustAction.RETENTION_PLANNED,
        detail={o.rule.key: o.due for o in outcomes},
    )  # fmt: skip
    return outcomes


def retention_apply(*, actor: Any = None, now: dt.datetime | None = None) -> list[Outcome]:
    """Delete what is past its term, rule by rule, in batches; one audit entry per record."""
    now = now or timezone.now()
    outcomes = []
    for rule in rules():
        outcome = Outcome(rule, 0)
        cutoff = rule.cutoff(now)
        skip: set[Any] = set()
        while True:
            batch = list(rule.due(cutoff).exclude(pk__in=skip).order_by("pk")[:BATCH])
            if not batch:
                break
            outcome.due += len(batch)
            for obj in batch:
                deleted = _delete_one(rule, obj, actor, cutoff) if rule.audit_each else 0
                if rule.audit_each and not deleted:
                    skip.add(obj.pk)
                    outcome.blocked.append(_label(obj))
                outcome.deleted += deleted
            if not rule.audit_each:
                outcome.deleted += _delete_rows(rule, [o.pk for o in batch])
        if not rule.audit_each and outcome.deleted:
            audit_record(
                actor=actor, action=TrustAction.RETENTION_DELETED,
                detail={"rule": rule.key, "deleted": outcome.deleted, "days": rule.days,
                        "before": cutoff.isoformat()},
            )  # fmt: skip
        outcomes.append(outcome)
    return outcomes


@transaction.atomic
def _delete_rows(rule: Rule, pks: list[Any]) -> int:
    rows = rule.due(rule.cutoff(timezone.now())).model._default_manager.filter(pk__in=pks)
    if rule.purge is not None:
        return rule.purge(rows)
    return int(rows.delete()[0])


def _delete_one(rule: Rule, obj: models.Model, actor: Any, cutoff: dt.datetime) -> int:
    """Delete one record with its audit entry in one transaction; 0 when others hold it."""
    event = audit_event(
        actor=actor, action=TrustAction.RETENTION_DELETED, obj=obj, object_label=_label(obj),
        detail={"rule": rule.key, "days": rule.days, "before": cutoff.isoformat()},
    )  # fmt: skip
    try:
        with transaction.atomic():
            rows = type(obj)._default_manager.filter(pk=obj.pk)
            gone = rule.purge(rows) if rule.purge is not None else min(rows.delete()[0], 1)
            if gone:
                audit_record_many([event])
            return gone
    except ProtectedError:
        return 0
