"""What-if replay: command streams run through a desk as a host runs it, and reported.

A host that runs a desk does one thing over and over (docs/embedding.md): before it
handles a ticket's command it sweeps the ticket's due timers up to the command's instant
(:func:`ticketflow.tick`), then it handles the command (:func:`ticketflow.handle`),
and it rejects a refused command. :func:`host` is that loop, over a stream of
:class:`Entry` values, and :func:`replay` folds what it made into a :class:`Report`:
tickets, commands accepted and refused (by refusal code, with examples), each SLA
metric's outcomes, the automatic closes and, where the stream marks the log's own closes,
the instants ticketflow predicted beside the logged ones. :func:`compare` lists the
tickets whose outcome differs between two reports of the same stream under two desks:
the question a desk asks before it changes a policy.

The sweep's cadence is the host's concern, not the desk's: a desk says when a timer
falls due, the host decides when it looks. :func:`punctual` sweeps at every due instant
(one timer per ticket armed at :func:`ticketflow.next_due`), :func:`hourly` on the hour,
:func:`nightly` once a day at a wall time in a zone; ``None`` never sweeps (only the
commands move the tickets). :func:`ticketflow.tick` stamps each event at the instant its
rule fell due, so the sweep's instant is kept beside it (:attr:`Close.swept`): a log
written by a job records when the job ran.

The stream (:func:`read_stream`, :func:`write_stream`) is JSON lines, one command per
line: ``{"ticket": ID, "command": DOCUMENT}``, where ``DOCUMENT`` is the command's
:func:`ticketflow.codec.to_document`, with ``"logged": "close"`` on a command that is the
log's own automatic close (the row the desk's job wrote): its instant is the logged one
that the replay's predicted close is compared with, and it is not handled again when a
sweep closed the ticket first. The module is pure: it reads and writes text, never a file,
and takes every instant as an argument.

>>> from datetime import datetime, timedelta, timezone
>>> from ticketflow import Actor, OpenTicket, PerformAction
>>> from ticketflow.presets import support_portal
>>> at = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
>>> stream = [
...     Entry("T-1", OpenTicket(actor=Actor.customer("ann"), at=at, ticket_id="T-1",
...                             subject="No dial tone")),
...     Entry("T-1", PerformAction(actor=Actor.agent("bob"), at=at + timedelta(hours=1),
...                                action="propose_resolution")),
...     Entry("T-1", PerformAction(actor=Actor.agent("bob"), at=at + timedelta(hours=2),
...                                action="fly")),
... ]
>>> report = replay(support_portal.desk(), stream)
>>> report.tickets, report.accepted, [(r.code, r.count) for r in report.refused]
(1, 2, [('unknown_action', 1)])
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Final, cast, final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ticketflow import (
    Category,
    ClockState,
    Command,
    CommandRefusedError,
    Desk,
    Event,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OpenTicket,
    OutOfRangeError,
    SlaBreached,
    StatusChanged,
    Ticket,
    TicketflowError,
)
from ticketflow._driver import advance, handled
from ticketflow._due_rules import due_rule
from ticketflow._instants import before, require_instant, utc
from ticketflow.codec import DocumentError, from_document, to_document

__all__ = [
    "EXAMPLES",
    "LOGGED_CLOSE",
    "Cadence",
    "Close",
    "Difference",
    "Entry",
    "Hosted",
    "Logged",
    "MetricOutcomes",
    "Refusals",
    "Report",
    "StreamError",
    "TicketOutcome",
    "compare",
    "host",
    "hourly",
    "nightly",
    "parse_sweep",
    "punctual",
    "read_stream",
    "replay",
    "report",
    "write_stream",
]

Cadence = Callable[[datetime], datetime]
"""The host's sweep: the first instant at or after a due instant at which it runs."""

LOGGED_CLOSE: Final = "close"
"""The annotation (``"logged": "close"``) of a command that is the log's own close."""

EXAMPLES: Final = 3
"""How many refused commands a report keeps as examples of each refusal code."""


class StreamError(TicketflowError, ValueError):
    """A line of a command stream is not an entry; ``line`` is its number (from 1)."""

    def __init__(self, line: int, what: str) -> None:
        self.line = line
        super().__init__(
            f"line {line}: {what}; write each line as "
            '{"ticket": ID, "command": DOCUMENT} (optionally "logged": "close"), '
            "e.g. with ticketflow.whatif.write_stream"
        )


