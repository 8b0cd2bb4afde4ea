"""Files kept outside the web root: attachments, import files, photos."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside the web root. They have no public URL and are
    served only through a view that checks the owning app's policy. The root is read on every
    use, so a changed setting (tests, deployments) takes effect."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")
