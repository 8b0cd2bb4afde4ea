"""``{{ signal|about:today }}``: whom a signal is about, from its prefetched subjects."""

from __future__ import annotations

import datetime as dt

from django import template

from ochag.signals import about as about_text
from ochag.signals.models import Signal

register = template.Library()


@register.filter
def about(signal: Signal, on: dt.date) -> str:
    family = signal.household.name if signal.household_id and signal.household else ""
    return about_text.about(signal.subjects.all(), on, family)


@register.filter
def birth(reported: str) -> str:
    return about_text.birth_display(reported)
