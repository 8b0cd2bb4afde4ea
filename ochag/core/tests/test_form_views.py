"""The one post → service → redirect step every form screen shares (core.form_views)."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from ochag.core.form_views import form_flow, submit


class _Form(forms.Form):
    name = forms.CharField()


def _request(method: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "POST" else factory.get("/x/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_a_valid_post_runs_the_service_once_and_moves_on() -> None:
    request = _request("POST", {"name": "Опека"})
    calls: list[dict[str, str]] = []
    response = submit(
        request,
        _Form(request.POST),
        lambda data: calls.append(data) or 7,
        success="Сохранено.",
        then=lambda result: f"/done/{result}/",
    )
    assert response is not None and response["Location"] == "/done/7/"
    assert calls == [{"name": "Опека"}]
    assert [str(m) for m in get_messages(request)] == ["Сохранено."]


def test_a_refusal_lands_on_the_form_with_what_was_typed() -> None:
    request = _request("POST", {"name": "Опека"})
    form = _Form(request.POST)

    def refuse(data: dict[str, str]) -> None:
        raise ValidationError({"name": "Такое имя уже есть.", "other": "Не поле формы."})

    assert submit(request, form, refuse, success="—", then=lambda _r: "/") is None
    assert form.errors == {"name": ["Такое имя уже есть."], "__all__": ["Не поле формы."]}
    assert form["name"].value() == "Опека"
    assert not list(get_messages(request))


def test_nothing_runs_on_a_get_or_an_invalid_post() -> None:
    def never(data: dict[str, str]) -> None:
        raise AssertionError("the service must not run")

    get = _request("GET")
    assert submit(get, _Form(None), never, success="—", then=lambda _r: "/") is None
    post = _request("POST", {"name": ""})
    assert submit(post, _Form(post.POST), never, success="—", then=lambda _r: "/") is None


def test_form_flow_shows_the_form_page_again_with_its_status(db: None) -> None:
    request = _request("POST", {"name": ""})
    request.user = type("Anon", (), {"is_authenticated": False})()  # type: ignore[attr-defined]
    response = form_flow(
        request,
        _Form(request.POST),
        lambda data: None,
        success="—",
        title="Посещение",
        back_url="/back/",
        status=400,
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Посещение</h1>" in page and 'href="/back/"' in page
