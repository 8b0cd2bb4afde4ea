"""Which persons and households an agency's work concerns: the registry's need-to-know.

The registry sits below the apps that create involvement (signals, cases, support), so it
never reads their tables. Each of them registers, in ``AppConfig.ready``, a provider that
answers two questions in its own terms:

* :attr:`Provider.involvement` — which persons and households does this user's work concern
  (as id subqueries, so a policy stays one SQL statement)?
* :attr:`Provider.owners` — which agencies work with these persons or households (whom to
  tell when someone opens the record by break-glass)?

An emergency (break-glass) grant of the access app counts as involvement for its few hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from ochag.access.models import User

# A subquery of ids (``.values("x_id")``); None when a provider has nothing of that kind.
IdQuery = QuerySet[Any] | None


@dataclass(frozen=True)
class Involvement:
    persons: IdQuery = None
    households: IdQuery = None


@dataclass(frozen=True)
class Provider:
    name: str
    involvement: Callable[[User], Involvement]
    owners: Callable[[list[int], list[int]], Iterable[int]]


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Add (or replace, on a repeated ``ready``) the provider of this name."""
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def _grants(user: User) -> Involvement:
    from ochag.access.breakglass import granted_ids

    return Involvement(
        persons=granted_ids(user, "person"), households=granted_ids(user, "household")
    )


def _all(user: User) -> list[Involvement]:
    return [_grants(user), *(p.involvement(user) for p in _providers.values())]


def household_ids_q(user: User, field: str = "pk") -> Q:
    """Households some provider says the user's work concerns (or a live grant opens)."""
    q = Q(pk__in=[])
    for inv in _all(user):
        if inv.households is not None:
            q |= Q(**{f"{field}__in": inv.households})
    return q


def households_of(person_ids: Iterable[int] | QuerySet[Any]) -> QuerySet[Any]:
    """Ids (a subquery) of every household the persons belong or belonged to: what a
    provider's ``owners`` and ``PersonNeeds`` ask of the registry, in one statement."""
    from ochag.registry.models import Membership

    ids = person_ids if isinstance(person_ids, QuerySet) else list(person_ids)
    return Membership.objects.filter(person_id__in=ids).values("household_id")


def members_of(household_ids: Iterable[int] | QuerySet[Any]) -> QuerySet[Any]:
    """Ids (a subquery, ``person_id``) of every member, past or present, of the households
    (ids or a subquery of them)."""
    from ochag.registry.models import Membership

    ids = household_ids if isinstance(household_ids, QuerySet) else list(household_ids)
    return Membership.objects.filter(household_id__in=ids).values("person_id")


def person_ids_q(user: User, field: str = "pk") -> Q:
    """Persons the user's work concerns: named by a provider or a grant, or members of a
    household that is."""
    q = Q(pk__in=[])
    for inv in _all(user):
        if inv.persons is not None:
            q |= Q(**{f"{field}__in": inv.persons})
        if inv.households is not None:
            q |= Q(**{f"{field}__in": members_of(inv.households)})
    return q


def owner_agency_ids(*, person_ids: list[int], household_ids: list[int]) -> set[int]:
    """Agencies whose work concerns any of these persons or households."""
    return {a for p in _providers.values() for a in p.owners(person_ids, household_ids)}


# What still needs a person (a signal naming them, their family's case…): a list of reasons,
# empty when nothing does. A person is marked for deletion only when every answer is empty.
PersonNeeds = Callable[[int], list[str]]
_needs: dict[str, PersonNeeds] = {}


def register_needs(name: str, needs: PersonNeeds) -> None:
    _needs[name] = needs


def person_needs(person_id: int) -> list[str]:
    return [reason for needs in _needs.values() for reason in needs(person_id)]
