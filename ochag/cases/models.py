"""The prevention case (ИПР): the case, its agencies, status history, КДН sessions and notes.

The app's other models live in domain-named modules this one imports (assessments in
``assessment_models``, the plan, its tasks and monitoring in ``plan_models``, the КДН sitting
in ``kdn_models``) and its named values in ``choices``; everyone imports them from here.
Its notifications are access's (ochag.access.notifications)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.cases.assessment_models import (  # noqa: F401 - models of this app, defined apart
    EmergencyRemoval,
    RiskAssessment,
    SafetyAssessment,
)
from ochag.cases.choices import (  # noqa: F401 - the app's named values, defined apart
    LEVEL_TONES,
    TASK_STATUS_TONES,
    CaseAction,
    CaseStatus,
    ClosureGround,
    Level,
    NotificationKind,
    Resolution,
    TaskStatus,
)
from ochag.cases.kdn_models import (  # noqa: F401 - models of this app, defined apart
    Commission,
    CommissionMember,
    CommissionRole,
    KdnSitting,
    ResolutionPoint,
    SittingCase,
    SittingInvitee,
)
from ochag.cases.plan_models import (  # noqa: F401 - models of this app, defined apart
    MonitoringReport,
    Plan,
    Task,
)
from ochag.core.deadlines import DayKind  # noqa: F401 - other modules import it from here
from ochag.core.models import Territory


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
