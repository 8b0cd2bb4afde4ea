"""Finding a person in the registry: the staff search box and the intake's tolerant look-up.

One statement per look-up: an aggregate over the (key, person) index counts, per person,
the name words met (exactly, or by a near spelling), ranks them and keeps the first
``CAP``; only those are joined to the policy's queryset (scope, need-to-know) and to their
person row, municipality and former surnames, and the first ``limit`` come back as model
instances. The engine then ranks them (:func:`person_search`).

Why this shape: joining the policy's rows first and grouping after (the ORM's natural form)
made PostgreSQL scan every person of the region per search; the old two-step form (ids first,
rows by ``pk IN (…5000 ids)`` next, then a second pass for the tolerant look-up) cost 5–9
round trips. The aggregate is two-level (distinct (person, word) pairs first, then per
person) instead of ``COUNT(DISTINCT CASE …)``: PostgreSQL sorts per group for a DISTINCT.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import OuterRef, Q, StringAgg, Subquery, Value
from rapidfuzz.distance import JaroWinkler

from ochag.core.dates import PartialDate
from ochag.core.models import Territory
from ochag.linkage import (
    Candidate,
    Features,
    FieldExplanation,
    NameToken,
    PersonRecord,
    SearchQuery,
    features,
    parse_search_query,
    skeleton,
)
from ochag.registry.explain import FORMER_SEP, engine, person_record, search_keys
from ochag.registry.models import Person, PersonFormerName, PersonKey
from ochag.registry.policies import persons
from ochag.registry.vocabulary import near_keys

if TYPE_CHECKING:
    from ochag.access.models import User

# Rows re-ranked in Python per search; more matches ask the user to narrow the query.
CANDIDATE_LIMIT = 100
# Name matches ranked by the key index per look-up before the policy's scope is applied;
# beyond them a query is too broad for a narrow scope.
CAP = 5000
# Persons of a tolerant look-up's weak part (every word met but the surname) read at most
# when the query gives no date to choose them by (see _matches_by_words).
WEAK_CAP = 500
# An engine probability below this for every exact hit lets the near spellings count too.
WEAK = 0.5


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


_STOPWORDS = frozenset({"для", "от", "на", "по", "из", "со", "ко", "об", "при", "про"})


def _token_keys(token: NameToken, tolerant: bool = False) -> list[str]:
    """PersonKey values a token may match: its surname, first-name and father's-name keys,
    its script-neutral skeletons (Latin input, and spellings the skeleton absorbs: й/и,
    doubled letters, ь, тс/ц), and when `tolerant` the known skeletons one or two edits away
    (a typo in the query or in the record)."""
    if len(token.text) <= 1 or token.text.lower() in _STOPWORDS:
        return []  # an initial or a preposition («у Ивановой») narrows nothing by itself
    keys = ["L" + k for k in token.as_last_keys]
    # A stored first-name key always comes with its skeleton key (both from the same
    # canonical names), and the token's skeletons are those of its canonical names: the
    # skeleton finds everyone the full key finds, so the full key would only add rows (at
    # 1 M persons a common first name is 20 000-30 000 key rows each way).
    keys += ["F" + k for k in token.as_first_keys if not skeleton(k)]
    keys += ["P" + k for k in token.as_patronymic_keys]
    keys += ["K" + k for k in token.as_last_skeletons]
    keys += ["G" + k for k in token.as_first_skeletons]
    if tolerant:
        keys += near_keys("K", token.as_last_skeletons)
        keys += near_keys("G", token.as_first_skeletons)
    if "-" in token.text:
        # a double surname typed whole («Чунина-Аскерова») is stored as its parts too
        for part in parse_search_query(token.text.replace("-", " ")).names:
            if len(part.text) > 2:
                keys += ["L" + k for k in part.as_last_keys]
                keys += ["K" + k for k in part.as_last_skeletons]
    return sorted({k for k in keys if len(k) > 1})


def _birth_keys(dates: list[str]) -> list[str]:
    # A registry birth date known only to the year or month still matches a full query date.
    return sorted({k for d in dates for k in (d, d[:7], d[:4])})


@dataclass(frozen=True)
class KeyPlan:
    """What one look-up asks of the key index: per name word (group) its exact keys and
    its near ones, the birth keys that only raise a person, how many words must meet, the
    word that reads as a surname (``driver``, -1: none; far rarer than a first name or a
    father's name: when every word must meet, its key rows choose the persons), and the
    year keys of the query's dates and years, each ±1 (``years``: those a person missing
    the driving word must be born in, see :func:`_matches_by_words`)."""

    exact: list[list[str]]
    near: list[list[str]]
    bonus: list[str]
    need: int
    driver: int = -1
    years: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, query: SearchQuery, tolerant: bool) -> KeyPlan | None:
        """None when the query has nothing to look up (only initials or prepositions)."""
        exact = [keys for keys in (_token_keys(t) for t in query.names) if keys]
        bonus = ["B" + k for k in _birth_keys(query.dates)] + ["Y" + y for y in query.years]
        if not exact:
            if not bonus or query.names:
                return None
            return cls([bonus], [[]], [], 1)  # a date alone: it is what must match
        near: list[list[str]] = [[] for _ in exact]
        if tolerant:
            tokens = [t for t in query.names if _token_keys(t)]
            pairs = zip(tokens, exact, strict=True)
            near = [sorted(set(_token_keys(t, True)) - set(e)) for t, e in pairs]
        need = len(exact) - 1 if tolerant and len(exact) > 1 else len(exact)
        driver = -1
        if len(exact) > 1:
            looks = [t.looks_like for t in query.names if _token_keys(t)]
            driver = looks.index("last") if "last" in looks else -1
        born = {int(d[:4]) for d in query.dates} | {int(y) for y in query.years}
        years = sorted({f"Y{y + step}" for y in born for step in (-1, 0, 1)})
        return cls(exact, near, bonus, need, driver, years)

    def rows(self) -> list[tuple[str, int, int]]:
        """(key, word, exact?) rows; birth keys are word -1."""
        out = [(k, g, 1) for g, keys in enumerate(self.exact) for k in keys]
        out += [(k, g, 0) for g, keys in enumerate(self.near) for k in keys]
        return out + [(k, -1, 0) for k in self.bonus]


def _former_sql(vendor: str, person: str) -> str:
    q = connection.ops.quote_name
    table, fk = q(PersonFormerName._meta.db_table), q("person_id")
    if vendor == "postgresql":
        agg = f"string_agg(f.{q('last_name')}, %s ORDER BY f.{q('changed_on')}, f.{q('id')})"
    else:
        agg = f"group_concat(f.{q('last_name')}, %s)"
    return f"(SELECT {agg} FROM {table} f WHERE f.{fk} = {person}.{q('id')})"  # noqa: S608


# The person's key words as PostgreSQL sees them in the GIN index of migration 0009: a query
# must use this very expression for the index to serve it.
_WORDS = "string_to_array(c.key_words, ' ')"


def _has(keys: list[str], arrays: bool) -> tuple[str, list[Any]]:
    """A test that the row holds one of `keys`: the key row's value among them (key rows),
    or the person's key words overlapping them (PostgreSQL, one array parameter)."""
    if arrays:
        return f"{_WORDS} && %s::text[]", [keys]
    return f"k.{connection.ops.quote_name('key')} IN ({', '.join(['%s'] * len(keys))})", keys