# -- the host's cadences --------------------------------------------------------------


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

    Raises:
        NaiveDatetimeError: ``due`` has no time zone (as every instant ticketflow takes).
        OutOfRangeError: the next hour is past the year 9999.
    """
    if due.utcoffset() is None:  # read in the machine's own zone by astimezone
        raise NaiveDatetimeError("the due instant", due)
    at = due.astimezone(UTC)
    if at.minute or at.second or at.microsecond:
        return _later(at.replace(minute=0, second=0, microsecond=0), _HOUR)
    return at


def _later(at: datetime, step: timedelta) -> datetime:
    """``at + step``, or an OutOfRangeError past the year 9999."""
    try:
        return at + step
    except OverflowError:
        raise OutOfRangeError(
            f"the sweep after {at.isoformat()}", "it would fall after the year 9999"
        ) from None


def nightly(wall: time, zone: str) -> Cadence:
    """A batch run once a day at the wall time ``wall`` in ``zone``.

    Raises:
        InvalidTypeError: ``wall`` is not a ``datetime.time``.
        InvalidValueError: ``zone`` is not an IANA time zone.

    The cadence it returns raises NaiveDatetimeError for a naive instant, and
    OutOfRangeError for one after the last night's run of the year 9999.

    >>> run = nightly(time(2, 30), "Europe/Brussels")
    >>> run(datetime(2012, 3, 23, 14, 0, tzinfo=UTC)).isoformat()
    '2012-03-24T02:30:00+01:00'
    >>> run(datetime(2012, 3, 24, 14, 0, tzinfo=UTC)).isoformat()  # 02:30 is in the gap
    '2012-03-25T03:30:00+02:00'
    """
    if type(wall) is not time or wall.tzinfo is not None:
        raise InvalidTypeError("a nightly run's wall time", "a datetime.time without a zone", wall)
    tz = _zone(zone)

    def sweep(due: datetime) -> datetime:
        if due.utcoffset() is None:  # read in the machine's own zone by astimezone
            raise NaiveDatetimeError("the due instant", due)
        local = due.astimezone(tz)
        run = datetime.combine(local.date(), wall, tzinfo=tz)
        if before(run, due):  # exact in a repeated hour, where both carry the zone
            run = datetime.combine(_later(run, timedelta(days=1)).date(), wall, tzinfo=tz)
        # A wall time in a DST gap is read forward by the round trip through UTC.
        return run.astimezone(UTC).astimezone(tz)

    return sweep


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(
            f"the sweep's zone {name!r} is not an IANA time zone",
            "name one such as 'Europe/Brussels' or 'UTC'",
        ) from None


def parse_sweep(text: str) -> Cadence | None:
    """The cadence a sweep option names: ``due``, ``hourly``, ``nightly@HH:MM/ZONE`` or
    ``none`` (never sweep).

    Raises:
        InvalidValueError: ``text`` names no cadence, or its time or zone is not one.

    >>> parse_sweep("nightly@01:00/Europe/Brussels")(datetime(2012, 5, 1, 12, tzinfo=UTC))
    datetime.datetime(2012, 5, 2, 1, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/Brussels'))
    >>> parse_sweep("weekly")
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidValueError: the sweep 'weekly' is not a cadence; ...
    """
    named: Mapping[str, Cadence | None] = {"due": punctual, "hourly": hourly, "none": None}
    if text in named:
        return named[text]
    kind, _, rest = text.partition("@")
    wall, _, zone = rest.partition("/")
    if kind == "nightly" and zone:
        try:
            hh, mm = wall.split(":")
            at = time(int(hh), int(mm))
        except ValueError:
            raise InvalidValueError(
                f"the nightly sweep's time {wall!r} is not HH:MM",
                "write it as nightly@01:00/Europe/Brussels",
            ) from None
        return nightly(at, zone)
    raise InvalidValueError(
        f"the sweep {text!r} is not a cadence",
        "use due, hourly, none or nightly@HH:MM/ZONE (e.g. nightly@01:00/Europe/Brussels)",
    )


# -- the stream -----------------------------------------------------------------------


@final
@attrs.frozen
class Entry:
    """One line of a command stream: a command of ticket ``ticket``.

    Attributes:
        ticket: the id of the ticket the command is for.
        command: the command.
        logged_close: the command is the log's own close of the ticket (its instant is
            the logged close that the replay's prediction is compared with).
    """

    ticket: str
    command: Command
    logged_close: bool = False

    def __attrs_post_init__(self) -> None:
        if isinstance(self.command, OpenTicket) and self.command.ticket_id != self.ticket:
            raise InvalidValueError(
                f"the entry is for ticket {_short(self.ticket)} but its OpenTicket opens "
                f"{_short(self.command.ticket_id)}",
                "file the opening under the ticket it opens",
            )


def write_stream(entries: Iterable[Entry]) -> Iterator[str]:
    """Each entry as one line of JSON (without its newline).

    >>> from ticketflow import Actor, PerformAction
    >>> line, = write_stream([Entry("T-1", PerformAction(actor=Actor.agent("job"),
    ...     at=datetime(2026, 3, 9, tzinfo=UTC), action="close"), logged_close=True)])
    >>> line[:60]
    '{"ticket":"T-1","command":{"type":"PerformAction","actor":{"'
    >>> list(read_stream([line]))[0].logged_close
    True
    """
    for entry in entries:
        line: dict[str, object] = {"ticket": entry.ticket, "command": to_document(entry.command)}
        if entry.logged_close:
            line["logged"] = LOGGED_CLOSE
        yield json.dumps(line, separators=(",", ":"), allow_nan=False)


_LINE_KEYS: Final = frozenset({"ticket", "command", "logged"})
_COMMAND_TYPES: Final = frozenset(kind.__name__ for kind in typing.get_args(Command))


def read_stream(lines: Iterable[str]) -> Iterator[Entry]:
    """The entries of a command stream's lines; blank lines are skipped.

    Raises:
        StreamError: a line is not JSON, not an object of the keys ``ticket``,
            ``command`` and ``logged``, its command is no command's document, an
            ``OpenTicket`` opens another ticket than the line's, or its annotation is
            not ``"close"``.

    >>> list(read_stream(['{"ticket": "T-1"}']))
    Traceback (most recent call last):
    ...
    ticketflow.whatif.StreamError: line 1: the entry has no 'command'; ...
    """
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except (ValueError, RecursionError) as error:  # a line nested too deep, too
            raise StreamError(number, f"not JSON ({error})") from None
        if not isinstance(line, dict):
            raise StreamError(number, f"expected an object, got {_short(text)}")
        unknown = sorted(set(line) - _LINE_KEYS)
        if unknown:
            raise StreamError(number, f"{unknown[0]!r} is not a key of an entry")
        for key in ("ticket", "command"):
            if key not in line:
                raise StreamError(number, f"the entry has no {key!r}")
        ticket, document, logged = line["ticket"], line["command"], line.get("logged")
        if type(ticket) is not str or not ticket:
            raise StreamError(number, f"'ticket' must be a non-empty string, got {_short(ticket)}")
        if logged not in (None, LOGGED_CLOSE):
            raise StreamError(number, f"'logged' must be {LOGGED_CLOSE!r}, got {_short(logged)}")
        if not isinstance(document, dict) or document.get("type") not in _COMMAND_TYPES:
            kind = document.get("type") if isinstance(document, dict) else document
            raise StreamError(number, f"'command' must be a command's document, got {_short(kind)}")
        try:
            command = from_document(document)
        except DocumentError as error:
            raise StreamError(number, str(error).partition("; give")[0]) from error
        try:
            entry = Entry(ticket, cast(Command, command), logged is not None)
        except InvalidValueError as error:
            raise StreamError(number, error.what.replace("the entry", "the line")) from None
        yield entry


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


# -- the host loop --------------------------------------------------------------------


# -- the host loop --------------------------------------------------------------------


@final
@attrs.frozen
class Close:
    """One of the log's closes (an entry marked ``logged_close``), beside what the
    desk did before it.

    Attributes:
        case: the ticket's id.
        since: when the ticket entered the status it was closed from.
        due: the instant the desk's timer closed it (its event's ``at``), or the instant
            a timer was due when the log's close came first (``None``: none was pending).
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


