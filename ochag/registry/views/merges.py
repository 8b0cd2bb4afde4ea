"""The merge history and undoing a merge."""

from __future__ import annotations

from typing import Any

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
    FIELD_LABELS,
    staff_user,
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
            "can_unmerge": merges.allows(user, Action.CHANGE, record),
            "kept_before": _snapshot_rows(state["kept"]),
            "merged_before": _snapshot_rows(state["merged"]),
            "moved": len(state["moved"]),
            "set_aside": len(state["set_aside"]),
        },
    )


def _snapshot_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(FIELD_LABELS.get(k, k)), "" if v is None else str(v))
        for k, v in data.items()
        if k in FIELD_LABELS and k != "merged_into_id"
    ]
