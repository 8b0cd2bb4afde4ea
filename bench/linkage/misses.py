"""Why a labelled query missed its person: the query's fields against the truth record's.

Each name field is ``same`` (case, ё/е and spaces aside), ``split`` (a space typed inside
the word), ``typo`` (at most two edits), ``swapped`` (the surname and first name in each
other's fields), ``missing`` or ``other`` (a different value: FEBRL's new value, a short
form, a declined or transliterated word); the date is ``same``, ``missing``, ``partial``
(only the year or the month known on one side), ``day_month_swapped``, ``one_digit`` (a
digit mistyped or two adjacent ones transposed) or ``other``. The coarse reason is the first
that applies, in the order of REASONS; it says what the product would need to find the
person, not what the generator did.
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz.distance import OSA, Levenshtein

REASONS = (
    "latin",  # a word in Latin letters
    "name_other_or_missing",  # a surname or first name not there, or another value (FEBRL's
    # new value; the old set's short forms, declined forms, more than two edits)
    "names_swapped",  # the surname and first name in each other's fields
    "word_split_by_space",
    "two_or_more_words_misspelt",
    "one_word_misspelt",
    "patronymic_only",  # of the names only the father's differs (or is missing)
    "date_only",  # the names agree as typed; the date differs or is missing
    "nothing_differs",  # the fields agree as typed: the search or the scorer lost it
)


def _norm(value: str) -> str:
    return value.casefold().replace("ё", "е").strip()


def field_state(query: str, truth: str) -> str:
    q, t = _norm(query), _norm(truth)
    if q == t:
        return "same"
    if not q:
        return "missing"
    if not t:
        return "other"
    if " " in q and Levenshtein.distance(q.replace(" ", ""), t.replace(" ", "")) <= 1:
        return "split"
    return "typo" if Levenshtein.distance(q, t) <= 2 else "other"


def date_state(query: str, truth: str) -> str:
    if query == truth:
        return "same"
    if not query:
        return "missing"
    if truth.startswith(query) or query.startswith(truth):
        return "partial"
    if (
        len(query) == len(truth) == 10
        and query[:4] == truth[:4]
        and query[5:] == "-".join(reversed(truth[5:].split("-")))
    ):
        return "day_month_swapped"
    if len(query) == len(truth) and OSA.distance(query, truth) <= 1:
        return "one_digit"  # a digit mistyped or two adjacent ones transposed
    return "other"


def states(q: dict[str, str], truth: dict[str, str]) -> dict[str, str]:
    out = {
        "last": field_state(q["last_name"], truth["last_name"]),
        "first": field_state(q["first_name"], truth["first_name"]),
        "patronymic": field_state(q["patronymic"], truth["patronymic"]),
        "birth": date_state(q["birth_date"], truth["birth_date"]),
    }
    near = ("same", "typo")
    crossed = (field_state(q["last_name"], truth["first_name"]) in near
               and field_state(q["first_name"], truth["last_name"]) in near)  # fmt: skip
    if crossed and "other" in (out["last"], out["first"]):
        out["last"] = out["first"] = "swapped"
    return out


def reason(q: dict[str, str], truth: dict[str, str]) -> str:
    """The coarse reason (one of REASONS) a known query may be hard to find."""
    s = states(q, truth)
    names = (s["last"], s["first"])
    typed = " ".join((q["last_name"], q["first_name"], q["patronymic"]))
    if any("a" <= ch.lower() <= "z" for ch in typed):
        return "latin"
    if any(x in ("missing", "other") for x in names):
        return "name_other_or_missing"
    if "swapped" in names:
        return "names_swapped"
    if "split" in (*names, s["patronymic"]):
        return "word_split_by_space"
    typos = sum(1 for x in (*names, s["patronymic"]) if x == "typo")
    if typos >= 2:
        return "two_or_more_words_misspelt"
    if typos == 1 and s["patronymic"] != "typo":
        return "one_word_misspelt"
    if s["patronymic"] != "same":
        return "patronymic_only"
    if s["birth"] != "same":
        return "date_only"
    return "nothing_differs"


def evidence(q: dict[str, str], truth: dict[str, str]) -> str:
    """Coarser than ``reason``: the date's state and whether the surname and first name are
    still there (the same, misspelt, split or swapped) — what separates a person from a
    namesake at intake."""
    s = states(q, truth)
    names = "lost" if {s["last"], s["first"]} & {"missing", "other"} else "kept"
    return f"date {s['birth']}, names {names}"


def cross(dump: str, paths: str) -> dict[str, int]:
    """Known queries by (the CLI's outcome, the intake's outcome): ``dump`` from
    ``hardrun.py --dump``, ``paths`` a findability.py result on the same set."""
    import json
    from collections import Counter

    intake = {m["query"]: m["outcome"] for m in json.loads(Path(paths).read_text())["intake"]
              ["misses"]}  # fmt: skip
    out: Counter[str] = Counter()
    for line in Path(dump).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["truth_id"]:
            out[f"CLI {d['outcome']} / intake {intake.get(d['id'], 'linked_right')}"] += 1
    return dict(sorted(out.items()))


if __name__ == "__main__":
    # python bench/linkage/misses.py DUMP.jsonl PATHS.json: the CLI's and the intake's
    # outcomes side by side, per known query
    import sys

    for key, n in cross(sys.argv[1], sys.argv[2]).items():
        print(f"{n:5d}  {key}")
