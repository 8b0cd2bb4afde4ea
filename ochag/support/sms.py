"""Text messages to families: an interface with swappable backends.

``OCHAG_SMS_BACKEND`` names the class (dotted path). The demo and the tests use the file
backend, which appends each message as one JSON line to ``OCHAG_SMS_FILE`` (default
``var/sms.jsonl``); the console backend logs it. A region plugs in its SMS gateway as another
backend with the same ``send`` method.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class FileBackend:
    def send(self, phone: str, text: str) -> None:
        path = Path(getattr(settings, "OCHAG_SMS_FILE", Path(settings.VAR_DIR) / "sms.jsonl"))
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"at": timezone.now().isoformat(), "phone": phone, "text": text}
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def backend() -> SmsBackend:
    path = getattr(settings, "OCHAG_SMS_BACKEND", "ochag.support.sms.ConsoleBackend")
    return import_string(path)()


def send_sms(phone: str, text: str) -> None:
    backend().send(phone, text)
