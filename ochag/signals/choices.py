"""The signals app's named values: audit actions, colours, tracks, channels, bases,
statuses and kinds (apart from the models so every model module can use them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.core.models import register_audit_actions


@register_audit_actions
class SignalAction(models.TextChoices):
    RECEIVED = "signal_received", _("Signal received")
    ROUTED = "signal_routed", _("Signal routed")
    ASSIGNED = "signal_assigned", _("Signal assigned")
    ACCEPTED = "signal_accepted", _("Signal accepted")
    RETURNED = "signal_returned", _("Signal returned to sender")
    FORWARDED = "signal_forwarded", _("Signal forwarded")
    PRIORITY_RAISED = "signal_priority_raised", _("Family priority raised")
    ESCALATED = "signal_escalated", _("Helpline call escalated")
    RULE_CHANGED = "signal_rule_changed", _("Routing rule changed")
    TOKEN_ISSUED = "signal_token_issued", _("API token issued")
    IMPORT_STARTED = "signal_import_started", _("Signal import started")
    IMPORT_FINISHED = "signal_import_finished", _("Signal import finished")
    IMPORT_RESUMED = "signal_import_resumed", _("Stalled signal import resumed")
    IMPORT_CANCELLED = "signal_import_cancelled", _("Signal import cancelled")
    ATTACHMENT_VIEWED = "signal_attachment_viewed", _("Signal attachment opened")


class Colour(models.TextChoices):
    RED = "red", _("Red: immediate danger")
    AMBER = "amber", _("Amber: neglect (SOP type)")
    YELLOW = "yellow", _("Yellow: early distress, support")


COLOUR_RANK = {Colour.RED: 3, Colour.AMBER: 2, Colour.YELLOW: 1}


class Track(models.TextChoices):
    """What the signal leads to. SUPPORT can never lead to a safety check or removal."""

    SAFETY = "safety", _("Same-day safety check")
    ASSESSMENT = "assessment", _("Assessment")
    SUPPORT = "support", _("Offer of support")


class Channel(models.TextChoices):
    STAFF = "staff", _("Staff form")
    HELPLINE = "helpline", _("Helpline")
    PUBLIC = "public", _("Public form")
    API = "api", _("Agency system (API)")
    BULK = "bulk", _("Bulk upload")


class Basis(models.TextChoices):
    DUTY_ART9 = "duty_art9", _("Duty to report (Art. 9 of Federal Law 120-FZ)")
    CONSENT = "consent", _("Consent of the family")
    HELPLINE = "helpline", _("Anonymous helpline call")
    COURT_ACT = "court_act", _("Court act")
    KDN_REQUEST = "kdn_request", _("Request of the KDN")
    CITIZEN = "citizen", _("Citizen's report")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned to sender")
    CLOSED = "closed", _("Closed")


# Separates indicators in one cell of an uploaded file; no indicator's name may contain it.
INDICATOR_SEPARATOR = "|"


class SubjectRole(models.TextChoices):
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent or carer")


class LinkDecision(models.TextChoices):
    LINK = "link", _("Linked to a registry record")
    REVIEW = "review", _("Needs review: possible match")
    NEW = "new", _("New registry record")
    NONE = "none", _("Not enough data to link")


class TaskKind(models.TextChoices):
    SAFETY_CHECK = "safety_check", _("Same-day safety check")
    ASSESSMENT = "assessment", _("Assessment")
    SUPPORT_OFFER = "support_offer", _("Offer of support")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
