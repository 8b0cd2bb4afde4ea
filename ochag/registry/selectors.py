"""Every read of the registry, starting from the policy querysets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When

from ochag.access.models import Agency, AgencyType
from ochag.access.policies import agencies
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
from ochag.registry.explain import engine, person_record, search_keys
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    Membership,
    Person,
    PersonKey,
    Relationship,
)
from ochag.registry.policies import duplicates, households, persons
from ochag.registry.schooling import Schooling
from ochag.registry.vocabulary import near_keys

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


# Name matches fetched from the key index per search, most relevant first; beyond it the
# query is too broad.
ID_CAP = 5000
# An engine probability below this for every strict hit lets the tolerant pass run too.
WEAK = 0.5


_STOPWORDS = frozenset({"для", "от", "на", "по", "из", "со", "ко", "об", "при", "про"})


def _token_keys(token: NameToken, tolerant: bool = False) -> list[str]:
    """PersonKey values a token may match: its surname, first-name and father's-name keys,
    its script-neutral skeletons (Latin input, and spellings the skeleton absorbs: й/и,
    doubled letters, ь, тс/ц), and when `tolerant` the known skeletons one or two edits away
    (a typo in the query or in the record)."""
    if len(token.text) <= 1 or token.text.lower() in _STOPWORDS:
        return []  # an initial or a preposition («у Ивановой») narrows nothing by itself
    keys = ["L" + k for k in token.as_last_keys] + ["F" + k for k in token.as_first_keys]
    keys += ["P" + k for k in token.as_patronymic_keys]
    keys += ["K" + k for k in token.as_last_skeletons]
    keys += ["G" + k for k in token.as_first_skeletons]
    if tolerant:
        keys += near_keys("K", token.as_last_skeletons)
        keys += near_keys("G", token.as_first_skeletons)
    return sorted({k for k in keys if len(k) > 1})


def _birth_keys(dates: list[str]) -> list[str]:
    # A registry birth date known only to the year or month still matches a full query date.
    return sorted({k for d in dates for k in (d, d[:7], d[:4])})


def _ranked_ids(groups: list[list[str]], need: int, bonus: list[str]) -> tuple[list[int], bool]:
    """Person ids matching at least `need` of the key groups (one group per name token),
    most groups first, a matching birth date (`bonus` keys) next; at most ID_CAP of them.
    One aggregate over the (key, person) index; returns the ids and whether it was capped."""
    whens = [When(key__in=keys, then=Value(i)) for i, keys in enumerate(groups)]
    matched = Count(Case(*whens, output_field=IntegerField()), distinct=True)
    date = Count(Case(When(key__in=bonus, then=Value(1)), output_field=IntegerField()))
    every = sorted({k for keys in groups for k in keys} | set(bonus))
    rows = (
        PersonKey.objects.filter(key__in=every)
        .values("person_id")
        .annotate(n=matched, d=date)
        .filter(n__gte=need)
        .order_by("-n", "-d", "-person_id")
        .values_list("person_id", flat=True)
    )
    ids = list(rows[: ID_CAP + 1])
    return ids[:ID_CAP], len(ids) > ID_CAP


def search_queryset(base: models.QuerySet[Person], query: SearchQuery, tolerant: bool = False
                    ) -> tuple[list[int], bool]:  # fmt: skip
    """Ids of persons in `base` for a parsed query, most relevant first, and whether the
    query was too broad for all of them.

    Name tokens are what must match: all of them, or when `tolerant` all but one (a query
    of two or more words) with each token's near spellings as well. A birth date or year
    never removes a person: it raises those born then (see :func:`person_search`, which
    ranks by the engine). A SNILS is an exact filter.
    """
    groups = [keys for keys in (_token_keys(t, tolerant) for t in query.names) if keys]
    bonus = ["B" + k for k in _birth_keys(query.dates)] + ["Y" + y for y in query.years]
    if query.snils:
        qs = base.filter(snils__in=query.snils)
        return list(qs.order_by("-pk").values_list("pk", flat=True)[:ID_CAP]), False
    if not groups:
        if not bonus or query.names:
            return [], False  # only initials or prepositions: nothing to search on
        groups, bonus = [bonus], []
    need = len(groups) - 1 if tolerant and len(groups) > 1 else len(groups)
    ids, capped = _ranked_ids(groups, need, bonus)
    inside = set(base.filter(pk__in=ids).values_list("pk", flat=True))
    return [i for i in ids if i in inside], capped


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


def _date_distance(query: SearchQuery, person: Person) -> int:
    """Days between the query's date (or mid-year of its year) and the person's birth date,
    for ordering namesakes; large when either is unknown."""
    wanted = query.dates[:1] or [f"{y}-07-01" for y in query.years[:1]]
    if not wanted or not person.birth_year:
        return 10**6
    y, m, d = (int(x) for x in wanted[0].split("-"))
    born = dt.date(person.birth_year, person.birth_month or 7, person.birth_day or 1)
    return abs((born - dt.date(y, m, d)).days)


def _rank(query: SearchQuery, rows: list[Person], user: User) -> list[SearchHit]:
    """Engine score first; namesakes with equal scores by birth-date closeness, then the
    searcher's own municipality, then the most recently created record."""
    weight = engine().scorer.weight
    hits = []
    for person in rows:
        rec = _query_record(query, person)
        score = weight(features(rec), features(person_record(person)))[0]
        hits.append(SearchHit(person, round(score, 4), rec))
    agency = getattr(user, "agency", None)
    home = agency.territory_id if agency is not None else None
    hits.sort(key=lambda h: (-h.score, _date_distance(query, h.person),
                             h.person.territory_id != home, -h.person.pk))  # fmt: skip
    return hits


