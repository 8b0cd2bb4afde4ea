"""Russian name normalisation: folding, declension, diminutives, gender, transliteration."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from .text import clean, cyr_to_latin, family_skeleton, fold, fold_loose, is_latin, skeleton
from .translit import latin_to_cyrillic

NameKind = Literal["last", "first", "patronymic"]
Sex = Literal["M", "F"]


# ---------------------------------------------------------------- diminutive dictionary
@dataclass(frozen=True)
class NameDictionary:
    """Many-to-many, gender-tagged map of everyday forms to full first names (folded)."""

    full_sex: dict[str, frozenset[str]]
    forms: dict[str, frozenset[tuple[str, str]]]  # form -> {(full, sex)}
    by_skeleton: dict[str, frozenset[tuple[str, str]]]

    def lookup(self, folded: str) -> frozenset[tuple[str, str]]:
        return self.forms.get(folded, frozenset())


def _load_dictionary() -> NameDictionary:
    text = resources.files("ochag.linkage").joinpath("data/diminutives.tsv").read_text("utf-8")
    full_sex: dict[str, set[str]] = {}
    forms: dict[str, set[tuple[str, str]]] = {}
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        full, sex = fold(parts[0]), parts[1].strip()
        full_sex.setdefault(full, set()).add(sex)
        forms.setdefault(full, set()).add((full, sex))
        if len(parts) > 2:
            for form in parts[2].split(","):
                f = fold(form)
                if f:
                    forms.setdefault(f, set()).add((full, sex))
    # a variant that is itself a full name keeps its own canonical form too
    by_skel: dict[str, set[tuple[str, str]]] = {}
    for form, targets in forms.items():
        by_skel.setdefault(skeleton(form), set()).update(targets)
    return NameDictionary(
        full_sex={k: frozenset(v) for k, v in full_sex.items()},
        forms={k: frozenset(v) for k, v in forms.items()},
        by_skeleton={k: frozenset(v) for k, v in by_skel.items()},
    )


_DICT: NameDictionary | None = None
_LOCK = threading.Lock()


def name_dictionary() -> NameDictionary:
    global _DICT
    if _DICT is None:
        with _LOCK:
            if _DICT is None:
                _DICT = _load_dictionary()
    return _DICT


# ---------------------------------------------------------------- morphology (pymorphy3)
_MORPH: Any = None


def _morph() -> Any:
    global _MORPH
    if _MORPH is None:
        with _LOCK:
            if _MORPH is None:
                import pymorphy3

                _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


@lru_cache(maxsize=8192)
def _parses(word: str) -> tuple[Any, ...]:
    """pymorphy3's parses of a word. One name word is read as a surname, a first name and a
    father's name, each asking pymorphy3 up to twice (a cold intake's costliest step per new
    word); a small cache keeps a word's parses while it is being read. Not larger: parses
    are heavy objects, and the readings built from them are cached on their own."""
    return tuple(_morph().parse(word))


_TAG = {"last": "Surn", "first": "Name", "patronymic": "Patr"}
_NOM_SURNAME_ENDINGS = (
    "ов", "ев", "ёв", "ин", "ын", "ова", "ева", "ёва", "ина", "ына", "ский", "ская", "цкий",
    "цкая", "ко", "ук", "юк", "их", "ых", "ян", "дзе", "швили", "ец", "ич", "ай", "ер",
)  # fmt: skip
_OBLIQUE_SURNAME_ENDINGS = (
    "ову", "еву", "ину", "ыну", "овым", "евым", "иным", "овой", "евой", "иной", "ове",
    "еве", "ине", "ского", "скому", "ским", "ской", "цкого", "цкому", "цким", "цкой",
    "ую", "ого", "ому",
)  # fmt: skip
_FEMININE_OBLIQUE = ("овой", "евой", "ёвой", "иной", "ыной")


@lru_cache(maxsize=200_000)
def nominative(word: str, kind: NameKind) -> str:
    """Nominative of a (possibly declined) folded name word; unchanged if already nominative."""
    w = fold(word)
    if not w or is_latin(w) or len(w) < 3:
        return w
    if kind == "first" and (
        w in name_dictionary().forms
        or not w.endswith(("а", "у", "ю", "е", "и", "ы", "ой", "ей", "ем", "ом", "ём", "ям"))
    ):
        return w
    if kind == "patronymic" and w.endswith(("ич", "вна", "ична", "оглы", "кызы", "улы")):
        return w
    # -ова/-ева/-ина are nominative feminine as often as masculine genitive: keep them
    if kind == "last" and (
        not w.endswith(_OBLIQUE_SURNAME_ENDINGS) or w.endswith(_NOM_SURNAME_ENDINGS[:5])
    ):
        return w
    tag = _TAG[kind]
    parses = [p for p in _parses(w) if tag in p.tag]
    nomn = [p for p in parses if p.tag.case == "nomn" and p.tag.number != "plur"]
    if kind == "last" and w.endswith(_FEMININE_OBLIQUE):
        # pymorphy3 guesses an unknown «Лыюровой» also as a masculine nominative (like
        # Толстой); a -овой/-иной surname it does not know is far more often a woman's
        # surname declined (Лыюрова), and a known masculine one keeps its own reading
        nomn = [p for p in nomn if p.is_known]
    if not parses or nomn:
        return w
    if kind == "first" and not any(p.is_known for p in parses):
        # a rare name neither pymorphy3 nor the dictionary knows: its "declension" is a
        # guess by analogy («Альфиора» read as the genitive of a made-up «Альфиор»), and a
        # registry stores first names in the nominative, so the word as typed is the safer
        # reading (a declined known name is still undone above and in _first_readings)
        return w
    sing = [p for p in parses if p.tag.number != "plur"]
    best = (sing or parses)[0]
    inflected = best.inflect({"nomn"})
    out = inflected.word if inflected is not None else best.normal_form
    return fold(out)


# ---------------------------------------------------------------- gender rules
def patronymic_sex(patronymic: str | None) -> Sex | None:
    """Sex from the patronymic suffix.

    -ович/-евич/-ич male; -овна/-евна/-ична/-инична female; оглы / кызы words."""
    p = fold(patronymic)
    if not p:
        return None
    words = p.replace("-", " ").split()
    if any(w in ("оглы", "улы", "огли", "ogly", "ogli", "uly") for w in words):
        return "M"
    if any(w in ("кызы", "гызы", "кизи", "kyzy", "qizi", "gyzy") for w in words):
        return "F"
    w = words[-1]
    if is_latin(w):
        s = skeleton(w)
        if s.endswith(("ovic", "evic", "ov4", "ev4", "ic", "i4")):
            return "M"
        if s.endswith(("ovna", "evna", "i4na", "icna", "na")):
            return "F"
        return None
    if w.endswith(("ович", "евич", "ич", "овича", "евича")) or w.endswith("ичу"):
        return "M"
    if w.endswith(("овна", "евна", "ична", "инична", "овны", "евны", "ичны", "овной", "евной")):
        return "F"
    return None


def patronymic_key(patronymic: str | None) -> str:
    """Gender-neutral father's-name key: Сергеевич/Сергеевна -> сергеевич; Рашид оглы -> рашид."""
    p = fold(patronymic)
    if not p:
        return ""
    words = p.replace("-", " ").split()
    words = [w for w in words if w not in ("оглы", "улы", "кызы", "гызы")]
    if not words:
        return ""
    w = nominative(words[0], "patronymic") if not is_latin(words[0]) else words[0]
    if is_latin(w):
        # the skeleton a Cyrillic father's-name key has (ч is "4"): Pavlovna, Pavlovich,
        # Pavlovič and Pavlovic all give "pavlovi4", as «Павлович» does
        s = skeleton(w)
        for suf, rep in (("ovna", "ovi4"), ("evna", "evi4"), ("i4na", "i4"), ("icna", "i4"),
                         ("ic", "i4")):  # fmt: skip
            if s.endswith(suf):
                return s[: -len(suf)] + rep
        return s
    for suf, rep in (("инична", "ич"), ("овна", "ович"), ("евна", "евич"), ("ична", "ич")):
        if w.endswith(suf):
            return w[: -len(suf)] + rep
    return w


