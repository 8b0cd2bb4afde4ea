"""Comparison levels, Fellegi–Sunter parameters and their unsupervised (EM) estimation."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from .records import Features, first_name_skeletons, surname_keys

FIELDS: tuple[str, ...] = (
    "last_name", "first_name", "patronymic", "birth_date", "sex", "snils", "geo", "household",
)  # fmt: skip
LEVELS: dict[str, tuple[str, ...]] = {
    "last_name": ("different", "similar", "typo", "same family", "exact"),
    "first_name": ("different", "similar", "same full name", "exact"),
    "patronymic": ("different", "similar or initial", "same father", "exact"),
    "birth_date": ("different", "same year", "partial agrees", "near (swap/one part)", "exact"),
    "sex": ("different", "same"),
    "snils": ("different", "same"),
    "geo": ("different region", "same region", "same municipality"),
    "household": ("different", "same"),
}
NULL = -1


def _jw(a: str, b: str) -> float:
    return float(JaroWinkler.similarity(a, b))


_SIM_CACHE: dict[tuple[str, str], float] = {}


def _sim(a: str, b: str) -> float:
    key = (a, b) if a < b else (b, a)
    v = _SIM_CACHE.get(key)
    if v is None:
        if len(_SIM_CACHE) > 2_000_000:
            _SIM_CACHE.clear()
        lev = Levenshtein.distance(a, b, score_cutoff=2)
        v = _jw(a, b)
        if lev <= 1 and min(len(a), len(b)) >= 4:
            v = max(v, 0.94)
        _SIM_CACHE[key] = v
    return v


def _last_level(a: tuple[str, str, str], b: tuple[str, str, str]) -> int:
    """Level of two surnames given as (folded, family key, skeleton)."""
    if a[0] == b[0]:
        return 4
    if a[1] == b[1] or a[2] == b[2]:
        return 3
    s = max(_sim(a[1], b[1]), _sim(a[2], b[2]))
    if s >= 0.93:
        return 2
    if s >= 0.85 or _misspelt(a[0], b[0], False, False):  # two slips in a long surname
        return 1
    return 0


def _surnames(f: Features) -> list[tuple[str, str, str]]:
    """Every surname a record answers to: the current one, each former one and, for a
    hyphenated double surname, each of its parts (Иванова-Петрова is both)."""
    out = [(f.last, f.last_fam, f.last_skel), *f.former]
    for name in [f.last] + [x[0] for x in f.former]:
        if "-" in name:
            out += [surname_keys(part) for part in name.split("-") if len(part) > 2]
    return out


def cmp_last(a: Features, b: Features) -> int:
    if not a.last or not b.last:
        return NULL
    level = _last_level((a.last, a.last_fam, a.last_skel), (b.last, b.last_fam, b.last_skel))
    if level == 4 or not (a.former or b.former or "-" in a.last or "-" in b.last):
        return level
    return max(_last_level(x, y) for x in _surnames(a) for y in _surnames(b))


def cmp_first(a: Features, b: Features) -> int:
    if not a.first or not b.first:
        return NULL
    if a.first == b.first:
        return 3
    if a.first_canon & b.first_canon or a.first_skels & b.first_skels:
        return 2
    if _sim(a.first, b.first) >= 0.9 or _misspelt(a.first, b.first, a.first_known, b.first_known):
        return 1
    return 0


def _misspelt(x: str, y: str, x_known: bool, y_known: bool) -> bool:
    """Two edits apart, both words long, and one of them no name the dictionary knows: a
    misspelling («Никоал», «Збнаид»), not another name (Виталий / Василий stay different)."""
    if (x_known and y_known) or min(len(x), len(y)) < 6:
        return False
    return bool(DamerauLevenshtein.distance(x, y, score_cutoff=2) <= 2)


def cmp_patr(a: Features, b: Features) -> int:
    if not a.patr or not b.patr:
        return NULL
    if a.patr == b.patr:
        return 3
    if a.patr_initial or b.patr_initial:
        return 1 if a.patr[0] == b.patr[0] else 0
    if (a.patr_key and a.patr_key == b.patr_key) or (a.patr_skel and a.patr_skel == b.patr_skel):
        return 2
    # a misspelt father's name has no key of its own («Иванодна» is not read as Иванович's
    # daughter's): the names as written are compared too
    if _sim(a.patr_key or a.patr, b.patr_key or b.patr) >= 0.9 or _sim(a.patr, b.patr) >= 0.9:
        return 1
    return 0


def cmp_date(a: Features, b: Features) -> int:
    return birth_level((a.year, a.month, a.day), (b.year, b.month, b.day))


Ymd = tuple[int | None, int | None, int | None]


def birth_level(a: Ymd, b: Ymd) -> int:
    """The birth-date comparison level of two (year, month, day) dates, each known as far as
    it is (NULL when a year is missing)."""
    ay, am, ad = a
    by, bm, bd = b
    if ay is None or by is None:
        return NULL
    if ad is not None and bd is not None and am is not None and bm is not None:
        if a == b:
            return 4
        same = (ay == by) + (am == bm) + (ad == bd)
        if same == 2:
            # the one part that differs must differ the way a date is mistyped (a digit, a
            # day or month off by one, two digits swapped): 07.03 / 21.03 is another day,
            # the commonest way two namesakes' dates come close, not a slip
            if ay == by and am == bm and _slip(ad, bd):
                return 3
            if ay == by and ad == bd and _slip(am, bm):
                return 3
            if abs(ay - by) == 1 or _digit_typo(ay, by):
                return 3
            if _transposed(ay, by):  # 2010 / 2001, 1987 / 1978
                return 3
        if ay == by and am == bd and ad == bm:
            return 3
        if _day_apart((ay, am, ad), (by, bm, bd)):  # 31.01 / 01.02: across a month or year end
            return 3
        return 1 if ay == by else 0
    if ay != by:
        return 0
    if am is None or bm is None:
        return 2
    if am != bm:
        return 1 if not (ad == bm or bd == am) else 2
    return 2


def _day_apart(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    try:
        return abs((dt.date(*a) - dt.date(*b)).days) == 1
    except ValueError:
        return False


def _slip(x: int | None, y: int | None) -> bool:
    """Two day or month numbers a typing error turns into each other: one apart, one of the
    two digits different (05 / 08, 12 / 17) or the two digits swapped (12 / 21)."""
    if x is None or y is None:
        return False
    sx, sy = f"{x:02d}", f"{y:02d}"
    return abs(x - y) == 1 or sx[0] == sy[0] or sx[1] == sy[1] or sx == sy[::-1]


def _digit_typo(x: int, y: int) -> bool:
    sx, sy = str(x), str(y)
    return sum(c1 != c2 for c1, c2 in zip(sx, sy, strict=False)) == 1


def _transposed(x: int, y: int) -> bool:
    """Two adjacent digits swapped (a typing error: 1987 for 1978)."""
    sx, sy = str(x), str(y)
    diff = [i for i, (c1, c2) in enumerate(zip(sx, sy, strict=False)) if c1 != c2]
    return (
        len(sx) == len(sy)
        and len(diff) == 2
        and diff[1] == diff[0] + 1
        and sx[diff[0]] == sy[diff[1]]
        and sx[diff[1]] == sy[diff[0]]
    )


def cmp_sex(a: Features, b: Features) -> int:
    if a.sex is None or b.sex is None:
        return NULL
    return 1 if a.sex == b.sex else 0


def cmp_snils(a: Features, b: Features) -> int:
    if a.snils is None or b.snils is None:
        return NULL
    return 1 if a.snils == b.snils else 0


def cmp_geo(a: Features, b: Features) -> int:
    if not a.region or not b.region:
        return NULL
    if a.region != b.region:
        return 0
    if a.muni and a.muni == b.muni:
        return 2
    return 1


def cmp_household(a: Features, b: Features) -> int:
    """Household evidence: the same (the same address, or a relative on one side is a
    relative on the other: same family and first name), different (both name relatives and
    none of them agree), or missing. Differently written addresses are no evidence against:
    the same flat is written many ways."""
    if a.address and a.address == b.address:
        return 1
    if not a.relatives or not b.relatives:
        return NULL
    return 1 if a.relatives & b.relatives else 0


def _swapped(a: Features, b: Features) -> tuple[int, int] | None:
    """Levels for (last, first) if b has surname and first name swapped relative to a."""
    if not (a.last and a.first and b.last and b.first):
        return None
    last_vs = a.last == b.first or a.last in b.first_canon
    first_vs = (
        a.first == b.last or a.first in (b.last, b.last_fam) or bool(a.first_canon & {b.last})
    )
    if not last_vs:
        last_vs = _sim(a.last, b.first) >= 0.93 or _same_swapped(a.last, b.first, b)
    if not first_vs:
        first_vs = _sim(a.first, b.last) >= 0.93 or _same_swapped(b.last, a.first, a)
    if last_vs and first_vs:
        return (3, 2)
    return None


def _same_swapped(last: str, first: str, first_owner: Features) -> bool:
    """Whether a surname-field word and a first-name-field word of two records are one name
    once each is read as what the other field holds, declension, diminutives and script
    undone: «Ирины» read as a first name is Ирина; «Лыюровой» read as a surname is
    Лыюрова; «Valentin» is Валентин, «Šiškin» Шишкин (both keys script-neutral)."""
    if first_name_skeletons(last) & first_owner.first_skels:
        return True
    skel = surname_keys(first)[2]
    return bool(skel) and skel == surname_keys(last)[2]


def comparison_vector(a: Features, b: Features) -> tuple[tuple[int, ...], bool]:
    """Levels per field (NULL = -1 when either side is missing) and a swapped-order flag."""
    lv = cmp_last(a, b)
    fv = cmp_first(a, b)
    swapped = False
    if lv <= 1 and fv <= 1 and lv != NULL and fv != NULL:
        sw = _swapped(a, b)
        if sw is not None:
            lv, fv = sw
            swapped = True
    rest = (cmp_patr(a, b), cmp_date(a, b), cmp_sex(a, b), cmp_snils(a, b), cmp_geo(a, b))
    return (lv, fv, *rest, cmp_household(a, b)), swapped


# ------------------------------------------------------------------- parameters
@dataclass
class Params:
    """Fellegi–Sunter parameters: prior match probability and m/u per field level."""

    lambda_: float = 0.01
    m: dict[str, list[float]] = field(default_factory=dict)
    u: dict[str, list[float]] = field(default_factory=dict)
    link_threshold: float = 0.95  # probability for an automatic link / merge
    review_threshold: float = 0.2  # probability above which a candidate goes to review
    strong_negative: float = -8.0  # match weight below which two records are incompatible
    trained_on: str = "hand-set defaults"
    _w: dict[str, list[float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.m:
            self.m = {k: list(v) for k, v in _DEFAULT_M.items()}
        if not self.u:
            self.u = {k: list(v) for k, v in _DEFAULT_U.items()}
        self.refresh()

    def refresh(self) -> None:
        self._w = {
            f: [
                math.log2(max(mm, 1e-6) / max(uu, 1e-6))
                for mm, uu in zip(self.m[f], self.u[f], strict=True)
            ]
            for f in FIELDS
        }

    def weight(self, fld: str, level: int) -> float:
        return 0.0 if level < 0 else self._w[fld][level]

    @property
    def prior_weight(self) -> float:
        return math.log2(self.lambda_ / (1.0 - self.lambda_))

    def to_json(self) -> dict[str, Any]:
        return {
            "lambda": self.lambda_,
            "m": self.m,
            "u": self.u,
            "link_threshold": self.link_threshold,
            "review_threshold": self.review_threshold,
            "strong_negative": self.strong_negative,
            "trained_on": self.trained_on,
            "levels": LEVELS,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Params:
        # Fields added after the parameters were saved keep their hand-set defaults.
        m = {k: list(v) for k, v in _DEFAULT_M.items()} | dict(data["m"])
        u = {k: list(v) for k, v in _DEFAULT_U.items()} | dict(data["u"])
        return cls(
            lambda_=float(data["lambda"]),
            m={k: [float(x) for x in v] for k, v in m.items()},
            u={k: [float(x) for x in v] for k, v in u.items()},
            link_threshold=float(data.get("link_threshold", 0.95)),
            review_threshold=float(data.get("review_threshold", 0.2)),
            strong_negative=float(data.get("strong_negative", -8.0)),
            trained_on=str(data.get("trained_on", "")),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Params:
        return cls.from_json(json.loads(Path(path).read_text("utf-8")))

    @classmethod
    def default(cls) -> Params:
        """Parameters shipped in data/default_params.json (EM-trained on the generator)."""
        try:
            text = resources.files("ochag.linkage").joinpath("data/default_params.json")
            return cls.from_json(json.loads(text.read_text("utf-8")))
        except FileNotFoundError:
            return cls()


_DEFAULT_M = {
    "last_name": [0.03, 0.03, 0.07, 0.12, 0.75],
    "first_name": [0.03, 0.04, 0.13, 0.80],
    "patronymic": [0.03, 0.05, 0.05, 0.87],
    "birth_date": [0.02, 0.03, 0.10, 0.08, 0.77],
    "sex": [0.03, 0.97],
    "snils": [0.01, 0.99],
    "geo": [0.1, 0.3, 0.6],
    "household": [0.4, 0.6],
}
_DEFAULT_U = {
    "last_name": [0.97, 0.02, 0.005, 0.003, 0.002],
    "first_name": [0.93, 0.03, 0.01, 0.03],
    "patronymic": [0.94, 0.02, 0.005, 0.035],
    "birth_date": [0.94, 0.055, 0.004, 0.0009, 0.0001],
    "sex": [0.5, 0.5],
    "snils": [0.999999, 0.000001],
    "geo": [0.5, 0.4, 0.1],
    "household": [0.99, 0.01],
}


def estimate_u(
    feats: Sequence[Features], n_pairs: int = 200_000, seed: int = 1
) -> dict[str, list[float]]:
    """u probabilities from random record pairs (almost all non-matches).

    Exact agreement is rare among random pairs, so its u is taken from value frequencies
    (sum of squared shares) rather than from the few sampled hits."""
    rng = random.Random(seed)
    n = len(feats)
    counts = {f: np.ones(len(LEVELS[f])) * 0.5 for f in FIELDS}
    if n < 2:
        return {f: [float(x) for x in c / c.sum()] for f, c in counts.items()}
    for _ in range(n_pairs):
        i, j = rng.randrange(n), rng.randrange(n)
        if i == j:
            continue
        vec, _ = comparison_vector(feats[i], feats[j])
        for f, lv in zip(FIELDS, vec, strict=True):
            if lv >= 0:
                counts[f][lv] += 1
    exact_keys: dict[str, Any] = {
        "last_name": lambda f: f.last,
        "first_name": lambda f: f.first,
        "patronymic": lambda f: f.patr if not f.patr_initial else "",
        "birth_date": lambda f: (f.year, f.month, f.day) if f.day is not None else None,
    }
    out = {f: c / c.sum() for f, c in counts.items()}
    for fld, key in exact_keys.items():
        vals = [str(v) for v in (key(x) for x in feats) if v]
        if len(vals) < 2:
            continue
        _, cnt = np.unique(np.array(vals), return_counts=True)
        share = cnt / cnt.sum()
        p_exact = float((share * share).sum())
        top = len(LEVELS[fld]) - 1
        rest = out[fld][:top]
        out[fld] = np.r_[rest / rest.sum() * (1 - p_exact), p_exact]
    return {f: [float(x) for x in c] for f, c in out.items()}


@dataclass
class EMResult:
    params: Params
    iterations: int
    converged: bool
    history: list[float]


def em_train(
    vectors: np.ndarray,
    u: dict[str, list[float]] | None = None,
    init: Params | None = None,
    max_iter: int = 50,
    tol: float = 1e-5,
) -> EMResult:
    """Estimate m (and lambda; u too if not given) by EM on blocked-pair comparison vectors.

    `vectors` is an (n_pairs, n_fields) int array of levels, -1 for missing. The
    SNILS field is kept at its prior (it is a hard constraint, rarely observed).
    """
    p = init or Params()
    pats, counts = np.unique(vectors, axis=0, return_counts=True)
    counts = counts.astype(float)
    m = {f: np.array(p.m[f], dtype=float) for f in FIELDS}
    uu = {f: np.array((u or p.u)[f], dtype=float) for f in FIELDS}
    lam = p.lambda_ if init is not None else 0.05
    history: list[float] = []
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        logm = np.full(len(pats), math.log(lam))
        logu = np.full(len(pats), math.log(1 - lam))
        for k, f in enumerate(FIELDS):
            lv = pats[:, k]
            ok = lv >= 0
            logm[ok] += np.log(np.maximum(m[f][lv[ok]], 1e-9))
            logu[ok] += np.log(np.maximum(uu[f][lv[ok]], 1e-9))
        post = 1.0 / (1.0 + np.exp(np.clip(logu - logm, -50, 50)))
        wpost = post * counts
        new_lam = float(wpost.sum() / counts.sum())
        delta = abs(new_lam - lam)
        lam = min(max(new_lam, 1e-6), 0.999)
        for k, f in enumerate(FIELDS):
            if f == "snils":
                continue
            lv = pats[:, k]
            ok = lv >= 0
            nm = np.bincount(lv[ok], weights=wpost[ok], minlength=len(LEVELS[f])) + 1e-3
            new_m = nm / nm.sum()
            delta = max(delta, float(np.abs(new_m - m[f]).max()))
            m[f] = new_m
            if u is None:
                nu = (
                    np.bincount(
                        lv[ok], weights=(1 - post[ok]) * counts[ok], minlength=len(LEVELS[f])
                    )
                    + 1e-3
                )
                uu[f] = nu / nu.sum()
        history.append(delta)
        if delta < tol:
            converged = True
            break
    out = Params(
        lambda_=lam,
        m={f: [float(x) for x in m[f]] for f in FIELDS},
        u={f: [float(x) for x in uu[f]] for f in FIELDS},
        link_threshold=p.link_threshold,
        review_threshold=p.review_threshold,
        strong_negative=p.strong_negative,
        trained_on="EM",
    )
    return EMResult(out, it, converged, history)
