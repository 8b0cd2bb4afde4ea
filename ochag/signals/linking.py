"""The one place signals link a reported person to the registry (search before create).

Candidates come from the registry's own indexed look-up
(:func:`ochag.registry.selectors.resolve_candidates`: SNILS, PersonKey surname / first-name
/ patronymic keys, birth keys), are scored with the linkage engine's shipped parameters, and
the decision is acted on: link to the best record, leave for review, or create a person
through :func:`ochag.registry.services.person_create`, so the new person gets search keys,
a first version and an audit entry like any other.

``ochag.registry.services.person_resolve`` is not used: it needs a staff user to scope the
search and to hide records the user may not see. Signals arrive also from agency systems
and citizens (no user at all), and a reporter is never shown registry candidates, so the
search runs over the signal's whole region with the registry's selector, and the person is
created with ``actor=None`` (a system action) and a reason naming the reporting channel.
"""

from __future__ import annotations

from dataclasses import dataclass

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.linkage import Matcher, PersonRecord, parse_date, person_search_keys, snils_normalise
from ochag.registry.explain import engine, person_record
from ochag.registry.models import Person
from ochag.registry.selectors import resolve_candidates
from ochag.registry.services import person_create

# Rows scored per reported person; the registry's blocking keeps real candidates far fewer.
CANDIDATE_LIMIT = 200
SHORTLIST = 5


@dataclass(frozen=True)
class Resolution:
    decision: str  # "link" | "review" | "new"
    person: Person | None
    candidates: list[dict[str, object]]


def region_municipalities(territory: Territory) -> list[int]:
    """Municipality ids of the territory's region: the scope of a signal's registry search."""
    region = territory.region or territory
    return list(
        Territory.objects.filter(
            path__startswith=region.path, level=Territory.Level.MUNICIPALITY
        ).values_list("pk", flat=True)
    )


def resolve(
    *,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    birth_date: str = "",
    snils: str = "",
    territory: Territory,
    actor: User | None = None,
    reason: str = "",
    create: bool = True,
    scope: list[int] | None = None,
) -> Resolution:
    """Link, review or create. ``birth_date`` is YYYY-MM-DD, YYYY-MM or YYYY (or empty).

    ``scope`` (municipality ids of the region) may be passed by callers resolving many
    people at once, to save its query.
    """
    query = PersonRecord(
        record_id="query",
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip() or None,
        birth_date=birth_date or None,
        snils=snils_normalise(snils) if snils else None,
        municipality=str(territory.pk),
    )
    municipalities = scope if scope is not None else region_municipalities(territory)
    base = Person.objects.filter(territory_id__in=municipalities, merged_into__isnull=True)
    people = {str(p.pk): p for p in resolve_candidates(base, query, limit=CANDIDATE_LIMIT)}
    matcher = Matcher(engine().params)
    matcher.add_many(person_record(p) for p in people.values())
    result = matcher.match(query, top=SHORTLIST)
    shortlist: list[dict[str, object]] = [
        {"id": int(c.record_id), "probability": round(c.probability, 4)} for c in result.candidates
    ]
    if result.decision == "link":
        return Resolution("link", people[result.candidates[0].record_id], shortlist)
    if result.decision == "review" or not create:
        return Resolution(result.decision, None, shortlist)
    year, month, day = parse_date(birth_date) if birth_date else (None, None, None)
    person = person_create(
        actor=actor,
        territory=territory,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        sex=person_search_keys(query)["sex"],
        snils=query.snils or "",
        reason=reason[:200] or "signal",
    )
    return Resolution("new", person, shortlist)
