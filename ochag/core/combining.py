"""Combining concurrent requests into one batch (leader/follower, like a database's group
commit), with no thread of its own.

A request thread submits its job. If no thread is processing, it becomes the leader and
processes everything queued, its own job included, on its own database connection; threads
arriving meanwhile queue up and wait. When the leader's own job is done it hands leadership
to the oldest waiting job's thread, so no request serves others for long. Under load the
batches grow by themselves (whatever arrived during the previous batch); alone, a request
is a batch of one and pays nothing but a lock.

In a single thread (the test client) every job is processed at once, in the caller's own
transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(eq=False)
class _Job[T, R]:
    item: T
    wake: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    lead: bool = False
    result: R | None = None
    error: BaseException | None = None


class Combiner[T, R]:
    """``process(items)`` gets up to ``max_batch`` items and returns one result per item, in
    order; an exception it raises is raised in every thread of the batch."""

    def __init__(self, process: Callable[[Sequence[T]], Sequence[R]], max_batch: int = 32):
        self._process = process
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Job[T, R]] = []
        self._leading = False

    def submit(self, item: T) -> R:
        job: _Job[T, R] = _Job(item)
        with self._lock:
            self._queue.append(job)
            if not self._leading:
                self._leading = job.lead = True
        while not job.lead and not job.done:
            job.wake.wait()
            job.wake.clear()
        if not job.done:
            self._lead_until_done(job)
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def _lead_until_done(self, job: _Job[T, R]) -> None:
        while not job.done:
            with self._lock:
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
            self._run(batch)
        with self._lock:
            if self._queue:
                successor = self._queue[0]
                successor.lead = True
                successor.wake.set()
            else:
                self._leading = False

    def _run(self, batch: list[_Job[T, R]]) -> None:
        try:
            results = list(self._process([j.item for j in batch]))
            if len(results) != len(batch):
                raise RuntimeError("a combiner's process must return one result per item")
        except BaseException as exc:  # every waiting thread must hear of it, then re-raise
            for j in batch:
                j.error, j.done = exc, True
                j.wake.set()
            return
        for j, result in zip(batch, results, strict=True):
            j.result, j.done = result, True
            j.wake.set()
