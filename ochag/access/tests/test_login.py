import datetime as dt

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from ochag.access.models import User
from ochag.conftest import PASSWORD
from ochag.core.models import AuditEvent


def login(client: Client, username: str, password: str = PASSWORD, next_url: str = "/"):
    return client.post(
        "/account/login/", {"username": username, "password": password, "next": next_url}
    )


def test_anonymous_goes_to_login(db) -> None:
    response = Client().get("/account/agencies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")


def test_wrong_password_is_refused_without_revealing_the_login(cast) -> None:
    response = login(Client(), "worker_a", "wrong-password")
    unknown = login(Client(), "nobody-here", "wrong-password")
    assert response.status_code == unknown.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()
    assert "Неверный логин или пароль" in unknown.content.decode()
    # What was typed stays in the form.
    assert 'value="worker_a"' in response.content.decode()


def test_lockout_after_repeated_failures(cast, settings) -> None:
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(client, "worker_a", "wrong-password")
    user = User.objects.get(username="worker_a")
    assert user.is_locked
    # Even the right password is refused while locked.
    response = login(client, "worker_a")
    assert "заблокирована" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="locked_out", object_id=str(user.pk)).exists()


def test_lock_expires(cast, settings, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(Client(), "worker_a", "wrong-password")
    time_machine.shift(dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    client = Client()
    assert login(client, "worker_a").status_code == 302
    assert client.session["_auth_user_id"] == str(cast.worker_a.pk)


def test_admin_unlocks(cast, client_for, settings) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(Client(), "worker_a", "wrong-password")
    assert (
        client_for(cast.supervisor_a).post(f"/account/staff/{cast.worker_a.pk}/unlock/").status_code
        == 403
    )
    response = client_for(cast.admin).post(f"/account/staff/{cast.worker_a.pk}/unlock/")
    assert response.status_code == 302
    assert not User.objects.get(pk=cast.worker_a.pk).is_locked


def test_personal_data_roles_must_enrol_two_factor(cast) -> None:
    client = Client()
    assert login(client, "worker_a").status_code == 302
    response = client.get("/account/agencies/")
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/setup/"


def test_totp_enrolment_then_verification(cast, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    client = Client()
    login(client, "worker_a")
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = User.objects.get(username="worker_a").totp_secret
    wrong = client.post("/account/2fa/setup/", {"code": "000000"})
    assert wrong.status_code == 200 and "error-summary" in wrong.content.decode()
    response = client.post("/account/2fa/setup/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/account/agencies/").status_code == 200
    # A new sign-in asks for a code; the same code cannot be replayed.
    client = Client()
    login(client, "worker_a")
    assert client.get("/account/agencies/")["Location"] == "/account/2fa/verify/"
    replay = client.post("/account/2fa/verify/", {"code": pyotp.TOTP(secret).now()})
    assert replay.status_code == 200
    time_machine.shift(dt.timedelta(seconds=30))
    response = client.post("/account/2fa/verify/", {"code": pyotp.TOTP(secret).now(), "next": "/"})
    assert response.status_code == 302
    assert client.get("/account/agencies/").status_code == 200


def test_federal_analyst_and_demo_users_skip_two_factor(cast) -> None:
    User.objects.filter(pk=cast.worker_b.pk).update(is_demo=True)
    for username in ("analyst", "worker_b"):
        client = Client()
        login(client, username)
        assert client.get("/").status_code == 200
    page = client.get("/").content.decode()
    assert "Демо" in page


def test_open_redirect_is_refused(cast) -> None:
    client = Client()
    User.objects.filter(pk=cast.analyst.pk).update(is_demo=True)
    response = login(client, "analyst", next_url="https://evil.example/")
    assert response["Location"] == "/"


def test_logout_is_post_only_and_audited(cast, client_for) -> None:
    client = client_for(cast.worker_a)
    assert client.get("/account/logout/").status_code == 405
    assert client.post("/account/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=cast.worker_a).exists()


def test_keepalive_needs_a_session(cast, client_for) -> None:
    assert Client().post("/account/session/keepalive/").status_code == 302
    assert client_for(cast.worker_a).post("/account/session/keepalive/").status_code == 200


@pytest.mark.parametrize("path", ["/account/login/", "/help/"])
def test_public_pages_render_for_anonymous(db, path) -> None:
    assert Client().get(path).status_code == 200
