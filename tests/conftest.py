"""Shared test configuration: Hypothesis profiles, and assertion rewriting in the helpers.

The default profile is what CI and the README's test command run: derandomized, so a
run on a clean clone tests the same examples every time, and 70 examples a property
(Hypothesis's own default is 100): the README's command must stay under two minutes on
two cores, and 100 took it to 125 s. ``HYPOTHESIS_PROFILE=thorough`` explores: 2,000
examples a property, drawn at random.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from host_server import Place, PostgresServer, postgres_bindir
from ticketflow.host import Store

# The helper modules' own asserts report their values, as a test module's do.
pytest.register_assert_rewrite("scenarios", "sla_scenarios")

settings.register_profile(
    "default",
    deadline=None,
    max_examples=70,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=2_000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# -- the reference host's databases (tests/test_host*.py) ------------------------------
# One PostgreSQL server per test process (per xdist worker), started on first use and
# stopped at the end of the session; each test gets a fresh schema in it, and a fresh
# SQLite file. Under CI=true a missing PostgreSQL fails the tests instead of skipping.

_SCHEMAS = count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test process."""
    if postgres_bindir() is None:
        reason = (
            "PostgreSQL is not installed (no initdb/pg_ctl from pg_config or "
            "/usr/lib/postgresql/*/bin): install the postgresql package"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    server = PostgresServer.start(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Place:
    """Where a fresh, empty store lives: a SQLite file, then a PostgreSQL schema."""
    if request.param == "sqlite":
        return Place("sqlite", str(tmp_path / "host.db"))
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return Place("postgres", server.fresh_schema(f"t{os.getpid()}_{next(_SCHEMAS)}"))


@pytest.fixture
def open_store(place: Place) -> Iterator[Callable[[], Store]]:
    """Opens connections to the test's store (one per writer); all closed at the end."""
    opened: list[Store] = []

    def opener() -> Store:
        opened.append(place.open())
        return opened[-1]

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    """One connection to a fresh store (each test runs on SQLite and on PostgreSQL)."""
    return open_store()
