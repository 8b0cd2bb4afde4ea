"""The registry's public face for other apps that link reported people to it.

An app that receives records about people (signals now; support, care and the data bank
next) searches before it creates, through this module only:

- :func:`search_scope` — the registry rows a region's records may link to;
- :func:`query_record` — a reported person as a linkage record;
- :class:`Linker` — candidate search for a batch of records within that scope, scored by the
  linkage engine, and the decision per record: link, review or new;
- :class:`PersonData`, :func:`person_prepare` / :func:`person_create_many` — bulk create of
  the new ones, each
  with search keys, a first version and an audit entry (the registry's own services);
- :func:`current_households` — the household each linked person lives in now.

Candidates come from the registry's indexed keys — for a full date of birth a block driven
by the ``key_birth`` index on the key columns the registry's own key function fills,
otherwise :func:`ochag.registry.selectors.resolve_candidates` — and are scored with the
linkage engine's shipped parameters. A reported person the first look-up cannot link gets
a second, error-tolerant one: the staff search's own candidate look-up
(:func:`ochag.registry.search.name_candidates`, one statement for a whole batch), so a date off
by a day, a swapped day and month, a year off, a misspelt name or a former surname is still
scored.

The scorer compares what the report knows beyond the name and date: the municipality
within the region (every row in scope carries the region), and the household — the other
people the report names (a child's mother, siblings) and its address against the registry
household each candidate lives in (read only when the report gives any). A full namesake
living with other people scores lower; a report without a date of birth whose family
agrees is linked rather than sent to review.

``ochag.registry.services.person_resolve`` is not used: it needs a staff user to scope the
search and to hide records the user may not see. Signals arrive also from agency systems
and citizens (no user at all), and a reporter is never shown registry candidates, so the
search runs over the record's whole region, and the person is created with the reporter as
actor (none for a system) and a reason naming the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from ochag.core.dates import PartialDate
from ochag.linkage import Matcher, PersonRecord, snils_normalise
from ochag.registry.explain import (
    RECORD_FIELDS,
    engine,
    key_values,
    person_record,
    record_from_values,
    search_keys,
)
from ochag.registry.models import Membership, Person
from ochag.registry.search import name_candidates, resolve_candidates
from ochag.registry.services import NewPerson, PersonData, person_create_many, person_prepare

__all__ = [
    "Linker",
    "NewPerson",
    "PersonData",
    "Residence",
    "Resolution",
    "current_households",
    "key_values",  # the key rows of a person's linkage search keys (bench/linkage)
    "person_create_many",
    "person_prepare",
    "query_record",
    "search_keys",  # the key columns a bulk loader (bench/intake) writes beside each person
    "search_scope",
]

# Rows scored per reported person; the registry's blocking keeps real candidates far fewer.
CANDIDATE_LIMIT = 200
SHORTLIST = 5
# Reported people whose candidates are fetched in one query (see Linker._fetch_block).
PREFETCH_CHUNK = 50
# Registry rows the tolerant second look-up scores per reported person (Linker._widen).
WIDE_LIMIT = 100


@dataclass(frozen=True)
class Resolution:
    decision: str  # "link" | "review" | "new"
    person: Person | None  # for "new": the prepared person, written by the caller
    candidates: list[tuple[str, float]]  # the shortlist: record ids, match probabilities


def search_scope(municipalities: list[int]) -> QuerySet[Person]:
    """The registry rows a signal of these municipalities may link to. Built once per region
    configuration: building the filter costs more than most of a small intake."""
    return Person.objects.filter(territory_id__in=municipalities, merged_into__isnull=True)


def _name_keys(query: PersonRecord) -> tuple[str, list[str]]:
    """The surname family key and the first-name keys of ``query``, computed by the
    registry's own key function, so they compare with the registry's key columns."""
    probe = Person(
        last_name=query.last_name or "",
        first_name=query.first_name or "",
        patronymic=query.patronymic or "",
    )
    probe.birth_year, probe.birth_month, probe.birth_day = PartialDate.parse(
        query.birth_date or ""
    ).parts
    search_keys(probe)
    return probe.key_last, probe.key_first.split()


def _like_contains(word: str) -> str:
    """A LIKE pattern matching ``word`` anywhere (escape character: backslash), escaped as
    Django escapes its own ``contains`` look-ups."""
    return f"%{connection.ops.prep_for_like_query(word)}%"


def _birth_keys(birth: str) -> list[str]:
    # A registry date known only to the month or year still matches a full reported date.
    return [birth, birth[:7], birth[:4]]


def _marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


@cache
def _person_sql(vendor: str) -> tuple[str, str, dict[str, str]]:
    """(select list, table, key columns) of the registry's person table, quoted for the
    connection's database (``vendor`` keys the cache)."""
    quote = connection.ops.quote_name
    opts = Person._meta
    columns = {f.name: quote(f.column) for f in opts.concrete_fields if f.column}
    select = ", ".join(
        quote(opts.pk.column or "id") if name == "pk" else columns[name.removesuffix("_id")]
        for name in RECORD_FIELDS
    )
    return select, quote(opts.db_table), columns


