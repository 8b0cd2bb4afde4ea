"""Where a child learns: the school, kindergarten or college an agency reported.

A separate table rather than fields of the person: a child changes school, and the card
shows the current one while the history stays. The school is named by its agency when it
works in Ochag (so the case team knows whom to involve), otherwise as reported. Rows point
at the person, so merges carry them like every other link (services/merge_rows.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SchoolKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    SCHOOL = "school", _("School")
    COLLEGE = "college", _("College")
    OTHER = "other", _("Other place of learning")


class Schooling(models.Model):
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="schooling"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SchoolKind.choices)
    agency = models.ForeignKey(
        "access.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school in Ochag"),
    )
    name = models.CharField(_("name as reported"), max_length=300, blank=True)
    group = models.CharField(_("class or group"), max_length=40, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("school or kindergarten")
        verbose_name_plural = _("schools and kindergartens")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(name=""), name="schooling_named"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.agency) if self.agency_id else self.name

    def is_current(self, on: dt.date) -> bool:
        return self.until is None or self.until >= on

    def clean(self) -> None:
        if self.agency_id is None and not self.name.strip():
            raise ValidationError(_("Choose the school from the list or write its name."))
        if self.since and self.until and self.until < self.since:
            raise ValidationError(_("The end date is before the start date."))
