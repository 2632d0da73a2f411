"""Trying to break the reference host, on SQLite and on PostgreSQL: writers racing on one
ticket in threads and in processes, a sweeper killed with SIGKILL in the middle of its
sweep, a host that died between its events and its snapshot."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

from host_scenarios import DESK, LATER, open_ticket, opening, propose, reply
from host_server import Place, raw_sql
from host_workers import sweep_until_done, write
from ticketflow import ReminderSent, ReplyAdded, StatusChanged, handle, replay
from ticketflow.codec import event_from_document, ticket_from_document
from ticketflow.host import DEFAULT_ATTEMPTS, Store, change_of, execute, load

ROUNDS = 500 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 50
"""How many races each store runs (half in threads, half in processes): 50 in the
default run, ten times as many under the thorough profile."""
REPLIES = 1
"""How many replies each writer sends in a race (each at once with the others')."""


def forkserver() -> multiprocessing.context.ForkServerContext:
    """Clean worker processes (no inherited threads or connections), with the host and
    the workers' module loaded once."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(["ticketflow.host", "host_workers"])
    return context


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    """Eight writer processes, started once for every race of the module."""
    with ProcessPoolExecutor(max_workers=8, mp_context=forkserver()) as executor:
        yield executor


def check_stream(store: Store, ticket_id: str) -> list[str]:
    """The ticket's stored reply bodies, after checking its stream: versions 1..n without
    a gap or a repeat, the snapshot the replay of the events up to it, and the ticket as
    loaded the replay of them all."""
    rows = store.events(ticket_id)
    assert list(range(1, len(rows) + 1)) == [r.version for r in rows]
    events = [event_from_document(json.loads(r.document)) for r in rows]
    stored = store.read(ticket_id)
    assert stored is not None
    assert stored.snapshot is not None
    snapshot = ticket_from_document(json.loads(stored.snapshot.document))
    assert replay(events[: stored.snapshot.version]) == snapshot
    store.recent.forget()
    assert replay(events) == load(store, ticket_id)
    return [e.body for e in events if isinstance(e, ReplyAdded)]


def test_racing_writers_lose_nothing_and_duplicate_nothing(
    place: Place, open_store: Callable[[], Store], pool: ProcessPoolExecutor
) -> None:
    """Given two to eight writers (threads in half the rounds, processes in the other
    half) replying to one ticket at once, fifty times, then every reply a writer saw
    stored is stored exactly once, versions are contiguous, and each writer either saw a
    conflict or succeeded after its retries."""
    store = open_store()
    conflicts = 0
    for round_ in range(ROUNDS):
        writers = 2 + round_ % 7
        attempts = 1 if round_ % 4 < 2 else DEFAULT_ATTEMPTS  # losers surface, or retry
        ticket_id = f"R-{round_}"
        open_ticket(store, ticket_id)
        args = [(place, ticket_id, w, REPLIES, attempts) for w in range(writers)]
        if round_ % 2:
            results = [f.result() for f in [pool.submit(write, *a) for a in args]]
        else:
            results = run_in_threads(args)

        stored = check_stream(store, ticket_id)
        written = [body for bodies, _ in results for body in bodies]
        assert sorted(written) == sorted(stored)
        assert len(stored) == len(set(stored))
        gave_up = sum(c for _, c in results)
        assert REPLIES * writers == len(written) + gave_up
        conflicts += gave_up
    print(f"{place.kind}: {conflicts} replies gave up on a conflict in {ROUNDS} races")


def run_in_threads(args: list[tuple[Place, str, int, int, int]]) -> list[tuple[list[str], int]]:
    """``write`` in one thread per writer, started together."""
    results: list[tuple[list[str], int]] = [([], 0)] * len(args)
    barrier = threading.Barrier(len(args))

    def run(n: int) -> None:
        barrier.wait()
        results[n] = write(*args[n], keep=False)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(args))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


TICKETS = 60


def test_a_sweeper_killed_mid_sweep_fires_each_rule_once(
    place: Place, open_store: Callable[[], Store]
) -> None:
    """Given many tickets due for their reminder and closing, when a sweeper process is
    killed with SIGKILL while it sweeps and another sweep finishes the work, then every
    ticket got its reminder once and was closed once."""
    store = open_store()
    for n in range(TICKETS):
        opened = handle(DESK, None, opening(f"K-{n}"))
        store.append(change_of(DESK, None, opened))
        proposed = handle(DESK, opened.ticket, propose())
        store.append(change_of(DESK, opened.ticket, proposed))
    sweeper = forkserver().Process(target=sweep_until_done, args=(place, LATER, 3))
    sweeper.start()
    while swept(place) < 3 and sweeper.is_alive():
        time.sleep(0.002)
    assert sweeper.pid is not None
    os.kill(sweeper.pid, signal.SIGKILL)
    sweeper.join()
    killed_after = swept(place)

    sweep_until_done(place, LATER, 50)

    assert signal.SIGKILL == -(sweeper.exitcode or 0)
    assert 0 < killed_after < TICKETS  # it died in the middle
    for n in range(TICKETS):
        events = [event_from_document(json.loads(r.document)) for r in store.events(f"K-{n}")]
        reminders = [e for e in events if isinstance(e, ReminderSent)]
        closings = [e for e in events if isinstance(e, StatusChanged) and e.target == "closed"]
        assert (1, 1) == (len(reminders), len(closings))
        check_stream(store, f"K-{n}")


def swept(place: Place) -> int:
    """How many tickets a sweep has committed (they are no longer due)."""
    ((count,),) = raw_sql(place, "SELECT count(*) FROM tickets WHERE due_at IS NULL")
    return int(str(count))


def test_a_host_that_died_between_events_and_snapshot_loads_the_replay(
    store: Store, place: Place
) -> None:
    """Given events stored without their snapshot (a host that died between the two),
    when the ticket is loaded, then it is the replay of every event, and the next
    command follows on from it."""
    open_ticket(store)
    before = load(store, "T-1")
    outcome = handle(DESK, before, reply("lost snapshot"))
    for event in change_of(DESK, before, outcome).events:
        raw_sql(
            place,
            "INSERT INTO events (ticket_id, version, document) VALUES (?, ?, ?)",
            ("T-1", event.version, event.document),
        )

    assert outcome.ticket == load(store, "T-1")
    execute(store, DESK, "T-1", reply("next"))
    assert ["lost snapshot", "next"] == check_stream(store, "T-1")
