"""Brothers and sisters in the bank (СК 124 п. 3): placed together unless the guardianship
body's decision (its document and date) allows placing them apart. The matching engine
reads ``must_be_together``; a group without a recorded decision cannot be set apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.services import audit_record, locked_at_version
from ochag.databank.models import ChildProfile, ChildStatus, DatabankAction, SiblingGroup


def _decision(
    must_be_together: bool, document: str, on: dt.date | None
) -> tuple[str, dt.date | None]:
    document = document.strip()
    if must_be_together:
        return document, on
    errors = {}
    if not document:
        errors["separation_document"] = _(
            "Placing brothers and sisters apart needs the decision's document and number."
        )
    if on is None:
        errors["separation_on"] = _("Placing brothers and sisters apart needs the decision's date.")
    if errors:
        raise ValidationError(errors)
    return document, on


@transaction.atomic
def siblings_join(
    *,
    actor: User,
    children: Sequence[ChildProfile],
    must_be_together: bool = True,
    document: str = "",
    on: dt.date | None = None,
) -> SiblingGroup:
    """Put brothers and sisters into one group; apart only with a recorded decision."""
    if len({c.pk for c in children}) < 2:
        raise ValidationError(_("A sibling group needs at least two children."))
    if len({c.region_id for c in children}) > 1:
        raise ValidationError(_("Brothers and sisters of one group are in one region's bank."))
    if any(c.siblings_id is not None for c in children):
        raise ValidationError(_("A child is already in a sibling group: add to that group."))
    document, on = _decision(must_be_together, document, on)
    group = SiblingGroup.objects.create(
        region_id=children[0].region_id,
        must_be_together=must_be_together,
        separation_document=document,
        separation_on=on,
    )
    ChildProfile.objects.filter(pk__in=[c.pk for c in children]).update(siblings=group)
    audit_record(
        actor=actor,
        action=DatabankAction.SIBLINGS_SAVED,
        obj=group,
        territory=children[0].region,
        detail={"children": sorted(c.pk for c in children), "together": must_be_together},
    )
    return group


@transaction.atomic
def sibling_group_update(
    *,
    actor: User,
    group: SiblingGroup,
    version: int,
    must_be_together: bool,
    document: str = "",
    on: dt.date | None = None,
) -> SiblingGroup:
    """Record (or withdraw) the decision to place the group apart."""
    locked = locked_at_version(SiblingGroup.objects, group.pk, version)
    document, on = _decision(must_be_together, document, on)
    before = locked.must_be_together
    locked.must_be_together = must_be_together
    locked.separation_document = "" if must_be_together else document
    locked.separation_on = None if must_be_together else on
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=DatabankAction.SIBLINGS_SAVED,
        obj=locked,
        territory=locked.region,
        detail={
            "together": [before, must_be_together],
            "document": locked.separation_document,
            "on": on.isoformat() if on and not must_be_together else "",
        },
    )
    return locked


@transaction.atomic
def sibling_add(*, actor: User, group: SiblingGroup, child: ChildProfile) -> SiblingGroup:
    if child.siblings_id is not None:
        raise ValidationError({"child": _("The child is already in a sibling group.")})
    if child.region_id != group.region_id:
        raise ValidationError({"child": _("The child is in another region's bank.")})
    if child.status != ChildStatus.SEARCHING:
        raise ValidationError({"child": _("The child is not looking for a family.")})
    ChildProfile.objects.filter(pk=child.pk).update(siblings=group)
    SiblingGroup.objects.filter(pk=group.pk).update(version=F("version") + 1)
    audit_record(
        actor=actor,
        action=DatabankAction.SIBLINGS_SAVED,
        obj=group,
        territory=group.region,
        detail={"added": child.pk},
    )
    return group


@transaction.atomic
def sibling_remove(*, actor: User, group: SiblingGroup, child: ChildProfile) -> SiblingGroup | None:
    """Take a child out of the group (recorded in error, not a brother or sister); a group
    left with one child is dissolved. Returns the group, or None when dissolved."""
    if child.siblings_id != group.pk:
        raise ValidationError(_("The child is not in this group."))
    ChildProfile.objects.filter(pk=child.pk).update(siblings=None)
    left = ChildProfile.objects.filter(siblings=group)
    detail: dict[str, object] = {"removed": child.pk}
    if left.count() < 2:
        left.update(siblings=None)
        detail["dissolved"] = True
    audit_record(
        actor=actor,
        action=DatabankAction.SIBLINGS_SAVED,
        obj=group,
        territory=group.region,
        detail=detail,
    )
    if detail.get("dissolved"):
        group.delete()
        return None
    SiblingGroup.objects.filter(pk=group.pk).update(version=F("version") + 1)
    return group
