"""Batch de-duplication: candidate pairs, EM training, clustering under hard constraints."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .blocking import blocking_keys
from .model import FIELDS, NULL, Params, comparison_vector, em_train, estimate_u
from .records import Features, PersonRecord, features
from .scoring import FieldExplanation, Scorer, hard_conflicts

MAX_BLOCK = 400  # blocks larger than this are skipped in batch pair generation
# loose keys (surname × year, surname × first name, date × municipality) add recall for
# records with two damaged fields; big loose blocks add mostly non-matches, so cap them lower
LOOSE_KEY_PREFIXES = ("5|", "9|", "11|")
MAX_LOOSE_BLOCK = 40


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
    very low weight; different birth dates (unless the SNILS agrees: a full-name match does
    not outweigh a date no slip explains, and a record with only a year or no date must
    not join two namesakes through itself); different sex together with different first
    names; a different first name or father's name with a date that is not exact."""
    v = vectors
    first_zero = v[:, 1] == 0
    date_diff = (v[:, 3] >= 0) & (v[:, 3] <= 1) & (v[:, FIELDS.index("snils")] != 1)
    sex_diff = v[:, 4] == 0
    date_inexact = (v[:, 3] >= 0) & (v[:, 3] <= 3)
    patr_zero = v[:, 2] == 0
    return np.asarray(
        (weights < strong)
        | date_diff
        | (first_zero & sex_diff)
        | (first_zero & date_inexact)
        | (patr_zero & date_inexact)
    )


def _enough_to_merge(v: np.ndarray) -> bool:
    """Whether a pair above the threshold may be merged by itself (issue 19 §9: a full-name
    match does not outweigh a missing or discordant date). The same SNILS or household is
    enough. Otherwise a surname only similar, a date a slip away, a year or month only on
    one side, or no date at all each want more: the father's name or the place, the place,
    and for no date the full name, the father's name and the place together. A surname and
    a first name, however rare, are what full namesakes share; which of them a vague record
    is, a person decides (the real-time matcher goes further and wants the household for a
    record without a date, see ``matcher._safe_to_link``)."""
    date = int(v[3])
    if int(v[FIELDS.index("snils")]) == 1 or int(v[FIELDS.index("household")]) == 1:
        return True
    same_place = int(v[FIELDS.index("geo")]) == 2
    if 0 <= int(v[0]) <= 1:
        # a surname only similar (two slips, or letters in common): the first name and
        # the date are what thousands share in a large registry, so the father's name or
        # the place must agree too
        return int(v[2]) >= 2 or same_place
    if date == 3:
        # a date a slip away in another municipality: two things that differ; the
        # namesake born a day or a year apart elsewhere is a person's to tell apart
        return same_place or int(v[FIELDS.index("geo")]) == NULL
    if date not in (NULL, 2):
        return True
    if date == 2:  # only a year or a month on one side: the father's name or the place too
        return int(v[2]) >= 2 or same_place
    return int(v[0]) >= 3 and int(v[1]) >= 2 and int(v[2]) >= 2 and same_place


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
        if not _enough_to_merge(scored.vectors[k]):
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
