"""Blocking index, real-time matching, batch de-duplication with hard constraints."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from .model import FIELDS, LEVELS, NULL, Params, comparison_vector, em_train, estimate_u
from .records import Features, PersonRecord, features
from .text import family_skeleton, skeleton

DECISIONS = ("link", "review", "new")
MAX_BLOCK = 400  # blocks larger than this are skipped in batch pair generation
# loose keys (surname × year, surname × first name, date × municipality) add recall for
# records with two damaged fields; big loose blocks add mostly non-matches, so cap them lower
LOOSE_KEY_PREFIXES = ("5|", "9|", "11|")
MAX_LOOSE_BLOCK = 40


@dataclass(frozen=True, slots=True)
class FieldExplanation:
    """One field's contribution: comparison level name, its weight (log2 m/u), the values."""

    field: str
    level: str
    weight: float
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registry record scored against the query. score = total match weight (log2 odds)."""

    record_id: str
    score: float
    probability: float
    explanation: list[FieldExplanation]
    conflicts: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()  # comparison level per FIELDS entry (-1 = missing)


@dataclass(frozen=True, slots=True)
class MatchResult:
    decision: str  # "link" | "review" | "new"
    candidates: list[Candidate]


# ------------------------------------------------------------------ blocking keys
def _date_keys(f: Features, swap: bool = False) -> list[str]:
    if f.year is None or f.month is None or f.day is None:
        return []
    out = [f"{f.year}-{f.month}-{f.day}"]
    if swap and f.day <= 12 and f.day != f.month:
        out.append(f"{f.year}-{f.day}-{f.month}")
    return out


def blocking_keys(f: Features, query: bool = False) -> set[str]:
    """Keys under which a record is indexed (query=True adds swap/transposition variants)."""
    keys: set[str] = set()
    fam = f.last_skel
    firsts = f.first_skels or (frozenset({skeleton(f.first)}) if f.first else frozenset())
    pk = skeleton(f.patr_key) if f.patr_key else ""
    y = f.year
    dates = _date_keys(f, swap=query)
    if f.snils:
        keys.add("S" + f.snils)
    for fs in firsts:
        if fam and y is not None:
            keys.add(f"1|{fam}|{fs}|{y}")
        if fam and pk:
            keys.add(f"4|{fam}|{fs}|{pk}")
        if pk and y is not None:
            keys.add(f"6|{fs}|{pk}|{y}")
        for d in dates:
            keys.add(f"3|{fs}|{d}")
    if fam and y is not None:
        keys.add(f"5|{fam}|{y}")
    if fam:
        for fs in firsts:
            keys.add(f"9|{fam}|{fs}")
    if f.muni:
        for d in dates:
            keys.add(f"11|{d}|{f.muni}")
    if f.muni and y is not None:
        for fs in firsts:
            keys.add(f"7|{fs}|{y}|{f.muni}")
    for d in dates:
        if fam:
            keys.add(f"2|{fam}|{d}")
        if f.first:  # first name written in the surname field (swapped order)
            keys.add(f"2|{family_skeleton(f.first)}|{d}")
    if query and f.first and f.last:
        # swapped order: the query's first name may be the registry's surname and vice versa
        sfam = family_skeleton(f.first)
        sfirst = skeleton(f.last)
        if y is not None:
            keys.add(f"1|{sfam}|{sfirst}|{y}")
        if pk:
            keys.add(f"4|{sfam}|{sfirst}|{pk}")
    return keys


# ------------------------------------------------------------------ hard constraints
def hard_conflicts(a: Features, b: Features, vec: Sequence[int] | None = None) -> tuple[str, ...]:
    """Reasons two records must never be merged automatically."""
    out: list[str] = []
    if a.snils and b.snils and a.snils != b.snils:
        out.append("different valid SNILS")
    v = vec if vec is not None else comparison_vector(a, b)[0]
    # twins: same full birth date, same family and father, different first names
    twins = v[3] == 4 and v[0] in (NULL, 2, 3, 4) and v[2] in (NULL, 1, 2, 3)
    if twins and (v[1] == 0 or (v[1] == 1 and not _one_typo(a.first, b.first))):
        out.append("possible twins: same birth date and family, different first names")
    return tuple(out)


def _one_typo(x: str, y: str) -> bool:
    from rapidfuzz.distance import DamerauLevenshtein

    return bool(DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1) and len(x) >= 3


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

    def weight(self, a: Features, b: Features) -> tuple[float, tuple[int, ...], bool]:
        vec, swapped = comparison_vector(a, b)
        w = self._prior
        for k, lv in enumerate(vec):
            if lv != NULL:
                w += self._w[k][lv]
        return w, vec, swapped

    def candidate(self, a: Features, b: Features) -> Candidate:
        w, vec, swapped = self.weight(a, b)
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
        ]
        expl.insert(0, FieldExplanation("prior", "prior odds", round(self._prior, 3), "", ""))
        return Candidate(
            record_id=b.record_id,
            score=round(w, 4),
            probability=_prob(w),
            explanation=expl,
            conflicts=hard_conflicts(a, b, vec),
            levels=tuple(vec),
        )


def _safe_to_link(c: Candidate, threshold: float) -> bool:
    """Extra conditions for an automatic link (a wrong merge of two children is a safety
    risk): an identifier-grade date or SNILS agreement, and no contradicting name part."""
    if not c.levels:
        return True
    v = dict(zip(FIELDS, c.levels, strict=True))
    if v["snils"] == 1:
        return True
    if v["birth_date"] < 3:  # missing, partial or different date: a human decides
        return False
    if v["first_name"] == 0 or v["patronymic"] == 0:
        return c.score >= math.log2(threshold / (1 - threshold)) + 6.0
    return True


# ------------------------------------------------------------------ real-time matcher
class Matcher:
    """In-memory blocking index over a registry, scoring new records against it."""

    def __init__(self, params: Params | None = None) -> None:
        self.params = params or Params.default()
        self.scorer = Scorer(self.params)
        self._feats: list[Features | None] = []
        self._pos: dict[str, int] = {}
        self._index: dict[str, list[int]] = defaultdict(list)

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
        for k in blocking_keys(f):
            self._index[k].append(i)

    def add_many(self, recs: Iterable[PersonRecord]) -> None:
        for r in recs:
            self.add(r)

    def remove(self, record_id: str) -> None:
        """Forget a record (its index slots are tomb-stoned). Unknown ids are ignored."""
        i = self._pos.pop(record_id, None)
        if i is not None:
            self._feats[i] = None

    def _candidates(self, f: Features, limit: int = 5000) -> Iterator[Features]:
        seen: set[int] = set()
        lists = [self._index.get(k) for k in blocking_keys(f, query=True)]
        for lst in sorted((x for x in lists if x), key=len):
            for i in lst:
                if i in seen:
                    continue
                seen.add(i)
                g = self._feats[i]
                if g is not None and g.record_id != f.record_id:
                    yield g
                if len(seen) >= limit:
                    return

    def match(self, rec: PersonRecord, top: int = 10) -> MatchResult:
        """Score `rec` against the registry and decide link / review / new."""
        f = features(rec)
        scored: list[tuple[float, Features]] = []
        weight = self.scorer.weight
        for g in self._candidates(f):
            scored.append((weight(f, g)[0], g))
        scored.sort(key=lambda x: -x[0])
        cands = [self.scorer.candidate(f, g) for _, g in scored[: max(top, 1)]]
        return MatchResult(self._decide(cands), cands[:top])

    def _decide(self, cands: list[Candidate]) -> str:
        p = self.params
        if not cands or cands[0].probability < p.review_threshold:
            return "new"
        best = cands[0]
        if (
            best.probability >= p.link_threshold
            and not best.conflicts
            and _safe_to_link(best, p.link_threshold)
        ):
            # ambiguous when a second, different person is nearly as likely
            second = cands[1] if len(cands) > 1 else None
            if (
                second is not None
                and second.probability >= p.link_threshold
                and second.score > best.score - 3.0
            ):
                return "review"
            return "link"
        return "review"

    def compare(self, a: PersonRecord, b: PersonRecord) -> Candidate:
        """Side-by-side explanation for two records (record_id of the result is b's)."""
        return self.scorer.candidate(features(a), features(b))

    def features_of(self, record_id: str) -> Features | None:
        i = self._pos.get(record_id)
        return None if i is None else self._feats[i]


# ------------------------------------------------------------------ batch
def candidate_pairs(feats: Sequence[Features], max_block: int = MAX_BLOCK) -> np.ndarray:
    """Unique (i, j) index pairs, i < j, sharing at least one blocking key."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for k in blocking_keys(f):
            index[k].append(i)
    small: list[int] = []
    chunks: list[np.ndarray] = []
    shift = 1 << 32
    loose_cap = min(max_block, MAX_LOOSE_BLOCK)
    for key, lst in index.items():
        n = len(lst)
        if n < 2 or n > max_block or (n > loose_cap and key.startswith(LOOSE_KEY_PREFIXES)):
            continue
        if n <= 8:
            for x, y in itertools.combinations(lst, 2):
                small.append(x * shift + y if x < y else y * shift + x)
            continue
        a = np.asarray(lst, dtype=np.int64)
        ii, jj = np.triu_indices(n, k=1)
        xa, ya = a[ii], a[jj]
        chunks.append(np.minimum(xa, ya) * shift + np.maximum(xa, ya))
    chunks.append(np.asarray(small, dtype=np.int64))
    codes = np.unique(np.concatenate(chunks))
    return np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)


@dataclass
class ScoredPairs:
    pairs: np.ndarray
    weights: np.ndarray
    vectors: np.ndarray
    conflicts: set[tuple[int, int]] = field(default_factory=set)


def compare_pairs(feats: Sequence[Features], pairs: np.ndarray) -> np.ndarray:
    """Comparison-level vectors (n_pairs, n_fields) int8 for index pairs."""
    out = np.empty((len(pairs), len(FIELDS)), dtype=np.int8)
    for k, (i, j) in enumerate(pairs.tolist()):
        out[k] = comparison_vector(feats[i], feats[j])[0]
    return out


def weights_from_vectors(params: Params, vectors: np.ndarray) -> np.ndarray:
    """Total match weights for comparison vectors (vectorised table lookup)."""
    w = np.full(len(vectors), params.prior_weight)
    for k, f in enumerate(FIELDS):
        table = np.array([0.0, *params._w[f]])
        w += table[vectors[:, k].astype(np.int64) + 1]
    return w


def score_pairs(
    feats: Sequence[Features],
    pairs: np.ndarray,
    scorer: Scorer,
    vectors: np.ndarray | None = None,
) -> ScoredPairs:
    vecs = compare_pairs(feats, pairs) if vectors is None else vectors
    weights = weights_from_vectors(scorer.params, vecs)
    conflicts: set[tuple[int, int]] = set()
    sn = FIELDS.index("snils")
    suspect = np.nonzero((vecs[:, 3] == 4) | (vecs[:, sn] == 0))[0]
    for k in suspect.tolist():
        i, j = (int(x) for x in pairs[k])
        if hard_conflicts(feats[i], feats[j], tuple(int(x) for x in vecs[k])):
            conflicts.add((i, j))
    return ScoredPairs(pairs, weights, vecs, conflicts)


def train(
    records: Sequence[PersonRecord], params: Params | None = None, max_pairs: int = 300_000
) -> tuple[Params, dict[str, object]]:
    """Unsupervised training: u from random pairs, m by EM on blocked pairs (no labels)."""
    feats = [features(r) for r in records]
    return train_features(feats, None, params, max_pairs)


def train_features(
    feats: Sequence[Features],
    pairs: np.ndarray | None = None,
    params: Params | None = None,
    max_pairs: int = 300_000,
    vectors: np.ndarray | None = None,
) -> tuple[Params, dict[str, object]]:
    """train() on precomputed features, candidate pairs and (optionally) their vectors."""
    u = estimate_u(feats, n_pairs=min(100_000, 20 * len(feats)))
    if pairs is None:
        pairs = candidate_pairs(feats)
    all_blocked = len(pairs)
    rng = np.random.default_rng(0)
    sample = rng.choice(len(pairs), max_pairs, replace=False) if len(pairs) > max_pairs else None
    if vectors is not None:
        vecs = (vectors if sample is None else vectors[sample]).astype(np.int64)
    else:
        vecs = compare_pairs(feats, pairs if sample is None else pairs[sample]).astype(np.int64)
    base = params or Params()
    # EM on blocked pairs with both classes free (m is what we want); then, as Splink does,
    # weights use u from random pairs and the prior is the estimated number of matches
    # among all n(n-1)/2 pairs.
    init = Params(
        lambda_=0.3,
        m=base.m,
        u=u,
        link_threshold=base.link_threshold,
        review_threshold=base.review_threshold,
        strong_negative=base.strong_negative,
    )
    res = em_train(vecs, u=None, init=init, max_iter=200, tol=1e-6)
    n_matches = res.params.lambda_ * all_blocked
    total = len(feats) * (len(feats) - 1) / 2
    res.params.u = u
    res.params.m["snils"] = list(base.m["snils"])
    res.params.m["geo"], res.params.u["geo"] = list(base.m["geo"]), list(base.u["geo"])
    res.params.lambda_ = min(0.5, max(1e-9, n_matches / max(total, 1.0)))
    res.params.refresh()
    res.params.trained_on = (
        f"EM on {len(feats)} records, {len(pairs)} blocked pairs; u from random pairs"
    )
    info: dict[str, object] = {
        "iterations": res.iterations,
        "converged": res.converged,
        "history": res.history,
        "pairs": len(pairs),
    }
    return res.params, info


def _incompatible_mask(vectors: np.ndarray, weights: np.ndarray, strong: float) -> np.ndarray:
    """Pairs that must not end up in one cluster even through other records:
    very low weight; different birth dates together with different first names;
    different sex together with different first names."""
    v = vectors
    first_diff = v[:, 1] == 0
    date_diff = (v[:, 3] >= 0) & (v[:, 3] <= 1)
    sex_diff = v[:, 4] == 0
    first_zero = v[:, 1] == 0
    date_inexact = (v[:, 3] >= 0) & (v[:, 3] <= 3)
    patr_zero = v[:, 2] == 0
    return np.asarray(
        (weights < strong)
        | (first_diff & (date_diff | sex_diff))
        | (first_zero & date_inexact)
        | (patr_zero & date_inexact)
    )


class _Clusters:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, x: int) -> int:
        p = self.parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x


def cluster(
    feats: Sequence[Features],
    scored: ScoredPairs,
    scorer: Scorer,
    threshold: float | None = None,
    max_check: int = 400,
) -> list[int]:
    """Greedy best-first merging that never joins clusters holding incompatible records."""
    params = scorer.params
    thr = params.link_threshold if threshold is None else threshold
    wthr = math.log2(thr / (1 - thr))
    order = np.argsort(-scored.weights, kind="stable")
    uf = _Clusters(len(feats))
    known: dict[tuple[int, int], bool] = {}
    sel = scored.weights >= wthr
    bad = _incompatible_mask(scored.vectors, scored.weights, params.strong_negative)
    for (i, j), b in zip(scored.pairs[sel].tolist(), bad[sel].tolist(), strict=True):
        known[(i, j)] = bool(b)
    for k in order.tolist():
        w = float(scored.weights[k])
        if w < wthr:
            break
        i, j = (int(x) for x in scored.pairs[k])
        if (i, j) in scored.conflicts or known.get((i, j)):
            continue
        if scored.vectors[k, 1] == 0 and w < wthr + 6.0:
            continue
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        ma, mb = uf.members[ri], uf.members[rj]
        ok = True
        if len(ma) * len(mb) <= max_check:
            for x in ma:
                for y in mb:
                    if x == i and y == j:
                        continue
                    key = (x, y) if x < y else (y, x)
                    if key in scored.conflicts:
                        ok = False
                        break
                    bx = known.get(key)
                    if bx is None:
                        wx, vx, _ = scorer.weight(feats[key[0]], feats[key[1]])
                        bx = bool(
                            _incompatible_mask(np.array([vx]), np.array([wx]),
                                               params.strong_negative)[0]
                        ) or bool(hard_conflicts(feats[key[0]], feats[key[1]], vx))  # fmt: skip
                        known[key] = bx
                    if bx:
                        ok = False
                        break
                if not ok:
                    break
        else:
            sa = {feats[x].snils for x in ma if feats[x].snils}
            sb = {feats[x].snils for x in mb if feats[x].snils}
            ok = not (sa and sb and sa != sb)
        if not ok:
            continue
        if len(ma) < len(mb):
            ri, rj, ma, mb = rj, ri, mb, ma
        uf.parent[rj] = ri
        ma.extend(mb)
        del uf.members[rj]
    return [uf.find(i) for i in range(len(feats))]


def dedupe(
    records: Sequence[PersonRecord], params: Params | None = None, threshold: float | None = None
) -> dict[str, str]:
    """record_id -> cluster_id (the smallest record_id in the cluster)."""
    scorer = Scorer(params or Params.default())
    feats = [features(r) for r in records]
    pairs = candidate_pairs(feats)
    scored = score_pairs(feats, pairs, scorer)
    roots = cluster(feats, scored, scorer, threshold)
    label: dict[int, str] = {}
    for i, r in enumerate(roots):
        rid = feats[i].record_id
        if r not in label or rid < label[r]:
            label[r] = rid
    return {feats[i].record_id: label[r] for i, r in enumerate(roots)}


def find_duplicate_pairs(
    records: Sequence[PersonRecord], min_probability: float = 0.5, params: Params | None = None
) -> list[tuple[str, str, float, list[FieldExplanation]]]:
    """Candidate duplicate pairs at or above `min_probability`, most likely first."""
    scorer = Scorer(params or Params.default())
    feats = [features(r) for r in records]
    pairs = candidate_pairs(feats)
    scored = score_pairs(feats, pairs, scorer)
    wmin = (
        -1e9 if min_probability <= 0 else math.log2(min_probability / (1 - min_probability + 1e-12))
    )
    out: list[tuple[str, str, float, list[FieldExplanation]]] = []
    for k in np.argsort(-scored.weights).tolist():
        if scored.weights[k] < wmin:
            break
        i, j = (int(x) for x in scored.pairs[k])
        c = scorer.candidate(feats[i], feats[j])
        out.append((feats[i].record_id, feats[j].record_id, c.probability, c.explanation))
    return out
