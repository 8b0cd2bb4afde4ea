"""The coordinator marks a person's record for deletion (with a reason) or withdraws the mark."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.core.form_views import post_action
from ochag.core.services import access_log_record
from ochag.registry import involvement, services
from ochag.registry.forms import DeletionMarkForm
from ochag.registry.models import PersonDeletionMark
from ochag.registry.policies import RegistryPolicyAction, persons
from ochag.registry.views.common import identity, staff_user


def person_deletion(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_allowed(user, RegistryPolicyAction.MARK_FOR_DELETION, pk=pk)
    form = DeletionMarkForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "unmark":
        return post_action(
            request,
            lambda: services.person_unmark(actor=user, person=person),
            success=_("The mark for deletion is withdrawn."),
            then=reverse("registry:person_detail", args=[person.pk]),
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_mark_for_deletion(
                actor=user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.warning(request, _("The record is marked for deletion."))
            return redirect("registry:person_detail", pk=person.pk)
    access_log_record(actor=user, obj=person, purpose="deletion mark")
    return render(
        request,
        "registry/person_deletion.html",
        {
            "person": person,
            "identity": identity(person),
            "form": form,
            "mark": PersonDeletionMark.objects.filter(person=person).select_related("marked_by")
            .first(),
            "needs": involvement.person_needs(person.pk),
        },
    )  # fmt: skip
