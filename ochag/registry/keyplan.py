"""The key index's side of finding a person: what a look-up asks of the key index (its
:class:`KeyPlan`) and the one statement that answers it (:func:`plan_candidates`).

One statement per look-up: an aggregate over the (key, person) index counts, per person,
the name words met (exactly, or by a near spelling), ranks them and keeps the first
``CAP``; only those are joined to the policy's queryset (scope, need-to-know) and to their
person row, municipality and former surnames, and the first ``limit`` come back as model
instances. The staff search (:mod:`ochag.registry.search`) then ranks them with the engine.

Why this shape: joining the policy's rows first and grouping after (the ORM's natural form)
made PostgreSQL scan every person of the region per search; the old two-step form (ids first,
rows by ``pk IN (…5000 ids)`` next, then a second pass for the tolerant look-up) cost 5–9
round trips. The aggregate is two-level (distinct (person, word) pairs first, then per
person) instead of ``COUNT(DISTINCT CASE …)``: PostgreSQL sorts per group for a DISTINCT.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, Literal

from django.core.exceptions import EmptyResultSet
from django.db import connection, models

from ochag.core.models import Territory
from ochag.linkage import NameToken, PersonRecord, SearchQuery, parse_search_query, skeleton
from ochag.registry.explain import FORMER_SEP, RECORD_FIELDS, record_from_values
from ochag.registry.models import Person, PersonFormerName, PersonKey
from ochag.registry.vocabulary import near_keys

# Name matches ranked by the key index per look-up before the policy's scope is applied;
# beyond them a query is too broad for a narrow scope.
CAP = 5000
# Persons of a tolerant look-up's weak part (every word met but the surname) read at most
# when the query gives no date to choose them by (see _matches_by_words).
WEAK_CAP = 500

_STOPWORDS = frozenset({"для", "от", "на", "по", "из", "со", "ко", "об", "при", "про"})


def token_keys(token: NameToken, tolerant: bool = False) -> list[str]:
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


def birth_keys(dates: list[str]) -> list[str]:
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
    # Groups every person found must meet (the anchor of :meth:`anchored`).
    must: tuple[int, ...] = ()
    # Birth keys every person found must hold, or no birth year at all; None: any date (see
    # ochag.linkage.reach: the intake's look-up reads only dates that can still decide).
    born: tuple[str, ...] | None = None

    @classmethod
    def of(cls, query: SearchQuery, tolerant: bool) -> KeyPlan | None:
        """None when the query has nothing to look up (only initials or prepositions)."""
        # the words that narrow anything, with their exact keys (each computed once: the
        # intake plans every new person it reports)
        words = [(t, keys) for t, keys in ((t, token_keys(t)) for t in query.names) if keys]
        exact = [keys for _, keys in words]
        bonus = ["B" + k for k in birth_keys(query.dates)] + ["Y" + y for y in query.years]
        if not exact:
            if not bonus or query.names:
                return None
            return cls([bonus], [[]], [], 1)  # a date alone: it is what must match
        near: list[list[str]] = [[] for _ in exact]
        if tolerant:
            near = [sorted(set(token_keys(t, True)) - set(e)) for t, e in words]
        need = len(exact) - 1 if tolerant and len(exact) > 1 else len(exact)
        driver = -1
        if len(exact) > 1:
            looks = [t.looks_like for t, _ in words]
            driver = looks.index("last") if "last" in looks else -1
        born = {int(d[:4]) for d in query.dates} | {int(y) for y in query.years}
        years = sorted({f"Y{y + step}" for y in born for step in (-1, 0, 1)})
        return cls(exact, near, bonus, need, driver, years)

    @classmethod
    def anchored(cls, query: SearchQuery) -> KeyPlan | None:
        """A second tolerant look-up for when the first found nothing likely: two words
        misspelt, or one misspelt and another missing («Аббанина Лариса Владимровна»), so
        all but two words (at least one) may fail, near spellings counting. What keeps it
        cheap at 1 M persons is an anchor every person found must meet: the full birth date
        typed (some tens of persons per date), else the surname-looking word of a query of
        three words or more (its exact or near keys). None when there is no anchor."""
        plan = cls.of(query, tolerant=True)
        if plan is None or not query.names:
            return None
        names = len(plan.exact)
        born = ["B" + d for d in query.dates]
        if born:
            return cls([*plan.exact, born], [*plan.near, []], plan.bonus,
                       max(1, names - 2) + 1, plan.driver, plan.years, (names,))  # fmt: skip
        if names >= 3 and plan.driver >= 0:
            return cls(plan.exact, plan.near, plan.bonus, names - 2, plan.driver, plan.years,
                       (plan.driver,))  # fmt: skip
        return None

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


# How a PostgreSQL statement names one of a plan's key arrays (a slot: ``e0``/``n0``/``a0``, a
# word's exact, near and all keys; ``bonus``, ``born``, ``years``): for one plan, a parameter
# of its own; for a batch of plans of one shape (:func:`plan_records`), the slot's column of the
# batch's rows (``qs``, each slot's keys joined by spaces, which no key holds).
Slots = Literal["parameters", "columns"]


def _array(keys: list[str], slot: str, slots: Slots) -> tuple[str, list[Any]]:
    if slots == "columns":
        return f"string_to_array(qs.{slot}, ' ')", []
    return "%s::text[]", [keys]


def _has(keys: list[str], arrays: bool, slot: str = "", slots: Slots = "parameters"
         ) -> tuple[str, list[Any]]:  # fmt: skip
    """A test that the row holds one of `keys`: the key row's value among them (key rows),
    or the person's key words overlapping them (PostgreSQL, one array: see :data:`Slots`)."""
    if arrays:
        sql, params = _array(keys, slot, slots)
        return f"{_WORDS} && {sql}", params
    return f"k.{connection.ops.quote_name('key')} IN ({', '.join(['%s'] * len(keys))})", keys


