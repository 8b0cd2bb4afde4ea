"""Edit screens of the data bank: the child's profile, the candidate family, the sibling group.

One versioned flow (like the case screens' ``edit_page``): the form carries the version it
was opened at; a save over someone else's newer save re-binds the user's input to the
current version (nothing typed is lost), shows what is saved now, and a second save wins.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ochag.access.models import User
from ochag.access.requests import user_of
from ochag.core.form_views import form_page, submit, versioned_submit
from ochag.core.policies import Action
from ochag.core.services import access_log_record, access_log_record_many
from ochag.databank import policies, selectors, services
from ochag.databank.forms import (
    ChildEditForm,
    FamilyEditForm,
    SiblingAddForm,
    SiblingGroupForm,
    SiblingsJoinForm,
)
from ochag.databank.models import CandidateFamily, ChildProfile, SiblingGroup
from ochag.databank.policies import DatabankPolicyAction
from ochag.databank.views.bank import _region


def _saved(obj: models.Model, names: list[str]) -> list[tuple[str, str]]:
    """The record as saved now, field by field, for the conflict notice."""
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if display is not None else getattr(obj, name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        label = str(getattr(field, "verbose_name", name))
        rows.append((label, "—" if value in (None, "") else str(value)))
    return rows


def versioned_edit[T](
    request: HttpRequest,
    *,
    make_form: Callable[[QueryDict | None], forms.BaseForm],
    save: Callable[[dict[str, Any]], T],
    done: Callable[[T], str],
    success: str,
    title: str,
    back_url: str,
    conflict_message: str,
) -> HttpResponse:
    step = versioned_submit(
        request,
        make_form,
        lambda data: save(dict(data)),
        success=success,
        then=done,
        conflict_message=conflict_message,
    )
    if step.response is not None:
        return step.response
    conflict: list[tuple[str, str]] = []
    if step.current is not None:
        names = [n for n in step.form.fields if n != "version"]
        conflict = _saved(step.current, [n for n in names if _is_field(step.current, n)])
    return form_page(
        request,
        step.form,
        title=title,
        back_url=back_url,
        status=400 if request.method == "POST" else 200,
        conflict=conflict,
    )


def _is_field(obj: models.Model, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _record_edit(
    request: HttpRequest,
    user: User,
    record: ChildProfile | CandidateFamily,
    *,
    form_class: type[ChildEditForm | FamilyEditForm],
    update: Callable[..., models.Model],
    url_name: str,
    purpose: str,
    success: str,
    title: str,
    conflict_message: str,
) -> HttpResponse:
    """A child's profile or a family in the versioned flow: the view is logged, ``update``
    (the service, bound to its actor and record) gets the version the form was opened at."""
    access_log_record(actor=user, obj=record, purpose=purpose)
    back = reverse(url_name, args=[record.pk])

    def make_form(data: QueryDict | None) -> forms.BaseForm:
        return form_class(
            data, instance=record, region=_region(user), initial={"version": record.version}
        )

    def save(data: dict[str, Any]) -> models.Model:
        version = data.pop("version")
        return update(version=version, **data)

    return versioned_edit(
        request,
        make_form=make_form,
        save=save,
        done=lambda saved: back,
        success=success,
        title=title,
        back_url=back,
        conflict_message=conflict_message,
    )


def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_allowed(user, DatabankPolicyAction.EDIT, pk=pk)
    return _record_edit(
        request,
        user,
        child,
        form_class=ChildEditForm,
        update=partial(services.child_update, actor=user, child=child),
        url_name="databank:child",
        purpose="databank_child_edit",
        success=_("The profile is saved."),
        title=_("Edit the child's profile"),
        conflict_message=_(
            "Someone else saved this profile while you were editing it. Nothing is lost: your "
            "entries are kept below and the profile as saved now is shown above them. Check and "
            "save again."
        ),
    )


def family_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    family = policies.families.get_allowed(user, DatabankPolicyAction.EDIT, pk=pk)
    return _record_edit(
        request,
        user,
        family,
        form_class=FamilyEditForm,
        update=partial(services.family_update, actor=user, family=family),
        url_name="databank:family",
        purpose="databank_family_edit",
        success=_("The family's record is saved."),
        title=_("Edit the candidate family"),
        conflict_message=_(
            "Someone else saved this family while you were editing it. Nothing is lost: your "
            "entries are kept below and the record as saved now is shown above them. Check and "
            "save again."
        ),
    )


# --- sibling groups --------------------------------------------------------------------------


def sibling_group(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    group = policies.sibling_groups.get_visible(user, pk=pk)
    can_change = policies.sibling_groups.allows(user, Action.CHANGE, group)
    members = list(selectors.group_members(group))
    openable = set(
        policies.children.visible(user)
        .filter(pk__in=[m.pk for m in members])
        .values_list("pk", flat=True)
    )
    # Members are named (with the surname where the user sees the profile): a read of each.
    access_log_record_many(actor=user, objs=members, purpose="databank_siblings")
    return render(
        request,
        "databank/sibling_group.html",
        {
            "group": group,
            "members": [{"child": m, "can_open": m.pk in openable} for m in members],
            "can_change": can_change,
            "form": SiblingGroupForm(
                initial={
                    "version": group.version,
                    "must_be_together": group.must_be_together,
                    "separation_document": group.separation_document,
                    "separation_on": group.separation_on,
                }
            )
            if can_change
            else None,
            "add_form": SiblingAddForm() if can_change else None,
        },
    )


def sibling_group_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    group = policies.sibling_groups.get_changeable(user, pk=pk)
    back = reverse("databank:siblings", args=[group.pk])

    def make_form(data: QueryDict | None) -> SiblingGroupForm:
        return SiblingGroupForm(
            data,
            initial={
                "version": group.version,
                "must_be_together": group.must_be_together,
                "separation_document": group.separation_document,
                "separation_on": group.separation_on,
            },
        )

    def save(data: dict[str, Any]) -> SiblingGroup:
        return services.sibling_group_update(
            actor=user,
            group=group,
            version=data["version"],
            must_be_together=data["must_be_together"],
            document=data["separation_document"],
            on=data["separation_on"],
        )

    return versioned_edit(
        request,
        make_form=make_form,
        save=save,
        done=lambda saved: back,
        success=_("The sibling group is saved."),
        title=_("Brothers and sisters: placed together or apart"),
        back_url=back,
        conflict_message=_(
            "Someone else changed this group while you were editing it. Your entries are kept "
            "below; check them against the group as saved now and save again."
        ),
    )


def _kept(user: Any, numbers: list[int]) -> tuple[list[ChildProfile], list[int]]:
    """The profiles with these numbers the user keeps, and the numbers that are not."""
    rows = policies.children.visible(user).filter(pk__in=numbers)
    kept = [c for c in rows if policies.children.allows(user, DatabankPolicyAction.EDIT, c)]
    return kept, sorted(set(numbers) - {c.pk for c in kept})


@require_POST
def siblings_join(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    child = policies.children.get_allowed(user, DatabankPolicyAction.EDIT, pk=pk)
    form = SiblingsJoinForm(request.POST)
    back = reverse("databank:child", args=[child.pk])

    def save(data: dict[str, Any]) -> SiblingGroup:
        others, missing = _kept(user, [n for n in data["others"] if n != child.pk])
        if missing:
            numbers = ", ".join(str(n) for n in missing)
            raise ValidationError(
                {"others": _("No profile you keep has the number(s) %(numbers)s.")
                 % {"numbers": numbers}}
            )  # fmt: skip
        return services.siblings_join(actor=user, children=[child, *others])

    done = submit(
        request,
        form,
        save,
        success=_("The brothers and sisters are one group now."),
        then=lambda group: reverse("databank:siblings", args=[group.pk]),
    )
    return done or form_page(
        request, form, title=_("Brothers and sisters"), back_url=back, status=400
    )


@require_POST
def sibling_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    group = policies.sibling_groups.get_changeable(user, pk=pk)
    form = SiblingAddForm(request.POST)
    back = reverse("databank:siblings", args=[group.pk])

    def save(data: dict[str, Any]) -> None:
        found, missing = _kept(user, [data["child"]])
        if missing:
            raise ValidationError({"child": _("No profile you keep has this number.")})
        services.sibling_add(actor=user, group=group, child=found[0])

    done = submit(
        request, form, save, success=_("The child is added to the group."),
        then=lambda _saved: back,
    )  # fmt: skip
    return done or form_page(
        request, form, title=_("Add a brother or sister"), back_url=back, status=400
    )


@require_POST
def sibling_remove(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    user = user_of(request)
    group = policies.sibling_groups.get_changeable(user, pk=pk)
    child = group.children.filter(pk=child_pk).first()
    if child is None or not policies.children.allows(user, DatabankPolicyAction.EDIT, child):
        messages.error(request, _("The child is not in this group or is not yours."))
        return redirect("databank:siblings", pk=group.pk)
    left = services.sibling_remove(actor=user, group=group, child=child)
    if left is None:
        messages.success(request, _("The group had one child left and is dissolved."))
        return redirect("databank:child", pk=child.pk)
    messages.success(request, _("The child is taken out of the group."))
    return redirect("databank:siblings", pk=group.pk)
