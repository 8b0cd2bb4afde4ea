"""The child's photo with consent: who gave it, on which day, for which purposes. The file
is checked and stripped of metadata (ochag/databank/photos.py) before anything is written;
a replaced or withdrawn photo's file is deleted once the change has committed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ochag.access.models import User
from ochag.core.services import audit_record
from ochag.databank import photos
from ochag.databank.models import ChildPhoto, ChildProfile, DatabankAction, PhotoPurpose


def _delete_later(name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: photos.storage.delete(name))


@transaction.atomic
def photo_save(
    *,
    actor: User,
    child: ChildProfile,
    upload: Any,
    consent_by: str,
    consent_on: dt.date,
    purposes: Sequence[str],
) -> ChildPhoto:
    """Keep the photo with the consent recorded; a previous photo is replaced."""
    errors: dict[str, str] = {}
    if not consent_by.strip():
        errors["consent_by"] = _("Say who gave the consent (name and capacity).")
    if consent_on > timezone.localdate():
        errors["consent_on"] = _("The consent cannot be given in the future.")
    wanted = set(purposes)
    if PhotoPurpose.PROFILE not in wanted:
        errors["purposes"] = _("A photo is kept only with consent to show it in the profile.")
    if wanted - set(PhotoPurpose.values):
        errors["purposes"] = _("Unknown purpose of the consent.")
    if errors:
        raise ValidationError(errors)
    clean = photos.clean(upload)  # raises before anything is written
    old = ChildPhoto.objects.select_for_update().filter(child=child).first()
    if old is not None:
        _delete_later(old.file.name)
        old.delete()
    photo = ChildPhoto(
        child=child,
        token=uuid.uuid4().hex,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        consent_by=consent_by.strip(),
        consent_on=consent_on,
        purposes=sorted(wanted),
        uploaded_by=actor,
    )
    photo.file.save(clean.name, ContentFile(clean.content), save=False)
    try:
        photo.save()
        audit_record(
            actor=actor,
            action=DatabankAction.PHOTO_SAVED,
            obj=child,
            detail={
                "consent_by": photo.consent_by,
                "consent_on": consent_on.isoformat(),
                "purposes": photo.purposes,
                "replaced": old is not None,
            },
        )
    except BaseException:
        photos.storage.delete(str(photo.file.name))  # nothing of a failed save stays on disk
        raise
    return photo


@transaction.atomic
def photo_remove(*, actor: User, child: ChildProfile, reason: str) -> None:
    """Consent withdrawn (or the photo no longer right): the photo and its file go."""
    photo = ChildPhoto.objects.select_for_update().filter(child=child).first()
    if photo is None:
        raise ValidationError(_("The child has no photo."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the photo is removed.")})
    _delete_later(photo.file.name)
    photo.delete()
    audit_record(
        actor=actor,
        action=DatabankAction.PHOTO_REMOVED,
        obj=child,
        detail={"reason": reason.strip()},
    )
