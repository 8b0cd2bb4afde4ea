"""Every read of the registry, starting from the policy querysets."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from ochag.linkage import (
    Candidate,
    FieldExplanation,
    NameToken,
    PersonRecord,
    SearchQuery,
    features,
    parse_date,
    parse_search_query,
)
from ochag.registry.explain import engine, nominative_text, person_record, search_keys
from ochag.registry.models import (
    DuplicateCandidate,
    Household,
    Membership,
    Person,
    PersonKey,
    Relationship,
)
from ochag.registry.policies import duplicates, households, persons

if TYPE_CHECKING:
    from ochag.access.models import User

# Rows re-ranked in Python per search; more matches ask the user to narrow the query.
CANDIDATE_LIMIT = 100


@dataclass
class SearchHit:
    """A ranked result; the per-field explanation is built only for hits that are shown."""

    person: Person
    score: float
    query_record: PersonRecord

    @cached_property
    def candidate(self) -> Candidate:
        return engine().compare(self.query_record, person_record(self.person))

    @property
    def probability(self) -> float:
        return self.candidate.probability

    @property
    def explanation(self) -> list[FieldExplanation]:
        return self.candidate.explanation


@dataclass
class SearchOutcome:
    query: SearchQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    truncated: bool = False

    @property
    def understood(self) -> bool:
        q = self.query
        return bool(q.names or q.dates or q.years or q.snils)


# Name matches fetched from the key index per search; beyond it the query is too broad.
ID_CAP = 5000


_STOPWORDS = frozenset({"для", "от", "на", "по", "из", "со", "ко", "об", "при", "про"})


def _token_keys(token: NameToken) -> list[str]:
    """PersonKey values a token may match. Skeleton keys (script-neutral) are only needed for
    Latin input: for Cyrillic, the folded and canonical keys already cover the variants."""
    if len(token.text) <= 1 or token.text.lower() in _STOPWORDS:
        return []  # an initial or a preposition («у Ивановой») narrows nothing by itself
    latin = any("a" <= c <= "z" for c in token.text.lower())
    keys = ["L" + k for k in token.as_last_keys] + ["F" + k for k in token.as_first_keys]
    keys += ["P" + k for k in token.as_patronymic_keys]
    if latin:
        keys += ["K" + k for k in token.as_last_skeletons]
        keys += ["G" + k for k in token.as_first_skeletons]
    return sorted({k for k in keys if len(k) > 1})


def _birth_keys(dates: list[str]) -> list[str]:
    # A registry birth date known only to the year or month still matches a full query date.
    return sorted({k for d in dates for k in (d, d[:7], d[:4])})


def search_queryset(base: models.QuerySet[Person], query: SearchQuery
                    ) -> tuple[models.QuerySet[Person], bool]:  # fmt: skip
    """Indexed filters for a parsed query; every name token, date and year must match.

    Name tokens ("L", "F", "P"… keys), dates ("B") and years ("Y") are resolved first, in the
    (key, person) index alone: an INTERSECT of
    index-only scans, fetched as a list of ids. The person query then gets literal ids, so
    PostgreSQL looks them up by primary key instead of choosing a walk of the whole table
    for ORDER BY ... LIMIT. Returns the queryset and whether the id list was capped.
    """
    qs = base
    capped = False
    keyed = [keys for keys in (_token_keys(t) for t in query.names) if keys]
    if query.dates:
        keyed.append(["B" + k for k in _birth_keys(query.dates)])
    if query.years:
        keyed.append(["Y" + y for y in query.years])
    if keyed:
        ids_qs = PersonKey.objects.filter(key__in=keyed[0]).values_list("person_id", flat=True)
        for keys in keyed[1:]:
            ids_qs = ids_qs.intersection(
                PersonKey.objects.filter(key__in=keys).values_list("person_id", flat=True)
            )
        ids = list(ids_qs[: ID_CAP + 1])
        capped = len(ids) > ID_CAP
        qs = qs.filter(pk__in=ids[:ID_CAP])
    elif query.names and not query.snils:
        return qs.none(), False  # only initials or prepositions: nothing to search on
    if query.snils:
        qs = qs.filter(snils__in=query.snils)
    return qs, capped


def _query_record(query: SearchQuery, person: Person) -> PersonRecord:
    """The query as a record, each token placed in the field it matched for this person."""
    parts: dict[str, list[str]] = {"last": [], "first": [], "patronymic": []}
    firsts = set(person.key_first.split())
    first_skels = set(person.key_first_skel.split())
    for t in query.names:
        if person.key_last in t.as_last_keys or person.key_last_skel in t.as_last_skeletons:
            parts["last"].append(t.text)
        elif firsts & set(t.as_first_keys) or first_skels & set(t.as_first_skeletons):
            parts["first"].append(t.text)
        elif person.key_patronymic and person.key_patronymic in t.as_patronymic_keys:
            parts["patronymic"].append(t.text)
        else:
            parts[t.looks_like].append(t.text)
    birth = ""
    for d in query.dates:
        if person.key_birth and d.startswith(person.key_birth):
            birth = d
            break
    if not birth and query.dates:
        birth = query.dates[0]
    if not birth and query.years:
        birth = query.years[0]
    return PersonRecord(
        record_id="query",
        last_name=" ".join(parts["last"]) or None,
        first_name=" ".join(parts["first"]) or None,
        patronymic=" ".join(parts["patronymic"]) or None,
        birth_date=birth or None,
        snils=query.snils[0] if query.snils else None,
    )


def person_search(*, user: User, text: str, limit: int = CANDIDATE_LIMIT) -> SearchOutcome:
    """Staff search: indexed SQL candidates in the user's scope, ranked by the engine."""
    query = parse_search_query(nominative_text(text[:200]))
    outcome = SearchOutcome(query=query)
    if not outcome.understood:
        return outcome
    qs, capped = search_queryset(persons.searchable(user), query)
    rows = list(qs.order_by("pk")[: limit + 1])
    outcome.truncated = capped or len(rows) > limit
    rows = rows[:limit]
    # No exact count past the limit: it would cost a second pass over a common surname.
    outcome.total = len(rows)
    weight = engine().scorer.weight
    for person in rows:
        rec = _query_record(query, person)
        score = weight(features(rec), features(person_record(person)))[0]
        outcome.hits.append(SearchHit(person, round(score, 4), rec))
    outcome.hits.sort(
        key=lambda h: (-h.score, h.person.last_name, h.person.first_name, h.person.pk)
    )
    return outcome


