"""The old generator's intake misses (issue 19): Latin names with a Russian case ending,
surname and first name swapped and declined together, declined short forms in the swapped
fields, and an equal valid SNILS with the same birth date."""

from __future__ import annotations

from functools import cache

import iuliia
import pymorphy3
from hypothesis import given, settings
from hypothesis import strategies as st

from ochag.linkage import Matcher, PersonRecord, normalise_name
from ochag.linkage.model import FIELDS
from ochag.linkage.snils import snils_control


def R(rid: str, last: str, first: str, patr: str | None, dob: str | None,
      snils: str | None = None, sex: str | None = None) -> PersonRecord:  # fmt: skip
    return PersonRecord(rid, last, first, patr, sex, dob, snils, "обл", "район", "test")


def _registry(*recs: PersonRecord) -> Matcher:
    m = Matcher()
    m.add_many(recs)
    # namesakes of the first name and father's name, so no look-up key is unique
    for i in range(30):
        m.add(R(f"o{i}", f"Прохорова{i % 7}", "Ирина", "Васильевна", f"19{60 + i}-03-0{1 + i % 9}"))
    return m


def _levels(c: object) -> dict[str, int]:
    return dict(zip(FIELDS, c.levels, strict=True))  # type: ignore[attr-defined]


# ------------------------------------------------------------------ normaliser
def test_latin_with_a_case_ending_normalises_as_the_cyrillic_name() -> None:
    for latin, cyr, kind in (
        ("Grebenûkovoj", "Гребенюкова", "last"),
        ("Kiselevu", "Киселев", "last"),
        ("KRAJNOVOJ", "Крайнова", "last"),
        ("Sergeevny", "Сергеевна", "patronymic"),
        ("Airatovichu", "Айратович", "patronymic"),
    ):
        a, b = normalise_name(latin, kind), normalise_name(cyr, kind)  # type: ignore[arg-type]
        assert a.latin and not b.latin
        assert a.keys["skeleton"] == b.keys["skeleton"], (latin, a.keys, b.keys)
    assert "василий" in normalise_name("Vasiliiu", "first").canonical
    assert "галина" in normalise_name("Gali", "first").canonical
    assert "римма" in normalise_name("Rimmy", "first").canonical


def test_latin_names_in_the_nominative_are_kept() -> None:
    # a nominative the likeliest reading already gives is not taken for a declension
    for latin, cyr, kind in (
        ("Lugovoj", "Луговой", "last"),
        ("Ivanova", "Иванова", "last"),
        ("Krajnov", "Крайнов", "last"),
        ("Vladimirovna", "Владимировна", "patronymic"),
    ):
        a, b = normalise_name(latin, kind), normalise_name(cyr, kind)  # type: ignore[arg-type]
        assert a.keys["skeleton"] == b.keys["skeleton"], (latin, a.keys, b.keys)
    assert "сергей" in normalise_name("Sergei", "first").canonical
    assert normalise_name("Mariya", "first").canonical == {"мария"}


def test_an_unknown_feminine_surname_declined_is_read_as_the_feminine() -> None:
    # pymorphy3 also guesses «Лыюровой» as a masculine nominative (like Толстой)
    assert normalise_name("Лыюровой", "last").folded == "лыюрова"
    assert normalise_name("Толстой", "last").folded == "толстой"  # a known one keeps it


FEMININE = ("Смирнова", "Попова", "Лебедева", "Новикова", "Петрова", "Зайцева", "Семенова",
            "Крайнова", "Гребенюкова", "Помещикова", "Лифанова")  # fmt: skip
SCHEMES = ("gost_779", "gost_779_alt", "icao_doc_9303", "mvd_782", "mvd_310", "bgn_pcgn",
           "wikipedia", "scientific", "ala_lc", "bs_2979", "gost_52535",
           "yandex_money")  # fmt: skip


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.sampled_from(FEMININE), st.sampled_from(("gent", "datv", "ablt")),
       st.sampled_from(SCHEMES))  # fmt: skip
