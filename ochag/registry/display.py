"""Values of a person as people read them: SNILS grouped as on the card, citizenship by
name, dates ДД.ММ.ГГГГ, a child's age in years and months, an infant's in months."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ochag.registry.disability import PersonDisability
from ochag.registry.models import Person, Sex

# Codes the registry and agency systems write (ISO 3166 alpha-3); anything else is shown as
# it was entered, since the field also holds free text («лицо без гражданства»).
CITIZENSHIP: dict[str, Any] = {
    "RUS": gettext_lazy("Russia"),
    "BLR": gettext_lazy("Belarus"),
    "UKR": gettext_lazy("Ukraine"),
    "KAZ": gettext_lazy("Kazakhstan"),
    "KGZ": gettext_lazy("Kyrgyzstan"),
    "TJK": gettext_lazy("Tajikistan"),
    "UZB": gettext_lazy("Uzbekistan"),
    "TKM": gettext_lazy("Turkmenistan"),
    "ARM": gettext_lazy("Armenia"),
    "AZE": gettext_lazy("Azerbaijan"),
    "GEO": gettext_lazy("Georgia"),
    "MDA": gettext_lazy("Moldova"),
    "CHN": gettext_lazy("China"),
    "VNM": gettext_lazy("Vietnam"),
    "STATELESS": gettext_lazy("Stateless"),
}

ADULT_AGE = 18


def snils_text(value: str) -> str:
    """123-456-789 01 for eleven digits; anything else as stored."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 11:
        return value
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def citizenship_text(value: str) -> str:
    return str(CITIZENSHIP.get(value.strip().upper(), value))


def birth_text(year: int | None, month: int | None, day: int | None) -> str:
    """ДД.ММ.ГГГГ, or as much of it as is known."""
    return Person(birth_year=year, birth_month=month, birth_day=day).birth_display


def months_old(person: Person, today: dt.date) -> int | None:
    """Whole months of age when the month of birth is known."""
    if person.birth_year is None or person.birth_month is None:
        return None
    months = (today.year - person.birth_year) * 12 + today.month - person.birth_month
    if person.birth_day and today.day < person.birth_day:
        months -= 1
    return months if months >= 0 else None


def age_text(person: Person, today: dt.date) -> str:
    """«11 мес.» for an infant, «5 лет 3 мес.» for a child, «34 года» for an adult."""
    months = months_old(person, today)
    if months is None:
        years = person.age_on(today)
        if years is None or years < 0:
            return ""
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    years, rest = divmod(months, 12)
    if years == 0:
        return _("%(n)d mo.") % {"n": rest}
    text = ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    if years < ADULT_AGE and rest:
        text += " " + _("%(n)d mo.") % {"n": rest}
    return text


def is_child(person: Person, today: dt.date) -> bool:
    age = person.age_on(today)
    return age is not None and age < ADULT_AGE


def field_text(name: str, value: Any, territories: dict[int, str] | None = None) -> str:
    """One stored identity value as shown (snapshots of merges, version history)."""
    if value in (None, ""):
        return ""
    if name == "snils":
        return snils_text(str(value))
    if name == "citizenship":
        return citizenship_text(str(value))
    if name == "sex":
        return str(dict(Sex.choices).get(value, value))
    if name == "territory_id" and territories is not None:
        return territories.get(value, str(value))
    return str(value)


def disability_text(row: PersonDisability) -> str:
    """«Категория «ребёнок-инвалид» · установлена 01.02.2020 · переосвидетельствование
    01.02.2027», as far as recorded."""
    parts = [str(row.get_status_display())]
    if row.established_on:
        parts.append(_("established %(date)s") % {"date": row.established_on.strftime("%d.%m.%Y")})
    if row.review_on:
        parts.append(_("review %(date)s") % {"date": row.review_on.strftime("%d.%m.%Y")})
    return " · ".join(parts)
