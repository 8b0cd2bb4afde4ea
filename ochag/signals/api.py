"""JSON API for agencies' own systems: POST a signal, read its status.

Authentication: ``Authorization: Bearer <token>`` (one token per agency, issued with
``manage.py signals_issue_token``). ``Idempotency-Key`` makes retries safe: the same key and
body return the first response; the same key with another body is refused with 409.
The body is parsed here rather than by ninja so that every error is explained in Russian
with the path of the field (422), and malformed JSON gives 400, never 500.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import AfterValidator, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ochag.access.models import AgencyToken
from ochag.core.generation import config_generation
from ochag.signals import api_intake, inputs, services
from ochag.signals.config import IntakeContext, region_config
from ochag.signals.inputs import SignalInput, SubjectInput
from ochag.signals.models import Basis, Channel, Signal, SubjectRole
from ochag.signals.numbers import Lookup

router = Router(tags=["signals"])


def _text(value: str) -> str:
    """Text PostgreSQL can store: no NUL characters, no lone surrogates (JSON's \\ud800
    escapes decode to strings that are not valid Unicode)."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("not_unicode", "not valid Unicode") from None
    return value


Text = Annotated[str, AfterValidator(_text)]
# Nothing is received before 2000 or (beyond clock skew) in the future.
EARLIEST_RECEIPT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(minutes=5)


class PersonIn(Schema):
    last_name: Text = Field(min_length=1, max_length=100)
    first_name: Text = Field(min_length=1, max_length=100)
    patronymic: Text = Field(default="", max_length=100)
    birth_date: dt.date | None = None
    snils: Text = Field(default="", max_length=14)

    @field_validator("birth_date")
    @classmethod
    def plausible_birth(cls, value: dt.date | None) -> dt.date | None:
        # Checked again by the intake for every channel; here it gets the field's path.
        if value is not None and not inputs.EARLIEST_BIRTH <= value <= timezone.localdate():
            raise PydanticCustomError("date_range", "out of range")
        return value