@final
@attrs.frozen
class Hosted:
    """What a desk made of one ticket's commands under the host loop.

    Attributes:
        case: the ticket's id (the entries' ``ticket``).
        ticket: the ticket at the end (``None``: its opening was refused).
        events: every event, the sweeps' and the commands', in order.
        accepted: how many commands were accepted (a log's close that a sweep had
            already done counts as accepted).
        refusals: each refused command with its refusal, in order.
        closes: the log's closes, compared with the desk's.
    """

    case: str
    ticket: Ticket | None
    events: tuple[Event, ...]
    accepted: int
    refusals: tuple[tuple[Command, CommandRefusedError], ...]
    closes: tuple[Close, ...]


class _Case:
    """One ticket's state during :func:`host` (never returned: :class:`Hosted` is)."""

    __slots__ = ("accepted", "closes", "events", "refusals", "swept_close", "ticket")

    def __init__(self) -> None:
        self.accepted = 0
        self.ticket: Ticket | None = None
        self.events: list[Event] = []
        self.refusals: list[tuple[Command, CommandRefusedError]] = []
        self.closes: list[Close] = []
        self.swept_close: tuple[datetime, datetime, datetime] | None = None  # since, due, run


def host(
    desk: Desk,
    entries: Iterable[Entry],
    *,
    cadence: Cadence | None = punctual,
    until: datetime | None = None,
) -> tuple[Hosted, ...]:
    """Run the host loop over ``entries``: for each entry, sweep its ticket's timers up
    to the command's instant at ``cadence``, then handle the command; a refused command
    is recorded and skipped, as a host rejects it.

    A command marked ``logged_close`` is the log's close: when a sweep closed the ticket
    since, the two are one close (a :class:`Close` with its ``swept`` instant) and the
    command is not handled again; when the ticket is still open, the log's close came
    first (a :class:`Close` without one) and the command is handled.

    Args:
        desk: the desk.
        entries: the stream, in the log's order (each ticket's entries in time order).
        cadence: the host's sweep (default :func:`punctual`; ``None``: never sweep).
        until: when given, every ticket is swept once more up to this instant after the
            last entry (the end of the log), so timers due before it fire.

    Returns:
        One :class:`Hosted` per ticket, in the order of their first entries.

    >>> from ticketflow import Actor, OpenTicket
    >>> from ticketflow.presets import support_portal
    >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    >>> (hosted,) = host(support_portal.desk(), [Entry("T-1", OpenTicket(
    ...     actor=Actor.customer("ann"), at=at, ticket_id="T-1", subject="No dial tone"))])
    >>> hosted.ticket.status, hosted.accepted, hosted.refusals
    ('in_progress', 1, ())
    """
    if until is not None:
        require_instant("until", until)
    cases: dict[str, _Case] = {}
    for entry in entries:
        case = cases.get(entry.ticket)
        if case is None:
            case = cases[entry.ticket] = _Case()
        command = entry.command
        ticket = case.ticket
        pending: datetime | None = None  # the swept ticket's next_due
        if ticket is not None and cadence is not None:
            ticket, pending = _sweep(desk, case, ticket, command.at, cadence)
        if ticket is not None and entry.logged_close:
            closed = desk.workflow.category(ticket.status) == Category.CLOSED
            if closed and case.swept_close is not None:
                since, due, swept = case.swept_close
                case.closes.append(Close(entry.ticket, since, due, swept, command.at, command))
                case.swept_close = None
                case.ticket = ticket
                case.accepted += 1
                continue
            if not closed:
                case.closes.append(
                    Close(entry.ticket, ticket.status_since, pending, None, command.at, command)
                )
        try:
            case.ticket, events = handled(desk, ticket, command)
        except CommandRefusedError as refusal:
            case.refusals.append((command, refusal))
            case.ticket = ticket
            continue
        case.accepted += 1
        case.events.extend(events)
    if until is not None and cadence is not None:
        for case in cases.values():
            if case.ticket is not None and before(case.ticket.updated_at, until):
                case.ticket = _sweep(desk, case, case.ticket, until, cadence)[0]
    return tuple(
        Hosted(key, c.ticket, tuple(c.events), c.accepted, tuple(c.refusals), tuple(c.closes))
        for key, c in cases.items()
    )


