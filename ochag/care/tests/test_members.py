"""The commission's membership screen: members from several agencies, one chair and one
secretary, seated / given another role / removed with an audit entry; the Russian refusals;
a commission that is not complete cannot sit; outsiders 404, read-only members 403."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.care import selectors
from ochag.care.models import Commission, CommissionMember, MemberRole
from ochag.care.services import commission as sittings
from ochag.care.services import members
from ochag.care.tests.conftest import CareCast
from ochag.conftest import Cast
from ochag.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_membership_rules_in_russian(cast: Cast, care: CareCast) -> None:
    board = members.commission_create(actor=cast.coordinator, region=cast.region, name="Комиссия")
    assert selectors.commission_problems(board) == [
        "В комиссии нет председателя.",
        "В комиссии нет секретаря.",
        "В комиссии должны быть члены не менее чем двух ведомств.",
    ]
    with pytest.raises(ValidationError, match="не может заседать"):
        sittings.sitting_create(
            actor=cast.coordinator, commission=board, date=timezone.localdate(), place="Зал"
        )
    members.member_add(actor=cast.coordinator, commission=board, user=care.chair, role="chair")
    with pytest.raises(ValidationError) as second_chair:
        members.member_add(
            actor=cast.coordinator, commission=board, user=care.member, role=MemberRole.CHAIR
        )
    assert "уже есть председатель" in _messages(second_chair)
    secretary = members.member_add(
        actor=cast.coordinator, commission=board, user=care.secretary, role=MemberRole.SECRETARY
    )
    with pytest.raises(ValidationError, match="уже есть секретарь"):
        members.member_role_set(
            actor=cast.coordinator,
            member=members.member_add(
                actor=cast.coordinator, commission=board, user=care.member, role="member"
            ),
            role=MemberRole.SECRETARY,
        )
    with pytest.raises(ValidationError, match="уже входит в состав"):
        members.member_add(
            actor=cast.coordinator, commission=board, user=care.member, role="member"
        )
    with pytest.raises(ValidationError, match="доступом к персональным данным"):
        members.member_add(
            actor=cast.coordinator, commission=board, user=cast.analyst, role="member"
        )
    with pytest.raises(ValidationError, match="ведомстве этой области"):
        members.member_add(
            actor=cast.coordinator, commission=board, user=care.stranger, role="member"
        )
    # Chair (social protection), secretary (ministry), member (guardianship): it may sit.
    assert selectors.commission_problems(board) == []
    # Replacing the secretary: first an ordinary member, then someone else is named.
    members.member_role_set(actor=cast.coordinator, member=secretary, role=MemberRole.MEMBER)
    assert selectors.commission_problems(board) == ["В комиссии нет секретаря."]
    newcomer = CommissionMember.objects.get(commission=board, user=care.member)
    members.member_role_set(actor=cast.coordinator, member=newcomer, role=MemberRole.SECRETARY)
    assert selectors.commission_problems(board) == []
    actions = list(
        AuditEvent.objects.filter(action="care_member_saved").values_list("action", flat=True)
    )
    assert len(actions) == 1 + 3 + 2  # created, three seated, two role changes


def test_a_commission_keeps_two_agencies(cast: Cast, care: CareCast) -> None:
    board = members.commission_create(actor=cast.coordinator, region=cast.region, name="Комиссия")
    one = UserFactory(username="opeka_a2", agency=cast.agency_a)
    first = members.member_add(
        actor=cast.coordinator, commission=board, user=cast.worker_a, role="chair"
    )
    members.member_add(actor=cast.coordinator, commission=board, user=one, role="secretary")
    # Both of one agency: the commission is not complete, a member may still leave.
    assert "В комиссии должны быть члены не менее чем двух ведомств." in (
        selectors.commission_problems(board)
    )
    other = members.member_add(
        actor=cast.coordinator, commission=board, user=cast.worker_b, role="member"
    )
    with pytest.raises(ValidationError, match="не менее чем двух ведомств"):
        members.member_remove(actor=cast.coordinator, member=other)
    removed = members.member_remove(actor=cast.coordinator, member=first)
    assert not removed.is_active
    event = AuditEvent.objects.get(action="care_member_removed")
    assert event.detail["user"] == cast.worker_a.pk
    with pytest.raises(ValidationError, match="уже выбыл"):
        members.member_remove(actor=cast.coordinator, member=first)
    # Seated again: the same row comes back with the new role.
    again = members.member_add(
        actor=cast.coordinator, commission=board, user=cast.worker_a, role="chair"
    )
    assert again.pk == first.pk and again.is_active


def test_membership_pages(cast: Cast, care: CareCast, client_for: Clients) -> None:
    url = reverse("care:commission", args=[care.commission.pk])
    # Outsiders: another region's coordinator, staff not on the commission, the analyst.
    for user in (care.stranger, care.staff, cast.worker_a, cast.analyst):
        assert client_for(user).get(url).status_code == 404, user
    for user in (care.member, care.chair, care.secretary, cast.coordinator):
        assert client_for(user).get(url).status_code == 200, user
    page = client_for(care.member).get(url).content.decode()
    assert "Председатель" in page and "Включить в состав" not in page
    add = reverse("care:member_add", args=[care.commission.pk])
    chair = CommissionMember.objects.get(commission=care.commission, user=care.chair)
    role = reverse("care:member_role", args=[care.commission.pk, chair.pk])
    remove = reverse("care:member_remove", args=[care.commission.pk, chair.pk])
    # Read-only members (the chair too) may not change the membership.
    for path in (add, role, remove):
        assert client_for(care.member).post(path, {"role": "member"}).status_code == 403, path
        assert client_for(care.chair).post(path, {"role": "member"}).status_code == 403, path
        assert client_for(care.stranger).post(path, {"role": "member"}).status_code == 404, path
    # The secretary seats a doctor; a second chair is refused with the typed choice kept.
    doctor = UserFactory(
        username="doctor",
        last_name="Лебедева",
        agency=AgencyFactory(
            name="Больница", type=AgencyType.HEALTH, territory=cast.municipality_a
        ),
        role=Role.CLINIC_STAFF,
    )
    bad = client_for(care.secretary).post(add, {"user": doctor.pk, "role": MemberRole.CHAIR})
    assert bad.status_code == 200 and "уже есть председатель" in bad.content.decode()
    ok = client_for(care.secretary).post(add, {"user": doctor.pk, "role": MemberRole.MEMBER})
    assert ok.status_code == 302
    assert CommissionMember.objects.filter(commission=care.commission, user=doctor).exists()
    # The coordinator makes the chair an ordinary member, then removes them.
    assert client_for(cast.coordinator).post(role, {"role": "member"}).status_code == 302
    chair.refresh_from_db()
    assert chair.role == MemberRole.MEMBER
    assert client_for(cast.coordinator).post(remove).status_code == 302
    chair.refresh_from_db()
    assert not chair.is_active
    page = client_for(cast.coordinator).get(url).content.decode()
    assert "Комиссия пока не может заседать" in page and "нет председателя" in page
    assert AuditEvent.objects.filter(action="care_member_removed").count() == 1


def test_commission_list_and_set_up(cast: Cast, care: CareCast, client_for: Clients) -> None:
    url = reverse("care:commissions")
    assert "Межведомственная комиссия" in client_for(care.member).get(url).content.decode()
    assert "Межведомственная комиссия" not in client_for(care.stranger).get(url).content.decode()
    assert client_for(cast.analyst).get(url).status_code == 403
    assert client_for(care.member).post(url, {"name": "Ещё одна"}).status_code == 403
    bad = client_for(cast.coordinator).post(url, {"name": ""})
    assert bad.status_code == 200
    response = client_for(cast.coordinator).post(url, {"name": "Вторая комиссия"})
    made = Commission.objects.get(name="Вторая комиссия")
    assert response.status_code == 302 and made.region == cast.region


def test_sitting_of_a_complete_commission(cast: Cast, care: CareCast) -> None:
    made = sittings.sitting_create(
        actor=care.secretary,
        commission=care.commission,
        date=timezone.localdate() + dt.timedelta(days=1),
        place="Зал",
    )
    assert made.number == 1
