"""The reference host's store on PostgreSQL (psycopg 3): many writers, many sweepers.

The connection runs in autocommit mode and each command is one explicit transaction
at ``READ COMMITTED``. An append first locks the ticket's snapshot row (``FOR
UPDATE``), so a writer and a sweeper holding the same ticket queue up instead of
deadlocking on each other's uncommitted events; the version check then sees every
committed event. A sweep claims due tickets with ``FOR UPDATE SKIP LOCKED``: sweepers
running at once claim different tickets and none waits for another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, final

from ticketflow._host_store import SqlStore

if TYPE_CHECKING:
    import psycopg

_SCHEMA = """
SELECT pg_advisory_xact_lock(7215046129);
CREATE TABLE IF NOT EXISTS events (
    ticket_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (ticket_id, version)
);
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    document TEXT NOT NULL,
    due_at BIGINT
);
CREATE INDEX IF NOT EXISTS tickets_due_at ON tickets (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS outbox (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    ticket_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    event TEXT NOT NULL,
    delivered BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (seq) WHERE NOT delivered;
"""


@final
class PostgresStore(SqlStore):
    """The host's tables in a PostgreSQL database, for several worker processes.

    Open it with :meth:`connect`; it is one connection, for one thread.
    """

    skip_locked = " FOR UPDATE SKIP LOCKED"
    lock_ticket = "SELECT 1 FROM tickets WHERE ticket_id = ? FOR UPDATE"

    def __init__(self, connection: psycopg.Connection[tuple[object, ...]]) -> None:
        import psycopg  # noqa: PLC0415 (the postgres extra: SQLite users need not have it)

        super().__init__(connection.cursor())
        self._connection = connection
        self.unique_violation = (psycopg.errors.UniqueViolation,)

    @classmethod
    def connect(cls, conninfo: str) -> PostgresStore:
        """The store in the database ``conninfo`` names, its tables created if missing.

        Args:
            conninfo: a libpq connection string or URI, e.g.
                ``"postgresql://ticketflow@db.example/desk"``.

        Raises:
            psycopg.OperationalError: the server cannot be reached.
        """
        import psycopg  # noqa: PLC0415 (the postgres extra: SQLite users need not have it)

        connection = psycopg.connect(conninfo, autocommit=True)
        (ready,) = connection.execute("SELECT to_regclass('outbox') IS NOT NULL").fetchone() or (
            False,
        )
        if not ready:  # the first connection creates the tables, the others wait for it
            with connection.transaction():
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    connection.execute(statement)
        return cls(connection)

    def sql(self, query: str) -> str:
        return query.replace("?", "%s")

    def close(self) -> None:
        self._connection.close()