def resolve_candidates(base: models.QuerySet[Person], rec: PersonRecord, limit: int = 500
                       ) -> list[Person]:  # fmt: skip
    """Blocked SQL look-up of registry rows that could be the same person as ``rec``."""
    probe = Person(
        last_name=rec.last_name or "", first_name=rec.first_name or "",
        patronymic=rec.patronymic or "", sex=rec.sex or "", snils=rec.snils or "",
    )  # fmt: skip
    probe.birth_year, probe.birth_month, probe.birth_day = parse_date(rec.birth_date)
    keys = search_keys(probe)
    last = [k for k in keys if k[0] in "LK"]
    first = [k for k in keys if k[0] in "FG"]
    patr = [k for k in keys if k[0] == "P"]
    cond = Q(pk__in=[])
    if probe.snils:
        cond |= Q(snils=probe.snils)
    if last:
        cond |= Q(pk__in=PersonKey.objects.filter(key__in=last).values("person_id"))
    if first and probe.key_birth:
        cond |= Q(
            key_birth__in=_birth_keys([probe.key_birth]),
            pk__in=PersonKey.objects.filter(key__in=first).values("person_id"),
        )
    if first and patr and probe.birth_year:
        # a changed surname (marriage) with the same first name, father's name and year
        cond |= Q(
            birth_year=probe.birth_year,
            pk__in=PersonKey.objects.filter(key__in=first).values("person_id"),
        ) & Q(pk__in=PersonKey.objects.filter(key__in=patr).values("person_id"))
    return list(base.filter(cond).order_by("pk")[:limit])


def person_households(user: User, person: Person) -> list[Membership]:
    """The person's households the user may see (a family may live across a boundary)."""
    return list(
        Membership.objects.filter(person=person, household__in=households.visible(user))
        .select_related("household", "household__territory")
        .order_by("household__name")
    )


def person_relationships(user: User, person: Person
                         ) -> tuple[list[Relationship], list[Relationship]]:  # fmt: skip
    """(relations where the person is the relative, relations of others to the person), only
    with relatives the user may see."""
    seen = persons.visible(user)
    out = list(
        Relationship.objects.filter(person=person, relative_of__in=seen)
        .select_related("relative_of")
    )  # fmt: skip
    inc = list(
        Relationship.objects.filter(relative_of=person, person__in=seen).select_related("person")
    )
    return out, inc


def household_members(user: User, household: Household) -> list[Membership]:
    """Members of a household the user may see."""
    return list(
        Membership.objects.filter(household=household, person__in=persons.visible(user))
        .select_related("person", "person__territory")
        .order_by("role", "person__birth_year", "person__last_name")
    )


def household_relationships(user: User, household: Household) -> list[Relationship]:
    """Relationships between members of a household, both of whom the user may see."""
    ids = Membership.objects.filter(household=household, person__in=persons.visible(user)).values(
        "person_id"
    )
    return list(
        Relationship.objects.filter(person_id__in=ids, relative_of_id__in=ids)
        .select_related("person", "relative_of")
        .order_by("relative_of__birth_year", "kind")
    )


def duplicate_queue(user: User) -> models.QuerySet[DuplicateCandidate]:
    return duplicates.visible(user).filter(
        person_a__merged_into__isnull=True, person_b__merged_into__isnull=True
    )
