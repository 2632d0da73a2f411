"""The reference host: ticketflow's tickets stored on SQLite or PostgreSQL.

The core is pure: it decides and records, and leaves storage to the host. This module
is that host, written once, safely: an append-only event table keyed by ticket and
version, a snapshot table with the next due instant, and an outbox of notifications,
written together in one transaction per command; optimistic concurrency with bounded
retries; a sweep that any number of processes may run at once; recovery by replay.
``docs/embedding.md`` walks through it. The PostgreSQL store needs the ``postgres``
extra (psycopg 3); nothing of ticketflow's core imports this module.

>>> import tempfile, pathlib
>>> from datetime import datetime, timezone
>>> from ticketflow import Actor, OpenTicket
>>> from ticketflow.presets import support_portal
>>> desk = support_portal.desk()
>>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
>>> with tempfile.TemporaryDirectory() as folder:
...     store = SqliteStore.open(pathlib.Path(folder) / "desk.db")
...     opened = execute(store, desk, "T-1", OpenTicket(
...         actor=Actor.customer("alice"), at=at, ticket_id="T-1", subject="No dial tone"))
...     print(load(store, "T-1") == opened.ticket, [r.version for r in store.events("T-1")])
...     store.close()
True [1, 2, 3]
"""

from ticketflow._host_errors import ConcurrencyConflict, CorruptEventError, VersionGapError
from ticketflow._host_postgres import PostgresStore
from ticketflow._host_run import (
    DEFAULT_ATTEMPTS,
    SweepFailure,
    SweepReport,
    change_of,
    dispatch,
    execute,
    load,
    microseconds,
    rebuild,
    sweep,
)
from ticketflow._host_sqlite import SqliteStore
from ticketflow._host_store import (
    SNAPSHOT_EVERY,
    Change,
    Message,
    RecentTickets,
    Row,
    Store,
    Stored,
)

__all__ = [
    "Change",
    "ConcurrencyConflict",
    "CorruptEventError",
    "DEFAULT_ATTEMPTS",
    "Message",
    "PostgresStore",
    "RecentTickets",
    "Row",
    "SNAPSHOT_EVERY",
    "SqliteStore",
    "Store",
    "Stored",
    "SweepFailure",
    "SweepReport",
    "VersionGapError",
    "change_of",
    "dispatch",
    "execute",
    "load",
    "microseconds",
    "rebuild",
    "sweep",
]