def _sweep(
    desk: Desk, case: _Case, ticket: Ticket, now: datetime, cadence: Cadence
) -> tuple[Ticket, datetime | None]:
    """Every sweep of the host up to ``now``; a timer's close is kept on ``case``. The
    ticket after them, and its ``next_due`` (a later sweep's)."""
    rule = due_rule(desk, ticket)
    while rule is not None:
        due = rule[0]
        run = cadence(due)
        if before(now, run):
            return ticket, due
        since = ticket.status_since
        outcome, rule = advance(desk, ticket, utc(run), rule)
        ticket = outcome.ticket
        case.events.extend(outcome.events)
        for event in outcome.events:
            if isinstance(event, StatusChanged) and event.category == Category.CLOSED:
                case.swept_close = (since, event.at, run)
        if not outcome.events:
            return ticket, due  # nothing changed: the same rule is due
    return ticket, None


# -- the report -----------------------------------------------------------------------


@final
@attrs.frozen
class Refusals:
    """The commands refused with one refusal code, and the first few of them.

    Attributes:
        code: the refusal's ``code`` (``wrong_status``, ``closed``, ``stale``...).
        count: how many commands it refused.
        examples: up to :data:`EXAMPLES` of them, each ``"TICKET at INSTANT: message"``.
    """

    code: str
    count: int
    examples: tuple[str, ...]


