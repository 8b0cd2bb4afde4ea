"""Persons, households and the ties between them: the one registry every signal links to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.core.models import Territory


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
        raise ValidationError(_("SNILS %(value)s has a wrong check number."), params={"value": value})


class Person(models.Model):
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    # A birth date may be known only to the month or the year.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True, db_index=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    snils = models.CharField(_("SNILS"), max_length=11, blank=True, db_index=True,
                             validators=[validate_snils])
    birth_certificate = models.CharField(_("birth certificate"), max_length=40, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=60, blank=True, default="RUS")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("municipality"))
    # Normalised keys written from ochag.linkage so search is an indexed lookup.
    key_last = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    key_first = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    key_patronymic = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    # Set when this record was merged into another; the record itself is kept for unmerge.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name", "patronymic"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["key_last", "key_first"]),
            models.Index(fields=["territory", "key_last"]),
        ]

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
    def birth_display(self) -> str:
        """ДД.ММ.ГГГГ, or as much of it as is known."""
        if self.birth_year is None:
            return ""
        if self.birth_month is None:
            return f"{self.birth_year}"
        if self.birth_day is None:
            return f"{self.birth_month:02d}.{self.birth_year}"
        return f"{self.birth_day:02d}.{self.birth_month:02d}.{self.birth_year}"

    @property
    def birth_iso(self) -> str:
        """YYYY-MM-DD, YYYY-MM or YYYY, as the linkage engine takes it."""
        parts = [f"{self.birth_year:04d}"] if self.birth_year else []
        if self.birth_year and self.birth_month:
            parts.append(f"{self.birth_month:02d}")
            if self.birth_day:
                parts.append(f"{self.birth_day:02d}")
        return "-".join(parts)

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
    name = models.CharField(_("name"), max_length=200, blank=True,
                            help_text=_("Usually the surname of the family."))
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("municipality"))
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
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
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

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(_("relationship"), max_length=20, choices=RelationKind.choices)
    relative_of = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_in")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "relative_of"], name="relationship_unique"),
            models.CheckConstraint(condition=~models.Q(person=models.F("relative_of")),
                                   name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()} — {self.relative_of}"


class PersonVersion(models.Model):
    """A snapshot of a person after each change: the full change history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    data = models.JSONField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="person_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"
