"""The merge history and undoing a merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ochag.core.policies import Action
from ochag.core.tables import Column, Filter, Table
from ochag.registry import services
from ochag.registry.forms import (
    ReasonForm,
)
from ochag.registry.policies import merges
from ochag.registry.views.common import (
    group_label,
    group_text,
    snapshot_rows,
    staff_user,
    territory_names,
)


def merge_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
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
    user = staff_user(request)
    record = merges.get_visible(user, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        if not merges.allows(user, Action.CHANGE, record):
            raise PermissionDenied
        if form.is_valid():
            try:
                result = services.person_unmerge(
                    actor=user, record=record, reason=form.cleaned_data["reason"]
                )
            except services.MergeBlocked as exc:
                form.add_error(None, str(exc))
            else:
                _report(request, result)
                return redirect("registry:merge_detail", pk=record.pk)
    state = record.state
    plan = services.unmerge_plan(record)
    moved_to = [v for f in plan.fields if f.name == "territory_id" for v in (*f.merged, *f.now)]
    territories = territory_names(
        [state["kept"].get("territory_id"), state["merged"].get("territory_id"), *moved_to]
    )
    return render(
        request,
        "registry/merge_detail.html",
        {
            "record": record,
            "form": form,
            "can_unmerge": merges.allows(user, Action.CHANGE, record) and not plan.refusal,
            "refusal": plan.refusal,
            "outcomes": [_outcome_row(f, territories) for f in plan.fields],
            "kept_before": snapshot_rows(state["kept"], territories),
            "merged_before": snapshot_rows(state["merged"], territories),
            "moved": len(state["moved"]),
            "set_aside": len(state["set_aside"]),
        },
    )


def _outcome_row(f: services.FieldOutcome, territories: dict[int, str]) -> dict[str, str]:
    if f.action == services.REVERT:
        what = _("returns to the value before the merge")
    elif f.action == services.EDITED:
        what = _("stays: changed after the merge")
    else:
        what = _(
            "stays: merge № %(n)s changed it again; undoing that one restores the value "
            "from before both"
        ) % {"n": f.later.pk if f.later else "?"}
    return {
        "label": group_label(f.group),
        "before": group_text(f.group, f.before, territories),
        "merged": group_text(f.group, f.merged, territories),
        "now": group_text(f.group, f.now, territories),
        "result": group_text(f.group, f.result, territories),
        "what": str(what),
    }


def _report(request: HttpRequest, result: services.UnmergeResult) -> None:
    kept = [group_label(f.group) for f in result.plan.fields if f.action != services.REVERT]
    if result.skipped:
        messages.warning(
            request,
            _("The merge is undone; %(n)s links changed after the merge were left as they are now.")
            % {"n": len(result.skipped)},
        )
    if kept:
        messages.warning(
            request,
            _("The merge is undone; changes made after it are kept: %(fields)s.")
            % {"fields": ", ".join(kept)},
        )
    if not (kept or result.skipped):
        messages.success(request, _("The merge is undone; both records are restored."))
