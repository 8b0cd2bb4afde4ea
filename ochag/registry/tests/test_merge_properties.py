"""Property tests of merge integrity (issue 18): any sequence of merges, unmerges and edits
over a handful of persons with households, relationships, signal subjects and removal
records (a case link) leaves every person's fields and every referencing row as a simple
model says, and no merge cluster ever holds two different valid SNILS or possible twins.

The model: a field of a person is the latest change still in effect (a merge's choice or an
edit; undoing a merge takes its choices away); a row points at the current survivor of the
record it was written for; rows that would coincide in one survivor (one membership of a
household, one relationship, a person's own relationship to itself) count once. After every
merge is undone, every row and every person is exactly as written, with the edits kept.

``OCHAG_INTEGRITY_EXAMPLES`` sets the number of sequences; with ``OCHAG_INTEGRITY_REPORT``
the figures are written to that file (``bench/integrity/run.sh`` prints them).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ochag.conftest import Cast
from ochag.linkage import features, hard_conflicts
from ochag.registry.explain import record_from_values
from ochag.registry.models import Membership, MergeRecord, Person, Relationship
from ochag.registry.services import (
    MergeBlocked,
    PersonData,
    person_create,
    person_merge,
    person_unmerge,
    person_update,
)
from ochag.registry.services.merges import FIELD_GROUPS
from ochag.registry.tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("OCHAG_INTEGRITY_EXAMPLES", "25"))
REPORT = os.environ.get("OCHAG_INTEGRITY_REPORT", "")
FIGURES: Counter[str] = Counter()

PEOPLE = 4
HOMES = 2
SNILS = ["", "11223344595", "00100199965", "12345678964"]
GROUPS = [g[0] for g in FIELD_GROUPS]
EDITS = {"address": ["", "Лесная, 1", "Новая, 5"], "last_name": ["Иванова", "Петрова"],
         "snils": SNILS}  # fmt: skip

person_st = st.fixed_dictionaries({
    # Mostly one girl entered several ways; sometimes her twin or another SNILS.
    "first_name": st.sampled_from(["Мария", "Мария", "Маша", "Маша", "Анна"]),
    "full_date": st.booleans(),
    "snils": st.sampled_from(["", "", "", *SNILS[1:]]),
    "address": st.sampled_from(["", "Лесная, 1", "Речная, 2"]),
})  # fmt: skip
idx = st.integers(0, PEOPLE - 1)
merge_st = st.tuples(st.just("merge"), idx, idx, st.sets(st.sampled_from(GROUPS), max_size=4))
op_st = st.one_of(
    merge_st,
    merge_st,
    st.tuples(st.just("unmerge"), st.integers(0, 7)),
    st.tuples(st.just("edit"), idx, st.sampled_from(sorted(EDITS)), st.integers(0, 2)),
)
links_st = st.fixed_dictionaries({
    "members": st.sets(st.tuples(idx, st.integers(0, HOMES - 1)), max_size=6),
    "relations": st.sets(st.tuples(idx, st.sampled_from(["mother", "sibling"]), idx), max_size=5),
    "subjects": st.lists(idx, max_size=4),
    "removed": st.sets(idx, max_size=3),
})  # fmt: skip


def _record(values: dict[str, Any]) -> Any:
    return features(record_from_values(
        0, values["last_name"], values["first_name"], values["patronymic"], values["sex"],
        values["birth_year"], values["birth_month"], values["birth_day"], values["snils"],
        values["territory_id"]))  # fmt: skip


def _conflict(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> bool:
    return any(hard_conflicts(_record(a), _record(b)) for a in left for b in right)


@dataclass
class Model:
    """The intended behaviour, in plain Python."""

    original: list[dict[str, Any]]
    layers: list[list[tuple[object, str, list[Any]]]] = field(default_factory=list)
    merged_into: dict[int, int] = field(default_factory=dict)
    live: list[dict[str, Any]] = field(default_factory=list)  # merges in effect, in order

    def values(self, p: int) -> dict[str, Any]:
        out = dict(self.original[p])
        for _source, name, vals in self.layers[p]:
            group = next(g for g in FIELD_GROUPS if g[0] == name)
            out.update(zip(group, vals, strict=True))
        return out

    def root(self, p: int) -> int:
        while p in self.merged_into:
            p = self.merged_into[p]
        return p

    def members(self, r: int) -> list[int]:
        return [p for p in range(len(self.original)) if self.root(p) == r]

    def cluster(self, r: int) -> list[dict[str, Any]]:
        members = self.members(r)
        history = [m["before"] for m in self.live if m["kept"] in members]
        return [self.values(p) for p in members] + history

    def merge_blocked(self, k: int, m: int, groups: set[str]) -> bool:
        """Conflicts between the two clusters (with their history), or between the values the
        survivor takes and any record it then stands for."""
        taken = dict(self.values(k))
        for name in groups:
            group = next(g for g in FIELD_GROUPS if g[0] == name)
            taken.update({f: self.values(m)[f] for f in group})
        others = [self.values(p) for p in self.members(k) + self.members(m) if p != k]
        return _conflict(self.cluster(k), self.cluster(m)) or _conflict([taken], others)

    def merge(self, pk: int, k: int, m: int, groups: set[str]) -> None:
        taken = self.values(m)
        before = self.values(k)
        for name in sorted(groups):
            group = next(g for g in FIELD_GROUPS if g[0] == name)
            self.layers[k].append((pk, name, [taken[f] for f in group]))
        self.merged_into[m] = k
        self.live.append({"pk": pk, "kept": k, "merged": m, "before": before})

    def unmerge(self, merge: dict[str, Any]) -> None:
        self.live.remove(merge)
        self.layers[merge["kept"]] = [x for x in self.layers[merge["kept"]] if x[0] != merge["pk"]]
        del self.merged_into[merge["merged"]]

    def edit_refused(self, p: int, name: str, value: Any) -> bool:
        others = [self.values(q) for q in self.members(p) if q != p]
        return _conflict([self.values(p) | {name: value}], others)


def _link_rows() -> dict[str, set[tuple[Any, ...]]]:
    removal = apps.get_model("cases", "EmergencyRemoval").children.through
    subject = apps.get_model("signals", "SignalSubject")
    return {
        "members": set(Membership.objects.values_list("pk", "household_id", "person_id", "role")),
        "relations": set(
            Relationship.objects.values_list("pk", "person_id", "kind", "relative_of_id")
        ),
        "subjects": set(subject.objects.values_list("pk", "person_id")),
        "removed": set(removal.objects.values_list("pk", "emergencyremoval_id", "person_id")),
    }


def _projection(rows: dict[str, set[tuple[Any, ...]]], to: Any) -> dict[str, Any]:
    """What the model promises of the rows: each pointing at the survivor, coinciding ones
    once; ``to`` maps a person id to its survivor."""
    return {
        "members": {(h, to(p)) for _pk, h, p, _role in rows["members"]},
        "relations": {(to(p), k, to(q)) for _pk, p, k, q in rows["relations"] if to(p) != to(q)},
        "subjects": {(pk, to(p)) for pk, p in rows["subjects"]},
        "removed": {(r, to(p)) for _pk, r, p in rows["removed"]},
    }


def _case_links(cast: Cast, home: models.Model) -> tuple[models.Model, models.Model]:
    """A signal and an emergency removal record: rows of higher apps that name persons."""
    signal = apps.get_model("signals", "Signal").objects.create(
        channel="staff", basis="duty_art9", received_at=timezone.now(),
        territory=cast.municipality_a, original_text="—", colour="amber", track="assessment",
    )  # fmt: skip
    case = apps.get_model("cases", "Case").objects.create(
        number="T-1", region=cast.region, territory=cast.municipality_a, household=home,
        curator=cast.worker_a, opened_by=cast.worker_a, legal_basis="—",
    )  # fmt: skip
    safety = apps.get_model("cases", "SafetyAssessment").objects.create(
        case=case, immediate_threat=True, reason="—", assessed_by=cast.worker_a
    )
    today = dt.date(2026, 12, 1)
    removal = apps.get_model("cases", "EmergencyRemoval").objects.create(
        case=case, safety_assessment=safety, act_number="1", act_date=today,
        prosecutor_notified_on=today, placement="—", reason="—", claim_deadline=today,
        recorded_by=cast.worker_a,
    )  # fmt: skip
    return signal, removal


def _check(model: Model, pks: list[int], original_rows: dict[str, Any]) -> None:
    by_pk = {pk: i for i, pk in enumerate(pks)}
    for i, pk in enumerate(pks):
        person = Person.objects.get(pk=pk)
        expected = model.values(i)
        assert {f: getattr(person, f) for f in expected} == expected, (i, model.layers[i])
        parent = model.merged_into.get(i)
        assert person.merged_into_id == (pks[parent] if parent is not None else None)
    survivor = lambda p: pks[model.root(by_pk[p])]  # noqa: E731
    assert _projection(_link_rows(), survivor) == _projection(original_rows, survivor)
    for r in {model.root(i) for i in range(len(pks))}:
        members = [Person.objects.get(pk=pks[p]) for p in model.members(r)]
        values = [{f: getattr(p, f) for f in model.original[0]} for p in members]
        for a in range(len(values)):
            assert not _conflict([values[a]], values[a + 1 :]), "a cluster holds a conflict"


def _run(cast: Cast, people: list[dict[str, Any]], links: dict[str, Any],
         ops: list[tuple[Any, ...]]) -> None:  # fmt: skip
    homes = [HouseholdFactory(territory=cast.municipality_a, name=f"Дом {i}") for i in range(HOMES)]
    created = []
    for spec in people:
        data = PersonData(
            territory=cast.municipality_a, last_name="Иванова", first_name=spec["first_name"],
            patronymic="Сергеевна", sex="F", birth_year=2015,
            birth_month=3 if spec["full_date"] else None,
            birth_day=5 if spec["full_date"] else None, snils=spec["snils"],
            address=spec["address"],
        )  # fmt: skip
        created.append(person_create(actor=None, data=data))
    pks = [p.pk for p in created]
    fields = [f for g in FIELD_GROUPS for f in g]
    model = Model(original=[{f: getattr(p, f) for f in fields} for p in created])
    model.layers = [[] for _ in created]
    signal, removal = _case_links(cast, homes[0])
    for p, h in links["members"]:
        Membership.objects.create(household=homes[h], person=created[p], role="child")
    for p, kind, q in links["relations"]:
        if p != q:
            Relationship.objects.create(person=created[p], kind=kind, relative_of=created[q])
    subject = apps.get_model("signals", "SignalSubject")
    for p in links["subjects"]:
        subject.objects.create(signal=signal, role="child", person=created[p])
    removal.children.set([created[p] for p in links["removed"]])  # type: ignore[attr-defined]
    original_rows = _link_rows()
    FIGURES["sequences"] += 1

    for op in ops:
        if op[0] == "merge":
            k, m = model.root(op[1]), model.root(op[2])
            if k == m:
                continue
            choices = dict.fromkeys(op[3], "merged")
            if model.merge_blocked(k, m, op[3]):
                with pytest.raises(MergeBlocked):
                    person_merge(actor=cast.admin, kept=created[k], merged=created[m],
                                 choices=choices)  # fmt: skip
                FIGURES["merges refused"] += 1
            else:
                record = person_merge(actor=cast.admin, kept=created[k], merged=created[m],
                                      choices=choices)  # fmt: skip
                model.merge(record.pk, k, m, op[3])
                FIGURES["merges"] += 1
        elif op[0] == "unmerge":
            if not model.live:
                continue
            merge = model.live[op[1] % len(model.live)]
            record = MergeRecord.objects.get(pk=merge["pk"])
            if merge["kept"] in model.merged_into:
                with pytest.raises(MergeBlocked):
                    person_unmerge(actor=cast.admin, record=record)
                FIGURES["unmerges refused (kept record merged again)"] += 1
            else:
                out_of_order = any(m["pk"] > merge["pk"] for m in model.live)
                person_unmerge(actor=cast.admin, record=record)
                model.unmerge(merge)
                FIGURES["unmerges"] += 1
                FIGURES["unmerges with a later merge still in effect"] += out_of_order
        else:
            p = model.root(op[1])
            name, value = op[2], EDITS[op[2]][op[3] % len(EDITS[op[2]])]
            person = Person.objects.get(pk=pks[p])
            data = replace(PersonData.of(person), **{name: value})
            if model.edit_refused(p, name, value):
                with pytest.raises(ValidationError):
                    person_update(actor=cast.admin, person=person, version=person.version,
                                  data=data)  # fmt: skip
                FIGURES["edits refused"] += 1
            else:
                person_update(actor=cast.admin, person=person, version=person.version, data=data)
                if model.values(p)[name] != value:
                    model.layers[p].append((object(), name, [value]))
                FIGURES["edits"] += 1
        _check(model, pks, original_rows)

    # Undo what is left, latest first: every row exactly as written, every edit kept.
    for merge in reversed(list(model.live)):
        person_unmerge(actor=cast.admin, record=MergeRecord.objects.get(pk=merge["pk"]))
        model.unmerge(merge)
    _check(model, pks, original_rows)
    assert _link_rows() == original_rows
    FIGURES["round trips to no merge"] += 1


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(person_st, min_size=PEOPLE, max_size=PEOPLE),
    links=links_st,
    # Merges first, so later steps find several in effect to undo in any order.
    ops=st.builds(
        lambda first, rest: first + rest,
        st.lists(merge_st, min_size=2, max_size=4),
        st.lists(op_st, min_size=2, max_size=10),
    ),
)
def test_any_sequence_of_merges_unmerges_and_edits_matches_the_model(
    cast: Cast, people: list[dict[str, Any]], links: dict[str, Any], ops: list[tuple[Any, ...]]
) -> None:
    with transaction.atomic():
        _run(cast, people, links, ops)
        transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Any:
    yield
    if REPORT:
        with Path(REPORT).open("w", encoding="utf-8") as out:
            json.dump(dict(FIGURES) | {"examples setting": EXAMPLES}, out, ensure_ascii=False,
                      indent=1)  # fmt: skip
