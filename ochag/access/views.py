"""Sign-in, two-factor authentication, and the screens to manage agencies and staff."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ochag.access import lockout, policies, services
from ochag.access.addresses import client_address
from ochag.access.forms import AgencyForm, LoginForm, TotpForm, UserForm, region_territories
from ochag.access.middleware import SESSION_KEY
from ochag.access.models import AgencyType, Role, User
from ochag.access.requests import user_of
from ochag.core.form_views import post_action, submit
from ochag.core.models import AuditAction
from ochag.core.policies import Action
from ochag.core.services import audit_record
from ochag.core.tables import Column, Filter, Table


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


_REFUSALS = {
    # The same words whether or not the login exists, so logins cannot be guessed.
    lockout.Refusal.WRONG: gettext_lazy("The login or the password is wrong."),
    lockout.Refusal.LOCKED: gettext_lazy(
        "Too many failed attempts: the account with this login is locked for a while. "
        "If it is your account, open the link e-mailed to its address to sign in from this "
        "browser, or ask your administrator to unlock it."
    ),
    lockout.Refusal.ADDRESS: gettext_lazy(
        "Too many sign-in attempts from your network. Try again in a few minutes."
    ),
}


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = lockout.password_attempt(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            address=client_address(request),
            device_cookie=request.COOKIES.get(lockout.DEVICE_COOKIE),
        )
        if attempt.user is not None:
            login(request, attempt.user)
            response = redirect(_safe_next(request))
            if attempt.key == lockout.login_key(attempt.user.username):
                _set_device_cookie(request, response, attempt.user.username)
            return response
        assert attempt.refusal is not None
        form.add_error(None, str(_REFUSALS[attempt.refusal]))
    return render(
        request,
        "access/login.html",
        {"form": form, "next": _safe_next(request), "expired": "expired" in request.GET},
    )


def _set_device_cookie(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Remember that this browser signed in with this login (see lockout.py)."""
    response.set_cookie(
        lockout.DEVICE_COOKIE,
        lockout.device_cookie_value(username),
        max_age=lockout.DEVICE_MAX_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
    )


