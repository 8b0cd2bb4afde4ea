"""The URL walker: every page any role can reach, asked for by every role and by no one.

Each role signs in and follows the links of its pages (GET only, breadth first, a bounded
number of pages, a few query-string variants per path). The union of what all roles reached
is then requested by every role and anonymously. What must hold:

* no answer is a server error (5xx);
* a page a role reached through its own links answers it 200;
* anonymous requests are sent to the login page, except the public pages;
* a registry record page answers 200 exactly when the registry's policy shows the record
  to that user (no leak past need-to-know, no page hiding what the policy grants).

Used by ``bench/trust/walk.sh`` on a demo region and by a smaller test
(``ochag/tests/test_url_walk.py``). Nothing here writes: only GETs are sent, and
links that change state on GET do not exist (every change is a POST).
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from ochag.access.clients import signed_in
from ochag.access.models import User

# Paths never followed: signing out ends the walk; static files and the API are not pages.
SKIP = re.compile(r"^/(static/|media/|api/|account/logout|i18n/)")
VARIANTS_PER_PATH = 3


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    """Same-site paths (with their query) linked from a page."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.match(url):
            out.append(url)
    return out


@dataclass
class Walk:
    reached: dict[str, set[str]] = field(default_factory=dict)
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    # The slowest answers: (seconds, who, url).
    slowest: list[tuple[float, str, str]] = field(default_factory=list)

    @property
    def urls(self) -> set[str]:
        return set().union(*self.reached.values()) if self.reached else set()

    @property
    def server_errors(self) -> int:
        return sum(n for c in self.statuses.values() for s, n in c.items() if s >= 500)


def crawl(client: Client, *, limit: int, start: str = "/", errors: list[str] | None = None,
          variants: int = VARIANTS_PER_PATH) -> set[str]:  # fmt: skip
    """Pages reached by following links from ``start`` (200 answers only), at most ``limit``;
    server errors met on the way are added to ``errors``."""
    errors = errors if errors is not None else []
    seen: set[str] = set()
    per_path: Counter[str] = Counter()
    reached: set[str] = set()
    queue = deque([start])
    while queue and len(reached) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = url.split("?")[0]
        if per_path[path] >= variants:
            continue
        per_path[path] += 1
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(f"{url}: {response.status_code}")
        if response.status_code != 200:
            continue
        reached.add(url)
        if "html" in response.get("Content-Type", ""):
            queue.extend(u for u in links(response.content.decode()) if u not in seen)
    return reached


RecordCheck = Callable[[User, str, dict[str, str]], bool | None]


def walk(
    users: dict[str, User],
    *,
    limit: int,
    record_visible: RecordCheck | None = None,
    log: Callable[[str], None] | None = None,
    variants: int = VARIANTS_PER_PATH,
) -> Walk:
    """Crawl as each user, then request the union as every user and anonymously.

    ``record_visible(user, url_name, kwargs)`` answers whether the policy shows the record a
    URL names (None: not a record page it knows); a 200 must agree with it."""
    result = Walk()
    started = time.perf_counter()
    clients = {name: signed_in(user, raise_request_exception=False) for name, user in users.items()}
    for name, client in clients.items():
        met: list[str] = []
        result.reached[name] = crawl(client, limit=limit, errors=met, variants=variants)
        result.failures += [f"{name} {e} while crawling" for e in met]
        if log:
            log(f"{name}: {len(result.reached[name])} pages reached")
    urls = sorted(result.urls)
    anonymous = Client(raise_request_exception=False)
    for name, client in [*clients.items(), ("anonymous", anonymous)]:
        counter: Counter[int] = Counter()
        user = users.get(name)
        for url in urls:
            began = time.perf_counter()
            status = client.get(url).status_code
            result.slowest.append((time.perf_counter() - began, name, url))
            result.slowest = sorted(result.slowest, reverse=True)[:10]
            result.requests += 1
            counter[status] += 1
            problem = _judge(name, user, url, status, result.reached.get(name, set()),
                             record_visible)  # fmt: skip
            if problem:
                result.failures.append(problem)
        result.statuses[name] = counter
    result.seconds = time.perf_counter() - started
    return result


def _judge(name: str, user: User | None, url: str, status: int, own: Iterable[str],
           record_visible: RecordCheck | None) -> str | None:  # fmt: skip
    if status >= 500:
        return f"{name} {url}: {status}"
    if user is None:
        if status not in (302, 200, 404) or (status == 200 and not _public(url)):
            return f"anonymous {url}: {status}"
        return None
    if url in own and status != 200:
        return f"{name} {url}: {status} on a page it reached itself"
    if record_visible is not None:
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            return None
        visible = record_visible(user, match.view_name, match.kwargs)
        if visible is not None and visible != (status == 200):
            return f"{name} {url}: {status} but the policy says visible={visible}"
    return None


def _public(url: str) -> bool:
    """A page whose view is marked ``login_not_required`` (the public form, the directory)."""
    try:
        view = resolve(url.split("?")[0]).func
    except Resolver404:
        return False
    return getattr(view, "login_required", True) is False
