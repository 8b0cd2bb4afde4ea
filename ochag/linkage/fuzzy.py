"""Error-tolerant look-up of name keys: the known keys within one or two edits of a word.

SymSpell's idea, over a vocabulary (distinct surname or first-name skeletons, a few tens of
thousands even for a million people) rather than over records: every known word is stored
under itself and each of its one-deletion variants; a query word's deletion variants (two
deletions for long words) are looked up and the hits confirmed with a bounded
Damerau–Levenshtein distance. It finds keyboard slips, dropped or doubled letters and
transposed pairs in a word, which no exact key survives, without a scan.

Skeletons (``text.skeleton``) already absorb the phonetic spellings (а/о is not among them,
е/и neither), so a phonetic slip costs one edit here.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import DamerauLevenshtein

MIN_LENGTH = 4  # shorter words have too many neighbours to mean anything
LONG = 8  # words of this length or longer may be two edits away
NEAR_CACHE = 50_000  # answers kept per index (cleared when full or when a word is added)


def max_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 2 if len(word) >= LONG else 1


def _deletions(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class NearIndex:
    """Known words, found again from a misspelt one."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._by_variant: dict[str, list[str]] = {}
        self._words: set[str] = set()
        # near() answers until a new word arrives (the registry's vocabulary learns few)
        self._near: dict[tuple[str, int], list[str]] = {}
        for w in words:
            self.add(w)

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def add(self, word: str) -> None:
        if not word or word in self._words:
            return
        self._words.add(word)
        if len(word) < MIN_LENGTH:
            return
        self._near.clear()
        for v in _deletions(word, 1):
            self._by_variant.setdefault(v, []).append(word)

    def near(self, word: str, limit: int = 8) -> list[str]:
        """Known words within max_edits(word) of `word` (the word itself excluded), closest
        first, at most `limit`."""
        k = max_edits(word)
        if not k:
            return []
        known = self._near.get((word, limit))
        if known is None:
            if len(self._near) >= NEAR_CACHE:
                self._near.clear()
            known = self._near[word, limit] = self._find(word, k, limit)
        return list(known)

    def _find(self, word: str, k: int, limit: int) -> list[str]:
        found: set[str] = set()
        by_variant = self._by_variant
        # the variants known to the index, intersected in C rather than looked up one by one
        for v in by_variant.keys() & _deletions(word, k):
            found.update(by_variant[v])
        found.discard(word)
        scored = []
        for w in found:
            d = DamerauLevenshtein.distance(word, w, score_cutoff=k)
            if d <= k:
                scored.append((d, w))
        scored.sort()
        return [w for _, w in scored[:limit]]
