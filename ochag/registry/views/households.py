"""Registry screens for households: creation, the household page, edits, members and
the relationships between them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.breakglass import live_grant
from ochag.core.form_views import post_action, submit, versioned_submit
from ochag.core.policies import Action
from ochag.core.services import access_log_record
from ochag.core.tables import search_text
from ochag.registry import selectors, services
from ochag.registry.forms import (
    HouseholdForm,
    MemberAddForm,
    RelationshipForm,
)
from ochag.registry.models import Membership, Relationship
from ochag.registry.policies import households, persons
from ochag.registry.views.common import (
    staff_user,
    territories_for,
)


def household_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    households.require_create(user)
    person = None
    if request.GET.get("person") or request.POST.get("person"):
        person = persons.get_changeable(
            user, pk=request.GET.get("person") or request.POST.get("person")
        )
    form = HouseholdForm(
        request.POST or None,
        territories=territories_for(user),
        with_role=person is not None,
        initial={
            "territory": person.territory_id if person else None,
            "name": person.last_name if person else "",
        },
    )
    done = submit(
        request,
        form,
        lambda d: services.household_create(
            actor=user,
            territory=d["territory"],
            name=d["name"],
            address=d["address"],
            member=person,
            role=d.get("role") or "",
        ),
        success=_("The household is created."),
        then=lambda home: reverse("registry:household_detail", args=[home.pk]),
    )
    if done is not None:
        return done
    return render(request, "registry/household_form.html", {"form": form, "person": person})


def household_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    home = households.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=home, purpose="household page")
    members = selectors.household_members(user, home)
    can_change = households.allows(user, Action.CHANGE, home)
    q = search_text(request, limit=100)
    found = None
    if can_change and q:
        found = selectors.person_search(user=user, text=q, limit=25)
        services.search_log_record(actor=user, text=q, results=found.total)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": home,
            "members": members,
            "can_change": can_change,
            "relationships": selectors.household_relationships(user, home),
            "rel_form": RelationshipForm(members=[m.person for m in members]),
            "add_form": MemberAddForm(),
            "q": q,
            "found": found,
            "member_ids": {m.person_id for m in members},
            "grant": live_grant(user, {"household": [home.pk]}),
        },
    )


def household_edit(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    home = households.get_changeable(user, pk=pk)
    step = versioned_submit(
        request,
        lambda data: HouseholdForm(
            data,
            territories=territories_for(user),
            with_role=False,
            initial={
                "name": home.name,
                "territory": home.territory_id,
                "address": home.address,
                "version": home.version,
            },
        ),
        lambda d: services.household_update(
            actor=user,
            household=home,
            version=d["version"] or 0,
            name=d["name"],
            address=d["address"],
            territory=d["territory"],
        ),
        success=_("Changes are saved."),
        then=lambda saved: reverse("registry:household_detail", args=[saved.pk]),
        conflict_message=_(
            "Someone changed this household while you were editing it. Your entries are "
            "kept below; check them against the household as saved now and save again."
        ),
    )
    return step.response or render(
        request, "registry/household_form.html", {"form": step.form, "household": home}
    )


@require_POST
def member_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    home = households.get_changeable(user, pk=pk)
    form = MemberAddForm(request.POST)
    back = reverse("registry:household_detail", args=[home.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a person and a role."))
        return redirect(back)
    person = persons.get_visible(user, pk=form.cleaned_data["person"])
    return post_action(
        request,
        lambda: services.membership_add(
            actor=user, household=home, person=person, role=form.cleaned_data["role"]
        ),
        success=_("%(name)s is added to the household.") % {"name": person.full_name},
        then=back,
    )


@require_POST
def member_remove(request: HttpRequest, pk: str, member: str) -> HttpResponse:
    user = staff_user(request)
    home = households.get_changeable(user, pk=pk)
    try:
        membership = Membership.objects.select_related("person").get(household=home, pk=member)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    return post_action(
        request,
        lambda: services.membership_remove(actor=user, membership=membership),
        success=_("%(name)s is removed from the household.")
        % {"name": membership.person.full_name},
        then=reverse("registry:household_detail", kwargs={"pk": home.pk}),
    )


@require_POST
def relationship_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    home = households.get_changeable(user, pk=pk)
    members = [m.person for m in selectors.household_members(user, home)]
    form = RelationshipForm(request.POST, members=members)
    back = reverse("registry:household_detail", args=[home.pk])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    by_pk = {p.pk: p for p in members}
    data = form.cleaned_data
    return post_action(
        request,
        lambda: services.relationship_add(
            actor=user,
            person=by_pk[data["person"]],
            kind=data["kind"],
            relative_of=by_pk[data["relative_of"]],
        ),
        success=_("The relationship is recorded."),
        then=back,
    )


@require_POST
def relationship_remove(request: HttpRequest, pk: str, rel: str) -> HttpResponse:
    user = staff_user(request)
    home = households.get_changeable(user, pk=pk)
    ids = Membership.objects.filter(household=home).values("person_id")
    try:
        relationship = Relationship.objects.get(
            Q(person_id__in=ids) | Q(relative_of_id__in=ids), pk=rel
        )
    except (Relationship.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    return post_action(
        request,
        lambda: services.relationship_remove(actor=user, relationship=relationship),
        success=_("The relationship is removed."),
        then=reverse("registry:household_detail", kwargs={"pk": home.pk}),
    )
