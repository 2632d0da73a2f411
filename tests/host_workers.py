"""What the host's racing writers and killed sweepers run, in threads or in worker
processes (importable by name, so a process started by ``forkserver`` finds it)."""

from __future__ import annotations

from datetime import datetime

from host_scenarios import DESK, reply
from host_server import Place
from ticketflow.host import ConcurrencyConflict, Store, execute, sweep


def write(
    place: Place, ticket_id: str, writer: int, commands: int, attempts: int, *, keep: bool = True
) -> tuple[list[str], int]:
    """Reply ``commands`` times to the ticket through a connection of its own (kept for
    the next call when ``keep``): the bodies stored, and how many replies gave up on a
    conflict."""
    if not keep:
        store = place.open()
        try:
            return write_to(store, ticket_id, writer, commands, attempts)
        finally:
            store.close()
    if place not in _STORES:
        _STORES[place] = place.open()
    return write_to(_STORES[place], ticket_id, writer, commands, attempts)


def write_to(
    store: Store, ticket_id: str, writer: int, commands: int, attempts: int
) -> tuple[list[str], int]:
    """``write`` through ``store``."""
    stored: list[str] = []
    conflicts = 0
    for n in range(commands):
        body = f"writer {writer} reply {n}"
        try:
            execute(store, DESK, ticket_id, reply(body), attempts=attempts)
        except ConcurrencyConflict:
            conflicts += 1
        else:
            stored.append(body)
    return stored, conflicts


# A worker process keeps one connection per store for all its races; it closes them when
# the process ends. (Threads open their own: a SQLite connection is for one thread.)
_STORES: dict[Place, Store] = {}


def sweep_until_done(place: Place, now: datetime, limit: int) -> None:
    """Sweep in batches of ``limit`` until nothing is due (the test kills it before)."""
    store = place.open()
    while sweep(store, DESK, now, limit=limit).more_due:
        pass
    store.close()
