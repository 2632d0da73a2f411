"""The reference host's store on SQLite: one file, WAL mode, one writer at a time.

Every write transaction starts with ``BEGIN IMMEDIATE``, which takes the database's
write lock at once: the version check, the appends and the sweep's claim all happen
under it, so two writers never interleave and a sweep claims what nobody else writes.
Readers do not wait for writers (WAL). ``synchronous=NORMAL``: a committed command
survives the process crashing; the last commits before a power loss may not.
"""

from __future__ import annotations

import os
import sqlite3
from typing import final

from ticketflow._host_store import SqlStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    ticket_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (ticket_id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    due_at INTEGER
);
CREATE INDEX IF NOT EXISTS tickets_due_at ON tickets (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    ticket_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    event TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT FALSE
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE NOT delivered;
"""


@final
class SqliteStore(SqlStore):
    """The host's tables in one SQLite file (the embedded default).

    Open it with :meth:`open`; it is one connection, for one thread.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     store = SqliteStore.open(pathlib.Path(folder) / "desk.db")
    ...     print(store.read("T-1"), store.ticket_ids())
    ...     store.close()
    None ()
    """

    begin_write = "BEGIN IMMEDIATE"
    unique_violation = (sqlite3.IntegrityError,)

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__(connection.cursor())
        self._connection = connection

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, timeout: float = 60.0, durable: bool = False
    ) -> SqliteStore:
        """The store in the file at ``path``, its tables created if missing.

        Args:
            path: the database file (created if missing).
            timeout: how long, in seconds, a writer waits for another's lock.
            durable: sync the log on every commit (``synchronous=FULL``), so that a
                commit also survives a power loss; by default a commit survives the
                process, not the machine (``NORMAL``), and costs no disk flush.
        """
        connection = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=True
        )
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
        (ready,) = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
        ).fetchone()
        if not ready:  # the tables are created once, under the write lock
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} COMMIT;")
        return cls(connection)

    def close(self) -> None:
        self._connection.close()
