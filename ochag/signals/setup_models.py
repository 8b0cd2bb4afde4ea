"""The region's set-up of intake: the indicator checklist, the deadlines and the routing
rules. Defined apart from models.py, which imports them (models of the signals app)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ochag.access.models import Agency, AgencyType
from ochag.core.models import Territory
from ochag.signals.choices import INDICATOR_SEPARATOR, Colour, Track


class Indicator(models.Model):
    """One observable indicator of the screening checklist (domain reference §6)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    poverty = models.BooleanField(_("poverty-type"), default=False)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru

    def clean(self) -> None:
        # An upload names several indicators in one cell, separated by the separator or
        # line breaks: a name holding either could not be told apart from two.
        if INDICATOR_SEPARATOR in self.name_ru or "\n" in self.name_ru:
            raise ValidationError(
                {"name_ru": _("A name cannot contain «%(sep)s» or a line break.")
                 % {"sep": INDICATOR_SEPARATOR}}
            )  # fmt: skip


class RegionSettings(models.Model):
    """Per-region deadlines and the repeat-signal threshold, in working days."""

    region = models.OneToOneField(
        Territory, on_delete=models.CASCADE, related_name="signal_settings"
    )
    assessment_days = models.PositiveSmallIntegerField(
        _("assessment deadline, working days"), default=3
    )
    support_days = models.PositiveSmallIntegerField(
        _("support offer deadline, working days"), default=5
    )
    repeat_threshold = models.PositiveSmallIntegerField(_("signals that raise priority"), default=3)
    repeat_window_days = models.PositiveSmallIntegerField(_("window, calendar days"), default=365)

    def __str__(self) -> str:
        return str(self.region)


class RoutingRule(models.Model):
    """Track × territory → competent body. A rule for a municipality beats a region-wide one;
    a named agency beats an agency type."""

    # Indexed by routing_rule_unique: a second index would only slow writes.
    region = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    territory = models.ForeignKey(
        Territory,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Empty: every municipality of the region."),
    )
    agency_type = models.CharField(_("agency type"), max_length=30, choices=AgencyType.choices)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("Empty: the agency of that type in the municipality."),
    )

    class Meta:
        ordering = ["track", "territory__name"]
        verbose_name = _("routing rule")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "track", "territory"], name="routing_rule_unique"
            )
        ]

    def __str__(self) -> str:
        body = self.agency or self.get_agency_type_display()
        return f"{self.get_track_display()} / {self.territory or '*'} → {body}"

    def clean(self) -> None:
        if self.agency is not None and self.agency.type != self.agency_type:
            raise ValidationError({"agency": _("The agency is not of the chosen type.")})