def _word_columns(plan: KeyPlan, arrays: bool, slots: Slots = "parameters"
                  ) -> tuple[list[str], list[Any]]:  # fmt: skip
    """Per word of `plan`: a column saying how the person met it (2 exactly, 1 by a near
    spelling, 0 not), and one saying whether a birth key matched; with their parameters.
    Over key rows each is an aggregate per person; a key may serve several words (one IN
    test per word), so no key-to-word join is needed. Over key words (``arrays``) each is a
    plain expression of the person's row. A batch's columns test the near spellings of every
    word (an empty array meets nothing), so plans with and without them share a shape."""
    agg = (lambda sql: sql) if arrays else (lambda sql: f"MAX({sql})")
    cols: list[str] = []
    params: list[Any] = []
    for g, (exact, near) in enumerate(zip(plan.exact, plan.near, strict=True)):
        test, values = _has(exact, arrays, f"e{g}", slots)
        case, params = f"WHEN {test} THEN 2", params + values
        if near or slots == "columns":
            test, values = _has(near, arrays, f"n{g}", slots)
            case, params = f"{case} WHEN {test} THEN 1", params + values
        cols.append(f"{agg(f'CASE {case} ELSE 0 END')} AS w{g}")
    if plan.bonus:
        test, values = _has(plan.bonus, arrays, "bonus", slots)
        cols.append(f"{agg(f'CASE WHEN {test} THEN 1 ELSE 0 END')} AS d")
        params += values
    else:
        cols.append("0 AS d")
    return cols, params


