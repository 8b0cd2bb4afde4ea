"""Persons, households and the ties between them: the one registry every signal links to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.core.dates import PartialDate
from ochag.core.models import Territory, register_audit_actions
from ochag.registry.disability import DisabilityStatus, PersonDisability  # noqa: F401 - apart
from ochag.registry.schooling import Schooling, SchoolKind  # noqa: F401 - defined apart


@register_audit_actions
class RegistryAction(models.TextChoices):
    PERSON_CREATED = "person_created", _("Person created")
    PERSON_UPDATED = "person_updated", _("Person updated")
    PERSON_SEARCHED = "person_searched", _("Persons searched")
    PERSON_RESOLVED = "person_resolved", _("Person looked up before creation")
    PERSONS_MERGED = "persons_merged", _("Persons merged")
    PERSONS_UNMERGED = "persons_unmerged", _("Merge undone")
    DUPLICATE_DISMISSED = "duplicate_dismissed", _("Marked as not a duplicate")
    DUPLICATES_FOUND = "duplicates_found", _("Duplicate search run")
    HOUSEHOLD_CREATED = "household_created", _("Household created")
    HOUSEHOLD_UPDATED = "household_updated", _("Household updated")
    MEMBER_ADDED = "member_added", _("Household member added")
    MEMBER_REMOVED = "member_removed", _("Household member removed")
    RELATIONSHIP_ADDED = "relationship_added", _("Relationship added")
    RELATIONSHIP_REMOVED = "relationship_removed", _("Relationship removed")
    FORMER_NAME_ADDED = "former_name_added", _("Former surname recorded")
    SCHOOLING_ADDED = "schooling_added", _("School or kindergarten recorded")
    SCHOOLING_ENDED = "schooling_ended", _("School or kindergarten left")
    DISABILITY_RECORDED = "disability_recorded", _("Disability status recorded")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


def snils_checksum_ok(digits: str) -> bool:
    """The SNILS control number rule (Pension Fund regulation): weights 9..1, mod 101."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    body, control = digits[:9], int(digits[9:])
    if int(body) <= 1001998:  # numbers up to 001-001-998 were issued without a checksum
        return True
    total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
    expected = total % 101
    if expected == 100:
        expected = 0
    return expected == control


def validate_snils(value: str) -> None:
    if not snils_checksum_ok(value):
        raise ValidationError(
            _("SNILS %(value)s has a wrong check number."), params={"value": value}
        )


def birth_iso(year: int | None, month: int | None, day: int | None) -> str:
    """YYYY-MM-DD, YYYY-MM or YYYY (empty when the year is unknown)."""
    return PartialDate(year or None, month if year else None, day if year and month else None).iso


class Person(models.Model):
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    # A birth date may be known only to the month or the year.
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, db_index=True
    )
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    snils = models.CharField(
        _("SNILS"), max_length=11, blank=True, db_index=True, validators=[validate_snils]
    )
    birth_certificate = models.CharField(_("birth certificate"), max_length=40, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=60, blank=True, default="RUS")
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Indexed by the (territory, last_name) index: a second index would only slow writes.
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
        db_index=False,
    )
    # Normalised keys written from ochag.linkage so search is an indexed lookup.
    # key_first / key_first_skel hold space-separated values (a diminutive stands for several
    # full names); the one-row-per-value PersonKey table is what search queries.
    key_last = models.CharField(max_length=100, blank=True, editable=False)
    key_last_skel = models.CharField(max_length=100, blank=True, editable=False)
    key_first = models.CharField(max_length=200, blank=True, editable=False)
    key_first_skel = models.CharField(max_length=200, blank=True, editable=False)
    key_patronymic = models.CharField(max_length=100, blank=True, editable=False)
    key_birth = models.CharField(max_length=10, blank=True, db_index=True, editable=False)
    # Every PersonKey value of the person, space-separated (no key holds a space). On
    # PostgreSQL a GIN index over its words (migration 0009) lets a tolerant search intersect
    # the persons of each query word in the index: aggregating the key rows of a common first
    # name and father's name per person took 80-450 ms at 1 M persons. Bulk loaders writing
    # key rows directly must write this column too (bench/linkage/findability.py does).
    key_words = models.TextField(blank=True, default="", editable=False)
    # Set when this record was merged into another; the record itself is kept for unmerge.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name", "patronymic"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["territory", "last_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def birth_date(self) -> dt.date | None:
        if self.birth_year and self.birth_month and self.birth_day:
            return dt.date(self.birth_year, self.birth_month, self.birth_day)
        return None

    @property
    def birth(self) -> PartialDate:
        return PartialDate(self.birth_year, self.birth_month, self.birth_day)

    @property
    def birth_display(self) -> str:
        """ДД.ММ.ГГГГ, or as much of it as is known."""
        return self.birth.display

    @property
    def birth_iso(self) -> str:
        """YYYY-MM-DD, YYYY-MM or YYYY, as the linkage engine takes it."""
        return self.birth.iso

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_year is None:
            return None
        month, dom = self.birth_month or 7, self.birth_day or 1
        return day.year - self.birth_year - ((day.month, day.day) < (month, dom))

    def clean(self) -> None:
        if self.birth_day and not self.birth_month:
            raise ValidationError(_("A day of birth needs a month of birth."))
        if self.birth_month and not self.birth_year:
            raise ValidationError(_("A month of birth needs a year of birth."))
        if self.birth_year:
            try:
                dt.date(self.birth_year, self.birth_month or 1, self.birth_day or 1)
            except ValueError as exc:
                raise ValidationError(_("The date of birth does not exist.")) from exc