@login_not_required
def unlock(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: a button (not the GET itself, which mail scanners follow) makes this
    browser a trusted device for the login."""
    member = lockout.unlock_token_user(token)
    if member is None:
        return render(request, "access/unlock.html", {"valid": False}, status=404)
    if request.method == "POST":
        response = redirect("access:login")
        _set_device_cookie(request, response, member.username)
        lockout.device_trust_by_link(user=member)
        messages.success(request, _("This browser can now sign in with your login."))
        return response
    return render(request, "access/unlock.html", {"valid": True, "login": member.username})


@require_POST
@login_not_required
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        with transaction.atomic():
            audit_record(actor=request.user, action=AuditAction.LOGOUT, obj=request.user)
    logout(request)
    return redirect("access:login")


@require_POST
def keepalive(request: HttpRequest) -> JsonResponse:
    """Reaching the view is enough: a request the person made renews the idle stamp."""
    return JsonResponse({"ok": True})


def totp_setup(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.requires_two_factor or user.totp_confirmed_at is not None:
        return redirect("access:totp_verify" if user.requires_two_factor else "core:home")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_enrolment_confirm(user=user, code=form.cleaned_data["code"]):
            request.session[SESSION_KEY] = user.pk
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("core:home")
        form.add_error(
            "code",
            _("The code does not match. Check the time on your phone and try the next code."),
        )
    if request.method == "GET" or not user.totp_secret:
        services.totp_secret_issue(user=user)
    uri = f"otpauth://totp/Ochag:{user.username}?secret={user.totp_secret}&issuer=Ochag"
    qr_svg = segno.make(uri, error="m").svg_inline(
        scale=5, title=_("QR code for the authenticator app")
    )
    return render(
        request,
        "access/totp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": user.totp_secret},
    )


def totp_verify(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not user.requires_two_factor:
        return redirect("core:home")
    if user.totp_confirmed_at is None:
        return redirect("access:totp_setup")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = request.COOKIES.get(lockout.DEVICE_COOKIE)
        place = lockout.code_attempt(user=user, device_cookie=device)
        if place is not None and services.totp_code_check(
            user=user, code=form.cleaned_data["code"]
        ):
            lockout.code_passed(user=user, device_cookie=device)
            request.session.cycle_key()
            request.session[SESSION_KEY] = user.pk
            return redirect(_safe_next(request))
        if (
            place is None
            or lockout.code_failed(user=user, device_cookie=device, place=place)
            is lockout.Refusal.LOCKED
        ):
            logout(request)
            messages.error(
                request, _("Too many failed attempts. The account is locked for a while.")
            )
            return redirect("access:login")
        form.add_error("code", _("The code does not match. Try the next code from the app."))
    return render(request, "access/totp_verify.html", {"form": form, "next": _safe_next(request)})


# Agencies -------------------------------------------------------------------------------


def agency_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    table = Table(
        request=request,
        queryset=policies.agencies.visible(user),
        columns=[
            Column(_("Name"), "name"),
            Column(_("Type"), "type"),
            Column(_("Territory"), "territory__name", key="territory"),
            Column(_("Status")),
        ],
        default_sort="name",
        search_fields=("name", "short_name"),
        filters=[Filter("type", _("Type"), AgencyType.choices, lambda qs, v: qs.filter(type=v))],
        caption=_("Agencies"),
    )
    return render(
        request,
        "access/agency_list.html",
        {
            "table": table,
            "can_create": policies.agencies.allows(user, Action.CREATE),
        },
    )


def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agency = policies.agencies.get_visible(user, pk=pk)
    staff = policies.users.visible(user).filter(agency=agency)
    return render(
        request,
        "access/agency_detail.html",
        {
            "agency": agency,
            "staff": staff,
            "can_change": policies.agencies.allows(user, Action.CHANGE, agency),
            "can_see_tokens": policies.agency_tokens.allows(user, Action.VIEW),
        },
    )


def agency_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    agency = policies.agencies.changeable_or_new(user, pk)
    scope = user.scope_territory
    form = AgencyForm(
        request.POST or None,
        instance=agency,
        territories=region_territories(scope.region if scope else None),
    )
    done = submit(
        request,
        form,
        lambda data: (
            services.agency_create(actor=user, **data)
            if agency is None
            else services.agency_update(actor=user, agency=agency, **data)
        ),
        success=_("The agency is created.") if agency is None else _("Changes are saved."),
        then=lambda saved: reverse("access:agency_detail", args=[saved.pk]),
    )
    return done or render(request, "access/agency_form.html", {"form": form, "agency": agency})


# Staff ----------------------------------------------------------------------------------


def user_list(request: HttpRequest) -> HttpResponse:
    viewer = user_of(request)
    table = Table(
        request=request,
        queryset=policies.users.visible(viewer),
        columns=[
            Column(_("Full name"), "last_name", key="name"),
            Column(_("Login"), "username"),
            Column(_("Role"), "role"),
            Column(_("Agency"), "agency__name", key="agency"),
            Column(_("Status")),
        ],
        default_sort="name",
        search_fields=("last_name", "first_name", "username"),
        filters=[Filter("role", _("Role"), Role.choices, lambda qs, v: qs.filter(role=v))],
        caption=_("Staff"),
    )
    return render(
        request,
        "access/user_list.html",
        {
            "table": table,
            "can_create": policies.users.allows(viewer, Action.CREATE),
        },
    )


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = user_of(request)
    member = policies.users.get_visible(viewer, pk=pk)
    return render(
        request,
        "access/user_detail.html",
        {
            "member": member,
            "can_change": policies.users.allows(viewer, Action.CHANGE, member),
        },
    )


def user_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    viewer = user_of(request)
    member = policies.users.changeable_or_new(viewer, pk)
    form = UserForm(
        request.POST or None, instance=member, agencies=policies.agencies.visible(viewer)
    )

    def save(data: dict[str, Any]) -> User:
        data = dict(data)
        password = data.pop("password")
        if member is None:
            data.pop("is_active")
            return services.user_create(actor=viewer, password=password, **data)
        services.user_update(actor=viewer, user=member, **data)
        if password:
            services.user_password_reset(
                actor=viewer,
                user=member,
                password=password,
                keep_session_key=request.session.session_key,
            )
            if member.pk == viewer.pk:
                # The own password: this session stays signed in under the new one.
                update_session_auth_hash(request, member)
        return member

    done = submit(
        request,
        form,
        save,
        success=_("The account is created.") if member is None else _("Changes are saved."),
        then=lambda saved: reverse("access:user_detail", args=[saved.pk]),
    )
    return done or render(request, "access/user_form.html", {"form": form, "member": member})


@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = user_of(request)
    member = policies.users.get_changeable(viewer, pk=pk)
    return post_action(
        request,
        lambda: lockout.account_unlock(actor=viewer, user=member),
        success=_("The account is unlocked."),
        then=reverse("access:user_detail", kwargs={"pk": member.pk}),
    )
