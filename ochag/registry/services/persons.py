"""Writes of persons: creation (one or a batch), edits with history, search-before-create.

A person's search keys are recomputed on every change of the person, so staff search stays
an indexed look-up; a snapshot of the person is stored as a PersonVersion after each change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from ochag.access.models import TrustAction
from ochag.access.policies import region_q
from ochag.core.dates import PartialDate
from ochag.core.inserts import insert_many, insert_rows
from ochag.core.models import Territory
from ochag.core.services import audit_event, audit_record, audit_record_many, locked_at_version
from ochag.linkage import Candidate, Matcher, PersonRecord, snils_normalise
from ochag.registry import policies
from ochag.registry.explain import conflict_labels, engine, person_record, search_keys
from ochag.registry.models import (
    Person,
    PersonFormerName,
    PersonKey,
    PersonVersion,
    RegistryAction,
)
from ochag.registry.selectors import resolve_candidates
from ochag.registry.services.clusters import edit_conflicts

if TYPE_CHECKING:
    from ochag.access.models import User


# Identity fields a person form edits and a merge chooses between.
PERSON_FIELDS = (
    "last_name", "first_name", "patronymic", "sex", "birth_year", "birth_month", "birth_day",
    "snils", "birth_certificate", "citizenship", "address", "territory_id",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class PersonData:
    """Who a person is, as a form, the intake or an import states it: the identity fields
    every creation and edit of a person takes (values are stripped when written)."""

    territory: Territory
    last_name: str
    first_name: str
    patronymic: str = ""
    sex: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    snils: str = ""
    birth_certificate: str = ""
    citizenship: str = "RUS"
    address: str = ""

    @classmethod
    def of(cls, person: Person) -> PersonData:
        """A person's current values, to change a few with ``dataclasses.replace``."""
        return cls(**{f.name: getattr(person, f.name) for f in dataclasses.fields(cls)})

    def changes(self) -> dict[str, Any]:
        """Field values as Person attributes, strings stripped."""
        return {
            f.name: (v.strip() if isinstance(v, str) else v)
            for f in dataclasses.fields(self)
            for v in [getattr(self, f.name)]
        }

    def record(self) -> PersonRecord:
        """The person as the linkage engine compares it (search before create)."""
        return record_from_data(self.changes() | {"territory_id": self.territory.pk})


def record_from_data(data: Mapping[str, Any]) -> PersonRecord:
    birth = data.get("birth_date") or ""
    if not birth and data.get("birth_year"):
        birth = "-".join(
            [f"{int(data['birth_year']):04d}"]
            + [f"{int(data[k]):02d}" for k in ("birth_month", "birth_day") if data.get(k)]
        )
    return PersonRecord(
        record_id="new", last_name=data.get("last_name") or None,
        first_name=data.get("first_name") or None, patronymic=data.get("patronymic") or None,
        sex=data.get("sex") or None, birth_date=birth or None, snils=data.get("snils") or None,
        municipality=str(data["territory_id"]) if data.get("territory_id") else None,
    )  # fmt: skip


