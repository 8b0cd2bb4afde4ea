"""The inspection checklist of the region (issue 17): what an inspection of the regional
system asks for, each item either computed from the data or declared by the coordinator
with its evidence (document, date, link). What is missing is shown first.

Computed items read other apps only through their public faces (``care.figures``,
``support.figures``); declared items are ``ChecklistDeclaration`` rows written by
``services.checklist_declare`` (audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ochag.care import figures as care
from ochag.core.models import Territory
from ochag.monitoring.models import ChecklistDeclaration
from ochag.support import figures as support

# Items the data cannot show: the coordinator declares them with a document.
DECLARED = [
    ("regional_programme", _("A regional programme of family support is adopted")),
    ("interagency_rules", _("Interagency rules for signals and cases are approved")),
    ("helpline", _("A helpline for families is in operation")),
    ("staff_training_plan", _("A staff training plan for the year is approved")),
]
DECLARED_CODES = {code for code, _label in DECLARED}


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    done: bool
    detail: str
    declaration: ChecklistDeclaration | None = None
    declared: bool = False


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _computed(region: Territory, today: dt.date) -> list[Item]:
    commissions = care.commissions_of(region.pk)
    sittings = care.sittings_of(region.pk, quarter_start(today), today)
    operator = support.leading_operator(region.pk)
    missing = support.services_missing(region.pk, region.path)
    if not commissions:
        commission_detail = gettext("No placement commission is set up.")
    else:
        commission_detail = gettext("Sittings this quarter: %(n)s.") % {"n": sittings}
    shown = ", ".join(f"{m} — {t}" for m, t in missing[:10])
    more = len(missing) - 10
    if more > 0:
        shown += " " + gettext("and %(n)s more") % {"n": more}
    return [
        Item(
            "commission",
            gettext("A placement commission is set up and sat this quarter"),
            bool(commissions and sittings),
            commission_detail,
        ),
        Item(
            "leading_operator",
            gettext("A leading operator of family support is designated"),
            operator is not None,
            operator or gettext("Not designated."),
        ),
        Item(
            "coverage",
            gettext("Every municipality has each service of the catalogue"),
            not missing,
            gettext("Missing: %(list)s") % {"list": shown} if missing else gettext("All covered."),
        ),
    ]


def checklist(region: Territory, today: dt.date) -> list[Item]:
    """Every item of the region's checklist, the missing ones first (order kept within)."""
    rows = ChecklistDeclaration.objects.filter(region=region, item__in=DECLARED_CODES)
    declarations = {d.item: d for d in rows}
    items = _computed(region, today)
    for code, label in DECLARED:
        declaration = declarations.get(code)
        items.append(
            Item(
                code,
                str(label),
                declaration is not None,
                declaration.document if declaration else gettext("No document declared."),
                declaration,
                declared=True,
            )
        )
    return sorted(items, key=lambda item: item.done)
