"""The combiner with real threads: every caller gets its own result, batches form under
load, an error reaches every caller of its batch and never wedges the combiner."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from ochag.core.combining import Combiner


class Recorder:
    def __init__(self, delay: float = 0.0, fail_on: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.delay = delay
        self.fail_on = fail_on
        self.lock = threading.Lock()
        self.active = 0
        self.overlap = False

    def __call__(self, items: Sequence[int]) -> list[int]:
        with self.lock:
            self.active += 1
            self.overlap |= self.active > 1
            self.batches.append(list(items))
        try:
            time.sleep(self.delay)
            if self.fail_on is not None and self.fail_on in items:
                raise ValueError(f"bad item {self.fail_on}")
            return [i * 2 for i in items]
        finally:
            with self.lock:
                self.active -= 1


def test_alone_a_call_is_a_batch_of_one() -> None:
    process = Recorder()
    combiner = Combiner(process)
    assert [combiner.submit(i) for i in range(3)] == [0, 2, 4]
    assert process.batches == [[0], [1], [2]]


def test_concurrent_calls_are_combined_and_each_gets_its_own_result() -> None:
    process = Recorder(delay=0.02)
    combiner = Combiner(process, max_batch=8)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(combiner.submit, range(200)))
    assert results == [i * 2 for i in range(200)]
    assert sorted(i for batch in process.batches for i in batch) == list(range(200))
    assert max(len(b) for b in process.batches) > 1  # batches formed under load
    assert max(len(b) for b in process.batches) <= 8
    assert len(process.batches) < 200
    assert not process.overlap  # one batch at a time: the leader is alone


def test_an_error_reaches_every_caller_of_its_batch_only() -> None:
    process = Recorder(delay=0.01, fail_on=13)
    combiner = Combiner(process)
    outcomes: dict[int, object] = {}

    def call(i: int) -> None:
        try:
            outcomes[i] = combiner.submit(i)
        except ValueError as exc:
            outcomes[i] = exc

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(call, range(40)))
    failed_batch = next(b for b in process.batches if 13 in b)
    for i in range(40):
        if i in failed_batch:
            assert isinstance(outcomes[i], ValueError)
        else:
            assert outcomes[i] == i * 2
    assert combiner.submit(50) == 100  # leadership was handed back


def test_a_wrong_number_of_results_is_an_error() -> None:
    combiner: Combiner[int, int] = Combiner(lambda items: [])
    with pytest.raises(RuntimeError):
        combiner.submit(1)
