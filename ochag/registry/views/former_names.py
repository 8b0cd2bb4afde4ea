"""Recording a former surname (maiden name, the name before adoption) from the person card:
search and matching find the person by it from then on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ochag.registry import services
from ochag.registry.forms import FormerNameForm
from ochag.registry.policies import persons
from ochag.registry.views.common import identity, staff_user


def former_name_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_changeable(user, pk=pk)
    form = FormerNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_former_name_add(
                actor=user, person=person, last_name=form.cleaned_data["last_name"],
                changed_on=form.cleaned_data["changed_on"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The former last name is recorded."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_sub_form.html",
        {
            "form": form,
            "person": person,
            "identity": identity(person),
            "title": _("Former last name"),
            "lead": _(
                "The search and the linking of signals find the person by a former last name too."
            ),
        },
    )
