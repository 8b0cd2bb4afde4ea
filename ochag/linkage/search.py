"""Staff search box parsing and the normalised key columns the registry stores per person.

Registry columns (all strings, '' when unknown) returned by person_search_keys():

  last_key        gender-neutral folded surname: lower case, ё→е, nominative, Иванов/Иванова
                  -> "иванов", Достоевский/Достоевская -> "достоевск"
  last_skeleton   script-neutral surname key: the same family for Cyrillic or any Latin
                  scheme (Щербакова / Shcherbakova / Ŝerbakova -> "werbakov")
  first_keys      space-separated canonical full first names the entered name may stand
                  for ("саша" -> "александр александра"); store it and also one row per
                  value in a side table if exact SQL equality is wanted
  first_skeletons space-separated script-neutral skeletons of those canonical names
  patronymic_key  father's-name key, gender-neutral: Сергеевич/Сергеевна -> "сергеевич"
  birth_year      "YYYY" or ''
  birth_date      "YYYY-MM-DD" / "YYYY-MM" / "YYYY" as far as known, or ''
  snils           11 digits when the checksum is valid, else ''
  sex             "M" / "F" (given, else from the patronymic / unambiguous first name) or ''
  former_last_keys, former_last_skeletons
                  space-separated last_key / last_skeleton of every former surname and of
                  each part of a hyphenated double surname: search finds a person by any
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .blocking import surname_skeletons
from .names import normalise_name
from .records import Features, PersonRecord, features, parse_date, surname_keys
from .snils import snils_normalise
from .text import clean, family_skeleton, skeleton


def person_search_keys(rec: PersonRecord) -> dict[str, str]:
    """Normalised columns to store per person (see module docstring for their meaning)."""
    f = features(rec)
    bd = ""
    if f.year is not None:
        bd = "-".join([str(f.year)] + [f"{x:02d}" for x in (f.month, f.day) if x is not None])
    return {
        "last_key": f.last_fam,
        "last_skeleton": f.last_skel,
        "first_keys": " ".join(sorted(f.first_canon)),
        "first_skeletons": " ".join(sorted(f.first_skels)),
        "patronymic_key": f.patr_key,
        "birth_year": str(f.year) if f.year is not None else "",
        "birth_date": bd,
        "snils": f.snils or "",
        "sex": f.sex or "",
        "former_last_keys": " ".join(sorted(_other_surname_keys(f))),
        "former_last_skeletons": " ".join(s for s in surname_skeletons(f) if s != f.last_skel),
    }


def _other_surname_keys(f: Features) -> set[str]:
    keys = {fam for _, fam, _ in f.former}
    for name in [f.last] + [x[0] for x in f.former]:
        if "-" in name:
            keys |= {surname_keys(p)[1] for p in name.split("-") if len(p) > 2}
    keys.discard(f.last_fam)
    keys.discard("")
    return keys


@dataclass(frozen=True)
class NameToken:
    """A word of the query with what it can mean.

    as_last_keys / as_last_skeletons match columns last_key / last_skeleton;
    as_first_keys / as_first_skeletons match first_keys / first_skeletons (any value);
    as_patronymic_keys matches patronymic_key. A token can be any part of the name:
    search with OR across the roles, rank rows by how many tokens matched.
    """

    text: str
    folded: str
    as_last_keys: tuple[str, ...]
    as_last_skeletons: tuple[str, ...]
    as_first_keys: tuple[str, ...]
    as_first_skeletons: tuple[str, ...]
    as_patronymic_keys: tuple[str, ...]
    looks_like: str  # "first" | "patronymic" | "last" (best guess, for ranking only)


@dataclass(frozen=True)
class SearchQuery:
    text: str
    names: list[NameToken] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # YYYY-MM-DD (with day/month swap variant)
    years: list[str] = field(default_factory=list)
    snils: list[str] = field(default_factory=list)  # valid, 11 digits
    unparsed: list[str] = field(default_factory=list)


_SNILS_RE = re.compile(r"\b\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2}\b")
_DATE_RE = re.compile(r"\b(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})\b")
_YEAR_RE = re.compile(r"^(19|20)\d{2}$")
# A name word; GOST 7.79 System B and informal Latin spell ъ/ь/ы with backticks and
# apostrophes inside a word («Tat`yana», «CHERNY`SHOV», «Gul'nara»).
_APOS = "`'’ʹʼ"
_LETTER = rf"(?:[^\W\d_]|[{_APOS}])"
_WORD_RE = re.compile(rf"[^\W\d_]{_LETTER}*(?:-{_LETTER}+)*\.?")


# A token is a pure function of its word (and the shipped dictionaries): the intake reads the
# same common names again and again.
@lru_cache(maxsize=100_000)
def _token(word: str) -> NameToken:
    last = normalise_name(word, "last")
    first = normalise_name(word, "first")
    patr = normalise_name(word, "patronymic")
    if patr.sexes:
        looks = "patronymic"
    elif first.sexes:
        looks = "first"
    else:
        looks = "last"
    last_keys = {last.keys["family"][0]}
    last_skels = {*last.keys["skeleton"], family_skeleton(word)}
    if last.latin:
        for c in last.candidates[:5]:
            last_keys.add(normalise_name(c, "last").keys["family"][0])
    return NameToken(
        text=word,
        folded=last.folded if not last.latin else clean(word),
        as_last_keys=tuple(sorted(k for k in last_keys if k)),
        as_last_skeletons=tuple(sorted(k for k in last_skels if k)),
        as_first_keys=tuple(sorted(first.canonical)),
        as_first_skeletons=tuple(sorted({skeleton(c) for c in first.canonical})),
        as_patronymic_keys=patr.keys.get("father", ()) if patr.sexes else (),
        looks_like=looks,
    )


def parse_search_query(text: str) -> SearchQuery:
    """Split a free staff query into name tokens, dates, years and SNILS numbers.

    SQL use: for each name token t, a person row matches the token when
      last_key IN t.as_last_keys OR last_skeleton IN t.as_last_skeletons
      OR first_keys/first_skeletons contain any of t.as_first_keys / t.as_first_skeletons
      OR patronymic_key IN t.as_patronymic_keys;
    AND the conditions across tokens (or rank by the number of tokens matched);
    dates filter birth_date IN q.dates, years birth_year IN q.years, snils by equality.
    """
    rest = text or ""
    snils: list[str] = []
    for m in _SNILS_RE.finditer(rest):
        s = snils_normalise(m.group(0))
        if s:
            snils.append(s)
            rest = rest.replace(m.group(0), " ")
    dates: list[str] = []
    for m in _DATE_RE.finditer(rest):
        try:
            y, mo, d = parse_date(m.group(0))
        except ValueError:
            continue
        rest = rest.replace(m.group(0), " ")
        if y is not None and mo is not None and d is not None:
            dates.append(f"{y}-{mo:02d}-{d:02d}")
            if d <= 12 and d != mo:
                dates.append(f"{y}-{d:02d}-{mo:02d}")
    years: list[str] = []
    names: list[NameToken] = []
    unparsed: list[str] = []
    for word in re.split(r"[\s,;]+", rest):
        w = word.strip(" .")
        if not w:
            continue
        if _YEAR_RE.match(w):
            years.append(w)
        elif _WORD_RE.fullmatch(w):
            names.append(_token(w.rstrip(".")))
        else:
            unparsed.append(w)
    return SearchQuery(text=text, names=names, dates=dates, years=years, snils=snils,
                       unparsed=unparsed)  # fmt: skip
