"""Agencies of the prevention system, their staff, and the roles staff act in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ochag.core.models import Territory, register_audit_actions


@register_audit_actions
class TrustAction(models.TextChoices):
    """Audit actions of sign-in protection, API tokens, break-glass access and retention."""

    UNLOCKED_BY_EMAIL = "unlocked_by_email", _("Sign-in allowed from a browser by e-mailed link")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TOKEN_ROTATED = "token_rotated", _("API token rotated")
    KNOWN_LOOKUP = "known_lookup", _("Looked up whether a person is known to the system")
    BREAK_GLASS = "break_glass", _("Emergency access to a record outside one's work")
    RETENTION_PLANNED = "retention_planned", _("Retention: records past their term listed")
    RETENTION_DELETED = "retention_deleted", _("Retention: record deleted after its term")
    PERSON_MARKED = "person_marked", _("Person marked for deletion")
    PERSON_UNMARKED = "person_unmarked", _("Mark for deletion withdrawn")


class AgencyType(models.TextChoices):
    KDN = "kdn", _("Commission on minors' affairs (KDN)")
    GUARDIANSHIP = "guardianship", _("Guardianship body")
    SOCIAL_PROTECTION = "social_protection", _("Social protection")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health care")
    POLICE = "police", _("Police juvenile unit")
    NGO = "ngo", _("Non-profit organisation")
    INSTITUTION = "institution", _("Residential institution")
    HELPLINE = "helpline", _("Helpline")
    MINISTRY = "ministry", _("Regional ministry")


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=30, choices=AgencyType.choices)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("territory")
    )
    email = models.EmailField(_("duty e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    KDN_SECRETARY = "kdn_secretary", _("KDN secretary")
    GUARDIANSHIP_SPECIALIST = "guardianship_specialist", _("Guardianship specialist")
    CASE_CURATOR = "case_curator", _("Case curator")
    SCHOOL_SOCIAL_PEDAGOGUE = "school_social_pedagogue", _("School social pedagogue")
    CLINIC_STAFF = "clinic_staff", _("Clinic staff")
    POLICE_INSPECTOR = "police_inspector", _("Police juvenile inspector")
    NGO_WORKER = "ngo_worker", _("NGO worker")
    INSTITUTION_STAFF = "institution_staff", _("Institution staff")
    HELPLINE_OPERATOR = "helpline_operator", _("Helpline operator")
    FEDERAL_ANALYST = "federal_analyst", _("Federal analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles whose work spans the whole region rather than the agency's municipality.
REGION_WIDE_ROLES = frozenset({Role.REGIONAL_COORDINATOR, Role.FEDERAL_ANALYST, Role.ADMINISTRATOR})
# The federal analyst sees counts only; every other role sees someone's personal data.
AGGREGATE_ONLY_ROLES = frozenset({Role.FEDERAL_ANALYST})


class User(AbstractUser):
    """A member of staff. Every user belongs to exactly one agency and acts in one role."""

    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    is_supervisor = models.BooleanField(
        _("supervisor"), default=False, help_text=_("Sees and oversees the work of the agency.")
    )
    # Demo accounts skip two-factor authentication so the demo can be tried at once;
    # the interface says so on every page.
    is_demo = models.BooleanField(_("demo account"), default=False)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(default=0)
    # Set when sign-in with this login is paused after repeated failures (see lockout.py);
    # shown to administrators, who can lift it.
    locked_until = models.DateTimeField(null=True, blank=True)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """«Иванова М. П.», or the login name when no name is filled in."""
        if not self.last_name:
            return self.username
        initials = "".join(f" {part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name}{initials}"

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def sees_personal_data(self) -> bool:
        return self.role not in AGGREGATE_ONLY_ROLES

    @property
    def requires_two_factor(self) -> bool:
        return self.sees_personal_data and not self.is_demo

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def scope_territory(self) -> Territory | None:
        """The root of the territory subtree this user works in."""
        if self.agency is None:
            return None
        territory = self.agency.territory
        if self.role in REGION_WIDE_ROLES:
            return territory.region or territory
        return territory


class ThrottleBucket(models.Model):
    """How many attempts a key (a login, a browser, an address) made in its current window.

    The row is locked while an attempt is counted (ochag.access.throttle), so concurrent
    attempts are counted one after another: the database is the store every process shares.
    """

    key = models.CharField(max_length=200, primary_key=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class AgencyToken(models.Model):
    """An agency system's API token. Only a SHA-256 hash is kept; the token is shown once.

    A token works until it is revoked or its expiry passes; ``last_used_at`` is kept to the
    minute, and every signal it sends names it in its audit entry."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("beginning"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.agency} / {self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class BreakGlassKind(models.TextChoices):
    PERSON = "person", _("Person")
    HOUSEHOLD = "household", _("Household")


class BreakGlass(models.Model):
    """Emergency read access to one registry record outside the user's work, for a few hours.

    The access app sits below the registry, so the record is named by kind and id; the
    registry's policy counts a live grant as involvement (ochag.registry.involvement)."""

    # Indexed by the (user, kind, expires_at) index: a second index would only slow writes.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("user"), db_index=False)  # fmt: skip
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))  # fmt: skip
    kind = models.CharField(_("record"), max_length=20, choices=BreakGlassKind.choices)
    record_id = models.PositiveBigIntegerField(_("record number"))
    # The record's municipality: the coordinator and the auditor see their region's uses.
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("municipality"))  # fmt: skip
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started"))
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [models.Index(fields=["user", "kind", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.kind} {self.record_id}"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()


class Notification(models.Model):
    """One message to one user, or to an agency's duty address, from any app.

    ``kind`` is the sending app's own word (its app label first where it needs telling apart);
    ``subject_type``/``subject_id`` name the record it is about (``cases.case``, 12) so each app
    lists its own through its policy, and ``subject_label`` keeps the record's number for lists
    and for after the record is gone. ``key``, when given, makes sending idempotent (a daily
    check that runs twice notifies once). Written only by :mod:`ochag.access.notifications`.
    """

    key = models.CharField(max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    # Indexed by the (recipient, read_at) index: a second index would only slow writes.
    recipient = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField(_("message"))
    url = models.CharField(max_length=300, blank=True)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)  # where its e-mail went, if one did
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="notification_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | models.Q(agency__isnull=False),
                name="notification_has_an_addressee",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:60]}"
