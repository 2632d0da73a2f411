"""Real-data benchmark: the whole ServiceNow incident log replayed, side by side with a peer.

Run: ``.venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/bench_real_data.py``

The log is UCI dataset #498, "Incident management process enriched event log" (Amaral,
Fantinato, Reijers and Peres, LNBIP 346, Springer 2019), in
``shared/data/servicenow_incidents`` next to the repository (see its ``SOURCE.md``).
Its 24,918 incidents are read and turned into commands once (by the tests' log reader,
``tests/real_logs/servicenow.py``, for the desk ``ticketflow.presets.servicenow``); then
every round replays all of them:

- ticketflow ``handle`` with the workflow alone (as the peer has it: no SLA, no
  timers), every command checked, every change an event and a new immutable ticket;
- ticketflow ``handle`` with the preset's whole desk (auto-close and the example SLA's
  resolution clock), which has no peer;
- ``transitions``: a ``Machine`` per incident, with the same statuses and
  (action, source, target) edges, driven through the same sequence of actions (and the
  priority set as a plain attribute); mutable, no events, no time, no roles;
- ``transitions`` with one ``Machine`` and a model added and removed per incident.

Rounds are interleaved (each contender once per round), so a slow spell of the shared
machine falls on all alike; the figures are medians over the rounds. Rates count the
log's updates (rows, the 5 invalid ones dropped). A refused command is caught and
skipped by ticketflow, and a refused trigger (``MachineError``) by ``transitions``.

Then, once and untimed, what the library measures against what the log shows: the
share of incidents whose resolution clock (``servicenow.SLA``: real time from opening
to closing, never paused, with targets of 8/24/216/504 hours for
critical/high/moderate/low, as the log's ``made_sla`` shows the instance's SLA) met its
target, against the log's ``made_sla``; and
when the 5-day auto-close falls due against when the log's incidents were closed.

This is a script, not a test: speed and agreement are reported, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from ticketflow import (
    ChangePriority,
    Command,
    CommandRefusedError,
    Desk,
    PerformAction,
    Ticket,
    handle,
    next_due,
    sla_status,
)
from ticketflow.presets import servicenow

# The log's reader lives with the tests (the package does no I/O): tests/real_logs.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from real_logs import servicenow as servicenow_log

LOG = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "servicenow_incidents"
    / "incident_event_log.csv.gz"
)

Incidents = Sequence[tuple[Command, ...]]


def timed(run: Callable[[], object]) -> float:
    """Seconds taken by ``run()``, with the garbage collector paused as ``timeit`` does."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def ticketflow_replay(desk: Desk, incidents: Incidents) -> int:
    """Replay every incident with ``handle``; returns the number of refused commands."""
    refused = 0
    for commands in incidents:
        ticket: Ticket | None = None
        for command in commands:
            try:
                ticket = handle(desk, ticket, command).ticket
            except CommandRefusedError:
                refused += 1
    return refused


def edges() -> list[list[str]]:
    """The workflow's (action, source, target) edges, roles dropped."""
    wf = servicenow.WORKFLOW
    found = sorted({(t.action, s, t.target) for t in wf.transitions for s in t.sources})
    return [list(edge) for edge in found]


def steps(incidents: Incidents) -> list[list[tuple[bool, str]]]:
    """Per incident, its commands as (is a state change, action or priority)."""
    return [
        [
            (True, c.action) if isinstance(c, PerformAction) else (False, c.priority)
            for c in commands
            if isinstance(c, PerformAction | ChangePriority)
        ]
        for commands in incidents
    ]


def transitions_replay(sequences: list[list[tuple[bool, str]]]) -> int:
    """A ``Machine`` per incident; returns the number of refused triggers."""
    from transitions import Machine, MachineError

    states = [s.name for s in servicenow.WORKFLOW.statuses]
    table = edges()

    class Incident:
        priority = "moderate"

    refused = 0
    for sequence in sequences:
        model = Incident()
        Machine(model, states=states, transitions=table, initial="new", auto_transitions=False)
        for is_action, value in sequence:
            if is_action:
                try:
                    getattr(model, value)()
                except MachineError:
                    refused += 1
            else:
                model.priority = value
    return refused


def transitions_shared_replay(sequences: list[list[tuple[bool, str]]]) -> int:
    """One ``Machine``, a model added and removed per incident."""
    from transitions import Machine, MachineError

    states = [s.name for s in servicenow.WORKFLOW.statuses]
    machine = Machine(
        None, states=states, transitions=edges(), initial="new", auto_transitions=False
    )

    class Incident:
        priority = "moderate"

    refused = 0
    for sequence in sequences:
        model = Incident()
        machine.add_model(model)
        for is_action, value in sequence:
            if is_action:
                try:
                    getattr(model, value)()
                except MachineError:
                    refused += 1
            else:
                model.priority = value
        machine.remove_model(model)
    return refused


