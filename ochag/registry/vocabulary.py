"""The registry's known name skeletons, for finding a misspelt name again.

Search keys are exact: «Алнксандр» or «Собченко» for «Собчанко» match no stored key. The
engine's :class:`ochag.linkage.NearIndex` finds the known skeletons one or two edits away;
it is built per process from the distinct surname ("K") and first-name ("G") skeleton keys
(tens of thousands even for a million people: one index-only scan), and kept for
``TTL`` seconds. Keys written by this process are added at once (``note_keys``); those
written by other processes appear when the vocabulary is next rebuilt.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from ochag.linkage import NearIndex
from ochag.registry.models import PersonKey

TTL = 300.0
KINDS = ("K", "G")  # surname skeleton, first-name skeleton

_lock = threading.Lock()
_state: dict[str, tuple[float, dict[str, NearIndex]]] = {}


def _load() -> dict[str, NearIndex]:
    out = {}
    for kind in KINDS:
        keys = (
            PersonKey.objects.filter(key__gt=kind, key__lt=chr(ord(kind) + 1))
            .values_list("key", flat=True)
            .distinct()
        )
        out[kind] = NearIndex(k[1:] for k in keys.iterator(chunk_size=10_000))
    return out


def vocabulary() -> dict[str, NearIndex]:
    with _lock:
        built = _state.get("v")
        if built is None or time.monotonic() - built[0] > TTL:
            built = (time.monotonic(), _load())
            _state["v"] = built
        return built[1]


def note_keys(keys: Iterable[str]) -> None:
    """Add freshly written search keys to this process's vocabulary, if it is loaded."""
    built = _state.get("v")
    if built is None:
        return
    for key in keys:
        index = built[1].get(key[:1])
        if index is not None:
            index.add(key[1:])


def forget() -> None:
    """Drop the vocabulary (tests; after a bulk load outside the services)."""
    with _lock:
        _state.clear()


def near_keys(kind: str, skeletons: Iterable[str], limit: int = 6) -> list[str]:
    """Stored keys of `kind` near any of the skeletons (the skeletons themselves excluded)."""
    index = vocabulary()[kind]
    return sorted({kind + n for s in skeletons for n in index.near(s, limit)})
