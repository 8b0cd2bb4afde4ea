"""A duplicate pair as the queue shows it: its calibrated probability and what differs."""

from __future__ import annotations

from typing import Any

from django import template

from ochag.registry.explain import explanation_rows, pair_summary
from ochag.registry.likelihood import percent_text, probability_text

register = template.Library()


@register.filter
def pair_probability(weight: float) -> str:
    return probability_text(weight)


@register.filter
def percent(probability: float) -> str:
    """The engine's probability for a typed-in person (not calibrated like a queue pair's:
    a query is a partial record), written the same way and never as «100 %»."""
    return percent_text(probability)


@register.filter
def pair_differences(explanation: list[dict[str, Any]]) -> str:
    return pair_summary(explanation_rows(explanation))
