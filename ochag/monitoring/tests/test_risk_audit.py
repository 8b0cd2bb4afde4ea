"""The risk score under audit: groups, departures, what followed, suppression and flags."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ochag.access.models import User
from ochag.cases import scoring, services
from ochag.cases.models import Case, Level, Resolution
from ochag.cases.tests.conftest import CaseCast, cc  # noqa: F401 - fixture
from ochag.conftest import Cast
from ochag.core.clock import as_of
from ochag.monitoring import risk_audit
from ochag.monitoring.periods import Period
from ochag.monitoring.risk_audit import ChildRow
from ochag.monitoring.selectors import scope_for
from ochag.monitoring.tests.conftest import at, make_signals
from ochag.registry.disability import DisabilityStatus, PersonDisability
from ochag.registry.models import MemberRole, Membership
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory
from ochag.signals.models import SignalIndicator
from ochag.signals.setup_models import Indicator
from ochag.support.tests.conftest import SupportCast, sc  # noqa: F401 - fixture
from ochag.support.tests.test_services import consent_for, send

pytestmark = pytest.mark.django_db
PAGE = reverse("monitoring:risk_audit")


def _answers(**yes: str) -> dict[str, str]:
    answers = {i.code: scoring.ANSWER_NO for i in scoring.INDICATORS}
    return answers | yes


def _assess(case: Case, actor: User, when: dt.datetime, level: str, **yes: str) -> None:
    with as_of(when):
        proposed = scoring.score(_answers(**yes)).proposed_level
        services.risk_assessment_record(
            actor=actor,
            case=case,
            answers=_answers(**yes),
            strengths=[],
            strengths_note="",
            level=level,
            override_reason="" if level == proposed else "Иная оценка специалиста",
        )


@pytest.fixture
def audited(cast: Cast, cc: CaseCast, sc: SupportCast) -> tuple[Case, Case]:  # noqa: F811
    """Family A (two children, one mother) assessed in March (proposed ТЖС, decided СОП;
    support, СОП recognition and the younger child's removal followed), June and September;
    the elder child's disability was established in May. Family B (five children, two of
    them disabled since 2020 and one recorded without disability, two parents, low income, a
    disabled member per a signal) assessed in March (proposed ТЖС, decided early distress)."""
    with as_of(at(2026, 2)):
        case_a = services.case_open(
            actor=cc.kdn_secretary, household=cc.family, curator=cc.curator, legal_basis="П-1"
        )
        safety = services.safety_assessment_record(
            actor=cc.curator,
            case=case_a,
            criteria=["caregiver_intoxicated"],
            immediate_threat=True,
            reason="Мать в состоянии опьянения",
        )
    _assess(case_a, cc.curator, at(2026, 3), Level.SOP, parent_substance="yes", child_truancy="yes")
    with as_of(at(2026, 4)):
        consent = dataclasses.replace(consent_for(case_a), given_on=dt.date(2026, 4, 1))
        send(case_a, sc, consent=consent)
        services.kdn_session_record(
            actor=cc.kdn_secretary,
            case=case_a,
            date=dt.date(2026, 4, 12),
            resolution_number="12",
            agenda="О признании семьи в СОП",
            resolution=Resolution.RECOGNISE_SOP,
            resolution_text="Признать",
        )
    with as_of(at(2026, 5)):
        services.emergency_removal_record(
            actor=cc.curator,
            assessment=safety,
            children=[cc.children[1]],
            act_number="А-1",
            act_date=dt.date(2026, 5, 10),
            prosecutor_notified_on=dt.date(2026, 5, 10),
            placement="Центр помощи детям",
            reason="Угроза жизни",
        )
    # (An assessment with every answer «no» cannot be saved: the model refuses an empty
    # list of contributions; one «partly» keeps these as calm as the cases app allows.)
    _assess(case_a, cc.curator, at(2026, 6), Level.EARLY, child_adaptation="partly")
    _assess(case_a, cc.curator, at(2026, 9), Level.EARLY, child_adaptation="partly")

    PersonDisability.objects.create(
        person=cc.children[0], status=DisabilityStatus.CHILD, established_on=dt.date(2026, 5, 1)
    )
    family_b = HouseholdFactory(name="Сидоровы", territory=cast.municipality_b)
    for i in range(5):
        child = PersonFactory(
            last_name="Сидорова",
            first_name=f"Дочь {i}",
            sex="F",
            birth_year=2012 + i,
            birth_month=1,
            birth_day=1,
            territory=cast.municipality_b,
        )
        Membership.objects.create(household=family_b, person=child, role=MemberRole.CHILD)
        if i < 3:
            PersonDisability.objects.create(
                person=child,
                status=DisabilityStatus.CHILD if i < 2 else DisabilityStatus.NONE,
                established_on=dt.date(2020, 1, 1) if i < 2 else None,
            )
    for name in ("Анна", "Пётр"):
        parent = PersonFactory(
            last_name="Сидоров", first_name=name, birth_year=1985, territory=cast.municipality_b
        )
        Membership.objects.create(household=family_b, person=parent, role=MemberRole.PARENT)
    signal = make_signals(cast, 1, when=at(2026, 1), municipality_b=True)[0]
    signal.household = family_b
    signal.save(update_fields=["household"])
    SignalIndicator.objects.create(
        signal=signal, indicator=Indicator.objects.get(code="disabled_member_care")
    )
    with as_of(at(2026, 2)):
        case_b = services.case_open(
            actor=cast.coordinator, household=family_b, curator=cc.curator, legal_basis="П-2"
        )
        services.safety_assessment_record(
            actor=cc.curator, case=case_b, criteria=[], immediate_threat=False, reason="Нет угрозы"
        )
    _assess(case_b, cc.curator, at(2026, 3), Level.EARLY, env_income="yes", child_food="yes")
    return case_a, case_b


def _rows(cast: Cast) -> list[ChildRow]:
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    return risk_audit.facts(scope.path, Period(2026).window)


def test_each_child_counts_once_per_assessment_with_what_followed(
    audited: tuple[Case, Case],
    cast: Cast,
    cc: CaseCast,  # noqa: F811
) -> None:
    rows = _rows(cast)
    assert len(rows) == 2 * 3 + 5
    assert len({r.assessment for r in rows}) == 4
    march_a = [r for r in rows if r.groups["municipality"] == str(cast.municipality_a.pk)][:2]
    assert {r.proposed for r in march_a} == {Level.TZHS}
    assert {r.decided for r in march_a} == {Level.SOP}
    assert all(r.has("up") and not r.has("down") for r in march_a)
    # Support and СОП recognition followed for both children; removal for the younger only.
    assert all({"support", "sop"} <= r.outcomes for r in march_a)
    assert sorted(r.has("removal") for r in march_a) == [False, True]
    later_a = [r for r in rows if r.groups["municipality"] == str(cast.municipality_a.pk)][2:]
    # Nothing followed the later assessments of A (the removal preceded them).
    assert all(not r.outcomes for r in later_a)
    # The elder child's disability was established in May: not known at the March
    # assessment, the child's own group in June and September; the younger one never.
    assert [r.groups["disability"] for r in march_a] == ["none", "none"]
    assert sorted(r.groups["disability"] for r in later_a) == ["none", "none", "yes", "yes"]
    assert all(r.groups["single_parent"] == "yes" for r in march_a)
    assert all(r.groups["large_family"] == "no" for r in march_a)
    b = [r for r in rows if r.groups["municipality"] == str(cast.municipality_b.pk)]
    assert len(b) == 5
    assert all(r.has("down") and not r.has("up") for r in b)
    assert {r.groups["large_family"] for r in b} == {"yes"}
    assert {r.groups["single_parent"] for r in b} == {"no"}
    assert {r.groups["low_income"] for r in b} == {"yes"}
    assert {r.groups["family_disability"] for r in b} == {"yes"}
    # The children's own status: two disabled, one recorded without, two not recorded.
    assert sorted(r.groups["disability"] for r in b) == ["no", "none", "none", "yes", "yes"]
    assert {r.groups["sex"] for r in b} == {"F"}
    # Born on 1 January 2012–2016, assessed in March 2026: aged 14, 13, 12, 11 and 10.
    assert sorted(r.groups["age"] for r in b) == ["10–13"] * 4 + ["14–17"]


def test_rates_by_group_and_differences_stand_out(audited: tuple[Case, Case], cast: Cast) -> None:
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    result = risk_audit.audit(scope, Period(2026).window, gap=10)
    assert result.assessments == 4
    rates = [key for key, _label in risk_audit.RATES]
    total = dict(zip(rates, result.total.cells, strict=True))
    assert total["down"].value == pytest.approx(100 * 5 / 11)
    assert total["removal"].value == pytest.approx(100 / 11)
    by_mun = {t.key: t for t in result.tables}["municipality"]
    rows = {r.label: r for r in by_mun.rows}
    a, b = rows[cast.municipality_a.name], rows[cast.municipality_b.name]
    assert a.n.text == "6" and b.n.text == "5"
    b_cells = dict(zip(rates, b.cells, strict=True))
    # B's five children all had their level lowered, none of A's six: Fisher's exact test
    # (small counts) gives p = 1/C(11, 5) = 1/462, still under 5 % after the correction.
    down = b_cells["down"]
    assert (down.value, down.rest) == (100.0, 0.0)
    assert down.p == pytest.approx(1 / 462)
    assert down.q is not None and down.q < 0.05
    assert down.flag == "above" and b.flagged
    # Support followed for 2 of A's 6 and none of B's 5: 33 points apart, but five against
    # six could well be chance (p ≈ 0.45), so nothing is marked.
    support = b_cells["support"]
    assert support.value == 0.0 and support.rest == pytest.approx(100 / 3)
    assert support.p == pytest.approx(0.4545, abs=1e-4)
    assert support.flag == ""
    assert result.tests > 0


def _synthetic(group: str, n: int, supported: int) -> list[ChildRow]:
    """``n`` children of the disability group ``group``, ``supported`` of them given
    support; every other group the same for all."""
    same = {"sex": "F", "age": "5–9", "family_disability": "no", "municipality": "1",
            "single_parent": "no", "large_family": "no", "low_income": "no"}  # fmt: skip
    return [
        ChildRow(
            assessment=i,
            score=9,
            proposed=Level.TZHS,
            decided=Level.TZHS,
            groups=same | {"disability": group},
            outcomes=frozenset({"support"} if i < supported else set()),
        )
        for i in range(n)
    ]


def _support_cells(rows: list[ChildRow], gap: int) -> dict[str, risk_audit.Cell]:
    result = risk_audit.summarise(rows, aggregate_only=False, by_municipality=False, gap=gap)
    table = {t.key: t for t in result.tables}["disability"]
    at = [key for key, _l in risk_audit.RATES].index("support")
    return {r.label: r.cells[at] for r in table.rows}


@pytest.mark.parametrize(
    ("yes", "no", "gap", "flags"),
    [
        # 30 of 40 against 10 of 60: 75 % against 17 %, far beyond chance (z-test).
        ((40, 30), (60, 10), 10, ("above", "below")),
        # 4 of 6 against 0 of 6: 67 points apart, yet Fisher's p = 0.061: not marked.
        ((6, 4), (6, 0), 10, ("", "")),
        # 1 100 of 2 000 against 1 000 of 2 000: certain (p = 0.0015) but 5 points apart,
        # under a gap of 10 — and marked once the gap is 4.
        ((2000, 1100), (2000, 1000), 10, ("", "")),
        ((2000, 1100), (2000, 1000), 4, ("above", "below")),
    ],
)
def test_what_stands_out_is_significant_and_large_enough(
    yes: tuple[int, int], no: tuple[int, int], gap: int, flags: tuple[str, str]
) -> None:
    rows = _synthetic("yes", *yes) + _synthetic("no", *no)
    cells = _support_cells(rows, gap)
    assert (cells["да"].flag, cells["нет"].flag) == flags


def test_small_groups_are_hidden_with_a_complement(audited: tuple[Case, Case], cast: Cast) -> None:
    scope = scope_for(cast.coordinator, None)
    assert scope is not None
    result = risk_audit.audit(scope, Period(2026).window)
    sexes = {r.label: r for r in {t.key: t for t in result.tables}["sex"].rows}
    # Girls: 5 of family B, and Алиса if the factory made her a girl; boys: Борис (3 rows).
    small = [r for r in sexes.values() if r.n.hidden]
    assert len(small) != 1  # never one hidden group alone beside a shown total
    for row in small:
        assert row.n.text == "менее 5"
        assert all(c.text == "—" for c in row.cells)


def test_pages_for_who_may_see_them(
    audited: tuple[Case, Case],
    cast: Cast,
    cc: CaseCast,  # noqa: F811
    client_for: Callable[[User], Client],
) -> None:
    coordinator = client_for(cast.coordinator)
    page = coordinator.get(PAGE, {"period": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Петров" not in html and "Сидоров" not in html  # no names, ever
    assert "/list/" not in html
    assert "audit__flag" in html
    assert "Инвалидность ребёнка" in html and "Инвалидность в семье (по сигналам)" in html
    assert "Бенджамини" in html  # the page says what «stands out» means
    export = coordinator.get(PAGE, {"period": "2026", "format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    # The analyst: aggregates, rates with small numbers hidden as well.
    analyst = client_for(cast.analyst).get(PAGE, {"period": "2026"})
    assert analyst.status_code == 200
    rows = {t.key: t for t in analyst.context["audit"].tables}["municipality"].rows
    removal = [key for key, _l in risk_audit.RATES].index("removal")
    shown = {r.label: r.cells[removal] for r in rows}
    assert shown[cast.municipality_a.name].hidden  # 1 removal of 6: a small count
    assert shown[cast.municipality_b.name].text == "0,0 %"  # none of 5: zero reveals no one
    # Staff without dashboards: 403; a territory not theirs: 404.
    assert client_for(cast.worker_a).get(PAGE).status_code == 403
    other = client_for(cast.coordinator).get(PAGE, {"territory": "999999"})
    assert other.status_code == 404


def test_an_empty_period_says_so(cast: Cast, client_for: Callable[[User], Client]) -> None:
    page = client_for(cast.coordinator).get(PAGE, {"period": "2025"})
    assert page.status_code == 200
    assert page.context["audit"].assessments == 0
    assert "empty-state" in page.content.decode()
