"""Red-signal e-mail: queued with the signal, sent by the real background worker through a
real SMTP conversation to a local sink."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from ochag.access.models import Agency
from ochag.conftest import Cast
from ochag.signals import intake
from ochag.signals.inputs import SignalInput
from ochag.signals.models import Basis, Channel


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_sink(settings) -> Iterator[Sink]:
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False},
        }
    }
    yield sink
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_red_signal_mails_duty_officer(
    cast: Cast, bodies: dict[str, Agency], smtp_sink: Sink, checklist: None
) -> None:
    intake.signal_create(
        actor=cast.worker_a,
        data=SignalInput(
            channel=Channel.STAFF,
            basis=Basis.DUTY_ART9,
            territory=cast.municipality_a,
            original_text="Один дома",
            indicator_codes=["child_alone_under_10"],
        ),
    )
    assert not smtp_sink.messages  # nothing is mailed inside the request
    call_command("db_worker", "--batch", "--no-startup-delay")
    deadline = time.monotonic() + 5
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert smtp_sink.messages, "no message reached the SMTP sink"
    rcpt, content = smtp_sink.messages[0]
    assert rcpt == [cast.agency_a.email]
    assert "Один дома" not in message_from_bytes(content).get_payload(decode=True).decode()
