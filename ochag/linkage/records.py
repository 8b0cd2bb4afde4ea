"""Person records, dates and the per-record features the comparisons work on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .names import _normalise, first_name_guesses, first_name_sex, patronymic_sex
from .snils import snils_normalise
from .text import fold, skeleton


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person as a source gave it. Empty strings and None both mean "missing".

    birth_date is "YYYY-MM-DD", "YYYY-MM" or "YYYY"; sex is "M", "F" or None.
    Names may be Cyrillic or Latin, any case, declined, diminutive.
    """

    record_id: str
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    snils: str | None = None
    region: str | None = None
    municipality: str | None = None
    source: str | None = None
    former_last_names: tuple[str, ...] = ()  # maiden or earlier surnames, any order
    # Household evidence, for telling full namesakes apart: the full names ("Фамилия Имя
    # [Отчество]") of the people the record lives with (a signal's other subjects; the
    # registry household's other members), and the household's address as given.
    relatives: tuple[str, ...] = ()
    address: str | None = None


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_RU_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(value: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) from YYYY-MM-DD / YYYY-MM / YYYY / ДД.ММ.ГГГГ; raises ValueError."""
    if value is None or not value.strip():
        return (None, None, None)
    v = value.strip()
    m = _DATE_RE.match(v)
    if m:
        y = int(m.group(1))
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) else None
    else:
        r = _RU_DATE_RE.match(v)
        if not r:
            raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
        d, mo, y = int(r.group(1)), int(r.group(2)), int(r.group(3))
    if not 1800 <= y <= 2200 or (mo is not None and not 1 <= mo <= 12):
        raise ValueError(f"bad date {value!r}")
    if d is not None:
        import datetime as _dt

        try:
            _dt.date(y, mo or 1, d)
        except ValueError as exc:
            raise ValueError(f"bad date {value!r}") from exc
    return (y, mo, d)


@dataclass(slots=True)
class Features:
    """Normalised, comparison-ready view of a PersonRecord (internal)."""

    record_id: str
    last: str  # folded nominative surname
    last_fam: str  # gender-neutral folded family key
    last_skel: str  # script-neutral family skeleton
    first: str  # folded nominative first name
    first_canon: frozenset[str]
    first_skels: frozenset[str]
    patr: str
    patr_key: str  # father's-name key (gender-neutral)
    patr_initial: bool
    patr_skel: str  # script-neutral skeleton of the father's-name key
    sex: str | None
    year: int | None
    month: int | None
    day: int | None
    snils: str | None
    region: str
    muni: str
    # (folded, family key, skeleton) of each former surname
    former: tuple[tuple[str, str, str], ...] = ()
    first_known: bool = False  # the first name is one the name dictionary knows
    # (family skeleton, first-name skeleton) of every first name each relative may stand for
    relatives: frozenset[tuple[str, str]] = frozenset()
    address: str = ""  # address_key() of the household's address


@lru_cache(maxsize=300_000)
def surname_keys(text: str) -> tuple[str, str, str]:
    """(folded nominative, gender-neutral family key, script-neutral skeleton) of a surname."""
    n = _normalise(text, "last", None, False)
    return n.folded, n.keys["family"][0], n.keys["skeleton"][0]


@lru_cache(maxsize=300_000)
def _first(text: str, sex: str | None) -> tuple[str, frozenset[str], frozenset[str], bool]:
    """(folded, canonical full names, their skeletons, whether it is a known name)."""
    n = _normalise(text, "first", sex, True)
    skels = frozenset(skeleton(c) for c in n.canonical)
    return n.folded, n.canonical, skels, bool(n.sexes)


@lru_cache(maxsize=300_000)
def first_name_skeletons(text: str) -> frozenset[str]:
    """Skeletons of every full first name a word from the surname field may stand for (a
    declined or short form: «Ирины», «Толька» → ирина, анатолий; see
    :func:`~.names.first_name_guesses`), and the word's own."""
    return frozenset(skeleton(n) for n in first_name_guesses(text)) | {skeleton(text)}


