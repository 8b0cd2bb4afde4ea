"""The interagency commission on justified placement (domain.md §5 row 10): members from
several agencies with a chair and a secretary, sittings with an agenda of many children, and
the review of each child's placement that the agenda item carries.

A review is a core deadline task (``ochag.core.deadlines``): ``due_on`` is computed from the
working-day calendar when the review is created (admission: within the regional deadline;
extension: before the agreed term ends) and stored, so «overdue» is a query. It is done
(``done_on``) when the decision has both confirmations (four-eyes).

Imported by ``ochag.care.models``; relations to its models are by name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ochag.core.deadlines import DeadlineTask


class Commission(models.Model):
    region = models.ForeignKey("core.Territory", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=300)
    legal_source = models.CharField(_("act that set it up"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("placement commission")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class CommissionMember(models.Model):
    # Indexed by the (commission, user) unique constraint.
    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="care_member_once"),
            models.UniqueConstraint(
                fields=["commission", "role"],
                condition=Q(role__in=["chair", "secretary"], is_active=True),
                name="care_one_chair_one_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class SittingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class Sitting(models.Model):
    # Indexed by the (commission, number) unique constraint.
    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="sittings", db_index=False
    )
    number = models.PositiveIntegerField(_("protocol number"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    status = models.CharField(
        max_length=20, choices=SittingStatus.choices, default=SittingStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "number"], name="care_sitting_number")
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.date:%d.%m.%Y}"


class ReviewKind(models.TextChoices):
    ADMISSION = "admission", _("Admission review")
    EXTENSION = "extension", _("Extension review")


class Decision(models.TextChoices):
    JUSTIFIED = "justified", _("Placement justified")
    NOT_JUSTIFIED = "not_justified", _("Placement not justified")
    JUSTIFIED_UNTIL = "justified_until", _("Justified until a date")


class ReturnAction(models.TextChoices):
    REFER = "refer", _("Refer the family to services")
    PREPARE_RETURN = "prepare_return", _("Prepare the return home")
    CHANGE_FORM = "change_form", _("Change the form of care")
    NONE = "none", _("No action")


class AgendaItem(DeadlineTask):
    """One review of one child's placement: due by a date, put on a sitting's agenda,
    decided there and confirmed by the chair and the secretary. A core deadline task: the
    daily deadline check stamps ``overdue_since`` on reviews not done in time."""

    placement = models.ForeignKey(
        "care.Placement", on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("review"), max_length=20, choices=ReviewKind.choices)
    due_on = models.DateField(_("review due"), db_index=True)
    done_on = models.DateField(_("reviewed"), null=True, blank=True)
    sitting = models.ForeignKey(
        Sitting, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    # Put on the agenda automatically (poverty-only removal, parents' request): shown first.
    priority_reason = models.CharField(_("why on the agenda first"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    justified_until = models.DateField(_("justified until"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    action = models.CharField(_("action"), max_length=20, choices=ReturnAction.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    chair_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    secretary_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%d.%m.%Y}"

    @property
    def is_confirmed(self) -> bool:
        return self.chair_confirmed_by_id is not None and self.secretary_confirmed_by_id is not None
