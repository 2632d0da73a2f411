"""Core engine benchmark: ``handle`` throughput and ticket creation, side by side with peers.

Run: ``.venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/bench_core.py``

It replays one cyclic sequence of agent transitions through the support-portal workflow
(in progress -> waiting for customer -> in progress -> on hold -> under investigation ->
in progress ...) in ticketflow (``handle``: checks, events, a new immutable ticket each
step), in ``transitions``, in ``python-statemachine`` and in ``automat`` (its typed
builder; the same statuses and transitions, mutable, no events, no checks), and prints
medians of several runs and the ratios. It then times creating 100,000 tickets and
their memory with tracemalloc.

This is a script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ticketflow import Actor, Desk, OpenTicket, PerformAction, Ticket, handle
from ticketflow.presets import support_portal

CYCLE = (
    ("request_information", "please make a test call"),
    ("start_work", ""),
    ("put_on_hold", "waiting for the SIP provider"),
    ("investigate", ""),
    ("start_work", ""),
)


def median_rate(run: Callable[[int], None], n: int, repeats: int) -> float:
    """Median transitions per second of ``run(n)`` over ``repeats`` runs.

    The garbage collector is paused while timing, as ``timeit`` does, for every library
    alike: what is measured is the work, not when a collection happens to run.
    """
    rates = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run(n)
            rates.append(n / (time.perf_counter() - start))
        finally:
            gc.enable()
    return statistics.median(rates)


def ticketflow_run(n: int) -> None:
    # The workflow alone, as the peers have it: no calendar, SLA or timers.
    desk = Desk(workflow=support_portal.WORKFLOW)
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    agent = Actor.agent("bob")
    ticket = handle(
        desk,
        None,
        OpenTicket(actor=Actor.customer("alice"), at=at, ticket_id="T-1", subject="Phones down"),
    ).ticket
    commands = [
        PerformAction(actor=agent, at=at, action=action, reason=reason) for action, reason in CYCLE
    ]
    size = len(commands)
    for i in range(n):
        ticket = handle(desk, ticket, commands[i % size]).ticket


def portal_graph() -> tuple[list[str], list[tuple[str, str, str]]]:
    """The portal's statuses and (action, source, target) edges, roles dropped."""
    wf = support_portal.WORKFLOW
    edges = sorted({(t.action, source, t.target) for t in wf.transitions for source in t.sources})
    return [s.name for s in wf.statuses], edges


def transitions_run(n: int) -> None:
    from transitions import Machine

    states, edges = portal_graph()

    class Model:
        pass

    model = Model()
    Machine(
        model,
        states=states,
        transitions=[[a, s, d] for a, s, d in edges],
        initial=support_portal.IN_PROGRESS,
        auto_transitions=False,
    )
    triggers = [getattr(model, action) for action, _ in CYCLE]
    size = len(triggers)
    for i in range(n):
        triggers[i % size]()


def statemachine_run(n: int) -> None:
    from statemachine import State, StateMachine

    states, edges = portal_graph()
    namespace: dict[str, object] = {
        name: State(name, initial=name == support_portal.IN_PROGRESS, final=name == "closed")
        for name in states
    }
    by_action: dict[str, object] = {}
    for action, source, target in edges:
        step = namespace[source].to(namespace[target])  # type: ignore[attr-defined]
        by_action[action] = step if action not in by_action else by_action[action] | step  # type: ignore[operator]
    namespace.update(by_action)
    machine_class = type("SupportPortal", (StateMachine,), namespace)
    machine = machine_class()
    senders = [getattr(machine, action) for action, _ in CYCLE]
    size = len(senders)
    for i in range(n):
        senders[i % size]()


def automat_factory() -> Callable[[], Any]:
    """A new automat machine of the portal per call (the machine's type is built once)."""
    from typing import Protocol

    from automat import TypeMachineBuilder

    states, edges = portal_graph()

    def no_output(name: str) -> Callable[[object], None]:
        def method(self: object) -> None: ...

        method.__name__ = name
        return method

    # automat's inputs are the methods of a protocol; its first state is the initial one.
    inputs = type(
        "PortalInputs", (Protocol,), {a: no_output(a) for a in sorted({a for a, _, _ in edges})}
    )

    class Core:
        pass

    builder = TypeMachineBuilder(inputs, Core)
    first = support_portal.IN_PROGRESS
    state = {name: builder.state(name) for name in [first, *(s for s in states if s != first)]}
    for action, source, target in edges:
        state[source].upon(getattr(inputs, action)).to(state[target]).returns(None)
    built = builder.build()
    return lambda: built(Core())


