"""Every benchmark in one command, and one table: each ticketflow figure beside its peer.

Run: ``.venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/run_all.py``
(``--quick`` for a short run, a couple of minutes; ``--markdown`` prints the table as
Markdown, for ``benchmarks/README.md``).

The measurements are the benchmark scripts' own functions, run at the chosen size in
this one process (the host's in worker processes, the import times in fresh
interpreters), so every peer is measured in the same run, on the same machine, under
the same load: within a section, the contenders take turns round after round and each
figure is the median of its rounds.

- **state machine**: the support portal's cyclic agent transitions (``bench_core.py``):
  ticketflow ``handle`` with the workflow alone beside ``transitions``,
  ``python-statemachine`` and ``automat`` with the same statuses and edges (mutable,
  no events, no time, no roles).
- **memory**: bytes per ``Ticket`` value after N tickets opened by ``handle``
  (tracemalloc, what the tickets hold), beside one ``transitions`` model per ticket on a
  shared ``Machine`` and one ``automat`` machine per ticket.
- **business time**: ``BusinessCalendar.add``/``between`` on Monday-Friday 09:00-17:00
  Berlin with German holidays (``bench_calendar.py``), beside ``businesstimedelta`` and
  pandas' ``CustomBusinessHour``; a note says whether the peer gave the same instant.
- **host**: the reference host on SQLite (``synchronous=FULL``) and, in the full run,
  PostgreSQL (``bench_host.py``): appends of the same events beside ``eventsourcing``'s
  application recorders, and whole commands (load, handle, append), one process.
- **real log** (full run only): the whole ServiceNow incident log replayed
  (``bench_real_data.py``) beside ``transitions``.
- **import**: the time of an import statement in a fresh interpreter (bytecode already
  compiled, in a cache of the run's own), median of N, beside the peers' own imports;
  below the table, ``python -X importtime``'s costliest modules of the engine.
- Figures without a peer: building a workflow, the codec, escalation checks, and the
  rows of ``bench_sla.py``, ``bench_timers.py`` and (full run) ``bench_replay.py``, run
  as they are (their rows read from their output).

The ``×`` column is how many times better ticketflow's figure is than the peer's
(faster, or smaller): above 1 ticketflow is ahead, below 1 the peer is. This is a
script, not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_calendar  # noqa: E402
import bench_core  # noqa: E402

from ticketflow import Actor, Desk, OpenTicket, Ticket, handle  # noqa: E402
from ticketflow.presets import support_portal  # noqa: E402


@dataclass(frozen=True)
class Row:
    """One figure of ticketflow's, and the peer's measured beside it (if any)."""

    area: str
    measure: str
    ours: float
    unit: str
    peer: str = ""
    theirs: float | None = None
    note: str = ""

    @property
    def advantage(self) -> float | None:
        """How many times better ours is: a rate's ratio, or a cost's inverse ratio."""
        if self.theirs is None or not self.theirs or not self.ours:
            return None
        return self.ours / self.theirs if self.unit.endswith("/s") else self.theirs / self.ours


@dataclass(frozen=True)
class Sizes:
    """How much of everything one run measures."""

    rounds: int
    transitions: int
    tickets: int
    calendar_budget: float
    host_tickets: int
    host_replies: int
    postgres: bool
    real_log: bool
    workflow_statuses: int
    codec_documents: int
    escalation_calls: int
    imports: int
    spans: tuple[tuple[str, timedelta], ...]
    scripts: tuple[tuple[str, ...], ...]


QUICK = Sizes(
    rounds=3,
    transitions=20_000,
    tickets=5_000,
    calendar_budget=0.05,
    host_tickets=5,
    host_replies=5,
    postgres=False,
    real_log=False,
    workflow_statuses=1_000,
    codec_documents=2_000,
    escalation_calls=2_000,
    imports=7,
    spans=(("1 month", timedelta(days=30)),),
    scripts=(
        ("bench_sla.py", "--n", "20000", "--repeats", "3", "--sample", "100", "--calls", "2000"),
        ("bench_timers.py", "--n", "20000", "--repeats", "3"),
    ),
)
FULL = Sizes(
    rounds=5,
    transitions=200_000,
    tickets=100_000,
    calendar_budget=0.5,
    host_tickets=20,
    host_replies=20,
    postgres=True,
    real_log=True,
    workflow_statuses=10_000,
    codec_documents=20_000,
    escalation_calls=50_000,
    imports=21,
    # businesstimedelta takes seconds over ten years: the full run only.
    spans=(("1 month", timedelta(days=30)), ("10 years", timedelta(days=3652))),
    scripts=(
        ("bench_sla.py", "--n", "100000", "--repeats", "5"),
        ("bench_timers.py", "--n", "200000", "--repeats", "3"),
        ("bench_replay.py", "--repeats", "3"),
    ),
)


def rounds_of(
    contenders: Sequence[tuple[str, Callable[[], float]]], rounds: int
) -> dict[str, float]:
    """The median of each contender's figure over ``rounds`` rounds, taking turns."""
    figures: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for name, measure in contenders:
            figures[name].append(measure())
    return {name: statistics.median(values) for name, values in figures.items()}


def installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        print(f"  ({module} is not installed: pip install -e '.[bench]'; its rows are left out)")
        return False
    return True


# -- the state machine -----------------------------------------------------------------


def state_machines(sizes: Sizes) -> list[Row]:
    n = sizes.transitions
    runs = {
        "ticketflow": (bench_core.ticketflow_run, n),
        "transitions": (bench_core.transitions_run, n),
        # python-statemachine is about ten times slower: a tenth of the run, the same rate.
        "python-statemachine": (bench_core.statemachine_run, max(n // 10, 1)),
        "automat": (bench_core.automat_run, n),
    }
    available = {
        name: run for name, run in runs.items() if name == "ticketflow" or installed(name_of(name))
    }
    rates = rounds_of(
        [
            (name, lambda run=run, size=size: bench_core.median_rate(run, size, 1))
            for name, (run, size) in available.items()
        ],
        sizes.rounds,
    )
    return [
        Row(
            "state machine",
            "support-portal transitions per second (workflow alone)",
            rates["ticketflow"],
            "/s",
            peer,
            rates[peer],
            "ticketflow: checked, an event and a new immutable ticket each",
        )
        for peer in available
        if peer != "ticketflow"
    ]


def name_of(peer: str) -> str:
    """The module a peer library is imported as."""
    return {"python-statemachine": "statemachine"}.get(peer, peer)


# -- memory per ticket -----------------------------------------------------------------


def bytes_each(make: Callable[[int], object], count: int) -> float:
    """Bytes per object held after making ``count`` of them (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    keep = [make(i) for i in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del keep
    return (after - before) / count


def memory(sizes: Sizes) -> list[Row]:
    count = sizes.tickets
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    # Inputs are made first: what is counted is what the tickets themselves hold.
    ids = [f"T-{i}" for i in range(count)]
    instants = [at + timedelta(seconds=i) for i in range(count)]
    desk = Desk(workflow=support_portal.WORKFLOW)
    alice = Actor.customer("alice")

    def opened(i: int) -> Ticket:
        command = OpenTicket(actor=alice, at=instants[i], ticket_id=ids[i], subject="Phones down")
        return handle(desk, None, command).ticket

    ours = bytes_each(opened, count)
    rows = []
    if installed("transitions"):
        from transitions import Machine

        states, edges = bench_core.portal_graph()
        machine = Machine(
            states=states,
            transitions=[[a, s, d] for a, s, d in edges],
            initial=support_portal.IN_PROGRESS,
            auto_transitions=False,
        )

        class Model:
            pass

        def model(_: int) -> object:
            instance = Model()
            machine.add_model(instance)
            return instance

        theirs = bytes_each(model, max(count // 10, 1))
        rows.append(
            Row(
                "memory",
                f"bytes per ticket after {count:,} opened",
                ours,
                "B",
                "transitions",
                theirs,
                "peer: a model added to one shared Machine (its state and triggers only)",
            )
        )
    if installed("automat"):
        factory = bench_core.automat_factory()
        theirs = bytes_each(lambda _: factory(), max(count // 10, 1))
        rows.append(
            Row(
                "memory",
                f"bytes per ticket after {count:,} opened",
                ours,
                "B",
                "automat",
                theirs,
                "peer: one machine instance of one built type (its state only)",
            )
        )
    return rows or [Row("memory", f"bytes per ticket after {count:,} opened", ours, "B")]


def business_time(sizes: Sizes) -> list[Row]:
    budget = sizes.calendar_budget
    start = bench_calendar.START
    calendar = bench_calendar.make_calendar()
    btd = bench_calendar.businesstimedelta_peer()
    pdh = bench_calendar.pandas_peer()

    def seconds(call: Callable[[], object]) -> Callable[[], float]:
        return lambda: bench_calendar.median_seconds(call, budget=budget, repeats=3)

    rows = []
    for hours in (8, 2_000):
        duration = timedelta(hours=hours)
        answer = calendar.add(start, duration)
        contenders = [("ticketflow", seconds(lambda d=duration: calendar.add(start, d)))]
        answers = {}
        if btd is not None:
            answers["businesstimedelta"] = btd[0](start, hours)
            contenders.append(("businesstimedelta", seconds(lambda h=hours: btd[0](start, h))))
        if pdh is not None:
            answers["pandas"] = pdh(start, hours)
            contenders.append(("pandas", seconds(lambda h=hours: pdh(start, h))))
        figures = rounds_of(contenders, sizes.rounds)
        for peer, value in answers.items():
            rows.append(
                Row(
                    "business time",
                    f"add {hours:,} business hours (warm calendar)",
                    figures["ticketflow"] * 1e6,
                    "µs",
                    peer,
                    figures[peer] * 1e6,
                    f"same instant: {bench_calendar.same(value, answer)}",
                )
            )
    cold = bench_calendar.cold_seconds(
        lambda c: c.add(start, timedelta(hours=8)), repeats=max(3, sizes.rounds)
    )
    rows.append(
        Row(
            "business time",
            "add 8 business hours, new calendar (its year's table built)",
            cold * 1e6,
            "µs",
            note="no peer keeps state between calls: compare with their warm rows",
        )
    )
    for label, span in sizes.spans:
        end = start + span
        answer_span = calendar.between(start, end)
        contenders = [("ticketflow", seconds(lambda e=end: calendar.between(start, e)))]
        if btd is not None:
            contenders.append(("businesstimedelta", seconds(lambda e=end: btd[1](start, e))))
        figures = rounds_of(contenders, sizes.rounds)
        rows.append(
            Row(
                "business time",
                f"business time between two instants {label} apart",
                figures["ticketflow"] * 1e6,
                "µs",
                "businesstimedelta" if btd is not None else "",
                figures.get("businesstimedelta") and figures["businesstimedelta"] * 1e6,
                ""
                if btd is None
                else f"same: {bench_calendar.same(btd[1](start, end), answer_span)}",
            )
        )
    return rows


# -- the host --------------------------------------------------------------------------


def host(sizes: Sizes) -> list[Row]:
    import bench_host

    folder = Path(tempfile.mkdtemp(prefix="ticketflow-run-all-"))
    places = iter(range(1_000))
    server = None
    if sizes.postgres:
        try:
            server = bench_host.PostgresServer.start("run-all", durable=True)
        except (FileNotFoundError, RuntimeError) as error:  # not installed, or did not start
            print(f"  (PostgreSQL could not start, its rows are left out: {error})")

    def place(kind: str) -> object:
        n = next(places)
        if kind == "sqlite":
            return bench_host.Place("sqlite", str(folder / f"run{n}.db"))
        assert server is not None
        return bench_host.Place("postgres", server.fresh_database(f"runall{n}"))

    def rate(target: Callable[..., float], kind: str) -> Callable[[], float]:
        def measure() -> float:
            job = bench_host.Job(place(kind), True, 0, sizes.host_tickets, sizes.host_replies)
            return bench_host.rate(target, job, 1)

        return measure

    rows = []
    try:
        for kind, label in (("sqlite", "SQLite, synchronous FULL"), ("postgres", "PostgreSQL")):
            if kind == "postgres" and server is None:
                continue
            contenders = [
                ("appends", rate(bench_host.appends_worker, kind)),
                ("commands", rate(bench_host.commands_worker, kind)),
            ]
            peer = installed("eventsourcing")
            if peer:
                contenders.append(("eventsourcing", rate(bench_host.eventsourcing_worker, kind)))
            figures = rounds_of(contenders, sizes.rounds)
            rows.append(
                Row(
                    "host",
                    f"appends per second (a command's events, one transaction), {label}, 1 process",
                    figures["appends"],
                    "/s",
                    "eventsourcing" if peer else "",
                    figures.get("eventsourcing"),
                    "one transaction per command; the same documents",
                )
            )
            rows.append(
                Row(
                    "host",
                    f"commands per second (load, handle, append), {label}, 1 process",
                    figures["commands"],
                    "/s",
                    note="no peer does the whole command",
                )
            )
    finally:
        if server is not None:
            server.stop()
    return rows


# -- the real log ----------------------------------------------------------------------


def real_log(sizes: Sizes) -> list[Row]:
    import bench_real_data
    from bench_real_data import servicenow, servicenow_log

    if not bench_real_data.LOG.is_file():
        print(f"  (the ServiceNow log is not here, its rows are left out: {bench_real_data.LOG})")
        return []
    updates = servicenow_log.read_incidents(bench_real_data.LOG)
    incidents = [servicenow_log.commands(u) for u in updates]
    sequences = bench_real_data.steps(incidents)
    rows_of_log = sum(
        1 for u in updates for r in u if r.incident_state != servicenow_log.INVALID_STATE
    )
    workflow_desk = Desk(workflow=servicenow.WORKFLOW)
    contenders = [
        (
            "ticketflow",
            lambda: (
                rows_of_log
                / bench_real_data.timed(
                    lambda: bench_real_data.ticketflow_replay(workflow_desk, incidents)
                )
            ),
        ),
    ]
    if installed("transitions"):
        contenders.append(
            (
                "transitions",
                lambda: (
                    rows_of_log
                    / bench_real_data.timed(lambda: bench_real_data.transitions_replay(sequences))
                ),
            )
        )
    # A round replays the whole log with each library: three rounds are enough.
    figures = rounds_of(contenders, min(sizes.rounds, 3))
    return [
        Row(
            "real log",
            f"ServiceNow log replayed, updates per second ({len(incidents):,} incidents)",
            figures["ticketflow"],
            "/s",
            "transitions" if "transitions" in figures else "",
            figures.get("transitions"),
            "workflow alone; peer: a Machine per incident",
        )
    ]


# -- figures without a peer ------------------------------------------------------------


def ours_only(sizes: Sizes) -> list[Row]:
    import bench_codec
    import bench_escalation
    import bench_workflow

    from ticketflow import Workflow
    from ticketflow.codec import from_document, to_document

    rows = []
    parts = bench_workflow.valid_parts(sizes.workflow_statuses)
    build = bench_workflow.median_seconds(lambda: Workflow(**parts), sizes.rounds)
    rows.append(
        Row(
            "workflow",
            f"build and check a workflow of {sizes.workflow_statuses:,} statuses and actions",
            build * 1e3,
            "ms",
        )
    )
    events = bench_codec._load("support_portal_events")
    values = [from_document(d) for d in events]
    for verb, work, items in (("written", to_document, values), ("read", from_document, events)):
        rate = bench_codec._rate(work, items, sizes.codec_documents, sizes.rounds)
        rows.append(Row("codec", f"event documents {verb} per second", rate, "/s"))
    desk = support_portal.desk()
    for name, ticket, request, _ in bench_escalation.cases(desk):
        if name.startswith(("accepted, SLA", "refused, SLA")):
            us = bench_escalation.per_call_us(
                desk, ticket, request, sizes.escalation_calls, sizes.rounds
            )
            rows.append(Row("escalation", f"validate_escalation, {name}", us, "µs"))
    return rows


# An indented row of a script's table: a label, two or more spaces, then a number.
SCRIPT_ROW = re.compile(r"^\s{2}(?P<label>\S.*?)\s{2,}(?P<value>-?[\d,]+(?:\.\d+)?)\b")


def script_rows(script: Sequence[str]) -> list[Row]:
    """The rows of another benchmark script's tables, run as it is: each row's label and
    first number, under its section's first line and its header's first column."""
    name, *arguments = script
    done = subprocess.run(
        [sys.executable, str(HERE / name), *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=HERE.parent,
    )
    if done.returncode:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        print(f"  ({name} failed, its rows are left out: {tail[0]})")
        return []
    rows = []
    section = unit = ""
    for line in done.stdout.splitlines():
        if line and not line.startswith(" "):
            section, unit = line.split(", ")[0].strip(), ""
            continue
        match = SCRIPT_ROW.match(line)
        if match is None:
            columns = re.split(r"\s{2,}", line.strip())
            if len(columns) > 1 and not unit:
                unit = columns[1]
            continue
        rows.append(
            Row(
                name.removesuffix(".py").removeprefix("bench_"),
                f"{section}: {match['label'].strip()}",
                float(match["value"].replace(",", "")),
                unit,
            )
        )
    return rows


# -- import time -----------------------------------------------------------------------

IMPORTS = (
    ("ticketflow", "import ticketflow"),
    ("the engine", "from ticketflow import Desk, handle"),
    ("a preset's desk", "from ticketflow.presets import support_portal; support_portal.desk()"),
    ("transitions", "import transitions"),
    ("python-statemachine", "import statemachine"),
    ("automat", "import automat"),
    ("eventsourcing", "import eventsourcing.application"),
    ("attrs", "import attrs"),
)
TIMED = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"


def interpreter_environment() -> dict[str, str]:
    """A fresh interpreter's environment: bytecode written to and read from a cache of
    this run's own (as an installed package's is compiled when installed)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="ticketflow-pycache-")
    return environment