def surname_family_key(last_name: str | None) -> str:
    """Gender-neutral folded Cyrillic surname key: Иванов/Иванова -> иванов, -ский/-ская -> -ск."""
    w = fold(last_name)
    if not w:
        return ""
    for suf, rep in (
        ("ская", "ск"), ("ский", "ск"), ("цкая", "цк"), ("цкий", "цк"), ("ова", "ов"),
        ("ева", "ев"), ("ёва", "ев"), ("ина", "ин"), ("ына", "ын"), ("ая", "#"), ("ой", "#"),
        ("ий", "#"), ("ый", "#"),
    ):  # fmt: skip
        if w.endswith(suf) and len(w) > len(suf) + 2:
            return w[: -len(suf)] + rep
    return w


# ---------------------------------------------------------------- public normalisation
@dataclass(frozen=True)
class NormalisedName:
    """Result of normalise_name().

    original   the text as given
    kind       "last" | "first" | "patronymic"
    folded     lower case, ё→е, hyphens/spaces unified (of the nominative)
    nominative folded nominative form (declension undone); for Latin input the best
               Cyrillic reading
    canonical  for first names: the set of full names it may stand for (folded, nominative;
               Саша -> {александр, александра}); for surnames: {gender-neutral family key};
               for patronymics: {father's-name key}
    sexes      sexes compatible with the name (from the dictionary / patronymic suffix)
    candidates Cyrillic readings when the input was Latin (several; most likely first)
    keys       blocking / search keys: "exact", "loose" (й→и), "skeleton" (script-neutral),
               and per kind "family" / "canonical" / "father"
    """

    original: str
    kind: NameKind
    folded: str
    nominative: str
    canonical: frozenset[str]
    sexes: frozenset[str]
    latin: bool
    candidates: tuple[str, ...] = ()
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _first_targets(word: str, latin: bool) -> frozenset[tuple[str, str]]:
    d = name_dictionary()
    if latin:
        hits = d.by_skeleton.get(skeleton(word), frozenset())
        exact_full = frozenset(t for t in hits if skeleton(t[0]) == skeleton(word))
        return exact_full or hits
    hit = d.lookup(word)
    if hit:
        return hit
    for form in _first_readings(word):
        hit = d.lookup(form)
        if hit:
            return hit
    return frozenset()


