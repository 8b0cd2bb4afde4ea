"""The assessments of a case: safety (with the emergency removal it may lead to) and risk.
Defined apart from models.py, which imports them (models of the cases app)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.cases.choices import Level
from ochag.core.deadlines import DayKind


class SafetyAssessment(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="safety_assessments"
    )
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

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="removals")
    safety_assessment = models.OneToOneField(
        "cases.SafetyAssessment", on_delete=models.PROTECT, related_name="removal"
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
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    answers = models.JSONField(default=dict)
    strengths = models.JSONField(default=list, blank=True)
    strengths_note = models.TextField(_("other strengths of the family"), blank=True)
    score = models.IntegerField()
    # Empty when no indicator applies: a family with no risk is assessed too.
    contributions = models.JSONField(default=list, blank=True)
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
