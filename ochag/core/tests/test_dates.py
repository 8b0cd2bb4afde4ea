"""The partial date every app uses for dates of birth."""

from __future__ import annotations

import datetime as dt

import pytest

from ochag.core.dates import PartialDate
from ochag.linkage.records import parse_date


@pytest.mark.parametrize(
    ("text", "parts", "iso", "display"),
    [
        ("05.03.2015", (2015, 3, 5), "2015-03-05", "05.03.2015"),
        ("5.3.2015", (2015, 3, 5), "2015-03-05", "05.03.2015"),
        ("03.2015", (2015, 3, None), "2015-03", "03.2015"),
        ("2015", (2015, None, None), "2015", "2015"),
        ("2015-03-05", (2015, 3, 5), "2015-03-05", "05.03.2015"),
        ("2015-03", (2015, 3, None), "2015-03", "03.2015"),
        (" 2015 ", (2015, None, None), "2015", "2015"),
        ("", (None, None, None), "", ""),
        (None, (None, None, None), "", ""),
    ],
)
def test_parse_and_write_back(
    text: str | None, parts: tuple[int | None, ...], iso: str, display: str
) -> None:
    date = PartialDate.parse(text)
    assert date.parts == parts
    assert date.iso == iso and date.display == display
    assert PartialDate.parse(date.iso) == date == PartialDate.parse(date.display)


@pytest.mark.parametrize(
    "text", ["31.02.2015", "13.2015", "2015-13", "32.01.2015", "1799", "2201", "05/03/2015",
             "вчера", "2015-3-5x", "0000"],
)  # fmt: skip
def test_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_the_engine_copy_reads_iso_forms_the_same() -> None:
    """linkage may import nothing of ours, so it keeps its own parser: held to the same forms."""
    for text in ["2015-03-05", "2015-03", "2015", "05.03.2015", "1800", "2200"]:
        assert parse_date(text) == PartialDate.parse(text).parts
    for text in ["2015-13", "1799", "31.02.2015"]:
        with pytest.raises(ValueError):
            parse_date(text)
        with pytest.raises(ValueError):
            PartialDate.parse(text)


def test_full_date_and_earliest_day() -> None:
    assert PartialDate.parse("05.03.2015").date == dt.date(2015, 3, 5)
    assert PartialDate.parse("03.2015").date is None
    assert PartialDate.parse("2015").earliest() == dt.date(2015, 1, 1)
    assert PartialDate().earliest() is None and not PartialDate().known
    assert PartialDate.of(dt.date(2020, 1, 2)).display == "02.01.2020"
    with pytest.raises(ValueError):
        PartialDate(2015, None, 5)
