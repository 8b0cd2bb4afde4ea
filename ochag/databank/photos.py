"""Children's photos: checked, cleaned and kept where only the service user can read them.

An upload is accepted only when its first bytes say JPEG or PNG *and* Pillow opens it as
that format within the size limits; it is then re-encoded from its pixels alone, so EXIF
(camera, time, GPS of where the photo was taken), XMP, ICC and text chunks never reach
the disk. The orientation EXIF asked for is applied to the pixels first. Files go under
``PRIVATE_MEDIA_ROOT/databank/photos/`` with a random name, mode 0600 in 0700 folders.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 1600  # kept no larger: a profile photo, not an archive
MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


class PrivatePhotoStorage(FileSystemStorage):
    """Under the private media root (read on every use, so tests and deployments may move
    it); no public URL exists."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


storage = PrivatePhotoStorage()


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    width: int
    height: int
    name: str


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce (JPEG or PNG), or None."""
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def clean(upload: Any) -> CleanPhoto:
    """Check an uploaded file and return its pixels re-encoded without metadata.
    Raises ValidationError in Russian (nothing is kept of a refused file)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The photo is larger than 5 MB."))
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(_("Only JPEG or PNG photos are accepted."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != kind:
                    raise ValidationError(_("Only JPEG or PNG photos are accepted."))
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("The photo has too many pixels."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as exc:
        raise ValidationError(_("The file is not a readable JPEG or PNG image.")) from exc
    return _encode(upright, kind)


def _encode(image: Image.Image, kind: str) -> CleanPhoto:
    mode = "RGB" if kind == "JPEG" else ("RGBA" if "A" in image.getbands() else "RGB")
    # A fresh image from the pixels alone: no info dict, EXIF, ICC or text chunks.
    pixels = Image.new(mode, image.size)
    pixels.paste(image.convert(mode))
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "JPEG":
        pixels.save(out, format="JPEG", quality=88, optimize=True)
    else:
        pixels.save(out, format="PNG", optimize=True)
    ext = "jpg" if kind == "JPEG" else "png"
    return CleanPhoto(
        content=out.getvalue(),
        content_type=CONTENT_TYPES[kind],
        width=pixels.width,
        height=pixels.height,
        name=f"{uuid.uuid4().hex}.{ext}",
    )
