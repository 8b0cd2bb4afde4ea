"""The КДН sitting as it happens: a commission with its members meets on a date and at a
place, with a quorum, an agenda of cases (parents invited to each) and other matters, and
decides on each case (a ``KdnSession`` of that case, linked to the sitting).

Imported by ``ochag.cases.models``; relations to its models are by name, so this module
imports none of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The federal ground every commission's resolution cites; the regional law is per commission.
FEDERAL_BASIS = (
    "статьёй 11 Федерального закона от 24.06.1999 № 120-ФЗ «Об основах системы профилактики "
    "безнадзорности и правонарушений несовершеннолетних»"
)
DEFAULT_APPEAL = (
    "Постановление может быть обжаловано в суд в течение трёх месяцев со дня, когда лицу "
    "стало известно о нарушении его прав (статья 219 Кодекса административного "
    "судопроизводства Российской Федерации)."
)


class Commission(models.Model):
    """A commission on minors' affairs and protection of their rights (КДН и ЗП): the
    agency in Ochag, with the name, law and membership its resolutions print."""

    agency = models.OneToOneField(
        "access.Agency", on_delete=models.PROTECT, related_name="commission"
    )
    full_name = models.CharField(_("full name of the commission"), max_length=400)
    municipality_name = models.CharField(
        _("municipality as written in resolutions"), max_length=300
    )
    address = models.CharField(_("usual place of sittings"), max_length=300, blank=True)
    regional_law = models.CharField(
        _("regional law on commissions"),
        max_length=400,
        help_text=_("As it is cited after the federal law, e.g. «Законом области от … № …»."),
    )
    appeal_text = models.TextField(_("right and term of appeal"), default=DEFAULT_APPEAL)

    def __str__(self) -> str:
        return self.full_name


class CommissionRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    SECRETARY = "secretary", _("Executive secretary")
    MEMBER = "member", _("Member")


class CommissionMember(models.Model):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    role = models.CharField(
        _("role in the commission"), max_length=10, choices=CommissionRole.choices
    )
    is_active = models.BooleanField(_("current member"), default=True)

    class Meta:
        ordering = ["commission", "role", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class KdnSitting(models.Model):
    """One sitting of a commission; ``number`` is its protocol number."""

    # Indexed by kdn_sitting_number_unique, which leads with it.
    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="sittings", db_index=False
    )
    number = models.CharField(_("protocol number"), max_length=40)
    date = models.DateField(_("date of the sitting"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300)
    chair = models.ForeignKey(
        CommissionMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("presiding"),
    )
    secretary = models.ForeignKey(
        CommissionMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("secretary of the sitting"),
    )
    present = models.ManyToManyField(
        CommissionMember, blank=True, related_name="sittings", verbose_name=_("members present")
    )
    other_matters = models.TextField(_("other matters on the agenda"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "number"], name="kdn_sitting_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d.%m.%Y})"

    def quorum(self) -> tuple[int, int, bool]:
        """(members present, current members, quorate?): a sitting decides when at least
        half of the commission's members are present (Model Regulation on КДН, Government
        Decree No. 995 of 06.11.2013)."""
        present = self.present.count()
        members = self.commission.members.filter(is_active=True).count()
        return present, members, members > 0 and 2 * present >= members


class SittingCase(models.Model):
    """A case on a sitting's agenda; its decision is the case's ``KdnSession``."""

    # Indexed by sitting_case_once, which leads with it.
    sitting = models.ForeignKey(
        KdnSitting, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sitting_items")
    order = models.PositiveSmallIntegerField(_("item number"))
    decision = models.OneToOneField(
        "cases.KdnSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sitting_item",
    )

    class Meta:
        ordering = ["sitting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "case"], name="sitting_case_once"),
            models.UniqueConstraint(fields=["sitting", "order"], name="sitting_item_order"),
        ]

    def __str__(self) -> str:
        return f"{self.sitting_id}/{self.order}"


class SittingInvitee(models.Model):
    """A parent (or other legal representative) invited to the hearing of a case."""

    item = models.ForeignKey(SittingCase, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=300)
    # None until the sitting: invited, and whether they came is not known yet.
    attended = models.BooleanField(_("came to the sitting"), null=True, blank=True)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.full_name


class ResolutionPoint(models.Model):
    """A numbered point of «ПОСТАНОВИЛА»: what, by which agency, by when."""

    session = models.ForeignKey("cases.KdnSession", on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("point"))
    agency = models.ForeignKey(
        "access.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    term = models.DateField(_("term"), null=True, blank=True)
    task = models.OneToOneField(
        "cases.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "number"]

    def __str__(self) -> str:
        return f"{self.session_id}.{self.number}"
