"""Sign-in throttling (issue 12 #3): atomic under concurrency, silent about which logins exist,
per address too, and a stranger cannot lock the owner out of a browser they have used."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pyotp
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client

from ochag.access.lockout import DEVICE_COOKIE
from ochag.access.models import ThrottleBucket, User
from ochag.conftest import PASSWORD
from ochag.core.models import AuditEvent


def login(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/account/login/", {"username": username, "password": password}, **extra)


def _error_text(response) -> str:
    html = response.content.decode()
    match = re.search(r"<div[^>]*data-error-summary.*?</div>", html, re.S)
    return match.group(0) if match else ""


def _concurrent_logins(username: str, *, attempts: int, at_once: int) -> list[int]:
    def one(_: int) -> int:
        try:
            return login(Client(), username, "wrong-password").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return list(pool.map(one, range(attempts)))


def test_concurrent_wrong_passwords_check_at_most_the_limit(
    transactional_db: None, cast, settings
) -> None:
    # 40 attempts, 20 at a time: before, 20 were checked instead of 5.
    statuses = _concurrent_logins("worker_a", attempts=40, at_once=20)
    assert statuses == [200] * 40
    checked = AuditEvent.objects.filter(action="login_failed", object_id=str(cast.worker_a.pk))
    assert checked.count() == settings.LOGIN_MAX_FAILURES
    assert AuditEvent.objects.filter(action="locked_out").count() == 1
    assert User.objects.get(pk=cast.worker_a.pk).is_locked


def test_known_and_unknown_logins_get_identical_answers(cast, settings) -> None:
    for attempt in range(settings.LOGIN_MAX_FAILURES + 2):
        known = login(Client(), "worker_a", "wrong-password")
        unknown = login(Client(), "nobody-here", "wrong-password")
        assert _error_text(known) == _error_text(unknown).replace("nobody-here", "worker_a")
        expected = "Неверный логин или пароль" if attempt < 4 else "заблокирована"
        assert expected in _error_text(known)


def test_each_address_is_throttled_whatever_the_logins(cast, settings) -> None:
    settings.LOGIN_MAX_PER_ADDRESS = 7
    client = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(7):
        assert "Неверный логин" in _error_text(login(client, f"guess{number}", "x"))
    refused = login(client, "worker_a")
    assert "с вашего адреса" in _error_text(refused) or "из вашей сети" in _error_text(refused)
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert login(Client(REMOTE_ADDR="203.0.113.10"), "worker_a").status_code == 302


def test_a_stranger_does_not_lock_the_owner_out_of_a_browser_they_used(cast, settings) -> None:
    owner = Client()
    assert login(owner, "worker_a").status_code == 302
    assert DEVICE_COOKIE in owner.cookies
    owner.post("/account/logout/")
    for _ in range(settings.LOGIN_MAX_FAILURES + 3):
        login(Client(), "worker_a", "guess")
    stranger = login(Client(), "worker_a")
    assert "заблокирована" in _error_text(stranger)
    # The owner's browser has a bucket of its own.
    assert login(owner, "worker_a").status_code == 302
    # And the stranger is still held back.
    assert "заблокирована" in _error_text(login(Client(), "worker_a"))


def test_the_owner_gets_an_unlock_link_for_a_new_browser(
    transactional_db: None, cast, settings
) -> None:
    User.objects.filter(pk=cast.worker_a.pk).update(email="worker@example.org")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(Client(), "worker_a", "guess")
    assert not mail.outbox  # queued in the outbox with the lock, sent by the worker
    call_command("db_worker", "--batch", "--no-startup-delay")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["worker@example.org"]
    path = re.search(r"https?://[^/\s]+(/account/unlock/\S+/)", mail.outbox[0].body)
    assert path is not None
    browser = Client()
    # Opening the link changes nothing (mail scanners follow links); the button does.
    page = browser.get(path.group(1))
    assert page.status_code == 200 and "Это мой браузер" in page.content.decode()
    assert "заблокирована" in _error_text(login(browser, "worker_a"))
    browser.post(path.group(1))
    assert login(browser, "worker_a").status_code == 302
    assert AuditEvent.objects.filter(action="unlocked_by_email").count() == 1
    assert "заблокирована" in _error_text(login(Client(), "worker_a"))
    assert Client().get("/account/unlock/forged-token/").status_code == 404


def test_an_owner_without_e_mail_is_reported_to_the_administrators(cast, settings) -> None:
    from django_tasks_db.models import DBTaskResult

    from ochag.access.models import Notification, Role
    from ochag.access.tests.factories import UserFactory

    admin = UserFactory(username="admin1", agency=cast.agency_a, role=Role.ADMINISTRATOR)
    User.objects.filter(pk=cast.worker_a.pk).update(email="")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(Client(), "worker_a", "guess")
    notes = Notification.objects.filter(kind="access.locked")
    admins = set(User.objects.filter(role=Role.ADMINISTRATOR, is_active=True))
    assert admin in admins and {n.recipient for n in notes} == admins
    note = notes.get(recipient=admin)
    assert "worker_a" in note.text
    assert note.url == f"/account/staff/{cast.worker_a.pk}/"
    assert not DBTaskResult.objects.exists()  # no address: nothing queued


def test_a_right_password_resets_the_count(cast, settings) -> None:
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        login(client, "worker_a", "wrong")
    assert login(client, "worker_a").status_code == 302
    assert not ThrottleBucket.objects.filter(key="login:worker_a").exists()


def test_second_factor_codes_count_against_the_same_limit(cast, settings) -> None:
    client = Client()
    User.objects.filter(pk=cast.worker_a.pk).update(
        totp_secret=pyotp.random_base32(), totp_confirmed_at="2026-01-01T00:00:00Z"
    )
    assert login(client, "worker_a").status_code == 302
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert client.post("/account/2fa/verify/", {"code": "000000"}).status_code == 200
    response = client.post("/account/2fa/verify/", {"code": "000000"})
    assert response["Location"] == "/account/login/"
    assert User.objects.get(pk=cast.worker_a.pk).is_locked