class SignalIn(Schema):
    basis: Literal["duty_art9", "consent", "court_act", "kdn_request"]
    municipality: Text = Field(
        min_length=1, description="OKTMO code or the exact name of the municipality"
    )
    address: Text = Field(default="", max_length=300)
    original_text: Text = Field(min_length=1, max_length=20000)
    indicators: list[Text] = Field(
        min_length=1, max_length=50, description="Indicator codes of the screening checklist"
    )
    children: list[PersonIn] = Field(default_factory=list, max_length=20)
    parents: list[PersonIn] = Field(default_factory=list, max_length=10)
    received_at: dt.datetime | None = Field(
        default=None, description="ISO 8601 with a time zone; not in the future"
    )

    @field_validator("received_at")
    @classmethod
    def plausible_receipt(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return value
        if value.tzinfo is None:
            raise PydanticCustomError("timezone_required", "time zone required")
        try:
            utc = value.astimezone(dt.UTC)
        except OverflowError:  # 0001-01-01T00:00+05:00 is before the first UTC instant
            raise PydanticCustomError("date_range", "out of range") from None
        if not EARLIEST_RECEIPT <= utc <= dt.datetime.now(dt.UTC) + CLOCK_SKEW:
            raise PydanticCustomError("date_range", "out of range")
        return utc


class SignalOut(Schema):
    id: int
    number: str
    status: str
    colour: str
    track: str
    routed_to: str | None
    due_date: dt.date | None


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


_PYDANTIC_RU = {
    "missing": "обязательное поле",
    "string_type": "должно быть строкой",
    "string_too_short": "не может быть пустым",
    "string_too_long": "слишком длинное значение",
    "list_type": "должно быть списком",
    "too_short": "список не может быть пустым",
    "too_long": "слишком много элементов",
    "literal_error": "недопустимое значение",
    "date_from_datetime_parsing": "дата должна быть в формате ГГГГ-ММ-ДД",
    "date_parsing": "дата должна быть в формате ГГГГ-ММ-ДД",
    "date_type": "дата должна быть в формате ГГГГ-ММ-ДД",
    "datetime_parsing": "дата и время должны быть в формате ISO 8601 с часовым поясом",
    "datetime_from_date_parsing": "дата и время должны быть в формате ISO 8601 с часовым поясом",
    "datetime_type": "дата и время должны быть в формате ISO 8601 с часовым поясом",
    "model_type": "должно быть объектом",
    "dict_type": "должно быть объектом",
    "extra_forbidden": "неизвестное поле",
    "value_error": "недопустимое значение",
    "nul_character": "содержит недопустимый символ NUL",
    "not_unicode": "содержит символы, недопустимые в Юникоде",
    "date_range": "дата вне допустимого диапазона (дата рождения — с 1900 года и не позже "
    "сегодняшнего дня, дата получения — с 2000 года и не в будущем)",
    "timezone_required": "дата и время должны быть в формате ISO 8601 с часовым поясом",
}


def _inline_schema(model: type[Schema]) -> dict[str, Any]:
    """The model's JSON schema with nested definitions inlined, for the hand-declared body."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


def _error(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> JsonResponse:
    response = JsonResponse(
        {"detail": detail, "errors": errors or []},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    return response


def _pydantic_errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(p) for p in err["loc"]),
            "message": _PYDANTIC_RU.get(err["type"], "недопустимое значение"),
        }
        for err in exc.errors()
    ]


def _authenticate(request: HttpRequest, generation: str | None = None) -> AgencyToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return services.token_authenticate(raw.strip(), generation=generation)


def _out(signal: Signal) -> dict[str, Any]:
    return {
        "id": signal.pk,
        "number": signal.number,
        "status": signal.status,
        "colour": signal.colour,
        "track": signal.track,
        "routed_to": str(signal.routed_to) if signal.routed_to else None,
        "due_date": signal.due_date.isoformat() if signal.due_date else None,
    }


def _subjects(data: SignalIn) -> list[SubjectInput]:
    out = []
    for role, people in ((SubjectRole.CHILD, data.children), (SubjectRole.PARENT, data.parents)):
        for p in people:
            out.append(
                SubjectInput(
                    role=role,
                    last_name=p.last_name,
                    first_name=p.first_name,
                    patronymic=p.patronymic,
                    snils=p.snils,
                    birth_date=p.birth_date.isoformat() if p.birth_date else "",
                )
            )
    return out


@router.post(
    "/",
    summary="Report a signal",
    response={201: SignalOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline_schema(SignalIn)}},
        },
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "maxLength": 200},
                "description": "Retry-safe key (printable ASCII, at most 200 characters): "
                "the same key and body give the same response.",
            },
            {
                "in": "header",
                "name": "Authorization",
                "required": True,
                "schema": {"type": "string"},
                "description": "Bearer <agency token>",
            },
        ],
    },
)
def create_signal(request: HttpRequest) -> JsonResponse:
    # Read once: the agency and the region configuration are both checked against it.
    generation = config_generation()
    token = _authenticate(request, generation)
    if token is None:
        return _error(
            401, "Нужен действующий токен организации: заголовок Authorization: Bearer <токен>."
        )
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 200:
        return _error(400, "Idempotency-Key длиннее 200 символов.")
    if not all(" " <= ch <= "~" for ch in key):
        return _error(400, "Idempotency-Key может содержать только печатные символы ASCII.")
    digest = services.body_hash(request.body)
    if key:
        previous = services.idempotency_lookup(token=token, key=key)
        if previous is not None:
            return _replay(previous, digest)
    try:
        payload = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "Тело запроса не является корректным JSON.")
    except RecursionError:  # nesting deeper than the parser's stack
        return _error(400, "Тело запроса вложено слишком глубоко.")
    try:
        data = SignalIn.model_validate(payload)
    except ValidationError as exc:
        return _error(422, "Ошибки в данных сигнала.", _pydantic_errors(exc))
    config = region_config(token.agency.territory, generation)
    territory = config.municipality(data.municipality)
    if territory is None:
        return _error(
            422,
            "Ошибки в данных сигнала.",
            [{"field": "municipality", "message": "муниципалитет не найден в регионе организации"}],
        )
    signal_input = SignalInput(
        channel=Channel.API,
        basis=Basis(data.basis),
        territory=territory,
        original_text=data.original_text,
        indicator_codes=data.indicators,
        address=data.address,
        subjects=_subjects(data),
        received_at=data.received_at,
        agency=token.agency,
        api_token_id=token.pk,
    )
    try:
        prepared = inputs.signal_prepare(
            signal_input, actor=None, ctx=IntakeContext(territory, config)
        )
    except DjangoValidationError as exc:
        field_map = {
            "indicators": "indicators",
            "original_text": "original_text",
            "territory": "municipality",
        }
        errors = [
            {"field": field_map.get(name, name), "message": _ru(m)}
            for name, messages in exc.message_dict.items()
            for m in messages
        ]
        return _error(422, "Ошибки в данных сигнала.", errors)
    result = api_intake.signal_create_from_api(
        api_intake.ApiItem(
            prepared=prepared,
            config=config,
            token=token,
            key=key,
            body_hash=digest,
            respond=_out,
        )
    )
    if isinstance(result, IntegrityError):
        # A concurrent retry with the same key won the race: answer as it did.
        previous = services.idempotency_lookup(token=token, key=key) if key else None
        if previous is None:
            raise result
        return _replay(previous, digest)
    return JsonResponse(result, status=201, json_dumps_params={"ensure_ascii": False})


def _ru(message: str) -> str:
    from django.utils import translation

    with translation.override("ru"):
        return str(_(message)) if message else message


def _replay(previous: Any, digest: str) -> JsonResponse:
    if previous.body_hash != digest:
        return _error(409, "Этот Idempotency-Key уже использован с другим телом запроса.")
    return JsonResponse(
        previous.response, status=previous.status_code, json_dumps_params={"ensure_ascii": False}
    )


@router.get(
    "/{number}",
    summary="Status of a signal this agency sent",
    response={200: SignalOut, 401: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": "Authorization",
                "required": True,
                "schema": {"type": "string"},
            }
        ]
    },
)
def signal_status(request: HttpRequest, number: str) -> JsonResponse:
    token = _authenticate(request)
    if token is None:
        return _error(
            401, "Нужен действующий токен организации: заголовок Authorization: Bearer <токен>."
        )
    if "\x00" in number:  # not a number we issue, and PostgreSQL cannot compare it
        return _error(404, "Сигнал не найден.")
    lookup = Lookup(number)
    if lookup.mistyped:
        return _error(
            404, "Номер набран с ошибкой: последняя цифра — контрольная, проверьте цифры номера."
        )
    signal = (
        Signal.objects.filter(number=lookup.number, reporting_agency=token.agency)
        .select_related("routed_to")
        .first()
    )
    if signal is None:
        return _error(404, "Сигнал не найден.")
    return JsonResponse(_out(signal), json_dumps_params={"ensure_ascii": False})
