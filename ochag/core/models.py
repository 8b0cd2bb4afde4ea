"""Territories, the regional working-day calendar overrides, and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """A node of the territory tree: country → region → municipality."""

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Municipality")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    oktmo = models.CharField(_("OKTMO code"), max_length=11, blank=True)
    # Materialised path of ids ("/1/5/17/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        constraints = [
            models.UniqueConstraint(
                fields=["oktmo"], condition=~models.Q(oktmo=""), name="territory_oktmo_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # The path needs the primary key, so it is written just after the insert.
        path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            Territory.objects.filter(pk=self.pk).update(path=path)

    @property
    def region(self) -> Territory | None:
        """The region this territory belongs to (itself for a region)."""
        node: Territory | None = self
        while node is not None and node.level != self.Level.REGION:
            node = node.parent
        return node

    def subtree(self) -> models.QuerySet[Territory]:
        return Territory.objects.filter(path__startswith=self.path)


class CalendarOverride(models.Model):
    """A regional exception to the federal production calendar.

    Regions may declare extra days off (e.g. Radonitsa in some regions) or working days.
    A row for a region applies to all its municipalities.
    """

    region = models.ForeignKey(
        Territory, on_delete=models.CASCADE, limit_choices_to={"level": "region"}
    )
    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="calendar_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class AuditAction(models.TextChoices):
    """Every kind of change or sensitive read the system records."""

    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Account locked")
    LOGOUT = "logout", _("Logged out")
    TOTP_ENROLLED = "totp_enrolled", _("Two-factor authentication enabled")
    AGENCY_CREATED = "agency_created", _("Agency created")
    AGENCY_UPDATED = "agency_updated", _("Agency updated")
    USER_CREATED = "user_created", _("User created")
    USER_UPDATED = "user_updated", _("User updated")
    USER_UNLOCKED = "user_unlocked", _("User unlocked")
    CALENDAR_CHANGED = "calendar_changed", _("Calendar changed")
    PERSON_CREATED = "person_created", _("Person created")
    PERSON_UPDATED = "person_updated", _("Person updated")
    PERSON_SEARCHED = "person_searched", _("Person search")
    PERSONS_MERGED = "persons_merged", _("Persons merged")
    PERSONS_UNMERGED = "persons_unmerged", _("Merge undone")
    DUPLICATE_DISMISSED = "duplicate_dismissed", _("Duplicate dismissed")
    HOUSEHOLD_CREATED = "household_created", _("Household created")
    HOUSEHOLD_UPDATED = "household_updated", _("Household updated")
    SIGNAL_CREATED = "signal_created", _("Signal received")
    SIGNAL_UPDATED = "signal_updated", _("Signal updated")
    SIGNAL_ROUTED = "signal_routed", _("Signal routed")
    CASE_CREATED = "case_created", _("Case opened")
    CASE_UPDATED = "case_updated", _("Case updated")
    TASK_UPDATED = "task_updated", _("Task updated")
    EXPORTED = "exported", _("Data exported")


class AuditEvent(models.Model):
    """One typed audit entry, written in the same transaction as the change it records."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Snapshots, so the entry still reads correctly after a rename or a deletion.
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "access.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AccessLogEntry(models.Model):
    """A person's or family's record was shown to someone (152-ФЗ accountability)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    agency = models.ForeignKey(
        "access.Agency", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.object_type}:{self.object_id}"
