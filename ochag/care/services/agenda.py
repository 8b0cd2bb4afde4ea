"""Putting reviews on a sitting's agenda: by the secretary, or automatically for the
admissions the commission must see first (poverty-only removals, parents' requests)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from ochag.access.models import User
from ochag.care.models import AgendaItem, CareAction, Sitting, SittingStatus
from ochag.core.models import Territory
from ochag.core.services import audit_record


def next_sitting(region: Territory) -> Sitting | None:
    return (
        Sitting.objects.filter(
            commission__region=region,
            status=SittingStatus.PLANNED,
            date__gte=timezone.localdate(),
        )
        .order_by("date", "pk")
        .first()
    )


@transaction.atomic
def agenda_enqueue(
    *, actor: User, items: Sequence[AgendaItem], sitting: Sitting | None = None
) -> Sitting | None:
    """Put open reviews on ``sitting`` (default: the region's next one). Without a planned
    sitting they wait: :func:`ochag.care.services.commission.sitting_create` takes every
    waiting priority review onto the new sitting's agenda."""
    if not items:
        return None
    if sitting is None:
        sitting = next_sitting(items[0].placement.region)
    if sitting is None:
        return None
    ids = [item.pk for item in items if item.done_on is None]
    AgendaItem.objects.filter(pk__in=ids).update(sitting=sitting)
    for item in items:
        if item.pk in ids:
            item.sitting = sitting
    audit_record(
        actor=actor,
        action=CareAction.AGENDA_CHANGED,
        obj=sitting,
        territory=sitting.commission.region,
        detail={"added": ids},
    )
    return sitting
