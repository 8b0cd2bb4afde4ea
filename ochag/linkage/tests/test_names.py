from __future__ import annotations

import iuliia
import pytest

from ochag.linkage import (
    Matcher,
    PersonRecord,
    normalise_name,
    patronymic_key,
    patronymic_sex,
    surname_family_key,
)
from ochag.linkage.names import name_dictionary

SCHEMES = {
    "GOST 7.79": iuliia.GOST_779,
    "ICAO 9303": iuliia.ICAO_DOC_9303,
    "MVD 782": iuliia.MVD_782,
    "MVD 310": iuliia.MVD_310,
    "BGN/PCGN": iuliia.BGN_PCGN,
    "Wikipedia": iuliia.WIKIPEDIA,
}
FIRST = ["Юлия", "Александр", "Евгений", "Наталья", "Дмитрий", "Ксения", "Сергей", "Татьяна",
         "Фёдор", "Семён", "Анастасия", "Кузьма", "Илья", "Жанна", "Вячеслав", "Дарья"]  # fmt: skip
LAST = ["Щербакова", "Хабибуллин", "Чайковский", "Цой", "Жуков", "Воробьёв", "Юдина",
        "Достоевская", "Ильина", "Шишкин", "Королёв", "Яковлева"]  # fmt: skip


def test_dictionary_size_and_gender_tags() -> None:
    d = name_dictionary()
    assert len(d.full_sex) >= 300
    assert {"M", "F"} <= {s for v in d.full_sex.values() for s in v}


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("Саша", {"александр", "александра"}),
        ("Женя", {"евгений", "евгения"}),
        ("Слава", {"вячеслав", "ярослав", "владислав", "станислав"}),
        ("Витя", {"виктор", "виталий"}),
        ("Ваня", {"иван"}),
        ("Настя", {"анастасия"}),
    ],
)
def test_diminutives_many_to_many(form: str, expected: set[str]) -> None:
    assert expected <= set(normalise_name(form, "first").canonical)


def test_diminutive_narrowed_by_sex() -> None:
    assert normalise_name("Саша", "first", sex="F").canonical == {"александра"}
    assert normalise_name("Саша", "first", sex="M").canonical == {"александр"}
    assert normalise_name("Женя", "first", sex="F").canonical == {"евгения"}
    assert "ярослава" not in normalise_name("Слава", "first", sex="M").canonical


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_transliteration_round_trip_first_names(scheme: str) -> None:
    sch = SCHEMES[scheme]
    misses = []
    for name in FIRST:
        latin = sch.translate(name)
        n = normalise_name(latin, "first")
        cyr = normalise_name(name, "first")
        assert n.latin
        if not (n.canonical & cyr.canonical):
            misses.append((name, latin, sorted(n.canonical)))
    assert not misses


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_transliteration_round_trip_surnames(scheme: str) -> None:
    sch = SCHEMES[scheme]
    for name in LAST:
        latin = sch.translate(name)
        lat, cyr = normalise_name(latin, "last"), normalise_name(name, "last")
        assert lat.keys["skeleton"] == cyr.keys["skeleton"], (name, latin)
        assert lat.candidates, latin


def test_latin_yields_several_cyrillic_candidates() -> None:
    n = normalise_name("Yuliya", "first")
    assert "юлия" in n.candidates
    assert len(n.candidates) > 1
    assert "щербакова" in normalise_name("Shcherbakova", "last").candidates[:3]


@pytest.mark.parametrize(
    ("word", "kind", "nominative"),
    [
        ("Иванову", "last", "иванов"),
        ("Ивановой", "last", "иванова"),
        ("Достоевскому", "last", "достоевский"),
        ("Петру", "first", "петр"),
        ("Марии", "first", "мария"),
        ("Сергеевичу", "patronymic", "сергеевич"),
        ("Андреевной", "patronymic", "андреевна"),
        ("Иванова", "last", "иванова"),  # nominative feminine stays
    ],
)
def test_declension(word: str, kind: str, nominative: str) -> None:
    assert normalise_name(word, kind).folded == nominative  # type: ignore[arg-type]


def test_yo_folding_keeps_original() -> None:
    a, b = normalise_name("Семён", "first"), normalise_name("Семен", "first")
    assert a.folded == b.folded == "семен"
    assert a.original == "Семён"
    assert surname_family_key("Королёв") == surname_family_key("королев")
    assert normalise_name("Йогуртов", "last").keys["loose"] == ("иогуртов",)


def test_surname_gender_forms_share_family_key() -> None:
    assert surname_family_key("Иванов") == surname_family_key("Иванова")
    assert surname_family_key("Достоевский") == surname_family_key("Достоевская")
    assert surname_family_key("Шевченко") == "шевченко"
    assert surname_family_key("Петров") != surname_family_key("Петрухин")


@pytest.mark.parametrize(
    ("patr", "sex"),
    [
        ("Сергеевич", "M"), ("Петрович", "M"), ("Ильич", "M"), ("Сергеевна", "F"),
        ("Петровна", "F"), ("Ильинична", "F"), ("Никитична", "F"), ("Рашид оглы", "M"),
        ("Рашид кызы", "F"), ("", None),
    ],
)  # fmt: skip
def test_patronymic_gender(patr: str, sex: str | None) -> None:
    assert patronymic_sex(patr) == sex


def test_patronymic_key_is_gender_neutral() -> None:
    assert patronymic_key("Сергеевна") == patronymic_key("Сергеевич") == "сергеевич"
    assert patronymic_key("Ильинична") == patronymic_key("Ильич")


def test_swapped_order_is_recognised() -> None:
    m = Matcher()
    a = PersonRecord("a", "Петров", "Николай", "Иванович", "M", "2012-05-06")
    b = PersonRecord("b", "Николай", "Петров", "Иванович", "M", "2012-05-06")
    c = m.compare(a, b)
    levels = {e.field: e.level for e in c.explanation}
    assert "swapped" in levels["last_name"]
    assert c.probability > 0.9
    d = m.compare(a, PersonRecord("d", "Сидоров", "Олег", "Иванович", "M", "2012-05-06"))
    assert d.score < c.score - 10