def query_record(
    last_name: str,
    first_name: str,
    patronymic: str,
    birth_date: str,
    snils: str,
    territory_id: int,
    *,
    sex: str = "",
    relatives: Sequence[str] = (),
    address: str = "",
) -> PersonRecord:
    """A reported person as a linkage record. ``relatives`` are the full names of the other
    people the report names with this one (the family), ``address`` where they live: the
    household evidence that tells full namesakes apart. The region is the linker's."""
    return PersonRecord(
        record_id="query",
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip() or None,
        sex=sex or None,
        birth_date=birth_date or None,
        snils=snils_normalise(snils) if snils else None,
        municipality=str(territory_id),
        relatives=tuple(r for r in (x.strip() for x in relatives) if r),
        address=address.strip() or None,
    )


def _households(person_ids: Iterable[str]) -> dict[str, tuple[tuple[str, ...], str]]:
    """Per registry person: the full names of the others in their current household(s) and
    the household's address. One query: every current membership of the households the
    persons are current members of."""
    ids = [int(i) for i in person_ids if i.isdigit()]
    if not ids:
        return {}
    rows = Membership.objects.filter(
        household__memberships__person_id__in=ids,
        household__memberships__until__isnull=True,
        until__isnull=True,
    ).values_list(
        "household__memberships__person_id", "person_id", "person__last_name",
        "person__first_name", "person__patronymic", "household__address",
    )  # fmt: skip
    names: dict[str, list[str]] = {}
    address: dict[str, str] = {}
    for owner, member, last, first, patr, addr in rows:
        key = str(owner)
        if addr:
            address[key] = addr
        if member != owner:
            names.setdefault(key, []).append(f"{last} {first} {patr}".strip())
    return {key: (tuple(names.get(key, ())), address.get(key, "")) for key in names | address}


