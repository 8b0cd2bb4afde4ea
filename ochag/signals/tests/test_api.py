from __future__ import annotations

import json

import pytest
from django.test import Client

from ochag.access import tokens
from ochag.access.models import Agency
from ochag.conftest import Cast
from ochag.signals.models import Channel, Signal

URL = "/api/signals/"


@pytest.fixture
def token(cast: Cast, bodies: dict[str, Agency]) -> str:
    return tokens.agency_token_issue(actor=None, agency=bodies["school"], name="ЭШ")[1]


def body(cast: Cast, **kw) -> dict:
    data = {
        "basis": "duty_art9",
        "municipality": cast.municipality_a.name,
        "original_text": "Пропуски",
        "indicators": ["persistent_truancy"],
        "children": [{"last_name": "Кузнецов", "first_name": "Иван", "birth_date": "2012-09-01"}],
    }
    data.update(kw)
    return data


def post(
    client: Client, token: str | None, payload: object, key: str = "", raw: bytes | None = None
):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def test_auth_required(client: Client, cast: Cast, token: str) -> None:
    assert post(client, None, body(cast)).status_code == 401
    r = post(client, token + "x", body(cast))
    assert r.status_code == 401 and "токен" in r.json()["detail"]


def test_create_routes_and_links(
    client: Client, cast: Cast, bodies: dict[str, Agency], token: str
) -> None:
    r = post(client, token, body(cast))
    assert r.status_code == 201, r.content
    signal = Signal.objects.get(number=r.json()["number"])
    assert signal.channel == Channel.API and signal.reporting_agency == bodies["school"]
    assert r.json()["routed_to"] == "КДН А" and signal.subjects.get().person is not None
    assert (
        client.get(URL + signal.number, headers={"Authorization": f"Bearer {token}"}).json()["id"]
        == signal.pk
    )


def test_idempotency(client: Client, cast: Cast, token: str) -> None:
    first = post(client, token, body(cast), key="abc-1")
    again = post(client, token, body(cast), key="abc-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Signal.objects.count() == 1
    conflict = post(client, token, body(cast, original_text="Другое"), key="abc-1")
    assert conflict.status_code == 409
    assert post(client, token, body(cast), key="abc-2").status_code == 201
    assert Signal.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"indicators": []}, "indicators"),
        ({"basis": "nonsense"}, "basis"),
        (
            {"children": [{"last_name": "Иванов", "first_name": "", "birth_date": "2012-02-31"}]},
            "children.0.first_name",
        ),
        (
            {"children": [{"last_name": "Иванов", "first_name": "И", "birth_date": "2012-02-31"}]},
            "children.0.birth_date",
        ),
        ({"municipality": "Атлантида"}, "municipality"),
        ({"indicators": ["nope"]}, "indicators"),
    ],
)
def test_field_errors_422_in_russian(
    client: Client, cast: Cast, token: str, payload: dict, field: str
) -> None:
    r = post(client, token, body(cast, **payload))
    assert r.status_code == 422
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert field in errors
    assert any("\u0400" <= ch <= "\u04ff" for ch in errors[field])


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b"[]", b"null", b'"x"'])
def test_malformed_never_500(client: Client, cast: Cast, token: str, raw: bytes) -> None:
    r = post(client, token, None, raw=raw)
    assert r.status_code in (400, 422)