def _matches_by_words(plan: KeyPlan, slots: Slots = "parameters") -> tuple[str, list[Any]]:
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
        if not set(plan.must) <= set(chosen):
            continue
        sqls, values = zip(*(_has(words[g], True, f"a{g}", slots) for g in chosen),
                           strict=True)  # fmt: skip
        part = "weak" if 0 <= plan.driver not in chosen else "strong"
        (weak if part == "weak" else strong).append("(" + " AND ".join(sqls) + ")")
        tests[part] += [v for vs in values for v in vs]
    person_table = q(Person._meta.db_table)
    cols, col_params = _word_columns(plan, True, slots)
    # names from the models; every value is a parameter
    select = f"SELECT c.{q('id')} AS person_id, {', '.join(cols)} FROM {person_table} c"  # noqa: S608
    born, born_params = "", list[Any]()
    if plan.born is not None:
        # the GIN index intersects the words' bitmaps with the dates' (or reads the undated)
        dates, born_params = _array(list(plan.born), "born", slots)
        born = f" AND ({_WORDS} && {dates} OR c.{q('key_birth')} = '')"
    sql = f"{select} WHERE ({' OR '.join(strong)}){born}" if strong else ""
    params = [*col_params, *tests["strong"], *born_params] if strong else []
    if weak and plan.born is not None and plan.years:
        # A person holds one birth key and the year key it implies, and no year key without
        # a birth key: "born on a date that can still decide, within a year" is one array of
        # the dates within a year, which the index reads first (was: the words' and the
        # years' key rows, common first names and father's names among them)
        part = f"{select} WHERE ({' OR '.join(weak)})"
        dates, values = _array(_born_within(plan), "born_within", slots)
        part = f"{part} AND {_WORDS} && {dates}"
        params += col_params + tests["weak"] + values
        sql = f"{sql} UNION ({part})" if sql else part
    elif weak:
        part = f"{select} WHERE ({' OR '.join(weak)}){born}"
        params += col_params + tests["weak"] + born_params
        if plan.years:
            within, values = _has(plan.years, True, "years", slots)
            part, params = f"{part} AND {within}", params + values
        else:
            part = f"{part} LIMIT {WEAK_CAP}"
        sql = f"{sql} UNION ({part})" if sql else part
    return sql, params


def _born_within(plan: KeyPlan) -> list[str]:
    """The birth keys of ``plan.born`` (``B<date>``, ``Y<year>``) in one of ``plan.years``."""
    return [k for k in plan.born or () if "Y" + k[1:5] in plan.years]


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
    # The anchor, when there is one, chooses the persons as the driving word does.
    lead = plan.must[0] if plan.must else plan.driver if every else -1
    drive = plan.exact[lead] + plan.near[lead] if lead >= 0 else []
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


def _by_words(plan: KeyPlan) -> bool:
    """Whether `plan`'s words met per person come from the key words' GIN index (see
    :func:`_ranked`)."""
    return connection.vendor == "postgresql" and (plan.need >= 2 or plan.born is not None)


def _ranked(plan: KeyPlan, tag: str = "", slots: Slots = "parameters") -> tuple[str, list[Any]]:
    """The persons meeting at least ``plan.need`` words, ranked, the first ``CAP``: one row
    per person with how many words it met exactly (``exact``), at all (``n``), whether a
    birth key matched (``d``); ``tag`` an extra leading column (a batch's query number).

    The words met per person come from the GIN index over the persons' key words on
    PostgreSQL when two or more words must meet (:func:`_matches_by_words`), from the key
    rows otherwise (:func:`_matches_by_key_rows`): the same persons in the same order, but
    for the weak part of a tolerant look-up, which only PostgreSQL bounds. Over the key
    rows each word is a ``MAX(CASE …)`` column of one aggregate per person: the earlier
    form (a join of the key rows to a VALUES list of (key, word) pairs, grouped per person
    and word, then per person) left the planner no statistics to size it by."""
    # Intersections from the GIN index, unions from the key rows: a person meeting any one
    # of two words (a tolerant two-word query) is every bearer of a common first name, and
    # fetching tens of thousands of person rows for the index's bitmap took 1-2 s at 1 M
    # persons where an index-only scan of their key rows takes 20-30 ms.
    # With birth keys to hold, one word met is no longer every bearer of a common name: the
    # index intersects the words with the dates.
    born, born_params = "", list[Any]()
    if _by_words(plan):
        matches, match_params = _matches_by_words(plan, slots)
    else:
        matches, match_params = _matches_by_key_rows(plan)
        if plan.born is not None:
            born, born_params = _born_filter(plan.born)
    words = range(len(plan.exact))
    exact = " + ".join(f"CASE WHEN w{g} = 2 THEN 1 ELSE 0 END" for g in words)
    met = " + ".join(f"CASE WHEN w{g} > 0 THEN 1 ELSE 0 END" for g in words)
    sql = f"""
        SELECT {tag}person_id, {exact} AS exact, {met} AS n, d
        FROM ({matches}) pw
        WHERE {met} >= %s{"".join(f" AND w{g} > 0" for g in plan.must)}{born}
        ORDER BY exact DESC, n DESC, d DESC, person_id DESC
        LIMIT {CAP}
    """  # noqa: S608  (names from the models; every value is a parameter)
    return sql, [*match_params, plan.need, *born_params]


