"""The signal queue's search box finds a receipt number however it is typed or dictated:
without dashes, with spaces, or as printed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ochag.access.models import User
from ochag.conftest import Cast
from ochag.signals.models import Signal

pytestmark = pytest.mark.django_db


def _signal(cast: Cast, number: str) -> Signal:
    return Signal.objects.create(
        number=number,
        channel="staff",
        basis="duty_art9",
        received_at=timezone.now(),
        territory=cast.municipality_a,
        original_text="Сообщение",
        colour="amber",
        track="assessment",
        routed_to=cast.agency_a,
        reporting_agency=cast.agency_a,
    )


def test_queue_search_finds_a_number_typed_without_dashes(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    wanted = _signal(cast, "4821-7390-5512")
    other = _signal(cast, "1234-5678-9012")
    client = client_for(cast.worker_a)

    def found(text: str) -> set[int]:
        page = client.get(reverse("signals:queue"), {"q": text})
        assert page.status_code == 200
        return {row.pk for row in page.context["table"].page.object_list}

    for typed in ("482173905512", "4821 7390 5512", " 4821-7390-5512 ", "4821-7390"):
        assert found(typed) == {wanted.pk}, typed
    assert found("482173905513") == set()  # one digit misheard: not another family's signal
    assert found("5678") == {other.pk}
