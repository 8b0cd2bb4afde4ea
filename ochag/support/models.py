"""The support app's data: the region's service catalogue, providers and their services with
the standard each follows, referrals from a case with the family's consent, delivery records
against the standard's indicators, and the links a family opens its page with.

Free places and waiting lists are not stored: they are counted from referrals
(:mod:`ochag.support.selectors`), so the directory, the provider's queue and any coverage
figure cannot disagree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ochag.core.deadlines import DeadlineTask
from ochag.core.models import register_audit_actions


@register_audit_actions
class SupportAction(models.TextChoices):
    SERVICE_TYPE_SAVED = "support_service_type_saved", _("Service type saved")
    PROVIDER_CREATED = "support_provider_created", _("Provider created")
    PROVIDER_UPDATED = "support_provider_updated", _("Provider updated")
    SERVICE_CREATED = "support_service_created", _("Service created")
    SERVICE_UPDATED = "support_service_updated", _("Service updated")
    CONSENT_RECORDED = "support_consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "support_consent_withdrawn", _("Consent withdrawn")
    REFERRAL_SENT = "support_referral_sent", _("Referral sent")
    REFERRAL_ANSWERED = "support_referral_answered", _("Referral answered")
    REFERRAL_WITHDRAWN = "support_referral_withdrawn", _("Referral withdrawn")
    DELIVERY_RECORDED = "support_delivery_recorded", _("Delivery recorded")
    FAMILY_LINK_ISSUED = "support_family_link_issued", _("Family page link issued")
    FAMILY_LINK_REVOKED = "support_family_link_revoked", _("Family page link revoked")
    FAMILY_PAGE_OPENED = "support_family_page_opened", _("Family page opened")
    TASK_NEED_SAVED = "support_task_need_saved", _("Plan task's need saved")


class ServiceType(models.Model):
    """One entry of the regional catalogue of services (the coordinator edits it)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    plain_name = models.CharField(
        _("name in plain words (public directory)"), max_length=200, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        return self.plain_name or self.name


class ProviderKind(models.TextChoices):
    KCSON = "kcson", _("Comprehensive social service centre (КЦСОН)")
    SRCN = "srcn", _("Social rehabilitation centre for minors (СРЦН)")
    NGO = "ngo", _("Non-profit organisation")
    CLINIC = "clinic", _("Clinic or hospital")
    SCHOOL = "school", _("School or kindergarten")
    OTHER = "other", _("Other organisation")


class Provider(models.Model):
    """An organisation that delivers services: an agency of Ochag or a record of its own."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("agency in Ochag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Its staff answer the referrals sent to it."),
    )
    region = models.ForeignKey(
        "core.Territory", on_delete=models.PROTECT, related_name="+", editable=False
    )
    territory = models.ForeignKey(
        "core.Territory",
        verbose_name=_("located in"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipalities = models.ManyToManyField(
        "core.Territory", verbose_name=_("municipalities served"), related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=60)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_leading_operator = models.BooleanField(
        _("the region's leading operator of family support"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_leading_operator=True),
                name="support_one_leading_operator_per_region",
                violation_error_message=_("The region already has a leading operator."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceFormat(models.TextChoices):
    HOME = "home", _("Home visits")
    DAY = "day", _("Day service")
    RESIDENTIAL = "residential", _("Residential")
    REMOTE = "remote", _("Remote (phone or online)")


class Service(models.Model):
    """A service one provider delivers, with its capacity and the standard it follows."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    type = models.ForeignKey(
        ServiceType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("what the family gets, in plain words"), blank=True)
    eligibility = models.TextField(_("who can get it"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=ServiceFormat.choices)
    capacity = models.PositiveIntegerField(_("places (families at a time)"))
    cost_per_family_month = models.DecimalField(
        _("cost per family-month, roubles"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    standard_name = models.CharField(_("standard"), max_length=300, blank=True)
    standard_criteria = models.TextField(_("criteria of the standard"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["type__order", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One indicator of a service's standard, by which delivery is checked."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.TextChoices):
    """When a referral needs no parent's consent, the ground is named from this list."""

    CONSENT = "consent", _("Consent of the parent or legal representative")
    NO_PARENT = "no_parent", _("The child is left without parental care (СК РФ, ст. 121)")
    THREAT = "threat", _("Immediate threat to the child's life or health (СК РФ, ст. 77)")
    KDN = "kdn", _("Resolution of the КДН (120-ФЗ, ст. 11)")
    COURT = "court", _("Court decision")


# A referral and its consent come from a case or from a signal offered support, never both.
ONE_SOURCE = Q(case__isnull=False, signal__isnull=True) | Q(case__isnull=True, signal__isnull=False)


class Consent(models.Model):
    """A family's consent to a referral (or the legal basis that replaces it)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    basis = models.CharField(_("basis"), max_length=20, choices=LegalBasis.choices)
    given_by = models.CharField(_("consent given by"), max_length=300, blank=True)
    given_on = models.DateField(_("date of consent"))
    scope = models.TextField(_("what the family agreed to share"))
    shares_health = models.BooleanField(_("health details may be shared"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_note = models.TextField(_("withdrawal"), blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [models.CheckConstraint(condition=ONE_SOURCE, name="consent_one_source")]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}, {self.given_on:%d.%m.%Y}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting an answer")
    WAITING = "waiting", _("On the waiting list")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Referrals holding a place at their service (counted against its capacity).
PLACE_HOLDING = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
# Referrals the provider has still to answer.
UNANSWERED = (ReferralStatus.SENT, ReferralStatus.WAITING)
OPEN_STATUSES = (*UNANSWERED, *PLACE_HOLDING)


class Outcome(models.TextChoices):
    REACHED = "reached", _("Goal reached")
    PARTLY = "partly", _("Goal partly reached")
    NOT_REACHED = "not_reached", _("Goal not reached")


class Referral(DeadlineTask):
    """A family referred to one service from a case or from a signal offered support;
    transitions as in Primero.

    The provider's answer is its deadline (the core deadline base): ``due_on`` is the day the
    answer is due, ``done_on`` the day the provider first answered (or the referral was
    withdrawn unanswered), ``overdue_since`` the daily check's stamp."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        "cases.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Indexed by the (service, status) index, which leads with it.
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    territory = models.ForeignKey("core.Territory", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("what the provider needs to know"))
    health_note = models.TextField(_("health details (shared only with consent)"), blank=True)
    status = models.CharField(
        _("state"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["service", "status"])]
        constraints = [models.CheckConstraint(condition=ONE_SOURCE, name="referral_one_source")]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.service}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralEvent(models.Model):
    """One transition of a referral, for its history and the case timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status}"


class Delivery(models.Model):
    """A record of delivery against one indicator of the service's standard."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="deliveries")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    met = models.BooleanField(_("met"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.date:%d.%m.%Y}"


class TaskNeed(models.Model):
    """What a case's plan task asks of support: the type of service it needs (the coverage
    table counts these), and whether the family sees the task on its page, in plain words.

    Kept here, not on the task: the plan belongs to cases, what support and the family's
    page make of it belongs to support (cases never imports support).
    """

    task = models.OneToOneField("cases.Task", on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(
        ServiceType,
        verbose_name=_("service needed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shown_to_family = models.BooleanField(_("shown on the family's page"), default=False)
    family_text = models.CharField(
        _("the task in plain words for the family"), max_length=300, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.task_id}: {self.need_id}"


class FamilyLink(models.Model):
    """The code a curator gives a family to open its page; only its hash is kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    openings = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.expires_at:%d.%m.%Y}"
