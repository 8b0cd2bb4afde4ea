from __future__ import annotations

from pathlib import Path

import numpy as np

from ochag.linkage import FIELDS, LEVELS, Params, em_train, train
from ochag.linkage.cli import read_records


def test_em_converges_on_generated_data(generated: Path) -> None:
    recs = read_records(str(generated) + ".csv")
    params, info = train(recs)
    assert info["converged"] is True
    assert 0 < params.lambda_ < 0.01
    for f in ("last_name", "first_name", "patronymic", "birth_date"):
        top = len(LEVELS[f]) - 1
        # exact agreement is far likelier among matches than among non-matches
        assert params.m[f][top] > 0.5
        assert params.m[f][top] / params.u[f][top] > 20
        assert params.m[f][0] < params.u[f][0]
    assert abs(sum(params.m["birth_date"]) - 1) < 1e-6


def test_em_recovers_known_mixture() -> None:
    rng = np.random.default_rng(3)
    m_true = {f: np.r_[np.full(len(LEVELS[f]) - 1, 0.1 / (len(LEVELS[f]) - 1)), 0.9]
              for f in FIELDS}  # fmt: skip
    u_true = {f: np.r_[0.9, np.full(len(LEVELS[f]) - 1, 0.1 / (len(LEVELS[f]) - 1))]
              for f in FIELDS}  # fmt: skip
    n, lam = 40_000, 0.2
    is_match = rng.random(n) < lam
    vec = np.zeros((n, len(FIELDS)), dtype=np.int64)
    for k, f in enumerate(FIELDS):
        levels = len(LEVELS[f])
        vec[is_match, k] = rng.choice(levels, is_match.sum(), p=m_true[f])
        vec[~is_match, k] = rng.choice(levels, (~is_match).sum(), p=u_true[f])
    vec[:, FIELDS.index("snils")] = -1  # SNILS m is held at its prior by design
    init = Params(lambda_=0.5)
    res = em_train(vec, u=None, init=init, max_iter=300, tol=1e-7)
    assert res.converged
    assert abs(res.params.lambda_ - lam) < 0.02
    assert abs(res.params.m["last_name"][-1] - 0.9) < 0.03


def test_default_params_ship_and_load() -> None:
    p = Params.default()
    assert "EM" in p.trained_on
    assert p.weight("last_name", len(LEVELS["last_name"]) - 1) > 5
    assert p.weight("first_name", 0) < 0
    assert p.weight("snils", -1) == 0.0
