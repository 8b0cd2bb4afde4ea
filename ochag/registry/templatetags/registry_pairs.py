"""A duplicate pair as the queue shows it: its calibrated probability and what differs."""

from __future__ import annotations

from typing import Any

from django import template

from ochag.registry.explain import explanation_rows, pair_summary
from ochag.registry.likelihood import probability_text

register = template.Library()


@register.filter
def pair_probability(weight: float) -> str:
    return probability_text(weight)


@register.filter
def pair_differences(explanation: list[dict[str, Any]]) -> str:
    return pair_summary(explanation_rows(explanation))