def test_openapi_schema_documents_body(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    post_op = schema["paths"]["/api/signals/"]["post"]
    assert (
        "indicators"
        in post_op["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )


def _api_item(cast: Cast, token_value: str, key: str, surname: str):
    from ochag.access.models import AgencyToken
    from ochag.signals import api_intake, inputs
    from ochag.signals.api import _out
    from ochag.signals.config import IntakeContext, region_config
    from ochag.signals.inputs import SignalInput, SubjectInput
    from ochag.signals.models import Basis, SubjectRole

    token_row = AgencyToken.objects.select_related("agency").get(
        key_hash=tokens.token_hash(token_value)
    )
    config = region_config(token_row.agency.territory)
    data = SignalInput(
        channel=Channel.API,
        basis=Basis.DUTY_ART9,
        territory=cast.municipality_a,
        original_text="Пропуски",
        indicator_codes=["persistent_truancy"],
        subjects=[
            SubjectInput(
                role=SubjectRole.CHILD,
                last_name=surname,
                first_name="Иван",
                birth_date="2012-09-01",
            )
        ],
        agency=token_row.agency,
    )
    prepared = inputs.signal_prepare(data, actor=None, ctx=IntakeContext(data.territory))
    return api_intake.ApiItem(
        prepared=prepared, config=config, token=token_row, key=key, body_hash="h", respond=_out
    )


def _one_by_one(items: list) -> list:
    from ochag.signals import api_intake

    return [api_intake.signal_create_from_api(item) for item in items]


def _combined(items: list) -> list:
    """What the combiner hands over under load: several requests in one call."""
    from ochag.signals import api_intake

    return api_intake.api_batch_write(items)


@pytest.mark.parametrize("write", [_one_by_one, _combined])
def test_each_api_signal_is_written_once_with_its_key(cast: Cast, token: str, write) -> None:
    """Several requests, each written with its idempotency record (none without a key)."""
    from ochag.core.models import IdempotencyRecord

    items = [_api_item(cast, token, f"k-{i}", s) for i, s in enumerate(["Орлов", "Зайцев", ""])]
    items[2] = _api_item(cast, token, "", "Волков")  # no key: stored without a record
    bodies = write(items)
    assert all(isinstance(b, dict) for b in bodies)
    assert {b["number"] for b in bodies} == set(Signal.objects.values_list("number", flat=True))
    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == ["k-0", "k-1"]
    surnames = Signal.objects.values_list("subjects__person__last_name", flat=True)
    assert sorted(surnames) == ["Волков", "Зайцев", "Орлов"]


@pytest.mark.parametrize("write", [_one_by_one, _combined])
def test_a_key_used_twice_at_once_creates_one_signal(cast: Cast, token: str, write) -> None:
    """Two concurrent retries with the same key, both validated before either is written:
    the first wins, the second is rolled back whole and told it lost. Combined, the batch is
    rolled back and written again item by item, so the first still wins and a request that
    merely shared the batch loses nothing."""
    from django.db import IntegrityError

    from ochag.registry.models import Person

    persons_before = Person.objects.count()
    first, second = _api_item(cast, token, "same", "Орлов"), _api_item(cast, token, "same", "Орлов")
    bystander = _api_item(cast, token, "other", "Зайцев")
    results = write([first, second, bystander])
    assert isinstance(results[0], dict) and isinstance(results[1], IntegrityError)
    assert isinstance(results[2], dict)
    numbers = set(Signal.objects.values_list("number", flat=True))
    assert numbers == {results[0]["number"], results[2]["number"]}
    assert Person.objects.count() == persons_before + 2  # the rolled-back child is not kept


def test_an_error_in_one_request_stays_with_it(cast: Cast, token: str) -> None:
    """An unexpected error while writing one request of a combined batch: the batch is
    written again item by item, the others keep their signals, and the error is raised in
    the failing request's own call only."""
    from dataclasses import replace

    from ochag.signals import api_intake

    def broken(signal: Signal) -> dict:
        raise ValueError("broken response")

    items = [_api_item(cast, token, f"e-{i}", s) for i, s in enumerate(["Орлов", "Зайцев"])]
    bad = replace(_api_item(cast, token, "e-bad", "Волков"), respond=broken)
    outcomes = api_intake.api_batch_write([items[0], bad, items[1]])
    assert isinstance(outcomes[0], dict) and isinstance(outcomes[2], dict)
    assert isinstance(outcomes[1], ValueError)
    numbers = set(Signal.objects.values_list("number", flat=True))
    assert numbers == {outcomes[0]["number"], outcomes[2]["number"]}
    with pytest.raises(ValueError, match="broken response"):
        api_intake.signal_create_from_api(
            replace(_api_item(cast, token, "e-2", "Лисин"), respond=broken)
        )
    assert Signal.objects.count() == 2


def _raw(payload: dict) -> bytes:
    return json.dumps(payload).encode()  # ASCII escapes, so a lone surrogate survives


@pytest.mark.parametrize(
    "change",
    [
        {"original_text": "Пропуски\x00"},
        {"children": [{"last_name": "Ив\x00анов", "first_name": "Иван"}]},
        {"original_text": "\ud800"},
        {"children": [{"last_name": "\udfff", "first_name": "Иван"}]},
        {"received_at": "0001-01-01T00:00:00+05:00"},
        {"received_at": "9999-12-31T23:59:59-05:00"},
        {"children": [{"last_name": "Иванов", "first_name": "Иван", "birth_date": "0001-01-01"}]},
        {"children": [{"last_name": "   ", "first_name": "\t", "birth_date": "2012-01-01"}]},
        {"municipality": 123},
        {"indicators": ["persistent_truancy", None]},
        {"address": {"street": "x"}},
    ],
)
def test_hostile_values_answer_4xx_or_201_never_500(
    client: Client, cast: Cast, token: str, change: dict
) -> None:
    # What an API fuzzer sends first: NUL bytes (PostgreSQL text cannot hold them), lone
    # surrogates (not encodable as UTF-8), dates at the ends of the calendar, wrong types.
    r = post(client, token, None, raw=_raw(body(cast, **change)))
    assert r.status_code in (201, 400, 422), r.content
    if r.status_code != 201:
        assert r.json()["detail"] and all(e["message"] for e in r.json()["errors"])


def test_deep_nesting_is_refused_with_400(client: Client, cast: Cast, token: str) -> None:
    r = post(client, token, None, raw=b"[" * 100_000 + b"]" * 100_000)
    assert r.status_code == 400


@pytest.mark.parametrize("number", ["%00", "%ED%A0%80", "x" * 500])
def test_status_of_a_hostile_number_is_404(client: Client, token: str, number: str) -> None:
    r = client.get(URL + number, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404


@pytest.mark.parametrize("key", ["a\x00b", "ключ", "a\tb"])
def test_idempotency_key_must_be_printable_ascii(
    client: Client, cast: Cast, token: str, key: str
) -> None:
    r = post(client, token, body(cast), key=key)
    assert r.status_code == 400 and "Idempotency-Key" in r.json()["detail"]
    assert Signal.objects.count() == 0


def test_concurrent_requests_each_get_their_own_signal(
    transactional_db: None, cast: Cast, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real threads through the view and the combiner, each on its own connection: every
    request is answered with its own signal, a key sent twice at once yields one signal
    and the same answer twice, and no signal or child is lost or written twice."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from ochag.core.models import IdempotencyRecord
    from ochag.signals import api_intake

    surnames = ["Орлов", "Зайцев", "Волков", "Соколов", "Лебедев", "Морозов", "Новиков"]
    jobs = [(f"k-{i}", surnames[i % len(surnames)], f"201{i % 10}-0{1 + i % 9}-1{i % 10}")
            for i in range(24)]  # fmt: skip
    jobs += [("twice", "Козлов", "2013-03-03")] * 2

    def one(job: tuple[str, str, str]) -> tuple[int, dict]:
        key, surname, born = job
        child = {"last_name": surname, "first_name": "Иван", "birth_date": born}
        try:
            r = post(Client(), token, body(cast, children=[child]), key=key)
            return r.status_code, r.json()
        finally:
            connection.close()

    batches: list[int] = []
    process = api_intake._COMBINER._process

    def counted(items: list) -> list:
        batches.append(len(items))
        return process(items)

    monkeypatch.setattr(api_intake._COMBINER, "_process", counted)
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(one, jobs))
    # requests were combined (the key's second request may be answered from its record
    # before it reaches the combiner)
    assert len(jobs) - 1 <= sum(batches) <= len(jobs) and max(batches) > 1
    assert [status for status, _ in answers] == [201] * len(jobs)
    numbers = [answer["number"] for _, answer in answers]
    assert answers[-1][1] == answers[-2][1]  # the same key: the same signal, answered twice
    assert len(set(numbers)) == 25
    assert set(Signal.objects.values_list("number", flat=True)) == set(numbers)
    assert IdempotencyRecord.objects.count() == 25
    children = Signal.objects.values_list("subjects__person__last_name", "subjects__birth_date")
    assert len(children) == 25
