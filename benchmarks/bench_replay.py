"""What-if replay benchmark: the whole ServiceNow log through ``ticketflow.whatif``.

Run: ``.venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/bench_replay.py``

The log (UCI dataset #498, ``shared/data/servicenow_incidents`` beside the repository) is
read and turned into its command stream once (``tests/real_logs/streams.py``: 24,918
incidents, the log's closes marked), written as JSON lines in memory; then every round
runs, interleaved so a slow spell of the shared machine falls on all alike:

- the stream's lines decoded (``whatif.read_stream``: JSON and the codec);
- ``whatif.replay`` (the host loop and its report) with the workflow alone, sweeping at
  every due instant (there is no timer to fire);
- ``whatif.replay`` with the preset's whole desk (the SLA's resolution clock and the
  5-day auto-close), sweeping hourly as the instance's job does;
- ``ticketflow.handle`` alone over the same commands (no sweep, no report), the figure
  of ``bench_real_data.py``;
- ``transitions`` with a ``Machine`` per incident, and with one ``Machine`` and a model
  added and removed per incident (``bench_real_data.py``'s peer).

Rates count the log's rows (141,712 updates, the 5 invalid ones dropped), as the goals
do (issue 14: 100,000 rows/s for the workflow alone, 50,000 with SLA and auto-close); the
figures are medians over the rounds. On a machine shared with other work, ``--cpu``
times each run by the process's CPU time instead of the wall clock, which a crowded
machine stretches (waiting for a core is not the library's time). This is a script,
not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_real_data import (
    LOG,
    steps,
    ticketflow_replay,
    timed,
    transitions_contenders,
)

from ticketflow import Desk, whatif
from ticketflow.presets import servicenow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from real_logs import servicenow as servicenow_log
from real_logs import streams


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds")
    parser.add_argument(
        "--cpu", action="store_true", help="time by CPU time, not the wall clock (a shared machine)"
    )
    args = parser.parse_args()
    measure = cpu_timed if args.cpu else timed
    if not LOG.is_file():
        raise SystemExit(f"the log is not here: {LOG}")

    start = time.perf_counter()
    updates = servicenow_log.read_incidents(LOG)
    incidents = [servicenow_log.commands(u) for u in updates]
    entries = tuple(streams.hosting.entries(incidents, is_close=streams.is_close))
    lines = tuple(whatif.write_stream(entries))
    prepared = time.perf_counter() - start
    rows = sum(1 for u in updates for r in u if r.incident_state != servicenow_log.INVALID_STATE)
    sequences = steps(incidents)
    print(
        f"ServiceNow log: {len(incidents):,} incidents, {rows:,} rows, {len(entries):,} "
        f"commands, {sum(map(len, lines)) / 1e6:.1f} MB of stream (prepared in {prepared:.1f} s)"
    )

    workflow_desk = Desk(workflow=servicenow.WORKFLOW)
    full_desk = servicenow.desk()
    contenders: list[tuple[str, Callable[[], object]]] = [
        ("stream decoded (read_stream)", lambda: sum(1 for _ in whatif.read_stream(lines))),
        (
            "whatif.replay, workflow alone",
            lambda: whatif.replay(workflow_desk, entries, cadence=whatif.punctual),
        ),
        (
            "whatif.replay, SLA + auto-close, hourly",
            lambda: whatif.replay(full_desk, entries, cadence=whatif.hourly),
        ),
        ("handle alone, workflow alone", lambda: ticketflow_replay(workflow_desk, incidents)),
        ("handle alone, SLA + auto-close", lambda: ticketflow_replay(full_desk, incidents)),
    ]
    contenders.extend(transitions_contenders(sequences))

    outcomes = {name: run() for name, run in contenders}  # a warm-up round
    seconds: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _ in range(args.repeats):
        for name, run in contenders:
            seconds[name].append(measure(run))

    clock = "CPU time" if args.cpu else "wall clock"
    print(f"\nthe whole log, median of {args.repeats} interleaved rounds ({clock})")
    print(f"  {'run':40} {'rows/s':>10} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, _ in contenders:
        times = seconds[name]
        median = statistics.median(times)
        print(
            f"  {name:40} {rows / median:10,.0f} {median:9.2f} {min(times):7.2f} {max(times):7.2f}"
        )

    for name in ("whatif.replay, workflow alone", "whatif.replay, SLA + auto-close, hourly"):
        report = outcomes[name]
        assert isinstance(report, whatif.Report)
        refused = ", ".join(f"{r.code} {r.count}" for r in report.refused)
        print(
            f"\n{name}: {report.tickets:,} tickets, {report.accepted:,} accepted, "
            f"refused: {refused}"
        )
        print(f"  automatic closes {report.auto_closes:,}; logged closes {report.logged}")
        for m in report.sla:
            print(f"  {m.metric}: met {m.met:,}, breached {m.breached:,}, running {m.running:,}")


def cpu_timed(run: Callable[[], object]) -> float:
    """CPU seconds taken by ``run()`` in this process, the garbage collector paused as
    :func:`bench_real_data.timed` pauses it."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        run()
        return time.process_time() - start
    finally:
        gc.enable()


if __name__ == "__main__":
    main()
