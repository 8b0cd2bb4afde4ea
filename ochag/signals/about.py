"""Whom a signal is about, in words a queue can show: the family name and the children's ages.

Subjects keep the date of birth as reported (YYYY-MM-DD, YYYY-MM or YYYY, read through
ochag.core.dates.PartialDate); these helpers need no query of their own, only subjects the
queue prefetched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ochag.core.dates import PartialDate
from ochag.signals.models import SignalSubject, SubjectRole


def _partial(reported: str) -> PartialDate:
    try:
        return PartialDate.parse(reported)
    except ValueError:
        return PartialDate()


def birth_display(reported: str) -> str:
    """A reported date of birth as people read it: ДД.ММ.ГГГГ, ММ.ГГГГ or ГГГГ."""
    return _partial(reported).display or reported


def age_in_months(reported: str, on: dt.date) -> int | None:
    """Whole months of age on ``on``; None when the year alone is known (or nothing is)."""
    born = _partial(reported)
    if born.year is None or born.month is None:
        return None
    months = (on.year - born.year) * 12 + on.month - born.month
    if born.day is not None and on.day < born.day:
        months -= 1
    return months if months >= 0 else None


def age_label(reported: str, on: dt.date) -> str:
    """«11 мес.» under a year, «5 лет» after; from the year alone, «около 5 лет»."""
    months = age_in_months(reported, on)
    if months is None:
        year = _partial(reported).year
        if year is None or year > on.year:
            return ""
        years = on.year - year
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
