"""The cases app's named values: audit actions, statuses, levels, grounds, resolutions and
notification kinds (apart from the models so every model module can use them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.core.models import register_audit_actions


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


class Resolution(models.TextChoices):
    RECOGNISE_SOP = "recognise_sop", _("Recognise the family as in SOP")
    APPROVE_PLAN = "approve_plan", _("Approve the interagency plan")
    CHANGE_PLAN = "change_plan", _("Change the interagency plan")
    CLOSE = "close", _("Close the case")
    OTHER = "other", _("Other decision")


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


class NotificationKind(models.TextChoices):
    OVERDUE = "overdue", _("Overdue task")
    CLOSED = "closed", _("Case closed")
    REOPENED = "reopened", _("Case reopened")
