"""The region's care settings (the coordinator's): what counts as remote, how often an
institution must be visited, the commission's review deadlines in working days, the cost of a
child-month by institution type and the manual family-support figure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.forms import CareSettingsForm
from ochag.care.models import MonthlyCost
from ochag.care.services import institutions as services
from ochag.core.form_views import form_page


def care_settings(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not policies.is_coordinator(user):
        raise PermissionDenied
    scope = user.scope_territory
    region = scope.region if scope is not None and scope.region is not None else scope
    if region is None:
        raise PermissionDenied
    current = selectors.settings_for(region)
    costs = {c.type: c.per_child_month for c in MonthlyCost.objects.filter(region=region)}
    form = CareSettingsForm(request.POST or None, instance=current, costs=costs)
    if request.method == "POST" and form.is_valid():
        services.care_settings_save(
            actor=user, region=region, costs=form.costs(), **form.settings_data()
        )
        messages.success(request, _("Changes are saved."))
        return redirect("care:settings")
    return form_page(
        request, form, title=_("Care settings of the region"), back_url=reverse("care:institutions")
    )
