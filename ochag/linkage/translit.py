"""Latin -> Cyrillic candidates for names written under any common scheme.

The reverse mapping is built here from the forward tables of GOST 7.79-2000 (system A
and B), ICAO Doc 9303, MVD 782 / MVD 310, BGN/PCGN and informal/Wikipedia usage.
A Latin string yields several Cyrillic candidates; callers rank them against known names.
"""

from __future__ import annotations

import heapq
from functools import lru_cache

from .text import clean

# Cyrillic letter -> its Latin renderings across the schemes (first is most common).
_FORWARD: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g", "gh"), "д": ("d",),
    "е": ("e", "ye", "je", "ie"), "ё": ("e", "yo", "ë", "jo", "io", "ye", "ie"),
    # "j" for ж is French usage; in the Russian schemes (GOST 7.79, ISO 9) it is й
    "ж": ("zh", "ž", "zh", "j"), "з": ("z",),
    "и": ("i", "y"), "й": ("i", "y", "j", "ĭ"), "к": ("k", "c"), "л": ("l",),
    "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",),
    "т": ("t",), "у": ("u", "ou"), "ф": ("f", "ph"), "х": ("kh", "h", "x", "ch"),
    "ц": ("ts", "c", "cz", "tc", "tz"), "ч": ("ch", "č", "tch", "tsch"),
    "ш": ("sh", "š", "sch"), "щ": ("shch", "ŝ", "sch", "shh", "sh", "ščh"),
    "ъ": ("", "ʺ", "”", "ie", "\""), "ы": ("y", "ȳ", "i", "y'"),
    "ь": ("", "ʹ", "'", "’", "`", "y", "i"), "э": ("e", "è", "eh", "é"),
    "ю": ("yu", "iu", "ju", "û", "u", "yu"), "я": ("ya", "ia", "ja", "â", "a"),
}  # fmt: skip

# Pairs that schemes render as a unit: ия -> iia/iya/ia; ий -> ii/iy/y; ый -> y/yy/yi
_FORWARD_PAIRS: dict[str, tuple[str, ...]] = {
    "ий": ("ii", "iy", "ij", "y", "i"), "ый": ("y", "yy", "yi", "yj", "iy"),
    "ия": ("iia", "iya", "ia", "ija", "iâ"), "ья": ("ya", "ia", "'ya", "ja", "ʹâ", "’ya"),
    "ье": ("ye", "ie", "'e", "je", "ʹe", "’ye"), "ьи": ("yi", "i", "'i", "ʹi"),
    "кс": ("x", "ks"), "ьо": ("yo", "io", "'o"),
}  # fmt: skip


def _build_reverse() -> tuple[dict[str, list[tuple[str, int]]], int]:
    rev: dict[str, list[tuple[str, int]]] = {}
    for table in (_FORWARD, _FORWARD_PAIRS):
        for cyr, lats in table.items():
            for rank, lat in enumerate(lats):
                if not lat:
                    continue
                opts = rev.setdefault(lat, [])
                if all(c != cyr for c, _ in opts):
                    opts.append((cyr, rank + (0 if len(cyr) == 1 else 1)))
    for opts in rev.values():
        opts.sort(key=lambda x: x[1])
    return rev, max(len(k) for k in rev)


_REVERSE, _MAXLEN = _build_reverse()
_SKIP = set("ʹʺ'’`\"”")


@lru_cache(maxsize=50_000)
def latin_to_cyrillic(text: str, limit: int = 24) -> tuple[str, ...]:
    """Cyrillic candidates for a Latin name, cheapest (most usual reading) first.

    Each reading has a cost (sum of the ranks of the choices); the `limit` cheapest
    complete readings are returned.  Soft-sign apostrophes are read as ь.
    """
    t = clean(text)
    if not t:
        return ()
    n = len(t)
    # best-first search over (cost, position, output)
    heap: list[tuple[int, int, str]] = [(0, 0, "")]
    out: list[str] = []
    seen: set[tuple[int, str]] = set()
    expansions = 0
    while heap and len(out) < limit and expansions < 3_000:
        cost, pos, acc = heapq.heappop(heap)
        expansions += 1
        if pos == n:
            if acc not in out:
                out.append(acc)
            continue
        if (pos, acc) in seen:
            continue
        seen.add((pos, acc))
        ch = t[pos]
        if ch in " -":
            heapq.heappush(heap, (cost, pos + 1, acc + ch))
            continue
        if "а" <= ch <= "я" or ch == "ё":
            heapq.heappush(heap, (cost, pos + 1, acc + ch))
            continue
        if ch in _SKIP:
            heapq.heappush(heap, (cost, pos + 1, acc + "ь"))
            heapq.heappush(heap, (cost + 1, pos + 1, acc))
            continue
        matched = False
        for ln in range(min(_MAXLEN, n - pos), 0, -1):
            opts = _REVERSE.get(t[pos : pos + ln])
            if not opts:
                continue
            matched = True
            # longer tokens are preferred readings (sh = ш, not сх)
            bonus = 0 if ln > 1 else 1
            for cyr, rank in opts:
                heapq.heappush(heap, (cost + rank + bonus + 1, pos + ln, acc + cyr))
        if not matched:
            heapq.heappush(heap, (cost + 3, pos + 1, acc))
    return tuple(out)
