"""Files attached to a signal: type checked by content, stored privately."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ochag.signals.models import Attachment, Signal

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
}
# Magic numbers, so a renamed executable is not accepted as a PDF.
_MAGIC = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8",
    "image/png": b"\x89PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def attachment_check(upload: UploadedFile) -> str:
    """The upload's content type if it may be attached; ValidationError otherwise."""
    content_type = (upload.content_type or "").split(";")[0].strip()
    if content_type not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "attachments": [
                    _("File %(name)s: only PDF, JPEG, PNG, DOCX or TXT files can be attached.")
                    % {"name": upload.name}
                ]
            }
        )
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachments": [_("File %(name)s is larger than 10 MB.") % {"name": upload.name}]}
        )
    head = upload.read(8)
    upload.seek(0)
    magic = _MAGIC.get(content_type)
    if magic is not None and not head.startswith(magic):
        raise ValidationError(
            {"attachments": [_("File %(name)s is not what its type says.") % {"name": upload.name}]}
        )
    return content_type


def attachment_store(signal: Signal, upload: UploadedFile) -> Attachment:
    content_type = attachment_check(upload)
    name = (upload.name or "file")[-200:]
    attachment = Attachment(
        signal=signal, name=name, content_type=content_type, size=upload.size or 0
    )
    attachment.file.save(
        f"{secrets.token_hex(16)}{ALLOWED_ATTACHMENT_TYPES[content_type]}", upload, save=False
    )
    attachment.save()
    return attachment
