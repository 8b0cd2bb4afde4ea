"""The duplicates queue: finding likely pairs, dismissing them, the demo's re-entered records."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone

from ochag.core.services import audit_record
from ochag.linkage import find_duplicate_pairs
from ochag.registry.explain import engine, explanation_json, person_record
from ochag.registry.models import DuplicateCandidate, DuplicateStatus, Person, RegistryAction
from ochag.registry.services.persons import PersonData, person_create

if TYPE_CHECKING:
    from ochag.access.models import User


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
        data = PersonData(
            territory=original.territory, last_name=last, first_name=first,
            patronymic=original.patronymic if rng.random() < 0.6 else "", sex=original.sex,
            birth_year=original.birth_year, birth_month=original.birth_month,
            birth_day=original.birth_day,
        )  # fmt: skip
        copy = person_create(actor=None, data=data, reason="demo: entered again by another agency")
        skels.update({original.key_last_skel, copy.key_last_skel})
    pairs = duplicates_find(queryset=people.filter(key_last_skel__in=skels))
    # Found over the last fortnight's nightly runs, not all today. An own generator: drawing
    # from the shared one would change every later app's demo.
    spread = random.Random("found")
    now = timezone.now()
    for pair in DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).order_by("pk"):
        found = now - dt.timedelta(days=spread.randint(0, 13), hours=spread.randint(0, 6))
        DuplicateCandidate.objects.filter(pk=pair.pk).update(found_at=found)
    return {"demo_duplicate_records": len(chosen), "duplicate_pairs": pairs}
