"""Bridges between registry rows and the linkage engine, and readable explanations.

The engine speaks English identifiers ("first_name", "same family"); staff read them in the
interface language, so every identifier the engine emits has a translatable label here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _

from ochag.linkage import FieldExplanation, Matcher, PersonRecord, person_search_keys
from ochag.registry.models import Person, birth_iso
from ochag.registry.vocabulary import note_keys

FIELD_LABELS: dict[str, Any] = {
    "prior": _("Prior odds"),
    "last_name": _("Last name"),
    "first_name": _("First name"),
    "patronymic": _("Patronymic"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "snils": _("SNILS"),
    "geo": _("Place"),
    "household": _("Household"),
}

LEVEL_LABELS: dict[str, Any] = {
    "prior odds": _("starting odds"),
    "missing": _("not known on one side"),
    "different": _("different"),
    "similar": _("similar"),
    "typo": _("a typo apart"),
    "same family": _("same family name (other gender form)"),
    "exact": _("same"),
    "same full name": _("same full name (diminutive or transliteration)"),
    "similar or initial": _("similar or initial only"),
    "same father": _("same father's name"),
    "same year": _("same year"),
    "partial agrees": _("agrees as far as known"),
    "near (swap/one part)": _("close (day and month swapped or one part differs)"),
    "same": _("same"),
    "different region": _("different region"),
    "same region": _("same region"),
    "same municipality": _("same municipality"),
}

CONFLICT_LABELS: dict[str, Any] = {
    "different valid SNILS": _("Different valid SNILS numbers: these are different people."),
    "possible twins: same birth date and family, different first names": _(
        "Possible twins: same date of birth and family, different first names."
    ),
}

SWAPPED = " (swapped order)"


@dataclass(frozen=True)
class ExplanationRow:
    field: str
    label: str
    level: str
    weight: float
    left: str
    right: str
    code: str = ""  # the engine's level, as it named it

    @property
    def tone(self) -> str:
        if self.weight > 0.5:
            return "green"
        if self.weight < -0.5:
            return "red"
        return "grey"

    @property
    def verdict(self) -> str:
        """What the field says, in words (the weight itself means nothing to a reader)."""
        if self.weight > 0.5:
            return str(_("for the same person"))
        if self.weight < -0.5:
            return str(_("against"))
        return str(_("no bearing"))

    @property
    def agrees(self) -> bool:
        return self.code in AGREEING


# The engine's levels at which a field says the two records agree fully.
AGREEING = frozenset({"exact", "same", "same municipality"})
NAME_FIELDS = ("last_name", "first_name", "patronymic")


def proper_case(text: str) -> str:
    """«иванова-петрова» → «Иванова-Петрова»: the engine keeps names folded to lower case."""
    return "-".join(
        " ".join(word[:1].upper() + word[1:] for word in part.split(" "))
        for part in text.split("-")
    )


def level_label(level: str) -> str:
    swapped = level.endswith(SWAPPED)
    base = level.removesuffix(SWAPPED)
    text = str(LEVEL_LABELS.get(base, base))
    if swapped:
        note = _("swapped order")
        return f"{text} ({note})"
    return text


def explanation_rows(items: list[FieldExplanation] | list[dict[str, Any]]) -> list[ExplanationRow]:
    """Readable rows from engine explanations (dataclasses or their stored JSON form)."""
    rows = []
    for item in items:
        data = item if isinstance(item, dict) else explanation_json([item])[0]
        left, right = data["left"], data["right"]
        if data["field"] in NAME_FIELDS:
            left, right = proper_case(left), proper_case(right)
        rows.append(ExplanationRow(
            field=data["field"], label=str(FIELD_LABELS.get(data["field"], data["field"])),
            level=level_label(data["level"]), weight=float(data["weight"]),
            left=left, right=right, code=data["level"],
        ))  # fmt: skip
    return rows


def explanation_json(items: list[FieldExplanation]) -> list[dict[str, Any]]:
    return [
        {"field": e.field, "level": e.level, "weight": e.weight, "left": e.left, "right": e.right}
        for e in items
    ]


def conflict_labels(conflicts: list[str] | tuple[str, ...]) -> list[str]:
    return [str(CONFLICT_LABELS.get(c, c)) for c in conflicts]


# The columns a linkage record is made of, in record_from_values' order.
RECORD_FIELDS = ("pk", "last_name", "first_name", "patronymic", "sex", "birth_year",
                 "birth_month", "birth_day", "snils", "territory_id")  # fmt: skip


def person_record(person: Person) -> PersonRecord:
    rec = record_from_values(*(getattr(person, f) for f in RECORD_FIELDS))
    former = former_surnames(person)
    return replace(rec, former_last_names=former) if former else rec


# Separates the former surnames a search statement reads in one column (``former_joined``).
FORMER_SEP = "|"


def former_surnames(person: Person) -> tuple[str, ...]:
    """The person's former surnames (prefetch ``former_names`` when reading many, or read
    them joined by FORMER_SEP into ``former_joined`` as ochag.registry.search does)."""
    if person.pk is None:
        return ()
    if hasattr(person, "former_joined"):
        joined: str | None = person.former_joined
        return tuple(joined.split(FORMER_SEP)) if joined else ()
    return tuple(f.last_name for f in person.former_names.all())


def record_from_values(
    pk: object,
    last_name: str,
    first_name: str,
    patronymic: str,
    sex: str,
    birth_year: int | None,
    birth_month: int | None,
    birth_day: int | None,
    snils: str,
    territory_id: int | None,
) -> PersonRecord:
    """A linkage record straight from a values_list row of RECORD_FIELDS: scoring hundreds
    of candidates needs no model instances. The municipality is its id, not its name, so
    this costs no query."""
    return PersonRecord(
        record_id=str(pk),
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        sex=sex or None,
        birth_date=birth_iso(birth_year, birth_month, birth_day) or None,
        snils=snils or None,
        municipality=str(territory_id) if territory_id else None,
    )


def search_keys(person: Person) -> list[str]:
    """Fill the person's key columns and return the PersonKey values to store."""
    keys = person_search_keys(person_record(person))
    person.key_last = keys["last_key"][:100]
    person.key_last_skel = keys["last_skeleton"][:100]
    person.key_first = keys["first_keys"][:200]
    person.key_first_skel = keys["first_skeletons"][:200]
    person.key_patronymic = keys["patronymic_key"][:100]
    person.key_birth = keys["birth_date"]
    stored = key_values(keys)
    person.key_words = " ".join(stored)
    note_keys(stored)
    return stored


