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

    # Indexed by calendar_override_unique: a second index would only slow writes.
    region = models.ForeignKey(
        Territory,
        on_delete=models.CASCADE,
        limit_choices_to={"level": "region"},
        db_index=False,
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
    """Actions of the core and of access; every other app declares its own enum and
    registers it with :func:`register_audit_actions`, so adding one needs no core migration."""

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
    PASSWORD_RESET = "password_reset", _("Password reset by the administrator")
    CALENDAR_CHANGED = "calendar_changed", _("Calendar changed")
    EXPORTED = "exported", _("Data exported")


_AUDIT_LABELS: dict[str, Any] = dict(AuditAction.choices)


def region_key() -> models.ForeignKey[Territory, Territory]:
    """A record's region, set by its service from the agency or institution that keeps it
    (never on a form). No index of its own: the model's composite indexes lead with it, and
    a second index would only slow writes."""
    return models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )


def register_audit_actions(actions: type[models.TextChoices]) -> type[models.TextChoices]:
    """Make an app's audit actions known to the audit-log screen (usable as a decorator)."""
    _AUDIT_LABELS.update(actions.choices)
    return actions


def audit_action_choices() -> list[tuple[str, Any]]:
    return sorted(_AUDIT_LABELS.items(), key=lambda item: str(item[1]))


class AuditEvent(models.Model):
    """One typed audit entry, written in the same transaction as the change it records."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Snapshots, so the entry still reads correctly after a rename or a deletion.
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "access.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
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

    def get_action_display(self) -> str:
        return str(_AUDIT_LABELS.get(self.action, self.action))


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


class ConfigGeneration(models.Model):
    """One row whose value changes, in the same transaction, with every change of what
    processes cache (territories, agencies, routing rules, region settings, calendar
    overrides, indicators): a process compares it with its cache before using the cache.
    Read and bumped through :mod:`ochag.core.generation`."""

    value = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.value


class IdempotencyRecord(models.Model):
    """The stored answer to an API call made with an ``Idempotency-Key``: a retry with the
    same key gets it again. ``client`` is the calling API token's id; core knows no app's
    tokens, so it is a plain number (tokens are revoked, never deleted)."""

    # No index of its own: the (client, key) constraint's index serves every look-up.
    client = models.PositiveBigIntegerField()
    key = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="core_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.key}"