def person_search(*, user: User, text: str, limit: int = CANDIDATE_LIMIT) -> SearchOutcome:
    """Staff search: indexed candidates in the user's scope, ranked by the engine.

    A strict pass (every name word matches a stored key) answers most queries; when it
    finds nothing, or nothing the engine finds likely, a tolerant pass adds the known
    names near each word and lets one word miss."""
    query = parse_search_query(text[:200])
    outcome = SearchOutcome(query=query)
    if not outcome.understood:
        return outcome
    base = persons.searchable(user)
    hits: list[SearchHit] = []
    for tolerant in (False, True):
        ids, capped = search_queryset(base, query, tolerant)
        chosen = ids[: limit + 1]
        by_id = {p.pk: p for p in base.filter(pk__in=chosen).prefetch_related("former_names")}
        rows = [by_id[i] for i in chosen if i in by_id]
        outcome.truncated = capped or len(rows) > limit
        hits = _rank(query, rows[:limit], user)
        if query.snils or not query.names:
            break
        if hits and (len(query.names) == 1 or hits[0].probability >= WEAK):
            break
    outcome.hits = hits
    # No exact count past the limit: it would cost a second pass over a common surname.
    outcome.total = len(hits)
    return outcome


def name_candidate_ids(base: models.QuerySet[Person], rec: PersonRecord) -> list[int]:
    """Ids of persons in `base` who could be `rec`, most relevant first, found the way the
    staff search finds them when tolerant: each name word in any field (swapped fields),
    near spellings, one word allowed to miss, the birth date ranking and never filtering."""
    words = [w for w in (rec.last_name, rec.first_name, rec.patronymic) if w]
    y, m, d = parse_date(rec.birth_date)
    if y is not None:
        words.append(f"{d:02d}.{m:02d}.{y}" if m and d else str(y))
    query = parse_search_query(" ".join(words))
    if not query.names:
        return []
    return search_queryset(base, query, tolerant=True)[0]


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


def duplicates_waiting(
    pairs: models.QuerySet[DuplicateCandidate],
) -> models.QuerySet[DuplicateCandidate]:
    """Pairs nobody has decided on: what the queue shows unless a status is chosen, and what
    the home page counts."""
    return pairs.filter(status=DuplicateStatus.OPEN)


def person_schooling(person: Person) -> list[Schooling]:
    """The person's schools and kindergartens, current ones first (the card shows them to
    whoever may see the person)."""
    rows = Schooling.objects.filter(person=person).select_related("agency")
    return list(rows.order_by(models.F("until").desc(nulls_first=True), "-since", "-pk"))


def schools_for(user: User) -> models.QuerySet[Agency]:
    """Education agencies the user may see: the schools a form offers."""
    return agencies.visible(user).filter(type=AgencyType.EDUCATION, is_active=True).order_by("name")
