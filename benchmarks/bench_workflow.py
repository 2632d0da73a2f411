"""Building and validating a workflow: time at scale, and the size of a problem report.

Run with ``python benchmarks/bench_workflow.py`` (``--quick`` for a smoke run).

``build`` is the median time of ``Workflow(...)`` on a valid workflow of N statuses and
N actions (a chain of actions through every status, one ``close`` from all of them, a
timer in every tenth status and a reaction in every third): validation and the
decider's lookups together. ``from_document`` reads the same workflow from its
document. ``unknown targets`` builds a workflow whose N transitions each name a status
that does not exist and reports the size of the error's message, the size of all its
problems written out, and the peak memory traced while building and formatting it.

Targets (issue 10): a 100,000-status, 100,000-action workflow builds in at most 10 s on
the 2-core reference machine, and a problem report stays linear in the number of
problems (each problem a line of bounded length, the message at most ``MAX_PROBLEMS``
lines).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ticketflow import (
    Category,
    Reaction,
    Status,
    Timer,
    Transition,
    Workflow,
    WorkflowDefinitionError,
)


def valid_parts(size: int) -> dict[str, Any]:
    """A valid workflow of ``size`` statuses and ``size`` actions."""
    names = [f"s{i}" for i in range(size - 1)]
    statuses = [Status(name, Category.ACTIVE) for name in names]
    statuses.append(Status("done", Category.CLOSED))
    chain = [*names, "done"]
    transitions = [
        Transition(action=f"a{i}", sources=chain[i], target=chain[i + 1], roles=("agent", "system"))
        for i in range(size - 1)
    ]
    transitions.append(Transition(action="close", sources=names, target="done", roles="agent"))
    timers = [
        Timer(name=f"t{i}", statuses=names[i], after=timedelta(hours=1), action=f"a{i}")
        for i in range(0, size - 1, 10)
    ]
    reactions = [Reaction(on="customer_reply", sources=names[::3], target=names[0])]
    return {
        "name": f"scale {size}",
        "statuses": tuple(statuses),
        "initial": names[0],
        "transitions": tuple(transitions),
        "reactions": tuple(reactions),
        "timers": tuple(timers),
    }


def broken_parts(size: int) -> dict[str, Any]:
    """A workflow of ``size`` statuses whose ``size`` transitions name unknown targets."""
    names = [f"s{i}" for i in range(size)]
    statuses = [Status(name, Category.ACTIVE) for name in names]
    statuses.append(Status("done", Category.CLOSED))
    transitions = [
        Transition(action=f"a{i}", sources=names[i], target=f"missing{i}", roles="agent")
        for i in range(size)
    ]
    return {
        "name": "broken",
        "statuses": tuple(statuses),
        "initial": "s0",
        "transitions": tuple(transitions),
    }


def median_seconds(call: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def report_size(size: int) -> tuple[int, int, int, int]:
    """Problems, message bytes, bytes of every problem written out, peak traced bytes."""
    parts = broken_parts(size)
    tracemalloc.start()
    try:
        Workflow(**parts)
    except WorkflowDefinitionError as error:
        message = str(error).encode()
        every = sum(len(str(p).encode()) + 1 for p in error.problems)
        count = len(error.problems)
    else:
        raise AssertionError("the broken workflow was accepted")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, len(message), every, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    quick = parser.parse_args().quick
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    repeats = 1 if quick else 3
    print(f"Python {sys.version.split()[0]}; median of {repeats} run(s)")
    print(f"{'statuses = actions':<20}{'build':>12}{'from_document':>16}")
    for size in sizes:
        parts = valid_parts(size)
        workflow = Workflow(**parts)
        document = workflow.to_document()
        build = median_seconds(lambda: Workflow(**parts), repeats)  # noqa: B023
        read = median_seconds(lambda: Workflow.from_document(document), repeats)  # noqa: B023
        print(f"{size:<20,}{build:>11.2f}s{read:>15.2f}s")
    print()
    print(f"{'unknown targets':<18}{'problems':>10}{'message':>14}{'all problems':>16}{'peak':>12}")
    for size in (4_000,) if quick else (4_000, 100_000):
        count, message, every, peak = report_size(size)
        print(f"{size:<18,}{count:>10,}{message:>12,} B{every:>14,} B{peak / 2**20:>10.1f} MB")
    print("\ntarget: build of 100,000 statuses and actions <= 10 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
