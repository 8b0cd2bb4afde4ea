"""The permission cast and helpers every view test uses.

The cast: a worker and a supervisor in municipality A, a worker in municipality B, a
federal analyst, and the region's coordinator and administrator. A test proves both that
the right people can act and that an outsider gets 404 and a read-only user 403.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from ochag.access.clients import signed_in
from ochag.access.models import Agency, AgencyType, Role, User
from ochag.access.tests.factories import AgencyFactory, UserFactory
from ochag.core.models import Territory
from ochag.core.tests.factories import TerritoryFactory

PASSWORD = "correct-horse-battery"  # noqa: S105 - a test fixture, not a secret
pytest_plugins = ["ochag.browser_fixtures"]


@dataclass
class Cast:
    region: Territory
    municipality_a: Territory
    municipality_b: Territory
    agency_a: Agency
    agency_b: Agency
    ministry: Agency
    worker_a: User
    supervisor_a: User
    worker_b: User
    analyst: User
    coordinator: User
    admin: User


@pytest.fixture
def cast(db: None) -> Cast:
    country = TerritoryFactory.create(name="Российская Федерация", level=Territory.Level.COUNTRY)
    region = TerritoryFactory.create(
        name="Тестовая область", level=Territory.Level.REGION, parent=country
    )
    mun_a = TerritoryFactory.create(name="Город А", parent=region)
    mun_b = TerritoryFactory.create(name="Район Б", parent=region)
    agency_a = AgencyFactory.create(name="Опека А", type=AgencyType.GUARDIANSHIP, territory=mun_a)
    agency_b = AgencyFactory.create(name="Опека Б", type=AgencyType.GUARDIANSHIP, territory=mun_b)
    ministry = AgencyFactory.create(name="Министерство", type=AgencyType.MINISTRY, territory=region)
    return Cast(
        region=region,
        municipality_a=mun_a,
        municipality_b=mun_b,
        agency_a=agency_a,
        agency_b=agency_b,
        ministry=ministry,
        worker_a=UserFactory.create(username="worker_a", agency=agency_a),
        supervisor_a=UserFactory.create(
            username="supervisor_a", agency=agency_a, is_supervisor=True
        ),
        worker_b=UserFactory.create(username="worker_b", agency=agency_b),
        analyst=UserFactory.create(username="analyst", agency=ministry, role=Role.FEDERAL_ANALYST),
        coordinator=UserFactory.create(
            username="coordinator", agency=ministry, role=Role.REGIONAL_COORDINATOR
        ),
        admin=UserFactory.create(username="admin", agency=ministry, role=Role.ADMINISTRATOR),
    )


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return signed_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # Real hashing costs ~0.3 s a user on these machines; tests need no brute-force resistance.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_name_vocabulary() -> None:
    # Per-process caches (the registry's vocabulary of known names) outlive a test's
    # rolled-back rows (the vocabulary is rebuilt only every few minutes): without this, what a
    # test finds depends on the tests that ran before it in the same process.
    from ochag.core import caches

    caches.forget_all()


# Data migrations that seed reference data. A transactional test (browser, mail) flushes every
# table when it ends, so the next transactional test puts the reference data back first.
REFERENCE_DATA_MIGRATIONS = [
    "ochag.signals.migrations.0002_seed_indicators",
    "ochag.support.migrations.0002_starting_catalogue",
]


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    for name in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(name).seed(apps, None)


@pytest.fixture
def run_queued_tasks(db: None) -> Callable[[], int]:
    """Run the background tasks queued so far in this thread and transaction, in order, as
    ``manage.py db_worker`` would; returns how many ran. (A transactional test can run the
    real worker instead: ``call_command("db_worker", "--batch")``.)"""
    from django_tasks_db.models import DBTaskResult

    def run() -> int:
        done = 0
        for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
            result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
            result.delete()
            done += 1
        return done

    return run
