"""«Known to the system»: what a search tells a role that sees only its own families.

A school, clinic, police, institution or helpline user whose search finds nobody they work
with may still need to know that the family is already known, so as not to start a second
record and to know whom to call. The answer names no one: how many records match, their
record numbers (to ask for emergency access) and the bodies to contact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from ochag.access.models import Agency, AgencyType, Role
from ochag.linkage import parse_search_query
from ochag.registry.policies import may_look_up, persons
from ochag.registry.selectors import search_ids

if TYPE_CHECKING:
    from ochag.access.models import User

# Record numbers offered for emergency access; a broader query should be narrowed first.
SHOWN = 10


@dataclass
class KnownElsewhere:
    count: int
    record_ids: list[int] = field(default_factory=list)
    contacts: list[Agency] = field(default_factory=list)


def contacts_for(user: User) -> list[Agency]:
    """The regional coordinator's agency and the guardianship body of the user's territory."""
    scope = user.scope_territory
    if scope is None or user.agency is None:
        return []
    region = scope.region or scope
    coordinators = Agency.objects.filter(
        staff__role=Role.REGIONAL_COORDINATOR, staff__is_active=True,
        territory__path__startswith=region.path,
    ).values("pk")  # fmt: skip
    return list(
        Agency.objects.filter(is_active=True)
        .filter(
            Q(pk__in=coordinators)
            | Q(type=AgencyType.GUARDIANSHIP, territory_id=user.agency.territory_id)
        )
        .order_by("type", "name")
    )


def known_elsewhere(*, user: User, text: str) -> KnownElsewhere | None:
    """Current persons matching ``text`` in the user's territory that the user does not see;
    None when the role may not look up or the query names nobody."""
    if not may_look_up(user):
        return None
    query = parse_search_query(text[:200])
    if not (query.names or query.snils):
        return None
    ids, _capped = search_ids(persons.lookup_scope(user), query)
    if not ids:
        return KnownElsewhere(count=0)
    seen = set(persons.searchable(user).filter(pk__in=ids).values_list("pk", flat=True))
    hidden = [i for i in ids if i not in seen]
    if not hidden:
        return KnownElsewhere(count=0)
    return KnownElsewhere(count=len(hidden), record_ids=sorted(hidden[:SHOWN]),
                          contacts=contacts_for(user))  # fmt: skip