@lru_cache(maxsize=300_000)
def _patr(text: str) -> tuple[str, str, bool]:
    t = fold(text).rstrip(".")
    if len(t) == 1:
        return t, "", True
    n = _normalise(text, "patronymic", None, False)
    return n.folded, (n.keys["father"][0] if n.keys["father"] else ""), False


_ADDRESS_WORDS = re.compile(r"[^\W_]+")
# Words of an address that say nothing about which house it is.
_ADDRESS_NOISE = frozenset({
    "г", "город", "ул", "улица", "д", "дом", "кв", "квартира", "пр", "пр-т", "проспект",
    "пер", "переулок", "обл", "область", "р-н", "район", "с", "село", "п", "пос", "поселок",
    "корп", "корпус", "стр", "строение", "мкр", "микрорайон", "ш", "шоссе", "наб", "б-р",
})  # fmt: skip


def address_key(text: str | None) -> str:
    """A comparison key of a free-text address: its words folded, the words that name no
    place (ул., д., кв. …) left out, sorted («ул. Ленина, д. 5, кв. 12» and «Ленина 5-12»
    agree). Empty when nothing is left."""
    words = {w for w in _ADDRESS_WORDS.findall(fold(text)) if w not in _ADDRESS_NOISE}
    return " ".join(sorted(words)) if len(words) >= 2 else ""


# Shared by every record without relatives: an empty frozenset built per record cost
# 216 bytes each (216 MB of a 1 M index).
_NONE: frozenset[tuple[str, str]] = frozenset()


@lru_cache(maxsize=100_000)
def relative_keys(full_name: str) -> frozenset[tuple[str, str]]:
    """(family skeleton, first-name skeleton) pairs of a relative's "Фамилия Имя [Отчество]"
    for every full first name the given one may stand for (Саша: Александр, Александра)."""
    words = fold(full_name).split()
    if len(words) < 2:
        return frozenset()
    fam = surname_keys(words[0])[2]
    sex = patronymic_sex(words[2]) if len(words) > 2 else None
    skels = _first(words[1], sex)[2]
    return frozenset((fam, s) for s in skels if s)


def features(rec: PersonRecord) -> Features:
    """Compute comparison features. Raises ValueError on a malformed birth date."""
    last, fam, lskel = surname_keys(rec.last_name or "") if rec.last_name else ("", "", "")
    patr, pkey, pinit = _patr(rec.patronymic) if rec.patronymic else ("", "", False)
    sex = rec.sex.upper() if rec.sex and rec.sex.upper() in ("M", "F") else None
    if sex is None and rec.patronymic and not pinit:
        sex = patronymic_sex(rec.patronymic)
    if sex is None and rec.first_name:
        sex = first_name_sex(rec.first_name)
    first, canon, fskels, known = (
        _first(rec.first_name, sex) if rec.first_name else ("", frozenset(), frozenset(), False)
    )
    y, m, d = parse_date(rec.birth_date)
    return Features(
        record_id=rec.record_id,
        last=last,
        last_fam=fam,
        last_skel=lskel,
        first=first,
        first_canon=canon,
        first_skels=fskels,
        patr=patr,
        patr_key=pkey,
        patr_initial=pinit,
        patr_skel=skeleton(pkey) if pkey else "",
        sex=sex,
        year=y,
        month=m,
        day=d,
        snils=snils_normalise(rec.snils),
        region=fold(rec.region),
        muni=fold(rec.municipality),
        former=tuple(surname_keys(n) for n in rec.former_last_names if n and n.strip()),
        first_known=known,
        relatives=(
            frozenset(k for r in rec.relatives if r for k in relative_keys(r))
            if rec.relatives
            else _NONE
        ),
        address=address_key(rec.address),
    )
