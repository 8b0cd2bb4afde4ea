"""Recording a former surname (maiden name, the name before adoption) from the person card:
search and matching find the person by it from then on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ochag.registry import services
from ochag.registry.forms import FormerNameForm
from ochag.registry.policies import persons
from ochag.registry.views.common import person_sub_form, staff_user


def former_name_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_changeable(user, pk=pk)
    return person_sub_form(
        request,
        person,
        FormerNameForm(request.POST or None),
        lambda data: services.person_former_name_add(
            actor=user, person=person, last_name=data["last_name"], changed_on=data["changed_on"]
        ),
        success=_("The former last name is recorded."),
        title=_("Former last name"),
        lead=_("The search and the linking of signals find the person by a former last name too."),
    )