class Household(models.Model):
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("Usually the surname of the family.")
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.name or str(_("Household %(id)s") % {"id": self.pk})


class MemberRole(models.TextChoices):
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    GRANDPARENT = "grandparent", _("Grandparent")
    RELATIVE = "relative", _("Other relative")
    OTHER = "other", _("Other household member")


class Membership(models.Model):
    # Indexed by membership_unique: a second index would only slow writes.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role in household"), max_length=20, choices=MemberRole.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class RelationKind(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    RELATIVE = "relative", _("Other relative")


class Relationship(models.Model):
    """``person`` is the ``kind`` of ``relative_of`` (e.g. person is the mother of relative_of)."""

    # Indexed by relationship_unique: a second index would only slow writes.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relations_out", db_index=False
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationKind.choices)
    relative_of = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "relative_of"], name="relationship_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("relative_of")), name="relationship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()} — {self.relative_of}"


class PersonVersion(models.Model):
    """A snapshot of a person after each change: the full change history."""

    # Indexed by the (person, version) constraint; a second index only slows writes.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    version = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="person_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"


class PersonFormerName(models.Model):
    """A surname the person bore before (maiden name, a name before adoption), with the date
    it changed as the agency recorded it; search and matching find the person by it too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="former_names")
    last_name = models.CharField(_("former last name"), max_length=100)
    changed_on = models.DateField(_("changed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("former last name")
        verbose_name_plural = _("former last names")

    def __str__(self) -> str:
        return self.last_name


class PersonKey(models.Model):
    """One normalised search key of a person, prefixed by its kind (see KEY_KINDS).

    A narrow (key, person) table: every name token of a staff query becomes an indexed
    ``key IN (...)`` lookup, whatever part of the name it is.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=110)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="registry_personkey_key")]

    def __str__(self) -> str:
        return self.key


# Prefixes of PersonKey.key: surname family key, surname skeleton, canonical first name,
# first-name skeleton, father's-name key.
KEY_KINDS = ("L", "K", "F", "G", "P")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    DISMISSED = "dismissed", _("Not a duplicate")
    MERGED = "merged", _("Merged")


class DuplicateCandidate(models.Model):
    """A likely duplicate pair found by the linkage engine, waiting for a person to decide."""

    # Indexed by duplicate_pair_unique: a second index would only slow writes.
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("probability"))
    score = models.FloatField(default=0.0)
    explanation = models.JSONField(default=list)
    conflicts = models.JSONField(default=list)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
        db_index=True,
    )
    found_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-probability", "pk"]
        verbose_name = _("possible duplicate")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.probability:.2f})"

    @property
    def is_blocked(self) -> bool:
        return bool(self.conflicts)


class MergeRecord(models.Model):
    """A merge of ``merged`` into ``kept`` with everything needed to undo it exactly.

    ``state`` holds both persons' field values before the merge, every row of another table
    whose link to ``merged`` was moved to ``kept`` (model, pk, field), and the full data of
    rows that could not be moved (a unique or check constraint) and were set aside.
    """

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    duplicate = models.ForeignKey(
        DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    state = models.JSONField()
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("merge")

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class PersonDeletionMark(models.Model):
    """The coordinator's decision, with its reason, that a person's record is to be deleted.

    A person is never deleted silently: the mark is made only when no other record still
    needs the person, and the retention job deletes the record a week later (time to
    withdraw the mark), writing an audit entry."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="deletion_mark", verbose_name=_("person")
    )
    reason = models.TextField(_("reason"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"), auto_now_add=True)

    class Meta:
        verbose_name = _("mark for deletion")
        verbose_name_plural = _("marks for deletion")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.reason[:40]}"
