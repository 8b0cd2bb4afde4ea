"""The child's photo: uploaded with consent by the keeping body, served only through these
views (never a static URL), every read logged."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.requests import user_of
from ochag.core.form_views import form_page, submit
from ochag.core.services import access_log_record
from ochag.databank import policies, selectors, services
from ochag.databank.forms import PhotoForm, PhotoRemoveForm
from ochag.databank.models import ChildPhoto, PhotoPurpose
from ochag.databank.policies import DatabankPolicyAction


def _serve(photo: ChildPhoto) -> FileResponse:
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def child_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo in the full profile (the keeper and the coordinator)."""
    user = user_of(request)
    child = policies.children.get_visible(user, pk=pk)
    photo = selectors.photo_of(child)
    if photo is None or not photo.allows(PhotoPurpose.PROFILE):
        raise Http404
    access_log_record(actor=user, obj=child, purpose="databank_photo")
    return _serve(photo)


def anonymised_photo(request: HttpRequest, token: str) -> FileResponse:
    """The photo on an anonymised card: only with consent to show it to candidate families.
    Addressed by the photo's random token, not the profile's number."""
    user = user_of(request)
    photo = policies.anonymised_photo(user, token)
    if photo is None:
        raise Http404
    access_log_record(actor=user, obj=photo.child, purpose="databank_anonymised_photo")
    return _serve(photo)


def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_allowed(user, DatabankPolicyAction.EDIT, pk=pk)
    form = PhotoForm(
        request.POST or None,
        request.FILES or None,
        initial={"consent_on": timezone.localdate(), "purposes": [PhotoPurpose.PROFILE]},
    )
    back = reverse("databank:child", args=[child.pk])

    def save(data: dict[str, Any]) -> None:
        try:
            services.photo_save(
                actor=user,
                child=child,
                upload=data["photo"],
                consent_by=data["consent_by"],
                consent_on=data["consent_on"],
                purposes=data["purposes"],
            )
        except ValidationError as exc:
            # What the service says about the file belongs next to the file field.
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({"photo": exc.messages}) from exc

    done = submit(
        request,
        form,
        save,
        success=_("The photo is kept with the consent recorded."),
        then=lambda _saved: back,
    )
    return done or form_page(
        request,
        form,
        title=_("The child's photo"),
        back_url=back,
        status=400 if request.method == "POST" else 200,
        multipart=True,
        intro=_(
            "The photo is kept only with consent, without its metadata (camera, place, "
            "time), and is shown only through the data bank's pages."
        ),
    )


@require_POST
def photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_allowed(user, DatabankPolicyAction.EDIT, pk=pk)
    form = PhotoRemoveForm(request.POST)
    back = reverse("databank:child", args=[child.pk])
    done = submit(
        request,
        form,
        lambda data: services.photo_remove(actor=user, child=child, reason=data["reason"]),
        success=_("The photo is removed."),
        then=lambda _saved: back,
    )
    return done or form_page(request, form, title=_("Remove the photo"), back_url=back, status=400)
