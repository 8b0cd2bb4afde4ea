"""The shape every permission policy in Ochag follows.

One policy per aggregate answers both questions: "which records may this user see?"
(:meth:`Policy.visible`, the queryset every list, export, count and dashboard starts from)
and "may this user do X to this record?". Everything is denied unless a policy allows it.
A record outside :meth:`visible` is reported as absent (404); a visible record the user may
not change gives 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from ochag.access.models import User


class Policy[M: models.Model]:
    model: type[M]

    def visible(self, user: User) -> models.QuerySet[M]:
        """Records the user may see at all. Deny by default."""
        return self.model._default_manager.none()

    def can_change(self, user: User, obj: M) -> bool:
        return False

    def can_create(self, user: User) -> bool:
        return False

    def get_visible(self, user: User, **lookup: Any) -> M:
        """The record, or 404 when it does not exist, is not the user's, or the id is malformed."""
        try:
            return self.visible(user).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc

    def get_changeable(self, user: User, **lookup: Any) -> M:
        obj = self.get_visible(user, **lookup)
        if not self.can_change(user, obj):
            raise PermissionDenied
        return obj

    def require_create(self, user: User) -> None:
        if not self.can_create(user):
            raise PermissionDenied
