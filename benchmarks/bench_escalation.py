"""Escalation benchmark: ``validate_escalation`` per call on the support-portal desk.

Run: ``.venv/bin/python benchmarks/bench_escalation.py`` (``--n 20000`` for a quick run).

Every request is checked on the desk of ``support_portal.desk()``: Monday to Friday
09:00-18:00 Moscow time with Russian holidays, three SLA metrics, and the seed portal's
escalation rules (75 % of an SLA target or 8 business hours without an answer, a
30-character justification, 4 business hours between two client escalations). The
tickets are built once, by handling commands, before anything is timed:

- *accepted, changed scope*: the client describes what changed (no SLA check needed);
- *accepted, SLA reason*: the clocks are past 75 %, so the evidence is computed;
- *refused, three rules*: an escalated request, escalated again by its client within
  the cooldown and only to raise the priority (three violations);
- *refused, SLA reason too early*: the SLA evidence is looked for and not found, and
  the instant from which it will be is computed (the slowest path).

Prints the median µs per call of ``--repeats`` runs of ``--n`` calls each, against the
goal of issue 6 (at most 20 µs per call). ``--profile`` prints a cProfile of each case.
This is a script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from ticketflow import (
    CHANGED_SCOPE,
    RAISE_PRIORITY,
    SLA_VIOLATION,
    Actor,
    Assign,
    Desk,
    Escalate,
    OpenTicket,
    Reply,
    Ticket,
    handle,
    tick,
    validate_escalation,
)
from ticketflow.presets import support_portal

GOAL_US = 20.0
MOSCOW = ZoneInfo("Europe/Moscow")
ALICE = Actor.customer("alice")
CAROL = Actor.agent("carol")


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=MOSCOW)


def opened(desk: Desk) -> Ticket:
    """Alice's request of Monday 10:00, assigned to carol at 10:05."""
    ticket = handle(
        desk,
        None,
        OpenTicket(actor=ALICE, at=moscow(2, 10), ticket_id="R-1", subject="No dial tone"),
    ).ticket
    return handle(
        desk, ticket, Assign(actor=CAROL, at=moscow(2, 10, 5), assignee="carol", group="voice")
    ).ticket


def answered(desk: Desk) -> Ticket:
    """The request answered by carol at 10:10: the first response is met."""
    return handle(desk, opened(desk), Reply(actor=CAROL, at=moscow(2, 10, 10), body="Hi")).ticket


def cases(desk: Desk) -> list[tuple[str, Ticket, Escalate, int]]:
    """(name, ticket, request, expected number of violations), built before timing."""
    scope = "now all internal numbers are down, not only 204"
    calm = answered(desk)
    late = tick(desk, opened(desk), moscow(2, 13, 30)).ticket  # first response 87 % used
    escalated = handle(
        desk, calm, Escalate(actor=ALICE, at=moscow(2, 11), reason=CHANGED_SCOPE, details=scope)
    ).ticket
    at = moscow(2, 11, 30)
    return [
        (
            "accepted, changed scope",
            calm,
            Escalate(actor=ALICE, at=at, reason=CHANGED_SCOPE, details=scope),
            0,
        ),
        (
            "accepted, SLA reason (clock past 75 %)",
            late,
            Escalate(actor=ALICE, at=moscow(2, 13, 30), reason=SLA_VIOLATION),
            0,
        ),
        (
            "refused, three rules broken",
            escalated,
            Escalate(actor=ALICE, at=at, reason=RAISE_PRIORITY),
            3,
        ),
        (
            "refused, SLA reason too early",
            calm,
            Escalate(actor=ALICE, at=at, reason=SLA_VIOLATION),
            1,
        ),
    ]


def per_call_us(desk: Desk, ticket: Ticket, request: Escalate, n: int, repeats: int) -> float:
    """Median µs per ``validate_escalation`` call over ``repeats`` runs of ``n`` calls."""
    at = request.at
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for _ in range(n):
            validate_escalation(desk, ticket, request, at)
        times.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="calls per run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each case")
    args = parser.parse_args()

    desk = support_portal.desk()
    print(
        f"validate_escalation on the support-portal desk, n={args.n:,} calls, "
        f"median of {args.repeats} runs (goal: <= {GOAL_US:.0f} µs per call)"
    )
    print(f"  {'request':40} {'violations':>10} {'µs/call':>9}  goal")
    for name, ticket, request, expected in cases(desk):
        found = len(validate_escalation(desk, ticket, request, request.at))
        assert expected == found, f"{name}: expected {expected} violations, got {found}"
        us = per_call_us(desk, ticket, request, args.n, args.repeats)
        verdict = "met" if us <= GOAL_US else "MISSED"
        print(f"  {name:40} {found:10} {us:9.2f}  {verdict}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                validate_escalation(desk, ticket, request, request.at)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
