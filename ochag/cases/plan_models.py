"""The interagency plan, its tasks (core's deadline base) and the monitoring reports.
Defined apart from models.py, which imports them (models of the cases app)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.cases.choices import TaskStatus
from ochag.core.deadlines import DayKind, DeadlineTask


class Plan(models.Model):
    """The interagency plan of a case; ``version`` guards against overwriting a colleague."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    goals = models.TextField(_("goals of the plan"), blank=True)
    period_start = models.DateField(_("plan period from"), null=True, blank=True)
    period_end = models.DateField(_("plan period to"), null=True, blank=True)
    approved_session = models.ForeignKey(
        "cases.KdnSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.case_id}: plan v{self.version}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(_("The plan period ends before it starts."))


class Task(DeadlineTask):
    """A task of the plan or a statutory deadline: one owner agency, a stored deadline
    (``due_on``, ``done_on`` and ``overdue_since`` come from core's deadline base)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_agency = models.ForeignKey(
        "access.Agency",
        on_delete=models.PROTECT,
        related_name="case_tasks",
        verbose_name=_("agency"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_tasks",
        verbose_name=_("responsible person"),
    )
    start_date = models.DateField(_("start"))
    deadline_days = models.PositiveSmallIntegerField(_("days to complete"))
    deadline_kind = models.CharField(
        max_length=10, choices=DayKind.choices, default=DayKind.WORKING
    )
    legal_source = models.CharField(_("legal source of the deadline"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        db_index=True,
    )
    status_reason = models.TextField(_("why it is not complete"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_medical = models.BooleanField(_("medical secret"), default=False)
    # Need-to-know inside a case: a participant sees its own agency's tasks and those the
    # curator shares; legal steps (removal, court claims) stay with the case's managers.
    shared = models.BooleanField(_("shared with every agency taking part"), default=False)
    is_legal = models.BooleanField(_("legal step of guardianship or the KDN"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.status == TaskStatus.NOT_COMPLETE and not self.status_reason.strip():
            raise ValidationError({"status_reason": _("Say why the task is not complete.")})


class MonitoringReport(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="monitoring_reports"
    )
    period_end = models.DateField(_("reporting period ends"))
    summary = models.TextField(_("progress and current situation"))
    next_review = models.DateField(_("next review"))
    reassessment_needed = models.BooleanField(_("re-assessment needed"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: monitoring {self.period_end}"