# Case endings of everyday forms pymorphy3 does not know («Валей», «Тиму», «Асе»): the
# nominative endings they may stand for.
_SHORT_ENDINGS = (("ей", ("я",)), ("ой", ("а",)), ("ею", ("я",)), ("ою", ("а",)),
                  ("и", ("я", "а")), ("ы", ("а",)), ("е", ("я", "а")), ("у", ("а",)),
                  ("ю", ("я",)))  # fmt: skip


@lru_cache(maxsize=200_000)
def first_name_guesses(word: str) -> frozenset[str]:
    """Full first names (folded) a word from another field may stand for, by the name
    dictionary alone (no morphology: this runs for every query's surname): the word as a
    form («Толька» → анатолий), with a case ending undone («Ирины», «Клавки»,
    «Людмилой»), or, Latin, by its skeleton («Valentin»)."""
    d = name_dictionary()
    w = fold(word)
    if not w:
        return frozenset()
    if is_latin(w):
        w = latin_declined(w, "first") or w  # «Rimmy», «Mile»: the nominative first
        if is_latin(w):
            return frozenset(full for full, _ in d.by_skeleton.get(skeleton(w), ()))
    forms = [w]
    for end, noms in _SHORT_ENDINGS:
        if w.endswith(end) and len(w) > len(end) + 1:
            forms += [w[: -len(end)] + n for n in noms]
    return frozenset(full for f in forms for full, _ in d.lookup(f))


@lru_cache(maxsize=200_000)
def _first_readings(word: str) -> tuple[str, ...]:
    """Nominative readings of a declined or broken first name, most likely first: the
    dictionary form pymorphy3 gives, every Name parse, the short-form case endings, and
    a word broken by a stray hyphen («т-аня») joined again."""
    out = [nominative(word, "first")]
    out += [fold(p.normal_form) for p in _parses(word) if "Name" in p.tag]
    for end, noms in _SHORT_ENDINGS:
        if word.endswith(end) and len(word) > len(end) + 1:
            out += [word[: -len(end)] + n for n in noms]
    if "-" in word:
        out.append(word.replace("-", ""))
    return tuple(dict.fromkeys(out))


def _best_latin_reading(cands: tuple[str, ...], kind: NameKind) -> str:
    if not cands:
        return ""
    if kind == "first":
        d = name_dictionary()
        for c in cands:
            if fold(c) in d.forms:
                return fold(c)
    return fold(cands[0])


