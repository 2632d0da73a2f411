"""SLA benchmark: what the SLA clock costs ``handle``, and ``sla_status`` per call.

Run: ``.venv/bin/python benchmarks/bench_sla.py`` (``--profile`` adds cProfile listings)

It replays the cyclic agent transitions of ``bench_core.py`` through the support-portal
desk (in progress -> waiting for customer -> in progress -> on hold -> under
investigation -> in progress ...) twice: with the portal's SLA policy
(``support_portal.desk()``: first response, next response and resolution in business
time, on the Moscow business calendar) and without any (``support_portal.desk(
sla=SlaPolicy())``), and prints medians of several runs and the ratio. Two steps of
the five move the resolution clock (it pauses in *waiting for customer* and resumes on
the way out, which is calendar arithmetic); the other three move no clock but are
still checked against all three. Goal: at most 2x.

It then times ``sla_status`` on a ticket with three clocks (one running, one paused,
one stopped), asked at instants spread over two weeks. Goal: at most 20 µs per call.

This is a script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ticketflow import (
    Actor,
    Desk,
    OpenTicket,
    PerformAction,
    Reply,
    SlaPolicy,
    Ticket,
    handle,
    sla_status,
)
from ticketflow.presets import support_portal

MOSCOW = ZoneInfo("Europe/Moscow")
START = datetime(2026, 3, 2, 10, tzinfo=MOSCOW)  # a Monday inside business hours
CYCLE = (
    ("request_information", "please make a test call"),
    ("start_work", ""),
    ("put_on_hold", "waiting for the SIP provider"),
    ("investigate", ""),
    ("start_work", ""),
)
HANDLE_GOAL = 2.0
STATUS_GOAL_US = 20.0


def opened(desk: Desk) -> Ticket:
    return handle(
        desk,
        None,
        OpenTicket(actor=Actor.customer("alice"), at=START, ticket_id="T-1", subject="Phones"),
    ).ticket


def cycle_run(desk: Desk, life: int, minute_apart: bool) -> Callable[[int], None]:
    """``run(n)``: ``n`` cyclic transitions on ``desk``, on a fresh ticket every ``life``.

    A ticket's clocks keep their running segments, so a ticket that has paused a
    thousand times costs more per transition than a new one (see :func:`growth`); a
    fresh ticket every ``life`` transitions measures what a ticket of a realistic
    history costs. The commands come all at the opening instant, or a minute apart.
    """
    agent = Actor.agent("bob")
    size = len(CYCLE)
    commands = [
        PerformAction(
            actor=agent,
            at=START + timedelta(minutes=(i + 1) if minute_apart else 0),
            action=CYCLE[i % size][0],
            reason=CYCLE[i % size][1],
        )
        for i in range(life)
    ]
    fresh = opened(desk)

    def run(n: int) -> None:
        ticket = fresh
        for i in range(n):
            step = i % life
            if step == 0:
                ticket = fresh
            ticket = handle(desk, ticket, commands[step]).ticket

    return run


def growth(desk: Desk, history: int, sample: int, repeats: int) -> float:
    """Median µs per transition on a ticket that already went through ``history``
    transitions (a pause every fifth)."""
    agent = Actor.agent("bob")
    size = len(CYCLE)
    commands = [
        PerformAction(actor=agent, at=START, action=CYCLE[i % size][0], reason=CYCLE[i % size][1])
        for i in range(history + sample)
    ]
    ticket = opened(desk)
    for command in commands[:history]:
        ticket = handle(desk, ticket, command).ticket
    times = []
    for _ in range(repeats):
        gc.collect()
        current = ticket
        begin = time.perf_counter()
        for command in commands[history:]:
            current = handle(desk, current, command).ticket
        times.append((time.perf_counter() - begin) / sample * 1e6)
    return statistics.median(times)


def median_rates(runs: dict[str, Callable[[int], None]], n: int, repeats: int) -> dict[str, float]:
    """Median transitions per second of each ``run(n)`` over ``repeats`` rounds.

    The runs are interleaved round by round (after one warm-up round), so that a busy
    machine slows every run alike and the ratios stay meaningful.
    """
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(repeats + 1):
        for name, run in runs.items():
            gc.collect()
            begin = time.perf_counter()
            run(n)
            if round_:
                rates[name].append(n / (time.perf_counter() - begin))
    return {name: statistics.median(values) for name, values in rates.items()}


def status_ticket(desk: Desk) -> Ticket:
    """A ticket with three clocks: first response stopped, resolution paused, next
    response running."""
    alice = Actor.customer("alice")
    bob = Actor.agent("bob")
    ticket = opened(desk)
    for command in (
        Reply(actor=bob, at=START + timedelta(minutes=20), body="Could you make a test call?"),
        Reply(actor=alice, at=START + timedelta(minutes=40), body="Done: it rings once."),
        PerformAction(
            actor=bob,
            at=START + timedelta(minutes=50),
            action="request_information",
            reason="the logs",
        ),
    ):
        ticket = handle(desk, ticket, command).ticket
    states = sorted(c.state for c in ticket.clocks)
    assert states == ["paused", "running", "stopped"], states
    return ticket


def median_status_us(desk: Desk, ticket: Ticket, calls: int, repeats: int) -> float:
    """Median µs per ``sla_status`` call, asked at instants spread over two weeks."""
    instants = [
        ticket.updated_at + timedelta(minutes=(i * 37) % (14 * 24 * 60)) for i in range(calls)
    ]
    times = []
    for _ in range(repeats):
        gc.collect()
        begin = time.perf_counter()
        for at in instants:
            sla_status(desk, ticket, at)
        times.append((time.perf_counter() - begin) / calls * 1e6)
    return statistics.median(times)


def profile(title: str, work: Callable[[], None], lines: int) -> None:
    print(f"\ncProfile: {title} (top {lines} by own time)")
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="transitions per run")
    parser.add_argument("--life", type=int, default=50, help="transitions per ticket")
    parser.add_argument("--sample", type=int, default=500, help="transitions per growth row")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20_000, help="sla_status calls per run")
    parser.add_argument(
        "--profile", action="store_true", help="profile, whatever the goals (else: on a miss)"
    )
    args = parser.parse_args()

    with_sla = support_portal.desk()
    without = support_portal.desk(sla=SlaPolicy())

    print(
        f"handle throughput, cyclic support-portal transitions, n={args.n:,}, a fresh "
        f"ticket every {args.life} transitions, median of {args.repeats}"
    )
    runs = {
        f"{name}, {'a minute apart' if apart else 'same instant'}": cycle_run(
            desk, args.life, apart
        )
        for apart in (False, True)
        for name, desk in (("no SLA", without), ("portal SLA", with_sla))
    }
    rows = list(median_rates(runs, args.n, args.repeats).items())
    print(f"  {'desk':32} {'transitions/s':>14} {'µs each':>9}")
    for name, rate in rows:
        print(f"  {name:32} {rate:14,.0f} {1e6 / rate:9.2f}")
    same = rows[0][1] / rows[1][1]
    moving = rows[2][1] / rows[3][1]
    handle_ok = max(same, moving) <= HANDLE_GOAL
    print(
        f"  SLA cost: {same:.2f}x (same instant), {moving:.2f}x (a minute apart); "
        f"goal <= {HANDLE_GOAL:.0f}x: {'met' if handle_ok else 'MISSED'}"
    )

    print(f"\nhandle on a long-lived ticket, portal SLA, {args.sample} transitions sampled")
    print(f"  {'history (transitions)':24} {'µs each':>9} {'no SLA µs':>10} {'ratio':>7}")
    for history in (0, 1_000, 10_000):
        ours = growth(with_sla, history, args.sample, args.repeats)
        plain = growth(without, history, args.sample, args.repeats)
        print(f"  {history:<24,} {ours:9.2f} {plain:10.2f} {ours / plain:7.2f}")

    ticket = status_ticket(with_sla)
    micros = median_status_us(with_sla, ticket, args.calls, args.repeats)
    status_ok = micros <= STATUS_GOAL_US
    print(
        f"\nsla_status, 3 clocks (running, paused, stopped), {args.calls:,} calls, "
        f"median of {args.repeats}"
    )
    print(
        f"  {micros:.2f} µs per call; goal <= {STATUS_GOAL_US:.0f} µs: "
        f"{'met' if status_ok else 'MISSED'}"
    )

    if args.profile or not handle_ok:
        run = cycle_run(with_sla, args.life, True)
        profile("handle with the portal SLA", lambda: run(min(args.n, 20_000)), 25)
    if args.profile or not status_ok:

        def status_work() -> None:
            median_status_us(with_sla, ticket, min(args.calls, 20_000), 1)

        profile("sla_status", status_work, 20)


if __name__ == "__main__":
    main()