def _born_filter(born: tuple[str, ...]) -> tuple[str, list[Any]]:
    """Over key rows: the person holds one of the birth keys (``Y<year>``, ``B<date>``; the
    key columns hold the same values) or has no birth year."""
    q = connection.ops.quote_name
    years = [int(k[1:]) for k in born if k.startswith("Y")]
    dates = [k[1:] for k in born if k.startswith("B")]
    tests = [f"c.{q('key_birth')} = ''"]
    tests += [f"c.{q('birth_year')} IN ({', '.join(['%s'] * len(years))})"] if years else []
    tests += [f"c.{q('key_birth')} IN ({', '.join(['%s'] * len(dates))})"] if dates else []
    sql = (
        f" AND EXISTS (SELECT 1 FROM {q(Person._meta.db_table)} c"  # noqa: S608  (model names)
        f" WHERE c.{q('id')} = pw.person_id AND ({' OR '.join(tests)}))"
    )
    return sql, [*years, *dates]


def plan_candidates(base: models.QuerySet[Person], plan: KeyPlan, limit: int) -> list[Person]:
    """Persons of `base` meeting at least ``plan.need`` words, most relevant first: every
    word met exactly, then more words met, a matching birth date, the newest record. Each
    comes with its municipality, its former surnames (``former_joined``) and how many words
    it met exactly (``words_exact``). One statement (the ranking: :func:`_ranked`)."""
    q = connection.ops.quote_name
    try:
        scope_sql, scope_params = base.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # the policy grants nothing
        return []
    tfields = Territory._meta.concrete_fields
    tcols = [(f.attname, str(f.column)) for f in tfields if not f.primary_key]
    territory_cols = ", ".join(f"t.{q(col)} AS {q('t_' + col)}" for _, col in tcols)
    person_table = q(Person._meta.db_table)
    ranked, ranked_params = _ranked(plan)
    sql = f"""
        SELECT p.*, m.exact AS words_exact, {_former_sql(connection.vendor, "p")} AS former_joined,
               {territory_cols}
        FROM ({ranked}) m
        JOIN {person_table} p ON p.{q("id")} = m.person_id
        JOIN {q(Territory._meta.db_table)} t ON t.{q("id")} = p.{q("territory_id")}
        WHERE p.{q("id")} IN ({scope_sql})
        ORDER BY m.exact DESC, m.n DESC, m.d DESC, m.person_id DESC
        LIMIT {int(limit)}
    """  # noqa: S608  (table and column names from the models; every value is a parameter)
    params: list[Any] = [FORMER_SEP, *ranked_params, *scope_params]
    found = list(Person.objects.raw(sql, params))
    for person in found:
        person.territory = Territory(
            pk=person.territory_id, **{name: getattr(person, "t_" + col) for name, col in tcols}
        )
    return found


def _shape(plan: KeyPlan) -> tuple[object, ...]:
    """What the text of a plan's statement depends on, its key arrays aside."""
    return (len(plan.exact), plan.need, plan.driver, plan.must, plan.born is None,
            bool(plan.years), bool(plan.bonus))  # fmt: skip


def _slot_values(plan: KeyPlan) -> dict[str, str]:
    """Each slot's keys (see :data:`Slots`), joined by spaces."""
    out: dict[str, str] = {}
    for g, (exact, near) in enumerate(zip(plan.exact, plan.near, strict=True)):
        out |= {f"e{g}": " ".join(exact), f"n{g}": " ".join(near),
                f"a{g}": " ".join(exact + near)}  # fmt: skip
    return out | {"bonus": " ".join(plan.bonus), "born": " ".join(plan.born or ()),
                  "born_within": " ".join(_born_within(plan)),
                  "years": " ".join(plan.years)}  # fmt: skip


