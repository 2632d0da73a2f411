"""A small host for the support portal on SQLite: commands, the sweep and the outbox.

Run: ``python examples/host_support_portal.py [database-file]`` (default: a temporary
file, removed at the end).

The script plays a desk's day as a command loop: each line of ``SCRIPT`` is an instant
and a command for a ticket; the host executes it (one transaction, retried on a
conflict), sweeps the due rules every hour of the script's clock, and dispatches the
outbox to a sink that keeps the keys it has seen, so every notification is printed
exactly once. The clock is the script's: a real host would pass its own ``now``.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ticketflow import Actor, Command, CommandRefusedError, OpenTicket, PerformAction, Reply
from ticketflow.host import Message, SqliteStore, dispatch, execute, load, sweep
from ticketflow.presets import support_portal

MOSCOW = ZoneInfo("Europe/Moscow")
START = datetime(2026, 3, 2, 9, tzinfo=MOSCOW)  # a Monday morning at the desk
ALICE, DAN = Actor.customer("alice"), Actor.customer("dan")
BOB = Actor.agent("bob")


def at(hours: float) -> datetime:
    """The script's clock: ``hours`` after Monday 09:00 in Moscow."""
    return START + timedelta(hours=hours)


SCRIPT: tuple[tuple[float, str, Command], ...] = (
    (0, "T-1", OpenTicket(actor=ALICE, at=at(0), ticket_id="T-1", subject="No dial tone")),
    (0.5, "T-2", OpenTicket(actor=DAN, at=at(0.5), ticket_id="T-2", subject="Voicemail full")),
    (1, "T-1", Reply(actor=BOB, at=at(1), body="Is the cable plugged in?")),
    (2, "T-1", Reply(actor=ALICE, at=at(2), body="It was not. Works now!")),
    (3, "T-1", PerformAction(actor=BOB, at=at(3), action="propose_resolution")),
    (4, "T-2", Reply(actor=BOB, at=at(4), body="Cleared it for you.")),
    (4, "T-2", PerformAction(actor=BOB, at=at(4), action="propose_resolution")),
    (5, "T-1", PerformAction(actor=BOB, at=at(1), action="propose_resolution")),  # stale
)
HOURS = 24 * 10  # the script's clock runs ten days, sweeping every hour


def main(path: Path) -> None:
    """Run the script against the store in ``path``."""
    desk = support_portal.desk()
    store = SqliteStore.open(path)
    seen: set[str] = set()

    def sink(message: Message) -> None:
        if message.key in seen:  # a redelivery after a crash: already sent
            return
        seen.add(message.key)
        print(f"  notify {message.recipient:<6} {message.message:<15} [{message.key}]")

    pending = list(SCRIPT)
    for hour in range(HOURS + 1):
        now = at(hour)
        while pending and pending[0][0] <= hour:
            _, ticket_id, command = pending.pop(0)
            try:
                outcome = execute(store, desk, ticket_id, command)
            except CommandRefusedError as refusal:
                print(f"{now:%a %d %H:%M} {ticket_id} refused  {type(refusal).__name__}")
            else:
                print(
                    f"{now:%a %d %H:%M} {ticket_id} {type(command).__name__:<13} -> "
                    f"{outcome.ticket.status} (version {outcome.ticket.version})"
                )
        report = sweep(store, desk, now)
        if report.events:
            print(f"{now:%a %d %H:%M} sweep: {report.claimed} ticket(s), {report.events} event(s)")
        dispatch(store, sink)
    for ticket_id in store.ticket_ids():
        ticket = load(store, ticket_id)
        assert ticket is not None
        print(f"{ticket_id}: {ticket.status} after {ticket.version} events")
    print(f"{len(seen)} notifications delivered, each once")
    store.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            main(Path(folder) / "desk.db")
