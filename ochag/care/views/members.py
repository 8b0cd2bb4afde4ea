"""The placement commission's membership screen: members from several agencies, the chair
and the secretary; seated, given another role or removed (audited) by the region's
coordinator or the commission's secretary. Members see the screen read-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import AGGREGATE_ONLY_ROLES, User
from ochag.access.requests import user_of
from ochag.care import policies, selectors
from ochag.care.forms import CommissionForm, MemberForm
from ochag.care.models import Commission, CommissionMember, MemberRole
from ochag.care.services import members as services
from ochag.core.form_views import post_action, submit
from ochag.core.policies import Action


def _staff(commission: Commission) -> QuerySet[User]:
    """Who may be seated: active staff of the region's agencies who see personal data, not
    seated already."""
    seated = commission.members.filter(is_active=True).values("user_id")
    return (
        User.objects.filter(
            is_active=True, agency__territory__path__startswith=commission.region.path
        )
        .exclude(role__in=AGGREGATE_ONLY_ROLES)
        .exclude(pk__in=seated)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )


def commission_list(request: HttpRequest) -> HttpResponse:
    """The commissions the user sees; the coordinator sets one up when the region has none."""
    user = user_of(request)
    if not user.sees_personal_data:
        raise PermissionDenied
    rows = policies.commissions.visible(user).order_by("name")
    can_create = policies.commissions.allows(user, Action.CREATE)
    form = CommissionForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        scope = user.scope_territory
        region = scope.region if scope is not None else None
        if region is None:
            raise PermissionDenied
        done = submit(
            request,
            form,
            lambda data: services.commission_create(actor=user, region=region, **data),
            success=_("The commission is set up. Now seat its members."),
            then=lambda made: reverse("care:commission", args=[made.pk]),
        )
        if done:
            return done
    return render(
        request,
        "care/commission_list.html",
        {"commissions": rows, "can_create": can_create, "form": form},
    )


def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    commission = policies.commissions.get_visible(user, pk=pk)
    can_change = policies.commissions.allows(user, Action.CHANGE, commission)
    form = MemberForm(staff=_staff(commission))
    return render(
        request,
        "care/commission_detail.html",
        _context(commission, can_change, form),
    )


def _context(commission: Commission, can_change: bool, form: MemberForm) -> dict[str, object]:
    current = list(selectors.members(commission))
    return {
        "commission": commission,
        "members": current,
        "agencies": len({m.user.agency_id for m in current}),
        "former": commission.members.filter(is_active=False).select_related("user__agency"),
        "problems": selectors.commission_problems(commission),
        "can_change": can_change,
        "form": form,
        "roles": MemberRole.choices,
    }


def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    commission = policies.commissions.get_allowed(user, Action.CHANGE, pk=pk)
    back = reverse("care:commission", args=[commission.pk])
    if request.method != "POST":
        return redirect(back)
    form = MemberForm(request.POST, staff=_staff(commission))
    done = submit(
        request,
        form,
        lambda data: services.member_add(actor=user, commission=commission, **data),
        success=lambda member: (
            _("%(name)s is seated on the commission.")
            % {"name": member.user.get_full_name() or member.user.username}
        ),
        then=lambda _member: back,
    )
    return done or render(request, "care/commission_detail.html", _context(commission, True, form))


def _member(user: User, pk: int, member_pk: int) -> CommissionMember:
    commission = policies.commissions.get_allowed(user, Action.CHANGE, pk=pk)
    try:
        return commission.members.select_related("user", "commission").get(pk=member_pk)
    except CommissionMember.DoesNotExist as exc:
        raise Http404 from exc


@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = user_of(request)
    member = _member(user, pk, member_pk)
    return post_action(
        request,
        lambda: services.member_role_set(
            actor=user, member=member, role=request.POST.get("role", "")
        ),
        success=_("The commission's membership is saved."),
        then=reverse("care:commission", args=[pk]),
    )


@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = user_of(request)
    member = _member(user, pk, member_pk)
    return post_action(
        request,
        lambda: services.member_remove(actor=user, member=member),
        success=_("The member has left the commission."),
        then=reverse("care:commission", args=[pk]),
    )
