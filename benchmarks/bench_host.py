"""The reference host's benchmark, beside the ``eventsourcing`` library's recorders.

Run: ``.venv/bin/python benchmarks/bench_host.py`` (as root or as a user who may start
PostgreSQL; ``--quick`` for a short run, ``--sweep 100000`` for the sweep's size).

What is measured, each in one run on the same machine:

- **commands/s**: worker processes (1, 2 and 4), each on tickets of its own, execute
  replies on the support-portal desk: load the ticket (its snapshot), handle the
  command, append its events, snapshot, due index and outbox in one transaction. On
  SQLite (one file, WAL) and on PostgreSQL (a server started for the run, in a
  temporary folder).
- **appends/s**: the same commands' writes alone (``store.append`` of changes computed
  beforehand), beside ``eventsourcing``'s own application recorders
  (``SQLiteApplicationRecorder``, ``PostgresApplicationRecorder``) inserting the same
  events (the same documents as their state, so the same sizes), one transaction per
  command, from the same number of processes.
- **sweep**: ``sweep`` of N due tickets (each proposed for resolution; the sweep sends
  the reminder and re-arms the closing) by 1 and by 4 sweeper processes at once, on
  both databases.

Durability is stated beside each figure: PostgreSQL runs with its defaults (fsync on,
synchronous commit), ticketflow's SQLite store with ``synchronous=NORMAL`` (its
default) and ``FULL`` (``durable=True``, what eventsourcing's SQLite uses). This is a
script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from host_scenarios import AT, BOB, DESK, opening, propose, reply
from host_server import Place, PostgresServer
from ticketflow import Ticket, handle
from ticketflow.host import (
    Change,
    PostgresStore,
    SqliteStore,
    change_of,
    execute,
    sweep,
)

CONTEXT = multiprocessing.get_context("spawn")


@attrs.frozen
class Job:
    """What one worker process does: ``per_ticket`` commands on each of ``tickets``."""

    place: Place
    durable: bool
    worker: int
    tickets: int
    per_ticket: int


def life(ticket_id: str, commands: int) -> list[Change]:
    """The changes of a ticket opened, then answered ``commands`` times (pure), each
    snapshotting as ``execute`` would."""
    outcome = handle(DESK, None, opening(ticket_id))
    changes = [change_of(DESK, None, outcome)]
    ticket: Ticket = outcome.ticket
    snapshot = ticket.version
    for n in range(commands):
        who = BOB if n % 2 == 0 else opening().actor
        nxt = handle(DESK, ticket, reply(f"reply {n}", AT + timedelta(minutes=n + 1), who))
        change = change_of(DESK, ticket, nxt, snapshot_version=snapshot)
        if change.snapshot is not None:
            snapshot = change.snapshot.version
        changes.append(change)
        ticket = nxt.ticket
    return changes


def open_place(place: Place, durable: bool) -> SqliteStore | PostgresStore:
    if place.kind == "sqlite":
        return SqliteStore.open(place.target, durable=durable)
    return PostgresStore.connect(place.target)


# -- the workers (run in their own processes) -------------------------------------------


def commands_worker(job: Job, start: object) -> float:
    """Open ``tickets`` tickets, then execute ``per_ticket`` replies on each in turn; the
    seconds the replies took."""
    place, durable, worker, tickets, per_ticket = attrs.astuple(job, recurse=False)
    store = open_place(place, durable)
    ids = [f"W{worker}-{n}" for n in range(tickets)]
    for ticket_id in ids:
        execute(store, DESK, ticket_id, opening(ticket_id))
    start.wait()  # type: ignore[attr-defined]
    began = time.perf_counter()
    for n in range(per_ticket):
        who = BOB if n % 2 == 0 else opening().actor
        command = reply(f"reply {n}", AT + timedelta(minutes=n + 1), who)
        for ticket_id in ids:
            execute(store, DESK, ticket_id, command)
    took = time.perf_counter() - began
    store.close()
    return took


def appends_worker(job: Job, start: object) -> float:
    """Append the precomputed changes of ``tickets`` lives; the seconds the replies took."""
    place, durable, worker, tickets, per_ticket = attrs.astuple(job, recurse=False)
    lives = [life(f"A{worker}-{n}", per_ticket) for n in range(tickets)]
    store = open_place(place, durable)
    for changes in lives:
        store.append(changes[0])
    start.wait()  # type: ignore[attr-defined]
    began = time.perf_counter()
    for n in range(1, per_ticket + 1):
        for changes in lives:
            store.append(changes[n])
    took = time.perf_counter() - began
    store.close()
    return took


def eventsourcing_recorder(place: Place, *, create: bool = True) -> object:
    if place.kind == "sqlite":
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

        recorder: object = SQLiteApplicationRecorder(SQLiteDatastore(place.target, lock_timeout=60))
    else:
        from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

        folder = place.target.split("host=")[1].split()[0]
        dbname = place.target.split("dbname=")[1].split()[0]
        recorder = PostgresApplicationRecorder(
            PostgresDatastore(dbname, folder, 5432, "postgres", "", pool_size=1)
        )
    if create:  # once, in the parent: its CREATE ... IF NOT EXISTS races other processes
        recorder.create_table()  # type: ignore[attr-defined]
    return recorder


def eventsourcing_worker(job: Job, start: object) -> float:
    """Insert the same lives' events through eventsourcing's recorder, one transaction
    per command; the seconds the replies took."""
    place, _, worker, tickets, per_ticket = attrs.astuple(job, recurse=False)
    from eventsourcing.persistence import StoredEvent

    lives = [life(f"E{worker}-{n}", per_ticket) for n in range(tickets)]
    ids = [uuid.uuid4() for _ in lives]
    recorder = eventsourcing_recorder(place, create=False)
    insert: Callable[[list[StoredEvent]], object] = recorder.insert_events  # type: ignore[attr-defined]

    def stored(originator: uuid.UUID, change: Change) -> list[StoredEvent]:
        return [
            StoredEvent(originator, row.version, "ticketflow:Event", row.document.encode())
            for row in change.events
        ]

    for originator, changes in zip(ids, lives, strict=True):
        insert(stored(originator, changes[0]))
    batches = [
        [stored(originator, changes[n]) for originator, changes in zip(ids, lives, strict=True)]
        for n in range(1, per_ticket + 1)
    ]
    start.wait()  # type: ignore[attr-defined]
    began = time.perf_counter()
    for batch in batches:
        for events in batch:
            insert(events)
    return time.perf_counter() - began


def sweep_worker(place: Place, durable: bool, limit: int, start: object) -> tuple[float, int]:
    """Sweep until nothing is due; the seconds it took and the tickets it claimed."""
    store = open_place(place, durable)
    now = AT + timedelta(days=4)  # after each reminder, before any closing
    start.wait()  # type: ignore[attr-defined]
    began = time.perf_counter()
    claimed = 0
    while True:
        report = sweep(store, DESK, now, limit=limit)
        claimed += report.claimed
        if not report.more_due:
            break
    took = time.perf_counter() - began
    store.close()
    return took, claimed


# -- running them ----------------------------------------------------------------------


def in_processes(target: Callable[..., object], argsets: list[tuple[object, ...]]) -> list[object]:
    """Run ``target`` once per argument tuple, each in its own process; each prepares,
    then waits at a barrier shared by all (its last argument), so the timed parts run
    together. Their results, in order."""
    barrier = CONTEXT.Barrier(len(argsets))
    results = CONTEXT.Queue()
    processes = [
        CONTEXT.Process(target=_report, args=(n, target, (*args, barrier), results))
        for n, args in enumerate(argsets)
    ]
    for process in processes:
        process.start()
    found = dict(results.get() for _ in processes)
    for process in processes:
        process.join()
    failed = [r for r in found.values() if isinstance(r, BaseException)]
    if failed:
        raise RuntimeError(f"a worker failed: {failed[0]!r}")
    return [found[n] for n in range(len(argsets))]


def _report(
    n: int, target: Callable[..., object], args: tuple[object, ...], results: object
) -> None:
    try:
        results.put((n, target(*args)))  # type: ignore[attr-defined]
    except BaseException as error:  # the parent reports it instead of waiting forever
        args[-1].abort()  # type: ignore[attr-defined] # the others stop waiting for it
        results.put((n, error))  # type: ignore[attr-defined]
        raise


def rate(target: Callable[..., float], job: Job, workers: int) -> float:
    """Commands per second, all workers together (total commands over the slowest)."""
    tickets, per_ticket = job.tickets, job.per_ticket
    if target is eventsourcing_worker:
        eventsourcing_recorder(job.place)
    took = in_processes(target, [(attrs.evolve(job, worker=w),) for w in range(workers)])
    return workers * tickets * per_ticket / max(float(str(t)) for t in took)


def fill_due(place: Place, durable: bool, count: int) -> None:
    """``count`` tickets proposed for resolution, all due for their reminder, written in
    bulk (the same documents with each ticket's id)."""
    template = life("TEMPLATE-ID", 0)
    proposed = handle(DESK, handle(DESK, None, opening("TEMPLATE-ID")).ticket, propose())
    opened = template[0]
    change = change_of(DESK, handle(DESK, None, opening("TEMPLATE-ID")).ticket, proposed)
    assert change.snapshot is not None
    events = [*opened.events, *change.events]
    store = open_place(place, durable)
    cursor = store._cursor  # the benchmark's bulk load goes around the host
    sql = store.sql
    store._run("BEGIN")
    for start in range(0, count, 5000):
        ids = [f"S-{n}" for n in range(start, min(count, start + 5000))]
        cursor.executemany(
            sql("INSERT INTO events (ticket_id, version, document) VALUES (?, ?, ?)"),
            [(i, r.version, r.document.replace("TEMPLATE-ID", i)) for i in ids for r in events],
        )
        cursor.executemany(
            sql("INSERT INTO tickets (ticket_id, version, document, due_at) VALUES (?, ?, ?, ?)"),
            [
                (
                    i,
                    change.snapshot.version,
                    change.snapshot.document.replace("TEMPLATE-ID", i),
                    change.due_at,
                )
                for i in ids
            ],
        )
    store._run("COMMIT")
    store.close()


def sweep_seconds(place: Place, durable: bool, count: int, sweepers: int) -> tuple[float, int]:
    fill_due(place, durable, count)
    results = in_processes(sweep_worker, [(place, durable, 500) for _ in range(sweepers)])
    took = max(float(r[0]) for r in results)  # type: ignore[index]
    claimed = sum(int(r[1]) for r in results)  # type: ignore[index]
    return took, claimed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer commands, a smaller sweep")
    parser.add_argument("--sweep", type=int, default=100_000, help="due tickets to sweep")
    parser.add_argument("--fsync-off", action="store_true", help="PostgreSQL without fsync")
    parser.add_argument("--skip-rates", action="store_true", help="the sweep alone")
    parser.add_argument("--only", default="", help="the rows whose label contains this")
    parser.add_argument("--skip-sweep", action="store_true", help="the rates alone")
    options = parser.parse_args()
    tickets, per_ticket = (10, 10) if options.quick else (20, 20)
    count = 5_000 if options.quick else options.sweep

    folder = Path(tempfile.mkdtemp(prefix="ticketflow-bench-"))
    server = PostgresServer.start("bench", durable=not options.fsync_off)
    databases = iter(range(10_000))

    def fresh(kind: str) -> Place:
        n = next(databases)
        if kind == "sqlite":
            return Place("sqlite", str(folder / f"bench{n}.db"))
        return Place("postgres", server.fresh_database(f"bench{n}"))

    print(
        f"ticketflow host benchmark, {os.cpu_count()} cores; "
        f"{tickets} tickets x {per_ticket} replies per worker"
    )
    print(f"PostgreSQL fsync {'off' if options.fsync_off else 'on (defaults)'}\n")
    print(f"{'workload':<44} {'1 worker':>10} {'2 workers':>10} {'4 workers':>10}")
    try:
        rows = [
            ("ticketflow commands, SQLite NORMAL", commands_worker, "sqlite", False),
            ("ticketflow commands, SQLite FULL", commands_worker, "sqlite", True),
            ("ticketflow appends, SQLite FULL", appends_worker, "sqlite", True),
            ("eventsourcing appends, SQLite (WAL, FULL)", eventsourcing_worker, "sqlite", True),
            ("ticketflow commands, PostgreSQL", commands_worker, "postgres", True),
            ("ticketflow appends, PostgreSQL", appends_worker, "postgres", True),
            ("eventsourcing appends, PostgreSQL", eventsourcing_worker, "postgres", True),
        ]
        chosen = [r for r in rows if options.only in r[0]]
        for label, target, kind, durable in [] if options.skip_rates else chosen:
            figures = []
            for workers in (1, 2, 4):
                try:
                    job = Job(fresh(kind), durable, 0, tickets, per_ticket)
                    figures.append(f"{rate(target, job, workers):>10,.0f}")
                except RuntimeError as error:
                    figures.append(f"{'failed':>10}")
                    print(f"  ({label}, {workers} workers: {error})", file=sys.stderr)
            print(f"{label:<44} " + " ".join(figures), flush=True)
        print(f"\nsweep of {count:,} due tickets (seconds; tickets claimed)")
        for kind in () if options.skip_sweep else ("sqlite", "postgres"):
            for sweepers in (1, 4):
                took, claimed = sweep_seconds(fresh(kind), False, count, sweepers)
                print(
                    f"  {kind:<10} {sweepers} sweeper(s): {took:7.1f} s "
                    f"({claimed:,} claimed, {claimed / took:,.0f} tickets/s)",
                    flush=True,
                )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