def _gost_b_readings(raw: str, latin: bool) -> list[str]:
    """GOST 7.79 System B writes х as "x" (Koxanov), which other schemes read as кс
    (Maxim): a Latin word with an x gets the х reading as a second skeleton."""
    return [raw.replace("x", "h")] if latin and "x" in raw else []


# Case endings of a declined patronymic («Сергеевны», «Айратовичу»), as transliterated back.
_OBLIQUE_PATRONYMIC = ("ича", "ичу", "ичем", "иче", "овны", "евны", "овне", "евне", "овну",
                       "евну", "овной", "евной", "ичны", "ичне", "ичну", "ичной")  # fmt: skip


_OBLIQUE = {"last": _OBLIQUE_SURNAME_ENDINGS, "patronymic": _OBLIQUE_PATRONYMIC}


def _declined_reading(cyr: str, kind: NameKind) -> str:
    """The nominative of a Cyrillic reading when the reading is a declined name, else ""."""
    if kind == "last":
        if not cyr.endswith(_OBLIQUE_SURNAME_ENDINGS) or cyr.endswith(_NOM_SURNAME_ENDINGS[:5]):
            return ""
        nom = nominative(cyr, "last")
    elif kind == "patronymic":
        if not cyr.endswith(_OBLIQUE_PATRONYMIC):
            return ""
        nom = nominative(cyr, "patronymic")
    else:
        forms = name_dictionary().forms
        nom = next((r for r in _first_readings(cyr) if r in forms), "")
    return nom if nom != cyr else ""


# Russian case endings as the transliteration schemes write them, longest first: the stem
# and the ending are read apart, so the ending's reading (ой, not оы or ож) does not depend
# on the letters the stem's cheapest reading chose.
_LATIN_ENDINGS = (("ogo", "ого"), ("omu", "ому"), ("oy", "ой"), ("oi", "ой"), ("oj", "ой"),
                  ("ey", "ей"), ("ei", "ей"), ("ej", "ей"), ("ym", "ым"), ("im", "им"),
                  ("yu", "ю"), ("iu", "ю"), ("ju", "ю"), ("û", "ю"), ("u", "у"),
                  ("e", "е"), ("y", "ы"), ("i", "и"))  # fmt: skip


@lru_cache(maxsize=50_000)
def latin_declined(raw: str, kind: NameKind) -> str:
    """The nominative of a one-word Latin name written with a Russian case ending
    («Grebenûkovoj» → grebenûkova, «Vasiliiu» → vasilii, «Sergeevny» → sergeevna), or ""
    when the word is not such a name. The word is transliterated, its case undone by the
    same rules as a Cyrillic word's, and the new ending written back onto the Latin stem,
    so the stem keeps its script-neutral key (Zajcevoj: the c is ц or к, its skeleton says
    neither). A word whose likeliest reading is a name in the nominative stays as written."""
    if " " in raw or "-" in raw:
        return ""
    d = name_dictionary()
    if kind == "first" and skeleton(raw) in d.by_skeleton:
        return ""  # «Sergei», «Mariya»: a name in the nominative as written
    readings: list[tuple[str, str, str]] = []  # (Cyrillic reading, its stem, the Latin stem)
    for lat, cyr in _LATIN_ENDINGS:
        if raw.endswith(lat) and len(raw) > len(lat) + 2:
            stems = latin_to_cyrillic(raw[: -len(lat)], 1)
            if stems:
                readings.append((fold(stems[0]) + cyr, fold(stems[0]), raw[: -len(lat)]))
    readings += [(fold(x), "", "") for x in latin_to_cyrillic(raw, 4)]
    for c, stem, lat_stem in readings:
        if kind == "first" and c in d.forms:
            return ""  # «Ilya»: a name as it is
        nom = _declined_reading(c, kind)
        if nom and stem and nom.startswith(stem):
            return lat_stem + cyr_to_latin(nom[len(stem) :])
        if nom or (kind != "first" and c.endswith(_OBLIQUE[kind])):
            # the likeliest reading with a case ending decides: a later, costlier one
            # («Lugovoj» read as люговой) must not turn a nominative into a declension
            return nom
    return ""


