"""Independent hard test set: a registry, labelled queries and a de-duplication file.

Built to disagree with the engine's own generator (`generate.py`): its errors come from other
mechanisms, each query carries the one error class it was made with, and nothing here imports
the engine's normaliser or its diminutive dictionary.

* Names: the `russiannames` frequency tables (first names, patronymics by father's name,
  33 000 surnames with their female forms), drawn by frequency, so rare surnames that the
  engine's case folding can damage (Леванов, Михаленок…) appear as they do in life.
* Typing errors: a ЙЦУКЕН keyboard-neighbour model; OCR confusions of printed/handwritten
  Cyrillic (и/н, п/н, ш/щ, ц/щ, л/д, в/б, е/с, т/г, ь/ъ/ы); phonetic rewrite rules of
  everyday Russian misspelling (unstressed а/о, е/и, doubled and undoubled letters, й/и,
  ь/ъ dropped, тс/ц, дь/ть, final voiced/voiceless consonant).
* Transliteration: `iuliia`, every scheme it ships (incl. GOST 7.79 System B with backticks).
* Declension: `pymorphy3`, every oblique case, of the whole name.
* Short forms: a hand-written table (not the engine's), incl. declined and broken forms.
* Surname changes: married women carry their maiden surname as a former name, with the
  date it changed; queries give the former surname or a hyphenated double surname.
* Dates: day/month swapped, day ±1, month digit off, year ±1, year only.
* Namesakes: new people with the full name of a registry person, other birth date and
  municipality; the registry itself holds such namesakes.
* Relatives: the people a report names with the person (0–2 of their household, or
  invented ones for a new person), for the intake's household evidence; drawn last, with
  their own random generator, so the rest of the set is as before.

Usage: python bench/linkage/hardset.py --registry 100000 --known 700 --new 300 --seed 5 \
           --out bench/data/hard100000
writes <out>.registry.csv (person CSV + former_last_names, household), <out>.queries.csv
(person CSV columns + truth, cls, text, relatives separated by ";") and <out>.dedupe.csv
(registry + extra records, with their entity).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import iuliia
import pymorphy3

MUNICIPALITIES = 20

KEYBOARD = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
OCR = {
    "и": "нй", "н": "ип", "п": "нл", "ш": "щи", "щ": "шц", "ц": "щ", "л": "дп", "д": "л",
    "в": "бз", "б": "в", "е": "сё", "с": "е", "т": "г", "г": "т", "ь": "ъы", "ъ": "ь",
    "ы": "ь", "о": "а", "з": "э", "э": "з",
}  # fmt: skip
# (pattern, replacement) pairs of everyday misspelling; one is applied where it fits.
PHONETIC = (
    ("о", "а"), ("а", "о"), ("е", "и"), ("и", "е"), ("й", "и"), ("ь", ""), ("ъ", ""),
    ("тс", "ц"), ("ц", "тс"), ("дь", "ть"), ("нн", "н"), ("лл", "л"), ("сс", "с"),
    ("л", "лл"), ("н", "нн"), ("ё", "о"), ("я", "йа"), ("ю", "у"), ("щ", "ш"), ("ж", "ш"),
)  # fmt: skip
SHORT = {
    "Анна": ["Аня", "Ася", "Анечка", "Нюра"], "Анастасия": ["Настя", "Ася", "Стася"],
    "Александр": ["Саша", "Саня", "Шура"], "Александра": ["Саша", "Шура"],
    "Алексей": ["Лёша", "Алёша"], "Андрей": ["Андрюша"], "Валентина": ["Валя"],
    "Валентин": ["Валя"], "Валерия": ["Лера"], "Василий": ["Вася"], "Виктор": ["Витя"],
    "Владимир": ["Вова", "Володя"], "Галина": ["Галя"], "Дмитрий": ["Дима", "Митя"],
    "Евгений": ["Женя"], "Евгения": ["Женя"], "Екатерина": ["Катя"], "Елена": ["Лена"],
    "Иван": ["Ваня"], "Мария": ["Маша"], "Михаил": ["Миша"], "Наталья": ["Наташа"],
    "Николай": ["Коля"], "Ольга": ["Оля"], "Павел": ["Паша"], "Пётр": ["Петя"],
    "Сергей": ["Серёжа"], "Татьяна": ["Таня"], "Тимофей": ["Тима"], "Тимур": ["Тима"],
    "Юлия": ["Юля"], "Юрий": ["Юра"], "Людмила": ["Люда", "Мила"], "Светлана": ["Света"],
    "Константин": ["Костя"], "Максим": ["Макс"], "Ирина": ["Ира"], "Надежда": ["Надя"],
    "Любовь": ["Люба"], "Вячеслав": ["Слава"], "Станислав": ["Стас"], "Григорий": ["Гриша"],
    "Дарья": ["Даша"], "Ксения": ["Ксюша"], "Полина": ["Поля"], "Софья": ["Соня"],
    "Олег": ["Олежка"], "Роман": ["Рома"], "Илья": ["Илюша"], "Кирилл": ["Кирюша"],
}  # fmt: skip
CASES = ("gent", "datv", "accs", "ablt", "loct")
SCHEMES = sorted(iuliia.schemas.names())


@dataclass
class Person:
    pid: str
    last: str
    first: str
    patr: str
    sex: str
    birth: dt.date
    muni: int
    household: int
    former: list[tuple[str, str]] = field(default_factory=list)  # (surname, changed on ISO)


@dataclass
class Query:
    qid: str
    truth: str  # registry pid, "" for a new person
    cls: str
    last: str
    first: str
    patr: str
    sex: str
    birth: str  # ISO, partial allowed
    muni: int
    text: str = ""  # the same query typed into the staff search box
    relatives: list[str] = field(default_factory=list)  # others the report names


# ------------------------------------------------------------------ name tables
@cache
def _tables() -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]], dict]:
    data = resources.files("russiannames").joinpath("data")
    c = duckdb.connect()
    firsts = c.sql(
        f"select text, gender, count from read_parquet('{data}/names.parquet') "
        "where gender in ('m','f') and count >= 100 and regexp_matches(text, '^[А-ЯЁ][а-яё]+$')"
        " order by count desc, text"
    ).fetchall()
    surnames = c.sql(
        f"select text, coalesce(f_form, text), count from read_parquet('{data}/surnames.parquet')"
        " where gender = 'm' and count >= 5 and regexp_matches(text, '^[А-ЯЁ][а-яё]+$')"
        " and (f_form is not null or not regexp_matches(text, '(ий|ый|ой)$'))"
        " order by count desc, text"
    ).fetchall()
    mids = c.sql(
        f"select fname, gender, arg_max(text, count) from read_parquet('{data}/midnames.parquet')"
        " where gender in ('m','f') and fname is not null group by fname, gender"
    ).fetchall()
    patr: dict[tuple[str, str], str] = {(f, g.upper()): t for f, g, t in mids}
    return firsts, surnames, patr


class Names:
    def __init__(self, rng: random.Random) -> None:
        firsts, surnames, self.patr = _tables()
        self.rng = rng
        self.first = {s: [(t, n) for t, g, n in firsts if g == s.lower()] for s in ("M", "F")}
        self.fathers = [
            (t, n) for t, n in self.first["M"] if (t, "M") in self.patr and (t, "F") in self.patr
        ]
        self.surnames = surnames
        self.female = {m: f for m, f, _ in surnames}
        self._cum: dict[tuple[int, float], list[float]] = {}

    def _pick(self, pairs: list, weight_power: float = 0.8) -> object:
        key = (id(pairs), weight_power)
        if key not in self._cum:
            self._cum[key] = list(itertools.accumulate(w**weight_power for *_, w in pairs))
        return self.rng.choices(pairs, cum_weights=self._cum[key], k=1)[0]

    def first_name(self, sex: str) -> str:
        return str(self._pick(self.first[sex])[0])  # type: ignore[index]

    def surname(self, sex: str) -> str:
        male, female, _ = self._pick(self.surnames, 0.6)  # type: ignore[misc]
        return str(female if sex == "F" else male)

    def patronymic(self, sex: str) -> str:
        father = str(self._pick(self.fathers)[0])  # type: ignore[index]
        return self.patr[(father, sex)]


# ------------------------------------------------------------------ error mechanisms
def _neighbours(ch: str) -> str:
    for r, row in enumerate(KEYBOARD):
        i = row.find(ch)
        if i < 0:
            continue
        out = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
        for rr in (r - 1, r + 1):
            if 0 <= rr < len(KEYBOARD):
                out += [KEYBOARD[rr][j] for j in (i, i + 1) if 0 <= j < len(KEYBOARD[rr])]
        return "".join(out)
    return ""


def _keep_case(old: str, new: str) -> str:
    return new.capitalize() if old[:1].isupper() else new


def keyboard_typo(word: str, rng: random.Random) -> str:
    """Substitute a neighbour, double a key, drop a key or swap two keys (one edit)."""
    w = word.lower()
    if len(w) < 3:
        return word
    i = rng.randrange(1, len(w))
    kind = rng.random()
    if kind < 0.55 and _neighbours(w[i]):
        w = w[:i] + rng.choice(_neighbours(w[i])) + w[i + 1 :]
    elif kind < 0.7:
        w = w[:i] + w[i] + w[i:]
    elif kind < 0.85:
        w = w[:i] + w[i + 1 :]
    elif i < len(w) - 1:
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    return _keep_case(word, w)


def ocr_typo(word: str, rng: random.Random) -> str:
    w = word.lower()
    spots = [i for i, ch in enumerate(w) if ch in OCR and i > 0]
    if not spots:
        return keyboard_typo(word, rng)
    i = rng.choice(spots)
    return _keep_case(word, w[:i] + rng.choice(OCR[w[i]]) + w[i + 1 :])


def phonetic(word: str, rng: random.Random) -> str:
    w = word.lower()
    rules = [(a, b) for a, b in PHONETIC if a in w[1:]]
    if not rules:
        return keyboard_typo(word, rng)
    a, b = rng.choice(rules)
    spots = [i for i in range(1, len(w)) if w.startswith(a, i)]
    i = rng.choice(spots)
    return _keep_case(word, w[:i] + b + w[i + len(a) :])


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def decline(word: str, tag: str, sex: str, case: str) -> str:
    """The word in `case` (pymorphy3), keeping the gender; unchanged if it cannot."""
    gender = "masc" if sex == "M" else "femn"
    for p in _morph().parse(word):
        if tag in p.tag and p.tag.case == "nomn" and (p.tag.gender in (gender, None)):
            form = p.inflect({case, gender} if p.tag.gender else {case})
            if form is not None:
                return _keep_case(word, form.word)
    return word


def transliterate(text: str, scheme: str) -> str:
    return str(iuliia.schemas.get(scheme).translate(text))


def _iso(d: dt.date) -> str:
    return d.isoformat()


def date_error(d: dt.date, kind: str, rng: random.Random) -> str:
    if kind == "date_swap" and d.day <= 12 and d.day != d.month:
        return _iso(d.replace(month=d.day, day=d.month))
    if kind == "date_day":
        return _iso(d + dt.timedelta(days=rng.choice((-1, 1))))
    if kind == "date_month":
        for m in rng.sample(range(1, 13), 12):
            if m != d.month and (abs(m - d.month) in (1, 10) or str(m)[-1] == str(d.month)[-1]):
                try:
                    return _iso(d.replace(month=m))
                except ValueError:
                    continue
    if kind == "date_year":
        try:
            return _iso(d.replace(year=d.year + rng.choice((-1, 1))))
        except ValueError:
            return _iso(d.replace(year=d.year + 1, day=28))
    if kind == "year_only":
        return str(d.year)
    return _iso(d + dt.timedelta(days=1))


# ------------------------------------------------------------------ registry
def _birth(rng: random.Random, child: bool) -> dt.date:
    start = dt.date(2008, 1, 1) if child else dt.date(1960, 1, 1)
    span = (dt.date(2025, 12, 31) - start).days if child else 365 * 30
    return start + dt.timedelta(days=rng.randrange(span))


def build_registry(n: int, rng: random.Random, names: Names) -> list[Person]:
    """Households of a mother (some married, with a maiden surname), often a father, and
    children; 3 % of people get a full namesake elsewhere in the registry."""
    people: list[Person] = []
    household = 0
    while len(people) < n:
        household += 1
        muni = rng.randrange(MUNICIPALITIES)
        fam_m = names.surname("M")
        fam_f = names.female.get(fam_m, fam_m)
        mother = Person("", fam_f, names.first_name("F"), names.patronymic("F"), "F",
                        _birth(rng, False), muni, household)  # fmt: skip
        if rng.random() < 0.5:
            maiden = names.surname("F")
            if maiden != fam_f:
                wed = mother.birth + dt.timedelta(days=365 * rng.randint(19, 30))
                mother.former.append((maiden, _iso(wed)))
        members = [mother]
        father_first = names.first_name("M")
        if rng.random() < 0.6:
            father_patr = names.patronymic("M")
            members.append(Person("", fam_m, father_first, father_patr, "M",
                                  _birth(rng, False), muni, household))  # fmt: skip
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            sex = rng.choice("MF")
            patr = names.patr.get((father_first, sex)) or names.patronymic(sex)
            members.append(Person("", fam_f if sex == "F" else fam_m, names.first_name(sex),
                                  patr if rng.random() > 0.05 else "", sex,
                                  _birth(rng, True), muni, household))  # fmt: skip
        people.extend(members)
    people = people[:n]
    for p in rng.sample(people, n * 3 // 100):
        muni = rng.randrange(MUNICIPALITIES)
        birth = _birth(rng, p.birth.year > 2007)
        twin = replace(p, birth=birth, muni=muni, household=-p.household, former=[])
        people[rng.randrange(n)] = twin
    for i, p in enumerate(people):
        p.pid = f"r{i}"
    return people


# ------------------------------------------------------------------ queries
def _typo_word(p: Person, fn: Callable[[str, random.Random], str], rng: random.Random
               ) -> tuple[str, str, str]:  # fmt: skip
    parts = [p.last, p.first, p.patr]
    k = rng.choice([0, 0, 1, 1, 2] if p.patr else [0, 0, 1])
    parts[k] = fn(parts[k], rng)
    return parts[0], parts[1], parts[2]


def _query_from(p: Person, cls: str, rng: random.Random) -> Query:
    last, first, patr, birth = p.last, p.first, p.patr, _iso(p.birth)
    if cls == "keyboard":
        last, first, patr = _typo_word(p, keyboard_typo, rng)
    elif cls == "ocr":
        last, first, patr = _typo_word(p, ocr_typo, rng)
    elif cls == "phonetic":
        last, first, patr = _typo_word(p, phonetic, rng)
    elif cls == "typo_and_date":
        last, first, patr = _typo_word(p, keyboard_typo, rng)
        birth = date_error(p.birth, rng.choice(("date_swap", "date_day", "date_year")), rng)
    elif cls in ("date_swap", "date_day", "date_month", "date_year", "year_only"):
        birth = date_error(p.birth, cls, rng)
    elif cls == "declined":
        case = rng.choice(CASES)
        last = decline(p.last, "Surn", p.sex, case)
        first = decline(p.first, "Name", p.sex, case)
        patr = decline(p.patr, "Patr", p.sex, case) if p.patr else ""
    elif cls in ("latin", "gost_b"):
        scheme = "gost_779_alt" if cls == "gost_b" else rng.choice(SCHEMES)
        last, first = transliterate(p.last, scheme), transliterate(p.first, scheme)
        patr = transliterate(p.patr, scheme) if p.patr and rng.random() < 0.5 else ""
        if rng.random() < 0.4:
            last, first, patr = last.upper(), first.upper(), patr.upper()
    elif cls == "short":
        short = rng.choice(SHORT[p.first])
        kind = rng.random()
        if kind < 0.3:
            short = decline(short, "Name", p.sex, rng.choice(("datv", "ablt", "gent")))
        elif kind < 0.4:
            short = short[0] + "-" + short[1:]
        first = short
        patr = patr if rng.random() < 0.5 else ""
    elif cls == "former_surname":
        last = p.former[0][0]
    elif cls == "double_surname":
        last = f"{p.former[0][0]}-{p.last}" if rng.random() < 0.5 else f"{p.last}-{p.former[0][0]}"
    elif cls == "swapped":
        last, first = p.first, p.last
    elif cls == "no_patronymic":
        patr = ""
    elif cls == "wrong_case_surname":  # a typo together with a case ending
        last = keyboard_typo(decline(p.last, "Surn", p.sex, rng.choice(CASES)), rng)
    return Query("", p.pid, cls, last, first, patr, "", birth, p.muni)


KNOWN_CLASSES = (
    "exact", "keyboard", "ocr", "phonetic", "typo_and_date", "date_swap", "date_day",
    "date_month", "date_year", "year_only", "declined", "latin", "gost_b", "short",
    "former_surname", "double_surname", "swapped", "no_patronymic", "wrong_case_surname",
)  # fmt: skip


def _fits(p: Person, cls: str) -> bool:
    if cls in ("former_surname", "double_surname"):
        return bool(p.former)
    if cls == "short":
        return p.first in SHORT
    if cls == "date_swap":
        return p.birth.day <= 12 and p.birth.day != p.birth.month
    if cls == "no_patronymic":
        return bool(p.patr)
    return True


def staff_text(q: Query, rng: random.Random) -> str:
    """How a person types the query into the search box: any order and case, date or not."""
    words = [w for w in (q.last, q.first, q.patr) if w]
    order = rng.random()
    if order < 0.2 and len(words) > 1:
        words = [words[1], words[0], *words[2:]]
    elif order < 0.3:
        words = words[:2]
    text = " ".join(words)
    case = rng.random()
    text = text.lower() if case < 0.3 else text.upper() if case < 0.45 else text
    if q.birth and rng.random() < 0.5:
        parts = q.birth.split("-")
        text += " " + (".".join(reversed(parts)) if len(parts) == 3 else parts[0])
    return text


def build_queries(registry: list[Person], n_known: int, n_new: int, rng: random.Random,
                  names: Names) -> list[Query]:  # fmt: skip
    out: list[Query] = []
    per = max(1, n_known // len(KNOWN_CLASSES))
    for cls in KNOWN_CLASSES:
        pool = [p for p in rng.sample(registry, min(len(registry), 40 * per)) if _fits(p, cls)]
        out += [_query_from(p, cls, rng) for p in pool[:per]]
    n_namesakes = n_new // 3
    for p in rng.sample(registry, n_namesakes):
        birth = _birth(rng, p.birth.year > 2007)
        muni = (p.muni + 1 + rng.randrange(MUNICIPALITIES - 1)) % MUNICIPALITIES
        out.append(Query("", "", "new_namesake", p.last, p.first, p.patr, "", _iso(birth), muni))
    known = {(p.last, p.first, p.patr) for p in registry}
    while len(out) < per * len(KNOWN_CLASSES) + n_new:
        sex = rng.choice("MF")
        p = Person("", names.surname(sex), names.first_name(sex), names.patronymic(sex), sex,
                   _birth(rng, rng.random() < 0.6), rng.randrange(MUNICIPALITIES), 0)  # fmt: skip
        if (p.last, p.first, p.patr) not in known:
            out.append(_query_from(p, "exact", rng))
            out[-1].truth, out[-1].cls = "", "new"
    for i, q in enumerate(out):
        q.qid = f"q{i}"
        q.text = staff_text(q, rng)
    return out


def add_relatives(registry: list[Person], queries: list[Query], rng: random.Random,
                  names: Names) -> None:  # fmt: skip
    """The people a report names with the person (as a signal names a child's mother or
    siblings): for a known person 0–2 of their household (each with a 10 % chance of a
    typo), for a new one and a namesake 0–2 invented people. Drawn with their own random
    generator after everything else, so the rest of the set does not change."""
    by_household: dict[int, list[Person]] = {}
    for p in registry:
        by_household.setdefault(p.household, []).append(p)
    pids = {p.pid: p for p in registry}
    for q in queries:
        k = rng.choice((0, 1, 1, 2))
        if q.truth:
            p = pids[q.truth]
            others = [o for o in by_household.get(p.household, []) if o.pid != p.pid]
            picked = rng.sample(others, min(k, len(others)))
            q.relatives = [
                " ".join(x for x in (keyboard_typo(o.last, rng) if rng.random() < 0.1
                                     else o.last, o.first, o.patr) if x)
                for o in picked
            ]  # fmt: skip
        else:
            for _ in range(k):
                sex = rng.choice("MF")
                q.relatives.append(f"{names.surname(sex)} {names.first_name(sex)} "
                                   f"{names.patronymic(sex)}")  # fmt: skip


def build_dedupe(registry: list[Person], share: float, rng: random.Random) -> list[Query]:
    """Extra records of `share` of the registry's people, one error class each."""
    out: list[Query] = []
    classes = [c for c in KNOWN_CLASSES if c not in ("swapped",)]
    for p in rng.sample(registry, int(len(registry) * share)):
        for _ in range(rng.choice((1, 1, 2))):
            cls = rng.choice([c for c in classes if _fits(p, c)])
            q = _query_from(p, cls, rng)
            q.qid = f"d{len(out)}"
            out.append(q)
    return out


