"""Signals: reports that a child or family may need help, from every channel, with their
provenance, indicators, routing and deadline tasks (notifications are access's).

The region's intake set-up (indicators, deadlines, routing rules) lives in ``setup_models``
and the named values in ``choices``; this module imports both, and everyone imports them
from here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency
from ochag.core.deadlines import DeadlineTask
from ochag.core.models import Territory
from ochag.core.storage import PrivateStorage
from ochag.signals.choices import (  # noqa: F401 - the app's named values, defined apart
    COLOUR_RANK,
    INDICATOR_SEPARATOR,
    Basis,
    Channel,
    Colour,
    ImportStatus,
    LinkDecision,
    SignalAction,
    Status,
    SubjectRole,
    TaskKind,
    Track,
)
from ochag.signals.numbers import new_number
from ochag.signals.setup_models import (  # noqa: F401 - models of this app, defined apart
    Indicator,
    RegionSettings,
    RoutingRule,
)

private_storage = PrivateStorage()


def _private_storage() -> FileSystemStorage:
    return private_storage


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
