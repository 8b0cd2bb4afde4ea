"""The care app's data: residential institutions (capacity, remoteness, transformation plan,
visits and incidents) and the children placed in them (admission, parents' contacts,
discharge, overseer, reintegration plan). The commission on justified placement lives in
:mod:`ochag.care.commission_models`.

A child in care is a registry person: a placement points at ``registry.Person`` and never
copies the name. Length of stay and age band are queries over ``admitted_on`` and the
person's birth date (:mod:`ochag.care.selectors`), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ochag.care.commission_models import (  # noqa: F401 - models of this app, defined apart
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    MemberRole,
    ReturnAction,
    ReviewKind,
    Sitting,
    SittingStatus,
)
from ochag.core.deadlines import DeadlineTask
from ochag.core.models import region_key, register_audit_actions


@register_audit_actions
class CareAction(models.TextChoices):
    INSTITUTION_SAVED = "care_institution_saved", _("Institution saved")
    MILESTONE_SAVED = "care_milestone_saved", _("Transformation milestone saved")
    VISIT_RECORDED = "care_visit_recorded", _("Institution visit recorded")
    INCIDENT_RECORDED = "care_incident_recorded", _("Incident recorded")
    INCIDENT_FOLLOWED_UP = "care_incident_followed_up", _("Incident follow-up done")
    ADMITTED = "care_admitted", _("Child admitted to an institution")
    DISCHARGED = "care_discharged", _("Child discharged")
    OVERSEER_ASSIGNED = "care_overseer_assigned", _("Overseer assigned")
    CONTACT_RECORDED = "care_contact_recorded", _("Parents' contact recorded")
    PLAN_OPENED = "care_plan_opened", _("Reintegration plan opened")
    SETTINGS_SAVED = "care_settings_saved", _("Care settings saved")
    SITTING_CREATED = "care_sitting_created", _("Placement commission sitting created")
    SITTING_CLOSED = "care_sitting_closed", _("Placement commission sitting closed")
    AGENDA_CHANGED = "care_agenda_changed", _("Placement commission agenda changed")
    DECIDED = "care_decided", _("Placement decision recorded")
    CONFIRMED = "care_confirmed", _("Placement decision confirmed")
    MEMBER_SAVED = "care_member_saved", _("Commission member saved")
    MEMBER_REMOVED = "care_member_removed", _("Commission member removed")
    DEADLINES_CHECKED = "care_deadlines_checked", _("Care deadlines checked")


class InstitutionType(models.TextChoices):
    INFANT_HOME = "infant_home", _("Infant home (дом ребёнка)")
    ORPHANAGE = "orphanage", _("Orphanage (центр содействия семейному воспитанию)")
    SRCN = "srcn", _("Social rehabilitation centre for minors (СРЦН)")
    BOARDING_DISABLED = "boarding_disabled", _("Boarding home for disabled children")
    SHELTER = "shelter", _("Shelter")
    OTHER = "other", _("Other")


class TransformationStatus(models.TextChoices):
    NONE = "none", _("No plan")
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Transformed")


class CareSettings(models.Model):
    """The region's figures for care: what counts as remote, how often institutions must be
    visited, the review deadlines of the placement commission and the money table's
    fallback family-support cost. One row per region; defaults until the coordinator sets
    them (they are regional, domain.md §5 row 10)."""

    region = models.OneToOneField(
        "core.Territory", on_delete=models.CASCADE, related_name="+", editable=False
    )
    remote_km = models.PositiveIntegerField(_("remote from, km"), default=150)
    remote_minutes = models.PositiveIntegerField(_("remote from, minutes of travel"), default=180)
    visit_period_days = models.PositiveIntegerField(
        _("an institution is visited at least every, days"), default=90
    )
    admission_review_days = models.PositiveSmallIntegerField(
        _("admission reviewed within, working days"), default=10
    )
    extension_notice_days = models.PositiveSmallIntegerField(
        _("extension reviewed before the term ends, working days"), default=10
    )
    family_support_month_cost = models.DecimalField(
        _("family support per month, roubles (manual figure)"),
        max_digits=10,
        decimal_places=2,
        default=15000,
    )
    legal_source = models.CharField(
        _("regional act"),
        max_length=300,
        blank=True,
        default="Положение о межведомственной комиссии",
    )

    class Meta:
        verbose_name = _("care settings")

    def __str__(self) -> str:
        return str(self.region)


class MonthlyCost(models.Model):
    """The regional table: cost per child-month by institution type."""

    # Indexed by the (region, type) unique constraint.
    region = models.ForeignKey(
        "core.Territory", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    type = models.CharField(_("institution type"), max_length=30, choices=InstitutionType.choices)
    per_child_month = models.DecimalField(
        _("cost per child-month, roubles"), max_digits=10, decimal_places=2
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "type"], name="care_one_cost_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.per_child_month}"


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=300)
    type = models.CharField(_("type"), max_length=30, choices=InstitutionType.choices)
    # The institution's own agency in Ochag: its staff see its children.
    agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("institution's agency in Ochag"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    operating_agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("operating agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = region_key()  # indexed by Meta's composite indexes
    territory = models.ForeignKey(
        "core.Territory", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (places)"))
    distance_km = models.PositiveIntegerField(_("distance to the regional centre, km"), default=0)
    travel_minutes = models.PositiveIntegerField(
        _("travel time to the regional centre, minutes"), default=0
    )
    # Stored when the institution or the region's threshold is saved, so lists filter on it.
    is_remote = models.BooleanField(_("remote"), default=False, editable=False)
    transformation_target = models.CharField(_("target model"), max_length=300, blank=True)
    transformation_status = models.CharField(
        _("transformation status"),
        max_length=20,
        choices=TransformationStatus.choices,
        default=TransformationStatus.NONE,
    )
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("operating"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [models.Index(fields=["region", "is_remote", "last_visit_on"])]

    def __str__(self) -> str:
        return self.name


class Milestone(DeadlineTask):
    """A step of the institution's transformation plan: a core deadline task (the daily check
    stamps ``overdue_since``), owned by an agency, with the person responsible by name."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=300)
    owner = models.CharField(_("responsible"), max_length=200)
    # Null only on milestones recorded before owners were agencies.
    owner_agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due"), db_index=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="visits")
    agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("visiting agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_on = models.DateField(_("date of the visit"))
    announced = models.BooleanField(_("announced in advance"), default=True)
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution} {self.visited_on:%d.%m.%Y}"


