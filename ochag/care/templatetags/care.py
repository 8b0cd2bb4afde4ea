"""Template helpers of the care pages."""

from __future__ import annotations

import datetime as dt

from django import template

from ochag.care.models import Placement
from ochag.care.selectors import stay_text

register = template.Library()


@register.simple_tag
def stay(placement: Placement, today: dt.date) -> str:
    """The length of the stay so far (or of the whole stay, once discharged)."""
    return stay_text(placement.admitted_on, placement.discharged_on or today)
