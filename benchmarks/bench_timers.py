"""Time-driven rules benchmark: ``next_due`` and ``tick`` over a million tickets.

Run: ``.venv/bin/python benchmarks/bench_timers.py`` (``--n 100000`` for a quick run).

Both measurements use the support-portal desk of ``support_portal.desk()``: Monday to
Friday 09:00-18:00 Moscow time with Russian holidays, and a 3-business-day auto-close of
*awaiting confirmation* with a reminder one business day before.

(a) ``next_due`` over ``n`` tickets spread over the portal's eight statuses (built
    directly as ``Ticket(...)`` values, as a host loads snapshots). Half of them await
    confirmation, so the business-day deadline and its reminder are computed on the
    Moscow calendar; their instants are spread over a year.
(b) ``tick`` over ``n`` tickets whose close is due: each awaits confirmation, was
    reminded punctually, and is swept after its deadline, so ``tick`` finds the close,
    handles it as a system command stamped with its true instant, and returns the
    closed ticket and its event.

Each is set side by side with what a polling desk does instead (Zendesk automations
run hourly; ServiceNow's auto-close is an hourly job): every hour, for every ticket in
the status, test "business hours since it entered >= 3 business days" (here
``calendar.between(status_since, now) >= 27 h``, the Moscow 9-hour day) and the
reminder's 18 h, then close the ones that qualify with a command stamped with the
sweep's hour (up to an hour late). One ``next_due`` replaces every hourly test of a
ticket until it changes; the "per day" column counts the 24 sweeps a poller runs a day.

Prints total seconds and µs per ticket (median of ``--repeats`` runs) and the ratios.
Targets (issue 4): at most 10 s each for 1,000,000 tickets. ``--profile`` prints a
cProfile of one run of each. This is a script, not a test: speed is reported, never
asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ticketflow import Actor, Desk, PerformAction, Ticket, handle, next_due, tick
from ticketflow.presets import support_portal as portal

MOSCOW = ZoneInfo("Europe/Moscow")
BASE = datetime(2026, 1, 12, 9, tzinfo=MOSCOW)  # a Monday morning
YEAR_MINUTES = 365 * 24 * 60
CLOSE_AFTER = timedelta(hours=27)  # 3 business days of 09:00-18:00
REMIND_AFTER = timedelta(hours=18)  # 1 business day before the close
SWEEPS_PER_DAY = 24

# Half await confirmation (the timed status), the rest spread over the others.
SPREAD: Sequence[str] = (
    *[portal.AWAITING_CONFIRMATION] * 8,
    portal.IN_PROGRESS,
    portal.IN_PROGRESS,
    portal.WAITING_FOR_CUSTOMER,
    portal.ON_HOLD,
    portal.ESCALATED,
    portal.UNDER_INVESTIGATION,
    portal.CANCELED,
    portal.CLOSED,
)


def instant(i: int) -> datetime:
    """A deterministic instant within a year of ``BASE``, varying in day and minute."""
    return BASE + timedelta(minutes=(i * 7919) % YEAR_MINUTES)


def spread_tickets(n: int) -> list[Ticket]:
    """``n`` tickets over the portal's statuses; instants shared from a pool."""
    pool = [instant(i) for i in range(min(n, 20_011))]
    tickets = []
    for i in range(n):
        at = pool[i % len(pool)]
        status = SPREAD[i % len(SPREAD)]
        tickets.append(
            Ticket(
                id=f"T-{i}",
                subject="No dial tone",
                status=status,
                priority="normal",
                requester="alice",
                created_at=at,
                updated_at=at,
                status_since=at,
                version=3,
                last_customer_activity_at=at,
                resolved_at=at if status == portal.AWAITING_CONFIRMATION else None,
            )
        )
    return tickets


def due_tickets(desk: Desk, n: int) -> tuple[list[Ticket], datetime]:
    """``n`` tickets awaiting confirmation, reminded on time, and an instant after every
    close: each one's close is due."""
    pool_size = min(n, 20_011)
    pool = []
    for i in range(pool_size):
        at = instant(i)
        fresh = Ticket(
            id="T",
            subject="No dial tone",
            status=portal.AWAITING_CONFIRMATION,
            priority="normal",
            requester="alice",
            created_at=at,
            updated_at=at,
            status_since=at,
            version=3,
            last_customer_activity_at=at,
            resolved_at=at,
        )
        reminded = next_due(desk, fresh)
        assert reminded is not None
        pool.append((at, reminded))
    tickets = [
        Ticket(
            id=f"T-{i}",
            subject="No dial tone",
            status=portal.AWAITING_CONFIRMATION,
            priority="normal",
            requester="alice",
            created_at=at,
            updated_at=reminded,
            status_since=at,
            version=4,
            last_customer_activity_at=at,
            resolved_at=at,
            reminded_at=reminded,
        )
        for i in range(n)
        for at, reminded in (pool[i % pool_size],)
    ]
    return tickets, BASE + timedelta(days=400)


# -- ticketflow --------------------------------------------------------------------------


def next_due_all(desk: Desk, tickets: list[Ticket], _now: datetime) -> int:
    armed = 0
    for ticket in tickets:
        if next_due(desk, ticket) is not None:
            armed += 1
    return armed


