"""A person's disability status as the medico-social expertise (МСЭ) established it.

A separate table rather than fields of the person: it is health data (152-ФЗ Art. 10), so
it stays out of the person's versions, merge snapshots and every page that shows identity,
and only roles with need-to-know read it (``RegistryPolicyAction.SEE_HEALTH``). Rows are
append-only: each change is a new row, so the card's history shows who recorded what and
when. No row means nothing is recorded — not the same as «not established».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisabilityStatus(models.TextChoices):
    NONE = "none", _("Disability not established")
    CHILD = "child", _("Category «disabled child»")
    ADULT = "adult", _("Disability group (adult)")


DISABLED = frozenset({DisabilityStatus.CHILD, DisabilityStatus.ADULT})


class PersonDisability(models.Model):
    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="disabilities"
    )
    status = models.CharField(_("disability"), max_length=10, choices=DisabilityStatus.choices)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Empty for rows no person recorded (the demo, an import).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("disability status")
        verbose_name_plural = _("disability statuses")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.status}"

    @property
    def is_disabled(self) -> bool:
        return self.status in DISABLED

    def clean(self) -> None:
        if self.is_disabled and self.established_on is None:
            raise ValidationError(
                {"established_on": _("Enter the date the disability was established.")}
            )
        if not self.is_disabled and (self.established_on or self.review_on):
            raise ValidationError(_("Dates are recorded only for an established disability."))
        if self.established_on and self.review_on and self.review_on <= self.established_on:
            raise ValidationError(
                {"review_on": _("The review date must be after the date established.")}
            )


def status_on(rows: Iterable[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The status on ``day`` from (effective date, status) rows in the order recorded: the
    last recorded row already in effect, None when none is (nothing recorded then)."""
    current = None
    for since, status in rows:
        if since <= day:
            current = status
    return current
