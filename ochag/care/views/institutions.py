"""The register of institutions: list, page, form, milestones, visits and incidents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.access.policies import agencies as agency_policy
from ochag.access.policies import territories as territory_policy
from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.forms import IncidentForm, InstitutionForm, MilestoneForm, VisitForm
from ochag.care.models import CareSettings, InstitutionType, TransformationStatus
from ochag.care.policies import CarePolicyAction
from ochag.care.services import institutions as services
from ochag.core.form_views import form_flow, form_page, post_action, submit
from ochag.core.policies import Action, ActionBase
from ochag.core.tables import Column, Filter, Table


def _region_settings(user: User) -> CareSettings | None:
    scope = user.scope_territory
    region = scope.region if scope is not None and scope.region is not None else scope
    return selectors.settings_for(region) if region is not None else None


def institution_table(request: HttpRequest, user: User) -> tuple[Table, int]:
    """The register as the list shows it (filters, search, sort from the URL): the page and
    its XLSX export read the same rows. Returns the table and the visit period."""
    settings = _region_settings(user)
    period = settings.visit_period_days if settings else 90
    today = timezone.localdate()
    table = Table(
        request=request,
        queryset=selectors.with_children(policies.institutions.visible(user)),
        columns=[
            Column(_("Name"), "name"),
            Column(_("Type"), "type"),
            Column(_("Municipality"), "territory__name", key="territory"),
            Column(_("Children / places"), "in_care", key="children"),
            Column(_("To the regional centre"), "distance_km", key="distance"),
            Column(_("Last visit"), "last_visit_on", key="visit"),
            Column(_("Transformation"), "transformation_status", key="transformation"),
        ],
        default_sort="name",
        search_fields=("name", "address"),
        filters=[
            Filter("type", _("Type"), InstitutionType.choices, lambda qs, v: qs.filter(type=v)),
            Filter(
                "remote",
                _("Remoteness"),
                [("1", _("Remote")), ("0", _("Not remote"))],
                lambda qs, v: qs.filter(is_remote=v == "1"),
            ),
            Filter(
                "visit",
                _("Visits"),
                [("overdue", _("Not visited within the period"))],
                lambda qs, v: qs.filter(pk__in=selectors.unvisited(qs, today, period).values("pk")),
            ),
            Filter(
                "transformation",
                _("Transformation"),
                TransformationStatus.choices,
                lambda qs, v: qs.filter(transformation_status=v),
            ),
        ],
        caption=_("Residential institutions"),
    )
    return table, period


def institution_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    table, period = institution_table(request, user)
    return render(
        request,
        "care/institution_list.html",
        {
            "table": table,
            "can_create": policies.institutions.allows(user, Action.CREATE),
            "can_export": policies.institutions.allows(user, Action.EXPORT),
            "period": period,
        },
    )


def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    institution = policies.institutions.get_visible(user, pk=pk)
    settings = selectors.settings_for(institution.region)
    today = timezone.localdate()
    children = selectors.in_care(policies.placements.visible(user)).filter(institution=institution)
    return render(
        request,
        "care/institution_detail.html",
        {
            "institution": institution,
            "in_care": selectors.in_care(institution.placements.all()).count(),
            "children": children.order_by("child__last_name", "child__first_name")[:200],
            "milestones": institution.milestones.select_related("owner_agency"),
            "visits": institution.visits.select_related("agency")[:50],
            "incidents": institution.incidents.select_related("follow_up_agency")[:50],
            "overdue_visit": selectors.unvisited(
                type(institution).objects.filter(pk=institution.pk),
                today,
                settings.visit_period_days,
            ).exists(),
            "period": settings.visit_period_days,
            "today": today,
            "can_change": policies.institutions.allows(user, Action.CHANGE, institution),
            "can_visit": policies.institutions.allows(user, CarePolicyAction.VISIT, institution),
            "can_incident": policies.institutions.allows(
                user, CarePolicyAction.INCIDENT, institution
            ),
        },
    )


def institution_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    institution = policies.institutions.changeable_or_new(user, pk)
    form = InstitutionForm(
        request.POST or None,
        instance=institution,
        territories=territory_policy.visible(user),
        agencies=agency_policy.visible(user),
    )
    done = submit(
        request,
        form,
        lambda data: services.institution_save(actor=user, institution=institution, **data),
        success=_("Changes are saved."),
        then=lambda saved: reverse("care:institution", args=[saved.pk]),
    )
    return done or form_page(
        request,
        form,
        title=_("Change institution") if institution else _("New institution"),
        back_url=reverse("care:institution", args=[institution.pk])
        if institution
        else reverse("care:institutions"),
    )


def _record_view(
    action: ActionBase, form_class: type[forms.Form], title: Promise, service: Callable[..., object]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """The page of a record under an institution (a visit, an incident, a milestone): one
    form, saved by ``service(actor=, institution=, **data)``."""

    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = user_of(request)
        institution = policies.institutions.get_allowed(user, action, pk=pk)
        kwargs: dict[str, Any] = (
            {"agencies": agency_policy.visible(user)}
            if form_class in (IncidentForm, MilestoneForm)
            else {}
        )
        return form_flow(
            request,
            form_class(request.POST or None, **kwargs),
            lambda data: service(actor=user, institution=institution, **data),
            success=_("Recorded."),
            title=f"{title}: {institution.name}",
            back_url=reverse("care:institution", args=[institution.pk]),
        )

    return view


visit_add = _record_view(
    CarePolicyAction.VISIT, VisitForm, gettext_lazy("Record a visit"), services.visit_record
)
incident_add = _record_view(
    CarePolicyAction.INCIDENT,
    IncidentForm,
    gettext_lazy("Record an incident"),
    services.incident_record,
)
milestone_add = _record_view(
    Action.CHANGE, MilestoneForm, gettext_lazy("Add a milestone"), services.milestone_add
)


@require_POST
def incident_done(request: HttpRequest, pk: int, incident_pk: int) -> HttpResponse:
    user = user_of(request)
    institution = policies.institutions.get_allowed(user, CarePolicyAction.INCIDENT, pk=pk)
    incident = get_object_or_404(institution.incidents, pk=incident_pk)
    return post_action(
        request,
        lambda: services.incident_follow_up_done(actor=user, incident=incident),
        success=_("The follow-up is marked done."),
        then=reverse("care:institution", args=[institution.pk]),
    )


@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    user = user_of(request)
    institution = policies.institutions.get_changeable(user, pk=pk)
    milestone = get_object_or_404(institution.milestones, pk=milestone_pk)
    return post_action(
        request,
        lambda: services.milestone_done(
            actor=user, milestone=milestone, done_on=timezone.localdate()
        ),
        success=_("The milestone is marked done."),
        then=reverse("care:institution", args=[institution.pk]),
    )
