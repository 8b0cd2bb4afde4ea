"""Seeded generator of Russian person records with ground truth and hard negatives.

Usage: python bench/linkage/generate.py --rows 100000 --seed 1 --out bench/data/ru100k
writes <out>.csv (person CSV of the CLI contract), <out>.truth.csv (record_id,entity_id)
and <out>.hardneg.csv (entity_a,entity_b,kind: twins/siblings/cousins/namesakes).

Names are drawn with real frequencies from the tables bundled with `russiannames`
(read through duckdb, which russiannames itself depends on).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import iuliia

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[2]))

from ochag.linkage import snils_control  # noqa: E402

SCHEMES = [iuliia.GOST_779, iuliia.ICAO_DOC_9303, iuliia.MVD_782, iuliia.MVD_310,
           iuliia.BGN_PCGN, iuliia.WIKIPEDIA]  # fmt: skip
ROWS = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]


def _neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(ROWS):
        for i, ch in enumerate(row):
            nb = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(ROWS):
                    nb += [ROWS[rr][j] for j in (i - 1, i) if 0 <= j < len(ROWS[rr])]
            out[ch] = "".join(nb)
    return out


NEIGH = _neighbours()


def _tables() -> tuple[list, list, list, list]:
    import russiannames

    data = Path(russiannames.__file__).parent / "data"
    c = duckdb.connect()
    names = c.sql(
        f"select text, gender, count from read_parquet('{data / 'names.parquet'}') "
        "where gender in ('m','f') and count >= 50 and regexp_matches(text, '^[А-ЯЁ][а-яё]+$') "
        "order by count desc, text limit 700"
    ).fetchall()
    mids = c.sql(
        f"select fname, gender, text, count from read_parquet('{data / 'midnames.parquet'}') "
        "where fname is not null and gender in ('m','f') and count >= 30 "
        "and regexp_matches(text, '^[А-ЯЁ][а-яё]+$') order by fname, gender, count desc, text"
    ).fetchall()
    surn = c.sql(
        f"select text, f_form, count from read_parquet('{data / 'surnames.parquet'}') "
        "where gender = 'm' and count >= 5 "
        "and regexp_matches(text, '^[А-ЯЁ][а-яё]+(-[А-ЯЁ][а-яё]+)?$') "
        "order by count desc, text limit 30000"
    ).fetchall()
    male = [(n, c_) for n, g, c_ in names if g == "m"]
    female = [(n, c_) for n, g, c_ in names if g == "f"]
    return male, female, mids, surn


def _female_surname(m: str, f_form: str | None) -> str:
    if f_form:
        return f_form
    for suf, rep in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая")):
        if m.endswith(suf):
            return m[: -len(suf)] + rep
    if m.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return m + "а"
    return m


@dataclass
class Entity:
    eid: str
    last: str
    first: str
    patr: str
    sex: str
    dob: tuple[int, int, int]
    snils: str
    muni: str
    n_records: int


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        male, female, mids, surn = _tables()
        self.male = [n for n, _ in male]
        self.male_w = [c for _, c in male]
        self.female = [n for n, _ in female]
        self.female_w = [c for _, c in female]
        pat: dict[str, dict[str, tuple[str, int]]] = {}
        for fname, g, text, cnt in mids:
            cur = pat.setdefault(fname, {})
            if g not in cur or cur[g][1] < cnt:
                cur[g] = (text, cnt)
        self.patr = {k: (v["m"][0], v["f"][0]) for k, v in pat.items() if "m" in v and "f" in v}
        fathers = [(n, c) for n, c in male if n in self.patr]
        self.fathers = [n for n, _ in fathers]
        self.fathers_w = [c for _, c in fathers]
        self.surn = [(m, _female_surname(m, f)) for m, f, _ in surn]
        self.surn_w = [c for _, _, c in surn]
        self.munis = [f"Муниципалитет {i:02d}" for i in range(1, 41)]
        self.region = "Тестовая область"
        self.entities: list[Entity] = []
        self.hardneg: list[tuple[str, str, str]] = []
        from ochag.linkage import name_dictionary

        d = name_dictionary()
        self.dims: dict[tuple[str, str], list[str]] = {}
        for form, targets in d.forms.items():
            for full, sex in targets:
                if form != full:
                    self.dims.setdefault((full, sex), []).append(form)
        for forms in self.dims.values():  # deterministic regardless of PYTHONHASHSEED
            forms.sort()

    # ------------------------------------------------------------------ population
    def _snils(self) -> str:
        body = f"{self.rng.randint(2_000_000, 999_999_999):09d}"
        return body + snils_control(body)

    def _n_records(self) -> int:
        r = self.rng.random()
        return 1 if r < 0.35 else 2 if r < 0.7 else 3 if r < 0.88 else 4 if r < 0.96 else 5

    def _entity(self, last_m: str, last_f: str, first: str, father: str, sex: str,
                dob: tuple[int, int, int], muni: str) -> Entity:  # fmt: skip
        pm, pf = self.patr[father]
        e = Entity(
            eid=f"E{len(self.entities)}",
            last=last_m if sex == "M" else last_f,
            first=first,
            patr=pm if sex == "M" else pf,
            sex=sex,
            dob=dob,
            snils=self._snils(),
            muni=muni,
            n_records=self._n_records(),
        )
        self.entities.append(e)
        return e

    def _first(self, sex: str) -> str:
        if sex == "M":
            return self.rng.choices(self.male, self.male_w)[0]
        return self.rng.choices(self.female, self.female_w)[0]

    def _dob(self, y0: int, y1: int) -> tuple[int, int, int]:
        return (self.rng.randint(y0, y1), self.rng.randint(1, 12), self.rng.randint(1, 28))

    def household(self, surname: tuple[str, str] | None = None, father: str | None = None,
                  muni: str | None = None) -> list[Entity]:  # fmt: skip
        rng = self.rng
        last_m, last_f = surname or rng.choices(self.surn, self.surn_w)[0]
        father = father or rng.choices(self.fathers, self.fathers_w)[0]
        muni = muni or rng.choice(self.munis)
        grand = rng.choices(self.fathers, self.fathers_w)[0]
        members: list[Entity] = []
        # parents are persons too (fewer records)
        dad = self._entity(last_m, last_f, father, grand, "M", self._dob(1970, 1998), muni)
        dad.n_records = max(1, dad.n_records - 1)
        members.append(dad)
        if rng.random() < 0.8:
            mgrand = rng.choices(self.fathers, self.fathers_w)[0]
            mum = self._entity(last_m, last_f, self._first("F"), mgrand, "F",
                               self._dob(1972, 2000), muni)  # fmt: skip
            mum.n_records = max(1, mum.n_records - 1)
            members.append(mum)
        kids: list[Entity] = []
        for _ in range(rng.choices([1, 2, 3, 4], [0.4, 0.35, 0.17, 0.08])[0]):
            sex = rng.choice("MF")
            used = {k.first for k in kids}
            first = self._first(sex)
            while first in used:
                first = self._first(sex)
            kid = self._entity(last_m, last_f, first, father, sex, self._dob(2006, 2024), muni)
            kids.append(kid)
            if rng.random() < 0.04:  # twin
                sex2 = rng.choice("MF")
                f2 = self._first(sex2)
                while f2 == first or f2 in used:
                    f2 = self._first(sex2)
                tw = self._entity(last_m, last_f, f2, father, sex2, kid.dob, muni)
                kids.append(tw)
                self.hardneg.append((kid.eid, tw.eid, "twins"))
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                if a.dob != b.dob:
                    self.hardneg.append((a.eid, b.eid, "siblings"))
        members += kids
        return members

    def population(self, rows: int) -> None:
        rng = self.rng
        total = 0
        while total < rows:
            fam = self.household()
            total += sum(e.n_records for e in fam)
            kids = [e for e in fam if e.dob[0] >= 2006]
            if rng.random() < 0.08 and kids:  # cousins: same surname and patronymic
                k0 = kids[0]
                father = next(f for f, (pm, pf) in self.patr.items() if k0.patr in (pm, pf))
                last = k0.last
                pair = next((s for s in self.surn if last in s), (last, last))
                fam2 = self.household(pair, father, k0.muni)
                total += sum(e.n_records for e in fam2)
                for a in kids:
                    for b in (e for e in fam2 if e.dob[0] >= 2006):
                        self.hardneg.append((a.eid, b.eid, "cousins"))
            if rng.random() < 0.06 and kids:  # full namesake elsewhere in the region
                k = rng.choice(kids)
                father = next(f for f, (pm, pf) in self.patr.items() if k.patr in (pm, pf))
                pair = next((s for s in self.surn if k.last in s), (k.last, k.last))
                ns = self._entity(pair[0], pair[1], k.first, father, k.sex,
                                  self._dob(2006, 2024), rng.choice(self.munis))  # fmt: skip
                total += ns.n_records
                self.hardneg.append((k.eid, ns.eid, "namesakes"))

    # ------------------------------------------------------------------ corruption
    PROFILES = {
        #            typo  dim  trl  decl  yo  swap nopat init part dmsw doff snils wgend nosur
        "school":   (0.04, 0.04, 0.0, 0.0, 0.3, 0.02, 0.04, 0.02, 0.02, 0.01, 0.01, 0.6, 0.02, 0.0),
        "clinic":   (0.07, 0.02, 0.03, 0.0, 0.5, 0.03, 0.06, 0.02, 0.03, 0.03, 0.02, 0.8, 0.02, 0.0),  # noqa: E501
        "police":   (0.09, 0.10, 0.08, 0.08, 0.5, 0.07, 0.15, 0.05, 0.10, 0.05, 0.03, 0.2, 0.04, 0.0),  # noqa: E501
        "helpline": (0.10, 0.45, 0.02, 0.25, 0.6, 0.05, 0.45, 0.05, 0.45, 0.03, 0.03, 0.02, 0.05, 0.05),  # noqa: E501
    }  # fmt: skip

    def typo(self, s: str) -> str:
        rng = self.rng
        if len(s) < 3:
            return s
        i = rng.randrange(1, len(s))
        op = rng.random()
        ch = s[i].lower()
        if op < 0.5 and ch in NEIGH:
            rep = rng.choice(NEIGH[ch])
            return s[:i] + (rep.upper() if s[i].isupper() else rep) + s[i + 1 :]
        if op < 0.7:
            return s[:i] + s[i + 1 :]
        if op < 0.9 and i < len(s) - 1:
            return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        return s[:i] + s[i] + s[i:]

    def record(self, e: Entity, rid: str) -> list[str]:
        rng = self.rng
        src = rng.choice(list(self.PROFILES))
        (p_typo, p_dim, p_trl, p_decl, p_yo, p_swap, p_nopat, p_init, p_part, p_dmsw, p_doff,
         p_snils, p_wgend, p_nosur) = self.PROFILES[src]  # fmt: skip
        last, first, patr = e.last, e.first, e.patr
        if rng.random() < p_dim:
            opts = self.dims.get((first.lower().replace("ё", "е"), e.sex))
            if opts:
                first = rng.choice(opts).capitalize()
        if rng.random() < p_wgend:
            last = _other_gender(last)
        if rng.random() < p_decl:
            case = rng.choice(["datv", "gent", "ablt"])
            last, first, patr = (_inflect(last, "Surn", case, e.sex),
                                 _inflect(first, "Name", case, e.sex),
                                 _inflect(patr, "Patr", case, e.sex))  # fmt: skip
        for _ in range(2 if rng.random() < 0.2 else 1):
            if rng.random() < p_typo:
                k = rng.random()
                if k < 0.45:
                    last = self.typo(last)
                elif k < 0.8:
                    first = self.typo(first)
                else:
                    patr = self.typo(patr)
        if rng.random() < p_yo:
            last, first, patr = (x.replace("ё", "е").replace("Ё", "Е") for x in (last, first, patr))
        if rng.random() < p_nopat:
            patr = ""
        elif rng.random() < p_init:
            patr = patr[0] + "."
        if rng.random() < p_trl:
            sch = rng.choice(SCHEMES)
            last, first, patr = (sch.translate(x) if x else x for x in (last, first, patr))
        if rng.random() < p_swap:
            last, first = first, last
        if rng.random() < p_nosur:
            last = ""
        style = rng.random()
        if style < 0.1:
            last, first, patr = last.upper(), first.upper(), patr.upper()
        elif style < 0.15:
            last, first, patr = last.lower(), first.lower(), patr.lower()
        y, m, d = e.dob
        r = rng.random()
        if r < p_dmsw and d <= 12 and d != m:
            m, d = d, m
        elif r < p_dmsw + p_doff:
            d = max(1, min(28, d + rng.choice([-1, 1])))
        if rng.random() < p_part:
            bd = f"{y}" if rng.random() < 0.6 else (f"{y}-{m:02d}" if rng.random() < 0.5 else "")
        else:
            bd = f"{y}-{m:02d}-{d:02d}"
        snils = ""
        if rng.random() < p_snils:
            s = e.snils
            if rng.random() < 0.02:  # mistyped digit: checksum will (usually) fail
                i = rng.randrange(9)
                s = s[:i] + str((int(s[i]) + 1) % 10) + s[i + 1 :]
            snils = s if rng.random() < 0.5 else f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}"
        sex = e.sex if rng.random() < 0.7 else ""
        return [rid, last, first, patr, sex, bd, snils, self.region, e.muni, src]

    def write(self, out: str, rows: int) -> None:
        self.population(rows)
        recs: list[tuple[list[str], str]] = []
        for e in self.entities:
            for _ in range(e.n_records):
                recs.append((self.record(e, ""), e.eid))
        self.rng.shuffle(recs)
        recs = recs[:rows]
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with (
            open(out + ".csv", "w", encoding="utf-8", newline="") as fh,
            open(out + ".truth.csv", "w", encoding="utf-8", newline="") as th,
        ):
            w, t = csv.writer(fh), csv.writer(th)
            w.writerow(["record_id", "last_name", "first_name", "patronymic", "sex",
                        "birth_date", "snils", "region", "municipality", "source"])  # fmt: skip
            t.writerow(["record_id", "entity_id"])
            for k, (row, eid) in enumerate(recs):
                row[0] = f"R{k}"
                w.writerow(row)
                t.writerow([row[0], eid])
        with open(out + ".hardneg.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["entity_a", "entity_b", "kind"])
            w.writerows(self.hardneg)


def _other_gender(last: str) -> str:
    for a, b in (("ская", "ский"), ("ский", "ская"), ("цкая", "цкий"), ("цкий", "цкая")):
        if last.endswith(a):
            return last[: -len(a)] + b
    if last.endswith(("ова", "ева", "ина", "ына", "ёва")):
        return last[:-1]
    if last.endswith(("ов", "ев", "ин", "ын", "ёв")):
        return last + "а"
    return last


_MORPH = None


@lru_cache(maxsize=100_000)
def _inflect(word: str, tag: str, case: str, sex: str) -> str:
    global _MORPH
    if not word:
        return word
    if _MORPH is None:
        import pymorphy3

        _MORPH = pymorphy3.MorphAnalyzer()
    gender = "masc" if sex == "M" else "femn"
    for p in _MORPH.parse(word):
        if tag in p.tag and ("ms-f" in p.tag or p.tag.gender is None or gender in p.tag):
            inf = p.inflect({case, gender}) or p.inflect({case})
            if inf:
                w = inf.word
                return w[:1].upper() + w[1:] if word[:1].isupper() else w
    return word


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    Generator(a.seed).write(a.out, a.rows)
    print(f"wrote {a.out}.csv ({a.rows} rows)", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
