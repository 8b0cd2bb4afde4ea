"""Low-level text helpers: folding, Cyrillic/Latin detection, transliteration skeletons.

Nothing here depends on any third-party package.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_RE = re.compile(r"[\s\u00a0]+")
_HYPHEN_RE = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]+\s*")
_CYR_RE = re.compile(r"[а-яё]")
_LAT_RE = re.compile(r"[a-z]")


@lru_cache(maxsize=500_000)
def _clean(text: str) -> str:
    t = unicodedata.normalize("NFC", text).strip().lower()
    t = _HYPHEN_RE.sub("-", t)
    t = _SPACE_RE.sub(" ", t)
    return t.strip(" .,;:\"'()[]-")


def clean(text: str | None) -> str:
    """Lower-case, unify hyphens and spaces, strip punctuation at the ends. Keeps ё."""
    return _clean(text) if text else ""


def fold(text: str | None) -> str:
    """Comparison form: clean() plus ё→е."""
    return clean(text).replace("ё", "е")


def fold_loose(text: str | None) -> str:
    """Lossy blocking form: fold() plus й→и (only ever used as an extra blocking key)."""
    return fold(text).replace("й", "и")


def is_latin(text: str) -> bool:
    """True when the text has Latin letters and no Cyrillic ones."""
    t = text.lower().replace("ё", "")  # GOST 7.79 output may keep a Cyrillic ё
    return bool(_LAT_RE.search(t)) and not _CYR_RE.search(t)


# --- Cyrillic -> a plain Latin form (close to ICAO 9303) used only to build skeletons ---
_CYR2LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia", "і": "i", "ї": "i", "є": "e",
}  # fmt: skip

# Latin letters with diacritics from GOST 7.79 / ISO 9 / scientific schemes.
_DIACRITICS = {
    "û": "yu", "â": "ya", "ë": "yo", "ž": "zh", "č": "ch", "š": "sh", "ŝ": "shch",
    "ǎ": "ya", "ǔ": "yu", "è": "e", "é": "e", "ý": "y", "ä": "ya", "ü": "yu", "ö": "yo",
    "ĭ": "i", "ʹ": "", "ʺ": "", "’": "", "”": "", "'": "", "`": "", "\"": "", "ʼ": "", "ˮ": "",
}  # fmt: skip

_SKEL_STEPS: tuple[tuple[str, str], ...] = (
    ("shch", "w"), ("shh", "w"), ("sch", "w"), ("sh", "w"),
    ("zh", "2"), ("tch", "4"), ("ch", "4"), ("kh", "h"), ("x", "ks"),
    ("tz", "c"), ("ts", "c"), ("tc", "c"), ("cz", "c"), ("ck", "k"),
    ("w", "w"), ("q", "k"), ("ph", "f"),
)  # fmt: skip
_VOWELS = "aeiou"


def cyr_to_latin(text: str) -> str:
    return "".join(_CYR2LAT.get(ch, ch) for ch in text)


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """A coarse phonetic key on which all common transliteration schemes agree.

    Cyrillic input is first written in Latin; then scheme differences are erased
    (y/j/i, kh/h, ts/c/cz, shch/sch, doubled letters, i before a vowel ...).
    Юлия, Iuliia, Yuliya, Ûliâ, Julia, Yulia all give the same key.
    """
    t = fold(text)
    if not t:
        return ""
    if _CYR_RE.search(t):
        t = cyr_to_latin(t)
    t = "".join(_DIACRITICS.get(ch, ch) for ch in t)
    t = "".join(ch for ch in t if ch.isalnum())
    t = t.replace("ё", "e")
    for a, b in _SKEL_STEPS:
        t = t.replace(a, b)
    t = t.replace("y", "i").replace("j", "i")
    # 'yo' after a consonant is ё: Semyon/Fyodor -> semen/feder
    t = re.sub(r"(?<=[^aeiou])io", "e", t)
    # i before a vowel (ia, iu, ie, io) is the softening of я/ю/е/ё
    t = re.sub(r"i+(?=[aeou])", "", t)
    t = re.sub(r"(.)\1+", r"\1", t)
    return t


def family_skeleton(surname: str) -> str:
    """Gender-neutral, script-neutral surname key (Иванов/Иванова/Ivanova -> ivanov)."""
    s = skeleton(surname)
    for suf, rep in (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("ska", "sk"),
                     ("cka", "ck"), ("ski", "sk"), ("cki", "ck")):  # fmt: skip
        if len(s) > len(suf) + 2 and s.endswith(suf):
            return s[: -len(suf)] + rep
    return s
