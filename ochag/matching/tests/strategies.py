"""Hypothesis strategies: small random regions where every corner case is likely."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from ochag.matching import ChildProfile, FamilyProfile, FormOfCare, Need, Place

ON = date(2026, 12, 3)
FORMS = [f.value for f in FormOfCare]
NEEDS = [n.value for n in Need]

places = st.builds(Place, st.floats(56.0, 58.0), st.floats(59.0, 63.0))
forms = st.frozensets(st.sampled_from(FORMS), min_size=1)
needs = st.frozensets(st.sampled_from(NEEDS), max_size=2)
languages = st.sampled_from(["", "ru", "tt"])


@st.composite
def children(draw: st.DrawFn, max_size: int = 8) -> list[ChildProfile]:
    count = draw(st.integers(1, max_size))
    result = []
    for i in range(count):
        result.append(
            ChildProfile(
                key=f"c{i}",
                age=draw(st.integers(0, 17)),
                sex=draw(st.sampled_from("mf")),
                forms=draw(forms),
                home=draw(places),
                health_group=draw(st.integers(1, 5)),
                needs=draw(needs),
                language=draw(languages),
                ethnicity=draw(st.sampled_from(["", "russian", "tatar"])),
                religion=draw(st.sampled_from(["", "orthodox", "muslim"])),
                together_with=draw(st.sampled_from(["", "", "g1", "g2"])),
            )
        )
    return result


@st.composite
def families(draw: st.DrawFn, max_size: int = 12) -> list[FamilyProfile]:
    count = draw(st.integers(0, max_size))
    result = []
    for i in range(count):
        age_min = draw(st.integers(0, 17))
        result.append(
            FamilyProfile(
                key=f"f{i}",
                conclusion_positive=draw(st.booleans()),
                conclusion_valid_until=draw(
                    st.none() | st.integers(-30, 30).map(lambda d: ON + timedelta(days=d))
                ),
                forms=draw(forms),
                capacity=draw(st.integers(1, 4)),
                age_min=age_min,
                age_max=draw(st.integers(age_min, 17)),
                home=draw(places),
                sex=draw(st.sampled_from(["", "m", "f"])),
                siblings=draw(st.booleans()),
                accepted_needs=draw(needs),
                health_group_max=draw(st.integers(1, 5)),
                languages=draw(st.frozensets(st.sampled_from(["ru", "tt"]))),
                ethnicity=draw(st.sampled_from(["", "russian", "tatar"])),
                religion=draw(st.sampled_from(["", "orthodox", "muslim"])),
                max_distance_km=draw(st.none() | st.sampled_from([10.0, 50.0, 200.0])),
            )
        )
    return result
