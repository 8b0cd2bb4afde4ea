"""What the registry's screens share: the signed-in staff user, the territories a form
offers, the identity bar and the labels of a person's fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.core.form_views import submit
from ochag.core.models import Territory
from ochag.registry.display import age_text, birth_text, field_text, snils_text
from ochag.registry.models import Person

PER_PAGE = 25


def staff_user(request: HttpRequest) -> User:
    user = user_of(request)
    if not user.sees_personal_data:
        raise PermissionDenied
    return user


def person_sub_form(
    request: HttpRequest,
    person: Person,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    success: str,
    title: str,
    lead: str,
) -> HttpResponse:
    """A form under the person card (a former name, a school): the one post → service step,
    back to the card after the save, or the form again under the person's identity bar."""
    card = reverse("registry:person_detail", args=[person.pk])
    done = submit(request, form, save, success=success, then=lambda _saved: card)
    return done or render(
        request,
        "registry/person_sub_form.html",
        {"form": form, "person": person, "identity": identity(person), "title": title,
         "lead": lead},
    )  # fmt: skip


def territories_for(user: User) -> QuerySet[Territory]:
    scope = user.scope_territory
    if scope is None:
        return Territory.objects.none()
    return Territory.objects.filter(path__startswith=scope.path, level=Territory.Level.MUNICIPALITY)


def identity(person: Person) -> dict[str, Any]:
    facts = [(_("Record"), f"№ {person.pk}"), (_("Date of birth"), person.birth_display or "—")]
    age = age_text(person, timezone.localdate())
    if age:
        facts.append((_("Age"), age))
    if person.snils:
        facts.append((_("SNILS"), snils_text(person.snils)))
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


def territory_names(ids: Any) -> dict[int, str]:
    return dict(Territory.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def snapshot_rows(data: dict[str, Any], territories: dict[int, str]) -> list[tuple[str, str]]:
    """A recorded person (merge or version snapshot) as labelled values people read."""
    rows = []
    for name, label in FIELD_LABELS.items():
        if name in ("birth_month", "birth_day", "merged_into_id") or name not in data:
            continue
        if name == "birth_year":
            value = birth_text(data["birth_year"], data.get("birth_month"), data.get("birth_day"))
            rows.append((str(_("Date of birth")), value))
        else:
            rows.append((str(label), field_text(name, data[name], territories)))
    return rows


def group_text(group: tuple[str, ...], values: list[Any], territories: dict[int, str]) -> str:
    """A field group's values (a date of birth is three) as shown."""
    if len(group) == 3:
        return birth_text(*values)
    return field_text(group[0], values[0], territories)


def group_label(group: tuple[str, ...]) -> str:
    return str(_("Date of birth")) if len(group) == 3 else str(FIELD_LABELS[group[0]])
