"""The administrator's password reset: a service with an audit entry that ends the user's
sessions (it used to save the user in the view, unaudited, leaving old sessions alive)."""

from __future__ import annotations

from django.contrib.sessions.models import Session

from ochag.access.services import user_password_reset
from ochag.conftest import PASSWORD, Cast, signed_in
from ochag.core.models import AuditAction, AuditEvent

NEW_PASSWORD = "another-horse-battery-9"


def _form(cast: Cast, password: str) -> dict[str, object]:
    member = cast.worker_a
    return {
        "username": member.username,
        "last_name": member.last_name or "Иванова",
        "first_name": member.first_name or "Мария",
        "patronymic": "",
        "email": "",
        "agency": member.agency_id,
        "role": member.role,
        "is_active": "on",
        "password": password,
    }


def test_reset_from_the_staff_form_is_audited_and_ends_the_users_sessions(cast: Cast) -> None:
    phone, laptop = signed_in(cast.worker_a), signed_in(cast.worker_a)
    colleague = signed_in(cast.worker_b)
    admin = signed_in(cast.admin)
    for client in (phone, laptop, colleague):
        assert client.get("/").status_code == 200
    response = admin.post(f"/account/staff/{cast.worker_a.pk}/edit/", _form(cast, NEW_PASSWORD))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert event.actor == cast.admin and event.object_id == str(cast.worker_a.pk)
    assert event.detail == {"sessions_ended": 2}
    for client in (phone, laptop):
        assert client.get("/").status_code == 302
    assert colleague.get("/").status_code == 200
    assert admin.get("/").status_code == 200
    cast.worker_a.refresh_from_db()
    assert cast.worker_a.check_password(NEW_PASSWORD)
    assert not cast.worker_a.check_password(PASSWORD)


def test_own_reset_keeps_the_current_session_and_ends_the_others(cast: Cast) -> None:
    here, elsewhere = signed_in(cast.admin), signed_in(cast.admin)
    elsewhere.get("/")
    current = here.session.session_key
    ended = user_password_reset(
        actor=cast.admin, user=cast.admin, password=NEW_PASSWORD, keep_session_key=current
    )
    assert ended == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [current]


def test_an_empty_password_field_changes_nothing(cast: Cast) -> None:
    signed = signed_in(cast.worker_a)
    response = signed_in(cast.admin).post(
        f"/account/staff/{cast.worker_a.pk}/edit/", _form(cast, "")
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).exists()
    assert signed.get("/").status_code == 200
