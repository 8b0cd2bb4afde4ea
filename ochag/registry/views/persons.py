"""Registry screens for persons: search, the person card, creation (search first), edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.breakglass import live_grant
from ochag.core.form_views import versioned_submit
from ochag.core.policies import Action
from ochag.core.services import access_log_record
from ochag.registry import lookup, selectors, services
from ochag.registry.display import (
    age_text,
    citizenship_text,
    disability_text,
    is_child,
    snils_text,
)
from ochag.registry.explain import conflict_labels, explanation_rows
from ochag.registry.extensions import PersonContext, card_sections
from ochag.registry.forms import (
    PersonEditForm,
    PersonForm,
    SearchForm,
)
from ochag.registry.policies import RegistryPolicyAction, merges, persons
from ochag.registry.views.common import (
    FIELD_LABELS,
    PER_PAGE,
    identity,
    staff_user,
    territories_for,
)


def search(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = SearchForm(request.GET or None)
    outcome = None
    page = None
    known = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        outcome = selectors.person_search(user=user, text=text)
        page = Paginator(outcome.hits, PER_PAGE).get_page(request.GET.get("page"))
        if request.GET.get("page") in (None, "", "1"):
            services.search_log_record(actor=user, text=text, results=outcome.total)
            known = lookup.known_elsewhere(user=user, text=text)
            if known is not None:
                services.known_lookup_record(actor=user, text=text, known=known.count)
    return render(
        request,
        "registry/search.html",
        {
            "form": form,
            "outcome": outcome,
            "page": page,
            "can_create": persons.allows(user, Action.CREATE),
            "limit": selectors.CANDIDATE_LIMIT,
            "explained": [(h, explanation_rows(h.explanation)) for h in page] if page else [],
            "page_query": f"q={request.GET.get('q', '')}",
            "known": known,
        },
    )


def person_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=person, purpose="person page")
    out, inc = selectors.person_relationships(user, person)
    memberships = selectors.person_households(user, person)
    today = timezone.localdate()
    context = PersonContext(person, [m.household for m in memberships])
    versions = list(person.versions.select_related("actor", "actor__agency")[:50])
    disabilities = selectors.person_disabilities(user, person)
    events: list[dict[str, Any]] = [
        {
            "title": _("Version %(n)s") % {"n": v.version},
            "actor": v.actor.display_name if v.actor else _("system"),
            "agency": v.actor.agency if v.actor else "",
            "at": v.at,
            "description": _describe_version(v.data, versions, i),
        }
        for i, v in enumerate(versions)
    ]
    # Health data joins the history only for those who may read it.
    events += [
        {
            "title": _("Disability status"),
            "actor": d.recorded_by.display_name if d.recorded_by else _("system"),
            "agency": d.recorded_by.agency if d.recorded_by else "",
            "at": d.recorded_at,
            "description": disability_text(d),
        }
        for d in disabilities
    ]
    events.sort(key=lambda e: e["at"], reverse=True)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "identity": identity(person),
            "shown": {
                "snils": snils_text(person.snils),
                "citizenship": citizenship_text(person.citizenship),
                "age": age_text(person, today),
            },
            # A person without an address of their own lives at their household's.
            "household_address": next(
                (m.household.address for m in memberships if m.household.address), ""
            ),
            "memberships": memberships,
            "is_child": is_child(person, today),
            "schooling": [(s, s.is_current(today)) for s in selectors.person_schooling(person)],
            "former_names": selectors.person_former_names(person),
            "sees_health": persons.allows(user, RegistryPolicyAction.SEE_HEALTH, person),
            "disability": disabilities[0] if disabilities else None,
            "review_passed": bool(
                disabilities and disabilities[0].review_on and disabilities[0].review_on < today
            ),
            "sections": card_sections(user, context),
            "relations_out": out,
            "relations_in": inc,
            "events": events,
            "can_change": persons.allows(user, Action.CHANGE, person),
            "can_merge": persons.allows(user, RegistryPolicyAction.MERGE),
            "can_mark_deletion": persons.allows(
                user, RegistryPolicyAction.MARK_FOR_DELETION, person
            ),
            "merges": merges.visible(user).filter(Q(kept=person) | Q(merged=person))[:20],
            # Opened by break-glass: the page says so, until when and why.
            "grant": live_grant(
                user,
                {"person": [person.pk], "household": [m.household_id for m in memberships]},
            ),
        },
    )


def _describe_version(data: dict[str, Any], versions: list[Any], i: int) -> str:
    reason = versions[i].reason
    if i + 1 >= len(versions):
        return reason
    older = versions[i + 1].data
    changes = [
        f"{FIELD_LABELS.get(k, k)}: «{older.get(k) or '—'}» → «{v or '—'}»"
        for k, v in data.items()
        if older.get(k) != v
    ]
    return "; ".join([reason, *changes]) if reason else "; ".join(changes)


def person_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    persons.require_create(user)
    form = PersonForm(
        request.POST or None,
        territories=territories_for(user),
        initial={"territory": user.agency.territory_id if user.agency else None},
    )
    resolution = None
    if request.method == "POST" and form.is_valid():
        data = form.person_data(form.cleaned_data)
        resolution = services.person_resolve(actor=user, data=data)
        if request.POST.get("action") == "create":
            if resolution.decision == "link" and not request.POST.get("confirm_different"):
                form.add_error(
                    None,
                    _(
                        "This person is already in the registry. Open the "
                        "existing record, or confirm that it is a different person."
                    ),
                )
            else:
                try:
                    person = services.person_create(actor=user, data=data)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("The person is added to the registry."))
                    return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {
            "form": form,
            "resolution": resolution,
            "person": None,
            "candidates": [
                (
                    c,
                    explanation_rows(c.candidate.explanation),
                    conflict_labels(c.candidate.conflicts),
                )
                for c in (resolution.candidates if resolution else [])
            ],
        },
    )


def person_edit(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    person = persons.get_changeable(user, pk=pk)
    disabilities = selectors.person_disabilities(user, person)
    with_disability = persons.allows(user, RegistryPolicyAction.SEE_HEALTH, person)

    def make_form(data: QueryDict | None) -> PersonEditForm:
        return PersonEditForm(
            data,
            territories=territories_for(user),
            initial=PersonForm.initial_for(person),
            with_disability=with_disability,
            current=disabilities[0] if disabilities else None,
        )

    step = versioned_submit(
        request,
        make_form,
        lambda d: services.person_edit(
            actor=user,
            person=person,
            version=d["version"] or 0,
            data=PersonEditForm.person_data(d),
            disability=PersonEditForm.disability_data(d),
        ),
        success=_("Changes are saved."),
        then=lambda saved: reverse("registry:person_detail", args=[saved.pk]),
        conflict_message=_(
            "Someone changed this record while you were editing it. Your entries are kept "
            "below; check them against the record as saved now and save again."
        ),
    )
    return step.response or render(
        request,
        "registry/person_form.html",
        {"form": step.form, "person": person, "identity": identity(person)},
    )
