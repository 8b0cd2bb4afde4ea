"""Routing rules (regional coordinator)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.policies import agencies as agency_policy
from ochag.access.requests import user_of
from ochag.core.form_views import post_action, submit
from ochag.core.policies import Action
from ochag.core.tables import Column, Table
from ochag.signals import services
from ochag.signals.forms import RoutingRuleForm
from ochag.signals.policies import rules
from ochag.signals.views.common import region_of


def rule_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rules.require(user, Action.VIEW)
    table = Table(
        request=request,
        queryset=rules.visible(user),
        columns=[
            Column(_("Track"), "track"),
            Column(_("Municipality"), "territory__name", key="territory"),
            Column(_("Agency type"), "agency_type"),
            Column(_("Agency"), "agency__name", key="agency"),
        ],
        default_sort="track",
        caption=_("Routing rules"),
    )
    return render(
        request,
        "signals/rule_list.html",
        {"table": table, "can_edit": rules.allows(user, Action.CREATE)},
    )


def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    region = region_of(user)
    instance = rules.changeable_or_new(user, pk)
    if region is None:
        raise PermissionDenied
    form = RoutingRuleForm(
        request.POST or None, instance=instance, region=region, agencies=agency_policy.visible(user)
    )
    done = submit(
        request,
        form,
        lambda _data: services.routing_rule_save(actor=user, rule=form.instance),
        success=_("The routing rule is saved."),
        then=lambda _saved: reverse("signals:rules"),
    )
    return done or render(request, "signals/rule_form.html", {"form": form, "rule": instance})


@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    rule = rules.get_changeable(user, pk=pk)
    return post_action(
        request,
        lambda: services.routing_rule_delete(actor=user, rule=rule),
        success=_("The routing rule is deleted."),
        then=reverse("signals:rules"),
    )
