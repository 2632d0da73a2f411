"""The host's work over a store: load by replay, execute a command, sweep, dispatch.

Each function is a thin loop around the pure core: the store does the I/O, the core
(``handle``, ``tick``, ``next_due``, ``notifications``) decides, and what a command
changes is written as one :class:`Change` in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final, final

import attrs

from ticketflow import (
    Command,
    Desk,
    Event,
    EventStreamError,
    InvalidCommandError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OpenTicket,
    Outcome,
    Ticket,
    TicketflowError,
    evolve,
    handle,
    next_due,
    notifications,
    replay,
    tick,
)
from ticketflow._checks import LARGEST_INT
from ticketflow._errors import quoted
from ticketflow._host_errors import ConcurrencyConflict, CorruptEventError
from ticketflow._host_store import SNAPSHOT_EVERY, Change, Message, Row, Store, Stored
from ticketflow.codec import DocumentError, event_from_document, ticket_from_document, to_document

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


def microseconds(at: datetime) -> int:
    """An aware instant as UTC microseconds since the epoch (how ``due_at`` is stored).

    >>> microseconds(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
    1000000
    """
    if not isinstance(at, datetime):
        raise InvalidTypeError("the instant", "an aware datetime", at)
    if at.utcoffset() is None:
        raise NaiveDatetimeError("the instant", at)
    return (at - _EPOCH) // _MICROSECOND


def _json(value: object) -> str:
    return json.dumps(to_document(value), separators=(",", ":"), allow_nan=False)


def _event(ticket_id: str, row: Row) -> Event:
    try:
        event = event_from_document(json.loads(row.document))
    except (ValueError, TypeError) as error:  # DocumentError is a ValueError, as is bad JSON
        why = str(error) if isinstance(error, DocumentError) else f"not JSON: {error}"
        raise CorruptEventError(ticket_id, row.version, why) from error
    if event.ticket_id != ticket_id or event.version != row.version:
        raise CorruptEventError(
            ticket_id,
            row.version,
            f"the document is version {event.version} of ticket {quoted(event.ticket_id)}",
        )
    return event


def _snapshot(row: Row) -> Ticket | None:
    """The snapshot's ticket, or ``None`` when it cannot be read (it is rebuilt then)."""
    try:
        ticket = ticket_from_document(json.loads(row.document))
    except (ValueError, TypeError):
        return None
    return ticket if ticket.version == row.version else None


def load(store: Store, ticket_id: str) -> Ticket | None:
    """The ticket ``ticket_id`` as stored, or ``None`` if the store has no such ticket.

    The events after the snapshot are folded onto it; a snapshot that is missing or
    cannot be read is rebuilt by replaying every event (the next append stores it).
    A ticket this connection wrote last, unchanged since, is not decoded again.

    Raises:
        CorruptEventError: a stored event cannot be read, or the events are not one
            stream (the error names the ticket and the version).
    """
    stored = store.read(ticket_id)
    return None if stored is None else _ticket(store, stored)


def _ticket(store: Store, stored: Stored) -> Ticket:
    return _loaded(store, stored)[0]


def _loaded(store: Store, stored: Stored) -> tuple[Ticket, int]:
    """The ticket ``stored`` holds, and the version of its readable snapshot (0 when it
    has none, so that the next change writes one)."""
    ticket_id = stored.ticket_id
    snapshot = stored.snapshot
    at = 0 if snapshot is None else snapshot.version
    latest = stored.later[-1].version if stored.later else at
    recalled = store.recent.recall(ticket_id, latest)
    if recalled is not None:
        return recalled, at
    if snapshot is not None:
        base = _snapshot(snapshot)
        if base is not None and base.id == ticket_id:
            return _folded(ticket_id, base, stored.later), at
    return rebuild(ticket_id, stored.later if snapshot is None else store.events(ticket_id)), 0


def _folded(ticket_id: str, ticket: Ticket, rows: tuple[Row, ...]) -> Ticket:
    """``ticket`` with the events of ``rows`` recorded on it, checked one by one."""
    for row in rows:
        event = _event(ticket_id, row)
        if event.version != ticket.version + 1:
            raise CorruptEventError(
                ticket_id, row.version, f"it follows version {ticket.version} with a gap"
            )
        try:
            ticket = evolve(ticket, event)
        except TicketflowError as error:
            raise CorruptEventError(ticket_id, row.version, str(error)) from error
    return ticket


def rebuild(ticket_id: str, rows: tuple[Row, ...]) -> Ticket:
    """The replay of a ticket's stored events.

    Raises:
        CorruptEventError: an event cannot be read, or the events are not one stream.
    """
    events = [_event(ticket_id, row) for row in rows]
    try:
        return replay(events)
    except EventStreamError as error:
        version = next(
            (row.version for n, row in enumerate(rows, 1) if row.version != n),
            rows[-1].version if rows else 0,
        )
        raise CorruptEventError(ticket_id, version, error.what) from error


def change_of(
    desk: Desk, before: Ticket | None, outcome: Outcome, *, snapshot_version: int = 0
) -> Change:
    """What storing ``outcome`` (of a command on ``before``) writes.

    Args:
        desk: the desk that handled the command.
        before: the ticket as loaded (``None`` for a new one).
        outcome: what handling the command gave.
        snapshot_version: the version of the snapshot the store holds (0 for none): the
            change rewrites it once :data:`SNAPSHOT_EVERY` events have followed it.
    """
    ticket = outcome.ticket
    due = next_due(desk, ticket)
    documents = {e.version: _json(e) for e in outcome.events}
    messages: list[Message] = []
    counts: dict[int, int] = {}
    for notice in notifications(desk, outcome):
        version = notice.event.version
        n = counts[version] = counts.get(version, 0) + 1
        messages.append(
            Message(
                key=f"{ticket.id}/{version}/{n}",
                ticket_id=ticket.id,
                version=version,
                recipient=notice.recipient,
                kind=notice.kind,
                message=notice.message,
                event=documents.get(version) or _json(notice.event),
            )
        )
    snapshot = (
        Row(ticket.version, _json(ticket))
        if snapshot_version == 0 or ticket.version - snapshot_version >= SNAPSHOT_EVERY
        else None
    )
    return Change(
        ticket_id=ticket.id,
        after=0 if before is None else before.version,
        events=tuple(Row(v, d) for v, d in documents.items()),
        snapshot=snapshot,
        due_at=None if due is None else microseconds(due),
        messages=tuple(messages),
    )


DEFAULT_ATTEMPTS: Final = 5
"""How many times :func:`execute` handles a command before it gives up on conflicts."""


def execute(
    store: Store,
    desk: Desk,
    ticket_id: str,
    command: Command,
    *,
    attempts: int = DEFAULT_ATTEMPTS,
) -> Outcome:
    """Load the ticket, handle ``command``, store the outcome: one transaction.

    A follow-up (an :class:`ticketflow.OpenTicket` naming a ``parent_id``) is handled
    with its parent loaded from the store, as ``handle(..., parent=...)`` needs it
    (``None`` when the store holds no such ticket, which the desk then refuses a
    requester). When another writer appended first, the ticket is reloaded and the
    command handled again, up to ``attempts`` times in all. A command the reloaded ticket refuses is
    refused: nothing of it is stored. A command that changes nothing stores nothing.

    Args:
        store: where the ticket lives.
        desk: its workflow and policies.
        ticket_id: the ticket (for :class:`ticketflow.OpenTicket`, the id it opens).
        command: what to do.
        attempts: how many times to try at most (1 or more).

    Returns:
        The outcome that was stored.

    Raises:
        CommandRefusedError: the desk refuses the command on the current ticket, or
            an OpenTicket opens another ticket than ``ticket_id`` (InvalidCommandError).
        ConcurrencyConflict: other writers won every one of the ``attempts``.
        CorruptEventError: a stored event of the ticket cannot be read.
    """
    if type(attempts) is not int or attempts < 1:
        raise InvalidValueError(
            f"attempts is {quoted(attempts)}", "give a whole number of attempts, 1 or more"
        )
    if type(command) is OpenTicket and command.ticket_id != ticket_id:
        raise InvalidCommandError(
            f"the OpenTicket opens {quoted(command.ticket_id)}, but it is executed as "
            f"ticket {quoted(ticket_id)}",
            "execute it as the ticket it opens",
        )
    conflict: ConcurrencyConflict | None = None
    for _ in range(attempts):
        stored = store.read(ticket_id)
        ticket, version = (None, 0) if stored is None else _loaded(store, stored)
        outcome = handle(desk, ticket, command, parent=_parent(store, command))
        if not outcome.events:
            return outcome
        change = change_of(desk, ticket, outcome, snapshot_version=version)
        try:
            store.append(change)
        except ConcurrencyConflict as error:
            conflict = error
            continue
        store.recent.remember(outcome.ticket)
        return outcome
    assert conflict is not None
    raise conflict


def _parent(store: Store, command: Command) -> Ticket | None:
    """The stored parent a follow-up names, or ``None`` (no follow-up, no such ticket)."""
    if type(command) is not OpenTicket or command.parent_id is None:
        return None
    stored = store.read(command.parent_id)
    return None if stored is None else _loaded(store, stored)[0]


@final
@attrs.frozen
class SweepFailure:
    """A due ticket the sweep could not tick: it stays due, untouched."""

    ticket_id: str
    error: TicketflowError


@final
@attrs.frozen(kw_only=True)
class SweepReport:
    """What one :func:`sweep` did.

    Attributes:
        claimed: how many due tickets it claimed.
        events: how many events the rules that fired appended, in all.
        failures: the claimed tickets it left as they were, each with why.
        more_due: it claimed a full batch and swept some of it: more tickets may be
            due (a batch of failures alone says no, so a loop on it ends).
    """

    claimed: int
    events: int
    failures: tuple[SweepFailure, ...] = ()
    more_due: bool = False


def sweep(store: Store, desk: Desk, now: datetime, *, limit: int = 500) -> SweepReport:
    """Fire every time-driven rule due by ``now`` on up to ``limit`` tickets.

    The tickets are claimed, ticked, appended and re-armed in one transaction: sweepers
    running at once claim different tickets (PostgreSQL skips the locked ones, SQLite
    runs one at a time), and a sweep that dies before it commits leaves its tickets
    due for the next one, so every due rule fires exactly once. Call it again while
    the report says ``more_due``.

    Raises:
        NaiveDatetimeError: ``now`` has no time zone.
        InvalidValueError: ``limit`` is not a whole number of at least 1.
    """
    until = microseconds(now)
    _require_limit(limit, "tickets")
    events = 0
    failures: list[SweepFailure] = []
    swept: list[Ticket] = []

    def work(claimed: tuple[Stored, ...]) -> list[Change]:
        nonlocal events
        changes = []
        for stored in claimed:
            try:
                ticket, version = _loaded(store, stored)
                outcome = tick(desk, ticket, now)
            except TicketflowError as error:
                failures.append(SweepFailure(stored.ticket_id, error))
                continue
            events += len(outcome.events)
            swept.append(outcome.ticket)
            changes.append(change_of(desk, ticket, outcome, snapshot_version=version))
        return changes

    claimed = store.claim_due(until, limit, work)
    for ticket in swept:  # committed
        store.recent.remember(ticket)
    return SweepReport(
        claimed=claimed,
        events=events,
        failures=tuple(failures),
        more_due=claimed == limit and len(failures) < limit,
    )


def _require_limit(limit: object, of: str) -> None:
    if type(limit) is not int or not 1 <= limit <= LARGEST_INT:  # what SQL's INTEGER holds
        raise InvalidValueError(
            f"limit is {quoted(limit)}", f"give a number of {of} from 1 to {LARGEST_INT:,}"
        )


def dispatch(store: Store, send: Callable[[Message], None], *, limit: int = 500) -> int:
    """Hand waiting notifications to ``send``, oldest first; how many were handed over.

    Delivery is at least once: a message is marked delivered after ``send`` returns,
    so a dispatcher that dies in between hands it over again. ``Message.key`` is the
    same every time: a sink that keeps the keys it has seen delivers exactly once. If
    ``send`` raises, the messages before it stay delivered and the error propagates.
    """
    _require_limit(limit, "messages")
    return store.deliver(limit, send)