def automat_run(n: int) -> None:
    machine = automat_factory()()
    inputs_of_cycle = [getattr(machine, action) for action, _ in CYCLE]
    size = len(inputs_of_cycle)
    for i in range(n):
        inputs_of_cycle[i % size]()


def creation(make: Callable[[int], object], count: int, repeats: int) -> tuple[float, float]:
    """Median µs per object and bytes per object (tracemalloc) to create ``count`` objects."""
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            keep = [make(i) for i in range(count)]
            times.append((time.perf_counter() - start) / count * 1e6)
        finally:
            gc.enable()
        del keep
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = [make(i) for i in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del keep
    return statistics.median(times), (after - before) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="transitions per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=100_000)
    args = parser.parse_args()

    print(
        f"handle throughput, cyclic support-portal transitions, n={args.n:,}, "
        f"median of {args.repeats}"
    )
    # Runs are interleaved (ours, then each peer, repeat), so a slow spell of a shared
    # machine falls on every library alike; the ratio is of per-round medians.
    contenders: list[tuple[str, Callable[[int], None], int]] = [
        ("ticketflow handle (immutable, events, checks)", ticketflow_run, args.n)
    ]
    try:
        import transitions  # noqa: F401

        contenders.append(("transitions (mutable, no events)", transitions_run, args.n))
    except ImportError:
        print("  transitions not installed: pip install -e '.[bench]'")
    try:
        import statemachine  # noqa: F401

        # python-statemachine is ~10x slower; a tenth of the run gives the same rate.
        psm_n = max(args.n // 10, 1)
        contenders.append((f"python-statemachine (n={psm_n:,})", statemachine_run, psm_n))
    except ImportError:
        print("  python-statemachine not installed: pip install -e '.[bench]'")
    try:
        import automat  # noqa: F401

        contenders.append(("automat (typed builder, mutable, no events)", automat_run, args.n))
    except ImportError:
        print("  automat not installed: pip install -e '.[bench]'")
    rates: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    for _ in range(args.repeats):
        for name, run, n in contenders:
            rates[name].append(median_rate(run, n, 1))
    rows = [(name, statistics.median(rates[name])) for name, _, _ in contenders]
    ours = rows[0][1]
    print(f"  {'library':48} {'transitions/s':>14} {'ticketflow ×':>13}")
    for name, rate in rows:
        print(f"  {name:48} {rate:14,.0f} {ours / rate:13.2f}")

    print(f"\ncreating {args.tickets:,} tickets, median of {args.repeats}")
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    subject = "Phones down"
    # Inputs are made before timing: what is measured is the ticket itself.
    ids = [f"T-{i}" for i in range(args.tickets)]
    instants = [at + timedelta(seconds=i) for i in range(args.tickets)]

    def make_ticket(i: int) -> Ticket:
        instant = instants[i]
        return Ticket(
            id=ids[i],
            subject=subject,
            status=support_portal.IN_PROGRESS,
            priority="normal",
            requester="alice",
            created_at=instant,
            updated_at=instant,
            status_since=instant,
            version=1,
        )

    desk = Desk(workflow=support_portal.WORKFLOW)
    alice = Actor.customer("alice")

    def open_ticket(i: int) -> Ticket:
        command = OpenTicket(actor=alice, at=instants[i], ticket_id=ids[i], subject=subject)
        return handle(desk, None, command).ticket

    rows2 = [
        ("Ticket(...)", *creation(make_ticket, args.tickets, args.repeats)),
        ("handle(OpenTicket) -> ticket", *creation(open_ticket, args.tickets, args.repeats)),
    ]
    try:
        from transitions import Machine

        states, edges = portal_graph()
        table = [[a, s, d] for a, s, d in edges]

        def make_machine(i: int) -> object:
            class Model:
                pass

            model = Model()
            Machine(
                model,
                states=states,
                transitions=table,
                initial=support_portal.IN_PROGRESS,
                auto_transitions=False,
            )
            return model

        count = max(args.tickets // 10, 1)
        rows2.append(
            (f"transitions Machine (n={count:,})", *creation(make_machine, count, args.repeats))
        )
    except ImportError:
        pass
    print(f"  {'what':40} {'µs each':>10} {'bytes each':>11}")
    for name, micros, size in rows2:
        print(f"  {name:40} {micros:10.2f} {size:11,.0f}")
    print(
        "  (bytes: what the new objects hold; the ids and instants given to them are not counted)"
    )


if __name__ == "__main__":
    main()
