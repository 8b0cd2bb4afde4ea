"""cProfile of ochag.linkage batch de-duplication (features, blocking, training, scoring,
clustering) on one data set; writes the top entries by cumulative and internal time."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys

import common  # noqa: F401

from ochag.linkage.batch import (
    candidate_pairs,
    cluster,
    compare_pairs,
    score_pairs,
    train_features,
)
from ochag.linkage.cli import read_records
from ochag.linkage.records import features
from ochag.linkage.scoring import Scorer


def pipeline(path: str) -> None:
    recs = read_records(path)
    feats = [features(r) for r in recs]
    pairs = candidate_pairs(feats)
    vectors = compare_pairs(feats, pairs)
    params, _ = train_features(feats, pairs, vectors=vectors)
    scorer = Scorer(params)
    scored = score_pairs(feats, pairs, scorer, vectors=vectors)
    cluster(feats, scored, scorer)


def main() -> None:
    data, out = sys.argv[1], sys.argv[2]
    prof = cProfile.Profile()
    prof.enable()
    pipeline(data + ".csv")
    prof.disable()
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(25)
    st.sort_stats("tottime").print_stats(20)
    text = buf.getvalue().replace("/work/main/", "")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
