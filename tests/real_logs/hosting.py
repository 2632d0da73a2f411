"""A log replayed as a host runs a desk: its timers swept, and the log's closes compared.

:func:`host_replay` runs the documented host loop over one case's commands: before each
command it sweeps the due timers (:func:`ticketflow.tick`) at the instants the host's
sweep would run, then handles the command. When a timer closes the ticket and the log's
next command is the log's own close (the row the desk's job wrote), that row is the
same close: it is compared with what ticketflow did (a :class:`Close`) and not handled
again. A log's close of a ticket ticketflow holds open is a :class:`Close` too, with no
sweep; one of a ticket ticketflow already holds closed (the log went on after a close
ticketflow keeps) is handled like any row. A refused command is recorded and skipped, as
a host would reject that row.

The sweep's cadence is the host's concern, not the desk's: a desk says when a timer
falls due, and the host decides when it looks. :func:`punctual` sweeps at every due
instant (a host arming one timer per ticket at :func:`ticketflow.next_due`),
:func:`hourly` on the hour (a job run every hour), :func:`nightly` once a day at a wall
time in a zone (a batch run every night). :func:`ticketflow.tick` stamps each event at
the instant its rule fell due, so the sweep's instant is kept beside it
(:attr:`Close.swept`): that is when the job ran, which is what a log written by the
job records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ticketflow import (
    Category,
    Command,
    CommandRefusedError,
    Desk,
    Event,
    StatusChanged,
    Ticket,
    handle,
    next_due,
    tick,
)

__all__ = ["Cadence", "Close", "Hosted", "host_replay", "hourly", "nightly", "punctual"]

Cadence = Callable[[datetime], datetime]
"""The host's sweep: the first instant at or after a due instant at which it runs."""


def punctual(due: datetime) -> datetime:
    """A host that sweeps at every due instant (one timer per ticket at ``next_due``).

    >>> at = datetime(2013, 3, 2, 9, 30, 15, tzinfo=UTC)
    >>> punctual(at) == at
    True
    """
    return due


def hourly(due: datetime) -> datetime:
    """A job run on every hour (at minute 0 of every UTC hour, which is every local
    hour in a zone whose offsets are whole hours).

    >>> hourly(datetime(2016, 3, 2, 9, 30, tzinfo=UTC)).isoformat()
    '2016-03-02T10:00:00+00:00'
    >>> hourly(datetime(2016, 3, 2, 9, 0, tzinfo=UTC)).isoformat()
    '2016-03-02T09:00:00+00:00'
    """
    start = due.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return start if start == due else start + timedelta(hours=1)


def nightly(wall: time, zone: str) -> Cadence:
    """A batch run once a day at the wall time ``wall`` in ``zone``.

    >>> run = nightly(time(2, 30), "Europe/Brussels")
    >>> run(datetime(2012, 3, 23, 14, 0, tzinfo=UTC)).isoformat()
    '2012-03-24T02:30:00+01:00'
    >>> run(datetime(2012, 3, 24, 14, 0, tzinfo=UTC)).isoformat()  # 02:30 is in the gap
    '2012-03-25T03:30:00+02:00'
    """
    tz = ZoneInfo(zone)

    def sweep(due: datetime) -> datetime:
        local = due.astimezone(tz)
        run = datetime.combine(local.date(), wall, tzinfo=tz)
        if run < due:
            run = datetime.combine(local.date() + timedelta(days=1), wall, tzinfo=tz)
        # A wall time in a DST gap is read forward by the round trip through UTC.
        return run.astimezone(UTC).astimezone(tz)

    return sweep


class Close(NamedTuple):
    """One of the log's closes, beside what ticketflow did before it.

    Attributes:
        case: the ticket's id.
        since: when the ticket entered the status it was closed from.
        due: the instant ticketflow's timer closed it (its event's ``at``), or the
            instant it was due when the log's close came first (``None``: no timer was
            pending).
        swept: the host's sweep that closed it (``None``: the log's close came first).
        logged: the log's close.
        command: the log's close command (its actor says who closed it in the log).
    """

    case: str
    since: datetime
    due: datetime | None
    swept: datetime | None
    logged: datetime
    command: Command


class Hosted(NamedTuple):
    """What a desk made of one case's commands under the host loop."""

    ticket: Ticket
    events: tuple[Event, ...]
    refusals: tuple[tuple[Command, CommandRefusedError], ...]
    closes: tuple[Close, ...]


def host_replay(
    desk: Desk,
    commands: Iterable[Command],
    *,
    is_close: Callable[[Command], bool],
    cadence: Cadence = punctual,
) -> Hosted:
    """Replay one case's commands as a host does, sweeping timers at ``cadence``.

    Args:
        desk: the desk.
        commands: the case's commands, in the log's order (the first opens it).
        is_close: whether a command is the log's close of the ticket.
        cadence: the host's sweep (default :func:`punctual`).
    """
    ticket: Ticket | None = None
    events: list[Event] = []
    refusals: list[tuple[Command, CommandRefusedError]] = []
    closes: list[Close] = []
    swept_close: tuple[datetime, datetime, datetime] | None = None  # since, due, swept
    for command in commands:
        if ticket is not None:
            ticket, fired, closed = _sweep(desk, ticket, command.at, cadence)
            events.extend(fired)
            if closed is not None:
                swept_close = closed
        if ticket is not None and is_close(command):
            if swept_close is not None and desk.workflow.category(ticket.status) == Category.CLOSED:
                since, due, swept = swept_close
                closes.append(Close(ticket.id, since, due, swept, command.at, command))
                swept_close = None
                continue
            if desk.workflow.category(ticket.status) != Category.CLOSED:
                # The log closes what ticketflow holds open: the log's close came first.
                pending = next_due(desk, ticket)
                closes.append(
                    Close(ticket.id, ticket.status_since, pending, None, command.at, command)
                )
        try:
            outcome = handle(desk, ticket, command)
        except CommandRefusedError as refusal:
            refusals.append((command, refusal))
            continue
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None, "the case's OpenTicket was refused"
    return Hosted(ticket, tuple(events), tuple(refusals), tuple(closes))


def _sweep(
    desk: Desk, ticket: Ticket, now: datetime, cadence: Cadence
) -> tuple[Ticket, list[Event], tuple[datetime, datetime, datetime] | None]:
    """Every sweep of the host up to ``now``: the ticket, the events, and the timer's close
    (status since, due, swept) if one closed it."""
    fired: list[Event] = []
    closed: tuple[datetime, datetime, datetime] | None = None
    while True:
        due = next_due(desk, ticket)
        if due is None:
            break
        run = cadence(due)
        if run > now:
            break
        since = ticket.status_since
        outcome = tick(desk, ticket, run)
        ticket = outcome.ticket
        fired.extend(outcome.events)
        for event in outcome.events:
            if isinstance(event, StatusChanged) and event.category == Category.CLOSED:
                closed = (since, event.at, run)
        if not outcome.events:
            break
    return ticket, fired, closed