def _word_columns(plan: KeyPlan, arrays: bool) -> tuple[list[str], list[Any]]:
    """Per word of `plan`: a column saying how the person met it (2 exactly, 1 by a near
    spelling, 0 not), and one saying whether a birth key matched; with their parameters.
    Over key rows each is an aggregate per person; a key may serve several words (one IN
    test per word), so no key-to-word join is needed. Over key words (``arrays``) each is a
    plain expression of the person's row."""
    agg = (lambda sql: sql) if arrays else (lambda sql: f"MAX({sql})")
    cols: list[str] = []
    params: list[Any] = []
    for g, (exact, near) in enumerate(zip(plan.exact, plan.near, strict=True)):
        test, values = _has(exact, arrays)
        case, params = f"WHEN {test} THEN 2", params + values
        if near:
            test, values = _has(near, arrays)
            case, params = f"{case} WHEN {test} THEN 1", params + values
        cols.append(f"{agg(f'CASE {case} ELSE 0 END')} AS w{g}")
    if plan.bonus:
        test, values = _has(plan.bonus, arrays)
        cols.append(f"{agg(f'CASE WHEN {test} THEN 1 ELSE 0 END')} AS d")
        params += values
    else:
        cols.append("0 AS d")
    return cols, params


def _matches_by_words(plan: KeyPlan) -> tuple[str, list[Any]]:
    """PostgreSQL: per person meeting at least ``plan.need`` words, how it met each (the
    columns of :func:`_word_columns`), from the GIN index over the persons' key words. The
    condition is an OR over every choice of ``need`` words of an AND of «holds a key of this
    word»: the index intersects and unites the words' posting lists as bitmaps, so a tolerant
    look-up of «Рязанова Лидия Александровна» reads the 900 persons meeting two of the three
    words, not the 76 000 key rows of «Лидия» and «Александровна» (450 ms at 1 M persons
    and load 7 aggregated per person; 24 ms this way).

    A choice leaving out the surname-looking word (``plan.driver``) is the weak part: at
    1 M persons «Александра Александровна» alone is 2 500 persons, and reading their rows
    cost 100-200 ms. Only the query's top rows reach the engine, and among thousands of
    full namesakes ordered by record number the right one is there by luck, so the weak
    part keeps the persons born within a year of the query's date or year, and without
    one at most ``WEAK_CAP`` of them (which ones is the table's order: luck, as before)."""
    q = connection.ops.quote_name
    words = [e + n for e, n in zip(plan.exact, plan.near, strict=True)]
    strong: list[str] = []
    weak: list[str] = []
    tests: dict[str, list[Any]] = {"strong": [], "weak": []}
    for chosen in combinations(range(len(words)), plan.need):
        sqls, values = zip(*(_has(words[g], arrays=True) for g in chosen), strict=True)
        part = "weak" if 0 <= plan.driver not in chosen else "strong"
        (weak if part == "weak" else strong).append("(" + " AND ".join(sqls) + ")")
        tests[part] += [v for vs in values for v in vs]
    person_table = q(Person._meta.db_table)
    cols, col_params = _word_columns(plan, arrays=True)
    # names from the models; every value is a parameter
    select = f"SELECT c.{q('id')} AS person_id, {', '.join(cols)} FROM {person_table} c"  # noqa: S608
    sql = f"{select} WHERE {' OR '.join(strong)}"
    params = [*col_params, *tests["strong"]]
    if weak:
        part, params = f"{select} WHERE ({' OR '.join(weak)})", params + col_params + tests["weak"]
        if plan.years:
            born, values = _has(plan.years, arrays=True)
            part, params = f"{part} AND {born}", params + values
        else:
            part = f"{part} LIMIT {WEAK_CAP}"
        sql = f"{sql} UNION ({part})"
    return sql, params


