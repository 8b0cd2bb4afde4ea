from __future__ import annotations

from ochag.linkage import PersonRecord, parse_search_query, person_search_keys


def test_person_search_keys() -> None:
    k = person_search_keys(
        PersonRecord("1", "Иванова", "Саша", "Петровна", None, "2014-03", "112-233-445 95")
    )
    assert k["last_key"] == "иванов"
    assert k["first_keys"] == "александра"
    assert k["patronymic_key"] == "петрович"
    assert k["birth_year"] == "2014" and k["birth_date"] == "2014-03"
    assert k["snils"] == "11223344595"
    assert k["sex"] == "F"


def test_query_tokens_match_stored_keys() -> None:
    stored = person_search_keys(
        PersonRecord("1", "Щербакова", "Юлия", "Сергеевна", "F", "2012-05-07")
    )
    q = parse_search_query("shcherbakov Yulia 07.05.2012")
    assert q.dates[0] == "2012-05-07"
    last_tok, first_tok = q.names
    assert stored["last_skeleton"] in last_tok.as_last_skeletons
    assert set(stored["first_keys"].split()) & set(first_tok.as_first_keys)


def test_query_parses_declined_diminutive_year_snils() -> None:
    q = parse_search_query("Ивановой Сашей 2015 112-233-445 95 сергеевна")
    assert q.years == ["2015"]
    assert q.snils == ["11223344595"]
    toks = {t.text: t for t in q.names}
    assert "иванов" in toks["Ивановой"].as_last_keys
    assert {"александр", "александра"} <= set(toks["Сашей"].as_first_keys)
    assert toks["сергеевна"].as_patronymic_keys == ("сергеевич",)
    assert toks["сергеевна"].looks_like == "patronymic"


def test_query_with_day_month_ambiguity_and_iso() -> None:
    q = parse_search_query("Петров 03.04.2011 2011-04-05")
    assert "2011-04-03" in q.dates and "2011-03-04" in q.dates and "2011-04-05" in q.dates
