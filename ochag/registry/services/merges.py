"""Merging two records of one person, and undoing a merge in any order.

Nothing is deleted: the merged record stays with a pointer to the one kept, and every row of
any app that pointed at it is moved (or set aside) and recorded (see ``merge_rows``).

A merge records, for each identity field it changed on the kept record, the value before
and after. An unmerge restores field by field from those values, so merges can be undone in
any order (issue 18 #3): a field the merge set and nobody changed since goes back; a field a
later merge in effect changed again stays, and that later merge will now restore the value
from before both; a field edited after the merge keeps the edit (issue 18 #5). The plan is
shown before the unmerge (:func:`unmerge_plan`) and kept in its audit entry.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ochag.core.services import audit_record
from ochag.registry.explain import person_record
from ochag.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MergeRecord,
    Person,
    PersonVersion,
    RegistryAction,
)
from ochag.registry.services.clusters import cluster_conflicts, cluster_records
from ochag.registry.services.merge_rows import RowLost, move_links, unwind
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
    """The two records must not be merged, or a merge not undone; the message says why."""


# Identity fields as a merge and an unmerge treat them: a date of birth is one value.
FIELD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("last_name",), ("first_name",), ("patronymic",), ("sex",),
    ("birth_year", "birth_month", "birth_day"), ("snils",), ("birth_certificate",),
    ("citizenship",), ("address",), ("territory_id",),
)  # fmt: skip


def _values(source: Mapping[str, Any] | Person, group: tuple[str, ...]) -> list[Any]:
    if isinstance(source, Person):
        return [getattr(source, name) for name in group]
    return [source.get(name) for name in group]


def merge_blockers(kept: Person, merged: Person) -> list[str]:
    """Hard conflicts (different valid SNILS, possible twins) between any record of the two
    merge clusters, and state problems."""
    if kept.pk == merged.pk:
        return ["same record"]
    reasons = cluster_conflicts(cluster_records(kept), cluster_records(merged))
    if kept.merged_into_id or merged.merged_into_id:
        reasons.append("already merged")
    return reasons


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
    try:
        move_links(state, merged.pk, kept.pk)
    except RowLost as exc:
        raise MergeBlocked(str(exc)) from exc
    person_clean(kept)
    # The values the survivor takes must not conflict with the records it now stands for.
    members = cluster_records(kept, with_history=False) + cluster_records(
        merged, with_history=False
    )
    others = [r for r in members if r.record_id != str(kept.pk)]
    conflicts = cluster_conflicts([person_record(kept)], others)
    if conflicts:
        raise MergeBlocked("; ".join(conflicts))
    # A field taken from the merged record counts as the merge's change even when the value
    # was the same then: undoing an earlier merge must not undo this choice.
    taken = {name for name, side in (choices or {}).items() if side == "merged"}
    state["fields"] = {
        group[0]: [_values(state["kept"], group), _values(kept, group)]
        for group in FIELD_GROUPS
        if group[0] in taken or _values(state["kept"], group) != _values(kept, group)
    }
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
        "moved": len(state["moved"]), "set_aside": len(state["set_aside"]),
        "fields": sorted(state["fields"])})  # fmt: skip
    return record


# ------------------------------------------------------------------ unmerge
REVERT = "revert"  # the merge set it and nothing changed it since: back to the value before
EDITED = "edited"  # edited after the merge: the edit stays
LATER = "later"  # a later merge in effect changed it again: stays until that one is undone


@dataclass
class FieldOutcome:
    group: tuple[str, ...]
    before: list[Any]  # the kept record's value before the merge
    merged: list[Any]  # the value the merge gave it
    now: list[Any]  # the value now
    action: str  # REVERT, EDITED or LATER
    later: MergeRecord | None = None

    @property
    def name(self) -> str:
        return self.group[0]

    @property
    def result(self) -> list[Any]:
        return self.before if self.action == REVERT else self.now


@dataclass
class UnmergePlan:
    record: MergeRecord
    refusal: str = ""
    fields: list[FieldOutcome] = field(default_factory=list)


def _merge_fields(record: MergeRecord, kept: Person) -> dict[str, list[list[Any]]]:
    """The fields the merge changed, [before, after]. A merge recorded before these were kept
    counts every field that differs from before it as its own (restored as it always was)."""
    state = record.state
    if "fields" in state:
        return dict(state["fields"])
    return {
        g[0]: [_values(state["kept"], g), _values(kept, g)]
        for g in FIELD_GROUPS
        if _values(state["kept"], g) != _values(kept, g)
    }


_MERGE_VERSION = re.compile(r"^merged? (with|into) #\d+( undone)?$")


def _edited_since(person_pk: int, version: int) -> set[str]:
    """Field groups an edit changed in the person's versions after ``version`` (versions a
    merge or an unmerge wrote are not edits)."""
    rows = list(
        PersonVersion.objects.filter(person_id=person_pk, version__gte=version)
        .order_by("version")
        .values_list("data", "reason")
    )
    edited: set[str] = set()
    for (older, _), (newer, reason) in itertools.pairwise(rows):
        if not _MERGE_VERSION.match(reason):
            edited.update(g[0] for g in FIELD_GROUPS if _values(older, g) != _values(newer, g))
    return edited


def unmerge_plan(record: MergeRecord, *, lock: bool = False) -> UnmergePlan:
    """What undoing the merge would do to each field it changed, or why it cannot be undone."""
    plan = UnmergePlan(record)
    if record.undone_at is not None:
        plan.refusal = "already undone"
        return plan
    persons = Person.objects.select_for_update() if lock else Person.objects
    kept = persons.get(pk=record.kept_id)
    if kept.merged_into_id is not None:
        later = MergeRecord.objects.filter(merged_id=kept.pk, undone_at__isnull=True).first()
        plan.refusal = (
            f"record № {kept.pk} was merged into № {kept.merged_into_id} afterwards "
            f"(merge № {later.pk if later else '?'}); undo merge № {later.pk if later else '?'} "
            f"first"
        )
        return plan
    merges = MergeRecord.objects.select_for_update() if lock else MergeRecord.objects
    above = list(merges.filter(kept_id=kept.pk, undone_at__isnull=True, pk__gt=record.pk)
                 .order_by("pk"))  # fmt: skip
    groups = {g[0]: g for g in FIELD_GROUPS}
    # The merge made the kept record's next version; edits since are kept whatever they set.
    edited = _edited_since(kept.pk, record.state["kept"]["version"] + 1)
    for name, (before, after) in _merge_fields(record, kept).items():
        group = groups[name]
        now = _values(kept, group)
        next_up = next((m for m in above if name in m.state.get("fields", {})), None)
        if name in edited:
            action = EDITED
        elif next_up is not None:
            action = LATER if next_up.state["fields"][name][0] == after else EDITED
        else:
            action = REVERT if now == after else EDITED
        plan.fields.append(FieldOutcome(group, before, after, now, action, next_up))
    return plan


@dataclass
class UnmergeResult:
    record: MergeRecord
    restored: int
    skipped: list[str]
    plan: UnmergePlan


def _group_value(values: list[Any], group: tuple[str, ...]) -> Any:
    if len(group) == 1:
        return values[0]
    return "-".join(f"{v:02d}" for v in values if v is not None)  # a date of birth, ISO order


@transaction.atomic
def person_unmerge(*, actor: User, record: MergeRecord, reason: str = "") -> UnmergeResult:
    """Undo a merge exactly, in any order: the kept record's fields by the plan; every moved
    link and set-aside row, with the later merges in effect in the region taken back
    and applied again, so their rows end as if this merge had never been.

    A link changed again after the merge (deleted, or pointed elsewhere) is left as it is
    now and reported in ``skipped``; nothing added after the merge is touched.
    """
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    plan = unmerge_plan(record, lock=True)
    if plan.refusal:
        raise MergeBlocked(plan.refusal)
    kept = Person.objects.select_for_update().get(pk=record.kept_id)
    merged = Person.objects.select_for_update().get(pk=record.merged_id)
    # Every later merge in effect in the region is taken back, then applied again: a row may
    # pass between records of several merges (a relationship between two merged records),
    # so only the full replay is exact. Its cost grows with the merges made since this one.
    region = "/".join(kept.territory.path.strip("/").split("/")[:2])
    later = list(
        MergeRecord.objects.select_for_update()
        .filter(pk__gt=record.pk, undone_at__isnull=True)
        .filter(kept__territory__path__startswith=f"/{region}/")
        .order_by("pk")
    )
    _plan_fields(plan, kept, {m.pk: m for m in later})
    skipped: list[str] = []
    for merge in reversed(later):
        skipped += unwind(merge.state, merge.kept_id, merge.merged_id)[1]
    restored, own_skipped = unwind(record.state, kept.pk, merged.pk)
    skipped += own_skipped
    for merge in later:
        move_links(merge.state, merge.merged_id, merge.kept_id)
        merge.save(update_fields=["state"])
    merged.merged_into = None
    merged.version += 1
    kept.version += 1
    person_save(kept)
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
        "merge": record.pk, "restored": restored, "skipped": skipped, "reason": reason[:300],
        "reverted": {f.name: _group_value(f.before, f.group) for f in plan.fields
                     if f.action == REVERT},
        "kept": {f.name: _group_value(f.now, f.group) for f in plan.fields if f.action == EDITED},
        "kept_by_later_merge": {f.name: f.later.pk for f in plan.fields
                                if f.action == LATER and f.later},
    })  # fmt: skip
    return UnmergeResult(record, restored, skipped, plan)


def _plan_fields(plan: UnmergePlan, kept: Person, later: dict[int, MergeRecord]) -> None:
    for outcome in plan.fields:
        if outcome.action == REVERT:
            for name, value in zip(outcome.group, outcome.before, strict=True):
                setattr(kept, name, value)
        elif outcome.action == LATER and outcome.later is not None:
            # The later merge now restores what was there before both (saved with it).
            merge = later[outcome.later.pk]
            merge.state["fields"][outcome.name][0] = outcome.before
    person_clean(kept)
