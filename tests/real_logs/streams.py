"""Each real log's command stream, the input of ``ticketflow replay`` (docs/replay.md).

:data:`LOGS` names each log: where it sits under the workspace's ``shared/data``, how
its cases are read and turned into commands (the readers beside this module), which
preset desk replays it and at which sweep its desk's timers run. :func:`log_entries`
gives a log's stream entries, the log's closes (every ``close`` action the log records)
marked ``"logged": "close"``; :func:`write` writes them to a file, one JSON line each.

Run as a script to write one::

    .venv/bin/python tests/real_logs/streams.py servicenow /tmp/servicenow.jsonl
    .venv/bin/ticketflow replay /tmp/servicenow.jsonl --desk servicenow --sweep hourly
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Final, NamedTuple

if __package__ in (None, ""):  # run as a script: the readers are imported as real_logs
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from real_logs import hosting
from real_logs import italian_helpdesk as helpdesk_log
from real_logs import servicenow as servicenow_log
from real_logs import volvo_it as volvo_log
from ticketflow import Command, PerformAction
from ticketflow.whatif import Entry

__all__ = ["DATA", "LOGS", "Log", "is_close", "log_entries", "main", "write"]

DATA: Final = Path(__file__).resolve().parents[3] / "shared" / "data"
"""The workspace's real logs, beside the repository (not part of it)."""


class Log(NamedTuple):
    """One real log: its file under :data:`DATA`, its cases' commands, desk and sweep."""

    file: str
    cases: Callable[[Path], Iterator[tuple[Command, ...]]]
    desk: str
    sweep: str


def _servicenow(path: Path) -> Iterator[tuple[Command, ...]]:
    return (servicenow_log.commands(rows) for rows in servicenow_log.read_incidents(path))


def _helpdesk(path: Path) -> Iterator[tuple[Command, ...]]:
    return (helpdesk_log.commands(rows) for rows in helpdesk_log.read_cases(path))


def _volvo(path: Path) -> Iterator[tuple[Command, ...]]:
    return (volvo_log.commands(rows) for rows in volvo_log.read_incidents(path))


LOGS: Final[Mapping[str, Log]] = {
    "servicenow": Log(
        "servicenow_incidents/incident_event_log.csv.gz", _servicenow, "servicenow", "hourly"
    ),
    "italian_helpdesk": Log("helpdesk_italian/finale.csv.gz", _helpdesk, "italian_helpdesk", "due"),
    "volvo_it": Log(
        "bpi2013_incidents/bpi2013_incidents.csv.gz",
        _volvo,
        "volvo_it",
        "nightly@01:00/Europe/Brussels",
    ),
}
"""The logs by name: the file, its cases' commands, the preset desk and the host's sweep
that the real-data tests found (docs/real_data.md)."""


def is_close(command: Command) -> bool:
    """Whether a command is one of the log's closes (any ``close`` action it records)."""
    return isinstance(command, PerformAction) and command.action == "close"


def log_entries(name: str, path: str | PathLike[str] | None = None) -> Iterator[Entry]:
    """The stream entries of log ``name`` (read from ``path``, default its file under
    :data:`DATA`), its closes marked as logged.

    Raises:
        KeyError: ``name`` is not one of :data:`LOGS`.
        OSError: the log cannot be read.
    """
    log = LOGS[name]
    return hosting.entries(log.cases(_path(log, path)), is_close=is_close)


def write(name: str, out: str | PathLike[str], path: str | PathLike[str] | None = None) -> int:
    """Write log ``name``'s stream to ``out``; returns the number of lines.

    Raises:
        KeyError: ``name`` is not one of :data:`LOGS`.
        OSError: the log cannot be read or ``out`` written.
    """
    log = LOGS[name]
    return hosting.write_stream(out, log.cases(_path(log, path)), is_close=is_close)


def _path(log: Log, path: str | PathLike[str] | None) -> Path:
    return DATA / log.file if path is None else Path(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a real log's command stream.")
    parser.add_argument("log", choices=sorted(LOGS))
    parser.add_argument("out", help="the JSON-lines file to write")
    parser.add_argument("--from", dest="path", help="the log file (default: under shared/data)")
    args = parser.parse_args(argv)
    lines = write(args.log, args.out, args.path)
    log = LOGS[args.log]
    print(
        f"{lines:,} commands written to {args.out}; replay with: ticketflow replay "
        f"{args.out} --desk {log.desk} --sweep {log.sweep}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
