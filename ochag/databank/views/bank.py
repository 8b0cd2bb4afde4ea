"""The data bank's screens: children, families, a child's ranked families with reasons,
a family's ranked children (anonymised), contacts, the federal queue and its file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag import matching
from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.core.form_views import form_flow, form_page, submit
from ochag.core.models import Territory
from ochag.core.policies import Action, Policy
from ochag.core.services import access_log_record, access_log_record_many
from ochag.core.tables import Column, Filter, Table
from ochag.databank import federal, policies, ranking, selectors, services, wording
from ochag.databank.forms import (
    ChildForm,
    ConclusionForm,
    ContactForm,
    FamilyForm,
    InspectionForm,
    PlacementForm,
    SiblingsJoinForm,
)
from ochag.databank.models import (
    CandidateFamily,
    ChildProfile,
    ChildStatus,
    Conclusion,
    LegalStatus,
    PhotoPurpose,
)
from ochag.databank.policies import DatabankPolicyAction
from ochag.registry import policies as registry_policies


def _region(user: User) -> Territory | None:
    scope = user.scope_territory
    return scope.region if scope is not None else None


def child_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.children.require(user, Action.VIEW)
    today = timezone.localdate()
    table = Table(
        request=request,
        queryset=policies.children.visible(user),
        columns=[
            Column(_("Child"), "person__last_name", key="name"),
            Column(_("Status"), "status"),
            Column(_("Guardianship body"), "agency__name", key="agency"),
            Column(_("In the bank since"), "created_on", key="created"),
            Column(_("To the federal bank by"), "federal__due_on", key="federal"),
        ],
        default_sort="federal",
        search_fields=("person__last_name", "person__first_name"),
        filters=[
            Filter(
                "status",
                _("Status"),
                ChildStatus.choices,
                lambda qs, v: qs.filter(status=v),
                default=ChildStatus.SEARCHING,
            ),
            Filter(
                "federal",
                _("Federal bank"),
                [("due", _("Due, not sent"))],
                lambda qs, v: selectors.federal_due(qs, today),
            ),
        ],
        caption=_("Children in the data bank"),
    )
    return render(
        request,
        "databank/child_list.html",
        {
            "table": table,
            "today": today,
            "can_create": policies.children.allows(user, Action.CREATE),
        },
    )


def _family_rows(user: User, matches: list[matching.Match]) -> list[dict[str, Any]]:
    ids = [int(m.family.key) for m in matches]
    families = CandidateFamily.objects.select_related("agency__territory").in_bulk(ids)
    openable = set(policies.families.visible(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        {
            "family": families[int(m.family.key)],
            "can_open": int(m.family.key) in openable,
            "score": wording.score(m),
            "lines": wording.lines(m),
        }
        for m in matches
    ]


def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_visible(user, pk=pk)
    today = timezone.localdate()
    access_log_record(actor=user, obj=child, purpose="databank_child")
    access_log_record(actor=user, obj=child.person, purpose="databank_child")
    can_contact = policies.children.allows(user, DatabankPolicyAction.CONTACT, child)
    can_edit = policies.children.allows(user, DatabankPolicyAction.EDIT, child)
    photo = selectors.photo_of(child)
    matches: list[matching.Match] = []
    if child.status == ChildStatus.SEARCHING:
        matches = ranking.families_for(child, policies.matchable_families(user), today)
    unit = matches[0].unit if matches else None
    return render(
        request,
        "databank/child_detail.html",
        {
            "child": child,
            "age": ranking.age_on(
                child.person.birth_year, child.person.birth_month, child.person.birth_day, today
            ),
            "siblings": selectors.siblings_of(child),
            "photo": photo,
            "photo_purposes": [PhotoPurpose(p).label for p in photo.purposes] if photo else [],
            "legal": _legal(child),
            "can_edit": can_edit,
            "join_form": SiblingsJoinForm()
            if can_edit and child.siblings_id is None and child.status == ChildStatus.SEARCHING
            else None,
            "together": unit is not None and unit.size > 1,
            "families": _family_rows(user, matches),
            "contacts": selectors.contacts_of_child(user, child),
            "contact_form": ContactForm(initial={"on": today}) if can_contact else None,
            "can_contact": can_contact,
            "place_form": PlacementForm(initial={"on": today})
            if child.status == ChildStatus.SEARCHING
            and policies.children.allows(user, Action.CHANGE, child)
            else None,
            "today": today,
        },
    )


def _legal(child: ChildProfile) -> dict[str, Any]:
    code, from_care = selectors.legal_status(child)
    return {"label": LegalStatus(code).label if code else "—", "from_care": from_care}


def _record_create(
    request: HttpRequest,
    policy: Policy[Any],
    form_class: type[ChildForm | FamilyForm],
    create: Callable[..., ChildProfile | CandidateFamily],
    *,
    success: str,
    url_name: str,
    title: str,
    back_url_name: str,
) -> HttpResponse:
    """A child or a family into the bank: a person the user sees, kept by the user's agency
    (an account without one is shown the form and never saves)."""
    user = user_of(request)
    policy.require_create(user)
    form = form_class(
        request.POST or None,
        persons=registry_policies.persons.visible(user),
        region=_region(user),
    )
    agency = user.agency
    done = agency and submit(
        request,
        form,
        lambda data: create(actor=user, agency=agency, **data),
        success=success,
        then=lambda saved: reverse(url_name, args=[saved.pk]),
    )
    return done or form_page(request, form, title=title, back_url=reverse(back_url_name))


def child_create(request: HttpRequest) -> HttpResponse:
    return _record_create(
        request,
        policies.children,
        ChildForm,
        services.child_create,
        success=_("The child is in the regional data bank."),
        url_name="databank:child",
        title=_("A child into the data bank"),
        back_url_name="databank:children",
    )


@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_allowed(user, DatabankPolicyAction.CONTACT, pk=pk)

    def record(data: dict[str, Any]) -> None:
        family = policies.matchable_families(user).filter(pk=data["family"]).first()
        if family is None:
            raise ValidationError(
                {"family": _("No family with this number has a positive conclusion.")}
            )
        services.contact_record(
            actor=user,
            child=child,
            family=family,
            on=data["on"],
            outcome=data["outcome"],
            note=data["note"],
        )

    return form_flow(
        request,
        ContactForm(request.POST),
        record,
        success=_("The contact is recorded."),
        title=_("A contact with the child"),
        back_url=reverse("databank:child", args=[child.pk]),
        status=400,
    )


@require_POST
def child_place(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_changeable(user, pk=pk)
    return form_flow(
        request,
        PlacementForm(request.POST),
        lambda data: services.child_place(
            actor=user, child=child, on=data["on"], form=data["form"]
        ),
        success=_("The placement is recorded: the bank stops offering the child."),
        title=_("Placement in a family"),
        back_url=reverse("databank:child", args=[child.pk]),
        status=400,
    )


def family_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.families.require(user, Action.VIEW)
    today = timezone.localdate()
    table = Table(
        request=request,
        queryset=policies.families.visible(user),
        columns=[
            Column(_("Family"), "pk", key="number"),
            Column(_("Applicant"), "applicant__last_name", key="name"),
            Column(_("Applied on"), "applied_on", key="applied"),
            Column(_("Home inspection"), "inspection__due_on", key="inspection"),
            Column(_("Conclusion"), "conclusion"),
        ],
        default_sort="-applied",
        search_fields=("applicant__last_name", "applicant__first_name"),
        filters=[
            Filter(
                "conclusion",
                _("Conclusion"),
                Conclusion.choices,
                lambda qs, v: qs.filter(conclusion=v),
            ),
            Filter(
                "inspection",
                _("Home inspection"),
                [("overdue", _("Overdue")), ("due", _("Due"))],
                lambda qs, v: (
                    selectors.inspections_overdue(qs, today)
                    if v == "overdue"
                    else selectors.inspections_due(qs, today)
                ),
            ),
        ],
        caption=_("Candidate families"),
    )
    return render(
        request,
        "databank/family_list.html",
        {
            "table": table,
            "today": today,
            "can_create": policies.families.allows(user, Action.CREATE),
        },
    )


def _anonymised(children: list[ChildProfile], today: Any) -> dict[int, dict[str, Any]]:
    photos = selectors.photos_for(children, PhotoPurpose.CANDIDATES)
    return {
        c.pk: {
            "photo": photos.get(c.pk, ""),
            "first_name": c.person.first_name,
            "age": ranking.age_on(
                c.person.birth_year, c.person.birth_month, c.person.birth_day, today
            ),
            "sex": c.person.get_sex_display(),
            "municipality": (c.home_territory or c.agency.territory).name,
            "health": _("health group %(group)s") % {"group": c.health_group}
            + (", " + _("has health needs") if c.needs else ""),
        }
        for c in children
    }


def family_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = policies.families.get_visible(user, pk=pk)
    today = timezone.localdate()
    access_log_record(actor=user, obj=family, purpose="databank_family")
    access_log_record(actor=user, obj=family.applicant, purpose="databank_family")
    matches = ranking.children_for(family, policies.anonymised_children(user), today)
    shown = list(
        ChildProfile.objects.filter(pk__in=ranking.keys(matches)).select_related(
            "person", "agency__territory", "home_territory"
        )
    )
    if shown:
        access_log_record_many(actor=user, objs=shown, purpose="databank_anonymised")
    cards = _anonymised(shown, today)
    can_change = policies.families.allows(user, Action.CHANGE, family)
    return render(
        request,
        "databank/family_detail.html",
        {
            "family": family,
            "children": [
                {
                    "cards": [cards[int(c.key)] for c in m.unit.children],
                    "score": wording.score(m),
                    "lines": wording.lines(m),
                }
                for m in matches
            ],
            "contacts": selectors.contacts_of_family(user, family),
            "can_edit": policies.families.allows(user, DatabankPolicyAction.EDIT, family),
            "inspection_overdue": family.inspection.is_overdue_on(today),
            "inspection_form": InspectionForm(initial={"on": today}) if can_change else None,
            "conclusion_form": ConclusionForm(initial={"conclusion": family.conclusion})
            if can_change
            else None,
            "today": today,
        },
    )


def family_create(request: HttpRequest) -> HttpResponse:
    return _record_create(
        request,
        policies.families,
        FamilyForm,
        services.family_create,
        success=_("The family's application is recorded."),
        url_name="databank:family",
        title=_("A candidate family"),
        back_url_name="databank:families",
    )


@require_POST
def family_inspect(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = policies.families.get_changeable(user, pk=pk)
    return form_flow(
        request,
        InspectionForm(request.POST),
        lambda data: services.family_inspect(actor=user, family=family, on=data["on"]),
        success=_("The home inspection is recorded."),
        title=_("Home inspection"),
        back_url=reverse("databank:family", args=[family.pk]),
        status=400,
    )


@require_POST
def family_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = policies.families.get_changeable(user, pk=pk)
    return form_flow(
        request,
        ConclusionForm(request.POST),
        lambda data: services.family_conclude(
            actor=user,
            family=family,
            conclusion=data["conclusion"],
            valid_until=data["valid_until"],
        ),
        success=_("The conclusion is recorded."),
        title=_("Guardianship conclusion"),
        back_url=reverse("databank:family", args=[family.pk]),
        status=400,
    )


def federal_queue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.children.require(user, DatabankPolicyAction.FEDERAL)
    today = timezone.localdate()
    rows = selectors.federal_queue(user, today).order_by("federal__due_on", "pk")
    return render(
        request,
        "databank/federal.html",
        {"rows": rows[:500], "count": rows.count(), "today": today},
    )


@require_POST
def federal_send(request: HttpRequest) -> HttpResponse:
    """The file for the federal bank, its sending recorded in the same transaction."""
    user = user_of(request)
    policies.children.require(user, DatabankPolicyAction.FEDERAL)
    today = timezone.localdate()
    with transaction.atomic():
        children = list(
            selectors.federal_queue(user, today).select_for_update(of=("self",)).order_by("pk")
        )
        if not children:
            messages.info(request, _("No children are due for the federal bank."))
            return redirect("databank:federal")
        content = federal.file_bytes(children[0].region.name, children, today)
        services.federal_transfer_record(actor=user, children=children, content=content)
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="federal-bank-{today.isoformat()}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response
