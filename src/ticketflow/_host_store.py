"""What the reference host stores, and the SQL both of its databases share.

Theory of operation: four tables, written together in one transaction per command.

- ``events`` is the truth: one row per event, keyed by ``(ticket_id, version)``, the
  event as a :mod:`ticketflow.codec` document (JSON text). Rows are only ever added.
- ``tickets`` is a cache: a snapshot of the ticket (a codec document) at ``version``,
  rewritten every :data:`SNAPSHOT_EVERY` events (encoding a ticket costs more than all
  the rest of a command), and ``due_at``, the instant :func:`ticketflow.next_due` named
  after the last event, in UTC microseconds since the epoch (an integer: indexed and
  compared the same in SQLite and PostgreSQL), rewritten by every command. A load
  folds the events after the snapshot onto it; a snapshot that is missing or cannot be
  read is rebuilt by replaying every event.
- ``outbox`` holds each notification an outcome caused, under a stable key, until a
  dispatcher has handed it to the host's sink.

An append checks, under the ticket's lock, that the stored stream ends at the version
the writer loaded: a stale writer gets :class:`ConcurrencyConflict` and its
transaction is rolled back, so nothing of a refused or conflicting command is stored.
The unique key on ``(ticket_id, version)`` backs that check up if two writers pass it at
once. A store is one connection: open one per thread or process.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final, Protocol, final

import attrs

from ticketflow import Ticket
from ticketflow._host_errors import ConcurrencyConflict, VersionGapError


@final
@attrs.frozen
class Row:
    """One stored document (an event or a snapshot) and the version it is at."""

    version: int
    document: str


@final
@attrs.frozen
class Stored:
    """What a store holds of one ticket: its snapshot, if any, and the events after it.

    Attributes:
        ticket_id: the ticket.
        snapshot: the snapshot row, or ``None`` if the ticket has none.
        later: the events after the snapshot's version (all of them without one), in
            version order; empty when the snapshot is up to date.
    """

    ticket_id: str
    snapshot: Row | None
    later: tuple[Row, ...]


@final
@attrs.frozen(kw_only=True)
class Message:
    """A notification waiting in the outbox.

    Attributes:
        key: the idempotency key, ``"<ticket id>/<event version>/<n>"``: the same
            notification always has the same key, so a sink that remembers the keys it
            has seen delivers each exactly once.
        ticket_id: the ticket the event belongs to.
        version: the event's version.
        recipient: whom to tell (an id).
        kind: how the recipient is reached (``requester``, ``assignee``, ``group``...).
        message: the message's name.
        event: the event, as a codec document (JSON text).
    """

    key: str
    ticket_id: str
    version: int
    recipient: str
    kind: str
    message: str
    event: str


@final
@attrs.frozen(kw_only=True)
class Change:
    """Everything one command writes, in one transaction.

    Attributes:
        ticket_id: the ticket.
        after: the version the writer loaded (0 for a new ticket).
        events: the new events, numbered on from ``after``.
        snapshot: the ticket after them, or ``None`` to keep the stored snapshot (it
            is then behind the events, which a load folds onto it).
        due_at: when its next time-driven rule falls due (UTC microseconds), or ``None``.
        messages: the notifications the events caused.
    """

    ticket_id: str
    after: int
    events: tuple[Row, ...]
    snapshot: Row | None
    due_at: int | None
    messages: tuple[Message, ...] = ()


SNAPSHOT_EVERY: Final = 16
"""A command rewrites the ticket's snapshot once this many events have followed it."""


@final
class RecentTickets:
    """The tickets last written through one connection, by id, so that the next load of
    an unchanged ticket decodes nothing (bounded: the oldest are forgotten first).

    A ticket's state at a version never changes (events are only added, and an append
    that lost a race is not remembered), so a remembered ticket is the stored one when
    the store's stream ends at its version."""

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._tickets: OrderedDict[str, Ticket] = OrderedDict()

    def recall(self, ticket_id: str, version: int) -> Ticket | None:
        ticket = self._tickets.get(ticket_id)
        if ticket is None or ticket.version != version:
            return None
        self._tickets.move_to_end(ticket_id)
        return ticket

    def remember(self, ticket: Ticket) -> None:
        self._tickets[ticket.id] = ticket
        self._tickets.move_to_end(ticket.id)
        if len(self._tickets) > self._limit:
            self._tickets.popitem(last=False)

    def forget(self) -> None:
        self._tickets.clear()


