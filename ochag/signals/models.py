"""Signals: reports that a child or family may need help, from every channel, with their
provenance, indicators, routing and deadline tasks (notifications are access's)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, AgencyType
from ochag.core.deadlines import DeadlineTask
from ochag.core.models import Territory, register_audit_actions
from ochag.signals.numbers import new_number


class PrivateStorage(FileSystemStorage):
    """Attachments and uploads live under PRIVATE_MEDIA_ROOT, outside the web root; they have no
    public URL and are served only through a view that checks the signal policy. The root is
    read on every use so a changed setting (tests, deployments) takes effect."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


def _private_storage() -> FileSystemStorage:
    return private_storage


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


class Indicator(models.Model):
    """One observable indicator of the screening checklist (domain reference §6)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    poverty = models.BooleanField(_("poverty-type"), default=False)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru

    def clean(self) -> None:
        # An upload names several indicators in one cell, separated by the separator or
        # line breaks: a name holding either could not be told apart from two.
        if INDICATOR_SEPARATOR in self.name_ru or "\n" in self.name_ru:
            raise ValidationError(
                {"name_ru": _("A name cannot contain «%(sep)s» or a line break.")
                 % {"sep": INDICATOR_SEPARATOR}}
            )  # fmt: skip


class RegionSettings(models.Model):
    """Per-region deadlines and the repeat-signal threshold, in working days."""

    region = models.OneToOneField(
        Territory, on_delete=models.CASCADE, related_name="signal_settings"
    )
    assessment_days = models.PositiveSmallIntegerField(
        _("assessment deadline, working days"), default=3
    )
    support_days = models.PositiveSmallIntegerField(
        _("support offer deadline, working days"), default=5
    )
    repeat_threshold = models.PositiveSmallIntegerField(_("signals that raise priority"), default=3)
    repeat_window_days = models.PositiveSmallIntegerField(_("window, calendar days"), default=365)

    def __str__(self) -> str:
        return str(self.region)


class RoutingRule(models.Model):
    """Track × territory → competent body. A rule for a municipality beats a region-wide one;
    a named agency beats an agency type."""

    # Indexed by routing_rule_unique: a second index would only slow writes.
    region = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    territory = models.ForeignKey(
        Territory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Empty: every municipality of the region."),
    )
    agency_type = models.CharField(_("agency type"), max_length=30, choices=AgencyType.choices)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("Empty: the agency of that type in the municipality."),
    )

    class Meta:
        ordering = ["track", "territory__name"]
        verbose_name = _("routing rule")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "track", "territory"], name="routing_rule_unique"
            )
        ]

    def __str__(self) -> str:
        body = self.agency or self.get_agency_type_display()
        return f"{self.get_track_display()} / {self.territory or '*'} → {body}"

    def clean(self) -> None:
        if self.agency is not None and self.agency.type != self.agency_type:
            raise ValidationError({"agency": _("The agency is not of the chosen type.")})


def receipt_number() -> str:
    """A new receipt number (ochag.signals.numbers); the migrations name this function."""
    return new_number()


class Signal(models.Model):
    number = models.CharField(
        _("receipt number"), max_length=20, unique=True, default=receipt_number
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    # Who reports. All empty for the helpline and anonymous citizens: never a caller identity.
    reporting_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals_sent",
        verbose_name=_("reporting agency"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("reporter's contact"), max_length=200, blank=True)
    # About whom and where.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    address = models.CharField(_("address or location"), max_length=300, blank=True)
    household = models.ForeignKey(
        "registry.Household",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
    )
    # What.
    original_text = models.TextField(_("original wording"))
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    # Routing and work.
    # Indexed by the (routed_to, status, urgency) index: a second index would only slow writes.
    routed_to = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signals_received",
        verbose_name=_("routed to"),
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals_assigned",
        verbose_name=_("assignee"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    due_date = models.DateField(_("due"), null=True, db_index=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    priority_raised = models.BooleanField(_("repeat signals: priority raised"), default=False)
    # Staff on the family's earlier signals see each new one about the family.
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="signals_shared"
    )
    # Sorting key for queues: red untaken first, then raised priority, then colour.
    urgency = models.PositiveSmallIntegerField(default=0, db_index=True)
    # Natural key of a bulk-imported row, so re-importing creates nothing twice.
    source_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-urgency", "due_date", "pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_agency", "source_key"],
                condition=~models.Q(source_key=""),
                name="signal_source_key_unique",
            ),
        ]
        indexes = [models.Index(fields=["routed_to", "status", "-urgency"])]

    def __str__(self) -> str:
        return self.number

    @property
    def removal_path_allowed(self) -> bool:
        """Only a signal with a non-poverty red or amber indicator may ever lead towards a
        safety check or removal (domain §6 guardrail)."""
        return self.track != Track.SUPPORT

    def clean(self) -> None:
        if self.channel == Channel.HELPLINE and (self.reporter_name or self.reporter_contact):
            raise ValidationError(_("A helpline signal never carries the caller's identity."))


class SubjectRole(models.TextChoices):
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent or carer")


class LinkDecision(models.TextChoices):
    LINK = "link", _("Linked to a registry record")
    REVIEW = "review", _("Needs review: possible match")
    NEW = "new", _("New registry record")
    NONE = "none", _("Not enough data to link")


class SignalSubject(models.Model):
    """A person the signal is about, as reported, and how it was linked to the registry."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="subjects")
    role = models.CharField(_("role"), max_length=10, choices=SubjectRole.choices)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.CharField(_("date of birth"), max_length=10, blank=True)
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signal_mentions",
    )
    decision = models.CharField(
        _("linking"), max_length=10, choices=LinkDecision.choices, default=LinkDecision.NONE
    )
    candidates = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class SignalIndicator(models.Model):
    # Indexed by the (signal, indicator) constraint; a second index only slows intake.
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="indicator_rows", db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField(_("observed on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal", "indicator"], name="signal_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.indicator_id}"


class TaskKind(models.TextChoices):
    SAFETY_CHECK = "safety_check", _("Same-day safety check")
    ASSESSMENT = "assessment", _("Assessment")
    SUPPORT_OFFER = "support_offer", _("Offer of support")


class SignalTask(DeadlineTask):
    """The routed body's deadline for a signal (core's deadline base: ``due_on`` stored, so
    "overdue" is a query); done when the body takes the signal or returns it."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on:%d.%m.%Y})"

    def clean(self) -> None:
        if self.kind == TaskKind.SAFETY_CHECK and self.signal.track == Track.SUPPORT:
            raise ValidationError(_("A support signal never leads to a safety check."))


class SignalEvent(models.Model):
    """The signal's own history (routing, returns and forwards with their reasons)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40, choices=SignalAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.signal_id})"


class Attachment(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=_private_storage, upload_to="signals/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class SignalDraft(models.Model):
    """The staff form as typed so far: one per user, saved on each step and every few seconds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"draft of {self.user_id}, step {self.step}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def import_lease() -> dt.timedelta:
    """An import whose worker has not reported for this long has stalled (its worker died)."""
    return dt.timedelta(seconds=settings.OCHAG_IMPORT_LEASE_SECONDS)


class ImportJob(models.Model):
    # Indexed by import_file_unique: a second index would only slow writes.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=_private_storage, upload_to="imports/%Y/%m/")
    file_name = models.CharField(max_length=200)
    file_hash = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[row, message], ...]
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease of the run working on the job (empty: none) and its last sign of life: each
    # batch renews it in its own transaction. See ochag.signals.bulk.
    lease = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    resumed = models.PositiveSmallIntegerField(default=0)  # times a stalled run was resumed

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "file_hash"], name="import_file_unique")
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def unfinished(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def stalled(self) -> bool:
        """Queued or running, but no worker has reported for longer than the lease."""
        last = self.heartbeat_at or self.created_at
        return self.unfinished and last is not None and last < timezone.now() - import_lease()