def import_seconds(statements: Iterable[str], runs: int) -> dict[str, float]:
    """The median time of each statement in a fresh interpreter, the statements taking
    turns; a first, untimed run compiles the bytecode."""
    environment = interpreter_environment()
    chosen = list(statements)
    for statement in chosen:
        subprocess.run([sys.executable, "-c", statement], env=environment, check=False)
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for statement in chosen:
            done = subprocess.run(
                [sys.executable, "-c", TIMED.format(statement=statement)],
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode == 0:
                samples[statement].append(float(done.stdout))
    return {s: statistics.median(v) for s, v in samples.items()}


def imports(sizes: Sizes) -> list[Row]:
    figures = import_seconds((s for _, s in IMPORTS), sizes.imports)
    holidays = subprocess.run(
        [sys.executable, "-c", "import sys, ticketflow; print('holidays' in sys.modules)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    engine = figures[IMPORTS[1][1]] * 1e3
    attrs_alone = figures.get(IMPORTS[7][1])
    rows = [
        Row(
            "import",
            "import ticketflow, fresh interpreter (goal: at most 60 ms)",
            figures[IMPORTS[0][1]] * 1e3,
            "ms",
            note=f"the namespace alone; holidays imported: {'yes' if holidays == 'True' else 'no'}",
        ),
        *(
            Row(
                "import",
                "from ticketflow import Desk, handle (the engine), beside the peer's import",
                engine,
                "ms",
                peer,
                figures[statement] * 1e3,
                ""
                if attrs_alone is None
                else f"of which attrs' own import is {attrs_alone * 1e3:,.0f} ms",
            )
            for peer, statement in IMPORTS[3:7]
            if statement in figures
        ),
        Row(
            "import",
            "the engine and support_portal.desk() (TOML, holidays' registry)",
            figures[IMPORTS[2][1]] * 1e3,
            "ms",
        ),
    ]
    return rows


def import_costs(statement: str, runs: int, top: int) -> list[tuple[str, float]]:
    """The modules with the largest median own import time (``-X importtime``), in ms."""
    environment = interpreter_environment()
    subprocess.run([sys.executable, "-c", statement], env=environment, check=False)
    own: dict[str, list[int]] = defaultdict(list)
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        ).stderr
        for line in err.splitlines():
            fields = line.removeprefix("import time:").split("|")
            if len(fields) == 3 and fields[0].strip().isdigit():
                own[fields[2].strip()].append(int(fields[0]))
    ranked = sorted(((statistics.median(v) / 1e3, k) for k, v in own.items()), reverse=True)
    attrs_total = sum(ms for ms, name in ranked if name.split(".")[0] in {"attr", "attrs"})
    ours_total = sum(ms for ms, name in ranked if name.split(".")[0] == "ticketflow")
    return [
        ("all of ticketflow's modules", ours_total),
        ("attrs (and attr)", attrs_total),
        *((name, ms) for ms, name in ranked[:top]),
    ]


# -- the table -------------------------------------------------------------------------


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "/s":
        return f"{value:,.0f} /s"
    if unit == "B":
        return f"{value:,.0f} B"
    return f"{value:,.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def table(rows: Sequence[Row], *, markdown: bool) -> str:
    """The rows as one table (plain text, or Markdown)."""
    header = ("area", "what is measured", "ticketflow", "peer", "peer's figure", "×", "note")
    cells = [
        (
            row.area,
            row.measure,
            figure(row.ours, row.unit),
            row.peer or "-",
            figure(row.theirs, row.unit) or "-",
            ratio(row.advantage),
            row.note,
        )
        for row in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    right = {2, 4, 5}
    lines = [
        "  ".join(
            (c.rjust(widths[i]) if i in right else c.ljust(widths[i])) for i, c in enumerate(row)
        ).rstrip()
        for row in [header, *cells]
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


SECTIONS: tuple[tuple[str, Callable[[Sizes], list[Row]]], ...] = (
    ("state machine", state_machines),
    ("memory", memory),
    ("business time", business_time),
    ("host", host),
    ("real log", real_log),
    ("figures without a peer", ours_only),
    ("import", imports),
)


def machine_class() -> str:
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory_gib:.0f} GiB, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a couple of minutes")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", default="", help="only the sections whose name contains this")
    options = parser.parse_args()
    sizes = QUICK if options.quick else FULL
    began = time.perf_counter()
    rows: list[Row] = []
    for name, measure in SECTIONS:
        if options.only not in name or (name == "real log" and not sizes.real_log):
            continue
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        rows += measure(sizes)
    if not options.only or options.only in "figures without a peer":
        for script in sizes.scripts:
            print(f"running {' '.join(script)} ...", file=sys.stderr, flush=True)
            rows += script_rows(script)
    load = os.getloadavg()
    print(
        f"\nticketflow benchmarks, {'quick' if options.quick else 'full'} run"
        f"{f' (sections matching {options.only!r})' if options.only else ''} of "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {time.perf_counter() - began:,.0f} s; "
        f"{machine_class()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print("×: how many times better ticketflow's figure is than the peer's (above 1: ahead)\n")
    print(table(rows, markdown=options.markdown))
    if not options.only or options.only in "import":
        print("\nwhere `from ticketflow import Desk, handle` spends its import time (own ms):")
        for name, ms in import_costs(IMPORTS[1][1], max(3, sizes.imports // 3), 12):
            print(f"  {name:<40} {ms:7.2f}")


if __name__ == "__main__":
    main()