@final
@attrs.frozen
class MetricOutcomes:
    """How one SLA metric ended on the replayed tickets.

    Attributes:
        metric: the metric's name.
        met: tickets whose clock stopped without a breach.
        breached: tickets whose clock breached its target (in any cycle).
        running: tickets whose clock still runs or is paused, unbreached.
    """

    metric: str
    met: int
    breached: int
    running: int


@final
@attrs.frozen
class Logged:
    """The log's closes beside the desk's predictions.

    Attributes:
        closes: the entries marked as the log's closes, where the ticket was open.
        predicted: those a sweep closed first (the desk predicted a close).
        first: those the log closed while the desk still held the ticket open.
        within_a_minute: predicted, the log's instant less than a minute after the sweep.
        within_an_hour: predicted, less than an hour after (the minute's included).
        within_a_day: predicted, less than a day after (the hour's included).
    """

    closes: int
    predicted: int
    first: int
    within_a_minute: int
    within_an_hour: int
    within_a_day: int


@final
@attrs.frozen
class TicketOutcome:
    """How one ticket ended, the part :func:`compare` compares.

    Attributes:
        ticket: the ticket's id.
        status: its last status (``""``: its opening was refused).
        closed_at: when it was closed (``None``: it is not closed).
        auto_closed: a time-driven rule closed it.
        breached: the metrics whose clock breached.
    """

    ticket: str
    status: str
    closed_at: datetime | None
    auto_closed: bool
    breached: frozenset[str]


@final
@attrs.frozen
class Report:
    """What a replay made of a stream under one desk.

    Attributes:
        tickets: how many tickets the stream holds.
        commands: how many commands it holds.
        accepted: commands handled (a log's close that a sweep had done is accepted).
        refused: the refused commands by code, most frequent first.
        sla: each SLA metric's outcomes, in the desk's order.
        auto_closes: closes by a time-driven rule.
        logged: the log's closes beside the desk's (``None``: the stream marks none).
        outcomes: each ticket's outcome, in the stream's order.
        closes: each of the log's closes, in the stream's order.
    """

    tickets: int
    commands: int
    accepted: int
    refused: tuple[Refusals, ...]
    sla: tuple[MetricOutcomes, ...]
    auto_closes: int
    logged: Logged | None
    outcomes: tuple[TicketOutcome, ...]
    closes: tuple[Close, ...]

    def to_document(self) -> dict[str, object]:
        """The report's figures as JSON-ready data (the outcomes and closes left out).

        >>> from ticketflow.presets import support_portal
        >>> replay(support_portal.desk(), []).to_document()["refused"]
        []
        """
        logged = self.logged
        return {
            "tickets": self.tickets,
            "commands": self.commands,
            "accepted": self.accepted,
            "refused": [
                {"code": r.code, "count": r.count, "examples": list(r.examples)}
                for r in self.refused
            ],
            "sla": [attrs.asdict(m) for m in self.sla],
            "auto_closes": self.auto_closes,
            "logged": None if logged is None else attrs.asdict(logged),
        }


_MINUTE: Final = timedelta(minutes=1)
_HOUR: Final = timedelta(hours=1)
_DAY: Final = timedelta(days=1)


