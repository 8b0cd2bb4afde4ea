"""Recording a child's school or kindergarten from the person card."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.core.form_views import post_action
from ochag.registry import selectors, services
from ochag.registry.forms import SchoolingForm
from ochag.registry.policies import persons
from ochag.registry.schooling import Schooling
from ochag.registry.views.common import person_sub_form, staff_user


def schooling_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_changeable(user, pk=pk)
    return person_sub_form(
        request,
        person,
        SchoolingForm(request.POST or None, schools=selectors.schools_for(user)),
        lambda data: services.schooling_add(
            actor=user,
            person=person,
            kind=data["kind"],
            agency=data["agency"],
            name=data["name"],
            group=data["group"],
            since=data["since"],
        ),
        success=_("The school is recorded."),
        title=_("School or kindergarten"),
        lead=_("A school the child still attends is marked as left on the day the new one starts."),
    )


@require_POST
def schooling_end(request: HttpRequest, pk: str, row: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_changeable(user, pk=pk)
    try:
        schooling = Schooling.objects.get(person=person, pk=row)
    except (Schooling.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    return post_action(
        request,
        lambda: services.schooling_end(actor=user, schooling=schooling, until=timezone.localdate()),
        success=_("Marked as left today."),
        then=reverse("registry:person_detail", args=[person.pk]),
    )