class Linker:
    """Search-before-create for one signal or one batch of imported rows.

    Candidates of many reported people are fetched in one query (:meth:`prefetch`) into one
    scorer; a person created for one row is added to it, so a later row of the same batch
    about the same child links to that person instead of creating a second one.

    With a full date of birth (what every channel asks for) the block is the date-driven
    :func:`_block`; a partial or missing date falls back to the registry's broader
    :func:`~ochag.registry.selectors.resolve_candidates` (surname and name keys). The broad
    look-up is not used for full dates: at registry scale a common surname has thousands of
    bearers, and its first rows by id need not include the person at all.
    """

    def __init__(self, base: QuerySet[Person], scope: list[int], region: object = None) -> None:
        self.base = base  # the registry rows in scope: see search_scope
        self.scope = scope  # the same rows' municipalities, for the plain block query
        # Every row in scope is of one region: the scorer compares municipalities within it.
        self.region = str(region) if region is not None else "scope"
        # Whether some reported person came with household evidence (relatives, address):
        # only then are the candidates' households read.
        self.households = False
        # without the tolerant look-up (a measurement switch) the scorer's blocking is exact too
        self.matcher = Matcher(engine().params, near=settings.OCHAG_INTAKE_TOLERANT)
        # Scored registry rows by record id; the persons created by this call's rows
        # ("new-N" ids) are kept as the prepared Person objects.
        self.known: set[str] = set()
        self.pending: dict[str, Person] = {}
        self.fetched: set[tuple[str | None, str | None, str | None, str | None]] = set()
        self.widened: set[tuple[str | None, str | None, str | None, str | None]] = set()
        # Tolerant look-ups fetched ahead for a whole batch (_prewiden), by _wide_key.
        self.wide: dict[tuple[str | None, ...], list[PersonRecord]] = {}

    def _tag(self, records: list[PersonRecord]) -> list[PersonRecord]:
        """The records with the region and, when wanted, their household evidence."""
        homes = _households(r.record_id for r in records) if self.households else {}
        out = []
        for r in records:
            relatives, address = homes.get(r.record_id, ((), ""))
            out.append(replace(r, region=self.region, relatives=relatives,
                               address=address or None))  # fmt: skip
        return out

    def _add(self, records: list[PersonRecord]) -> None:
        fresh = [r for r in records if r.record_id not in self.known]
        self.known.update(r.record_id for r in fresh)
        self.matcher.add_many(self._tag(fresh))

    def person_id(self, record_id: str) -> int:
        """The registry id of a scored record; a pending person's once it is written."""
        pending = self.pending.get(record_id)
        if pending is None:
            return int(record_id)
        if pending.pk is None:
            raise ValueError("the pending person is not written yet")
        return pending.pk

    def _person(self, record_id: str) -> Person:
        # Only the id matters to the signal's subject row: no need to load the person.
        return self.pending.get(record_id) or Person(pk=int(record_id))

    @staticmethod
    def _key(q: PersonRecord) -> tuple[str | None, str | None, str | None, str | None]:
        return (q.last_name, q.first_name, q.birth_date, q.snils)

    @staticmethod
    def _wide_key(q: PersonRecord) -> tuple[str | None, ...]:
        # everything the tolerant look-up reads (name_plan): with the father's name, which
        # _key leaves out
        return (q.last_name, q.first_name, q.patronymic, q.birth_date)

    def prefetch(self, queries: list[PersonRecord]) -> None:
        """Fetch the candidates of a batch of reported people: the exact block of each, then
        in one statement per chunk the tolerant look-up of those the block does not link."""
        if any(q.relatives or q.address for q in queries):
            self.households = True
        todo, fresh = [], []
        for q in queries:
            if self._key(q) in self.fetched:
                continue
            fresh.append(q)
            if len(q.birth_date or "") == len("YYYY-MM-DD"):
                todo.append(q)
            else:
                found = resolve_candidates(self.base, q, limit=CANDIDATE_LIMIT)
                self._add([person_record(p) for p in found])
                self.fetched.add(self._key(q))
        for start in range(0, len(todo), PREFETCH_CHUNK):
            self._fetch_block(todo[start : start + PREFETCH_CHUNK])
        self._prewiden(fresh)

    def _prewiden(self, queries: list[PersonRecord]) -> None:
        """The tolerant look-ups :meth:`_widen` will want, fetched ahead: for each reported
        person the exact block does not link now, as :meth:`resolve_query` will ask it first.
        Kept aside, not scored yet, so each query is decided as if looked up alone (a later
        query may still link to a person created for an earlier one and never need its
        look-up; one whose decision changes falls back to its own statement). One look-up
        per person was 57 % of a profiled 1 000-row import (100 000 persons, load 7)."""
        # one person: _widen's own statement is the same one, if needed
        if len(queries) < 2 or not settings.OCHAG_INTAKE_TOLERANT:
            return
        wanted: dict[tuple[str | None, ...], PersonRecord] = {}
        for q in queries:
            key = self._wide_key(q)
            if self._key(q) in self.widened or key in self.wide or key in wanted:
                continue
            if self.matcher.match(replace(q, region=self.region), top=SHORTLIST).decision != "link":
                wanted[key] = q
        chosen = list(wanted.items())
        for start in range(0, len(chosen), PREFETCH_CHUNK):
            chunk = chosen[start : start + PREFETCH_CHUNK]
            found = name_candidates(self.base, [q for _, q in chunk], WIDE_LIMIT)
            self.wide.update(zip((key for key, _ in chunk), found, strict=True))

    def _fetch_block(self, queries: list[PersonRecord]) -> None:
        """One plain statement for a few reported people with full dates of birth.

        Per person: registry rows born on that date (or in that month or year, for a
        registry date known only so far) with the same surname family key or one of the
        first-name keys (a substring test on the person's space-separated keys: a superset
        the scorer settles). The outer ``key_birth IN (...)`` lets the ``key_birth`` index
        drive: a few dozen people share a birthday even in a 1 M registry. SNILS is a
        separate indexed look-up. Written without the ORM: building and compiling an OR of
        50 such conditions cost more than running it (import profile, bench/results).
        """
        select, table, c = _person_sql(connection.vendor)
        people: list[str] = []
        people_params: list[str] = []
        births: set[str] = set()
        for q in queries:
            self.fetched.add(self._key(q))
            birth_keys = _birth_keys(q.birth_date or "")
            births.update(birth_keys)
            key_last, first_keys = _name_keys(q)
            names = [f"{c['key_last']} = %s"] if key_last else []
            names += [f"{c['key_first']} LIKE %s ESCAPE '\\'"] * len(first_keys)
            if not names:
                continue
            people.append(f"({c['key_birth']} IN (%s, %s, %s) AND ({' OR '.join(names)}))")
            people_params += birth_keys
            people_params += [key_last] if key_last else []
            people_params += [_like_contains(word) for word in first_keys]
        snils = [q.snils for q in queries if q.snils]
        wanted, params = [], []
        if people:
            born = sorted(births)
            wanted.append(f"({c['key_birth']} IN ({_marks(born)}) AND ({' OR '.join(people)}))")
            params += [*born, *people_params]
        if snils:
            wanted.append(f"{c['snils']} IN ({_marks(snils)})")
            params += snils
        if not wanted:
            return
        # The model's own table and columns; every value is a parameter.
        sql = (
            f"SELECT {select} FROM {table} WHERE {c['territory']} IN ({_marks(self.scope)})"  # noqa: S608
            f" AND {c['merged_into']} IS NULL AND ({' OR '.join(wanted)})"
            f" LIMIT {CANDIDATE_LIMIT * len(queries)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.scope, *params])
            rows = cursor.fetchall()
        self._add([record_from_values(*row) for row in rows])

    def _widen(self, query: PersonRecord) -> bool:
        """The second, tolerant look-up for a reported person the exact block could not link:
        a date a day, a month or a year off, day and month swapped, a misspelt name, names
        in each other's fields, a former surname. Most reported people link on the first
        look-up and never pay for this one. Returns whether it added anyone."""
        key = self._key(query)
        if key in self.widened or not settings.OCHAG_INTAKE_TOLERANT:
            return False
        self.widened.add(key)
        records = self.wide.pop(self._wide_key(query), None)
        if records is None:  # not fetched ahead: the exact block linked it then
            records = name_candidates(self.base, [query], WIDE_LIMIT)[0]
        if not records:
            return False
        self.known.update(r.record_id for r in records)
        # replaces rows the first look-up scored without (former surnames)
        self.matcher.add_many(self._tag(records))
        return True

    def resolve_query(self, query: PersonRecord, new: NewPerson) -> Resolution:
        """Link, review or new. For "new" the prepared person joins the scorer at once, so
        a later query of the same call about the same child links to it; the caller writes
        it (:func:`ochag.registry.services.person_create_many`)."""
        self.prefetch([query])
        query = replace(query, region=self.region)
        result = self.matcher.match(query, top=SHORTLIST)
        if result.decision != "link" and self._widen(query):
            result = self.matcher.match(query, top=SHORTLIST)
        shortlist = [(c.record_id, round(c.probability, 4)) for c in result.candidates]
        if result.decision == "link":
            return Resolution("link", self._person(shortlist[0][0]), shortlist)
        if result.decision == "review":
            return Resolution("review", None, shortlist)
        record_id = f"new-{len(self.pending)}"
        self.pending[record_id] = new.person
        self.known.add(record_id)
        # the new person lives with the people the report named with them
        self.matcher.add(replace(person_record(new.person), record_id=record_id,
                                 region=self.region, relatives=query.relatives,
                                 address=query.address))  # fmt: skip
        return Resolution("new", new.person, shortlist)


class Residence(NamedTuple):
    """A person's current membership; residences order as "which household is theirs"
    (by role, so a child's before a relative's, then the oldest membership)."""

    role: str
    membership_id: int
    household_id: int


def current_households(person_ids: Iterable[int]) -> dict[int, Residence]:
    """The household each of these persons lives in now (one query)."""
    best: dict[int, Residence] = {}
    for person_id, role, pk, household_id in Membership.objects.filter(
        person_id__in=list(person_ids), until__isnull=True
    ).values_list("person_id", "role", "pk", "household_id"):
        candidate = Residence(role, pk, household_id)
        if person_id not in best or candidate < best[person_id]:
            best[person_id] = candidate
    return best
