"""Real-time matching: an in-memory blocking index over a registry and the decision rule."""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from .blocking import (
    blocking_keys,
    surname_skeletons,
    swapped_firsts,
    swapped_keys,
    swapped_surnames,
)
from .fuzzy import NearIndex
from .model import FIELDS, NULL, Params
from .records import Features, PersonRecord, features
from .scoring import Candidate, Scorer, hard_conflicts, misspelt_first_name
from .text import skeleton

DECISIONS = ("link", "review", "new")


@dataclass(frozen=True, slots=True)
class MatchResult:
    decision: str  # "link" | "review" | "new"
    candidates: list[Candidate]


# Bits by which the best candidate must lead the runner-up for a link (3: eight times as
# likely), and for a link on a date known only to the year or month (6: 64 times).
GAP = 3.0
CLEAR_GAP = 6.0
# Known names looked up per misspelt query name (see fuzzy.NearIndex).
NEAR_NAMES = 6
# Keys held in the dict part of the index before they move into the sorted arrays: at
# least this many, and at least an eighth of the arrays (so a bulk build sorts a geometric
# series of sizes, and the dict never holds more than a fraction of the index).
COMPACT_MIN = 100_000
# Index entries (about 15 per record) from which a compacted index is frozen out of the
# cyclic garbage collector (see Matcher.compact).
FREEZE_MIN = 1_000_000
# Records scored per query at most (see Matcher._candidates).
MAX_SCORED = 120


def _safe_to_link(c: Candidate, threshold: float, gap: float) -> bool:
    """Extra conditions for an automatic link (a wrong merge of two children is a safety
    risk): an identifier-grade date or SNILS agreement, and no contradicting name part.

    A date known only to the year (or month) on one side agrees as far as it goes: a person
    reviewing it has nothing more to go on than the engine, so the link is made when the
    full name agrees and no other record comes close; so is a missing date when the
    household agrees (see ``cmp_household``). A different date, or a namesake within reach,
    stays with a person."""
    if not c.levels:
        return True
    v = dict(zip(FIELDS, c.levels, strict=True))
    if v["snils"] == 1:
        return True
    full_name = v["last_name"] >= 3 and v["first_name"] >= 2
    if v["birth_date"] == 2:
        if not (gap >= CLEAR_GAP and full_name):
            return False
    elif v["birth_date"] == NULL:
        # no date on one side: the household (the same address or a relative named on both
        # sides) is what a person reviewing it would go on
        if not (v["household"] == 1 and full_name and v["patronymic"] != 0 and gap >= GAP):
            return False
    elif v["birth_date"] < 3:
        return False
    if v["first_name"] == 0 or v["patronymic"] == 0:
        return c.score >= math.log2(threshold / (1 - threshold)) + 6.0
    return True


def _changed_surname(c: Candidate, first: str, other_first: str) -> bool:
    """Whether the candidate is the same person under another surname: the surname differs
    outright while the first name (`first` and `other_first`: the query's and the
    candidate's, folded; the same, or one of them misspelt: see
    :func:`~.scoring.misspelt_first_name`), the father's name and the full birth date agree,
    in the same municipality, with nothing (sex, SNILS, household) against it.

    Surnames change (marriage, adoption, a parent's new name) and the scorer's weight for a
    surname that differs outright is learnt from records where they rarely do, so it leaves
    such a pair below the link threshold. A person reviewing it sees what the engine sees
    and has no better ground to decide on: it is linked when no rival comes within reach
    (see ``Matcher._decide``). A first name that differs is never taken for changed: with the
    same family and birth date that is a twin."""
    if not c.levels or c.conflicts:
        return False
    v = dict(zip(FIELDS, c.levels, strict=True))
    return (
        v["last_name"] == 0
        and (
            v["first_name"] >= 2
            or (v["first_name"] == 1 and misspelt_first_name(first, other_first))
        )
        and v["patronymic"] >= 2
        and v["birth_date"] == 4
        and v["geo"] == 2
        and v["sex"] != 0
        and v["snils"] != 0
        and v["household"] != 0
    )


def _same_person(vec: tuple[int, ...]) -> bool:
    """Whether two registry records the engine links are one person for the decision rule:
    the same SNILS or full birth date; or the full name agreeing (surname at least of the
    same family, the same full first name, no different father's name) with dates that
    agree as far as both are known (one of them only a year or a month). Two full dates a
    day, a month or a year apart stay two people: namesakes born close together are too
    common in a large registry to take one for the other."""
    v = dict(zip(FIELDS, vec, strict=True))
    if v["snils"] == 1 or v["birth_date"] == 4:
        return True
    return (
        v["birth_date"] == 2
        and v["last_name"] >= 3
        and v["first_name"] >= 2
        and v["patronymic"] != 0
    )


