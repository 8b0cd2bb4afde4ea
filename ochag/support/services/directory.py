"""Writes to the directory: the catalogue, providers and their services.

Providers and services are edited under optimistic locking: two people changing one
service's capacity at once do not overwrite each other silently; the second is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ochag.access.models import Agency, User
from ochag.core.models import Territory
from ochag.core.services import audit_record, changes_apply, locked_at_version
from ochag.support.models import (
    Delivery,
    Indicator,
    Provider,
    Service,
    ServiceType,
    SupportAction,
)


@transaction.atomic
def service_type_save(
    *,
    actor: User,
    service_type: ServiceType | None = None,
    code: str,
    name: str,
    plain_name: str = "",
    order: int = 100,
    is_active: bool = True,
) -> ServiceType:
    # Re-read: a model form has already written the typed values into its instance.
    row = (
        ServiceType.objects.select_for_update().get(pk=service_type.pk)
        if service_type is not None
        else ServiceType()
    )
    before = {"name": row.name, "is_active": row.is_active} if row.pk else {}
    row.code, row.name, row.plain_name = code.strip(), name.strip(), plain_name.strip()
    row.order, row.is_active = order, is_active
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=SupportAction.SERVICE_TYPE_SAVED,
        obj=row,
        detail={"before": before, "name": row.name, "is_active": row.is_active},
    )
    return row


def _check_leading_operator(provider: Provider) -> None:
    if not provider.is_leading_operator:
        return
    others = Provider.objects.filter(region=provider.region, is_leading_operator=True)
    if provider.pk:
        others = others.exclude(pk=provider.pk)
    current = others.first()
    if current is not None:
        raise ValidationError(
            {
                "is_leading_operator": _(
                    "The region already has a leading operator: %(name)s. Remove the mark "
                    "there first."
                )
                % {"name": current.name}
            }
        )


def _check_municipalities(region: Territory, municipalities: Iterable[Territory]) -> None:
    if any(m.region != region and m != region for m in municipalities):
        raise ValidationError(
            {"municipalities": _("A provider serves municipalities of its own region only.")}
        )


@transaction.atomic
def provider_create(
    *,
    actor: User,
    name: str,
    kind: str,
    territory: Territory,
    municipalities: Iterable[Territory],
    phone: str,
    agency: Agency | None = None,
    email: str = "",
    address: str = "",
    hours: str = "",
    website: str = "",
    is_leading_operator: bool = False,
    is_active: bool = True,
) -> Provider:
    region = territory.region or territory
    served = list(municipalities)
    provider = Provider(
        name=name.strip(),
        kind=kind,
        agency=agency,
        region=region,
        territory=territory,
        phone=phone.strip(),
        email=email,
        address=address.strip(),
        hours=hours.strip(),
        website=website,
        is_leading_operator=is_leading_operator,
        is_active=is_active,
    )
    _check_leading_operator(provider)
    provider.full_clean()
    _check_municipalities(region, served)
    provider.save()
    provider.municipalities.set(served)
    audit_record(
        actor=actor,
        action=SupportAction.PROVIDER_CREATED,
        obj=provider,
        territory=territory,
        detail={"municipalities": [m.pk for m in served]},
    )
    return provider


PROVIDER_FIELDS = (
    "name",
    "kind",
    "agency",
    "territory",
    "phone",
    "email",
    "address",
    "hours",
    "website",
    "is_leading_operator",
    "is_active",
)


@transaction.atomic
def provider_update(
    *,
    actor: User,
    provider: Provider,
    expected_version: int,
    municipalities: Iterable[Territory],
    **fields: Any,
) -> Provider:
    current = locked_at_version(Provider.objects, provider.pk, expected_version)
    changed = changes_apply(current, PROVIDER_FIELDS, fields)
    _check_leading_operator(current)
    current.full_clean()
    served = list(municipalities)
    _check_municipalities(current.region, served)
    current.version += 1
    current.save()
    current.municipalities.set(served)
    audit_record(
        actor=actor,
        action=SupportAction.PROVIDER_UPDATED,
        obj=current,
        detail={"changed": changed, "municipalities": [m.pk for m in served]},
    )
    return current


def _set_indicators(service: Service, indicators: Iterable[str]) -> list[str]:
    """Replace the standard's indicators by name, keeping those with delivery records."""
    names = [n.strip() for n in indicators if n.strip()]
    existing = {i.name: i for i in service.indicators.all()}
    for order, name in enumerate(names):
        row = existing.pop(name, None)
        if row is None:
            Indicator.objects.create(service=service, name=name, order=order)
        elif row.order != order:
            row.order = order
            row.save(update_fields=["order"])
    # An indicator some delivery was recorded against stays: the record must keep its meaning.
    used = set(
        Delivery.objects.filter(indicator__in=existing.values()).values_list(
            "indicator_id", flat=True
        )
    )
    for row in existing.values():
        if row.pk not in used:
            row.delete()
    return names


@transaction.atomic
def service_create(
    *,
    actor: User,
    provider: Provider,
    type: ServiceType,
    name: str,
    format: str,
    capacity: int,
    description: str = "",
    eligibility: str = "",
    cost_per_family_month: Decimal | None = None,
    standard_name: str = "",
    standard_criteria: str = "",
    indicators: Iterable[str] = (),
    is_active: bool = True,
) -> Service:
    service = Service(
        provider=provider,
        type=type,
        name=name.strip(),
        format=format,
        capacity=capacity,
        description=description.strip(),
        eligibility=eligibility.strip(),
        cost_per_family_month=cost_per_family_month,
        standard_name=standard_name.strip(),
        standard_criteria=standard_criteria.strip(),
        is_active=is_active,
    )
    service.full_clean()
    service.save()
    names = _set_indicators(service, indicators)
    audit_record(
        actor=actor,
        action=SupportAction.SERVICE_CREATED,
        obj=service,
        territory=provider.territory,
        detail={"capacity": capacity, "indicators": names},
    )
    return service


SERVICE_FIELDS = (
    "type",
    "name",
    "format",
    "capacity",
    "description",
    "eligibility",
    "cost_per_family_month",
    "standard_name",
    "standard_criteria",
    "is_active",
)


@transaction.atomic
def service_update(
    *,
    actor: User,
    service: Service,
    expected_version: int,
    indicators: Iterable[str],
    **fields: Any,
) -> Service:
    """Save the service unless someone saved it since ``expected_version`` was read (two
    people editing the capacity at once: the second is told, nothing is overwritten)."""
    current = locked_at_version(
        Service.objects.select_related("provider"), service.pk, expected_version
    )
    changed = changes_apply(current, SERVICE_FIELDS, fields)
    current.full_clean()
    current.version += 1
    current.save()
    names = _set_indicators(current, indicators)
    audit_record(
        actor=actor,
        action=SupportAction.SERVICE_UPDATED,
        obj=current,
        territory=current.provider.territory,
        detail={"changed": changed, "indicators": names},
    )
    return current
