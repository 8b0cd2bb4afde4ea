"""Batch de-duplication: candidate pairs, EM training, clustering under hard constraints."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .blocking import blocking_keys
from .clustering import ScoredPairs, cluster
from .model import FIELDS, Params, comparison_vector, em_train, estimate_u
from .records import Features, PersonRecord, features
from .scoring import FieldExplanation, Scorer, hard_conflicts
from .text import skeleton

MAX_BLOCK = 400  # blocks larger than this are skipped in batch pair generation
# loose keys (surname × year, surname × first name, date × municipality) add recall for
# records with two damaged fields; big loose blocks add mostly non-matches, so cap them lower
LOOSE_KEY_PREFIXES = ("5|", "9|", "11|", "B")
MAX_LOOSE_BLOCK = 40


def batch_keys(f: Features) -> set[str]:
    """Keys only the batch uses, on the father's name with the date or the place: a record
    whose surname and first name are both misspelt (or one replaced, the other misspelt)
    shares no name key with its person's other records, and one with a date slip on top
    shares no date key either. The father's name with the full date, or with the year or
    the day and month in the same municipality, still meets them; these keys are loose
    (capped like the others: a common father's name in a big municipality is no block)."""
    pk = skeleton(f.patr_key) if f.patr_key else ""
    if not pk or f.year is None:
        return set()
    keys: set[str] = set()
    if f.muni:
        keys.add(f"B1|{pk}|{f.year}|{f.muni}")
    if f.month is not None and f.day is not None:
        keys.add(f"B2|{pk}|{f.year}-{f.month}-{f.day}")
        if f.muni:  # the year mistyped (2021 / 2012)
            keys.add(f"B3|{pk}|{f.month}-{f.day}|{f.muni}")
    return keys


def candidate_pairs(feats: Sequence[Features], max_block: int = MAX_BLOCK) -> np.ndarray:
    """Unique (i, j) index pairs, i < j, sharing at least one blocking key. Every record
    also gives the keys a query looks up (surname and first name swapped, day and month
    swapped): in a batch either record of a pair may be the one written the other way."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for k in blocking_keys(f, query=True) | batch_keys(f):
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
