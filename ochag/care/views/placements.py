"""Children in care: the list, the child's page (every read logged), admission, overseer,
parents' contacts, reintegration plan and discharge."""

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
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ochag.access.models import User
from ochag.access.policies import territories as territory_policy
from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.forms import (
    AdmitForm,
    ContactForm,
    DischargeForm,
    OverseerForm,
    PlanForm,
)
from ochag.care.models import Ground, InstitutionType, Placement
from ochag.care.policies import CarePolicyAction
from ochag.care.services import placements as services
from ochag.core.form_views import form_flow, form_page, submit
from ochag.core.policies import Action, ActionBase
from ochag.core.services import access_log_record
from ochag.core.tables import Column, Filter, Table
from ochag.registry import policies as registry_policies


def _filters(today: Any) -> list[Filter]:
    return [
        Filter(
            "status",
            _("Status"),
            [("in", _("In care now")), ("out", _("Discharged"))],
            lambda qs, v: (
                selectors.in_care(qs) if v == "in" else qs.filter(discharged_on__isnull=False)
            ),
            default="in",
        ),
        Filter(
            "type",
            _("Institution type"),
            InstitutionType.choices,
            lambda qs, v: qs.filter(institution__type=v),
        ),
        Filter("ground", _("Ground"), Ground.choices, lambda qs, v: qs.filter(ground=v)),
        Filter(
            "age",
            _("Age"),
            [(b.code, b.label) for b in selectors.AGE_BANDS],
            lambda qs, v: selectors.age_band(qs, v, today),
        ),
        Filter(
            "stay",
            _("Length of stay"),
            [(b.code, b.label) for b in selectors.STAY_BANDS],
            lambda qs, v: selectors.stay_band(qs, v, today),
        ),
        Filter(
            "flag",
            _("Needs attention"),
            [("no_overseer", _("No overseer")), ("split", _("Siblings in another institution"))],
            lambda qs, v: (
                selectors.without_overseer(qs)
                if v == "no_overseer"
                else selectors.split_siblings(qs)
            ),
        ),
    ]


def children_table(request: HttpRequest, user: User) -> Table:
    """The children list as the page shows it (filters, search, sort from the URL): the page
    and its XLSX export read the same rows."""
    return Table(
        request=request,
        queryset=policies.placements.visible(user).select_related(
            "child", "institution", "overseer", "family_territory"
        ),
        columns=[
            Column(_("Child"), "child__last_name", key="child"),
            Column(_("Institution"), "institution__name", key="institution"),
            Column(_("Admitted on"), "admitted_on", key="admitted"),
            Column(_("Length of stay")),
            Column(_("Ground"), "ground"),
            Column(_("Overseer"), "overseer__last_name", key="overseer"),
        ],
        default_sort="admitted",
        search_fields=("child__last_name", "child__first_name", "institution__name"),
        filters=_filters(timezone.localdate()),
        caption=_("Children in care"),
    )


def placement_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.sees_personal_data:
        raise PermissionDenied
    return render(
        request,
        "care/placement_list.html",
        {
            "table": children_table(request, user),
            "today": timezone.localdate(),
            "can_admit": policies.placements.allows(user, Action.CREATE),
            "can_export": policies.placements.allows(user, Action.EXPORT),
        },
    )


def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    placement = policies.placements.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=placement, purpose="care: child's page")
    today = timezone.localdate()
    sees_family = policies.placements.allows(user, CarePolicyAction.SEE_FAMILY, placement)
    return render(
        request,
        "care/placement_detail.html",
        {
            "p": placement,
            "today": today,
            "stay": selectors.stay_text(placement.admitted_on, placement.discharged_on or today),
            "siblings": selectors.siblings(placement) if sees_family else [],
            "contacts": placement.contacts.all()[:50],
            "reviews": placement.reviews.select_related("sitting"),
            "sees_family": sees_family,
            "can_change": policies.placements.allows(user, Action.CHANGE, placement),
            "can_contact": policies.placements.allows(user, CarePolicyAction.CONTACT, placement),
        },
    )


def placement_admit(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.placements.require_create(user)
    territories = territory_policy.visible(user)
    form = AdmitForm(
        request.POST or None,
        persons=registry_policies.persons.visible(user).filter(merged_into__isnull=True),
        households=registry_policies.households.visible(user),
        institutions=policies.institutions.visible(user),
        territories=territories,
    )
    done = submit(
        request,
        form,
        lambda data: services.placement_admit(actor=user, **data),
        success=_("The admission is recorded."),
        then=lambda placement: reverse("care:placement", args=[placement.pk]),
    )
    return done or form_page(
        request, form, title=_("Admission to an institution"), back_url=reverse("care:children")
    )


def _no_kwargs(user: User, placement: Placement) -> dict[str, Any]:
    return {}


def _record_view(
    action: ActionBase,
    form_class: type[forms.Form],
    title: Promise,
    service: Callable[..., object],
    form_kwargs: Callable[[User, Placement], dict[str, Any]] = _no_kwargs,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page of a step in a child's placement (an overseer, a contact, the plan, the
    discharge): one form, saved by ``service(actor=, placement=, **data)``."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = user_of(request)
        placement = policies.placements.get_allowed(user, action, pk=pk)
        return form_flow(
            request,
            form_class(request.POST or None, **form_kwargs(user, placement)),
            lambda data: service(actor=user, placement=placement, **data),
            success=_("Recorded."),
            title=f"{title}: {placement.child}",
            back_url=reverse("care:placement", args=[placement.pk]),
        )

    return view


def _overseers(user: User, placement: Placement) -> dict[str, Any]:
    """Guardianship, social protection and NGO staff of the region may oversee a child."""
    staff: QuerySet[User] = User.objects.filter(
        is_active=True,
        agency__territory__path__startswith=placement.region.path,
        agency__type__in=["guardianship", "social_protection", "ngo"],
    ).select_related("agency")
    return {"staff": staff}


overseer_assign = _record_view(
    Action.CHANGE,
    OverseerForm,
    gettext_lazy("Assign an overseer"),
    services.overseer_assign,
    _overseers,
)
contact_add = _record_view(
    CarePolicyAction.CONTACT,
    ContactForm,
    gettext_lazy("Record a parents' contact"),
    services.contact_record,
)
plan_open = _record_view(
    Action.CHANGE, PlanForm, gettext_lazy("Reintegration plan"), services.reintegration_plan_open
)
discharge = _record_view(
    Action.CHANGE, DischargeForm, gettext_lazy("Discharge"), services.placement_discharge
)