# ------------------------------------------------------------------ files
HEADER = ["record_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils",
          "region", "municipality", "source"]  # fmt: skip


def _row(rid: str, last: str, first: str, patr: str, sex: str, birth: str, muni: int
         ) -> list[str]:  # fmt: skip
    return [rid, last, first, patr, sex, birth, "", "bench", f"m{muni}", "hardset"]


def write(out: str, registry: list[Person], queries: list[Query], dedupe: list[Query]) -> None:
    base = Path(out)
    base.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{out}.registry.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADER, "former_last_names", "household"])
        for p in registry:
            former = ";".join(f"{s}@{d}" for s, d in p.former)
            w.writerow([*_row(p.pid, p.last, p.first, p.patr, p.sex, _iso(p.birth), p.muni),
                        former, p.household])  # fmt: skip
    with open(f"{out}.queries.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADER, "truth", "cls", "text", "relatives"])
        for q in queries:
            w.writerow([*_row(q.qid, q.last, q.first, q.patr, q.sex, q.birth, q.muni),
                        q.truth, q.cls, q.text, ";".join(q.relatives)])  # fmt: skip
    with open(f"{out}.dedupe.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADER, "former_last_names", "entity"])
        for p in registry:
            former = ";".join(f"{s}@{d}" for s, d in p.former)
            w.writerow([*_row(p.pid, p.last, p.first, p.patr, p.sex, _iso(p.birth), p.muni),
                        former, p.pid])  # fmt: skip
        for q in dedupe:
            w.writerow([*_row(q.qid, q.last, q.first, q.patr, q.sex, q.birth, q.muni), "",
                        q.truth])  # fmt: skip


def build(n_registry: int, n_known: int, n_new: int, seed: int
          ) -> tuple[list[Person], list[Query], list[Query]]:  # fmt: skip
    rng = random.Random(seed)
    names = Names(rng)
    registry = build_registry(n_registry, rng, names)
    queries = build_queries(registry, n_known, n_new, rng, names)
    dedupe = build_dedupe(registry, 0.1, rng)
    add_relatives(registry, queries, random.Random(seed + 1), Names(random.Random(seed + 2)))
    return registry, queries, dedupe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--registry", type=int, default=100_000)
    ap.add_argument("--known", type=int, default=700)
    ap.add_argument("--new", type=int, default=300)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    write(a.out, *build(a.registry, a.known, a.new, a.seed))


if __name__ == "__main__":
    main()