def agreement(incidents: Incidents, updates: Sequence[tuple[servicenow_log.Update, ...]]) -> None:
    """What the full desk measures against what the log shows (information only)."""
    desk = servicenow.desk()
    met: Counter[tuple[str, bool, bool]] = Counter()
    lateness: list[timedelta] = []
    for commands, rows in zip(incidents, updates, strict=True):
        ticket: Ticket | None = None
        for command in commands:
            if (
                ticket is not None
                and isinstance(command, PerformAction)
                and command.action == "close"
                and ticket.status == servicenow.RESOLVED
            ):
                due = next_due(desk, ticket)
                if due is not None:
                    lateness.append(command.at - due)
            with contextlib.suppress(CommandRefusedError):  # counted by the timed rounds
                ticket = handle(desk, ticket, command).ticket
        assert ticket is not None
        (resolution,) = sla_status(desk, ticket, ticket.updated_at)
        priority = servicenow_log.PRIORITIES[rows[-1].priority]
        met[priority, bool(resolution.met), rows[-1].made_sla == "true"] += 1

    print("\nresolution SLA: ticketflow's clock (servicenow.SLA) against the log's made_sla")
    print(f"  {'priority':10} {'incidents':>9} {'met (ours)':>11} {'made_sla':>9} {'agree':>7}")
    for level in ("critical", "high", "moderate", "low", "all"):
        some = {k: v for k, v in met.items() if level in ("all", k[0])}
        n = sum(some.values())
        ours = sum(v for (_, m, _), v in some.items() if m)
        log = sum(v for (_, _, made), v in some.items() if made)
        agree = sum(v for (_, m, made), v in some.items() if m == made)
        print(f"  {level:10} {n:9,} {ours / n:11.1%} {log / n:9.1%} {agree / n:7.1%}")
    both: Counter[tuple[bool, bool]] = Counter()
    for (_, ours_met, made), v in met.items():
        both[ours_met, made] += v
    print(
        f"  met by both {both[True, True]:,} · breached by both {both[False, False]:,} · "
        f"met by ours only {both[True, False]:,} · by the log only {both[False, True]:,}"
    )

    lateness.sort()
    hour = timedelta(hours=1)
    within = sum(1 for d in lateness if timedelta(0) <= d < hour)
    print("\nauto-close: the log's close against ticketflow's due instant (resolved + 5 days)")
    print(
        f"  {len(lateness):,} closes from resolved · {within / len(lateness):.1%} within the "
        f"hour after the due instant · {sum(1 for d in lateness if d < timedelta(0)):,} "
        f"before it · median {lateness[len(lateness) // 2]} after"
    )


def transitions_contenders(
    sequences: list[list[tuple[bool, str]]],
) -> list[tuple[str, Callable[[], int]]]:
    """The ``transitions`` peer's two ways of replaying ``sequences`` (a ``Machine`` per
    incident, one shared ``Machine``), or none when it is not installed (saying so)."""
    try:
        import transitions  # noqa: F401
    except ImportError:
        print("  transitions not installed: pip install -e '.[bench]'")
        return []
    return [
        ("transitions, Machine per incident", lambda: transitions_replay(sequences)),
        ("transitions, one Machine, add_model", lambda: transitions_shared_replay(sequences)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds")
    args = parser.parse_args()
    if not LOG.is_file():
        raise SystemExit(f"the log is not here: {LOG}")

    start = time.perf_counter()
    updates = servicenow_log.read_incidents(LOG)
    read = time.perf_counter() - start
    start = time.perf_counter()
    incidents = [servicenow_log.commands(u) for u in updates]
    convert = time.perf_counter() - start
    sequences = steps(incidents)
    rows = sum(1 for u in updates for r in u if r.incident_state != servicenow_log.INVALID_STATE)
    count = len(incidents)
    n_commands = sum(len(c) for c in incidents)
    print(
        f"ServiceNow log: {count:,} incidents, {rows:,} updates, {n_commands:,} commands "
        f"(read {read:.2f} s, converted {convert:.2f} s)"
    )

    workflow_desk = Desk(workflow=servicenow.WORKFLOW)
    full_desk = servicenow.desk()
    contenders: list[tuple[str, Callable[[], int]]] = [
        ("ticketflow handle, workflow alone", lambda: ticketflow_replay(workflow_desk, incidents)),
        ("ticketflow handle, whole desk (SLA)", lambda: ticketflow_replay(full_desk, incidents)),
    ]
    contenders.extend(transitions_contenders(sequences))

    refusals = {name: run() for name, run in contenders}  # a warm-up round, and the counts
    seconds: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _ in range(args.repeats):
        for name, run in contenders:
            seconds[name].append(timed(run))

    print(f"\nreplaying the whole log, median of {args.repeats} interleaved rounds")
    print(
        f"  {'replay':38} {'updates/s':>10} {'µs/incident':>12} {'× ticketflow':>13} {'refused':>8}"
    )
    ours = statistics.median(seconds[contenders[0][0]])
    for name, _ in contenders:
        median = statistics.median(seconds[name])
        print(
            f"  {name:38} {rows / median:10,.0f} {median / count * 1e6:12.1f} "
            f"{median / ours:13.2f} {refusals[name]:8,}"
        )
    print(
        "  (× ticketflow: time relative to the first row. ticketflow refuses 2 stale updates "
        "that transitions, which has no time, accepts)"
    )

    agreement(incidents, updates)


if __name__ == "__main__":
    main()
