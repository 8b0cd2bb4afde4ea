"""Children in care: the list, the child's page (every read logged), admission, overseer,
parents' contacts, reintegration plan and discharge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.access.policies import territories as territory_policy
from ochag.care import policies, selectors
from ochag.care.forms import (
    AdmitForm,
    ContactForm,
    DischargeForm,
    OverseerForm,
    PlanForm,
    add_errors,
)
from ochag.care.models import Ground, InstitutionType, Placement
from ochag.care.policies import CarePolicyAction
from ochag.care.services import placements as services
from ochag.core.policies import Action, ActionBase
from ochag.core.services import access_log_record
from ochag.core.tables import Column, Filter, Table
from ochag.registry import policies as registry_policies


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


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
    user = _user(request)
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
    user = _user(request)
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
    user = _user(request)
    policies.placements.require_create(user)
    territories = territory_policy.visible(user)
    form = AdmitForm(
        request.POST or None,
        persons=registry_policies.persons.visible(user).filter(merged_into__isnull=True),
        households=registry_policies.households.visible(user),
        institutions=policies.institutions.visible(user),
        territories=territories,
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_admit(actor=user, **form.cleaned_data)
            messages.success(request, _("The admission is recorded."))
            return redirect("care:placement", pk=placement.pk)
        except ValidationError as exc:
            add_errors(form, exc)
    return render(
        request,
        "care/form_page.html",
        {
            "form": form,
            "title": _("Admission to an institution"),
            "back_url": reverse("care:children"),
        },
    )


Save = Callable[[User, Placement, dict[str, Any]], object]


def _placement_form(
    request: HttpRequest,
    pk: int,
    action: ActionBase,
    form_class: type[forms.Form],
    title: str,
    save: Save,
    form_kwargs: Callable[[User, Placement], dict[str, Any]] = lambda user, p: {},
) -> HttpResponse:
    user = _user(request)
    placement = policies.placements.get_allowed(user, action, pk=pk)
    form = form_class(request.POST or None, **form_kwargs(user, placement))
    if request.method == "POST" and form.is_valid():
        try:
            save(user, placement, form.cleaned_data)
            messages.success(request, _("Recorded."))
            return redirect("care:placement", pk=placement.pk)
        except ValidationError as exc:
            add_errors(form, exc)
    return render(
        request,
        "care/form_page.html",
        {
            "form": form,
            "title": f"{title}: {placement.child}",
            "back_url": reverse("care:placement", args=[placement.pk]),
        },
    )


def _overseers(user: User, placement: Placement) -> dict[str, Any]:
    """Guardianship, social protection and NGO staff of the region may oversee a child."""
    staff: QuerySet[User] = User.objects.filter(
        is_active=True,
        agency__territory__path__startswith=placement.region.path,
        agency__type__in=["guardianship", "social_protection", "ngo"],
    ).select_related("agency")
    return {"staff": staff}


def overseer_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _placement_form(
        request,
        pk,
        Action.CHANGE,
        OverseerForm,
        _("Assign an overseer"),
        lambda user, p, data: services.overseer_assign(actor=user, placement=p, **data),
        _overseers,
    )


def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _placement_form(
        request,
        pk,
        CarePolicyAction.CONTACT,
        ContactForm,
        _("Record a parents' contact"),
        lambda user, p, data: services.contact_record(actor=user, placement=p, **data),
    )


def plan_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _placement_form(
        request,
        pk,
        Action.CHANGE,
        PlanForm,
        _("Reintegration plan"),
        lambda user, p, data: services.reintegration_plan_open(actor=user, placement=p, **data),
    )


def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    return _placement_form(
        request,
        pk,
        Action.CHANGE,
        DischargeForm,
        _("Discharge"),
        lambda user, p, data: services.placement_discharge(actor=user, placement=p, **data),
    )
