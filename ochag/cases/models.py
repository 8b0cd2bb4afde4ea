"""The prevention case (ИПР): assessments, КДН sessions, the interagency plan and its tasks,
monitoring, notes, closure. Its notifications are access's (ochag.access.notifications)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.cases.kdn_models import (  # noqa: F401 - models of this app, defined apart
    Commission,
    CommissionMember,
    CommissionRole,
    KdnSitting,
    ResolutionPoint,
    SittingCase,
    SittingInvitee,
)
from ochag.core.deadlines import DayKind, DeadlineTask
from ochag.core.models import Territory, register_audit_actions


@register_audit_actions
class CaseAction(models.TextChoices):
    OPENED = "case_opened", _("Case opened")
    CURATOR_CHANGED = "case_curator_changed", _("Case curator changed")
    PARTICIPANT_ADDED = "case_participant_added", _("Agency added to a case")
    SAFETY_ASSESSED = "case_safety_assessed", _("Safety assessment recorded")
    REMOVAL_RECORDED = "case_removal_recorded", _("Emergency removal recorded")
    RISK_ASSESSED = "case_risk_assessed", _("Risk assessment recorded")
    SESSION_RECORDED = "case_session_recorded", _("KDN session recorded")
    PLAN_CHANGED = "case_plan_changed", _("Interagency plan changed")
    TASK_ADDED = "case_task_added", _("Plan task added")
    TASK_UPDATED = "case_task_updated", _("Plan task updated")
    TASK_SHARING_CHANGED = "case_task_sharing_changed", _("Plan task shared or unshared")
    MONITORING_ADDED = "case_monitoring_added", _("Monitoring report added")
    NOTE_ADDED = "case_note_added", _("Case note added")
    CLOSED = "case_closed", _("Case closed")
    REOPENED = "case_reopened", _("Case reopened")
    DEADLINES_CHECKED = "case_deadlines_checked", _("Deadlines checked")
    COMMISSION_SET_UP = "kdn_commission_set_up", _("KDN commission set up")
    COMMISSION_CHANGED = "kdn_commission_changed", _("KDN commission's details changed")
    COMMISSION_MEMBERSHIP = "kdn_commission_membership", _("KDN commission's membership changed")
    SITTING_SCHEDULED = "kdn_sitting_scheduled", _("KDN sitting scheduled")
    SITTING_ATTENDANCE = "kdn_sitting_attendance", _("KDN sitting attendance recorded")
    SITTING_CASE_ADDED = "kdn_sitting_case_added", _("Case put on a KDN sitting's agenda")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Level(models.TextChoices):
    NONE = "none", _("No grounds found")
    EARLY = "early", _("Early distress")
    TZHS = "tzhs", _("Difficult life situation (TZhS)")
    SOP = "sop", _("Socially dangerous situation (SOP)")


LEVEL_TONES = {Level.NONE: "grey", Level.EARLY: "yellow", Level.TZHS: "yellow", Level.SOP: "amber"}


class ClosureGround(models.TextChoices):
    """Grounds for closing a case (domain §5 row 7)."""

    CAUSES_REMOVED = "causes_removed", _("The causes of the situation have been removed")
    YOUNGEST_ADULT = "youngest_adult", _("The youngest child has turned 18")
    PARENTS_APPLIED = "parents_applied", _("Parents applied, with a positive conclusion")
    DEATH_OR_MISSING = "death_or_missing", _("Death or disappearance")
    MOVED_REGION = "moved_region", _("The family moved to another region")


class CaseNumberSequence(models.Model):
    """The last case number issued in a region and year; rows are locked while numbering."""

    # Indexed by case_number_sequence_unique: a second index would only slow writes.
    region = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="case_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=30)
    # Indexed by case_number_unique: a second index would only slow writes.
    region = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("family"),
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="curated_cases",
        verbose_name=_("curator"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.OPEN,
        db_index=True,
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NONE)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        help_text=_(
            "The document the case rests on: the family's application, a court act or "
            "a KDN resolution (120-FZ Art. 6)."
        ),
    )
    # The signal the case came from; the label is a snapshot that survives its deletion.
    source_signal = models.ForeignKey(
        "signals.Signal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("source signal"),
    )
    source_signal_label = models.CharField(_("source signal"), max_length=300, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_ground = models.CharField(
        _("ground for closure"), max_length=30, blank=True, choices=ClosureGround.choices
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="case_number_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseParticipant(models.Model):
    """An agency taking part in the case; only participants (and the coordinator) see it."""

    # Indexed by case_participant_unique: a second index would only slow writes.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    agency = models.ForeignKey("access.Agency", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="case_participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.agency}"


class CaseStatusChange(models.Model):
    """Every opening, closure and re-opening, so a re-opened case keeps its history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=CaseStatus.choices)
    ground = models.CharField(max_length=30, blank=True, choices=ClosureGround.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


class SafetyAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_assessments")
    criteria = models.JSONField(_("criteria met"), default=list, blank=True)
    immediate_threat = models.BooleanField(_("immediate threat"))
    reason = models.TextField(_("reasoning"))
    poverty_only = models.BooleanField(default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: safety {self.at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.immediate_threat and not self.criteria:
            raise ValidationError(_("An immediate threat needs at least one criterion met."))


class EmergencyRemoval(models.Model):
    """A removal under СК РФ Art. 77, possible only after a safety assessment found a threat."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="removals")
    safety_assessment = models.OneToOneField(
        SafetyAssessment, on_delete=models.PROTECT, related_name="removal"
    )
    children = models.ManyToManyField(
        "registry.Person", related_name="+", verbose_name=_("children removed")
    )
    act_number = models.CharField(_("guardianship act number"), max_length=60)
    act_date = models.DateField(_("date of the act"))
    prosecutor_notified_on = models.DateField(_("prosecutor notified on"))
    placement = models.CharField(_("temporary placement"), max_length=300)
    reason = models.TextField(_("reason for removal"))
    poverty_only = models.BooleanField(default=False)
    poverty_justification = models.TextField(
        _("justification despite poverty-type grounds"), blank=True
    )
    flagged_for_panel = models.BooleanField(_("flagged for the justification panel"), default=False)
    claim_deadline = models.DateField(_("deadline for the court claim"))
    claim_deadline_days = models.PositiveSmallIntegerField(default=7)
    claim_deadline_kind = models.CharField(
        max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR
    )
    claim_legal_source = models.CharField(max_length=200, default="СК РФ, ст. 77, п. 2")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.case_id}: removal {self.act_number}"

    def clean(self) -> None:
        if not self.reason.strip():
            raise ValidationError(_("A removal needs a stated reason."))
        if self.poverty_only and not self.poverty_justification.strip():
            raise ValidationError(
                _("A removal on poverty-type grounds only needs a written justification.")
            )


class RiskAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    answers = models.JSONField(default=dict)
    strengths = models.JSONField(default=list, blank=True)
    strengths_note = models.TextField(_("other strengths of the family"), blank=True)
    score = models.IntegerField()
    contributions = models.JSONField(default=list)
    poverty_capped = models.BooleanField(default=False)
    proposed_level = models.CharField(max_length=10, choices=Level.choices)
    level = models.CharField(_("level decided"), max_length=10, choices=Level.choices)
    override_reason = models.TextField(_("reason for departing from the proposal"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: risk {self.score}"

    @property
    def overridden(self) -> bool:
        return self.level != self.proposed_level

    def clean(self) -> None:
        if self.overridden and not self.override_reason.strip():
            raise ValidationError(_("Departing from the proposed level needs a written reason."))


class Resolution(models.TextChoices):
    RECOGNISE_SOP = "recognise_sop", _("Recognise the family as in SOP")
    APPROVE_PLAN = "approve_plan", _("Approve the interagency plan")
    CHANGE_PLAN = "change_plan", _("Change the interagency plan")
    CLOSE = "close", _("Close the case")
    OTHER = "other", _("Other decision")


class KdnSession(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("session date"))
    resolution_number = models.CharField(_("resolution number"), max_length=40)
    agenda = models.TextField(_("agenda"))
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices)
    resolution_text = models.TextField(_("text of the resolution"))
    # Decided at a sitting (KdnSitting) or, as before sittings existed, recorded alone.
    sitting = models.ForeignKey(
        "cases.KdnSitting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    established = models.TextField(_("the commission established"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: KDN {self.resolution_number}"


class Plan(models.Model):
    """The interagency plan of a case; ``version`` guards against overwriting a colleague."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    goals = models.TextField(_("goals of the plan"), blank=True)
    period_start = models.DateField(_("plan period from"), null=True, blank=True)
    period_end = models.DateField(_("plan period to"), null=True, blank=True)
    approved_session = models.ForeignKey(
        KdnSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.case_id}: plan v{self.version}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(_("The plan period ends before it starts."))


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_COMPLETE = "not_complete", _("Not complete")
    DONE = "done", _("Completed")


TASK_STATUS_TONES = {
    TaskStatus.NOT_STARTED: "grey",
    TaskStatus.IN_PROGRESS: "blue",
    TaskStatus.NOT_COMPLETE: "amber",
    TaskStatus.DONE: "green",
}


class Task(DeadlineTask):
    """A task of the plan or a statutory deadline: one owner agency, a stored deadline
    (``due_on``, ``done_on`` and ``overdue_since`` come from core's deadline base)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
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
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="monitoring_reports")
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


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    is_medical = models.BooleanField(
        _("medical secret"),
        default=False,
        help_text=_("Shown only to health staff and the curator."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: note {self.pk}"


class NotificationKind(models.TextChoices):
    OVERDUE = "overdue", _("Overdue task")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")
