"""Scoring one pair: Fellegi–Sunter weight, per-field explanation, hard constraints."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein

from .model import FIELDS, LEVELS, NULL, Params, comparison_vector
from .names import known_first_name
from .records import Features


@dataclass(frozen=True, slots=True)
class FieldExplanation:
    """One field's contribution: comparison level name, its weight (log2 m/u), the values."""

    field: str
    level: str
    weight: float
    left: str
    right: str


# A pair's weight, its comparison levels and whether the names were compared swapped.
Weighed = tuple[float, tuple[int, ...], bool]


class _Pair:
    """What a candidate's explanation is built from, when it is asked for: most candidates
    never are (intake keeps only their probabilities, and every match scores a shortlist)."""

    __slots__ = ("a", "b", "built", "scorer", "swapped", "vec")

    def __init__(self, scorer: Scorer, a: Features, b: Features, vec: Sequence[int],
                 swapped: bool) -> None:  # fmt: skip
        self.scorer, self.a, self.b, self.vec, self.swapped = scorer, a, b, vec, swapped
        self.built: list[FieldExplanation] | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registry record scored against the query. score = total match weight (log2 odds)."""

    record_id: str
    score: float
    probability: float
    conflicts: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()  # comparison level per FIELDS entry (-1 = missing)
    pair: _Pair | None = field(default=None, repr=False, compare=False)

    @property
    def explanation(self) -> list[FieldExplanation]:
        """Each field's level, weight and the two values, the prior first."""
        pair = self.pair
        if pair is None:
            return []
        if pair.built is None:
            pair.built = pair.scorer.explain(pair.a, pair.b, pair.vec, pair.swapped)
        return pair.built


# ------------------------------------------------------------------ hard constraints
TWINS = "possible twins: same birth date and family, different first names"


def hard_conflicts(a: Features, b: Features, vec: Sequence[int] | None = None) -> tuple[str, ...]:
    """Reasons two records must never be merged automatically."""
    out: list[str] = []
    if a.snils and b.snils and a.snils != b.snils:
        out.append("different valid SNILS")
    v = vec if vec is not None else comparison_vector(a, b)[0]
    # twins: same full birth date, same family and father, different first names. A
    # similar first name is a twin's only when both are names the dictionary knows (Арина /
    # Ирина); a word it does not know two slips from a known name («Люблоуь», «Никоал») is
    # that name misspelt, not another child
    twins = v[3] == 4 and v[0] in (NULL, 2, 3, 4) and v[2] in (NULL, 1, 2, 3)
    similar_names = v[1] == 1 and a.first_known and b.first_known
    different = v[1] == 0 and not misspelt_first_name(a.first, b.first)
    if twins and (different or (similar_names and not _one_typo(a.first, b.first))):
        out.append(TWINS)
    return tuple(out)


def _one_typo(x: str, y: str) -> bool:
    return bool(DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1) and len(x) >= 3


def misspelt_first_name(x: str, y: str) -> bool:
    """Whether two different first names are one name misspelt: at most two slips apart
    and one of them a word no dictionary knows as a name («Рльг» / «Ольга», «Тмара» /
    «Тамара»). A twin bears a name; two names both known (Ольга / Олег) stay two people."""
    if not x or not y or x == y:
        return False
    if DamerauLevenshtein.distance(x, y, score_cutoff=2) > 2:
        return False
    return not (known_first_name(x) and known_first_name(y))


# ------------------------------------------------------------------ scoring
def _show(f: Features, fld: str) -> str:
    if fld == "last_name":
        return f.last
    if fld == "first_name":
        return f.first
    if fld == "patronymic":
        return f.patr
    if fld == "birth_date":
        if f.year is None:
            return ""
        return "-".join(f"{x:02d}" for x in (f.year, f.month, f.day) if x is not None)
    if fld == "sex":
        return f.sex or ""
    if fld == "snils":
        return f.snils or ""
    return f"{f.region}/{f.muni}" if f.region else ""


def _prob(w: float) -> float:
    if w > 60:
        return 1.0
    if w < -60:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, -w))


class Scorer:
    def __init__(self, params: Params) -> None:
        self.params = params
        self._w = [params._w[f] for f in FIELDS]
        self._prior = params.prior_weight

    def weight(self, a: Features, b: Features) -> Weighed:
        vec, swapped = comparison_vector(a, b)
        w = self._prior
        for k, lv in enumerate(vec):
            if lv != NULL:
                w += self._w[k][lv]
        return w, vec, swapped

    def candidate(self, a: Features, b: Features, weighed: Weighed | None = None) -> Candidate:
        """`b` scored against `a`; ``weighed`` is :meth:`weight`'s answer when the caller
        has it already. The explanation is built only when it is read."""
        w, vec, swapped = weighed or self.weight(a, b)
        return Candidate(
            record_id=b.record_id,
            score=round(w, 4),
            probability=_prob(w),
            conflicts=hard_conflicts(a, b, vec),
            levels=tuple(vec),
            pair=_Pair(self, a, b, vec, swapped),
        )

    def explain(self, a: Features, b: Features, vec: Sequence[int], swapped: bool
                ) -> list[FieldExplanation]:  # fmt: skip
        expl = [
            FieldExplanation(
                field=f,
                level=("missing" if lv == NULL else LEVELS[f][lv])
                + (" (swapped order)" if swapped and f in ("last_name", "first_name") else ""),
                weight=round(self.params.weight(f, lv), 3),
                left=_show(a, f),
                right=_show(b, f),
            )
            for f, lv in zip(FIELDS, vec, strict=True)
            if f != "household" or lv != NULL  # shown only where the caller gave households
        ]
        expl.insert(0, FieldExplanation("prior", "prior odds", round(self._prior, 3), "", ""))
        return expl
