"""The person card is one picture of a family: the cases of the person's households, the
signals about them (and referrals, from support's own test), each section read through the
section's own policy; the case page links every family member to their card; the card's
query count does not grow with the family's records."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ochag.access.models import User
from ochag.browser_fixtures import axe_check
from ochag.cases import services
from ochag.cases.models import Case
from ochag.cases.tests.conftest import CaseCast
from ochag.conftest import Cast
from ochag.registry.models import MemberRole, Membership, Person
from ochag.registry.tests.factories import HouseholdFactory, PersonFactory
from ochag.signals.models import Signal, SignalSubject

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def _mother(cc: CaseCast) -> Person:
    return Person.objects.get(first_name="Вера", last_name="Петрова")


def _signal(cc: CaseCast, *, routed_to=None, household=None, person=None) -> Signal:  # type: ignore[no-untyped-def]
    signal = Signal.objects.create(
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=cc.family.territory,
        household=household,
        original_text="Дети одни дома",
        colour="amber",
        track="assessment",
        routed_to=routed_to or cc.social,
        reporting_agency=cc.school,
    )
    if person is not None:
        SignalSubject.objects.create(signal=signal, role="parent", last_name=person.last_name,
                                     first_name=person.first_name, person=person)  # fmt: skip
    return signal


def _card(client: Client, person: Person) -> str:
    response = client.get(reverse("registry:person_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_mothers_card_shows_her_case_signals_and_household_address(
    cast: Cast, cc: CaseCast, case: Case, client_for: ClientFor
) -> None:
    mother = _mother(cc)
    assert mother.address == ""
    about_her = _signal(cc, person=mother)
    about_family = _signal(cc, household=cc.family)
    elsewhere = _signal(cc, routed_to=cc.kdn)  # about nobody on this card
    old_home = HouseholdFactory(name="Петровы-Старые", territory=cc.family.territory)
    Membership.objects.create(household=old_home, person=mother, role=MemberRole.PARENT)
    closed = services.case_open(actor=cc.kdn_secretary, household=old_home, curator=cc.curator)
    services.case_close(actor=cc.curator, case=closed, ground="causes_removed")

    page = _card(client_for(cc.curator), mother)
    assert "ул. Мира, 1" in page and "адрес домохозяйства" in page
    assert f"Случай {case.number}, семья Петровы" in page
    assert f"Случай {closed.number}, семья Петровы-Старые" in page
    assert page.index(case.number) < page.index(closed.number)  # open cases first
    assert "Закрыт" in page
    assert about_her.number in page and about_family.number in page
    assert elsewhere.number not in page

    # The school takes part in the case, so it sees the case; the signals it only reported
    # (it sees their status, not whom they were linked to) are not on the card.
    school_page = _card(client_for(cc.teacher), mother)
    assert case.number in school_page and closed.number not in school_page
    assert about_her.number not in school_page and "Нет сигналов, доступных вам" in school_page

    # A guardianship worker of the municipality sees the person but takes part in nothing.
    bystander = _card(client_for(cast.worker_a), mother)
    assert case.number not in bystander and about_her.number not in bystander
    assert "Нет случаев, доступных вам" in bystander

    coordinator = _card(client_for(cast.coordinator), mother)
    for shown in (case.number, closed.number, about_her.number, about_family.number):
        assert shown in coordinator
    # Outsiders of the municipality do not reach the card at all.
    assert (
        client_for(cast.worker_b)
        .get(reverse("registry:person_detail", args=[mother.pk]))
        .status_code
        == 404
    )


def test_case_page_links_every_family_member_to_their_card(
    cc: CaseCast, case: Case, client_for: ClientFor
) -> None:
    page = client_for(cc.curator).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for person in [*cc.children, _mother(cc)]:
        assert reverse("registry:person_detail", args=[person.pk]) in page, person


def _counted(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_card_query_count_does_not_grow_with_cases_and_signals(
    cast: Cast, cc: CaseCast, case: Case, client_for: ClientFor
) -> None:
    mother = _mother(cc)
    url = reverse("registry:person_detail", args=[mother.pk])

    def grow(n: int) -> None:
        for i in range(n):
            home = HouseholdFactory(name=f"Дом {i}", territory=cc.family.territory)
            Membership.objects.create(household=home, person=mother, role=MemberRole.PARENT)
            Membership.objects.create(household=home, person=PersonFactory(
                territory=cc.family.territory), role=MemberRole.CHILD)  # fmt: skip
            services.case_open(actor=cc.kdn_secretary, household=home, curator=cc.curator)
            _signal(cc, person=mother)
            _signal(cc, household=home)

    for user in (cc.curator, cast.coordinator):
        client = client_for(user)
        grow(1)
        _counted(client, url)  # warm caches
        few = _counted(client, url)
        grow(3)
        assert _counted(client, url) == few, user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_the_case_to_the_mothers_card_and_a_childs_school_in_a_browser(
    browser_page: Page, cc: CaseCast, case: Case, live_login: Callable[[Page, User], None]
) -> None:
    page = browser_page
    signal = _signal(cc, person=_mother(cc))
    live_login(page, cc.curator)
    page.goto(reverse("cases:detail", args=[case.pk]))
    page.get_by_role("link", name="Петрова Вера").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Петрова Вера")
    main = page.locator("main")
    expect(main).to_contain_text("ул. Мира, 1 (адрес домохозяйства)")
    expect(page.get_by_role("link", name=f"Случай {case.number}, семья Петровы")).to_be_visible()
    expect(page.get_by_role("link", name=f"Сигнал {signal.number}", exact=False)).to_be_visible()
    axe_check(page)

    page.goto(reverse("registry:person_detail", args=[cc.children[0].pk]))
    expect(main).to_contain_text("Школа и детский сад не указаны.")
    page.get_by_role("link", name="Указать школу или детский сад").click()
    axe_check(page)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    axe_check(page)
    page.get_by_label("Школа в системе «Очаг»").select_option(label="Школа А")
    page.get_by_label("Класс или группа").fill("4 «В»")
    page.get_by_label("С какого числа").fill("01.09.2026")
    page.get_by_role("button", name="Сохранить").click()
    expect(main).to_contain_text("Школа: Школа А, 4 «В» · с 01.09.2026")
    axe_check(page)
