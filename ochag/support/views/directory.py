"""Staff screens of the directory: providers, their services, the regional catalogue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.policies import agencies as agency_policy
from ochag.access.policies import territories as territory_policy
from ochag.access.requests import user_of
from ochag.core.exports import pdf_export, table_export
from ochag.core.form_views import submit, versioned_submit
from ochag.core.policies import Action
from ochag.core.tables import Column, Filter, Table
from ochag.support import policies, selectors
from ochag.support import regional_list as regional
from ochag.support.forms import ProviderForm, ServiceForm, ServiceTypeForm
from ochag.support.models import Provider, ProviderKind, Service
from ochag.support.services import directory


def provider_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    table = Table(
        request=request,
        queryset=policies.providers.visible(user),
        columns=[
            Column(_("Name"), "name"),
            Column(_("Kind"), "kind"),
            Column(_("Located in"), "territory__name", key="territory"),
            Column(_("Phone")),
            Column(_("Status")),
        ],
        default_sort="name",
        search_fields=("name",),
        filters=[Filter("kind", _("Kind"), ProviderKind.choices, lambda qs, v: qs.filter(kind=v))],
        caption=_("Providers of services"),
    )
    return render(
        request,
        "support/provider_list.html",
        {
            "table": table,
            "can_create": policies.providers.allows(user, Action.CREATE),
            "can_export": policies.providers.allows(user, Action.EXPORT),
            "can_edit_catalogue": policies.service_types.allows(user, Action.CHANGE),
        },
    )


def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    provider = policies.providers.get_visible(user, pk=pk)
    can_change = policies.providers.allows(user, Action.CHANGE, provider)
    return render(
        request,
        "support/provider_detail.html",
        {
            "provider": provider,
            "municipalities": provider.municipalities.order_by("name"),
            "services": selectors.provider_services(user, provider).prefetch_related("indicators"),
            "can_change": can_change,
        },
    )


def provider_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    provider = policies.providers.changeable_or_new(user, pk)

    def make_form(data: QueryDict | None) -> ProviderForm:
        return ProviderForm(
            data,
            instance=provider,
            territories=territory_policy.visible(user),
            agencies=agency_policy.visible(user),
        )

    def save(data: dict[str, Any]) -> Provider:
        data = dict(data)
        version = data.pop("version")
        if provider is None:
            return directory.provider_create(actor=user, **data)
        return directory.provider_update(
            actor=user, provider=provider, expected_version=version or 0, **data
        )

    step = versioned_submit(
        request,
        make_form,
        save,
        success=_("The provider is added.") if provider is None else _("Changes are saved."),
        then=lambda saved: reverse("support:provider", args=[saved.pk]),
        conflict_message=_(
            "Someone else has changed this provider meanwhile. Reload the page to see "
            "their changes; your entries are kept below."
        ),
    )
    return step.response or render(
        request, "support/provider_form.html", {"form": step.form, "provider": provider}
    )


def service_form(
    request: HttpRequest, provider_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    user = user_of(request)
    if pk is None:
        provider = policies.providers.get_changeable(user, pk=provider_pk)
        policies.services.require_create(user)
        service = None
    else:
        service = policies.services.get_changeable(user, pk=pk)
        provider = service.provider

    def save(data: dict[str, Any]) -> Service:
        data = dict(data)
        version = data.pop("version")
        if service is None:
            return directory.service_create(actor=user, provider=provider, **data)
        return directory.service_update(
            actor=user, service=service, expected_version=version or 0, **data
        )

    step = versioned_submit(
        request,
        lambda data: ServiceForm(data, instance=service),
        save,
        success=_("The service is added.") if service is None else _("Changes are saved."),
        then=lambda _saved: reverse("support:provider", args=[provider.pk]),
        conflict_message=lambda current: (
            _(
                "Someone else has changed this service meanwhile (capacity now: "
                "%(capacity)s). Your entries are kept below; check them and save again."
            )
            % {"capacity": current.capacity}
        ),
    )
    return step.response or render(
        request,
        "support/service_form.html",
        {"form": step.form, "service": service, "provider": provider},
    )


def catalogue(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "support/catalogue.html",
        {
            "types": policies.service_types.visible(user),
            "can_change": policies.service_types.allows(user, Action.CHANGE),
        },
    )


def service_type_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    row = policies.service_types.changeable_or_new(user, pk)
    form = ServiceTypeForm(request.POST or None, instance=row)
    done = submit(
        request,
        form,
        lambda data: directory.service_type_save(actor=user, service_type=row, **data),
        success=_("The catalogue is saved."),
        then=lambda _saved: reverse("support:catalogue"),
    )
    return done or render(request, "support/service_type_form.html", {"form": form, "row": row})


def regional_list(request: HttpRequest, file_format: str) -> HttpResponse:
    """The regional list of services, XLSX or PDF, grouped by municipality and type."""
    user = user_of(request)
    policies.providers.require(user, Action.EXPORT)
    scope = user.scope_territory
    region = (scope.region or scope) if scope is not None else None
    services = list(selectors.regional_list(user))
    stamp = timezone.localtime()
    name = f"regional-services-{stamp:%Y-%m-%d}"
    what = _("Regional list of services")
    if file_format == "xlsx":
        return table_export(
            actor=user,
            what=what,
            filename=f"{name}.xlsx",
            header=regional.header(),
            rows=regional.rows(services),
        )
    content = regional.pdf(services, region=str(region or ""), printed_at=stamp)
    return pdf_export(
        actor=user, what=what, filename=f"{name}.pdf", content=content, rows=len(services)
    )
