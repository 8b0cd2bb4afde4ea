"""Every line of every demo role's home page counts exactly the rows of the list it links to.

The demo region is the data: it has work in every state the lines count. A line whose count
differed from its list, or a list that ignored the link's filters, fails here."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from ochag.access.clients import signed_in
from ochag.access.models import User
from ochag.demo.generator import DEMO_ACCOUNTS, generate_region


@pytest.mark.django_db
def test_every_line_counts_the_rows_of_its_list(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        generate_region(seed=7, persons=1500, staff=200)
    checked: dict[str, int] = {}
    for login, *_ in DEMO_ACCOUNTS:
        user = User.objects.get(username=f"demo.{login}")
        client = signed_in(user)
        home = client.get("/")
        assert home.status_code == 200
        for block in home.context["sections"]:
            for line in block.lines:
                listing = client.get(line.url)
                assert listing.status_code == 200, (login, line.url)
                table = listing.context["table"]
                # Every filter of the link was understood by the list (shown as a tag).
                params = [k for k, v in parse_qsl(urlsplit(line.url).query) if v]
                assert len(table.tags) == len(params), (login, line.label, line.url)
                assert table.page.paginator.count == line.count, (login, line.label, line.url)
                kind = urlsplit(line.url).path + "?" + ",".join(sorted(params))
                checked[kind] = max(checked.get(kind, 0), line.count)
    # The story leaves something to count for every kind of line (the demo's routing rules
    # route every signal, so the coordinator's unrouted line is honestly zero).
    empty = [kind for kind, most in checked.items() if most == 0]
    assert empty == ["/signals/?routing"], sorted(checked.items())
