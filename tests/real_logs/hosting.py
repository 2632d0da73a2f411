"""A log replayed as a host runs a desk: its timers swept, and the log's closes compared.

The host loop has one owner, :func:`ticketflow.whatif.host`: before each command it
sweeps the due timers (:func:`ticketflow.tick`) at the instants the host's sweep would
run, then handles the command. :func:`host_replay` gives it one case's commands, marking
the log's closes (``is_close``) as :class:`~ticketflow.whatif.Entry` ``logged_close``:
when a timer closed the ticket and the log's next command is the log's own close (the
row the desk's job wrote), that row is the same close, compared with what ticketflow did
(a :class:`Close`) and not handled again. A log's close of a ticket ticketflow holds open
is a :class:`Close` too, with no sweep; one of a ticket ticketflow already holds closed
(the log went on after a close ticketflow keeps) is handled like any row. A refused
command is recorded and skipped, as a host would reject that row.

The sweep's cadence is the host's concern, not the desk's (:func:`punctual`,
:func:`hourly`, :func:`nightly`, from :mod:`ticketflow.whatif`). :func:`entries` and
:func:`write_stream` turn a log's cases into the command stream ``ticketflow replay``
reads (JSON lines, docs/replay.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from typing import NamedTuple

from ticketflow import Command, CommandRefusedError, Desk, Event, OpenTicket, Ticket, whatif
from ticketflow.whatif import Cadence, Close, Entry, hourly, nightly, punctual

__all__ = [
    "Cadence",
    "Close",
    "Hosted",
    "entries",
    "host_replay",
    "hourly",
    "nightly",
    "punctual",
    "write_stream",
]


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
    (hosted,) = whatif.host(desk, entries([tuple(commands)], is_close=is_close), cadence=cadence)
    assert hosted.ticket is not None, "the case's OpenTicket was refused"
    return Hosted(hosted.ticket, hosted.events, hosted.refusals, hosted.closes)


def entries(
    cases: Iterable[Iterable[Command]], *, is_close: Callable[[Command], bool]
) -> Iterator[Entry]:
    """The stream entries of cases' commands (each case's first command opens it), the
    log's closes (``is_close``) marked as ``logged_close``.

    Raises:
        ValueError: a case does not start with an :class:`~ticketflow.OpenTicket`.
    """
    for commands in cases:
        case: str | None = None
        for command in commands:
            if case is None:
                if not isinstance(command, OpenTicket):
                    raise ValueError(f"a case starts with {type(command).__name__}, not OpenTicket")
                case = command.ticket_id
            yield Entry(case, command, is_close(command))


def write_stream(
    path: str | PathLike[str],
    cases: Iterable[Iterable[Command]],
    *,
    is_close: Callable[[Command], bool],
) -> int:
    """Write cases' commands to ``path`` as a command stream; returns the lines written.

    Raises:
        OSError: the file cannot be written.
    """
    count = 0
    with open(path, "w", encoding="utf-8") as file:
        for line in whatif.write_stream(entries(cases, is_close=is_close)):
            file.write(line + "\n")
            count += 1
    return count