def _identified(a: Features, b: Features) -> bool:
    """Whether two records are one person on identifier-grade evidence: the same valid
    SNILS (a number with a checksum, issued once) and the same full birth date. Names are
    then no evidence against: they are what is mistyped, declined, transliterated or
    entered in each other's fields («Valentin Šiškin» for Шишкин Валентин). Never the other
    way: a different SNILS keeps people apart (see :func:`~.scoring.hard_conflicts`)."""
    return (
        a.snils is not None
        and a.snils == b.snils
        and a.day is not None
        and (a.year, a.month, a.day) == (b.year, b.month, b.day)
    )


# ------------------------------------------------------------------ real-time matcher
class Matcher:
    """In-memory blocking index over a registry, scoring new records against it."""

    def __init__(self, params: Params | None = None, near: bool = True) -> None:
        self.params = params or Params.default()
        self.scorer = Scorer(self.params)
        # near=False blocks by the query's own keys only: no misspelt or swapped names
        # (measured with the intake's tolerant look-up off, bench/intake)
        self._near = near
        self._feats: list[Features | None] = []
        self._pos: dict[str, int] = {}
        # The blocking index, by key hash (a hash collision only adds a candidate the
        # scorer rejects). Most of it is two flat arrays of (hash, record slot) pairs
        # sorted by hash: 12 bytes a pair, where a dict entry with its int objects took
        # about 110 (the 1 M index was 2.4 GB). Keys added since the last compaction sit in
        # the dict (hash -> slot, or a list of slots once a second record shares the key).
        self._hashes = np.empty(0, dtype=np.int64)
        self._slots = np.empty(0, dtype=np.int32)
        self._index: dict[int, int | list[int]] = {}
        self._pending = 0  # (hash, slot) pairs in the dict
        self._surnames = NearIndex()
        self._firsts = NearIndex()

    def __len__(self) -> int:
        return len(self._pos)

    def add(self, rec: PersonRecord) -> None:
        """Index a record (replaces an earlier record with the same record_id)."""
        if rec.record_id in self._pos:
            self.remove(rec.record_id)
        f = features(rec)
        i = len(self._feats)
        self._feats.append(f)
        self._pos[rec.record_id] = i
        index = self._index
        for k in blocking_keys(f):
            h = hash(k)
            slot = index.get(h)
            if slot is None:
                index[h] = i
            elif isinstance(slot, int):
                index[h] = [slot, i]
            else:
                slot.append(i)
            self._pending += 1
        if self._near:
            for fam in surname_skeletons(f):
                self._surnames.add(fam)
            for fs in f.first_skels:
                self._firsts.add(fs)
        if self._pending >= max(COMPACT_MIN, len(self._hashes) // 8):
            self.compact()

    def add_many(self, recs: Iterable[PersonRecord]) -> None:
        for r in recs:
            self.add(r)

    def compact(self) -> None:
        """Move the dict part of the index into the sorted arrays."""
        if not self._index:
            return
        hashes = np.empty(self._pending, dtype=np.int64)
        slots = np.empty(self._pending, dtype=np.int32)
        n = 0
        for h, slot in self._index.items():
            for i in [slot] if isinstance(slot, int) else slot:
                hashes[n], slots[n] = h, i
                n += 1
        hashes = np.concatenate([self._hashes, hashes[:n]])
        slots = np.concatenate([self._slots, slots[:n]])
        order = np.argsort(hashes, kind="stable")  # two sorted runs: a merge
        self._hashes, self._slots = hashes[order], slots[order]
        self._index, self._pending = {}, 0
        if len(self._hashes) >= FREEZE_MIN:
            # A large index's millions of objects live as long as the process: out of the
            # cyclic garbage collector's reach, whose full collections otherwise walk them
            # all in the middle of a query (the 1 M index's slowest matches were these).
            gc.freeze()

    def remove(self, record_id: str) -> None:
        """Forget a record (its index slots are tomb-stoned). Unknown ids are ignored."""
        i = self._pos.pop(record_id, None)
        if i is not None:
            self._feats[i] = None

    def _query_keys(self, f: Features) -> set[str]:
        """The query's blocking keys, plus those of the known names near its own: a
        misspelt surname or first name still meets its record through the other fields."""
        keys = blocking_keys(f, query=True)
        if not self._near:
            return keys
        fams = surname_skeletons(f)
        near_fams = [n for fam in fams for n in self._surnames.near(fam, NEAR_NAMES)]
        firsts = f.first_skels or (frozenset({skeleton(f.first)}) if f.first else frozenset())
        near_firsts = frozenset(n for fs in firsts for n in self._firsts.near(fs, NEAR_NAMES))
        if near_fams:
            keys |= blocking_keys(f, query=True, fams=near_fams)
        if near_firsts:
            keys |= blocking_keys(f, query=True, fams=fams + near_fams, firsts=near_firsts)
        if f.first and f.last:
            # swapped order with a slip in either word («Михаил Вролодьков»): the first-name
            # field looked up among the known surnames, the surname field among the first names
            # each reading of the two words (declined, short, Latin) with its near names
            sfams, sfirsts = swapped_surnames(f), swapped_firsts(f)
            near_sfams = [n for x in sfams for n in self._surnames.near(x, NEAR_NAMES)]
            near_sfirsts = [n for x in sfirsts for n in self._firsts.near(x, NEAR_NAMES)]
            if near_sfams or near_sfirsts:
                keys |= swapped_keys(f, [*sfams, *near_sfams], [*sfirsts, *near_sfirsts])
        return keys

    def _slot_arrays(self, keys: Iterable[str]) -> list[np.ndarray]:
        """The record slots under each key (one array per key found)."""
        hashes = [hash(k) for k in keys]
        found = [self._index.get(h) for h in hashes]
        out = [np.array([x] if isinstance(x, int) else x, dtype=np.int32)
               for x in found if x is not None]  # fmt: skip
        if len(self._hashes):
            wanted = np.array(hashes, dtype=np.int64)
            lo = np.searchsorted(self._hashes, wanted, "left")
            hi = np.searchsorted(self._hashes, wanted, "right")
            out += [self._slots[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)
                    if b > a]  # fmt: skip
        return out

    def _candidates(self, f: Features, limit: int = MAX_SCORED) -> Iterator[Features]:
        """The records sharing a blocking key with the query; when more than `limit`, those
        sharing the most keys (a selective key — a short list — counting a little more), so
        a common name's thousands of bearers are not all scored."""
        arrays = self._slot_arrays(self._query_keys(f))
        if not arrays:
            return
        hits = np.concatenate(arrays)
        slots, inverse = np.unique(hits, return_inverse=True)
        if len(slots) > limit:
            # per key 1 + 1/len: two keys beat one, a rare key beats a common one
            per_key = np.concatenate([np.full(len(a), 1.0 + 1.0 / len(a)) for a in arrays])
            strength = np.bincount(inverse, weights=per_key)
            slots = slots[np.argpartition(-strength, limit)[:limit]]
        feats = self._feats
        for i in slots.tolist():
            g = feats[i]
            if g is not None and g.record_id != f.record_id:
                yield g

    def match(self, rec: PersonRecord, top: int = 10) -> MatchResult:
        """Score `rec` against the registry and decide link / review / new."""
        f = features(rec)
        weight = self.scorer.weight
        scored = [(weight(f, g), g) for g in self._candidates(f)]
        # a record identified by an equal SNILS and birth date comes first whatever its
        # names score (see _identified)
        scored.sort(key=lambda x: (not _identified(f, x[1]), -x[0][0]))
        cands = [self.scorer.candidate(f, g, w) for w, g in scored[: max(top, 1)]]
        return MatchResult(self._decide(cands, f), cands[:top])

    def _decide(self, cands: list[Candidate], query: Features) -> str:
        p = self.params
        if cands and not cands[0].conflicts:
            other = self.features_of(cands[0].record_id)
            if other is not None and _identified(query, other):
                return "link"
        if not cands or cands[0].probability < p.review_threshold:
            return "new"
        best = cands[0]
        # ambiguous when a second, different person is nearly as likely
        gap = best.score - self._rival_score(cands)
        if (
            best.probability >= p.link_threshold
            and not best.conflicts
            and gap >= GAP
            and _safe_to_link(best, p.link_threshold, gap)
        ):
            return "link"
        other = self.features_of(best.record_id)
        if (
            other is not None
            and _changed_surname(best, query.first, other.first)
            and gap >= CLEAR_GAP
        ):
            return "link"
        return "review"

    def _rival_score(self, cands: list[Candidate]) -> float:
        """Score of the best candidate that is another person than the first. A registry
        record the first one itself matches as the same person — the engine would link the
        two, with no hard conflict, their SNILS or full birth date the same, or the full
        name agreeing and the dates agreeing as far as both are known (see
        :func:`_same_person`) — is an unmerged duplicate of the same person: no rival, so it
        does not make the decision ambiguous."""
        first = self.features_of(cands[0].record_id)
        link_weight = math.log2(self.params.link_threshold / (1 - self.params.link_threshold))
        for c in cands[1:]:
            other = self.features_of(c.record_id)
            if first is None or other is None:
                return c.score
            w, vec, _ = self.scorer.weight(first, other)
            if w < link_weight or not _same_person(vec) or hard_conflicts(first, other, vec):
                return c.score
        return -math.inf

    def compare(self, a: PersonRecord, b: PersonRecord) -> Candidate:
        """Side-by-side explanation for two records (record_id of the result is b's)."""
        return self.scorer.candidate(features(a), features(b))

    def features_of(self, record_id: str) -> Features | None:
        i = self._pos.get(record_id)
        return None if i is None else self._feats[i]