def tick_all(desk: Desk, tickets: list[Ticket], now: datetime) -> int:
    fired = 0
    for ticket in tickets:
        fired += len(tick(desk, ticket, now).events)
    return fired


# -- what a polling desk does ---------------------------------------------------------------

ROBOT = Actor.system()


def poll_sweep(desk: Desk, tickets: list[Ticket], now: datetime) -> int:
    """One hourly sweep: test every timed ticket's business age against the rules."""
    between = desk.calendar.between
    timed = portal.AWAITING_CONFIRMATION
    flagged = 0
    for ticket in tickets:
        if ticket.status != timed:
            continue
        age = between(ticket.status_since, now)
        if age >= CLOSE_AFTER or (age >= REMIND_AFTER and ticket.reminded_at is None):
            flagged += 1
    return flagged


def poll_close(desk: Desk, tickets: list[Ticket], now: datetime) -> int:
    """One hourly sweep that closes what qualifies, stamped with the sweep's hour."""
    between = desk.calendar.between
    timed = portal.AWAITING_CONFIRMATION
    close = PerformAction(actor=ROBOT, at=now, action="close", reason="3 business days")
    fired = 0
    for ticket in tickets:
        if ticket.status == timed and between(ticket.status_since, now) >= CLOSE_AFTER:
            fired += len(handle(desk, ticket, close).events)
    return fired


# -- measuring ------------------------------------------------------------------------------


def median_seconds(
    run: Callable[[Desk, list[Ticket], datetime], int],
    desk: Desk,
    tickets: list[Ticket],
    now: datetime,
    repeats: int,
) -> tuple[float, int]:
    """Median seconds of ``run`` over ``repeats`` runs (after one warm-up), and its count."""
    count = run(desk, tickets[: min(len(tickets), 20_011)], now)  # warm the calendar
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        count = run(desk, tickets, now)
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def profile(
    run: Callable[[Desk, list[Ticket], datetime], int],
    desk: Desk,
    tickets: list[Ticket],
    now: datetime,
) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run, desk, tickets, now)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def report(title: str, n: int, rows: list[tuple[str, float, str]], target: float) -> None:
    print(f"\n{title}")
    print(f"  {'what':54} {'total s':>8} {'µs/ticket':>10} {'vs ticketflow':>14}")
    ours = rows[0][1]
    for name, seconds, note in rows:
        print(f"  {name:54} {seconds:8.2f} {seconds / n * 1e6:10.2f} {seconds / ours:13.2f}×")
        if note:
            print(f"    {note}")
    scaled = ours / n * 1_000_000
    verdict = "met" if scaled <= target else "MISSED"
    print(f"  target: ≤ {target:.0f} s per 1,000,000 tickets: {scaled:.2f} s, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="tickets per measurement")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each")
    args = parser.parse_args()
    n = args.n
    # The timers alone: the portal's workflow, calendar and auto-close (issue 4's scope).
    # The preset's desk() may add other policies (an SLA clock); its row shows their cost.
    preset = portal.desk()
    desk = Desk(workflow=portal.WORKFLOW, calendar=preset.calendar, auto_close=portal.AUTO_CLOSE)

    print(f"time-driven rules, support-portal desk (Moscow, RU holidays), n={n:,}")
    print(f"median of {args.repeats} runs; setup is not timed")

    tickets = spread_tickets(n)
    now = BASE + timedelta(days=200)
    ours, armed = median_seconds(next_due_all, desk, tickets, now, args.repeats)
    sweep, flagged = median_seconds(poll_sweep, desk, tickets, now, args.repeats)
    report(
        f"(a) next_due over tickets spread over 8 statuses ({armed:,} with a pending rule)",
        n,
        [
            ("ticketflow next_due (exact instant, once per change)", ours, ""),
            ("polling: one hourly sweep (between >= 3 business days)", sweep, ""),
            (
                f"polling: one day of hourly sweeps (x{SWEEPS_PER_DAY})",
                sweep * SWEEPS_PER_DAY,
                f"a poller learns only that {flagged:,} are due at its hour, never the instant",
            ),
        ],
        10.0,
    )
    if args.profile:
        profile(next_due_all, desk, tickets, now)
    del tickets
    gc.collect()

    tickets, now = due_tickets(desk, n)
    ours, fired = median_seconds(tick_all, desk, tickets, now, args.repeats)
    full, _ = median_seconds(tick_all, preset, tickets, now, args.repeats)
    polled, closed = median_seconds(poll_close, desk, tickets, now, args.repeats)
    report(
        f"(b) tick over tickets whose close is due ({fired:,} events)",
        n,
        [
            ("ticketflow tick (close stamped with its true instant)", ours, ""),
            ("ticketflow tick, support_portal.desk() as it ships", full, ""),
            (
                "polling: hourly sweep closing what qualifies",
                polled,
                f"{closed:,} events, each stamped with the sweep's hour instead",
            ),
        ],
        10.0,
    )
    if args.profile:
        profile(tick_all, desk, tickets, now)


if __name__ == "__main__":
    main()
