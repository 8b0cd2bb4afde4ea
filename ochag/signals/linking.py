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

from django.db.models import Q, QuerySet

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.linkage import Matcher, PersonRecord, parse_date, person_search_keys, snils_normalise
from ochag.registry.explain import engine, person_record, search_keys
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


def _word_in(column: str, words: list[str]) -> Q:
    """``column`` holds space-separated keys; true when one of them is among ``words``."""
    cond = Q(pk__in=[])
    for w in words:
        cond |= (
            Q(**{column: w})
            | Q(**{f"{column}__startswith": w + " "})
            | Q(**{f"{column}__endswith": " " + w})
            | Q(**{f"{column}__contains": f" {w} "})
        )
    return cond


def _candidates(base: QuerySet[Person], query: PersonRecord) -> list[Person]:
    """Registry rows that could be the reported person, from the registry's indexed keys.

    With a full date of birth (what every channel asks for) the block is driven by the
    ``key_birth`` index — a few dozen people share a birthday even in a 1 M registry — and
    kept to those with the same surname family key or first-name key, computed by the
    registry's own key function; SNILS is an indexed look-up of its own. A partial or
    missing date falls back to the registry's broader
    :func:`~ochag.registry.selectors.resolve_candidates` (surname and name keys). The
    broad block is not used for full dates: at registry scale a common surname has
    thousands of bearers, and its first rows by id need not include the person at all.
    """
    birth = query.birth_date or ""
    if len(birth) != len("YYYY-MM-DD"):
        return resolve_candidates(base, query, limit=CANDIDATE_LIMIT)
    probe = Person(
        last_name=query.last_name or "",
        first_name=query.first_name or "",
        patronymic=query.patronymic or "",
    )
    probe.birth_year, probe.birth_month, probe.birth_day = parse_date(birth)
    search_keys(probe)
    names = Q(pk__in=[])
    if probe.key_last:
        names |= Q(key_last=probe.key_last)
    if probe.key_first:
        names |= _word_in("key_first", probe.key_first.split())
    # A registry date known only to the month or year still matches a full reported date.
    cond = Q(key_birth__in=[birth, birth[:7], birth[:4]]) & names
    if query.snils:
        cond |= Q(snils=query.snils)
    return list(base.filter(cond).order_by()[:CANDIDATE_LIMIT])


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
    people = {str(p.pk): p for p in _candidates(base, query)}
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
