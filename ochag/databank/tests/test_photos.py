"""The child's photo with consent: checked and stripped on upload, kept privately, served only
through policy-checked views that log the read; anonymised only with consent for it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from ochag.conftest import Cast
from ochag.core.models import AccessLogEntry, AuditEvent
from ochag.databank import photos, services
from ochag.databank.models import ChildPhoto, PhotoPurpose
from ochag.databank.tests.conftest import Bank

pytestmark = pytest.mark.django_db

CAMERA = "SecretCam-9000"


def jpeg_with_exif(width: int = 40, height: int = 20, orientation: int = 6) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0112] = orientation  # Orientation: 6 = the camera was turned (rotate 90° on show)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def form_data(content: bytes, purposes: list[str] | None = None, name: str = "p.jpg") -> dict:  # type: ignore[type-arg]
    return {
        "photo": upload(content, name),
        "consent_by": "Иванова М. П., опекун",
        "consent_on": timezone.localdate().strftime("%d.%m.%Y"),
        "purposes": purposes or [PhotoPurpose.PROFILE],
    }


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_strips_metadata_applies_orientation_and_keeps_the_file_private(
    cast: Cast, bank: Bank, client_for, _private_media: Path
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:photo_upload", args=[bank.child.pk])
    assert client_for(cast.worker_a).get(url).status_code == 200
    response = client_for(cast.worker_a).post(url, form_data(jpeg_with_exif()))
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = ChildPhoto.objects.get(child=bank.child)
    (path,) = stored_files(_private_media)
    data = path.read_bytes()
    assert CAMERA.encode() not in data
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (20, 40)  # turned upright, then the orientation tag dropped
    assert (photo.width, photo.height, photo.content_type) == (20, 40, "image/jpeg")
    assert path.name.endswith(".jpg") and "p.jpg" not in path.name  # a random name
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    with pytest.raises(ValueError, match="no public URL"):
        photos.storage.url(photo.file.name)
    # The consent is recorded: who gave it, when, for what, who uploaded.
    assert photo.consent_by == "Иванова М. П., опекун"
    assert photo.consent_on == timezone.localdate()
    assert photo.purposes == [PhotoPurpose.PROFILE] and photo.uploaded_by == cast.worker_a
    event = AuditEvent.objects.get(action="databank_photo_saved", object_id=str(bank.child.pk))
    assert event.detail["consent_by"] == "Иванова М. П., опекун"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a photo at all", "JPEG или PNG"),
        (b"\xff\xd8\xff\xe0" + b"garbage" * 20, "не читается"),
        (b"\xff\xd8\xff" + b"\0" * (photos.MAX_BYTES + 1), "5 МБ"),
    ],
)
def test_bad_files_are_refused_in_russian_and_nothing_is_written(
    cast: Cast, bank: Bank, client_for, _private_media: Path, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("databank:photo_upload", args=[bank.child.pk])
    response = client_for(cast.worker_a).post(url, form_data(content))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Иванова М. П., опекун" in html  # what was typed is kept
    assert not ChildPhoto.objects.exists()
    assert stored_files(_private_media) == []


def test_a_png_named_jpg_is_judged_by_its_bytes(cast: Cast, bank: Bank) -> None:
    photo = services.photo_save(
        actor=cast.worker_a,
        child=bank.child,
        upload=upload(png_bytes(), "looks.jpg"),
        consent_by="Опекун",
        consent_on=timezone.localdate(),
        purposes=[PhotoPurpose.PROFILE],
    )
    assert photo.content_type == "image/png" and photo.file.name.endswith(".png")


def test_consent_is_required_for_the_profile_purpose(cast: Cast, bank: Bank) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.photo_save(
            actor=cast.worker_a,
            child=bank.child,
            upload=upload(jpeg_with_exif()),
            consent_by=" ",
            consent_on=timezone.localdate(),
            purposes=[PhotoPurpose.CANDIDATES],
        )
    assert set(refused.value.message_dict) == {"consent_by", "purposes"}


def test_who_may_upload_see_and_remove_the_photo(
    cast: Cast, bank: Bank, client_for, django_capture_on_commit_callbacks, _private_media: Path
) -> None:  # type: ignore[no-untyped-def]
    upload_url = reverse("databank:photo_upload", args=[bank.child.pk])
    # Read-only: the coordinator sees the profile but does not write it.
    assert client_for(cast.coordinator).get(upload_url).status_code == 403
    assert (
        client_for(cast.coordinator).post(upload_url, form_data(jpeg_with_exif())).status_code
        == 403
    )
    for outsider in (cast.worker_b, cast.analyst):
        assert client_for(outsider).get(upload_url).status_code == 404
    assert (
        client_for(cast.worker_a).post(upload_url, form_data(jpeg_with_exif())).status_code == 302
    )

    photo_url = reverse("databank:child_photo", args=[bank.child.pk])
    before = AccessLogEntry.objects.filter(purpose="databank_photo").count()
    for reader in (cast.worker_a, cast.coordinator):
        response = client_for(reader).get(photo_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    assert AccessLogEntry.objects.filter(purpose="databank_photo").count() == before + 2
    for outsider in (cast.worker_b, cast.analyst):
        assert client_for(outsider).get(photo_url).status_code == 404

    remove_url = reverse("databank:photo_remove", args=[bank.child.pk])
    assert client_for(cast.coordinator).post(remove_url, {"reason": "x"}).status_code == 403
    assert client_for(cast.worker_b).post(remove_url, {"reason": "x"}).status_code == 404
    assert client_for(cast.worker_a).post(remove_url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.worker_a).post(remove_url, {"reason": "Согласие отозвано"})
    assert response.status_code == 302
    assert not ChildPhoto.objects.exists()
    assert stored_files(_private_media) == []  # the file went once the removal committed
    assert client_for(cast.worker_a).get(photo_url).status_code == 404


def test_the_anonymised_card_shows_the_photo_only_with_consent_for_candidates(
    cast: Cast, bank: Bank, client_for
) -> None:  # type: ignore[no-untyped-def]
    family_url = reverse("databank:family", args=[bank.family.pk])
    photo = services.photo_save(
        actor=cast.worker_a,
        child=bank.child,
        upload=upload(jpeg_with_exif()),
        consent_by="Опекун",
        consent_on=timezone.localdate(),
        purposes=[PhotoPurpose.PROFILE],
    )
    token_url = reverse("databank:anonymised_photo", args=[photo.token])
    html = client_for(cast.worker_b).get(family_url).content.decode()
    assert bank.child.person.first_name in html and token_url not in html
    assert client_for(cast.worker_b).get(token_url).status_code == 404  # no consent for it

    photo = services.photo_save(
        actor=cast.worker_a,
        child=bank.child,
        upload=upload(jpeg_with_exif()),
        consent_by="Опекун",
        consent_on=timezone.localdate(),
        purposes=[PhotoPurpose.PROFILE, PhotoPurpose.CANDIDATES],
    )
    token_url = reverse("databank:anonymised_photo", args=[photo.token])
    html = client_for(cast.worker_b).get(family_url).content.decode()
    assert token_url in html
    assert reverse("databank:child_photo", args=[bank.child.pk]) not in html
    response = client_for(cast.worker_b).get(token_url)
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(
        purpose="databank_anonymised_photo", actor=cast.worker_b, object_id=str(bank.child.pk)
    ).exists()
    assert client_for(cast.analyst).get(token_url).status_code == 404
    # A placed child leaves the anonymised cards, and its photo with them.
    services.child_place(
        actor=cast.worker_a, child=bank.child, on=timezone.localdate(), form="adoption"
    )
    assert client_for(cast.worker_b).get(token_url).status_code == 404


def test_without_pillow_the_bytes_are_checked_and_metadata_cut_out(
    cast: Cast, bank: Bank, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    monkeypatch.setattr(photos, "HAS_PILLOW", False)
    photo = services.photo_save(
        actor=cast.worker_a,
        child=bank.child,
        upload=upload(jpeg_with_exif(width=40, height=20)),
        consent_by="Опекун",
        consent_on=timezone.localdate(),
        purposes=[PhotoPurpose.PROFILE],
    )
    data = photo.file.open("rb").read()
    assert CAMERA.encode() not in data and b"Exif" not in data
    assert (photo.width, photo.height) == (40, 20)  # from the frame header (not turned)
    monkeypatch.setattr(photos, "HAS_PILLOW", True)
    with Image.open(io.BytesIO(data)) as image:  # still a picture
        assert image.size == (40, 20) and not image.getexif()
    monkeypatch.setattr(photos, "HAS_PILLOW", False)
    png = bytearray(png_bytes())
    text = b"tEXtComment\0secret"
    chunk = len(text[4:]).to_bytes(4, "big") + text + b"\0\0\0\0"
    with_text = bytes(png[:33]) + chunk + bytes(png[33:])  # after IHDR
    clean = photos.clean(upload(with_text, "p.png"))
    assert b"secret" not in clean.content and (clean.width, clean.height) == (10, 10)
    for broken in (b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\x89PNG\r\n\x1a\n" + b"\0" * 30):
        with pytest.raises(ValidationError):
            photos.clean(upload(broken))