def key_values(keys: dict[str, str]) -> list[str]:
    """The PersonKey values (kind prefix + key) of a person's ``person_search_keys``."""
    values = {"L" + keys["last_key"], "K" + keys["last_skeleton"], "P" + keys["patronymic_key"],
              "B" + keys["birth_date"], "Y" + keys["birth_year"]}  # fmt: skip
    values.update("L" + k for k in keys["former_last_keys"].split())
    values.update("K" + k for k in keys["former_last_skeletons"].split())
    values.update("F" + k for k in keys["first_keys"].split())
    values.update("G" + k for k in keys["first_skeletons"].split())
    return sorted(v[:110] for v in values if len(v) > 1)


@lru_cache(maxsize=1)
def engine() -> Matcher:
    """A scorer with the engine's shipped parameters; only compare() is used on it."""
    return Matcher()


def differences_first(rows: list[ExplanationRow]) -> list[ExplanationRow]:
    """The compared fields (not the prior), those that do not agree fully first."""
    shown = [r for r in rows if r.field not in ("prior", "geo")]
    return sorted(shown, key=lambda r: r.agrees)


def pair_summary(rows: list[ExplanationRow]) -> str:
    """«Различается: имя — то же полное имя (уменьшительное или латиница); отчество — не
    известно в одной из записей. Совпадает: фамилия, дата рождения.» — what differs first."""
    shown = differences_first(rows)
    differ = [f"{r.label.lower()} — {r.level}" for r in shown if not r.agrees]
    same = [r.label.lower() for r in shown if r.agrees]
    parts = []
    if differ:
        parts.append(_("Differs: %(fields)s.") % {"fields": "; ".join(differ)})
    if same:
        parts.append(_("Same: %(fields)s.") % {"fields": ", ".join(same)})
    return " ".join(str(p) for p in parts)
