"""The idle limit holds on the server however often a tab left open polls (issue 12 #1)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

BELL = "/account/notifications/bell/"
BACKGROUND = {"HTTP_X_OCHAG_BACKGROUND": "1", "HTTP_HX_REQUEST": "true"}


def test_background_polls_do_not_keep_an_idle_session_alive(
    cast, client_for, settings, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(cast.worker_a)
    assert client.get("/help/").status_code == 200
    # The header bell polls every minute for 31 minutes; nobody touches the page.
    for _ in range(settings.SESSION_IDLE_SECONDS // 60 - 1):
        time_machine.shift(dt.timedelta(seconds=60))
        assert client.get(BELL, **BACKGROUND).status_code == 200
    time_machine.shift(dt.timedelta(seconds=90))
    poll = client.get(BELL, **BACKGROUND, HTTP_HX_CURRENT_URL="/help/")
    assert poll.status_code == 401
    assert poll["HX-Redirect"] == "/account/login/?next=%2Fhelp%2F&expired=1"
    assert "_auth_user_id" not in client.session
    # The login page it leads to says why.
    page = client.get(poll["HX-Redirect"])
    assert "Сеанс завершён после периода бездействия" in page.content.decode()


def test_a_page_expired_while_away_redirects_to_login(
    cast, client_for, settings, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(cast.worker_a)
    client.get("/help/")
    time_machine.shift(dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1))
    response = client.get("/account/agencies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=%2Faccount%2Fagencies%2F")
    assert "expired=1" in response["Location"]


def test_requests_a_person_makes_keep_the_session_alive(
    cast, client_for, settings, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(cast.worker_a)
    for _ in range(4):
        time_machine.shift(dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
        assert client.get("/help/").status_code == 200
    # The dialog's «Продолжить работу» is such a request too.
    time_machine.shift(dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
    assert client.post("/account/session/keepalive/").status_code == 200
    time_machine.shift(dt.timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
    assert client.get("/help/").status_code == 200


def test_a_poll_does_not_extend_the_stored_session(
    cast, client_for, settings, time_machine
) -> None:
    from django.contrib.sessions.models import Session

    time_machine.move_to(timezone.now(), tick=False)
    client = client_for(cast.worker_a)
    client.get("/help/")
    key = client.session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    time_machine.shift(dt.timedelta(seconds=120))
    client.get("/help/", **BACKGROUND)
    assert Session.objects.get(session_key=key).expire_date == expiry
