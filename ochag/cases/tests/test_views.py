"""Every case view with the cast: anonymous, outsider, read-only, analyst, success, errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ochag.cases import scoring, services
from ochag.cases.models import Case, Level
from ochag.cases.tests.conftest import CaseCast, all_answered, threat_assessment
from ochag.core.models import AccessLogEntry
from ochag.registry.models import MemberRole, Membership
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory
from ochag.signals.models import Signal


def url(name: str, *args: int) -> str:
    return reverse(f"cases:{name}", args=args)


CASE_PAGES = ["detail", "timeline", "print", "pdf"]
WRITE_PAGES = [
    "safety",
    "risk",
    "session",
    "plan",
    "task_new",
    "monitoring",
    "participant",
    "close",
    "curator",
]


@pytest.mark.parametrize("name", CASE_PAGES + WRITE_PAGES + ["note"])
def test_anonymous_is_sent_to_login(client, case: Case, name: str) -> None:
    response = client.get(url(name, case.pk))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


@pytest.mark.parametrize("name", ["list", "tasks", "board", "workload", "open", "notifications"])
def test_anonymous_lists(client, db, name: str) -> None:
    assert client.get(url(name)).status_code == 302


@pytest.mark.parametrize("name", CASE_PAGES + WRITE_PAGES + ["note", "reopen"])
def test_outsider_and_analyst_get_404(client_for, cast, case: Case, name: str) -> None:
    for user in (cast.worker_b, cast.analyst, cast.worker_a):
        assert client_for(user).get(url(name, case.pk)).status_code == 404


def test_unknown_ids_are_404(client_for, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    assert client.get(url("detail", 999999)).status_code == 404
    assert client.get(url("task", case.pk, 999999)).status_code == 404
    assert client.get(url("risk_detail", case.pk, 999999)).status_code == 404
    assert client.get(url("session_pdf", case.pk, 999999)).status_code == 404
    assert client.get(url("removal", case.pk, 999999)).status_code == 404
    assert client.get(url("open_household", 999999)).status_code == 404
    assert client.get("/cases/abc/").status_code == 404


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_read_only_participant_gets_403(client_for, cc: CaseCast, case: Case, name: str) -> None:
    client = client_for(cc.teacher)
    assert client.get(url("detail", case.pk)).status_code == 200
    assert client.get(url(name, case.pk)).status_code == 403
    assert client.post(url(name, case.pk), {}).status_code == 403


def test_analyst_sees_no_names(client_for, cast, cc: CaseCast, case: Case) -> None:
    client = client_for(cast.analyst)
    for name in ("list", "tasks", "board", "workload", "open", "notifications"):
        response = client.get(url(name))
        assert response.status_code == 403
        assert "Петров" not in response.content.decode()


def test_detail_shows_identity_bar_and_logs_access(client_for, cc: CaseCast, case: Case) -> None:
    response = client_for(cc.curator).get(url("detail", case.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.number in body and "Петровы" in body
    assert "Петрова Алиса Сергеевна" in body and "identity-bar" in body
    assert AccessLogEntry.objects.filter(object_id=str(case.pk), actor=cc.curator).exists()


def test_coordinator_sees_case_outsider_list_is_empty(client_for, cast, case: Case) -> None:
    assert client_for(cast.coordinator).get(url("detail", case.pk)).status_code == 200
    body = client_for(cast.worker_b).get(url("list")).content.decode()
    assert case.number not in body


def _signal(cc: CaseCast, household=None) -> Signal:
    return Signal.objects.create(
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=cc.family.territory,
        household=household,
        original_text="Дети одни дома",
        colour="amber",
        track="assessment",
        routed_to=cc.kdn,
        reporting_agency=cc.school,
    )


def test_open_case_flow(client_for, cc: CaseCast) -> None:
    client = client_for(cc.kdn_secretary)
    found = client.get(url("open"), {"q": "Петров"}).content.decode()
    assert url("open_household", cc.family.pk) in found
    signal = _signal(cc, cc.family)
    start = client.get(url("from_signal", signal.pk))
    target = url("open_household", cc.family.pk) + f"?signal={signal.pk}"
    assert start.status_code == 302 and start["Location"] == target
    assert signal.number in client.get(target).content.decode()
    bad = client.post(target, {"legal_basis": "Заявление", "signal": signal.pk})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "error-summary" in body and "Заявление" in body
    response = client.post(
        target,
        {
            "curator": cc.curator.pk,
            "legal_basis": "Заявление",
            "agencies": [cc.school.pk],
            "signal": signal.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", case.pk)
    assert case.source_signal == signal and signal.number in case.source_signal_label
    assert case.participants.filter(agency=cc.school).exists()
    timeline = client.get(url("timeline", case.pk)).content.decode()
    assert signal.number in timeline
    # A second signal about the family leads to the open case, not a second one.
    again = client.get(url("from_signal", _signal(cc, cc.family).pk))
    assert again["Location"] == url("detail", case.pk)


def test_signal_entry_point_checks(client_for, cast, cc: CaseCast) -> None:
    unlinked = _signal(cc)
    client = client_for(cc.kdn_secretary)
    assert client.get(url("from_signal", unlinked.pk))["Location"] == reverse(
        "signals:detail", args=[unlinked.pk]
    )
    assert client_for(cast.worker_b).get(url("from_signal", unlinked.pk)).status_code == 404
    assert client.get(url("from_signal", 999999)).status_code == 404
    # A signal the user cannot see cannot be attached by editing the form.
    hidden = Signal.objects.create(
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=cast.municipality_b,
        original_text="…",
        colour="amber",
        track="assessment",
        routed_to=cast.agency_b,
    )
    assert (
        client.get(url("open_household", cc.family.pk) + f"?signal={hidden.pk}").status_code == 404
    )


def test_teacher_cannot_open_a_case(client_for, cc: CaseCast) -> None:
    assert client_for(cc.teacher).get(url("open")).status_code == 403
    assert client_for(cc.teacher).post(url("open_household", cc.family.pk)).status_code == 403


def test_safety_then_removal_by_guardianship(client_for, cast, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    bad = client.post(url("safety", case.pk), {"immediate_threat": "yes", "reason": "Побои"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    assert (
        client.post(
            url("safety", case.pk),
            {"immediate_threat": "yes", "reason": "Побои", "criteria": ["violence"]},
        ).status_code
        == 302
    )
    assessment = case.safety_assessments.get()
    # The curator is not the guardianship body: no removal.
    assert client.get(url("removal", case.pk, assessment.pk)).status_code == 403
    services.case_participant_add(actor=cc.curator, case=case, agency=cast.agency_a)
    opeka = client_for(cast.worker_a)
    form = {
        "children": [cc.children[0].pk],
        "act_number": "7-р",
        "act_date": "23.11.2026",
        "prosecutor_notified_on": "23.11.2026",
        "placement": "СРЦН",
        "reason": "",
    }
    bad = opeka.post(url("removal", case.pk, assessment.pk), form)
    assert bad.status_code == 200 and "7-р" in bad.content.decode()
    form["reason"] = "Побои, мать в состоянии опьянения"
    assert opeka.post(url("removal", case.pk, assessment.pk), form).status_code == 302
    removal = case.removals.get()
    assert removal.claim_deadline == dt.date(2026, 11, 30)


def test_removal_refused_without_threat(client_for, cast, cc: CaseCast, case: Case) -> None:
    calm = services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    services.case_participant_add(actor=cc.curator, case=case, agency=cast.agency_a)
    response = client_for(cast.worker_a).post(
        url("removal", case.pk, calm.pk),
        {
            "children": [cc.children[0].pk],
            "act_number": "1",
            "act_date": "23.11.2026",
            "prosecutor_notified_on": "23.11.2026",
            "placement": "СРЦН",
            "reason": "Причина",
        },
    )
    assert response.status_code == 200 and not case.removals.exists()


def test_risk_preview_then_save(client_for, cc: CaseCast, case: Case) -> None:
    client = client_for(cc.curator)
    assert client.get(url("risk", case.pk)).status_code == 302  # safety first
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    answers = all_answered(parent_substance="yes", child_truancy="yes")
    data = {f"ind_{code}": answer for code, answer in answers.items()} | {"preview": "1"}
    preview = client.post(url("risk", case.pk), data)
    body = preview.content.decode()
    assert preview.status_code == 200 and "14" in body and "score-panel" in body
    assert '<option value="tzhs" selected>' in body  # the proposal is preselected
    data.pop("preview")
    data.update(save="1", level=Level.SOP)
    refused = client.post(url("risk", case.pk), data)
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    data["override_reason"] = "Повторные сигналы"
    assert client.post(url("risk", case.pk), data).status_code == 302
    risk = case.risk_assessments.get()
    detail = client.get(url("risk_detail", case.pk, risk.pk)).content.decode()
    assert "+8" in detail and "+6" in detail


def test_risk_form_starts_unanswered_and_refuses_to_finish(
    client_for, cc: CaseCast, case: Case
) -> None:
    """Issue 13 #4: an untouched form must not read as "no risk"."""
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    client = client_for(cc.curator)
    blank = client.get(url("risk", case.pk)).content.decode()
    assert re.search(r'name="ind_[a-z_]+"[^>]*checked', blank) is None
    assert "Не известно" in blank
    partial = {"ind_parent_cruelty": "yes", "save": "1", "level": Level.TZHS}
    refused = client.post(url("risk", case.pk), partial).content.decode()
    assert "error-summary" in refused
    # Each unanswered indicator: once in the error summary, once at its field.
    assert refused.count("Ответьте на этот показатель") == 2 * (len(scoring.INDICATORS) - 1)
    assert not case.risk_assessments.exists()
    answers = all_answered(parent_cruelty="yes", parent_substance="unknown")
    data = {f"ind_{code}": answer for code, answer in answers.items()}
    preview = client.post(url("risk", case.pk), data | {"preview": "1"}).content.decode()
    assert "Не известно" in preview and "были верны" in preview
    saved = client.post(url("risk", case.pk), data | {"save": "1", "level": Level.TZHS})
    assert saved.status_code == 302
    risk = case.risk_assessments.get()
    assert risk.answers["parent_substance"] == "unknown" and risk.score == 10
    detail = client.get(url("risk_detail", case.pk, risk.pk)).content.decode()
    assert "злоупотребляет алкоголем" in detail and "«не известно»" in detail


