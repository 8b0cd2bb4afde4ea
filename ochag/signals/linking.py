"""The one place signals link a reported person to the registry (search before create).

Until ochag.registry.services exposes its resolve function this module runs the
ochag.linkage engine itself: it fetches candidates from the registry with indexed lookups
(SNILS, normalised surname key, surname + birth year), scores them with a small
``Matcher`` and acts on the decision — link to the best record, leave for review, or
create a new person. Switching to the registry service is a change to :func:`resolve` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from ochag.core.models import Territory
from ochag.linkage import Matcher, PersonRecord, person_search_keys
from ochag.linkage.records import parse_date
from ochag.registry.models import Person

CANDIDATE_LIMIT = 200


@dataclass(frozen=True)
class Resolution:
    decision: str  # "link" | "review" | "new"
    person: Person | None
    candidates: list[dict[str, object]]


def _record(person: Person) -> PersonRecord:
    return PersonRecord(
        record_id=str(person.pk),
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        sex=person.sex or None,
        birth_date=person.birth_iso or None,
        snils=person.snils or None,
    )


def _surname_variants(last_name: str, key: str) -> list[str]:
    """Spellings the registry may hold for unkeyed rows: as typed, the masculine stem and the
    feminine form (Иванов / Иванова)."""
    base = last_name.strip()
    stem = key.capitalize()
    return sorted({base, base.capitalize(), stem, stem + "а"} - {""})


def _candidates(query: PersonRecord, keys: dict[str, str]) -> list[Person]:
    condition = Q()
    if keys["snils"]:
        condition |= Q(snils=keys["snils"])
    if keys["last_key"]:
        condition |= Q(key_last=keys["last_key"])
        if keys["birth_year"]:
            condition |= Q(
                birth_year=int(keys["birth_year"]),
                last_name__in=_surname_variants(query.last_name or "", keys["last_key"]),
            )
    if not condition:
        return []
    return list(Person.objects.filter(condition, merged_into__isnull=True)[:CANDIDATE_LIMIT])


def resolve(
    *,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    birth_date: str = "",
    snils: str = "",
    territory: Territory,
    create: bool = True,
) -> Resolution:
    """Link, review or create. ``birth_date`` is YYYY-MM-DD, YYYY-MM or YYYY (or empty)."""
    query = PersonRecord(
        record_id="query",
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic or None,
        birth_date=birth_date or None,
        snils=snils or None,
    )
    keys = person_search_keys(query)
    matcher = Matcher()
    people = {str(p.pk): p for p in _candidates(query, keys)}
    matcher.add_many(_record(p) for p in people.values())
    result = matcher.match(query, top=5)
    shortlist = [
        {"id": int(c.record_id), "probability": round(c.probability, 4)} for c in result.candidates
    ]
    if result.decision == "link":
        return Resolution("link", people[result.candidates[0].record_id], shortlist)
    if result.decision == "review" or not create:
        return Resolution(result.decision, None, shortlist)
    year, month, day = parse_date(birth_date) if birth_date else (None, None, None)
    person = Person.objects.create(
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        sex=keys["sex"],
        birth_year=year,
        birth_month=month,
        birth_day=day,
        snils=keys["snils"],
        territory=territory,
        key_last=keys["last_key"],
        key_first=keys["first_keys"].split(" ")[0],
        key_patronymic=keys["patronymic_key"],
    )
    return Resolution("new", person, shortlist)
