"""One abstraction for every task that carries a deadline (case plan tasks, signal tasks,
placement reviews, home inspections, referral answers…).

A deadline-bearing model inherits :class:`DeadlineTask`: the due date is computed once from
the working-day calendar (:func:`due_date`) and stored on the row as ``due_on``, so "overdue"
is a query (:meth:`DeadlineQuerySet.overdue`), not a scan. ``done_on`` closes the task.

Apps register a :class:`DeadlineKind` from ``AppConfig.ready``. The daily check
(:func:`deadlines_check`, ``manage.py check_deadlines``) walks every kind: it stamps
``overdue_since`` on rows that have just become overdue, clears it on rows that stopped being
overdue, and calls the kind's ``escalate`` hook to tell people. The coordinator's boards and
the home page read the same registry (:func:`overdue_lines`), so a new app plugs in with no
job or page of its own. Core imports no app: everything app-specific is a callable here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Self, TypeVar, cast

from django.db import models, transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ochag.core.calendar import add_working_days
from ochag.core.models import Territory, register_audit_actions
from ochag.core.services import audit_record
from ochag.core.worklist import Section, WorkLine

M = TypeVar("M", bound="DeadlineTask")


class DayKind(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days")


def due_date(
    start: dt.date,
    days: int,
    *,
    kind: str = DayKind.WORKING,
    territory: Territory | None = None,
) -> dt.date:
    """The deadline ``days`` after ``start``: working days on the region's calendar, or
    calendar days, a term that ends on a day off moving to the next working day (Civil Code
    art. 193, Code of Civil Procedure art. 108)."""
    if kind == DayKind.WORKING:
        return add_working_days(start, days, territory=territory)
    return add_working_days(start + dt.timedelta(days=days), 0, territory=territory)


@register_audit_actions
class DeadlineAction(models.TextChoices):
    CHECKED = "deadlines_checked", _("Deadlines checked")


class DeadlineQuerySet(models.QuerySet[M]):
    def open(self) -> Self:
        return self.filter(done_on__isnull=True)

    def done(self) -> Self:
        return self.filter(done_on__isnull=False)

    def overdue(self, on: dt.date) -> Self:
        """Open tasks whose due date has passed on the day ``on`` (due on ``on`` is not late)."""
        return self.open().filter(due_on__lt=on)

    def due_within(self, days: int, on: dt.date) -> Self:
        """Open tasks due from ``on`` up to and including ``on + days`` (not yet overdue)."""
        return self.open().filter(due_on__gte=on, due_on__lte=on + dt.timedelta(days=days))


class DeadlineTask(models.Model):
    """Abstract base: a stored due date, the day the task was done, and the day the daily
    check found it overdue (so being overdue is a stored, filterable fact)."""

    due_on = models.DateField(_("deadline"), db_index=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Set by the daily deadline check, cleared when the task is done or its deadline moves.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True, db_index=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.done_on is None and self.due_on < day


# Escalation hook: receives the kind's overdue rows on the day, returns notifications sent.
Escalate = Callable[[models.QuerySet[Any], dt.date], int]


def _all(rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return rows


@dataclass(frozen=True)
class DeadlineKind:
    """A kind of deadline-bearing task an app declares.

    ``visible(user)`` is the policy's queryset of the model for the user (every board count
    starts from it); ``list_url()`` the list of the user's overdue rows that a board line links
    to; ``active`` narrows the rows the daily check considers (e.g. only open cases);
    ``escalate`` tells people about overdue rows (idempotently: it runs every day);
    ``on_worklist`` puts an "overdue" line for this kind on the home page; ``audit_action``
    names the audit entry a check that changed something writes (an app may keep its own).
    """

    key: str
    label: str | Promise
    model: type[DeadlineTask]
    visible: Callable[[Any], models.QuerySet[Any]]
    list_url: Callable[[], str]
    active: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = _all
    escalate: Escalate | None = None
    on_worklist: bool = False
    audit_action: str = "deadlines_checked"

    def rows(self) -> DeadlineQuerySet[Any]:
        manager: Any = self.model._default_manager
        # Filtering a DeadlineQuerySet returns one: the hook only narrows it.
        return cast("DeadlineQuerySet[Any]", self.active(manager.all()))


_kinds: dict[str, DeadlineKind] = {}


def register(kind: DeadlineKind) -> None:
    """Called from an app's ``ready()``; registering a key again replaces it (reloads)."""
    _kinds[kind.key] = kind


def kinds() -> list[DeadlineKind]:
    return list(_kinds.values())


@dataclass
class KindReport:
    key: str
    overdue: int = 0
    newly_overdue: int = 0
    notifications: int = 0

    def __str__(self) -> str:
        return (
            f"{self.key}: overdue={self.overdue} new={self.newly_overdue} "
            f"notifications={self.notifications}"
        )


def deadlines_check(*, day: dt.date, only: Iterable[str] = ()) -> list[KindReport]:
    """The daily check over every registered kind (or the keys in ``only``), one transaction
    per kind so a failing hook of one app does not hold back the others. Idempotent: the
    stamp is set once, and the hooks key their notifications by task and deadline."""
    reports = []
    wanted = set(only)
    for kind in kinds():
        if wanted and kind.key not in wanted:
            continue
        with transaction.atomic():
            report = KindReport(kind.key)
            overdue = kind.rows().overdue(day)
            report.overdue = overdue.count()
            report.newly_overdue = overdue.filter(overdue_since__isnull=True).update(
                overdue_since=day
            )
            # Done, moved, or no longer considered (a closed case): not overdue any more.
            manager: Any = kind.model._default_manager
            manager.filter(overdue_since__isnull=False).exclude(pk__in=overdue.values("pk")).update(
                overdue_since=None
            )
            if kind.escalate is not None:
                report.notifications = kind.escalate(overdue, day)
            if report.newly_overdue or report.notifications:
                audit_record(
                    actor=None,
                    action=kind.audit_action,
                    detail={
                        "kind": kind.key,
                        "day": day.isoformat(),
                        "overdue": report.overdue,
                        "new": report.newly_overdue,
                        "notifications": report.notifications,
                    },
                )
            reports.append(report)
    return reports


def overdue_lines(user: Any, *, on: dt.date) -> list[WorkLine]:
    """Home-page lines for the kinds that asked for one: how many of the user's visible tasks
    of the kind are overdue, linking to the kind's list (which applies the same filter)."""
    lines = []
    for kind in kinds():
        if not kind.on_worklist:
            continue
        count = kind.visible(user).filter(Q(done_on__isnull=True), due_on__lt=on).count()
        if count:
            label = _("Overdue: %(kind)s") % {"kind": kind.label}
            lines.append(
                WorkLine(Section.MINE, str(label), count, kind.list_url(), order=50, tone="amber")
            )
    return lines