def test_risk_service_refuses_unanswered_indicators(cc: CaseCast, case: Case) -> None:
    services.safety_assessment_record(
        actor=cc.curator, case=case, criteria=[], immediate_threat=False, reason="Нет угрозы"
    )
    with pytest.raises(ValidationError, match="не известно"):
        services.risk_assessment_record(
            actor=cc.curator,
            case=case,
            answers={"parent_cruelty": "no"},
            strengths=[],
            strengths_note="",
            level=Level.NONE,
            override_reason="",
        )


def test_kdn_resolution_is_chosen_not_preselected(client_for, cc: CaseCast, case: Case) -> None:
    page = client_for(cc.kdn_secretary).get(url("session", case.pk)).content.decode()
    select = re.search(r'<select name="resolution".*?</select>', page, re.S)
    assert select is not None and "selected" not in select.group(0).split("</option>", 1)[1]
    assert '<option value="" selected>' in select.group(0)


def test_removal_offers_only_the_familys_children_the_user_may_see(
    client_for, cast, cc: CaseCast, case: Case
) -> None:
    """The guardianship body of another municipality, taking part in the case, may pick the
    family's children (the case makes the family its business) and nobody else, not even a
    child of its own municipality (issue 11 §2: the choices start from the registry's policy)."""
    assessment = threat_assessment(case, cc.curator)
    services.case_participant_add(actor=cc.curator, case=case, agency=cast.agency_b)
    stranger = PersonFactory(last_name="Чужая", first_name="Нина", territory=cast.municipality_b)
    Membership.objects.create(
        household=HouseholdFactory(name="Чужие", territory=cast.municipality_b),
        person=stranger,
        role=MemberRole.CHILD,
    )
    opeka_b = client_for(cast.worker_b)
    page = opeka_b.get(url("removal", case.pk, assessment.pk)).content.decode()
    assert "Алиса" in page and "Борис" in page and "Чужая" not in page
    form = {
        "children": [stranger.pk],
        "act_number": "8-р",
        "act_date": "23.11.2026",
        "prosecutor_notified_on": "23.11.2026",
        "placement": "СРЦН",
        "reason": "Побои",
    }
    refused = opeka_b.post(url("removal", case.pk, assessment.pk), form)
    assert refused.status_code == 200 and not case.removals.exists()
    form["children"] = [cc.children[1].pk]
    assert opeka_b.post(url("removal", case.pk, assessment.pk), form).status_code == 302
    assert list(case.removals.get().children.all()) == [cc.children[1]]
