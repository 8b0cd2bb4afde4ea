"""Merging two records of one person, and undoing a merge.

Nothing is deleted: the merged record stays with a pointer to the one kept, and every row of
any app that pointed at it is moved (or, when a constraint forbids it, set aside) and
recorded so the merge can be undone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from ochag.core.services import audit_record
from ochag.registry.explain import engine, person_record
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MergeRecord,
    Person,
    RegistryAction,
)
from ochag.registry.services.persons import (
    PERSON_FIELDS,
    person_clean,
    person_save,
    person_snapshot,
    version_write,
)

if TYPE_CHECKING:
    from ochag.access.models import User


class MergeBlocked(Exception):
    """The two records must not be merged; the message says why."""


# Relations to Person that belong to the registry's own bookkeeping and stay where they are.
_INTERNAL_MODELS = (
    "registry.personversion",
    "registry.personkey",
    "registry.duplicatecandidate",
    "registry.mergerecord",
    "registry.person",
)


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
    person_clean(kept)
    kept.version += 1
    person_save(kept)
    merged.merged_into = kept
    merged.version += 1
    merged.save(update_fields=["merged_into", "version", "updated_at"])
    version_write(kept, actor, f"merged with #{merged.pk}")
    version_write(merged, actor, f"merged into #{kept.pk}")
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
    person_save(kept)
    merged.merged_into = None
    merged.version += 1
    person_save(merged)
    version_write(kept, actor, f"merge with #{merged.pk} undone")
    version_write(merged, actor, f"merge into #{kept.pk} undone")
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