class IncidentKind(models.TextChoices):
    INJURY = "injury", _("Injury")
    RUNAWAY = "runaway", _("Running away")
    COMPLAINT = "complaint", _("Complaint")
    ABUSE = "abuse", _("Suspected abuse")


class Incident(DeadlineTask):
    """An incident and its follow-up task: a core deadline task owned by the responsible
    agency (``follow_up_agency``), due in working days, done when marked so."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    follow_up = models.CharField(_("follow-up task"), max_length=300)
    follow_up_agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("follow-up due"), db_index=True)
    done_on = models.DateField(_("follow-up done"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d.%m.%Y}"


class Ground(models.TextChoices):
    PARENTS_REQUEST = "parents_request", _("Parents' request (temporary placement by agreement)")
    REMOVAL = "removal", _("Removal under СК РФ, ст. 77")
    DEPRIVED = "deprived", _("Parents deprived or restricted of parental rights")
    NO_CARE = "no_care", _("Left without parental care")
    OTHER = "other", _("Other")


class LegalStatus(models.TextChoices):
    WITH_RIGHTS = "with_rights", _("Parents alive and with parental rights")
    RESTRICTED = "restricted", _("Parents restricted in rights")
    DEPRIVED = "deprived", _("Parents deprived of rights")
    UNKNOWN = "unknown", _("Parents unknown")
    DECEASED = "deceased", _("Parents deceased")


class Outcome(models.TextChoices):
    HOME = "home", _("Home to the parents")
    RELATIVES = "relatives", _("To relatives")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    FOSTER = "foster", _("Foster family")
    ADOPTION = "adoption", _("Adoption")
    INSTITUTION = "institution", _("Another institution")
    ADULTHOOD = "adulthood", _("Came of age")


# Outcomes that count as a return to the birth family (monitoring's «returns home»).
RETURN_HOME = (Outcome.HOME, Outcome.RELATIVES)


class Placement(models.Model):
    """A child's stay in an institution, from admission to discharge."""

    child = models.ForeignKey(
        "registry.Person", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    # Indexed by the (institution, discharged_on) index.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="placements",
        db_index=False,
    )
    region = region_key()  # indexed by Meta's composite indexes
    admitted_on = models.DateField(_("admitted on"))
    ground = models.CharField(_("ground"), max_length=30, choices=Ground.choices)
    act_number = models.CharField(_("placing body's act, number"), max_length=60)
    act_date = models.DateField(_("date of the act"))
    placing_agency = models.ForeignKey(
        "access.Agency", verbose_name=_("placing body"), on_delete=models.PROTECT, related_name="+"
    )
    family_territory = models.ForeignKey(
        "core.Territory",
        verbose_name=_("family's municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_status = models.CharField(
        _("family-legal status"), max_length=20, choices=LegalStatus.choices
    )
    # The birth family (siblings are the other placements of the same household).
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("birth family"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    family_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("family's prevention case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The removal rested on poverty-type grounds only (flagged by the cases app).
    poverty_only = models.BooleanField(_("removal on poverty-type grounds only"), default=False)
    term_until = models.DateField(_("agreed term of stay"), null=True, blank=True)
    overseer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("overseer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    barriers = models.TextField(_("what stands in the way of going home"), blank=True)
    plan_goal = models.TextField(_("reintegration plan"), blank=True)
    plan_opened_on = models.DateField(_("reintegration plan opened"), null=True, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-admitted_on", "-pk"]
        verbose_name = _("child in care")
        verbose_name_plural = _("children in care")
        indexes = [
            models.Index(fields=["institution", "discharged_on"]),
            models.Index(fields=["region", "discharged_on", "admitted_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(discharged_on__isnull=True),
                name="care_one_open_placement_per_child",
                violation_error_message=_("The child is already in care."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.institution}"

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit to the institution")
    HOME_LEAVE = "home_leave", _("Weekend or holiday at home")
    CALL = "call", _("Phone or video call")
    NONE = "none", _("No contact in the month (noted)")


class ParentContact(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    who = models.CharField(_("who"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d.%m.%Y}"
