"""Registry screens: search, person, household, duplicates, merges. Thin: policy, form,
service, template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.core.models import Territory
from ochag.core.services import access_log_record
from ochag.core.tables import Column, Filter, Table, search_text
from ochag.registry import selectors, services
from ochag.registry.explain import conflict_labels, explanation_rows
from ochag.registry.forms import (
    HouseholdForm,
    MemberAddForm,
    MergeForm,
    PersonForm,
    ReasonForm,
    RelationshipForm,
    SearchForm,
)
from ochag.registry.models import DuplicateStatus, Membership, Person, Relationship
from ochag.registry.policies import (
    can_merge,
    duplicates,
    households,
    merges,
    persons,
)

PER_PAGE = 25


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.sees_personal_data:
        raise PermissionDenied
    return user


def _territories(user: User) -> Any:
    scope = user.scope_territory
    if scope is None:
        return Territory.objects.none()
    return Territory.objects.filter(path__startswith=scope.path, level=Territory.Level.MUNICIPALITY)


def _identity(person: Person) -> dict[str, Any]:
    facts = [(_("Record"), f"№ {person.pk}"), (_("Date of birth"), person.birth_display or "—")]
    age = person.age_on(timezone.localdate())
    if age is not None:
        facts.append((_("Age"), str(age)))
    if person.snils:
        facts.append((_("SNILS"), person.snils))
    facts.append((_("Municipality"), str(person.territory)))
    badges = []
    if person.merged_into_id:
        badges.append({"label": _("Merged into another record"), "tone": "grey"})
    return {"name": person.full_name, "facts": facts, "badges": badges}


# ------------------------------------------------------------------ search
def search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SearchForm(request.GET or None)
    outcome = None
    page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        outcome = selectors.person_search(user=user, text=text)
        page = Paginator(outcome.hits, PER_PAGE).get_page(request.GET.get("page"))
        if request.GET.get("page") in (None, "", "1"):
            services.search_log_record(actor=user, text=text, results=outcome.total)
    return render(
        request,
        "registry/search.html",
        {
            "form": form,
            "outcome": outcome,
            "page": page,
            "can_create": persons.can_create(user),
            "limit": selectors.CANDIDATE_LIMIT,
            "explained": [(h, explanation_rows(h.explanation)) for h in page] if page else [],
            "page_query": f"q={request.GET.get('q', '')}",
        },
    )


# ------------------------------------------------------------------ persons
def person_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    person = persons.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=person, purpose="person page")
    out, inc = selectors.person_relationships(person)
    versions = list(person.versions.select_related("actor")[:50])
    events = [
        {
            "title": _("Version %(n)s") % {"n": v.version},
            "actor": v.actor.display_name if v.actor else _("system"),
            "agency": v.actor.agency if v.actor else "",
            "at": v.at,
            "description": _describe_version(v.data, versions, i),
        }
        for i, v in enumerate(versions)
    ]
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "identity": _identity(person),
            "memberships": selectors.person_households(person),
            "relations_out": out,
            "relations_in": inc,
            "events": events,
            "can_change": persons.can_change(user, person),
            "can_merge": can_merge(user),
            "merges": merges.visible(user).filter(Q(kept=person) | Q(merged=person))[:20],
        },
    )


LABELS: dict[str, Any] = {
    "last_name": gettext_lazy("Last name"),
    "first_name": gettext_lazy("First name"),
    "patronymic": gettext_lazy("Patronymic"),
    "sex": gettext_lazy("Sex"),
    "birth_year": gettext_lazy("Year of birth"),
    "birth_month": gettext_lazy("Month of birth"),
    "birth_day": gettext_lazy("Day of birth"),
    "snils": gettext_lazy("SNILS"),
    "birth_certificate": gettext_lazy("Birth certificate"),
    "citizenship": gettext_lazy("Citizenship"),
    "address": gettext_lazy("Address"),
    "territory_id": gettext_lazy("Municipality"),
    "merged_into_id": gettext_lazy("Merged into"),
}


def _describe_version(data: dict[str, Any], versions: list[Any], i: int) -> str:
    reason = versions[i].reason
    if i + 1 >= len(versions):
        return reason
    older = versions[i + 1].data
    changes = [
        f"{LABELS.get(k, k)}: «{older.get(k) or '—'}» → «{v or '—'}»"
        for k, v in data.items()
        if older.get(k) != v
    ]
    return "; ".join([reason, *changes]) if reason else "; ".join(changes)


def person_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    persons.require_create(user)
    form = PersonForm(
        request.POST or None,
        territories=_territories(user),
        initial={"territory": user.agency.territory_id if user.agency else None},
    )
    resolution = None
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        resolution = services.person_resolve(
            actor=user, data=data | {"territory_id": data["territory"].pk}
        )
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
                    person = services.person_create(actor=user, **data)
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
    user = _user(request)
    person = persons.get_changeable(user, pk=pk)
    form = PersonForm(
        request.POST or None, territories=_territories(user), initial=PersonForm.initial_for(person)
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.person_update(
                actor=user, person=person, version=form.cleaned_data["version"] or 0, **data
            )
        except services.VersionConflict:
            form.add_error(
                None,
                _(
                    "Someone changed this record while you were editing it. "
                    "Open it again to see the changes, then repeat yours."
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes are saved."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "person": person, "identity": _identity(person)},
    )


# ------------------------------------------------------------------ households
def household_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    households.require_create(user)
    person = None
    if request.GET.get("person") or request.POST.get("person"):
        person = persons.get_changeable(
            user, pk=request.GET.get("person") or request.POST.get("person")
        )
    form = HouseholdForm(
        request.POST or None,
        territories=_territories(user),
        with_role=person is not None,
        initial={
            "territory": person.territory_id if person else None,
            "name": person.last_name if person else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        home = services.household_create(
            actor=user, territory=d["territory"], name=d["name"], address=d["address"]
        )
        if person is not None:
            services.membership_add(actor=user, household=home, person=person, role=d["role"])
        messages.success(request, _("The household is created."))
        return redirect("registry:household_detail", pk=home.pk)
    return render(request, "registry/household_form.html", {"form": form, "person": person})


def household_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    home = households.get_visible(user, pk=pk)
    access_log_record(actor=user, obj=home, purpose="household page")
    members = selectors.household_members(home)
    can_change = households.can_change(user, home)
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
            "relationships": selectors.household_relationships(home),
            "rel_form": RelationshipForm(members=[m.person for m in members]),
            "add_form": MemberAddForm(),
            "q": q,
            "found": found,
            "member_ids": {m.person_id for m in members},
        },
    )


@require_POST
def member_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    home = households.get_changeable(user, pk=pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        person = persons.get_visible(user, pk=form.cleaned_data["person"])
        try:
            services.membership_add(
                actor=user, household=home, person=person, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(name)s is added to the household.") % {"name": person.full_name}
            )
    else:
        messages.error(request, _("Choose a person and a role."))
    return redirect("registry:household_detail", pk=home.pk)


@require_POST
def member_remove(request: HttpRequest, pk: str, member: str) -> HttpResponse:
    user = _user(request)
    home = households.get_changeable(user, pk=pk)
    try:
        membership = Membership.objects.select_related("person").get(household=home, pk=member)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    services.membership_remove(actor=user, membership=membership)
    messages.success(
        request,
        _("%(name)s is removed from the household.") % {"name": membership.person.full_name},
    )
    return redirect("registry:household_detail", pk=home.pk)


@require_POST
def relationship_add(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    home = households.get_changeable(user, pk=pk)
    members = [m.person for m in selectors.household_members(home)]
    form = RelationshipForm(request.POST, members=members)
    if form.is_valid():
        by_pk = {p.pk: p for p in members}
        try:
            services.relationship_add(
                actor=user,
                person=by_pk[form.cleaned_data["person"]],
                kind=form.cleaned_data["kind"],
                relative_of=by_pk[form.cleaned_data["relative_of"]],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The relationship is recorded."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("registry:household_detail", pk=home.pk)


@require_POST
def relationship_remove(request: HttpRequest, pk: str, rel: str) -> HttpResponse:
    user = _user(request)
    home = households.get_changeable(user, pk=pk)
    ids = Membership.objects.filter(household=home).values("person_id")
    try:
        relationship = Relationship.objects.get(
            Q(person_id__in=ids) | Q(relative_of_id__in=ids), pk=rel
        )
    except (Relationship.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    services.relationship_remove(actor=user, relationship=relationship)
    messages.success(request, _("The relationship is removed."))
    return redirect("registry:household_detail", pk=home.pk)


# ------------------------------------------------------------------ duplicates
def _blocked_filter(qs: Any, value: str) -> Any:
    return qs.exclude(conflicts=[]) if value == "yes" else qs.filter(conflicts=[])


def duplicate_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.duplicate_queue(user)
    if "status" not in request.GET:
        qs = qs.filter(status=DuplicateStatus.OPEN)
    table = Table(
        request=request,
        queryset=qs,
        default_sort="-probability",
        columns=[
            Column(_("Record A")),
            Column(_("Record B")),
            Column(_("Probability"), "probability"),
            Column(_("Found"), "found_at"),
            Column(_("Status")),
        ],
        filters=[
            Filter("status", _("Status"), DuplicateStatus.choices, lambda q, v: q.filter(status=v)),
            Filter(
                "blocked", _("Merge blocked"), [("yes", _("Yes")), ("no", _("No"))], _blocked_filter
            ),
        ],
        search_fields=["person_a__last_name", "person_b__last_name"],
        caption=_("Possible duplicates"),
    )
    return render(request, "registry/duplicate_list.html", {"table": table})


def duplicate_compare(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    pair = duplicates.get_visible(user, pk=pk)
    a, b = pair.person_a, pair.person_b
    for person in (a, b):
        access_log_record(actor=user, obj=person, purpose="duplicate comparison")
    swap = request.GET.get("keep") == "b"
    kept, merged = (b, a) if swap else (a, b)
    form = MergeForm(request.POST or None, kept=kept, merged=merged)
    blockers = services.merge_blockers(kept, merged)
    may_decide = duplicates.can_change(user, pair) and pair.status == DuplicateStatus.OPEN
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if blockers:
            form.add_error(
                None,
                _("These records cannot be merged: %(why)s")
                % {"why": " ".join(conflict_labels(blockers))},
            )
        elif form.is_valid():
            try:
                record = services.person_merge(
                    actor=user,
                    kept=kept,
                    merged=merged,
                    choices=form.choices(),
                    duplicate=pair,
                    reason=form.cleaned_data["reason"],
                )
            except services.MergeBlocked as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("The records are merged. The merge can be undone from the merge history."),
                )
                return redirect("registry:merge_detail", pk=record.pk)
    rows = [
        (str(label), services_value(a, name), services_value(b, name))
        for name, label in _COMPARE_FIELDS
    ]
    return render(
        request,
        "registry/compare.html",
        {
            "pair": pair,
            "a": a,
            "b": b,
            "kept": kept,
            "merged": merged,
            "swap": swap,
            "rows": rows,
            "explanation": explanation_rows(pair.explanation),
            "conflicts": conflict_labels(pair.conflicts),
            "blockers": conflict_labels(blockers),
            "form": form,
            "may_decide": may_decide,
            "dismiss_form": ReasonForm(),
            "a_homes": selectors.person_households(a),
            "b_homes": selectors.person_households(b),
        },
    )


_COMPARE_FIELDS = [
    ("last_name", gettext_lazy("Last name")),
    ("first_name", gettext_lazy("First name")),
    ("patronymic", gettext_lazy("Patronymic")),
    ("sex", gettext_lazy("Sex")),
    ("birth", gettext_lazy("Date of birth")),
    ("snils", gettext_lazy("SNILS")),
    ("birth_certificate", gettext_lazy("Birth certificate")),
    ("citizenship", gettext_lazy("Citizenship")),
    ("territory", gettext_lazy("Municipality")),
    ("address", gettext_lazy("Address")),
]


def services_value(person: Person, name: str) -> str:
    if name == "birth":
        return person.birth_display
    if name == "sex":
        return str(person.get_sex_display())
    return str(getattr(person, name) or "")


@require_POST
def duplicate_dismiss(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    pair = duplicates.get_changeable(user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.duplicate_dismiss(actor=user, duplicate=pair, reason=reason)
    messages.success(request, _("The pair is marked as not a duplicate."))
    return redirect("registry:duplicate_list")


# ------------------------------------------------------------------ merges
def merge_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    table = Table(
        request=request,
        queryset=merges.visible(user),
        default_sort="-at",
        columns=[
            Column(_("Kept record")),
            Column(_("Merged record")),
            Column(_("When"), "at"),
            Column(_("By")),
            Column(_("Status")),
        ],
        filters=[
            Filter(
                "undone",
                _("Status"),
                [("no", _("In effect")), ("yes", _("Undone"))],
                lambda q, v: q.filter(undone_at__isnull=(v == "no")),
            )
        ],
        caption=_("Merge history"),
    )
    return render(request, "registry/merge_list.html", {"table": table})


def merge_detail(request: HttpRequest, pk: str) -> HttpResponse:
    user = _user(request)
    record = merges.get_visible(user, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        if not merges.can_change(user, record):
            raise PermissionDenied
        if form.is_valid():
            try:
                result = services.person_unmerge(
                    actor=user, record=record, reason=form.cleaned_data["reason"]
                )
            except services.MergeBlocked as exc:
                form.add_error(None, str(exc))
            else:
                if result.skipped:
                    messages.warning(
                        request,
                        _(
                            "The merge is undone; %(n)s links changed after the merge "
                            "were left as they are now."
                        )
                        % {"n": len(result.skipped)},
                    )
                else:
                    messages.success(request, _("The merge is undone; both records are restored."))
                return redirect("registry:merge_detail", pk=record.pk)
    state = record.state
    return render(
        request,
        "registry/merge_detail.html",
        {
            "record": record,
            "form": form,
            "can_unmerge": merges.can_change(user, record),
            "kept_before": _snapshot_rows(state["kept"]),
            "merged_before": _snapshot_rows(state["merged"]),
            "moved": len(state["moved"]),
            "set_aside": len(state["set_aside"]),
        },
    )


def _snapshot_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(LABELS.get(k, k)), "" if v is None else str(v))
        for k, v in data.items()
        if k in LABELS and k != "merged_into_id"
    ]
