"""The PostgreSQL store (``_host_postgres.py``) on a real server: a connection string,
its tables created once even by writers starting together, sweepers that skip each
other's claims."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from host_scenarios import DESK, opening
from host_server import PostgresServer
from ticketflow import handle
from ticketflow.host import Change, PostgresStore, Stored, change_of, load


@pytest.fixture
def conninfo(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> str:
    """A fresh schema's connection string."""
    return postgres_server.fresh_schema(f"s_{request.node.name[:40].replace('-', '_')}")


def test_a_connection_string_opens_the_store(conninfo: str) -> None:
    """Given a connection string, when the store connects, then a ticket stored through
    it loads back through a second connection."""
    first, second = PostgresStore.connect(conninfo), PostgresStore.connect(conninfo)
    opened = handle(DESK, None, opening())
    first.append(change_of(DESK, None, opened))

    assert opened.ticket == load(second, "T-1")
    first.close()
    second.close()


def test_stores_connecting_at_once_create_the_tables_once(conninfo: str) -> None:
    """Given six connections made at the same moment to an empty schema, then each
    succeeds (creating the tables is serialised, not raced)."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def connect() -> None:
        barrier.wait()
        try:
            PostgresStore.connect(conninfo).close()
        except BaseException as error:  # reported below, so the test shows which
            errors.append(error)

    threads = [threading.Thread(target=connect) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [] == errors


def test_two_sweepers_claim_different_tickets(conninfo: str) -> None:
    """Given four due tickets, when a second sweeper claims while the first holds two,
    then it is handed the other two (FOR UPDATE SKIP LOCKED) without waiting."""
    first, second = PostgresStore.connect(conninfo), PostgresStore.connect(conninfo)
    for n in range(4):
        plain = change_of(DESK, None, handle(DESK, None, opening(f"T-{n}")))
        first.append(
            Change(
                ticket_id=plain.ticket_id,
                after=0,
                events=plain.events,
                snapshot=plain.snapshot,
                due_at=n,
            )
        )
    seen: dict[str, list[str]] = {}

    def inner(claimed: tuple[Stored, ...]) -> Sequence[Change]:
        seen["second"] = [s.ticket_id for s in claimed]
        return []

    def outer(claimed: tuple[Stored, ...]) -> Sequence[Change]:
        seen["first"] = [s.ticket_id for s in claimed]
        second.claim_due(10, 10, inner)
        return []

    first.claim_due(10, 2, outer)

    assert {"first": ["T-0", "T-1"], "second": ["T-2", "T-3"]} == seen
    first.close()
    second.close()


def test_the_tables_live_in_the_connections_schema(conninfo: str) -> None:
    """The store creates its tables where the connection's search path points."""
    PostgresStore.connect(conninfo).close()
    schema = conninfo.rpartition("search_path=")[2].rstrip("'")

    rows = raw_sql_tables(conninfo)
    assert {(schema, "events"), (schema, "tickets"), (schema, "outbox")} == rows


def raw_sql_tables(conninfo: str) -> set[tuple[object, ...]]:
    """The tables of the connection's schema."""
    import psycopg

    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        ).fetchall()
    return set(rows)
