"""The import error report goes through the shared export: neutralised and audited."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from ochag.conftest import Cast
from ochag.core.models import AuditAction, AuditEvent
from ochag.signals.models import ImportJob


def test_error_report_neutralises_formulas_and_is_audited(cast: Cast, client_for) -> None:
    job = ImportJob.objects.create(
        agency=cast.agency_a,
        user=cast.worker_a,
        file_name="a.csv",
        file_hash="0" * 64,
        errors=[[2, '=HYPERLINK("http://evil";"x")'], [3, "@SUM(A1)"]],
    )
    body = client_for(cast.worker_a).get(reverse("signals:import_errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["2", '\'=HYPERLINK("http://evil";"x")'], ["3", "'@SUM(A1)"]]
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.actor == cast.worker_a and event.object_id == str(job.pk)
    assert event.detail == {"what": "import_errors", "format": "csv", "rows": 2, "for": "worker_a"}


def test_error_report_of_another_agency_is_not_found_and_not_audited(
    cast: Cast, client_for
) -> None:
    job = ImportJob.objects.create(
        agency=cast.agency_a, user=cast.worker_a, file_name="a.csv", file_hash="1" * 64
    )
    response = client_for(cast.worker_b).get(reverse("signals:import_errors", args=[job.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()
