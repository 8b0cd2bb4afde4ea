from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ochag.core.clock import as_of
from ochag.core.models import AuditEvent
from ochag.core.services import audit_record


@pytest.mark.django_db
def test_writes_inside_carry_the_moment_and_time_resumes_after() -> None:
    moment = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.UTC)
    with as_of(moment):
        assert timezone.localdate() == dt.date(2026, 11, 20)
        audit_record(actor=None, action="test", detail={})
    assert AuditEvent.objects.get().at == moment
    assert timezone.now() > moment + dt.timedelta(days=1)


def test_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError), as_of(dt.datetime(2026, 11, 20)):
        pass
