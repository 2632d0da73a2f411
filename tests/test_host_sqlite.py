"""The SQLite store (``_host_sqlite.py``): one real file in WAL mode, its tables created
once, what it stored still there when the file is opened again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from host_scenarios import open_ticket
from ticketflow.host import SqliteStore, load


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    """Given a new store file, when it is opened, then its journal is the write-ahead log."""
    SqliteStore.open(tmp_path / "desk.db").close()

    with sqlite3.connect(tmp_path / "desk.db") as connection:
        assert ("wal",) == connection.execute("PRAGMA journal_mode").fetchone()
    connection.close()


def test_a_reopened_file_holds_what_was_stored(tmp_path: Path) -> None:
    """Given a ticket stored and the store closed, when the file is opened again (its
    tables already there), then the ticket loads as it was."""
    store = SqliteStore.open(tmp_path / "desk.db")
    open_ticket(store)
    ticket = load(store, "T-1")
    store.close()

    again = SqliteStore.open(tmp_path / "desk.db")
    assert ticket is not None
    assert ticket == load(again, "T-1")
    again.close()


def test_the_tables_are_the_hosts(tmp_path: Path) -> None:
    """The file holds the three tables the host writes and nothing else of its own."""
    SqliteStore.open(tmp_path / "desk.db").close()

    with sqlite3.connect(tmp_path / "desk.db") as connection:
        names = {
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    connection.close()
    assert {"events", "tickets", "outbox"} == names
