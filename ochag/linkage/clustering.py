"""Batch clustering: best-first merging of scored record pairs under anti-chaining rules.

Records link transitively, so a threshold on each pair is not enough: a vague record (a
year only, no date) or a damaged one could make two different people one through itself.
Two phases: pairs whose birth dates are both full (or whose SNILS or household agrees)
build the clusters first; then records known less precisely join them, each only where it
points at one person.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import JaroWinkler

from .model import FIELDS, NULL, cmp_date
from .names import known_first_name
from .records import Features
from .scoring import TWINS, Scorer, hard_conflicts, misspelt_first_name

LAST, FIRST, PATR, DATE, SEX = (FIELDS.index(f) for f in FIELDS[:5])
SNILS, GEO, HOUSEHOLD = (FIELDS.index(f) for f in ("snils", "geo", "household"))
DATE_EXACT, DATE_NEAR, DATE_PARTIAL = 4, 3, 2
SAME_MUNICIPALITY = 2
LEAD = 3.0  # bits by which a vague record's best partner must lead one born on another day
CROSSED = 0.8  # Jaro-Winkler of a swapped name and a misspelt one («Махов» / «Шмах ов»)
ALIKE, CROSSED_FAR = 0.93, 0.7  # one swapped name spelt alike, the other two slips off
MAX_CHECK = 400  # cross pairs checked record by record when two clusters meet


@dataclass
class ScoredPairs:
    pairs: np.ndarray
    weights: np.ndarray
    vectors: np.ndarray
    conflicts: set[tuple[int, int]] = field(default_factory=set)


def apart_mask(vectors: np.ndarray, weights: np.ndarray, strong: float) -> np.ndarray:
    """Pairs that must not end up in one cluster even through other records: very low
    weight; different birth dates (unless the SNILS agrees: a full-name match does not
    outweigh a date no slip explains, and a record with only a year or no date must not
    join two namesakes through itself); different sex together with different first names;
    a different father's name with a date that is not exact (brothers and sisters, cousins
    share the rest)."""
    v = vectors
    date_diff = (v[:, DATE] >= 0) & (v[:, DATE] <= 1) & (v[:, SNILS] != 1)
    date_inexact = (v[:, DATE] >= 0) & (v[:, DATE] <= DATE_NEAR)
    return np.asarray(
        (weights < strong)
        | date_diff
        | ((v[:, FIRST] == 0) & (v[:, SEX] == 0))
        | ((v[:, PATR] == 0) & date_inexact)
    )


def incompatible_mask(vectors: np.ndarray, weights: np.ndarray, strong: float) -> np.ndarray:
    """Pairs never merged directly: those kept apart (``apart_mask``) and a different first
    name with a date that is not exact. Across a cluster the latter is no bar: a first name
    replaced or damaged twice in one record of a person still has that person's other
    records (FEBRL's duplicates), and the date keeps namesakes apart."""
    date_inexact = (vectors[:, DATE] >= 0) & (vectors[:, DATE] <= DATE_NEAR)
    first_zero = vectors[:, FIRST] == 0
    return np.asarray(apart_mask(vectors, weights, strong) | (first_zero & date_inexact))


def place_levels(feats: Sequence[Features], pairs: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """The municipality comparison as the merge rules read it: a municipality missing on
    one side is missing, not another municipality (the comparison, scoring the region,
    calls it "same region")."""
    place = vectors[:, GEO].astype(np.int64)
    if len(pairs) == 0:
        return place
    missing = np.array([not f.muni for f in feats], dtype=bool)
    unknown = (place == 1) & (missing[pairs[:, 0]] | missing[pairs[:, 1]])
    place[unknown] = NULL
    return place


def enough_to_merge(v: np.ndarray, place: int) -> bool:
    """Whether a pair above the threshold may be merged by itself (issue 19 §9: a full-name
    match does not outweigh a missing or discordant date). The same SNILS or household is
    enough. Otherwise each vague part wants something else to agree, and two vague parts
    together never merge: a surname only similar wants the father's name or the place and
    a date at least a slip away; a date a slip away the place (or no place known); a year
    or month only on one side the father's name and no other municipality, or the place;
    no date at all the full name, the father's name and the place together. A surname and a
    first name, however rare, are what full namesakes share; which of them a vague record
    is, a person decides (the real-time matcher goes further and wants the household for a
    record without a date, see ``matcher._safe_to_link``)."""
    date = int(v[DATE])
    if int(v[SNILS]) == 1 or int(v[HOUSEHOLD]) == 1:
        return True
    same_place = place == SAME_MUNICIPALITY
    if 0 <= int(v[LAST]) <= 1:
        # a surname only similar (two slips, or letters in common): the first name and
        # the date are what thousands share in a large registry, so the father's name or
        # the place must agree too, and the date must be known on both sides
        return date >= DATE_NEAR and (int(v[PATR]) >= 2 or same_place)
    if date == DATE_NEAR:
        # a date a slip away in another municipality: two things that differ; the
        # namesake born a day or a year apart elsewhere is a person's to tell apart
        return same_place or place == NULL
    if date == DATE_EXACT:
        return True
    if date == DATE_PARTIAL:
        # only a year or a month on one side: in another municipality nothing but the
        # place tells two namesakes apart, and it says they differ
        return same_place or (int(v[PATR]) >= 2 and place == NULL)
    if date != NULL:
        return True
    return int(v[LAST]) >= 3 and int(v[FIRST]) >= 2 and int(v[PATR]) >= 2 and same_place


def _full_date(f: Features) -> tuple[int, int, int] | None:
    if f.year is None or f.month is None or f.day is None:
        return None
    return (f.year, f.month, f.day)


class _Clusters:
    """Union-find with each cluster's members and how many of them carry each full date."""

    def __init__(self, feats: Sequence[Features]) -> None:
        n = len(feats)
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.dates: dict[int, Counter[tuple[int, int, int]]] = {}
        for i, f in enumerate(feats):
            d = _full_date(f)
            if d is not None:
                self.dates[i] = Counter([d])

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, ri: int, rj: int) -> None:
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        moved = self.dates.pop(rj, None)
        if moved:
            self.dates.setdefault(ri, Counter()).update(moved)

    def two_attested_dates(self, ri: int, rj: int) -> bool:
        """Each cluster holds a full date at least two of its records give, and the two
        differ: a slip repeated in two independent records is unlikely, two people born a
        day or a year apart are not (namesakes near in age)."""
        a = {d for d, n in self.dates.get(ri, Counter()).items() if n >= 2}
        b = {d for d, n in self.dates.get(rj, Counter()).items() if n >= 2}
        return bool(a and b and a.isdisjoint(b))


class _Guard:
    """Whether two clusters may become one: no pair across them may be incompatible."""

    def __init__(self, feats: Sequence[Features], scored: ScoredPairs, scorer: Scorer,
                 known: dict[tuple[int, int], bool]) -> None:  # fmt: skip
        self.feats, self.scored, self.scorer, self.known = feats, scored, scorer, known

    def allows(self, uf: _Clusters, ri: int, rj: int, i: int, j: int) -> bool:
        ma, mb = uf.members[ri], uf.members[rj]
        if len(ma) * len(mb) > MAX_CHECK:
            sa = {self.feats[x].snils for x in ma if self.feats[x].snils}
            sb = {self.feats[x].snils for x in mb if self.feats[x].snils}
            return not (sa and sb and sa != sb)
        for x in ma:
            for y in mb:
                if (x, y) in ((i, j), (j, i)):
                    continue
                key = (x, y) if x < y else (y, x)
                if self._incompatible(key) and not (
                    self._twins_only(key) and self._one_first_name(ma, mb)
                ):
                    return False
        return True

    def _twins_only(self, key: tuple[int, int]) -> bool:
        """Whether the pair is kept apart by nothing but the twins rule (same date and
        family, first names that differ)."""
        a, b = self.feats[key[0]], self.feats[key[1]]
        w, v, _ = self.scorer.weight(a, b)
        strong = self.scorer.params.strong_negative
        if apart_mask(np.array([v]), np.array([w]), strong)[0]:
            return False
        return hard_conflicts(a, b, v) == (TWINS,)

    def _one_first_name(self, ma: list[int], mb: list[int]) -> bool:
        """Whether the two clusters bear one first name: the names the dictionary knows in
        them are one name, and every other first name is that name misspelt. Two records
        each with a slip in the first name («Иоси пф», «Иоиф» for Иосиф) are too far apart
        to be read as one name misspelt, and would pass for twins; the person's records
        with the name spelt right say whose slips they are. Twins bear two known names, so
        their clusters never pass."""
        firsts = {self.feats[x].first for x in (*ma, *mb) if self.feats[x].first}
        known = {n for n in firsts if known_first_name(n)}
        if len(known) != 1:
            return False
        (name,) = known
        return all(n == name or misspelt_first_name(n, name) for n in firsts)

    def _incompatible(self, key: tuple[int, int]) -> bool:
        if key in self.scored.conflicts:
            return True
        bad = self.known.get(key)
        if bad is None:
            a, b = self.feats[key[0]], self.feats[key[1]]
            w, v, _ = self.scorer.weight(a, b)
            strong = self.scorer.params.strong_negative
            if v[LAST] == 0 and v[FIRST] == 0 and _crossed(a, b):
                w = strong  # names in each other's fields, one of them misspelt too
            bad = bool(apart_mask(np.array([v]), np.array([w]), strong)[0]) or bool(
                hard_conflicts(a, b, v)
            )
            self.known[key] = bad
        return bad


def _crossed(a: Features, b: Features) -> bool:
    """Surname and first name each like the other record's first name and surname: the
    comparison recognises a swap only when both are spelt alike, so a swapped record and a
    misspelt one of the same person look like two unrelated names and a very low weight.
    One side spelt alike (``ALIKE``) lets the other be a slip further off (``CROSSED_FAR``:
    «Мышов Рувстма» / «Устам Мышов»), unless that side's words are two first names the
    dictionary knows (Анна / Алла are two people)."""
    if not (a.last and a.first and b.last and b.first):
        return False
    s_last = JaroWinkler.similarity(a.last, b.first)
    s_first = JaroWinkler.similarity(a.first, b.last)
    if s_last >= CROSSED and s_first >= CROSSED:
        return True
    if s_last >= ALIKE and s_first >= CROSSED_FAR:
        return not (known_first_name(a.first) and known_first_name(b.last))
    return s_first >= ALIKE and s_last >= CROSSED_FAR


def _ambiguous(
    feats: Sequence[Features], partners: dict[int, list[tuple[float, int]]]
) -> tuple[set[int], set[tuple[int, int]]]:
    """Records without a full date whose likely partners disagree on the date point at two
    people (namesakes born on different days). Unless the best partner leads every partner
    born on another day by ``LEAD`` bits (as the real-time matcher wants of its best
    rival), a person decides: the record stays out (first set). With the lead, the record
    may join only partners not born on another day than the best (second set: forbidden
    pairs)."""
    out: set[int] = set()
    forbidden: set[tuple[int, int]] = set()
    for r, ps in partners.items():
        dated = sorted((wp for wp in ps if _full_date(feats[wp[1]]) is not None), reverse=True)
        if not any(
            _different_dates(feats[p], feats[q])
            for k, (_, p) in enumerate(dated)
            for _, q in dated[k + 1 :]
        ):
            continue
        best_w, best = dated[0]
        rivals = [(w, p) for w, p in dated if _different_dates(feats[p], feats[best])]
        if not rivals or best_w - rivals[0][0] < LEAD:
            out.add(r)
            continue
        forbidden.update((min(r, p), max(r, p)) for _, p in rivals)
    return out, forbidden


def _different_dates(a: Features, b: Features) -> bool:
    return 0 <= cmp_date(a, b) <= 1


def cluster(
    feats: Sequence[Features],
    scored: ScoredPairs,
    scorer: Scorer,
    threshold: float | None = None,
) -> list[int]:
    """Cluster root per record: greedy best-first merging, clusters with full dates first."""
    params = scorer.params
    thr = params.link_threshold if threshold is None else threshold
    wthr = math.log2(thr / (1 - thr))
    above = np.nonzero(scored.weights >= wthr)[0]
    above = above[np.argsort(-scored.weights[above], kind="stable")]
    vecs = scored.vectors[above]
    pairs = scored.pairs[above]
    weights = scored.weights[above]
    bad = incompatible_mask(vecs, weights, params.strong_negative)
    apart = apart_mask(vecs, weights, params.strong_negative)
    place = place_levels(feats, pairs, vecs)
    known = {
        (int(i), int(j)): bool(b) for (i, j), b in zip(pairs.tolist(), apart.tolist(), strict=True)
    }
    firm = (vecs[:, DATE] >= DATE_NEAR) | (vecs[:, SNILS] == 1) | (vecs[:, HOUSEHOLD] == 1)
    partners: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (i, j), w, f in zip(pairs.tolist(), weights.tolist(), firm.tolist(), strict=True):
        if not f and (i, j) not in scored.conflicts:
            if _full_date(feats[i]) is None:
                partners[i].append((w, j))
            if _full_date(feats[j]) is None:
                partners[j].append((w, i))
    vague_out, forbidden = _ambiguous(feats, partners)
    uf = _Clusters(feats)
    guard = _Guard(feats, scored, scorer, known)
    for phase in (True, False):
        for k in np.nonzero(firm == phase)[0].tolist():
            i, j = (int(x) for x in pairs[k])
            if (i, j) in scored.conflicts or bad[k]:
                continue
            if not phase and (i in vague_out or j in vague_out or (i, j) in forbidden):
                continue
            if vecs[k, FIRST] == 0 and weights[k] < wthr + 6.0:
                continue  # a different first name wants everything else to agree
            if not enough_to_merge(vecs[k], int(place[k])):
                continue
            ri, rj = uf.find(i), uf.find(j)
            if ri == rj or not guard.allows(uf, ri, rj, i, j):
                continue
            if uf.two_attested_dates(ri, rj):
                continue
            uf.union(ri, rj)
    return [uf.find(i) for i in range(len(feats))]