class Store(Protocol):
    """What the host functions (:func:`ticketflow.host.execute`, ``sweep``, ``dispatch``)
    need of a database: :class:`SqliteStore` and :class:`PostgresStore` are two."""

    @property
    def recent(self) -> RecentTickets:
        """The tickets last written through this connection."""

    def read(self, ticket_id: str) -> Stored | None:
        """The ticket's snapshot and any events after it, or ``None`` if it has neither."""

    def events(self, ticket_id: str) -> tuple[Row, ...]:
        """Every stored event of the ticket, in version order."""

    def append(self, change: Change) -> None:
        """Store ``change`` in one transaction, or nothing of it.

        Raises:
            ConcurrencyConflict: the stream no longer ends at ``change.after``.
            VersionGapError: the events do not follow ``change.after`` one by one, or the
                stream ends before ``change.after``.
        """

    def claim_due(
        self, now: int, limit: int, work: Callable[[tuple[Stored, ...]], Sequence[Change]]
    ) -> int:
        """In one transaction: claim up to ``limit`` tickets due at ``now`` (UTC
        microseconds) that no other sweeper holds, store what ``work`` makes of them, and
        return how many were claimed."""

    def deliver(self, limit: int, send: Callable[[Message], None]) -> int:
        """Hand up to ``limit`` undelivered messages to ``send`` in outbox order, marking
        each delivered once ``send`` returns; the number delivered."""

    def ticket_ids(self) -> tuple[str, ...]:
        """Every ticket with an event, sorted."""

    def close(self) -> None:
        """Close the connection."""


def check_versions(change: Change) -> None:
    """Refuse a change whose events do not number on from ``after`` one by one."""
    expected = change.after
    for row in change.events:
        expected += 1
        if row.version != expected:
            raise VersionGapError(change.ticket_id, expected - 1, row.version)
    if change.snapshot is not None and change.snapshot.version != expected:
        raise VersionGapError(change.ticket_id, expected, change.snapshot.version)