def _matches_by_key_rows(plan: KeyPlan) -> tuple[str, list[Any]]:
    """Any database: the same per-person columns as an aggregate over the key rows of the
    plan's words. When every word must meet, only the persons the driving word meets can,
    and their key rows are read by person (the key rows of a common first name and father's
    name are not read at all)."""
    q = connection.ops.quote_name
    key_table = q(PersonKey._meta.db_table)
    cols, params = _word_columns(plan, arrays=False)
    keys = sorted({k for k, _, _ in plan.rows()})
    every = plan.need == len(plan.exact)
    drive = plan.exact[plan.driver] + plan.near[plan.driver] if every and plan.driver >= 0 else []
    source = f"{key_table} k"
    if drive:
        source = (
            f"(SELECT DISTINCT d.person_id FROM {key_table} d"  # noqa: S608  (names: models)
            f" WHERE d.{q('key')} IN ({', '.join(['%s'] * len(drive))})) dp"
            f" JOIN {key_table} k ON k.person_id = dp.person_id"
        )
    sql = (
        f"SELECT k.person_id, {', '.join(cols)} FROM {source}"  # noqa: S608
        f" WHERE k.{q('key')} IN ({', '.join(['%s'] * len(keys))}) GROUP BY k.person_id"
    )
    return sql, [*params, *drive, *keys]


