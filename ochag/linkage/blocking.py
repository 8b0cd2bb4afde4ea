"""Blocking keys: the keys a record is indexed under and a query looks up."""

from __future__ import annotations

from .records import Features, first_name_skeletons, surname_keys
from .text import family_skeleton, skeleton


def _date_keys(f: Features, swap: bool = False) -> list[str]:
    if f.year is None or f.month is None or f.day is None:
        return []
    out = [f"{f.year}-{f.month}-{f.day}"]
    if swap and f.day <= 12 and f.day != f.month:
        out.append(f"{f.year}-{f.day}-{f.month}")
    return out


def surname_skeletons(f: Features) -> list[str]:
    """Family skeletons a record answers to: the current surname, every former one and the
    parts of a hyphenated double surname."""
    out = [f.last_skel] if f.last_skel else []
    out += [skel for _, _, skel in f.former if skel]
    for name in [f.last] + [x[0] for x in f.former]:
        if "-" in name:
            out += [family_skeleton(p) for p in name.split("-") if len(p) > 2]
    return list(dict.fromkeys(out))


def blocking_keys(
    f: Features,
    query: bool = False,
    fams: list[str] | None = None,
    firsts: frozenset[str] | None = None,
) -> set[str]:
    """Keys under which a record is indexed (query=True adds swap/transposition variants).

    `fams` / `firsts` replace the record's own surname and first-name skeletons: a query
    looks up the keys of the known names its own are near (see ``fuzzy``)."""
    keys: set[str] = set()
    if fams is None:
        fams = surname_skeletons(f)
    if firsts is None:
        firsts = f.first_skels or (frozenset({skeleton(f.first)}) if f.first else frozenset())
    pk = skeleton(f.patr_key) if f.patr_key else ""
    y = f.year
    dates = _date_keys(f, swap=query)
    day_month = f"{f.month}-{f.day}" if f.month is not None and f.day is not None else ""
    if f.snils:
        keys.add("S" + f.snils)
    for fs in firsts:
        for fam in fams:
            if y is not None:
                keys.add(f"1|{fam}|{fs}|{y}")
            if pk:
                keys.add(f"4|{fam}|{fs}|{pk}")
            keys.add(f"9|{fam}|{fs}")
        if pk and y is not None:
            keys.add(f"6|{fs}|{pk}|{y}")
        for d in dates:
            keys.add(f"3|{fs}|{d}")
        if f.muni and y is not None:
            keys.add(f"7|{fs}|{y}|{f.muni}")
        if pk and day_month:  # the year mistyped (1984 / 1948, 2012 / 2021) or a year off
            keys.add(f"12|{fs}|{pk}|{day_month}")
    for fam in fams:
        if y is not None:
            keys.add(f"5|{fam}|{y}")
        if day_month:
            keys.add(f"13|{fam}|{day_month}")
        for d in dates:
            keys.add(f"2|{fam}|{d}")
    if f.muni:
        for d in dates:
            keys.add(f"11|{d}|{f.muni}")
    for d in dates:
        if f.first:  # first name written in the surname field (swapped order)
            keys.add(f"2|{family_skeleton(f.first)}|{d}")
    if query and f.first and f.last:
        # swapped order: the query's first name may be the registry's surname and vice
        # versa, each also read as the other field's name (declined, short or Latin:
        # «Ирины Лыюровой» is Лыюрова Ирина)
        sfams = swapped_surnames(f)
        for d in dates:
            keys |= {f"2|{fam}|{d}" for fam in sfams}
        keys |= swapped_keys(f, sfams, swapped_firsts(f))
    return keys


def swapped_surnames(f: Features) -> list[str]:
    """Family skeletons the query's first-name field may stand for as a surname."""
    return list(dict.fromkeys([family_skeleton(f.first), surname_keys(f.first)[2]]))


def swapped_firsts(f: Features) -> list[str]:
    """First-name skeletons the query's surname field may stand for as a first name."""
    return sorted(first_name_skeletons(f.last) | {f.last_skel})


def swapped_keys(f: Features, sfams: list[str], sfirsts: list[str]) -> set[str]:
    """Keys of a query whose surname and first name were entered in each other's fields:
    `sfams` are the surname skeletons its first-name field may stand for, `sfirsts` the
    first-name skeletons its surname field may (with the known names near them when
    misspelt: see ``Matcher._query_keys``)."""
    pk = skeleton(f.patr_key) if f.patr_key else ""
    keys: set[str] = set()
    for sfam in sfams:
        for sfirst in sfirsts:
            if f.year is not None:
                keys.add(f"1|{sfam}|{sfirst}|{f.year}")
            if pk:
                keys.add(f"4|{sfam}|{sfirst}|{pk}")
            keys.add(f"9|{sfam}|{sfirst}")
    return keys