class Cursor(Protocol):
    """The part of a DB-API cursor (sqlite3's and psycopg's) the stores use."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def executemany(self, query: Any, params: Any, /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SqlStore:
    """The store over one DB-API connection; a dialect supplies what differs.

    Queries are written with ``?`` placeholders; :meth:`sql` turns them into the
    dialect's.
    """

    # What the dialects set.
    begin_write = "BEGIN"
    skip_locked = ""  # appended to the claiming queries
    lock_ticket: str | None = None  # locks the ticket row before an append
    unique_violation: tuple[type[BaseException], ...] = ()

    def __init__(self, cursor: Cursor) -> None:
        self._cursor = cursor
        self._recent = RecentTickets()

    @property
    def recent(self) -> RecentTickets:
        return self._recent

    def sql(self, query: str) -> str:
        return query

    def _run(self, query: str, params: Sequence[object] = ()) -> Cursor:
        self._cursor.execute(self.sql(query), params)
        return self._cursor

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._run(self.begin_write)
        try:
            yield
        except BaseException:
            self._run("ROLLBACK")
            raise
        self._run("COMMIT")

    def read(self, ticket_id: str) -> Stored | None:
        found = self._run(
            "SELECT version, document FROM tickets WHERE ticket_id = ?", (ticket_id,)
        ).fetchone()
        snapshot = None if found is None else Row(found[0], found[1])
        later = self._later(ticket_id, 0 if snapshot is None else snapshot.version)
        if snapshot is None and not later:
            return None
        return Stored(ticket_id, snapshot, later)

    def _later(self, ticket_id: str, version: int) -> tuple[Row, ...]:
        rows = self._run(
            "SELECT version, document FROM events WHERE ticket_id = ? AND version > ? "
            "ORDER BY version",
            (ticket_id, version),
        ).fetchall()
        return tuple(Row(v, d) for v, d in rows)

    def events(self, ticket_id: str) -> tuple[Row, ...]:
        return self._later(ticket_id, 0)

    def ticket_ids(self) -> tuple[str, ...]:
        rows = self._run("SELECT DISTINCT ticket_id FROM events ORDER BY ticket_id").fetchall()
        return tuple(r[0] for r in rows)

    def append(self, change: Change) -> None:
        check_versions(change)
        with self._transaction():
            self._write(change)

    def _write(self, change: Change) -> None:
        ticket_id = change.ticket_id
        if self.lock_ticket is not None:
            self._run(self.lock_ticket, (ticket_id,))
        (stored,) = self._run(
            "SELECT coalesce(max(version), 0) FROM events WHERE ticket_id = ?", (ticket_id,)
        ).fetchone()
        if stored > change.after:
            raise ConcurrencyConflict(ticket_id, change.after, stored)
        if stored < change.after:
            raise VersionGapError(ticket_id, stored, change.after + 1)
        try:
            self._cursor.executemany(
                self.sql("INSERT INTO events (ticket_id, version, document) VALUES (?, ?, ?)"),
                [(ticket_id, row.version, row.document) for row in change.events],
            )
        except self.unique_violation:
            # Another writer passed the check at the same moment and committed first.
            raise ConcurrencyConflict(ticket_id, change.after, change.after + 1) from None
        snapshot = change.snapshot
        if snapshot is not None:
            self._run(
                "INSERT INTO tickets (ticket_id, version, document, due_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (ticket_id) DO UPDATE SET version = excluded.version, "
                "document = excluded.document, due_at = excluded.due_at",
                (ticket_id, snapshot.version, snapshot.document, change.due_at),
            )
        elif (
            self._run(
                "UPDATE tickets SET due_at = ? WHERE ticket_id = ?", (change.due_at, ticket_id)
            ).rowcount
            != 1
        ):
            # The snapshot row went away under this writer (a repair): reload, which
            # writes a new one.
            raise ConcurrencyConflict(ticket_id, change.after, change.after)
        if change.messages:
            self._cursor.executemany(
                self.sql(
                    "INSERT INTO outbox (key, ticket_id, version, recipient, kind, message, "
                    "event) VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                [
                    (m.key, m.ticket_id, m.version, m.recipient, m.kind, m.message, m.event)
                    for m in change.messages
                ],
            )

    def claim_due(
        self, now: int, limit: int, work: Callable[[tuple[Stored, ...]], Sequence[Change]]
    ) -> int:
        with self._transaction():
            rows = self._run(
                "SELECT ticket_id, version, document FROM tickets "
                "WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?"
                + self.skip_locked,
                (now, limit),
            ).fetchall()
            claimed = tuple(Stored(t, Row(v, d), self._later(t, v)) for t, v, d in rows)
            for change in work(claimed):
                check_versions(change)
                self._write(change)
        return len(claimed)

    def deliver(self, limit: int, send: Callable[[Message], None]) -> int:
        # The claimed rows stay locked while they are sent, so that dispatchers running
        # at once hand over different messages (on SQLite: one at a time).
        self._run(self.begin_write)
        try:
            rows = self._run(
                "SELECT seq, key, ticket_id, version, recipient, kind, message, event "
                "FROM outbox WHERE NOT delivered ORDER BY seq LIMIT ?" + self.skip_locked,
                (limit,),
            ).fetchall()
        except BaseException:
            self._run("ROLLBACK")
            raise
        done: list[int] = []
        try:
            for seq, key, ticket_id, version, recipient, kind, message, event in rows:
                send(
                    Message(
                        key=key,
                        ticket_id=ticket_id,
                        version=version,
                        recipient=recipient,
                        kind=kind,
                        message=message,
                        event=event,
                    )
                )
                done.append(seq)
        finally:
            # What was handed over stays delivered even when a later send fails.
            try:
                if done:
                    self._cursor.executemany(
                        self.sql("UPDATE outbox SET delivered = TRUE WHERE seq = ?"),
                        [(seq,) for seq in done],
                    )
            except BaseException:
                self._run("ROLLBACK")
                raise
            self._run("COMMIT")
        return len(done)
