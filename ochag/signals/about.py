"""Whom a signal is about, in words a queue can show: the family name and the children's ages.

Subjects keep the date of birth as reported (YYYY-MM-DD, YYYY-MM or YYYY); these helpers read
it without a query of their own, from subjects the queue prefetched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.core.dates import PartialDate
from ochag.signals.models import SignalSubject, SubjectRole


def _parts(reported: str) -> tuple[int, int | None, int | None] | None:
    try:
        birth = PartialDate.parse(reported)
    except ValueError:
        return None
    if birth.year is None:
        return None
    return birth.year, birth.month, birth.day


def birth_display(reported: str) -> str:
    """A reported date of birth as people read it: ДД.ММ.ГГГГ, ММ.ГГГГ or ГГГГ."""
    try:
        return PartialDate.parse(reported).display
    except ValueError:
        return reported


def age_in_months(reported: str, on: dt.date) -> int | None:
    """Whole months of age on ``on``; None when the year alone is known (or nothing is)."""
    parts = _parts(reported)
    if parts is None:
        return None
    year, month, day = parts
    if month is None:
        return None
    months = (on.year - year) * 12 + on.month - month
    if day is not None and on.day < day:
        months -= 1
    return months if months >= 0 else None


def age_label(reported: str, on: dt.date) -> str:
    """«11 мес.» under a year, «5 лет» after; from the year alone, «около 5 лет»."""
    months = age_in_months(reported, on)
    if months is None:
        parts = _parts(reported)
        if parts is None:
            return ""
        years = on.year - parts[0]
        if years < 0:
            return ""
        return _("about %(age)s") % {
            "age": ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
        }
    if months < 12:
        return ngettext("%(n)d month", "%(n)d months", months) % {"n": months}
    years = months // 12
    return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}


def about(subjects: Iterable[SignalSubject], on: dt.date, family: str = "") -> str:
    """«Петровы: дети 3 года, 11 мес.» — the family (the linked household's name, else the
    reported surnames) and the children's ages; empty when the report names nobody."""
    subjects = list(subjects)
    surnames = family or ", ".join(dict.fromkeys(s.last_name for s in subjects if s.last_name))
    ages = [
        age_label(s.birth_date, on) or _("age unknown")
        for s in subjects
        if s.role == SubjectRole.CHILD
    ]
    if not ages:
        return surnames
    children = ngettext("child %(ages)s", "children %(ages)s", len(ages)) % {
        "ages": ", ".join(ages)
    }
    return f"{surnames}: {children}" if surnames else children
