"""The duplicates queue and the side-by-side comparison where a pair is merged or dismissed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ochag.core.form_views import post_action
from ochag.core.services import access_log_record
from ochag.core.tables import Column, Filter, Table
from ochag.registry import queue, selectors, services
from ochag.registry.display import field_text
from ochag.registry.explain import conflict_labels, differences_first, explanation_rows
from ochag.registry.forms import (
    MergeForm,
    ReasonForm,
)
from ochag.registry.likelihood import BANDS
from ochag.registry.models import DuplicateStatus, Person
from ochag.registry.policies import RegistryPolicyAction, duplicates
from ochag.registry.views.common import staff_user, territories_for


def _blocked_filter(qs: Any, value: str) -> Any:
    return qs.exclude(conflicts=[]) if value == "yes" else qs.filter(conflicts=[])


YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _flag(name: str) -> Any:
    return lambda qs, value: qs.filter(**{name: value == "yes"})


def duplicate_list(request: HttpRequest) -> HttpResponse:
    """The queue, pairs with an open case or a child first, then by probability."""
    user = staff_user(request)
    qs = queue.duplicate_queue_ranked(user, timezone.localdate())
    if "status" not in request.GET:
        qs = selectors.duplicates_waiting(qs)
    municipalities = [(str(t.pk), t.name) for t in territories_for(user).order_by("name")]
    table = Table(
        request=request,
        queryset=qs,
        default_sort="-priority",
        columns=[
            Column(_("Records"), "priority", key="priority"),
            Column(_("Probability"), "score", key="probability"),
            Column(_("What differs")),
            Column(_("Year of birth"), "born", key="age"),
            Column(_("Municipality"), "person_a__territory__name", key="municipality"),
            Column(_("Found"), "found_at"),
            Column(_("Status")),
        ],
        filters=[
            Filter("status", _("Status"), DuplicateStatus.choices, lambda q, v: q.filter(status=v)),
            Filter(
                "band",
                _("Probability"),
                [(k, label) for k, label, _lo, _hi in BANDS],
                queue.duplicate_filter_band,
            ),
            Filter(
                "municipality", _("Municipality"), municipalities, queue.duplicate_filter_territory
            ),
            Filter("open_case", _("Open case"), YES_NO, _flag("open_work")),
            Filter("child", _("A child"), YES_NO, _flag("child")),
            Filter("blocked", _("Merge blocked"), YES_NO, _blocked_filter),
        ],
        search_fields=["person_a__last_name", "person_b__last_name"],
        caption=_("Possible duplicates: pairs with an open case or a child first"),
    )
    return render(request, "registry/duplicate_list.html", {"table": table})


def duplicate_compare(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    pair = duplicates.get_visible(user, pk=pk)
    a, b = pair.person_a, pair.person_b
    for person in (a, b):
        access_log_record(actor=user, obj=person, purpose="duplicate comparison")
    swap = request.GET.get("keep") == "b"
    kept, merged = (b, a) if swap else (a, b)
    form = MergeForm(request.POST or None, kept=kept, merged=merged)
    blockers = services.merge_blockers(kept, merged)
    may_decide = (
        duplicates.allows(user, RegistryPolicyAction.MERGE, pair)
        and pair.status == DuplicateStatus.OPEN
    )
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
    rows.sort(key=lambda row: row[1] == row[2])  # the fields that differ first
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
            "explanation": differences_first(explanation_rows(pair.explanation)),
            "conflicts": conflict_labels(pair.conflicts),
            "blockers": conflict_labels(blockers),
            "form": form,
            "may_decide": may_decide,
            "dismiss_form": ReasonForm(),
            "a_homes": selectors.person_households(user, a),
            "b_homes": selectors.person_households(user, b),
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
    """A field as people read it: ДД.ММ.ГГГГ, SNILS grouped, citizenship by name."""
    if name == "birth":
        return person.birth_display
    if name == "territory":
        return str(person.territory)
    return field_text(name, getattr(person, name))


@require_POST
def duplicate_dismiss(request: HttpRequest, pk: str) -> HttpResponse:
    user = staff_user(request)
    pair = duplicates.get_changeable(user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return post_action(
        request,
        lambda: services.duplicate_dismiss(actor=user, duplicate=pair, reason=reason),
        success=_("The pair is marked as not a duplicate."),
        then=reverse("registry:duplicate_list"),
    )
