"""What the registry's screens share: the signed-in staff user, the territories a form
offers, the identity bar and the labels of a person's fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.registry.models import Person

PER_PAGE = 25


def staff_user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.sees_personal_data:
        raise PermissionDenied
    return user


def territories_for(user: User) -> QuerySet[Territory]:
    scope = user.scope_territory
    if scope is None:
        return Territory.objects.none()
    return Territory.objects.filter(path__startswith=scope.path, level=Territory.Level.MUNICIPALITY)


def identity(person: Person) -> dict[str, Any]:
    facts = [(_("Record"), f"№ {person.pk}"), (_("Date of birth"), person.birth_display or "—")]
    age = person.age_on(timezone.localdate())
    if age is not None:
        facts.append((_("Age"), str(age)))
    if person.snils:
        facts.append((_("SNILS"), person.snils))
    facts.append((_("Municipality"), str(person.territory)))
    badges = []
    if person.merged_into_id:
        badges.append({"label": _("Merged into another record"), "tone": "grey"})
    return {"name": person.full_name, "facts": facts, "badges": badges}


FIELD_LABELS: dict[str, Any] = {
    "last_name": gettext_lazy("Last name"),
    "first_name": gettext_lazy("First name"),
    "patronymic": gettext_lazy("Patronymic"),
    "sex": gettext_lazy("Sex"),
    "birth_year": gettext_lazy("Year of birth"),
    "birth_month": gettext_lazy("Month of birth"),
    "birth_day": gettext_lazy("Day of birth"),
    "snils": gettext_lazy("SNILS"),
    "birth_certificate": gettext_lazy("Birth certificate"),
    "citizenship": gettext_lazy("Citizenship"),
    "address": gettext_lazy("Address"),
    "territory_id": gettext_lazy("Municipality"),
    "merged_into_id": gettext_lazy("Merged into"),
}
