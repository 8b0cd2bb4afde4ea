"""A filterable, sortable, paginated table, with its state kept in the URL.

The view hands over a queryset that already went through the policy; the table only
narrows, orders and pages it, so its count is the count of what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest

PER_PAGE_CHOICES = (25, 50, 100)


def search_text(request: HttpRequest, name: str = "q", limit: int = 200) -> str:
    """A search box's text from the query string, safe to put in a query: trimmed, cut to
    ``limit`` and without NUL characters (PostgreSQL text cannot hold them, and a NUL in a
    search is never meant)."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


@dataclass(frozen=True)
class Column:
    label: str
    sort: str | None = None  # model field to order by; None means not sortable
    key: str = ""  # URL token for the sort; defaults to the field


@dataclass(frozen=True)
class Filter:
    name: str  # URL parameter
    label: str
    choices: Sequence[tuple[str, Any]]  # labels may be lazy translations
    apply: Callable[[models.QuerySet[Any], str], models.QuerySet[Any]]
    # Applied when the URL does not name the filter; «All» then sends it empty.
    default: str = ""


@dataclass
class SortHeader:
    label: str
    url: str | None
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass
class FilterTag:
    label: str
    remove_url: str


@dataclass
class Table:
    request: HttpRequest
    queryset: models.QuerySet[Any]
    columns: Sequence[Column]
    default_sort: str
    search_fields: Sequence[str] = ()
    filters: Sequence[Filter] = ()
    per_page: int = 25
    caption: str = ""
    # Beside the search fields' ``icontains``: what else the typed text finds (a receipt
    # number typed without its dashes), as a condition on the queryset.
    search_also: Callable[[str], Q] | None = None
    headers: list[SortHeader] = field(init=False)
    page: Page[Any] = field(init=False)
    tags: list[FilterTag] = field(init=False)
    query: str = field(init=False, default="")

    def __post_init__(self) -> None:
        params = self.request.GET
        qs = self.queryset
        self.query = search_text(self.request)
        if self.query and (self.search_fields or self.search_also):
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": self.query})
            if self.search_also is not None:
                condition |= self.search_also(self.query)
            qs = qs.filter(condition)
        self.tags = []
        for flt in self.filters:
            value = params.get(flt.name, flt.default)
            labels = dict(flt.choices)
            if value in labels:
                qs = flt.apply(qs, value)
                removed = "" if flt.default else None
                self.tags.append(
                    FilterTag(f"{flt.label}: {labels[value]}", self._url(**{flt.name: removed}))
                )
        if self.query:
            self.tags.append(FilterTag(f"«{self.query}»", self._url(q=None)))
        sort_keys = {c.key or c.sort: c.sort for c in self.columns if c.sort}
        requested = params.get("sort", "")
        token = requested.removeprefix("-")
        if token not in sort_keys:
            requested, token = self.default_sort, self.default_sort.removeprefix("-")
        descending = requested.startswith("-")
        order = sort_keys.get(token, token)
        # The primary key breaks ties so pages never repeat or skip a row.
        qs = qs.order_by(f"-{order}" if descending else order, "pk")
        self.headers = []
        for column in self.columns:
            key = column.key or column.sort
            if not column.sort:
                self.headers.append(SortHeader(column.label, None, "none"))
                continue
            active = key == token
            next_sort = key if (active and descending) or not active else f"-{key}"
            aria = ("descending" if descending else "ascending") if active else "none"
            self.headers.append(
                SortHeader(column.label, self._url(sort=next_sort, page=None), aria)
            )
        try:
            per_page = int(params.get("per_page", self.per_page))
        except ValueError:
            per_page = self.per_page
        if per_page not in PER_PAGE_CHOICES:
            per_page = self.per_page
        self.page = Paginator(qs, per_page).get_page(params.get("page"))

    def _url(self, **changes: str | None) -> str:
        params = {k: v for k, v in self.request.GET.items()}
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        return "?" + urlencode(params) if params else "?"

    def page_url(self, number: int) -> str:
        return self._url(page=str(number))

    @property
    def previous_url(self) -> str | None:
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else None

    @property
    def clear_url(self) -> str:
        return "?"

    @property
    def filter_values(self) -> dict[str, str]:
        return {f.name: self.request.GET.get(f.name, f.default) for f in self.filters}
