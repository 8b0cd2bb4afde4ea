"""Ochag matching engine: children who need a family and candidate families.

Hard constraints first (a valid conclusion, an allowed form of care, brothers and
sisters together or not at all, health needs the family accepts), then an explained
score, ranked both ways, and a fairness report per run. Plain Python; no Django
import anywhere in this package (an import-linter contract holds it)."""

from .constraints import Violation, conclusion_valid, violations
from .fairness import Coverage, Group, fairness_report, groups_of
from .geo import distance_km
from .profiles import ChildProfile, FamilyProfile, FormOfCare, Need, Place, Unit, placement_units
from .ranking import ChildPool, FamilyPool, Match, is_candidate
from .scoring import CRITERIA, WEIGHTS, Criterion, Reason, explain, score, total

__all__ = [
    "CRITERIA",
    "WEIGHTS",
    "ChildPool",
    "ChildProfile",
    "Coverage",
    "Criterion",
    "FamilyPool",
    "FamilyProfile",
    "FormOfCare",
    "Group",
    "Match",
    "Need",
    "Place",
    "Reason",
    "Unit",
    "Violation",
    "conclusion_valid",
    "distance_km",
    "explain",
    "fairness_report",
    "groups_of",
    "is_candidate",
    "placement_units",
    "score",
    "total",
    "violations",
]
