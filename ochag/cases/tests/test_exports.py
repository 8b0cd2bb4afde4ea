"""Case PDFs are exports: each download is in the audit log with what and how many rows."""

from __future__ import annotations

from django.urls import reverse

from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.core.models import AuditAction, AuditEvent


def test_case_summary_pdf_is_audited(client_for, cc: CaseCast, case: Case) -> None:
    response = client_for(cc.curator).get(reverse("cases:pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert event.actor == cc.curator and event.object_id == str(case.pk)
    assert event.detail["what"] == "case_summary" and event.detail["format"] == "pdf"
    assert event.detail["rows"] == case.tasks.count()
