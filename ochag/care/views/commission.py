"""The placement commission: reviews to assemble the agenda from, sittings, the agenda, one
page per child with the decision and its four-eyes confirmation, the protocol PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.care import policies, protocol, selectors
from ochag.care.forms import DecisionForm, SittingForm
from ochag.care.models import (
    AgendaItem,
    Commission,
    MemberRole,
    ReviewKind,
    Sitting,
    SittingStatus,
)
from ochag.care.policies import CarePolicyAction
from ochag.care.services import commission as services
from ochag.cases.models import CaseStatus
from ochag.core import pdf
from ochag.core.exports import pdf_export
from ochag.core.form_views import form_page, post_action, submit
from ochag.core.policies import Action
from ochag.core.services import access_log_record, access_log_record_many
from ochag.core.tables import Column, Filter, Table
from ochag.support import selectors as support_selectors


def _personal(user: User) -> None:
    if not user.sees_personal_data:
        raise PermissionDenied


def review_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _personal(user)
    today = timezone.localdate()
    reviews = selectors.reviews_for(user, policies.placements.visible(user))
    table = Table(
        request=request,
        queryset=reviews,
        columns=[
            Column(_("Child"), "placement__child__last_name", key="child"),
            Column(_("Institution"), "placement__institution__name", key="institution"),
            Column(_("Kind of review"), "kind"),
            Column(_("Due"), "due_on", key="due"),
            Column(_("Sitting"), "sitting__date", key="sitting"),
        ],
        default_sort="due",
        search_fields=("placement__child__last_name", "placement__institution__name"),
        filters=[
            Filter(
                "due",
                _("Reviews"),
                [
                    ("open", _("Not yet reviewed")),
                    ("overdue", _("Overdue")),
                    ("waiting", _("Not on an agenda")),
                ],
                lambda qs, v: {
                    "open": selectors.reviews_open(qs),
                    "overdue": selectors.reviews_overdue(qs, today),
                    "waiting": selectors.reviews_open(qs).filter(sitting__isnull=True),
                }[v],
                default="open",
            ),
            Filter(
                "kind", _("Kind of review"), ReviewKind.choices, lambda qs, v: qs.filter(kind=v)
            ),
        ],
        caption=_("Placement reviews"),
    )
    sittings = [
        s
        for s in policies.sittings.visible(user).filter(status="planned").order_by("date")
        if policies.sittings.allows(user, Action.CHANGE, s)
    ]
    return render(
        request,
        "care/review_list.html",
        {"table": table, "today": today, "sittings": sittings},
    )


@require_POST
def agenda_add(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_allowed(user, Action.CHANGE, pk=request.POST.get("sitting"))
    ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
    reviews = selectors.reviews_for(user, policies.placements.visible(user))
    items = list(selectors.reviews_open(reviews).filter(pk__in=ids))
    if not items:
        messages.error(request, _("Choose the reviews to put on the agenda."))
        return redirect("care:reviews")
    return post_action(
        request,
        lambda: services.agenda_add(actor=user, sitting=sitting, items=items),
        success=_("The agenda is updated."),
        then=reverse("care:sitting", kwargs={"pk": sitting.pk}),
    )


def sitting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _personal(user)
    sittings = policies.sittings.visible(user).order_by("-date")[:100]
    return render(
        request,
        "care/sitting_list.html",
        {"sittings": sittings, "can_create": policies.sittings.allows(user, Action.CREATE)},
    )


def _commission_for(user: User) -> Commission:
    own = policies.open_memberships(user).filter(role=MemberRole.SECRETARY).first()
    if own is not None:
        return own.commission
    scope = user.scope_territory
    region = scope.region if scope is not None and scope.region is not None else scope
    commission = Commission.objects.filter(region=region).first()
    if commission is None:
        raise Http404
    return commission


def sitting_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    policies.sittings.require_create(user)
    commission = _commission_for(user)
    form = SittingForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.sitting_create(actor=user, commission=commission, **data),
        success=_("The sitting is planned."),
        then=lambda sitting: reverse("care:sitting", args=[sitting.pk]),
    )
    return done or form_page(
        request, form, title=_("Plan a sitting"), back_url=reverse("care:sittings")
    )


def sitting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_visible(user, pk=pk)
    items = list(selectors.agenda(sitting))
    access_log_record_many(
        actor=user, objs=[i.placement for i in items], purpose=f"care: agenda {sitting}"
    )
    return render(
        request,
        "care/sitting_detail.html",
        {
            "sitting": sitting,
            "items": items,
            "members": selectors.members(sitting.commission),
            "can_change": policies.sittings.allows(user, Action.CHANGE, sitting),
            "can_export": policies.sittings.allows(user, Action.EXPORT, sitting),
        },
    )


def _item(user: User, pk: int, item_pk: int) -> tuple[Sitting, AgendaItem]:
    sitting = policies.sittings.get_visible(user, pk=pk)
    try:
        item = selectors.agenda(sitting).get(pk=item_pk)
    except AgendaItem.DoesNotExist as exc:
        raise Http404 from exc
    return sitting, item


def agenda_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    sitting, item = _item(user, pk, item_pk)
    placement = item.placement
    access_log_record(actor=user, obj=placement, purpose=f"care: commission {sitting}")
    today = timezone.localdate()
    can_decide = policies.sittings.allows(user, CarePolicyAction.DECIDE, sitting)
    form = DecisionForm(
        request.POST or None,
        initial={
            "decision": item.decision,
            "reasons": item.reasons,
            "action": item.action,
            "justified_until": item.justified_until,
        },
    )
    if request.method == "POST":
        if not can_decide or item.done_on is not None:
            raise PermissionDenied
        done = submit(
            request,
            form,
            lambda data: services.decision_record(actor=user, item=item, **data),
            success=_("The decision is recorded; it needs confirmation."),
            then=lambda _saved: reverse("care:agenda_item", args=[sitting.pk, item.pk]),
        )
        if done is not None:
            return done
    role = policies.sittings.role(user, sitting)
    # Need-to-know: the child's details for whom the placement policy shows the child (a
    # member only while the sitting is open); the family's case and the support it was
    # offered for the commission's members only, and only for the sitting's duration.
    sees_child = policies.placements.visible(user).filter(pk=placement.pk).exists()
    sees_family = role is not None and sitting.status == SittingStatus.PLANNED
    case = placement.family_case if sees_family else None
    referrals = list(support_selectors.referrals_of_case_granted(case)) if case is not None else []
    return render(
        request,
        "care/agenda_item.html",
        {
            "sitting": sitting,
            "item": item,
            "p": placement,
            "stay": selectors.stay_text(placement.admitted_on, today),
            "sees_child": sees_child,
            "sees_family": sees_family,
            "siblings": selectors.siblings(placement) if sees_child else [],
            "contacts": placement.contacts.all()[:20] if sees_child else [],
            "case": case,
            "case_open": case is not None and case.status != CaseStatus.CLOSED,
            "referrals": referrals,
            "form": form,
            "can_decide": can_decide and item.done_on is None,
            "can_confirm": role in (MemberRole.CHAIR, MemberRole.SECRETARY)
            and bool(item.decision)
            and item.done_on is None,
        },
    )


@require_POST
def confirm(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = user_of(request)
    sitting, item = _item(user, pk, item_pk)
    if not policies.sittings.allows(user, Action.CONFIRM, sitting):
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.decision_confirm(actor=user, item=item),
        success=_("You have confirmed the decision."),
        then=reverse("care:agenda_item", kwargs={"pk": sitting.pk, "item_pk": item.pk}),
    )


@require_POST
def sitting_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_allowed(user, Action.CHANGE, pk=pk)
    return post_action(
        request,
        lambda: services.sitting_close(actor=user, sitting=sitting),
        success=_("The sitting is closed."),
        then=reverse("care:sitting", kwargs={"pk": sitting.pk}),
    )


def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    sitting = policies.sittings.get_allowed(user, CarePolicyAction.PROTOCOL, pk=pk)
    items = list(selectors.agenda(sitting))
    members = [
        f"{m.user.get_full_name()} ({m.get_role_display()}, {m.user.agency})"
        for m in sitting.commission.members.filter(is_active=True).select_related("user__agency")
    ]
    access_log_record_many(
        actor=user, objs=[i.placement for i in items], purpose=f"care: protocol {sitting}"
    )
    stamp = pdf.stamp_for(user, f"№ {sitting.number}")
    return pdf_export(
        actor=user,
        what="care_protocol",
        filename=f"care-protocol-{sitting.number}.pdf",
        content=protocol.render(sitting, items, members, stamp),
        rows=len(items),
        obj=sitting,
    )