def report(desk: Desk, hosted: Iterable[Hosted]) -> Report:
    """The report of what :func:`host` made of a stream under ``desk``.

    Args:
        desk: the desk the stream was hosted under (its SLA metrics name the outcomes).
        hosted: what :func:`host` returned.

    >>> from ticketflow.presets import support_portal
    >>> report(support_portal.desk(), ()).sla[0]
    MetricOutcomes(metric='first_response', met=0, breached=0, running=0)
    """
    metrics = [m.name for m in desk.sla.metrics]
    sla = {m: [0, 0, 0] for m in metrics}
    codes: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    tickets = accepted = auto_closes = 0
    outcomes: list[TicketOutcome] = []
    closes: list[Close] = []
    for h in hosted:
        tickets += 1
        accepted += h.accepted
        for command, refusal in h.refusals:
            code = refusal.code
            counts[code] = counts.get(code, 0) + 1
            examples = codes.setdefault(code, [])
            if len(examples) < EXAMPLES:
                examples.append(f"{h.case} at {command.at.isoformat()}: {refusal}")
        breached: set[str] = set()
        auto_closed = False
        for event in h.events:
            if isinstance(event, StatusChanged) and event.category == Category.CLOSED:
                auto_closed = bool(event.rule)
                auto_closes += auto_closed
            elif isinstance(event, SlaBreached):
                breached.add(event.clock.metric)
        ticket = h.ticket
        if ticket is not None:
            for clock in ticket.clocks:
                if clock.metric not in sla:
                    continue
                if clock.metric in breached:
                    sla[clock.metric][1] += 1
                elif clock.state == ClockState.STOPPED:
                    sla[clock.metric][0] += 1
                elif clock.state != ClockState.IDLE:
                    sla[clock.metric][2] += 1
        closes.extend(h.closes)
        outcomes.append(
            TicketOutcome(
                h.case,
                "" if ticket is None else ticket.status,
                None if ticket is None else ticket.closed_at,
                auto_closed and ticket is not None and ticket.closed_at is not None,
                frozenset(breached),
            )
        )
    return Report(
        tickets=tickets,
        commands=accepted + sum(counts.values()),
        accepted=accepted,
        refused=tuple(
            Refusals(code, counts[code], tuple(codes[code]))
            for code in sorted(counts, key=lambda c: (-counts[c], c))
        ),
        sla=tuple(MetricOutcomes(m, *sla[m]) for m in metrics),
        auto_closes=auto_closes,
        logged=_logged(closes),
        outcomes=tuple(outcomes),
        closes=tuple(closes),
    )


def _logged(closes: Iterable[Close]) -> Logged | None:
    total = predicted = minute = hour = day = 0
    for close in closes:
        total += 1
        if close.swept is None:
            continue
        predicted += 1
        late = close.logged - close.swept
        minute += late < _MINUTE
        hour += late < _HOUR
        day += late < _DAY
    if not total:
        return None
    return Logged(total, predicted, total - predicted, minute, hour, day)


def replay(
    desk: Desk,
    entries: Iterable[Entry],
    *,
    cadence: Cadence | None = punctual,
    until: datetime | None = None,
) -> Report:
    """The report of the host loop (:func:`host`) over ``entries`` under ``desk``.

    Args:
        desk: the desk.
        entries: the stream, in the log's order.
        cadence: the host's sweep (default :func:`punctual`; ``None``: never sweep).
        until: sweep every ticket up to this instant after the last entry (``None``: to
            the stream's latest instant, the end of the log).

    >>> from ticketflow.presets import support_portal
    >>> replay(support_portal.desk(), []).tickets
    0
    """
    stream = tuple(entries)
    end = until
    if end is None and stream:
        end = max((entry.command.at for entry in stream), key=utc)  # exact across a fold
    return report(desk, host(desk, stream, cadence=cadence, until=end))


@final
@attrs.frozen
class Difference:
    """A ticket whose outcome differs under a second desk.

    Attributes:
        ticket: the ticket's id.
        breaches_gained: metrics breached under the second desk only.
        breaches_lost: metrics breached under the first desk only.
        closed_before: when the first desk closed it (``None``: not closed).
        closed_after: when the second desk closed it (``None``: not closed).
    """

    ticket: str
    breaches_gained: frozenset[str]
    breaches_lost: frozenset[str]
    closed_before: datetime | None
    closed_after: datetime | None

    @property
    def close_moved(self) -> bool:
        """Whether the two desks close the ticket at different instants (or only one does)."""
        return self.closed_before != self.closed_after


def compare(before: Report, after: Report) -> tuple[Difference, ...]:
    """The tickets of both reports whose outcome differs: a breach gained or lost, or a
    close moved, in the order of ``before``.

    >>> from ticketflow.presets import support_portal
    >>> desk = support_portal.desk()
    >>> compare(replay(desk, []), replay(desk, []))
    ()
    """
    later = {o.ticket: o for o in after.outcomes}
    found = []
    for a in before.outcomes:
        b = later.get(a.ticket)
        if b is None:
            continue
        if a.breached != b.breached or a.closed_at != b.closed_at:
            found.append(
                Difference(
                    a.ticket,
                    b.breached - a.breached,
                    a.breached - b.breached,
                    a.closed_at,
                    b.closed_at,
                )
            )
    return tuple(found)
