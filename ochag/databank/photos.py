"""Children's photos: checked, cleaned and kept where only the service user can read them.

An upload is accepted only when its first bytes say JPEG or PNG *and* Pillow opens it as
that format within the size limits; it is then re-encoded from its pixels alone, so EXIF
(camera, time, GPS of where the photo was taken), XMP, ICC and text chunks never reach
the disk. The orientation EXIF asked for is applied to the pixels first. Without Pillow
the file is checked by its bytes alone (magic, a well-formed segment or chunk structure, its
size from the header) and the metadata segments or chunks are cut out instead (the
orientation is then lost with EXIF). Files go under
``PRIVATE_MEDIA_ROOT/databank/photos/`` with a random name, mode 0600 in 0700 folders.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ochag.core.storage import PrivateStorage

try:  # Pillow is in the lock files (via reportlab); without it, the byte-level path below.
    from PIL import Image, ImageOps

    HAS_PILLOW = True
except ImportError:  # pragma: no cover - exercised by the test that switches HAS_PILLOW off
    HAS_PILLOW = False

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 1600  # kept no larger: a profile photo, not an archive
MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


class PrivatePhotoStorage(PrivateStorage):
    """Private storage readable by the service's own account only."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)


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
    if not HAS_PILLOW:
        return _clean_bytes(data, kind)
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


# --- without Pillow: the bytes alone -------------------------------------------------------

_JPEG_DROP = {0xFE, *range(0xE1, 0xF0)}  # COM and APP1..APP15 (EXIF, XMP, ICC, Photoshop…)
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"iCCP"}


def _unreadable() -> ValidationError:
    return ValidationError(_("The file is not a readable JPEG or PNG image."))


def _clean_bytes(data: bytes, kind: str) -> CleanPhoto:
    content, width, height = _jpeg_strip(data) if kind == "JPEG" else _png_strip(data)
    if not (width and height):
        raise _unreadable()
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The photo has too many pixels."))
    ext = "jpg" if kind == "JPEG" else "png"
    return CleanPhoto(content, CONTENT_TYPES[kind], width, height, f"{uuid.uuid4().hex}.{ext}")


def _jpeg_strip(data: bytes) -> tuple[bytes, int, int]:
    """Keep the segments that draw the picture, drop comments and APP1..15; the size from
    the frame header. Malformed structure is refused."""
    out = bytearray(data[:2])
    width = height = 0
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise _unreadable()
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the compressed picture follows to the end
            out += data[pos:]
            return bytes(out), width, height
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise _unreadable()
        if marker in _JPEG_SOF and length >= 7:
            height = int.from_bytes(data[pos + 5 : pos + 7], "big")
            width = int.from_bytes(data[pos + 7 : pos + 9], "big")
        if marker not in _JPEG_DROP:
            out += data[pos:end]
        pos = end
    raise _unreadable()


def _png_strip(data: bytes) -> tuple[bytes, int, int]:
    out = bytearray(data[:8])
    width = height = 0
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise _unreadable()
        if kind == b"IHDR" and length >= 8:
            width = int.from_bytes(data[pos + 8 : pos + 12], "big")
            height = int.from_bytes(data[pos + 12 : pos + 16], "big")
        if kind not in _PNG_DROP:
            out += data[pos:end]
        if kind == b"IEND":
            return bytes(out), width, height
        pos = end
    raise _unreadable()
