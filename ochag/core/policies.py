"""The shape every permission policy in Ochag follows.

One policy per aggregate answers two questions, each for a named action:

* :meth:`Policy.visible` ``(user, action)`` — the records the user may act on: the queryset
  every list, count, export and dashboard starts from;
* :meth:`Policy.allows` ``(user, action, obj=None)`` — may the user do the action to this
  record (or, without a record, at all: creating, opening a screen)?

Everything is denied unless a policy allows it. A record outside ``visible(user)`` is
reported as absent (404); a visible record the user may not act on gives 403
(:meth:`Policy.get_allowed`).

Actions are members of a :class:`StrEnum` derived from :class:`ActionBase`: the verbs every
app shares are in :class:`Action`; an app whose records know more verbs (a case is
*managed*, a signal *assigned*) names them in its own ``<App>PolicyAction`` enum in its
``policies.py`` (the name keeps it apart from the audit log's ``<App>Action`` kinds). An
enum with members cannot be extended, hence the empty common base that the type hints use.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404


class ActionBase(StrEnum):
    """What every app's action enum derives from (no members of its own)."""


class Action(ActionBase):
    """The verbs every app shares."""

    VIEW = "view"
    CHANGE = "change"
    CREATE = "create"
    APPROVE = "approve"
    CONFIRM = "confirm"
    TRANSFER = "transfer"
    EXPORT = "export"
    REFER = "refer"


class Policy[M: models.Model]:
    # ``user`` is the signed-in account, ochag.access.models.User: core may not name it (the
    # access app stands above core), and each app's policy narrows the hint to that class.
    model: type[M]

    def scope(self, user: Any) -> models.QuerySet[M]:
        """Records the user may view. Deny by default."""
        return self.model._default_manager.none()

    def allows(self, user: Any, action: ActionBase, obj: M | None = None) -> bool:
        """May ``user`` do ``action`` to ``obj`` (without ``obj``: to some record of this kind,
        the question a create button or a screen asks)? Deny by default."""
        return False

    def visible(self, user: Any, action: ActionBase = Action.VIEW) -> models.QuerySet[M]:
        """Records the user may see for ``action``.

        Every action starts from what the user may view; an action the user may not do at all
        (``allows(user, action)`` is false: an export for a role that never exports) yields
        nothing. A policy whose action narrows the rows further overrides this.
        """
        rows = self.scope(user)
        if action == Action.VIEW or self.allows(user, action):
            return rows
        return rows.none()

    def get_visible(self, user: Any, **lookup: Any) -> M:
        """The record, or 404 when it does not exist, is not the user's, or the id is malformed."""
        try:
            return self.visible(user).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc

    def get_allowed(self, user: Any, action: ActionBase, **lookup: Any) -> M:
        """The record when the user may do ``action`` to it; 404 when they may not see it,
        403 when they see it but may not do ``action``."""
        obj = self.get_visible(user, **lookup)
        if not self.allows(user, action, obj):
            raise PermissionDenied
        return obj

    def get_changeable(self, user: Any, **lookup: Any) -> M:
        return self.get_allowed(user, Action.CHANGE, **lookup)

    def require(self, user: Any, action: ActionBase) -> None:
        """403 unless the user may do ``action`` at all (creating, opening a screen)."""
        if not self.allows(user, action):
            raise PermissionDenied

    def require_create(self, user: Any) -> None:
        self.require(user, Action.CREATE)

    def changeable_or_new(self, user: Any, pk: Any | None) -> M | None:
        """What a create-or-change form works on: None for a new record (403 unless the
        user may create one), else the record ``pk`` as ``get_changeable`` answers."""
        if pk is None:
            self.require_create(user)
            return None
        return self.get_changeable(user, pk=pk)
