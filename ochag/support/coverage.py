"""Coverage: the region's need for each type of service against what each municipality has.

A cell of the table is one municipality and one type of service:

* **need** — open cases of the municipality's families with an unfinished plan task that needs
  the type, or an open referral to a service of it (a family counts once per type);
* **services, places, free** — active services of the type whose provider serves the
  municipality. A service serving several municipalities counts in each: the places are
  those open to the municipality's families, not a share of them, so a column does not add up;
* **waiting** — the municipality's families referred to the type and not yet taken in
  (awaiting the provider's answer or on its waiting list).

A **gap** is a need with no service at all in the municipality. Every count starts from the
policies: the cases and plan tasks the user sees, the referrals the user sees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from ochag.access.models import User
from ochag.cases.models import CaseStatus, TaskStatus
from ochag.cases.policies import tasks as task_policy
from ochag.core.models import Territory
from ochag.support import policies
from ochag.support.models import (
    OPEN_STATUSES,
    UNANSWERED,
    Provider,
    ServiceType,
    TaskNeed,
)
from ochag.support.selectors import region_municipalities, with_places


@dataclass
class Cell:
    municipality: Territory
    type: ServiceType
    services: int = 0
    places: int = 0
    free: int = 0
    need: int = 0
    waiting: int = 0

    @property
    def gap(self) -> bool:
        """A need the municipality has no service for."""
        return self.need > 0 and self.services == 0

    @property
    def short(self) -> bool:
        """Services exist but families wait with no free place left."""
        return self.services > 0 and self.waiting > 0 and self.free == 0


@dataclass(frozen=True)
class TypeTotal:
    """A column summed over the municipalities (for the chart beside the table)."""

    type: ServiceType
    need: int
    waiting: int
    without_service: int  # municipalities with no service of the type
    gaps: int  # of them, those with a family in need
    need_share: int  # the bar's length, percent of the largest need of any type
    waiting_share: int


@dataclass
class Coverage:
    types: list[ServiceType]
    rows: list[tuple[Territory, list[Cell]]] = field(default_factory=list)

    @property
    def gaps(self) -> int:
        return sum(cell.gap for _m, cells in self.rows for cell in cells)

    @property
    def totals(self) -> list[TypeTotal]:
        columns = [[cells[i] for _m, cells in self.rows] for i in range(len(self.types))]
        needs = [sum(c.need for c in column) for column in columns]
        waits = [sum(c.waiting for c in column) for column in columns]
        top = max([*needs, *waits, 1])
        return [
            TypeTotal(
                type=kind,
                need=need,
                waiting=wait,
                without_service=sum(c.services == 0 for c in column),
                gaps=sum(c.gap for c in column),
                need_share=round(100 * need / top),
                waiting_share=round(100 * wait / top),
            )
            for kind, column, need, wait in zip(self.types, columns, needs, waits, strict=True)
        ]


def _needs(user: User) -> Counter[tuple[int, int]]:
    """Families (cases) needing each type, per municipality."""
    from_tasks = (
        TaskNeed.objects.filter(
            task__in=task_policy.visible(user).values("pk"),
            task__case__status=CaseStatus.OPEN,
            need__isnull=False,
        )
        .exclude(task__status=TaskStatus.DONE)
        .values_list("task__case__territory_id", "need_id", "task__case_id")
        .distinct()
    )
    from_referrals = (
        policies.referrals.visible(user)
        .filter(status__in=OPEN_STATUSES)
        .values_list("territory_id", "service__type_id", "case_id", "signal_id")
        .distinct()
    )
    # A family is its case, or its signal while no case is open.
    families = {(t, kind, ("case", case)) for t, kind, case in from_tasks} | {
        (t, kind, ("case", case) if case else ("signal", signal))
        for t, kind, case, signal in from_referrals
    }
    return Counter((territory, type_id) for territory, type_id, _family in families)


def coverage(user: User) -> Coverage:
    """The table for the municipalities of the user's region and the catalogue's active types."""
    types = list(policies.service_types.visible(user).filter(is_active=True))
    municipalities = list(region_municipalities(user))
    table = Coverage(types=types)
    if not types or not municipalities:
        return table
    services = list(
        with_places(
            policies.services.visible(user).filter(
                is_active=True, provider__is_active=True, type__is_active=True
            )
        ).values_list("provider_id", "type_id", "capacity", "free")  # type: ignore[misc]
    )
    served: dict[int, list[int]] = {}
    for provider_id, territory_id in Provider.municipalities.through.objects.filter(
        provider_id__in={row[0] for row in services}
    ).values_list("provider_id", "territory_id"):
        served.setdefault(provider_id, []).append(territory_id)
    supply: dict[tuple[int, int], list[int]] = {}
    for provider_id, type_id, capacity, free in services:
        for territory_id in served.get(provider_id, ()):
            counts = supply.setdefault((territory_id, type_id), [0, 0, 0])
            counts[0] += 1
            counts[1] += capacity
            counts[2] += free
    waiting = {
        (row["territory_id"], row["service__type_id"]): row["n"]
        for row in policies.referrals.visible(user)
        .filter(status__in=UNANSWERED)
        .values("territory_id", "service__type_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    needs = _needs(user)
    for municipality in municipalities:
        cells = []
        for kind in types:
            key = (municipality.pk, kind.pk)
            n_services, places, free = supply.get(key, (0, 0, 0))
            cells.append(
                Cell(
                    municipality=municipality,
                    type=kind,
                    services=n_services,
                    places=places,
                    free=free,
                    need=needs.get(key, 0),
                    waiting=waiting.get(key, 0),
                )
            )
        table.rows.append((municipality, cells))
    return table