@lru_cache(maxsize=200_000)
def _normalise(
    text: str, kind: NameKind, sex: str | None, with_candidates: bool = True
) -> NormalisedName:
    raw = clean(text)
    was_latin = latin = is_latin(raw)
    if latin:
        declined = latin_declined(raw, kind)
        if declined:  # read from here on as the nominative (Latin, or Cyrillic at worst)
            raw = declined
            latin = is_latin(raw)
    words = [w for w in raw.replace("-", " - ").split() if w]
    cands: tuple[str, ...] = ()
    if latin and with_candidates:
        cands = latin_to_cyrillic(raw)
        if kind == "first":
            extra = sorted({full for full, _ in _first_targets(raw, True)})
            known = [fold(c) for c in cands if fold(c) in name_dictionary().forms]
            cands = tuple(dict.fromkeys(known + extra + [fold(c) for c in cands]))
        nom = _best_latin_reading(cands, kind)
    elif latin:  # matching path: script-neutral keys only, no Cyrillic reading needed
        nom = raw
    else:
        nom = " ".join(w if w == "-" else nominative(w, kind) for w in words).replace(" - ", "-")
    folded = fold(nom)
    sexes: set[str] = set()
    canonical: set[str] = set()
    keys: dict[str, tuple[str, ...]] = {}
    if kind == "first":
        parts = [p for p in folded.replace("-", " ").split() if p] or [folded]
        lat_parts = [p for p in raw.replace("-", " ").split() if p] if latin else parts
        targets: set[tuple[str, str]] = set()
        for p in lat_parts:
            targets |= _first_targets(p, latin)
        if not latin and (
            not targets or (sex in ("M", "F") and sex not in {s for _, s in targets})
        ):
            # the nominative guess missed («Коле» read as «кола»; «Александра» is also
            # Александр's genitive): every reading of the word as typed
            d = name_dictionary()
            for w in {fold(raw), *(fold(x) for x in raw.replace("-", " ").split())}:
                for form in _first_readings(w):
                    targets |= d.lookup(form)
        if sex in ("M", "F") and any(s == sex for _, s in targets):
            targets = {t for t in targets if t[1] == sex}
        canonical = {full for full, _ in targets} or {folded}
        sexes = {s for _, s in targets}
        keys["canonical"] = tuple(sorted(canonical))
        keys["skeleton"] = tuple(
            sorted(
                {skeleton(c) for c in canonical}
                | {skeleton(raw)}
                | {skeleton(w) for w in _gost_b_readings(raw, latin)}
            )
        )
    elif kind == "last":
        fam = surname_family_key(folded)
        canonical = {fam}
        keys["family"] = (fam,)
        main = family_skeleton(raw if latin else folded)
        alt = [family_skeleton(w) for w in _gost_b_readings(raw, latin)]
        keys["skeleton"] = tuple(dict.fromkeys([main, *alt]))
    else:
        ps = patronymic_sex(raw)
        if ps:
            sexes = {ps}
        father = patronymic_key(folded if not latin else raw)
        canonical = {father} if father else set()
        keys["father"] = (father,) if father else ()
        keys["skeleton"] = (skeleton(father),) if father else ()
    keys["exact"] = (folded,) if folded else ()
    keys["loose"] = (fold_loose(folded),) if folded else ()
    return NormalisedName(
        original=text,
        kind=kind,
        folded=folded,
        nominative=folded,
        canonical=frozenset(canonical),
        sexes=frozenset(sexes),
        latin=was_latin,
        candidates=tuple(fold(c) for c in cands),
        keys=keys,
    )


def normalise_name(text: str | None, kind: NameKind, sex: str | None = None) -> NormalisedName:
    """Normalise one name part. `sex` ("M"/"F"), when known, narrows diminutives."""
    if kind not in ("last", "first", "patronymic"):
        raise ValueError(f"kind must be 'last', 'first' or 'patronymic', not {kind!r}")
    return _normalise(text or "", kind, sex if sex in ("M", "F") else None)


@lru_cache(maxsize=100_000)
def known_first_name(folded: str) -> bool:
    """Whether a folded word is a first name someone bears: one the name dictionary holds
    or pymorphy3's dictionary knows as a name (a far longer list, with regional names).
    A word neither knows is most likely a misspelt name."""
    if not folded or is_latin(folded):
        return False
    if folded in name_dictionary().forms:
        return True
    return any("Name" in p.tag and p.is_known for p in _parses(folded))


def first_name_sex(first_name: str | None) -> Sex | None:
    """Sex implied by a first name when the dictionary is unambiguous."""
    n = _normalise(first_name or "", "first", None, False)
    if len(n.sexes) == 1:
        s = next(iter(n.sexes))
        return "M" if s == "M" else "F"
    return None
