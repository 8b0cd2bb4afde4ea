"""The engine's reasons in words a guardianship specialist can read aloud."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ochag.matching import Criterion, Match, Reason

_LABELS = {
    Criterion.AGE: gettext_lazy("Age"),
    Criterion.SEX: gettext_lazy("Boy or girl"),
    Criterion.SIBLINGS: gettext_lazy("Number of children"),
    Criterion.HEALTH: gettext_lazy("Health"),
    Criterion.CULTURE: gettext_lazy("Language and culture"),
    Criterion.DISTANCE: gettext_lazy("Distance"),
}


@dataclass(frozen=True)
class Line:
    label: str
    text: str
    points: str
    weight: str


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _text(reason: Reason) -> str:
    f = reason.fact
    match reason.criterion, reason.verdict:
        case Criterion.AGE, "within":
            return _("The age is what the family wished (%(min)s–%(max)s years).") % {
                "min": f("age_min"),
                "max": f("age_max"),
            }
        case Criterion.AGE, _other:
            return _(
                "The age is %(years)s years outside the family's wish (%(min)s–%(max)s years)."
            ) % {"years": f("years_outside"), "min": f("age_min"), "max": f("age_max")}
        case Criterion.SEX, "any":
            return _("The family has no wish about boy or girl.")
        case Criterion.SEX, "matches":
            return _("Boy or girl as the family wished.")
        case Criterion.SEX, _other:
            return _("Not the boy or girl the family wished.")
        case Criterion.SIBLINGS, "fits":
            return ngettext(
                "The family is ready for %(capacity)s child: the place is used in full.",
                "The family is ready for %(capacity)s children: all places are used.",
                int(f("capacity")),  # type: ignore[call-overload]
            ) % {"capacity": f("capacity")}
        case Criterion.SIBLINGS, _other:
            return _("The family is ready for %(capacity)s children; %(size)s would come.") % {
                "capacity": f("capacity"),
                "size": f("size"),
            }
        case Criterion.HEALTH, "ready":
            return _("The family is ready for health group %(group)s.") % {"group": f("group")}
        case Criterion.HEALTH, _other:
            return _("Health group %(group)s: the family is ready for groups up to %(ready)s.") % {
                "group": f("group"),
                "ready": f("ready_for"),
            }
        case Criterion.CULTURE, "not_recorded":
            return _("Language, ethnicity and religion are not recorded: nothing to consider.")
        case Criterion.CULTURE, "shared":
            return _("The same language and background (Family Code art. 123).")
        case Criterion.CULTURE, _other:
            names = {
                "language": _("language"),
                "ethnicity": _("ethnicity"),
                "religion": _("religion"),
            }
            differ = ", ".join(names[str(n)] for n in f("differ"))  # type: ignore[attr-defined]
            return _("Differs in %(what)s (Family Code art. 123).") % {"what": differ}
        case Criterion.DISTANCE, "beyond_limit":
            return _(
                "%(km)s km from the child's home: farther than the family wished (%(limit)s km)."
            ) % {"km": _number(float(f("km"))), "limit": f("limit_km")}  # type: ignore[arg-type]
    return _("%(km)s km from the child's home (nearest to home first).") % {
        "km": _number(float(f("km")))  # type: ignore[arg-type]
    }


def lines(match: Match) -> list[Line]:
    return [
        Line(str(_LABELS[r.criterion]), _text(r), _number(r.points), _number(r.weight))
        for r in match.reasons
    ]


def score(match: Match) -> str:
    return _number(match.score)