def _batch_branch(group: list[tuple[int, KeyPlan]]) -> tuple[str, list[Any]]:
    """One branch for many (numbered) plans of one shape: the plans' key arrays as the rows
    of an ``unnest``, and for each row the one statement of :func:`_ranked` as a LATERAL
    subquery reading them. PostgreSQL plans it once: a branch per plan cost as much planning
    as running (36-42 ms for 50 people, bench/results/intake-window-2026-12-04T1030.json),
    and the keys, written once per slot, are a fraction of the text and its parameters."""
    ranked, ranked_params = _ranked(group[0][1], slots="columns")
    values = [_slot_values(plan) for _, plan in group]
    slots = list(values[0])
    rows = ", ".join(["%s::int[]"] + ["%s::text[]"] * len(slots))
    sql = (
        f"SELECT qs.num AS q, r.* FROM unnest({rows}) AS qs(num, {', '.join(slots)})"  # noqa: S608
        f" CROSS JOIN LATERAL ({ranked}) r"
    )
    columns = [[number for number, _ in group]] + [[v[s] for v in values] for s in slots]
    return sql, [*columns, *ranked_params]


def plan_records(base: models.QuerySet[Person], plans: list[KeyPlan], limit: int
                 ) -> list[list[PersonRecord]]:  # fmt: skip
    """Per plan, what :func:`plan_candidates` finds for it, as linkage records (with former
    surnames) in the same order, for many plans in one statement: each plan's ranking, tagged
    with its number, is a branch of a UNION ALL — on PostgreSQL one branch per shape of plan
    (:func:`_batch_branch`) — and a window per number keeps each one's first `limit` in
    scope. The intake widens a whole batch of reported people this way:
    one look-up per person cost a round trip, a plan and ~8-15 ms each (import profile,
    bench/results/intake-before-after-*.md). Records, not model instances: the scorer needs
    no more, and building 10 000 instances was a third of the look-ups' time."""
    if not plans:
        return []
    q = connection.ops.quote_name
    try:
        scope_sql, scope_params = base.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # the policy grants nothing
        return [[] for _ in plans]
    branches: list[str] = []
    params: list[Any] = [FORMER_SEP]
    shapes: dict[tuple[object, ...], list[tuple[int, KeyPlan]]] = {}
    for number, plan in enumerate(plans):
        if _by_words(plan):
            shapes.setdefault(_shape(plan), []).append((number, plan))
            continue
        ranked, ranked_params = _ranked(plan, tag=f"{number} AS q, ")
        branches.append(f"SELECT * FROM ({ranked}) b{number}")  # noqa: S608  (no values)
        params += ranked_params
    for group in shapes.values():
        branch, branch_params = _batch_branch(group)
        branches.append(branch)
        params += branch_params
    opts = Person._meta
    by_name = {"pk": opts.pk.column, **{f.attname: f.column for f in opts.concrete_fields}}
    columns = ", ".join(f"p.{q(str(by_name[name]))}" for name in RECORD_FIELDS)
    sql = f"""
        SELECT r.q, {columns}, {_former_sql(connection.vendor, "p")}
        FROM (
            SELECT m.q, m.person_id, ROW_NUMBER() OVER (
                PARTITION BY m.q ORDER BY m.exact DESC, m.n DESC, m.d DESC, m.person_id DESC
            ) AS rn
            FROM ({" UNION ALL ".join(branches)}) m
            WHERE m.person_id IN ({scope_sql})
        ) r
        JOIN {q(opts.db_table)} p ON p.{q(str(opts.pk.column))} = r.person_id
        WHERE r.rn <= {int(limit)}
        ORDER BY r.q, r.rn
    """  # noqa: S608  (table and column names from the models; every value is a parameter)
    found: list[list[PersonRecord]] = [[] for _ in plans]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *scope_params])
        for number, *values, former in cursor.fetchall():
            rec = record_from_values(*values)
            if former:
                rec = replace(rec, former_last_names=tuple(former.split(FORMER_SEP)))
            found[number].append(rec)
    return found
