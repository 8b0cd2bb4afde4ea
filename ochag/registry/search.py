"""Finding a person in the registry: the staff search box and the intake's tolerant look-up.

The candidates come from the key index, one statement per look-up (:mod:`ochag.registry.keyplan`:
what is asked of the index and why it is asked that way); this module ranks them with the
linkage engine (:func:`person_search`) and offers the intake's look-ups (:func:`name_candidates`,
:func:`resolve_candidates`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import OuterRef, Q, StringAgg, Subquery, Value
from rapidfuzz.distance import JaroWinkler

from ochag.core.dates import PartialDate
from ochag.linkage import (
    Candidate,
    Features,
    FieldExplanation,
    NameToken,
    PersonRecord,
    SearchQuery,
    birth_reach,
    features,
    parse_search_query,
    skeleton,
)
from ochag.registry.explain import FORMER_SEP, engine, person_record, search_keys
from ochag.registry.keyplan import (
    CAP,
    KeyPlan,
    birth_keys,
    plan_candidates,
    plan_records,
    token_keys,
)
from ochag.registry.models import Person, PersonFormerName, PersonKey
from ochag.registry.policies import persons
from ochag.registry.vocabulary import vocabulary

if TYPE_CHECKING:
    from ochag.access.models import User

# Rows re-ranked in Python per search; more matches ask the user to narrow the query.
CANDIDATE_LIMIT = 100
# An engine probability below this for every exact hit lets the near spellings count too.
WEAK = 0.5
# A typed word this short beside another word may be a fragment of a word broken by a space.
FRAGMENT = 3


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


def _snils_candidates(base: models.QuerySet[Person], snils: list[str], limit: int
                      ) -> list[Person]:  # fmt: skip
    former = (
        PersonFormerName.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(joined=StringAgg("last_name", delimiter=Value(FORMER_SEP)))
        .values("joined")
    )
    found = base.filter(snils__in=snils).annotate(
        former_joined=Subquery(former, output_field=models.CharField())
    )
    return list(found.order_by("-pk")[:limit])


def search_ids(base: models.QuerySet[Person], query: SearchQuery) -> tuple[list[int], bool]:
    """Ids of the persons in `base` every name word of a parsed query meets exactly (or a
    SNILS), most relevant first, at most CAP, and whether there were more."""
    if query.snils:
        ids = list(
            base.filter(snils__in=query.snils)
            .order_by("-pk")
            .values_list("pk", flat=True)[: CAP + 1]
        )
    else:
        plan = KeyPlan.of(query, tolerant=False)
        ids = [p.pk for p in plan_candidates(base, plan, CAP + 1)] if plan else []
    return ids[:CAP], len(ids) > CAP


# Similarity of skeletons from which a word no key places is read as that field's misspelling.
NEAR_FIELD = 0.75


def _nearest_field(token: NameToken, person: Person) -> str:
    """The field of `person` a word that met none of its keys was meant for: the one whose
    value it is nearest to (a misspelling, an unknown case ending, Latin), else the field it
    looks like. Placed by its look alone, «ВОРОБЬЁВУ ГАЛИНУ ВИТАЛЬЕВНУ» read as two surnames
    and scored every «Галина» alike: at 1 M persons the right one fell below namesakes."""
    word = skeleton(token.text)
    fields = {"last": person.last_name, "first": person.first_name,
              "patronymic": person.patronymic}  # fmt: skip
    scored = [(JaroWinkler.similarity(word, skeleton(v)), f) for f, v in fields.items() if v]
    best = max(scored, default=(0.0, token.looks_like))
    return best[1] if word and best[0] >= NEAR_FIELD else token.looks_like


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
            parts[_nearest_field(t, person)].append(t.text)
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


def _rank(query: SearchQuery, rows: list[Person], user: User, ranked: list[SearchHit] | None = None
          ) -> list[SearchHit]:  # fmt: skip
    """Engine score first; namesakes with equal scores by birth-date closeness, then the
    searcher's own municipality, then the most recently created record. Hits already in
    `ranked` are not scored again."""
    weight = engine().scorer.weight
    done = {h.person.pk: h for h in ranked or []}
    # The query placed in fields the same way for many rows: its features are computed once.
    placed: dict[PersonRecord, Features] = {}
    hits = []
    for person in rows:
        hit = done.get(person.pk)
        if hit is None:
            rec = _query_record(query, person)
            f = placed.get(rec)
            if f is None:
                f = placed[rec] = features(rec)
            score = weight(f, features(person_record(person)))[0]
            hit = SearchHit(person, round(score, 4), rec)
        hits.append(hit)
    return _ordered(query, hits, user)


def _ordered(query: SearchQuery, hits: list[SearchHit], user: User) -> list[SearchHit]:
    agency = getattr(user, "agency", None)
    home = agency.territory_id if agency is not None else None
    hits.sort(key=lambda h: (-h.score, _date_distance(query, h.person),
                             h.person.territory_id != home, -h.person.pk))  # fmt: skip
    return hits


def _joined(query: SearchQuery) -> list[SearchQuery]:
    """The query with two adjacent words typed as one, for each pair of which one word is no
    known surname or first name: a space typed inside a word («Каш ин Айрат», «ДМИТ РИЙ
    КРУПНОВ») leaves two fragments that meet no key, and every word must meet one (or all
    but one, near spellings counting)."""
    known = vocabulary()

    def unknown(t: NameToken) -> bool:
        return not (any(k in known["K"] for k in t.as_last_skeletons)
                    or any(k in known["G"] for k in t.as_first_skeletons))  # fmt: skip

    def fragment(t: NameToken) -> bool:  # a name's few letters: «Каш ин», «Вла димирович»
        return len(t.text) <= FRAGMENT or unknown(t)

    names = query.names
    out = []
    for i in range(len(names) - 1):
        a, b = names[i], names[i + 1]
        # both unknown, or one a fragment; a misspelt word beside a known name is no split
        if (unknown(a) and unknown(b)) or (fragment(a) and fragment(b) and min(
                len(a.text), len(b.text)) <= FRAGMENT):  # fmt: skip
            words = [t.text for t in names[:i]] + [names[i].text + names[i + 1].text]
            words += [t.text for t in names[i + 2 :]] + query.dates + query.years
            out.append(parse_search_query(" ".join(words)))
    return out


def _repaired(query: SearchQuery, base: models.QuerySet[Person], user: User, limit: int
              ) -> list[SearchHit]:  # fmt: skip
    """When neither look-up found anyone: the anchored second tolerant look-up
    (:meth:`KeyPlan.anchored`: two words misspelt, or a name missing with the date typed) and
    the query with a word broken by a space joined again, every result ranked by the engine
    (a joined query's hits by the joined query, the best score of a person kept)."""
    best: dict[int, SearchHit] = {}

    def keep(found: list[SearchHit]) -> None:
        for h in found:
            if h.person.pk not in best or h.score > best[h.person.pk].score:
                best[h.person.pk] = h

    plan = KeyPlan.anchored(query)
    if plan:
        keep(_rank(query, plan_candidates(base, plan, limit), user))
    for joined in _joined(query):
        for tolerant in (False, True):
            plan = KeyPlan.of(joined, tolerant)
            rows = plan_candidates(base, plan, limit) if plan else []
            keep(_rank(joined, rows, user))
            if rows:
                break
    return _ordered(query, list(best.values()), user)[:limit]


def person_search(*, user: User, text: str, limit: int = CANDIDATE_LIMIT) -> SearchOutcome:
    """Staff search: indexed candidates in the user's scope, ranked by the engine.

    First the persons meeting every word exactly; for a query of several words the engine
    ranks them alone when it finds one of them likely. Otherwise a second, tolerant
    look-up: persons with one word missing or spelt near a known name too, those meeting
    every word exactly first, all ranked by the engine. (One tolerant look-up would find
    the same, but at 1 M persons it reads every key row of a common first name and
    father's name, some 100 000, where the exact one reads those of the surname.) A
    one-word query takes the exact matches (the near spellings of a lone word are mostly
    other names) and looks near only when there are none. When both found nobody, the
    repairs of :func:`_repaired` (a word broken by a space, two words misspelt)."""
    query = parse_search_query(text[:200])
    outcome = SearchOutcome(query=query)
    if not outcome.understood:
        return outcome
    base = persons.searchable(user)
    if query.snils:
        rows = _snils_candidates(base, query.snils, limit + 1)
        outcome.hits = _rank(query, rows[:limit], user)
        outcome.truncated = len(rows) > limit
        outcome.total = len(outcome.hits)
        return outcome
    words = len([t for t in query.names if token_keys(t)])
    hits: list[SearchHit] = []
    for tolerant in (False, True) if words else (False,):
        plan = KeyPlan.of(query, tolerant)
        rows = plan_candidates(base, plan, limit + 1) if plan else []
        exact = [p for p in rows if getattr(p, "words_exact", 0) >= len(plan.exact if plan else [])]
        hits = _rank(query, exact[:limit], user, ranked=hits)
        outcome.truncated = len(exact) > limit
        likely = bool(hits) and hits[0].probability >= WEAK
        if tolerant and not likely:
            hits = _rank(query, rows[:limit], user, ranked=hits)
            outcome.truncated = len(rows) > limit
        if likely or (hits and (tolerant or words == 1)):
            break
    # Only when both look-ups found nobody: in every 7th FEBRL-style query (100) the
    # repairs never bettered a weak but non-empty result, and they cost up to five
    # statements more.
    if words and not hits:
        hits = _repaired(query, base, user, limit)
    outcome.hits = hits
    # No exact count past the limit: it would cost a second pass over a common surname.
    outcome.total = len(hits)
    return outcome


def name_plan(rec: PersonRecord) -> KeyPlan | None:
    """The tolerant look-up for `rec`, as the staff search would look its words up: each
    name word in any field (swapped fields), near spellings, one word allowed to miss, the
    birth date ranking; and only persons whose birth date can still bring them to review
    (:func:`ochag.linkage.birth_reach`: with the engine's weights a namesake born on an
    unrelated date never can). None when there is no name word to look up."""
    words = [w for w in (rec.last_name, rec.first_name, rec.patronymic) if w]
    y, m, d = PartialDate.parse(rec.birth_date).parts
    if y is not None:
        words.append(f"{d:02d}.{m:02d}.{y}" if m and d else str(y))
    query = parse_search_query(" ".join(words))
    plan = KeyPlan.of(query, tolerant=True) if query.names else None
    if plan is None:
        return None
    # only the registry dates that can still bring a candidate to review (linkage.reach)
    born = _birth_reach(rec.birth_date, bool(rec.patronymic), bool(rec.relatives or rec.address))
    return replace(plan, born=born)


@lru_cache(maxsize=50_000)
def _birth_reach(birth_date: str | None, patronymic: bool, household: bool
                 ) -> tuple[str, ...] | None:  # fmt: skip
    # the shipped parameters are one per process (engine()): the answer is the date's
    return birth_reach(engine().params, birth_date, patronymic=patronymic, household=household)


def name_candidates(base: models.QuerySet[Person], recs: list[PersonRecord], limit: int
                    ) -> list[list[PersonRecord]]:  # fmt: skip
    """Per record of `recs`, the persons in `base` who could be it (:func:`name_plan`), most
    relevant first, as linkage records with their former surnames. One statement for all."""
    plans = [name_plan(rec) for rec in recs]
    found = iter(plan_records(base, [p for p in plans if p is not None], limit))
    return [next(found) if p is not None else [] for p in plans]


def resolve_candidates(base: models.QuerySet[Person], rec: PersonRecord, limit: int = 500
                       ) -> list[Person]:  # fmt: skip
    """Blocked SQL look-up of registry rows that could be the same person as ``rec``."""
    probe = Person(
        last_name=rec.last_name or "", first_name=rec.first_name or "",
        patronymic=rec.patronymic or "", sex=rec.sex or "", snils=rec.snils or "",
    )  # fmt: skip
    probe.birth_year, probe.birth_month, probe.birth_day = PartialDate.parse(rec.birth_date).parts
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
            key_birth__in=birth_keys([probe.key_birth]),
            pk__in=PersonKey.objects.filter(key__in=first).values("person_id"),
        )
    if first and patr and probe.birth_year:
        # a changed surname (marriage) with the same first name, father's name and year
        cond |= Q(
            birth_year=probe.birth_year,
            pk__in=PersonKey.objects.filter(key__in=first).values("person_id"),
        ) & Q(pk__in=PersonKey.objects.filter(key__in=patr).values("person_id"))
    return list(base.filter(cond).order_by("pk")[:limit])