def person_snapshot(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    data["merged_into_id"] = person.merged_into_id
    return data


def person_save(person: Person) -> None:
    """Save a changed person with its key columns and search key rows recomputed."""
    keys = search_keys(person)
    person.save()
    PersonKey.objects.filter(person=person).delete()
    PersonKey.objects.bulk_create([PersonKey(person=person, key=k) for k in keys])


def _keys_insert(rows: list[tuple[int, str]]) -> None:
    """Key rows as plain tuples: a person has about ten, and model instances for them cost
    more than the INSERT (bulk intake writes thousands per batch)."""
    insert_rows(PersonKey._meta.db_table, ["person_id", "key"], rows)


def version_write(person: Person, actor: User | None, reason: str) -> None:
    PersonVersion.objects.create(person=person, version=person.version, actor=actor,
                                 data=person_snapshot(person), reason=reason[:200])  # fmt: skip


def person_clean(person: Person, *, check_relations: bool = True) -> None:
    """Normalise SNILS and validate; ValidationError if the person is invalid."""
    if person.snils:
        person.snils = snils_normalise(person.snils) or "".join(
            c for c in person.snils if c.isdigit()
        )
    # A territory passed as an object needs no existence query (bulk intake skips it).
    exclude = ["merged_into"] if check_relations else ["merged_into", "territory"]
    person.full_clean(exclude=exclude)


@dataclass
class NewPerson:
    """A validated person not written yet: the row with its key columns, its search keys and
    why it is created (kept in its first version)."""

    person: Person
    keys: list[str]
    reason: str


def person_prepare(*, data: PersonData, reason: str = "") -> NewPerson:
    """Validate a new person without touching the database; ValidationError if invalid."""
    person = Person(**data.changes())
    person_clean(person, check_relations=False)
    return NewPerson(person=person, keys=search_keys(person), reason=(reason or "created")[:200])


@transaction.atomic(savepoint=False)
def person_create_many(*, actor: User | None, people: Sequence[NewPerson]) -> list[Person]:
    """Write prepared persons with their keys, first versions and audit events: four
    INSERTs whatever their number (bulk intake creates hundreds per batch)."""
    if not people:
        return []
    created = list(insert_many([n.person for n in people]))
    _keys_insert([(n.person.pk, k) for n in people for k in n.keys])
    insert_many(
        [
            PersonVersion(
                person=n.person,
                version=n.person.version,
                actor=actor,
                data=person_snapshot(n.person),
                reason=n.reason,
            )
            for n in people
        ]
    )
    audit_record_many(
        [audit_event(actor=actor, action=RegistryAction.PERSON_CREATED, obj=p) for p in created]
    )
    return created


def person_create(*, actor: User | None, data: PersonData, reason: str = "") -> Person:
    new = person_prepare(data=data, reason=reason)
    with transaction.atomic():
        return person_create_many(actor=actor, people=[new])[0]


@transaction.atomic
def person_update(
    *, actor: User | None, person: Person, version: int, data: PersonData, reason: str = ""
) -> Person:
    """Change identity fields; raises ConflictError when someone saved in between."""
    locked = locked_at_version(Person.objects, person.pk, version)
    before = person_snapshot(locked)
    for name, value in data.changes().items():
        setattr(locked, name, value)
    person_clean(locked)
    conflicts = edit_conflicts(locked)
    if conflicts:
        raise ValidationError(
            _("Records merged into this one conflict with the change: %(why)s. Undo the merge "
              "first if they are different people.") % {"why": " ".join(conflict_labels(conflicts))}
        )  # fmt: skip
    after = person_snapshot(locked)
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return locked
    locked.version += 1
    person_save(locked)
    version_write(locked, actor, reason or "updated")
    audit_record(actor=actor, action=RegistryAction.PERSON_UPDATED, obj=locked,
                 detail={"fields": changed, "version": locked.version})  # fmt: skip
    return locked


@transaction.atomic
def person_former_name_add(*, actor: User | None, person: Person, last_name: str,
                           changed_on: dt.date | None = None) -> PersonFormerName:  # fmt: skip
    """Record a surname the person bore before (maiden name, before adoption), with the
    date it changed; search and matching find the person by it from now on."""
    name = last_name.strip()
    if not name:
        raise ValidationError({"last_name": _("Enter the former last name.")})
    former = PersonFormerName.objects.create(person=person, last_name=name, changed_on=changed_on)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    person_save(locked)
    audit_record(actor=actor, action=RegistryAction.FORMER_NAME_ADDED, obj=locked,
                 detail={"former_last_name": name,
                         "changed_on": changed_on.isoformat() if changed_on else ""})  # fmt: skip
    return former


def person_keys_backfill(queryset: models.QuerySet[Person], batch: int = 5000) -> int:
    """(Re)compute search keys in bulk, e.g. after a bulk import that bypassed the service.

    Plain UPDATE ... WHERE id = %s batches: Django's bulk_update builds CASE expressions that
    are far slower on SQLite for tens of thousands of rows.
    """
    columns = ("key_last", "key_last_skel", "key_first", "key_first_skel", "key_patronymic",
               "key_birth", "key_words")  # fmt: skip
    person_table = connection.ops.quote_name(Person._meta.db_table)
    assignments = ", ".join(f"{c} = %s" for c in columns)
    # Built from constant column names and the models' own table names only.
    update_sql = f"UPDATE {person_table} SET {assignments} WHERE id = %s"  # noqa: S608
    done = 0
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    fields = ["pk", "last_name", "first_name", "patronymic", "sex", "birth_year", "birth_month",
              "birth_day", "snils", "territory_id"]  # fmt: skip
    for start in range(0, len(ids), batch):
        chunk = list(
            Person.objects.filter(pk__in=ids[start : start + batch])
            .only(*fields)
            .prefetch_related("former_names")
        )
        keys: list[tuple[int, str]] = []
        params = []
        for person in chunk:
            keys.extend((person.pk, k) for k in search_keys(person))
            params.append([getattr(person, c) for c in columns] + [person.pk])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(update_sql, params)
            PersonKey.objects.filter(person_id__in=[p.pk for p in chunk])._raw_delete(
                using="default"
            )
            _keys_insert(keys)
        done += len(chunk)
    return done


@transaction.atomic
def search_log_record(*, actor: User, text: str, results: int) -> None:
    audit_record(actor=actor, action=RegistryAction.PERSON_SEARCHED,
                 detail={"query": text[:200], "results": results})  # fmt: skip


def known_lookup_record(*, actor: User, text: str, known: int) -> None:
    """A "known to the system" answer is itself personal data: who asked, what, and how
    many records outside their work matched."""
    audit_record(actor=actor, action=TrustAction.KNOWN_LOOKUP,
                 detail={"query": text[:200], "known": known})  # fmt: skip


# ------------------------------------------------------------------ search before create
@dataclass
class ResolvedCandidate:
    person: Person
    probability: float
    score: float
    candidate: Candidate


@dataclass
class Resolution:
    """decision is "link" (it is this person), "review" (maybe one of these) or "new".

    candidates are only those the actor may see; hidden counts strong matches outside
    the actor's scope, reported without any detail.
    """

    decision: str
    person: Person | None
    candidates: list[ResolvedCandidate] = field(default_factory=list)
    hidden: int = 0


@transaction.atomic
def person_resolve(
    *, actor: User, data: Mapping[str, Any] | PersonData, top: int = 10
) -> Resolution:
    """Run the engine against the whole region; reveal only records the actor may see."""
    rec = data.record() if isinstance(data, PersonData) else record_from_data(data)
    base = Person.objects.filter(region_q(actor), merged_into__isnull=True)
    rows = {str(p.pk): p for p in resolve_candidates(base, rec)}
    matcher = Matcher(engine().params)
    matcher.add_many(person_record(p) for p in rows.values())
    result = matcher.match(rec, top=top)
    visible_ids = set(
        policies.persons.searchable(actor).filter(pk__in=[int(k) for k in rows])
        .values_list("pk", flat=True))  # fmt: skip
    shown: list[ResolvedCandidate] = []
    hidden = 0
    for cand in result.candidates:
        person = rows[cand.record_id]
        if person.pk in visible_ids:
            shown.append(ResolvedCandidate(person, cand.probability, cand.score, cand))
        elif cand.probability >= engine().params.review_threshold:
            hidden += 1
    best = None
    if result.decision == "link" and shown and shown[0].candidate is result.candidates[0]:
        best = shown[0].person
    audit_record(actor=actor, action=RegistryAction.PERSON_RESOLVED, detail={
        "decision": result.decision, "candidates": len(shown), "hidden": hidden})  # fmt: skip
    return Resolution(result.decision, best, shown, hidden)


def parse_birth(value: str) -> tuple[int | None, int | None, int | None]:
    """ДД.ММ.ГГГГ, ММ.ГГГГ, ГГГГ (or ISO forms) into (year, month, day); ValueError if bad."""
    return PartialDate.parse(value).parts
