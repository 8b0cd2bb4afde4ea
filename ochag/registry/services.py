"""Every write to the registry: persons with their history, households, duplicates, merges.

Each function is atomic and records its audit event in the same transaction. A person's
search keys are recomputed on every change of the person, so staff search stays an indexed
look-up; a snapshot of the person is stored as a PersonVersion after each change.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ochag.access.policies import region_q
from ochag.core.inserts import insert_many
from ochag.core.models import Territory
from ochag.core.services import audit_event, audit_record, audit_record_many
from ochag.linkage import (
    Candidate,
    Matcher,
    PersonRecord,
    find_duplicate_pairs,
    parse_date,
    snils_normalise,
)
from ochag.registry import policies
from ochag.registry.explain import engine, explanation_json, person_record, search_keys
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    MemberRole,
    Membership,
    MergeRecord,
    Person,
    PersonKey,
    PersonVersion,
    RegistryAction,
    RelationKind,
    Relationship,
)
from ochag.registry.selectors import resolve_candidates

if TYPE_CHECKING:
    from ochag.access.models import User


class VersionConflict(Exception):
    """The record changed since the user opened it (optimistic locking)."""


class MergeBlocked(Exception):
    """The two records must not be merged; the message says why."""


# Identity fields a person form edits and a merge chooses between.
PERSON_FIELDS = (
    "last_name", "first_name", "patronymic", "sex", "birth_year", "birth_month", "birth_day",
    "snils", "birth_certificate", "citizenship", "address", "territory_id",
)  # fmt: skip
# Relations to Person that belong to the registry's own bookkeeping and stay where they are.
_INTERNAL_MODELS = (
    "registry.personversion",
    "registry.personkey",
    "registry.duplicatecandidate",
    "registry.mergerecord",
    "registry.person",
)


# ------------------------------------------------------------------ persons
def person_snapshot(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    data["merged_into_id"] = person.merged_into_id
    return data


def _keys_store(person: Person, keys: list[str]) -> None:
    PersonKey.objects.filter(person=person).delete()
    PersonKey.objects.bulk_create([PersonKey(person=person, key=k) for k in keys])


def _keys_insert(rows: list[tuple[int, str]]) -> None:
    """Key rows as plain tuples: a person has about ten, and model instances for them cost
    more than the INSERT (bulk intake writes thousands per batch)."""
    table = connection.ops.quote_name(PersonKey._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):  # 1 000 parameters: within every backend's limit
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            # Built from the model's own table name and placeholders only.
            sql = f"INSERT INTO {table} (person_id, key) VALUES {values}"  # noqa: S608
            cursor.execute(sql, [v for row in chunk for v in row])


def _version_write(person: Person, actor: User | None, reason: str) -> None:
    PersonVersion.objects.create(person=person, version=person.version, actor=actor,
                                 data=person_snapshot(person), reason=reason[:200])  # fmt: skip


def _clean(person: Person, *, check_relations: bool = True) -> None:
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


def person_prepare(
    *,
    territory: Territory,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    sex: str = "",
    birth_year: int | None = None,
    birth_month: int | None = None,
    birth_day: int | None = None,
    snils: str = "",
    birth_certificate: str = "",
    citizenship: str = "RUS",
    address: str = "",
    reason: str = "",
) -> NewPerson:
    """Validate a new person without touching the database; ValidationError if invalid."""
    person = Person(
        territory=territory, last_name=last_name.strip(), first_name=first_name.strip(),
        patronymic=patronymic.strip(), sex=sex, birth_year=birth_year, birth_month=birth_month,
        birth_day=birth_day, snils=snils.strip(), birth_certificate=birth_certificate.strip(),
        citizenship=citizenship.strip(), address=address.strip(),
    )  # fmt: skip
    _clean(person, check_relations=False)
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


def person_create(
    *,
    actor: User | None,
    territory: Territory,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    sex: str = "",
    birth_year: int | None = None,
    birth_month: int | None = None,
    birth_day: int | None = None,
    snils: str = "",
    birth_certificate: str = "",
    citizenship: str = "RUS",
    address: str = "",
    reason: str = "",
) -> Person:
    new = person_prepare(
        territory=territory, last_name=last_name, first_name=first_name, patronymic=patronymic,
        sex=sex, birth_year=birth_year, birth_month=birth_month, birth_day=birth_day,
        snils=snils, birth_certificate=birth_certificate, citizenship=citizenship,
        address=address, reason=reason,
    )  # fmt: skip
    with transaction.atomic():
        return person_create_many(actor=actor, people=[new])[0]


@transaction.atomic
def person_update(*, actor: User | None, person: Person, version: int, reason: str = "",
                  **changes: Any) -> Person:  # fmt: skip
    """Change identity fields; raises VersionConflict when someone saved in between."""
    unknown = set(changes) - set(PERSON_FIELDS) - {"territory"}
    if unknown:
        raise TypeError(f"not person fields: {sorted(unknown)}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.version != version:
        raise VersionConflict
    before = person_snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _clean(locked)
    after = person_snapshot(locked)
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return locked
    locked.version += 1
    keys = search_keys(locked)
    locked.save()
    _keys_store(locked, keys)
    _version_write(locked, actor, reason or "updated")
    audit_record(actor=actor, action=RegistryAction.PERSON_UPDATED, obj=locked,
                 detail={"fields": changed, "version": locked.version})  # fmt: skip
    return locked


def person_keys_backfill(queryset: models.QuerySet[Person], batch: int = 5000) -> int:
    """(Re)compute search keys in bulk, e.g. after a bulk import that bypassed the service.

    Plain UPDATE ... WHERE id = %s batches: Django's bulk_update builds CASE expressions that
    are far slower on SQLite for tens of thousands of rows.
    """
    columns = ("key_last", "key_last_skel", "key_first", "key_first_skel", "key_patronymic",
               "key_birth")  # fmt: skip
    person_table = connection.ops.quote_name(Person._meta.db_table)
    assignments = ", ".join(f"{c} = %s" for c in columns)
    # Built from constant column names and the models' own table names only.
    update_sql = f"UPDATE {person_table} SET {assignments} WHERE id = %s"  # noqa: S608
    done = 0
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    fields = ["pk", "last_name", "first_name", "patronymic", "sex", "birth_year", "birth_month",
              "birth_day", "snils", "territory_id"]  # fmt: skip
    for start in range(0, len(ids), batch):
        chunk = list(Person.objects.filter(pk__in=ids[start : start + batch]).only(*fields))
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


@transaction.atomic
def person_resolve(*, actor: User, data: Mapping[str, Any], top: int = 10) -> Resolution:
    """Run the engine against the whole region; reveal only records the actor may see."""
    rec = record_from_data(data)
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


# ------------------------------------------------------------------ households
@transaction.atomic
def household_create(*, actor: User, territory: Territory, name: str, address: str = ""
                     ) -> Household:  # fmt: skip
    home = Household(territory=territory, name=name.strip(), address=address.strip())
    home.full_clean()
    home.save()
    audit_record(actor=actor, action=RegistryAction.HOUSEHOLD_CREATED, obj=home)
    return home


@transaction.atomic
def household_update(*, actor: User, household: Household, version: int, name: str,
                     address: str) -> Household:  # fmt: skip
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.version != version:
        raise VersionConflict
    locked.name, locked.address = name.strip(), address.strip()
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, action=RegistryAction.HOUSEHOLD_UPDATED, obj=locked)
    return locked


@transaction.atomic
def membership_add(*, actor: User, household: Household, person: Person, role: str,
                   since: dt.date | None = None) -> Membership:  # fmt: skip
    if Membership.objects.filter(household=household, person=person).exists():
        raise ValidationError(_("This person is already a member of the household."))
    member = Membership(household=household, person=person, role=MemberRole(role), since=since)
    member.full_clean()
    member.save()
    audit_record(actor=actor, action=RegistryAction.MEMBER_ADDED, obj=household,
                 detail={"person": person.pk, "role": role})  # fmt: skip
    return member


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    household = membership.household
    detail = {"person": membership.person_id, "role": membership.role}
    membership.delete()
    audit_record(actor=actor, action=RegistryAction.MEMBER_REMOVED, obj=household, detail=detail)


@transaction.atomic
def relationship_add(*, actor: User, person: Person, kind: str, relative_of: Person
                     ) -> Relationship:  # fmt: skip
    if person.pk == relative_of.pk:
        raise ValidationError(_("A person cannot be their own relative."))
    if Relationship.objects.filter(person=person, kind=kind, relative_of=relative_of).exists():
        raise ValidationError(_("This relationship is already recorded."))
    rel = Relationship.objects.create(
        person=person, kind=RelationKind(kind), relative_of=relative_of
    )
    audit_record(actor=actor, action=RegistryAction.RELATIONSHIP_ADDED, obj=relative_of,
                 detail={"person": person.pk, "kind": kind})  # fmt: skip
    return rel


@transaction.atomic
def relationship_remove(*, actor: User, relationship: Relationship) -> None:
    detail = {"person": relationship.person_id, "kind": relationship.kind}
    target = relationship.relative_of
    relationship.delete()
    audit_record(actor=actor, action=RegistryAction.RELATIONSHIP_REMOVED, obj=target, detail=detail)


# ------------------------------------------------------------------ duplicates
def _blocks(people: Iterable[Person]) -> Iterator[list[Person]]:
    """Per region, so a run's memory and pair count stay bounded by one region's registry."""
    groups: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        parts = p.territory.path.strip("/").split("/")
        groups["/".join(parts[:2])].append(p)
    yield from groups.values()


def duplicates_find(*, actor: User | None = None, queryset: models.QuerySet[Person] | None = None,
                    min_probability: float = 0.5) -> int:  # fmt: skip
    """Store new likely duplicate pairs; decided pairs are never reopened. Returns new pairs."""
    qs = queryset if queryset is not None else Person.objects.all()
    people = qs.filter(merged_into__isnull=True).select_related("territory")
    created = 0
    for block in _blocks(people.iterator(chunk_size=5000)):
        records = [person_record(p) for p in block]
        feats = {r.record_id: r for r in records}
        found = find_duplicate_pairs(records, min_probability=min_probability)
        existing = set(
            DuplicateCandidate.objects.filter(person_a_id__in=[int(k) for k in feats])
            .values_list("person_a_id", "person_b_id"))  # fmt: skip
        rows = []
        for left, right, probability, _expl in found:
            a, b = sorted((int(left), int(right)))
            if (a, b) in existing:
                continue
            cand = engine().compare(feats[str(a)], feats[str(b)])
            rows.append(
                DuplicateCandidate(
                    person_a_id=a,
                    person_b_id=b,
                    probability=probability,
                    score=cand.score,
                    explanation=explanation_json(cand.explanation),
                    conflicts=list(cand.conflicts),
                )
            )
            existing.add((a, b))
        with transaction.atomic():
            DuplicateCandidate.objects.bulk_create(rows, batch_size=2000)
            audit_record(actor=actor, action=RegistryAction.DUPLICATES_FOUND,
                         territory=block[0].territory.region if block else None,
                         detail={"persons": len(block), "new_pairs": len(rows)})  # fmt: skip
        created += len(rows)
    return created


@transaction.atomic
def duplicate_dismiss(*, actor: User, duplicate: DuplicateCandidate, reason: str = "") -> None:
    duplicate.status = DuplicateStatus.DISMISSED
    duplicate.decided_at = timezone.now()
    duplicate.decided_by = actor
    duplicate.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(actor=actor, action=RegistryAction.DUPLICATE_DISMISSED, obj=duplicate.person_a,
                 detail={"pair": [duplicate.person_a_id, duplicate.person_b_id],
                         "reason": reason[:300]})  # fmt: skip


def _person_links() -> list[tuple[type[models.Model], str]]:
    """Every (model, FK column) pointing at Person outside the registry's bookkeeping.

    Discovered from Person's reverse relations, so a FK added by any other app is carried
    through merges and unmerges without changes here.
    """
    links: dict[tuple[str, str], tuple[type[models.Model], str]] = {}
    for rel in Person._meta.related_objects:
        model: type[models.Model]
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            model = through
            fks = [f for f in through._meta.fields if f.is_relation and f.related_model is Person]
        else:
            model = rel.related_model
            fks = [rel.field]
        if model._meta.label_lower in _INTERNAL_MODELS:
            continue
        for fk in fks:
            links[(model._meta.label_lower, fk.attname)] = (model, fk.attname)
    return list(links.values())


def merge_blockers(kept: Person, merged: Person) -> list[str]:
    """Engine hard conflicts (different SNILS, possible twins) and state problems."""
    reasons = list(engine().compare(person_record(kept), person_record(merged)).conflicts)
    if kept.pk == merged.pk:
        reasons.append("same record")
    if kept.merged_into_id or merged.merged_into_id:
        reasons.append("already merged")
    return reasons


def _set_aside(row: models.Model) -> str:
    collector = Collector(using="default")
    collector.collect([row])
    if sum(len(objs) for objs in collector.data.values()) > 1:
        raise MergeBlocked(f"{row._meta.label} {row.pk} cannot be set aside without losing data")
    data = serializers.serialize("json", [row])
    row.delete()
    return data


@transaction.atomic
def person_merge(
    *,
    actor: User,
    kept: Person,
    merged: Person,
    choices: Mapping[str, str] | None = None,
    duplicate: DuplicateCandidate | None = None,
    reason: str = "",
) -> MergeRecord:
    """Fold ``merged`` into ``kept``; ``choices`` maps a field to "kept" or "merged" (whose
    value the survivor takes). Nothing is deleted: the merged record stays with a pointer."""
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    blockers = merge_blockers(kept, merged)
    if blockers:
        raise MergeBlocked("; ".join(blockers))
    state: dict[str, Any] = {
        "kept": person_snapshot(kept) | {"version": kept.version},
        "merged": person_snapshot(merged) | {"version": merged.version},
        "moved": [],
        "set_aside": [],
    }
    for name, side in (choices or {}).items():
        if side == "merged" and name in PERSON_FIELDS:
            setattr(kept, name, getattr(merged, name))
            if name == "birth_year":
                kept.birth_month, kept.birth_day = merged.birth_month, merged.birth_day
    for model, column in _person_links():
        manager = model._default_manager
        for row in list(manager.filter(**{column: merged.pk})):
            try:
                with transaction.atomic():
                    manager.filter(pk=row.pk).update(**{column: kept.pk})
                state["moved"].append({"model": model._meta.label_lower, "pk": row.pk,
                                       "field": column})  # fmt: skip
            except IntegrityError:
                state["set_aside"].append(_set_aside(row))
    _clean(kept)
    kept.version += 1
    keys = search_keys(kept)
    kept.save()
    _keys_store(kept, keys)
    merged.merged_into = kept
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    _version_write(kept, actor, f"merged with #{merged.pk}")
    _version_write(merged, actor, f"merged into #{kept.pk}")
    record = MergeRecord.objects.create(kept=kept, merged=merged, duplicate=duplicate,
                                        state=state, reason=reason[:500], actor=actor)  # fmt: skip
    if duplicate is not None:
        duplicate.status = DuplicateStatus.MERGED
        duplicate.decided_at = timezone.now()
        duplicate.decided_by = actor
        duplicate.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(actor=actor, action=RegistryAction.PERSONS_MERGED, obj=kept, detail={
        "merge": record.pk, "kept": kept.pk, "merged": merged.pk,
        "moved": len(state["moved"]), "set_aside": len(state["set_aside"])})  # fmt: skip
    return record


@dataclass
class UnmergeResult:
    record: MergeRecord
    restored: int
    skipped: list[str]


@transaction.atomic
def person_unmerge(*, actor: User, record: MergeRecord, reason: str = "") -> UnmergeResult:
    """Undo a merge exactly: both persons' values, every moved link, every set-aside row.

    A link changed again after the merge (deleted, or pointed elsewhere) is left as it is
    now and reported in ``skipped``; nothing added after the merge is touched.
    """
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise MergeBlocked("already undone")
    kept = Person.objects.select_for_update().get(pk=record.kept_id)
    merged = Person.objects.select_for_update().get(pk=record.merged_id)
    if kept.merged_into_id is not None:
        raise MergeBlocked("the kept record was merged again; undo that merge first")
    state = record.state
    skipped: list[str] = []
    restored = 0
    for item in state["moved"]:
        model = apps.get_model(item["model"])
        try:
            with transaction.atomic():
                n = model._default_manager.filter(pk=item["pk"], **{item["field"]: kept.pk}).update(
                    **{item["field"]: merged.pk}
                )
        except IntegrityError:
            n = 0
        if n:
            restored += 1
        else:
            skipped.append(f"{item['model']}:{item['pk']}")
    for data in state["set_aside"]:
        for obj in serializers.deserialize("json", data):
            try:
                with transaction.atomic():
                    obj.save()
                restored += 1
            except IntegrityError:
                skipped.append(f"{obj.object._meta.label_lower}:{obj.object.pk}")
    for name in PERSON_FIELDS:
        setattr(kept, name, state["kept"][name])
    kept.version += 1
    keys = search_keys(kept)
    kept.save()
    _keys_store(kept, keys)
    merged.merged_into = None
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    _keys_store(merged, search_keys(merged))
    _version_write(kept, actor, f"merge with #{merged.pk} undone")
    _version_write(merged, actor, f"merge into #{kept.pk} undone")
    record.undone_at = timezone.now()
    record.undone_by = actor
    record.save(update_fields=["undone_at", "undone_by"])
    if record.duplicate_id is not None:
        DuplicateCandidate.objects.filter(pk=record.duplicate_id).update(
            status=DuplicateStatus.OPEN, decided_at=None, decided_by=None
        )
    audit_record(actor=actor, action=RegistryAction.PERSONS_UNMERGED, obj=kept, detail={
        "merge": record.pk, "restored": restored, "skipped": skipped,
        "reason": reason[:300]})  # fmt: skip
    return UnmergeResult(record, restored, skipped)


def parse_birth(value: str) -> tuple[int | None, int | None, int | None]:
    """ДД.ММ.ГГГГ, ММ.ГГГГ, ГГГГ (or ISO forms) into (year, month, day); ValueError if bad."""
    text = value.strip()
    if not text:
        return (None, None, None)
    parts = text.split(".")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        text = f"{int(parts[1]):04d}-{int(parts[0]):02d}"
    return parse_date(text)


_DEMO_SHORT = {"Мария": "Маша", "Александра": "Саша", "Александр": "Саша", "Екатерина": "Катя",
               "Анастасия": "Настя", "Дмитрий": "Дима", "Евгений": "Женя", "Михаил": "Миша",
               "Елена": "Лена", "Иван": "Ваня", "Алексей": "Лёша", "Ольга": "Оля"}  # fmt: skip


def demo_duplicates(*, rng: random.Random, people: models.QuerySet[Person], count: int = 30
                    ) -> dict[str, int]:  # fmt: skip
    """Demo only: re-enter some children as another agency would (diminutive, typo, no
    patronymic or SNILS), then run the duplicate finder over the families concerned."""
    children = list(people.filter(birth_year__gte=2008, merged_into__isnull=True)
                    .order_by("pk").values_list("pk", flat=True))  # fmt: skip
    chosen = Person.objects.filter(pk__in=rng.sample(children, min(count, len(children))))
    skels: set[str] = set()
    for original in chosen:
        last = original.last_name
        first = _DEMO_SHORT.get(original.first_name, original.first_name)
        if first == original.first_name and len(last) > 4:
            i = rng.randrange(1, len(last) - 2)
            last = last[:i] + last[i + 1] + last[i] + last[i + 2 :]  # a keyboard slip
        copy = person_create(
            actor=None, territory=original.territory, last_name=last, first_name=first,
            patronymic=original.patronymic if rng.random() < 0.6 else "", sex=original.sex,
            birth_year=original.birth_year, birth_month=original.birth_month,
            birth_day=original.birth_day, reason="demo: entered again by another agency",
        )  # fmt: skip
        skels.update({original.key_last_skel, copy.key_last_skel})
    pairs = duplicates_find(queryset=people.filter(key_last_skel__in=skels))
    return {"demo_duplicate_records": len(chosen), "duplicate_pairs": pairs}
