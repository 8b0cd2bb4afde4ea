"""The regional data bank: children who need a family and candidate families.

A child profile points at the registry's person (never a copy). Deadlines are dates
stored on the row (computed from the working-day calendar or the calendar month when
written), so "overdue" is a query: the profile within its legal term after the child
is identified, the federal bank after a month without a family in the region, the
candidate family's home inspection within 7 days of the application.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# A child's family-legal status has care's codes: the profile shows care's record of it
# where there is one (selectors.legal_status), this field otherwise.
from ochag.care.models import LegalStatus
from ochag.core.deadlines import DeadlineTask
from ochag.core.models import region_key, register_audit_actions


@register_audit_actions
class DatabankAction(models.TextChoices):
    CHILD_SAVED = "databank_child_saved", _("Data bank: child profile saved")
    SIBLINGS_SAVED = "databank_siblings_saved", _("Data bank: sibling group saved")
    FAMILY_SAVED = "databank_family_saved", _("Data bank: candidate family saved")
    INSPECTED = "databank_inspected", _("Data bank: home inspection recorded")
    CONCLUDED = "databank_concluded", _("Data bank: guardianship conclusion recorded")
    CONTACT_RECORDED = "databank_contact_recorded", _("Data bank: contact with a child recorded")
    FEDERAL_SENT = "databank_federal_sent", _("Data bank: profiles sent to the federal bank")
    PHOTO_SAVED = "databank_photo_saved", _("Data bank: photo uploaded with consent")
    PHOTO_REMOVED = "databank_photo_removed", _("Data bank: photo removed")


class FormOfCare(models.TextChoices):
    # Codes are the matching engine's (ochag.matching.FormOfCare).
    ADOPTION = "adoption", _("Adoption")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    FOSTER = "foster", _("Foster family")
    PATRONAT = "patronat", _("Patronat family")


class Need(models.TextChoices):
    DISABILITY = "disability", _("Disability")
    CHRONIC = "chronic", _("Chronic illness")
    HIV = "hiv", _("HIV")
    HEPATITIS = "hepatitis", _("Hepatitis")
    DEVELOPMENTAL = "developmental", _("Developmental delay")


class ChildStatus(models.TextChoices):
    SEARCHING = "searching", _("Looking for a family")
    PLACED = "placed", _("Placed in a family")
    WITHDRAWN = "withdrawn", _("Withdrawn from the bank")


class Sex(models.TextChoices):
    MALE = "m", _("Boy")
    FEMALE = "f", _("Girl")


class SiblingGroup(models.Model):
    """Brothers and sisters in the bank. Together unless a recorded decision (СК 124 п. 3:
    the guardianship body's act, its number and date) allows placing them apart."""

    region = models.ForeignKey("core.Territory", on_delete=models.PROTECT, related_name="+")
    must_be_together = models.BooleanField(_("must be placed together"), default=True)
    separation_document = models.CharField(
        _("decision to place separately (document and number)"), max_length=200, blank=True
    )
    separation_on = models.DateField(_("date of the decision"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("sibling group")

    def __str__(self) -> str:
        return f"#{self.pk}"


class ChildProfile(models.Model):
    person = models.OneToOneField(
        "registry.Person", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    region = region_key()  # indexed by Meta's composite indexes
    agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("guardianship body"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ChildStatus.choices, default=ChildStatus.SEARCHING
    )
    legal_status = models.CharField(
        _("family-legal status"), max_length=20, choices=LegalStatus.choices
    )
    forms = models.JSONField(_("possible forms of care"), default=list)
    siblings = models.ForeignKey(
        SiblingGroup,
        verbose_name=_("sibling group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    health_group = models.PositiveSmallIntegerField(_("health group"), default=1)
    needs = models.JSONField(_("health needs"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=40, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    description = models.TextField(_("development and character in plain words"), blank=True)
    # The birth family's home (СК 123: nearest to it first): typed coordinates, or the
    # centre of the municipality from the committed table (ochag/databank/centroids.csv).
    home_territory = models.ForeignKey(
        "core.Territory",
        verbose_name=_("municipality of the birth family's home"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    home_by_centroid = models.BooleanField(default=False, editable=False)
    home_lat = models.FloatField(_("home latitude"))
    home_lon = models.FloatField(_("home longitude"))
    identified_on = models.DateField(_("identified on"))
    profile_due_on = models.DateField(_("profile due on"), editable=False)
    created_on = models.DateField(_("entered into the regional bank on"), editable=False)
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    placed_form = models.CharField(
        _("placed under"), max_length=20, choices=FormOfCare.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("child profile")
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        return _("Child profile #%(pk)s") % {"pk": self.pk}


class TrainingExemption(models.TextChoices):
    NONE = "", _("No exemption")
    RELATIVE = "relative", _("Close relative")
    STEP_PARENT = "step_parent", _("Step-parent")
    FORMER_GUARDIAN = "former_guardian", _("Was a guardian before")


class Conclusion(models.TextChoices):
    PENDING = "pending", _("Not issued yet")
    MAY = "may", _("May be a guardian or adopter")
    MAY_NOT = "may_not", _("May not be a guardian or adopter")


class Document(models.TextChoices):
    APPLICATION = "application", _("Application")
    PASSPORT = "passport", _("Passport")
    INCOME = "income", _("Income certificate")
    HOUSING = "housing", _("Housing documents")
    MEDICAL = "medical", _("Medical report")
    RECORD = "record", _("No-criminal-record certificate")
    MARRIAGE = "marriage", _("Marriage certificate")
    BIOGRAPHY = "biography", _("Autobiography")


# What a family accepts: the fields its form edits and the ranking reads.
FAMILY_CRITERIA = (
    "forms",
    "capacity",
    "age_min",
    "age_max",
    "sex",
    "siblings",
    "accepted_needs",
    "health_group_max",
    "languages",
    "ethnicity",
    "religion",
    "max_distance_km",
)


class CandidateFamily(models.Model):
    applicant = models.ForeignKey(
        "registry.Person", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    region = region_key()  # indexed by Meta's composite indexes
    agency = models.ForeignKey(
        "access.Agency",
        verbose_name=_("guardianship body"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    applied_on = models.DateField(_("applied on"))
    documents = models.JSONField(_("documents received"), default=list, blank=True)
    training_done_on = models.DateField(
        _("foster parents' school finished on"), null=True, blank=True
    )
    training_exemption = models.CharField(
        _("training exemption"), max_length=20, choices=TrainingExemption.choices, blank=True
    )
    conclusion = models.CharField(
        _("guardianship conclusion"),
        max_length=10,
        choices=Conclusion.choices,
        default=Conclusion.PENDING,
    )
    conclusion_valid_until = models.DateField(_("conclusion valid until"), null=True, blank=True)
    # Preferences (what the matching engine reads).
    forms = models.JSONField(_("forms of care applied for"), default=list)
    capacity = models.PositiveSmallIntegerField(_("how many children"), default=1)
    age_min = models.PositiveSmallIntegerField(_("age from"), default=0)
    age_max = models.PositiveSmallIntegerField(_("age to"), default=17)
    sex = models.CharField(_("sex wished"), max_length=1, choices=Sex.choices, blank=True)
    siblings = models.BooleanField(_("ready for brothers and sisters"), default=False)
    accepted_needs = models.JSONField(_("health needs accepted"), default=list, blank=True)
    health_group_max = models.PositiveSmallIntegerField(_("health groups up to"), default=2)
    languages = models.CharField(_("languages (comma-separated)"), max_length=100, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    max_distance_km = models.PositiveIntegerField(_("distance up to, km"), null=True, blank=True)
    home_territory = models.ForeignKey(
        "core.Territory",
        verbose_name=_("municipality of the family's home"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    home_by_centroid = models.BooleanField(default=False, editable=False)
    home_lat = models.FloatField(_("home latitude"))
    home_lon = models.FloatField(_("home longitude"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("candidate family")
        indexes = [
            models.Index(fields=["region", "applied_on"]),
            models.Index(fields=["agency", "conclusion"]),
        ]

    def __str__(self) -> str:
        return _("Candidate family #%(pk)s") % {"pk": self.pk}

    @property
    def training_ok(self) -> bool:
        return self.training_done_on is not None or bool(self.training_exemption)


class HomeInspection(DeadlineTask):
    """The family's home inspected within 7 days of the application (``done_on``: the day
    it was inspected); the core's daily check and boards read it like every deadline."""

    family = models.OneToOneField(
        CandidateFamily, on_delete=models.CASCADE, related_name="inspection"
    )

    class Meta:
        verbose_name = _("home inspection")

    def __str__(self) -> str:
        return f"{self.family_id}: {self.due_on}"


class FederalDeadline(DeadlineTask):
    """A month in the regional bank without a family: the profile goes to the federal bank
    by ``due_on`` (``done_on``: the day the file with it was sent)."""

    child = models.OneToOneField(ChildProfile, on_delete=models.CASCADE, related_name="federal")

    class Meta:
        verbose_name = _("transfer to the federal bank")

    def __str__(self) -> str:
        return f"{self.child_id}: {self.due_on}"


class ContactOutcome(models.TextChoices):
    PLANNED = "planned", _("Planned")
    MET = "met", _("Met, deciding")
    FAMILY_DECLINED = "family_declined", _("Family declined")
    CHILD_DECLINED = "child_declined", _("Child declined")
    AGREED = "agreed", _("Agreed: placement is being prepared")


class Contact(models.Model):
    """A family's acquaintance with a child (or a sibling group) and how it ended."""

    child = models.ForeignKey(ChildProfile, on_delete=models.PROTECT, related_name="contacts")
    family = models.ForeignKey(CandidateFamily, on_delete=models.PROTECT, related_name="contacts")
    on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.child_id} / {self.family_id} {self.on}"


class FederalTransfer(models.Model):
    """A file of profiles sent to the federal bank: who sent it, when, which children."""

    region = models.ForeignKey("core.Territory", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey("access.User", on_delete=models.PROTECT, related_name="+")
    children = models.ManyToManyField(ChildProfile, related_name="transfers")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.sent_on} ({self.sha256[:8]})"


class BankGeneration(models.Model):
    """Changes with every write that can change a region's family ranking (a family saved,
    inspected, concluded), in that write's transaction: a process's cached family pool for
    the region is stale when this differs (ochag/databank/ranking.py)."""

    region = models.OneToOneField("core.Territory", on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.region_id}: {self.value}"


class PhotoPurpose(models.TextChoices):
    PROFILE = "profile", _("In the full profile (guardianship and the bank's operator)")
    CANDIDATES = "candidates", _("Shown to candidate families in the anonymised profile")


def _photo_storage() -> Any:
    from ochag.databank.photos import storage

    return storage


class ChildPhoto(models.Model):
    """The child's photo, uploaded only with a recorded consent (who gave it, on which day,
    for which purposes). The file lives under the private media root (mode 0600), has no
    public URL and is served through views that check the policy and log the read."""

    child = models.OneToOneField(ChildProfile, on_delete=models.CASCADE, related_name="photo")
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(storage=_photo_storage, upload_to="databank/photos/", editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    consent_by = models.CharField(_("consent given by (name and capacity)"), max_length=200)
    consent_on = models.DateField(_("consent given on"))
    purposes = models.JSONField(_("consent given for"), default=list)
    uploaded_by = models.ForeignKey(
        "access.User", on_delete=models.PROTECT, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")

    def __str__(self) -> str:
        return f"{self.child_id}: {self.token[:8]}"

    def allows(self, purpose: str) -> bool:
        return purpose in self.purposes
