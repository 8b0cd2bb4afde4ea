"""Writing at a past moment, for the demo region's story.

The demo is built through the services, so its audit log, histories and deadlines are real.
To tell a story that agrees with itself (a case opened before its КДН resolution, a task
overdue since the day after its deadline), each step runs at the moment it happened: every
time the code reads through ``django.utils.timezone`` — auto-stamped creation times, audit
entries, "today" for deadlines — is that moment. Never used while serving a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


@contextmanager
def as_of(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("as_of needs an aware datetime")
    with mock.patch.object(timezone, "now", return_value=moment):
        yield
