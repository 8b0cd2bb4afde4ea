from __future__ import annotations

import collections
from dataclasses import replace
from pathlib import Path

import pytest

from ochag.linkage import Matcher, PersonRecord, dedupe, find_duplicate_pairs, matcher
from ochag.linkage.cli import read_records
from ochag.linkage.snils import snils_control


def _snils(body: str) -> str:
    return body + snils_control(body)


def R(rid: str, last: str, first: str, patr: str | None, dob: str | None,
      snils: str | None = None, sex: str | None = None) -> PersonRecord:  # fmt: skip
    return PersonRecord(rid, last, first, patr, sex, dob, snils, "обл", "район", "test")


def test_twins_are_never_merged() -> None:
    recs = [
        R("t1", "Кузнецов", "Артём", "Игоревич", "2015-06-01"),
        R("t1b", "Кузнецов", "Артем", "Игоревич", "2015-06-01"),
        R("t2", "Кузнецов", "Матвей", "Игоревич", "2015-06-01"),
        R("t2b", "Кузнецов", "Матвей", "Игоревич", "2015-06-01"),
        # a vague record that could glue the twins together
        R("x", "Кузнецов", "Тёма", None, "2015-06-01"),
    ]
    cl = dedupe(recs)
    assert cl["t1"] == cl["t1b"]
    assert cl["t2"] == cl["t2b"]
    assert cl["t1"] != cl["t2"]
    m = Matcher()
    m.add_many(recs[:4])
    res = m.match(R("q", "Кузнецов", "Матвей", "Игоревич", "2015-06-01"))
    assert res.candidates[0].record_id in ("t2", "t2b")
    twin = m.compare(recs[0], recs[2])
    assert twin.conflicts


def test_different_valid_snils_never_merge() -> None:
    s1, s2 = _snils("123456789"), _snils("223456789")
    a = R("a", "Смирнова", "Анна", "Петровна", "2011-01-02", s1)
    b = R("b", "Смирнова", "Анна", "Петровна", "2011-01-02", s2)
    c = R("c", "Смирнова", "Анна", "Петровна", "2011-01-02", None)
    cl = dedupe([a, b, c])
    assert cl["a"] != cl["b"]
    m = Matcher()
    m.add(a)
    res = m.match(b)
    assert res.decision != "link"
    assert "different valid SNILS" in res.candidates[0].conflicts


def test_invalid_snils_is_treated_as_missing() -> None:
    good = _snils("123456789")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    a = R("a", "Смирнова", "Анна", "Петровна", "2011-01-02", good)
    b = R("b", "Смирнова", "Анна", "Петровна", "2011-01-02", bad)
    assert dedupe([a, b])["a"] == dedupe([a, b])["b"]
    snils_expl = next(e for e in Matcher().compare(a, b).explanation if e.field == "snils")
    assert snils_expl.level == "missing"


def test_decisions_link_review_new() -> None:
    m = Matcher()
    m.add_many([
        R("1", "Васильев", "Дмитрий", "Олегович", "2013-09-10", sex="M"),
        R("2", "Орлова", "Мария", "Андреевна", "2016-02-20", sex="F"),
        R("3", "Орлова", "Мария", "Андреевна", "2016-02-21", sex="F"),
    ])  # fmt: skip
    res = m.match(R("q1", "ВАСИЛЬЕВ", "Дима", "Олегович", "2013-09-10"))
    assert res.decision == "link" and res.candidates[0].record_id == "1"
    amb = m.match(R("q2", "Орлова", "Маша", None, "2016-02"))
    assert amb.decision == "review"
    assert {c.record_id for c in amb.candidates[:2]} == {"2", "3"}
    new = m.match(R("q3", "Зайцев", "Пётр", "Ильич", "2010-01-01"))
    assert new.decision == "new"
    assert len(m) == 3
    m.remove("1")
    assert len(m) == 2
    assert all(
        c.record_id != "1"
        for c in m.match(R("q1", "Васильев", "Дмитрий", "Олегович", "2013-09-10")).candidates
    )


def test_explanation_fields() -> None:
    c = Matcher().compare(
        R("a", "Иванову", "Саше", "Петровичу", "2014-03-04"),
        R("b", "Ivanov", "Aleksandr", "Petrovich", "2014-04-03"),
    )
    by = {e.field: e for e in c.explanation}
    assert {"last_name", "first_name", "patronymic", "birth_date", "sex", "snils"} <= set(by)
    assert by["last_name"].left == "иванов"
    assert by["first_name"].level == "same full name"
    assert by["birth_date"].level.startswith("near")
    assert by["last_name"].weight > 0
    assert abs(sum(e.weight for e in c.explanation) - c.score) < 0.05
    assert 0.0 <= c.probability <= 1.0