def test_a_declined_surname_transliterated_keeps_its_family_key(
    surname: str, case: str, scheme: str
) -> None:
    """Declined (pymorphy3) and then transliterated (iuliia), a woman's surname normalises to
    the script-neutral key of the nominative."""
    parse = next(
        p for p in _morph().parse(surname.lower()) if "Surn" in p.tag and p.tag.gender == "femn"
    )
    declined = parse.inflect({case})
    assert declined is not None
    latin = iuliia.schemas.get(scheme).translate(declined.word.capitalize())
    want = normalise_name(surname, "last").keys["skeleton"][0]
    assert want in normalise_name(latin, "last").keys["skeleton"], (latin, want)


# ------------------------------------------------------------------ scorer and decision
def test_swapped_and_declined_together_links() -> None:
    stored = R("r", "Лыюрова", "Ирина", "Васильевна", "2009-03-26", sex="F")
    m = _registry(stored)
    res = m.match(R("q", "Ирины", "Лыюровой", "Васильевны", "2009-03-26", sex="F"))
    assert res.candidates[0].record_id == "r"
    assert res.decision == "link"
    v = _levels(res.candidates[0])
    assert (v["last_name"], v["first_name"]) == (3, 2)


def test_a_declined_short_form_in_the_swapped_fields_is_read() -> None:
    m = Matcher()
    stored = R("r", "Помещикова", "Клавдия", "Петровна", "1950-02-11", sex="F")
    c = m.compare(R("q", "КЛАВКИ", "ПОМЕЩИКОВОЙ", "Петровны", "1950-02-11"), stored)
    assert (_levels(c)["last_name"], _levels(c)["first_name"]) == (3, 2)
    c = m.compare(R("q", "Толька", "Рачинский", "Игоревич", "1993-10-12"),
                  R("r", "Рачинский", "Анатолий", "Игоревич", "1993-10-12"))  # fmt: skip
    assert (_levels(c)["last_name"], _levels(c)["first_name"]) == (3, 2)


def test_latin_in_the_swapped_fields_is_read() -> None:
    stored = R("r", "Шишкин", "Валентин", "Иванович", "2007-07-08", sex="M")
    m = _registry(stored)
    res = m.match(R("q", "Valentin", "Šiškin", "Ivanovič", "2007-07-08", sex="M"))
    assert res.candidates[0].record_id == "r"
    assert res.decision == "link"


def test_swap_needs_both_names() -> None:
    # the first names agree once swapped, the surnames do not: no swap
    m = Matcher()
    c = m.compare(R("q", "Ирины", "Сидоровой", None, "2009-03-26"),
                  R("r", "Лыюрова", "Ирина", None, "2009-03-26"))  # fmt: skip
    assert (_levels(c)["last_name"], _levels(c)["first_name"]) == (0, 0)


def _snils(body: str) -> str:
    return body + snils_control(body)


def test_an_equal_snils_with_the_same_date_links_whatever_the_names() -> None:
    s = _snils("112233445")
    stored = R("r", "Шишкин", "Валентин", "Иванович", "2007-07-08", snils=s, sex="M")
    m = _registry(stored)
    # names the scorer reads as disagreeing (an unrelated Latin spelling)
    query = R("q", "Kovalenko", "Tino", None, "2007-07-08", snils=s, sex="M")
    assert m.compare(query, stored).probability < m.params.link_threshold
    res = m.match(query)
    assert res.candidates[0].record_id == "r"
    assert res.decision == "link"


def test_an_equal_snils_needs_the_same_full_date() -> None:
    s = _snils("112233445")
    stored = R("r", "Шишкин", "Валентин", "Иванович", "2007-07-08", snils=s, sex="M")
    m = _registry(stored)
    for dob in ("2007-07-09", "2007", None):
        res = m.match(R("q", "Kovalenko", "Tino", None, dob, snils=s, sex="M"))
        assert res.decision != "link", dob


def test_a_different_snils_keeps_people_apart() -> None:
    stored = R("r", "Шишкин", "Валентин", "Иванович", "2007-07-08", _snils("112233445"), "M")
    m = _registry(stored)
    res = m.match(R("q", "Шишкин", "Валентин", "Иванович", "2007-07-08", _snils("112233446"), "M"))
    assert res.decision != "link"
    assert "different valid SNILS" in res.candidates[0].conflicts