def _candidates(base: models.QuerySet[Person], plan: KeyPlan, limit: int) -> list[Person]:
    """Persons of `base` meeting at least ``plan.need`` words, most relevant first: every
    word met exactly, then more words met, a matching birth date, the newest record. Each
    comes with its municipality, its former surnames (``former_joined``) and how many words
    it met exactly (``words_exact``). One statement.

    The words met per person come from the GIN index over the persons' key words on
    PostgreSQL when two or more words must meet (:func:`_matches_by_words`), from the key
    rows otherwise (:func:`_matches_by_key_rows`): the same persons in the same order, but
    for the weak part of a tolerant look-up, which only PostgreSQL bounds. Over the key
    rows each word is a ``MAX(CASE …)`` column of one aggregate per person: the earlier
    form (a join of the key rows to a VALUES list of (key, word) pairs, grouped per person
    and word, then per person) left the planner no statistics to size it by."""
    q = connection.ops.quote_name
    try:
        scope_sql, scope_params = base.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # the policy grants nothing
        return []
    tfields = Territory._meta.concrete_fields
    tcols = [(f.attname, str(f.column)) for f in tfields if not f.primary_key]
    territory_cols = ", ".join(f"t.{q(col)} AS {q('t_' + col)}" for _, col in tcols)
    person_table = q(Person._meta.db_table)
    # Intersections from the GIN index, unions from the key rows: a person meeting any one
    # of two words (a tolerant two-word query) is every bearer of a common first name, and
    # fetching tens of thousands of person rows for the index's bitmap took 1-2 s at 1 M
    # persons where an index-only scan of their key rows takes 20-30 ms.
    if connection.vendor == "postgresql" and plan.need >= 2:
        matches, match_params = _matches_by_words(plan)
    else:
        matches, match_params = _matches_by_key_rows(plan)
    words = range(len(plan.exact))
    exact = " + ".join(f"CASE WHEN w{g} = 2 THEN 1 ELSE 0 END" for g in words)
    met = " + ".join(f"CASE WHEN w{g} > 0 THEN 1 ELSE 0 END" for g in words)
    sql = f"""
        SELECT p.*, m.exact AS words_exact, {_former_sql(connection.vendor, "p")} AS former_joined,
               {territory_cols}
        FROM (
            SELECT person_id, {exact} AS exact, {met} AS n, d
            FROM ({matches}) pw
            WHERE {met} >= %s
            ORDER BY exact DESC, n DESC, d DESC, person_id DESC
            LIMIT {CAP}
        ) m
        JOIN {person_table} p ON p.{q("id")} = m.person_id
        JOIN {q(Territory._meta.db_table)} t ON t.{q("id")} = p.{q("territory_id")}
        WHERE p.{q("id")} IN ({scope_sql})
        ORDER BY m.exact DESC, m.n DESC, m.d DESC, m.person_id DESC
        LIMIT {int(limit)}
    """  # noqa: S608  (table and column names from the models; every value is a parameter)
    params: list[Any] = [FORMER_SEP, *match_params, plan.need, *scope_params]
    found = list(Person.objects.raw(sql, params))
    for person in found:
        person.territory = Territory(
            pk=person.territory_id, **{name: getattr(person, "t_" + col) for name, col in tcols}
        )
    return found


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
        ids = [p.pk for p in _candidates(base, plan, CAP + 1)] if plan else []
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
    agency = getattr(user, "agency", None)
    home = agency.territory_id if agency is not None else None
    hits.sort(key=lambda h: (-h.score, _date_distance(query, h.person),
                             h.person.territory_id != home, -h.person.pk))  # fmt: skip
    return hits


def person_search(*, user: User, text: str, limit: int = CANDIDATE_LIMIT) -> SearchOutcome:
    """Staff search: indexed candidates in the user's scope, ranked by the engine.

    First the persons meeting every word exactly; for a query of several words the engine
    ranks them alone when it finds one of them likely. Otherwise a second, tolerant
    look-up: persons with one word missing or spelt near a known name too, those meeting
    every word exactly first, all ranked by the engine. (One tolerant look-up would find
    the same, but at 1 M persons it reads every key row of a common first name and
    father's name, some 100 000, where the exact one reads those of the surname.) A
    one-word query takes the exact matches (the near spellings of a lone word are mostly
    other names) and looks near only when there are none."""
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
    words = len([t for t in query.names if _token_keys(t)])
    hits: list[SearchHit] = []
    for tolerant in (False, True) if words else (False,):
        plan = KeyPlan.of(query, tolerant)
        rows = _candidates(base, plan, limit + 1) if plan else []
        exact = [p for p in rows if getattr(p, "words_exact", 0) >= len(plan.exact if plan else [])]
        hits = _rank(query, exact[:limit], user, ranked=hits)
        outcome.truncated = len(exact) > limit
        likely = bool(hits) and hits[0].probability >= WEAK
        if tolerant and not likely:
            hits = _rank(query, rows[:limit], user, ranked=hits)
            outcome.truncated = len(rows) > limit
        if likely or (hits and (tolerant or words == 1)):
            break
    outcome.hits = hits
    # No exact count past the limit: it would cost a second pass over a common surname.
    outcome.total = len(hits)
    return outcome


def name_candidates(base: models.QuerySet[Person], rec: PersonRecord, limit: int
                    ) -> list[Person]:  # fmt: skip
    """Persons in `base` who could be `rec`, most relevant first, with their former
    surnames, found the way the staff search finds them when tolerant: each name word in any
    field (swapped fields), near spellings, one word allowed to miss, the birth date ranking
    and never filtering. One statement."""
    words = [w for w in (rec.last_name, rec.first_name, rec.patronymic) if w]
    y, m, d = PartialDate.parse(rec.birth_date).parts
    if y is not None:
        words.append(f"{d:02d}.{m:02d}.{y}" if m and d else str(y))
    query = parse_search_query(" ".join(words))
    plan = KeyPlan.of(query, tolerant=True) if query.names else None
    return _candidates(base, plan, limit) if plan else []


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