def test_generated_dedupe_quality_and_hard_negatives(generated: Path) -> None:
    recs = read_records(str(generated) + ".csv")
    truth = dict(
        line.split(",") for line in Path(str(generated) + ".truth.csv").read_text().split()[1:]
    )
    cl = dedupe(recs)
    pred_pairs = tp = 0
    groups = collections.defaultdict(list)
    for r in recs:
        groups[cl[r.record_id]].append(truth[r.record_id])
    for g in groups.values():
        pred_pairs += len(g) * (len(g) - 1) // 2
        tp += sum(n * (n - 1) // 2 for n in collections.Counter(g).values())
    true_pairs = sum(n * (n - 1) // 2 for n in collections.Counter(truth.values()).values())
    assert tp / pred_pairs > 0.97
    assert tp / true_pairs > 0.75
    twins = [ln.split(",") for ln in Path(str(generated) + ".hardneg.csv").read_text().split()[1:]]
    ent_cl = collections.defaultdict(set)
    for r in recs:
        ent_cl[truth[r.record_id]].add(cl[r.record_id])
    merged_twins = [t for t in twins if t[2] == "twins" and ent_cl[t[0]] & ent_cl[t[1]]]
    assert len(merged_twins) <= max(2, len([t for t in twins if t[2] == "twins"]) // 20)


def test_find_duplicate_pairs_sorted_with_explanations() -> None:
    recs = [
        R("a", "Петрова", "Ольга", "Ивановна", "2010-10-10"),
        R("b", "Петрова", "Оля", "Ивановна", "2010-10-10"),
        R("c", "Сидорова", "Ольга", "Ивановна", "2011-11-11"),
    ]
    pairs = find_duplicate_pairs(recs, 0.5)
    assert [(a, b) for a, b, _, _ in pairs] == [("a", "b")]
    assert pairs[0][2] >= 0.5 and pairs[0][3]


def test_compacted_index_finds_what_the_dict_found(generated: Path, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:  # fmt: skip
    """The sorted-array part of the blocking index answers as the dict did, and records
    added after a compaction are found as well (a pending person at intake)."""
    recs = read_records(str(generated) + ".csv")
    loose = Matcher()
    monkeypatch.setattr(matcher, "COMPACT_MIN", 10**9)
    loose.add_many(recs[:3000])
    monkeypatch.setattr(matcher, "COMPACT_MIN", 500)
    packed = Matcher()
    packed.add_many(recs[:3000])
    assert len(packed._hashes) > 0 and packed._pending < len(packed._hashes) // 8 + 30
    assert not len(loose._hashes)
    for rec in recs[3000:3300]:
        a, b = loose.match(rec), packed.match(rec)
        assert a.decision == b.decision  # the same candidates; equal scores in any order
        assert sorted((-c.score, c.record_id) for c in a.candidates) == sorted(
            (-c.score, c.record_id) for c in b.candidates
        )
    packed.compact()
    late = recs[3300]
    packed.add(late)
    found = packed.match(replace(late, record_id="the same person again")).candidates
    assert packed._pending and found[0].record_id == late.record_id


def _registry(*recs: PersonRecord) -> Matcher:
    m = Matcher()
    m.add_many(recs)
    # unrelated people with the same first names and father's names, so that the keys the
    # look-ups share are not unique to the right record
    for i in range(40):
        m.add(R(f"o{i}", f"Прохоров{i % 7}", "Михаил", "Петрович", f"19{60 + i}-03-0{1 + i % 9}"))
    return m


def test_swapped_names_with_a_slip_meet_their_record() -> None:
    m = _registry(R("r", "Володьков", "Михаил", None, "1987-05-26"))
    res = m.match(R("q", "Михаил", "Вролодьков", None, "1978-05-26"))
    assert res.candidates and res.candidates[0].record_id == "r"


def test_a_rare_first_name_meets_its_record() -> None:
    m = _registry(R("r", "Минкова", "Альфира", "Владиславовна", "1984-05-22"))
    res = m.match(R("q", "Минкова", "Альфиора", "Владиславовна", "1984-05-22"))
    assert res.candidates and res.candidates[0].record_id == "r"
    assert res.decision == "link"


def test_a_changed_surname_links_when_everything_else_agrees() -> None:
    stored = R("r", "Ахмалетдинова", "Елена", "Петровна", "1962-11-27")
    query = R("q", "Сидорова", "Елена", "Петровна", "1962-11-27")
    m = _registry(stored)
    best = m.match(query).candidates[0]
    assert best.record_id == "r"
    assert best.probability < m.params.link_threshold  # the scorer alone would not link it
    assert m.match(query).decision == "link"
    # anything else not agreeing leaves it to a person (or a new record)
    for other in (
        replace(query, birth_date="1962-11-28"),  # a day off
        replace(query, municipality="другой район"),
        replace(query, patronymic=None),
        replace(query, first_name="Елизавета"),
    ):
        assert m.match(other).decision != "link", other
    # a second Елена Петровна born that day elsewhere in the registry is a rival
    m.add(R("r2", "Кузьмина", "Елена", "Петровна", "1962-11-27"))
    assert m.match(query).decision == "review"


def test_a_misspelt_first_name_is_no_twin() -> None:
    stored = R("r", "Судакова", "Ольга", "Рустемовна", "2024-03-26")
    m = _registry(stored)
    # «Рльг» is no name anyone bears: Ольга mistyped, not her twin sister
    slipped = m.match(R("q", "Судакова", "Рльг", "Рустемовна", "2024-03-26"))
    assert not slipped.candidates[0].conflicts
    assert slipped.decision == "link"
    # a name someone bears, however close, still may be a twin
    for twin in ("Елена", "Олеся"):
        res = m.match(R("q", "Судакова", twin, "Рустемовна", "2024-03-26"))
        assert res.candidates[0].conflicts and res.decision == "review", twin


def test_a_misspelt_fathers_name_is_similar_not_different() -> None:
    m = Matcher()
    a = R("a", "Савинкова", "Гульшат", "Ивановна", "1962-07-16")
    for slip in ("Иванодна", "Ивановнп", "Иваовна"):
        levels = m.compare(replace(a, record_id="q", patronymic=slip), a).levels
        assert levels[2] == 1, slip
    assert m.compare(replace(a, record_id="q", patronymic="Петровна"), a).levels[2] == 0
