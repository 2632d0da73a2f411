"""The ``ticketflow`` command-line tool (``ticketflow ...`` or ``python -m ticketflow ...``).

Commands:

- ``diagram PRESET|WORKFLOW_FILE --format mermaid|dot``: a workflow's diagram.
- ``check FILE [--kind desk|workflow|calendar]``: whether a desk, workflow or calendar
  document is valid (a desk's SLA policy linted against its workflow too); every
  problem on its own line, with its path and its fix.
- ``schema``: the JSON Schema of a desk document.
- ``demo``: the scripted life of one ticket through the support-portal preset.
- ``due TICKETS.jsonl --preset NAME --at INSTANT``: which stored tickets fall due.
- ``explain TICKETS.jsonl --preset NAME --ticket ID --metric M --at INSTANT``: one
  ticket's SLA explanation.
- ``replay STREAM.jsonl --desk PRESET|FILE [--against PRESET|FILE] [--sweep S] [--json]``:
  a command stream replayed under a desk (``ticketflow.whatif``), and how a second one
  differs.

Exit status: 0 done (or the document is clean), 1 ticketflow refused (the document has
problems, a ticket cannot be read), 2 a usage error (a missing file, a bad option, a
naive instant), its message on stderr. Unlike the core, this module does I/O: it reads
files and prints; the core never imports it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tomllib
from collections.abc import Callable, Iterator, Sequence, Sized
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, NoReturn, TypeVar
from zoneinfo import ZoneInfo

from ticketflow import (
    CHANGED_SCOPE,
    RAISE_PRIORITY,
    SLA_VIOLATION,
    ActionPerformed,
    Actor,
    Assign,
    BusinessCalendar,
    Command,
    CommandRefusedError,
    DefinitionError,
    Desk,
    Escalate,
    Event,
    FieldChanged,
    FileAttached,
    MuteNotifications,
    NotificationsMuted,
    NotificationsUnmuted,
    OpenTicket,
    PerformAction,
    PriorityChanged,
    ReminderSent,
    Reply,
    ReplyAdded,
    SetField,
    SlaBreached,
    SlaClockPaused,
    SlaClockResumed,
    SlaClockStarted,
    SlaClockStopped,
    SlaTargetChanged,
    SlaWarningReached,
    StatusChanged,
    SupportLevelChanged,
    Ticket,
    TicketAssigned,
    TicketEscalated,
    TicketflowError,
    TicketOpened,
    TicketReopened,
    Workflow,
    allowed_actions,
    explain,
    handle,
    next_due,
    notifications,
    presets,
    replay,
    sla_status,
    tick,
    whatif,
)
from ticketflow._instants import not_after, utc
from ticketflow.codec import ticket_from_document
from ticketflow.diagram import to_dot, to_mermaid

__all__ = ["main", "run_demo"]

USAGE_ERROR: Final = 2
REFUSED: Final = 1
_RENDERERS: Final[dict[str, Callable[[Workflow], str]]] = {"mermaid": to_mermaid, "dot": to_dot}


class _UsageError(Exception):
    """What the user typed cannot be run: exit status 2, the message on stderr."""


class _ReportedError(Exception):
    """ticketflow refused the input (already explained on stdout/stderr): exit status 1."""


# -- reading what the user names ---------------------------------------------------------


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise _UsageError(f"{path}: is a directory, not a file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _UsageError(f"{path}: cannot be read: {error}") from None


T = TypeVar("T")


def _document(path: str, text: str) -> object:
    """The document in ``text``: JSON for a ``.json`` file, TOML otherwise."""
    try:
        if path.endswith(".json"):
            return json.loads(text)
        return tomllib.loads(text)
    # ValueError: JSON's and TOML's decode errors, and a number too long to convert.
    except (ValueError, RecursionError) as error:
        kind = "JSON" if path.endswith(".json") else "TOML"
        print(f"{path}: is not valid {kind}: {error}")
        raise _ReportedError from None


def _preset_desk(name: str) -> Desk:
    if name not in presets.__all__:
        raise _UsageError(f"no preset named {name!r}; the presets: {', '.join(presets.__all__)}")
    module = importlib.import_module(f"ticketflow.presets.{name}")
    desk: Desk = module.desk()
    return desk


def _workflow(spec: str) -> Workflow:
    """The workflow of the preset named ``spec``, or of the document in file ``spec``."""
    if spec in presets.__all__:
        return _preset_desk(spec).workflow
    return _from_file(spec, "workflow", Workflow.from_toml, Workflow.from_document)


def _from_file(
    spec: str,
    what: str,
    from_toml: Callable[[str], T],
    from_document: Callable[[object], T],
) -> T:
    """The value the TOML or JSON ``what`` document in file ``spec`` holds."""
    if not spec.endswith((".toml", ".json")):
        raise _UsageError(
            f"{spec!r} is neither a preset ({', '.join(presets.__all__)}) "
            f"nor a .toml or .json {what} file"
        )
    text = _read_text(spec)
    if spec.endswith(".toml"):
        return from_toml(text)
    return from_document(_document(spec, text))


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _UsageError(
            f"--at {text!r} is not an RFC 3339 instant; write e.g. 2026-03-02T09:00:00+01:00"
        ) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise _UsageError(
            f"--at {text!r} has no offset, so it names no instant; add one, "
            f"e.g. {value.isoformat()}+00:00 or {value.isoformat()}Z"
        )
    return value


def _tickets(path: str) -> Iterator[Ticket]:
    """The tickets stored in a JSON Lines file, one ticket document per line."""
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
        except (ValueError, RecursionError) as error:  # as in _document
            print(f"{path}:{number}: is not JSON: {error}", file=sys.stderr)
            raise _ReportedError from None
        try:
            yield ticket_from_document(document)
        except TicketflowError as error:
            print(f"{path}:{number}: {error}", file=sys.stderr)
            raise _ReportedError from None


def _local(instant: datetime, like: datetime) -> str:
    """``instant`` at the offset the user wrote ``like`` in."""
    return instant.astimezone(like.tzinfo).isoformat()


# -- the commands ------------------------------------------------------------------------


def _diagram(arguments: argparse.Namespace) -> None:
    print(_RENDERERS[arguments.format](_workflow(arguments.workflow)), end="")


def _desk_keys() -> frozenset[str]:
    properties = Desk.json_schema()["properties"]
    assert isinstance(properties, dict)
    return frozenset(properties)


def _kind(document: object, path: str) -> str:
    if isinstance(document, dict):
        if _desk_keys() & set(document):
            return "desk"
        if "statuses" in document or "transitions" in document:
            return "workflow"
        if "tz" in document or "week" in document:
            return "calendar"
    raise _UsageError(
        f"{path}: cannot tell a desk (it has 'workflow'), a workflow (it has 'statuses') or a "
        "calendar (it has 'tz'); say which with --kind desk, --kind workflow or --kind calendar"
    )


def _check(arguments: argparse.Namespace) -> None:
    path: str = arguments.file
    document = _document(path, _read_text(path))
    kind = arguments.kind or _kind(document, path)
    try:
        if kind == "desk":
            desk = Desk.from_document(document)
            what = (
                f"desk: workflow {desk.workflow.name!r} "
                f"({_count(desk.workflow.statuses, 'status', 'statuses')}, "
                f"{_count(desk.workflow.transitions, 'transition')}), "
                f"{_count(desk.sla.metrics, 'SLA metric')}, "
                f"{_count(desk.roles, 'declared role')}"
            )
        elif kind == "workflow":
            workflow = Workflow.from_document(document)
            what = (
                f"workflow {workflow.name!r}: {len(workflow.statuses)} statuses, "
                f"{len(workflow.transitions)} transitions"
            )
        elif not isinstance(document, dict):
            print(f"{path}: a calendar document is a table of keys, not {type(document).__name__}")
            raise _ReportedError
        else:
            calendar = BusinessCalendar.from_document(document)
            what = f"business calendar in {calendar.tz}"
    except DefinitionError as error:
        for problem in error.problems:
            print(f"{path}: {problem}")
        count = len(error.problems)
        print(f"{path}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        raise _ReportedError from None
    print(f"{path}: valid {what}")


def _schema(_: argparse.Namespace) -> None:
    print(json.dumps(Desk.json_schema(), indent=2))


def _due(arguments: argparse.Namespace) -> None:
    desk = _preset_desk(arguments.preset)
    at = _instant(arguments.at)
    due = []
    for ticket in _tickets(arguments.tickets):
        instant = next_due(desk, ticket)
        if instant is not None and not_after(instant, at):
            due.append((instant, ticket))
    # By the UTC instant: the instants share the calendar's zone, whose wall clock (what
    # comparing them would read) runs back in a repeated hour.
    due.sort(key=lambda item: (utc(item[0]), item[1].id))
    if not due:
        print(f"no ticket falls due by {at.isoformat()}")
    for instant, ticket in due:
        print(f"{_local(instant, at)}  {ticket.id}  ({ticket.status})")


def _rendering(value: object) -> str | None:
    """``value.render()`` when the value has one (a readable rendering), else ``None``."""
    render = getattr(value, "render", None)
    if callable(render):
        text = render()
        if isinstance(text, str):
            return text
    return None


def _explain(arguments: argparse.Namespace) -> None:
    desk = _preset_desk(arguments.preset)
    at = _instant(arguments.at)
    found = [t for t in _tickets(arguments.tickets) if t.id == arguments.ticket]
    if not found:
        print(f"{arguments.tickets}: holds no ticket {arguments.ticket!r}", file=sys.stderr)
        raise _ReportedError
    ticket = found[-1]  # a later line is a later snapshot
    explanation = explain(desk, ticket, arguments.metric, at)
    status = next((s for s in sla_status(desk, ticket, at) if s.metric == arguments.metric), None)
    rendered = _rendering(status) if status is not None else None
    if rendered is not None:
        print(rendered)
    elif status is not None:
        target = "none" if status.target is None else str(status.target)
        print(
            f"{ticket.id} {status.metric}: {status.state}, elapsed {status.elapsed}, "
            f"target {target}" + (", breached" if status.breached else "")
        )
    rendered = _rendering(explanation)
    if rendered is not None:
        print(rendered)
        return
    if not explanation.intervals:
        print(f"{ticket.id} {explanation.metric}: not started, nothing counted")
        return
    print(f"{ticket.id} {explanation.metric}: {explanation.counted} counted by {at.isoformat()}")
    for interval in explanation.intervals:
        mark = "counted " if interval.counted else "excluded"
        print(
            f"  {mark}  {_local(interval.start, at)} .. {_local(interval.end, at)}  "
            f"{interval.duration}  {interval.why}"
        )


def _demo(arguments: argparse.Namespace) -> None:
    del arguments
    run_demo()


# -- the demo: the host's part of one ticket's life ----------------------------------------

BERLIN: Final = ZoneInfo("Europe/Berlin")


def _count(items: Sized, one: str, many: str = "") -> str:
    """``1 declared role``, ``2 declared roles``: a count with its noun agreeing."""
    return f"{len(items)} {one if len(items) == 1 else (many or one + 's')}"


def describe_event(event: Event) -> str:  # noqa: PLR0915  (one case per event kind)
    """One readable line per event."""
    match event:
        case TicketOpened():
            what = f"opened {event.subject!r} for {event.requester} in {event.status}"
        case StatusChanged():
            step = "then" if event.chained else event.action
            why = f" ({event.reason})" if event.reason else ""
            what = f"{step}: {event.source} -> {event.target}{why}"
        case ActionPerformed():
            why = f" ({event.reason})" if event.reason else ""
            what = f"{event.action}: stays {event.status}{why}"
        case TicketReopened():
            what = f"reopened: {event.source} -> {event.target}"
        case FileAttached():
            what = f"attached {event.name!r} ({event.media_type}, {event.size:,} bytes)"
        case ReplyAdded():
            kind = "replied" if event.public else "noted internally"
            what = f"{kind}: {event.body!r}"
        case TicketAssigned():
            what = f"assigned to {event.assignee} in group {event.group}"
        case PriorityChanged():
            what = f"priority {event.source} -> {event.target}"
        case NotificationsMuted():
            what = "pressed Don't notify me"
        case NotificationsUnmuted():
            what = "turned notifications back on"
        case FieldChanged():
            what = f"set {event.name} = {event.value!r}"
        case TicketEscalated():
            what = f"escalated ({event.reason}): {event.details}"
        case SupportLevelChanged():
            what = f"support level {event.source} -> {event.target}"
        case ReminderSent():
            who = "the requester" if event.to_requester else "nobody (muted)"
            what = f"reminded {who}: {event.action} due {event.due:%a %d %b %H:%M}"
        case SlaClockStarted() | SlaClockResumed():
            due = event.clock.due_at
            verb = "started" if isinstance(event, SlaClockStarted) else "resumed"
            what = f"SLA {event.clock.metric} {verb}, due {due:%a %d %b %H:%M %Z}" if due else ""
        case SlaClockPaused():
            what = f"SLA {event.clock.metric} paused after {event.clock.elapsed}"
        case SlaClockStopped():
            met = "met" if event.clock.breached_at is None else "late"
            what = f"SLA {event.clock.metric} stopped ({met}) after {event.clock.elapsed}"
        case SlaWarningReached():
            what = f"SLA {event.clock.metric} warning: {event.fraction:.0%} used"
        case SlaBreached():
            what = f"SLA {event.clock.metric} breached at {event.clock.breached_at:%H:%M}"
        case SlaTargetChanged():
            what = f"SLA {event.clock.metric} target now {event.clock.target}"
        case _:
            # An event kind newer than this rendering still gets a line: its name.
            what = type(event).__name__
    stamp = event.at.astimezone(BERLIN).strftime("%a %d %b %H:%M %Z")
    return f"  v{event.version:<3} {stamp}  {event.actor.id:<6} {what}"


def run_demo() -> None:  # noqa: PLR0915  (a script told top to bottom, as a host reads it)
    """The scripted life of one ticket through the support-portal preset, printed.

    The host's part is all here: it keeps the ticket and its events in memory (a real
    host would store them), passes the instant of every command (a real host would read
    its clock), and prints each event instead of mailing anyone.
    """
    desk = presets.support_portal.desk()
    alice = Actor.customer("alice")
    bob = Actor.agent("bob")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)
    history: list[Event] = []
    ticket: Ticket | None = None

    def at(minutes: int) -> datetime:
        return start + timedelta(minutes=minutes)

    def sweep(now: datetime) -> None:
        """What the host's one timer does: apply every rule due by ``now``."""
        nonlocal ticket
        if ticket is not None:
            outcome = tick(desk, ticket, now)
            ticket = outcome.ticket
            history.extend(outcome.events)
            for event in outcome.events:
                print(describe_event(event))

    def send(command: Command) -> None:
        nonlocal ticket
        sweep(command.at)
        try:
            outcome = handle(desk, ticket, command)
        except CommandRefusedError as refusal:
            print(f"  refused  {type(refusal).__name__}: {refusal}")
            return
        ticket = outcome.ticket
        history.extend(outcome.events)
        for event in outcome.events:
            print(describe_event(event))
        told = [f"{n.recipient} ({n.message})" for n in notifications(desk, outcome)]
        if told:
            print(f"{'':10}notify: {', '.join(told)}")

    print("A customer opens a request; an agent takes it.")
    send(OpenTicket(at=at(0), actor=alice, ticket_id="T-1001", subject="Extension 204 is silent"))
    send(Assign(at=at(5), actor=bob, assignee="bob", group="voice"))
    send(SetField(at=at(6), actor=bob, name="product", value="PBX Cloud"))

    print("\nThe agent answers and waits on the customer: the resolution clock pauses.")
    send(Reply(at=at(20), actor=bob, body="Could you make a test call to 204?"))
    send(PerformAction(at=at(21), actor=bob, action="request_information", reason="test call"))
    send(Reply(at=at(80), actor=alice, body="Test call done: it rings once, then silence."))

    assert ticket is not None
    print("\nThe SLA as of ten minutes later:")
    for metric in sla_status(desk, ticket, at(90)):
        due = f", due {metric.due_at:%a %H:%M %Z}" if metric.due_at else ""
        print(f"  {metric.metric:15} {metric.state:8} elapsed {metric.elapsed}{due}")

    print("\nThe customer's buttons now:")
    for option in allowed_actions(desk, ticket, alice):
        mark = "yes" if option.allowed else "no "
        asks = f" (asks for: {', '.join(option.asks_for)})" if option.asks_for else ""
        print(f"  [{mark}] {option.label}{asks}")

    print("\nEscalating to raise the priority is refused; so is an SLA reason the clocks do")
    print("not back; the changed scope is accepted.")
    send(Escalate(at=at(118), actor=alice, reason=RAISE_PRIORITY))
    send(Escalate(at=at(119), actor=alice, reason=SLA_VIOLATION))
    escalation = "now all internal numbers are down, not only 204"
    send(Escalate(at=at(121), actor=alice, reason=CHANGED_SCOPE, details=escalation))
    send(PerformAction(at=at(130), actor=bob, action="investigate"))
    send(PerformAction(at=at(200), actor=bob, action="put_on_hold", reason="SIP provider"))
    day = 24 * 60
    send(PerformAction(at=at(day), actor=bob, action="start_work"))
    send(Reply(at=at(day + 30), actor=bob, body="The provider fixed the trunk. Confirm?"))
    send(PerformAction(at=at(day + 31), actor=bob, action="propose_resolution"))

    print("\nThe customer stops notifications, then approves in a comment.")
    send(MuteNotifications(at=at(day + 40), actor=alice))
    approval = "Everything works, the request can be closed."
    send(Reply(at=at(day + 45), actor=alice, body=approval, approves_resolution=True))

    print("\nClosed is final: a new question needs a new request.")
    send(Reply(at=at(3 * day), actor=alice, body="One more question..."))

    assert ticket is not None
    assert replay(history) == ticket
    print(
        f"\nReplaying the {len(history)} stored events gives back the same ticket "
        f"(status {ticket.status}, version {ticket.version})."
    )


# -- replay ----------------------------------------------------------------------------------

_PROGRESS_EVERY: Final = 10_000
_DIFFERENCES_SHOWN: Final = 20


def _desk(spec: str) -> Desk:
    """The desk of the preset named ``spec``, or of the desk document in file ``spec``."""
    if spec in presets.__all__:
        return _preset_desk(spec)
    return _from_file(spec, "desk", Desk.from_toml, Desk.from_document)


def _stream_lines(path: str) -> Iterator[str]:
    """The stream file's lines; on a terminal, a progress line on stderr as they are read."""
    progress = sys.stderr.isatty()
    count = 0
    for count, line in enumerate(_read_text(path).splitlines(), start=1):
        if progress and count % _PROGRESS_EVERY == 0:
            print(f"\rreading {path}: {count:,} lines", end="", file=sys.stderr, flush=True)
        yield line
    if progress:
        print(f"\rreading {path}: {count:,} lines, replaying", file=sys.stderr, flush=True)


def _print_report(spec: str, sweep: str, report: whatif.Report) -> None:
    refused = sum(r.count for r in report.refused)
    print(f"{spec} (sweep {sweep})")
    print(f"  tickets            {report.tickets:,}")
    accepted = f"{report.accepted:,} accepted, {refused:,} refused"
    print(f"  commands           {report.commands:,}: {accepted}")
    for r in report.refused:
        print(f"    {r.code}: {r.count:,}")
        for example in r.examples:
            print(f"      e.g. {example}")
    for m in report.sla:
        print(f"  SLA {m.metric}: met {m.met:,}, breached {m.breached:,}, running {m.running:,}")
    print(f"  automatic closes   {report.auto_closes:,}")
    logged = report.logged
    if logged is not None:
        print(
            f"  the log's closes   {logged.closes:,}: {logged.predicted:,} predicted "
            f"({logged.within_a_minute:,} within a minute, {logged.within_an_hour:,} within "
            f"an hour, {logged.within_a_day:,} within a day of the sweep), "
            f"{logged.first:,} closed by the log first"
        )


def _instant_text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _difference_document(d: whatif.Difference) -> dict[str, object]:
    return {
        "ticket": d.ticket,
        "breaches_gained": sorted(d.breaches_gained),
        "breaches_lost": sorted(d.breaches_lost),
        "closed_before": _instant_text(d.closed_before),
        "closed_after": _instant_text(d.closed_after),
    }


def _print_differences(differences: Sequence[whatif.Difference]) -> None:
    gained = sum(1 for d in differences if d.breaches_gained)
    lost = sum(1 for d in differences if d.breaches_lost)
    moved = sum(1 for d in differences if d.close_moved)
    print(
        f"{len(differences):,} tickets differ: {gained:,} gain a breach, {lost:,} lose one, "
        f"{moved:,} close at another instant"
    )
    for d in differences[:_DIFFERENCES_SHOWN]:
        parts = []
        if d.close_moved:
            parts.append(
                f"closed {_instant_text(d.closed_before)} -> {_instant_text(d.closed_after)}"
            )
        if d.breaches_gained:
            parts.append(f"breaches gained: {', '.join(sorted(d.breaches_gained))}")
        if d.breaches_lost:
            parts.append(f"breaches lost: {', '.join(sorted(d.breaches_lost))}")
        print(f"  {d.ticket}: {'; '.join(parts)}")
    if len(differences) > _DIFFERENCES_SHOWN:
        print(f"  ... and {len(differences) - _DIFFERENCES_SHOWN:,} more (--json lists them all)")


def _replay(arguments: argparse.Namespace) -> None:
    try:
        cadence = whatif.parse_sweep(arguments.sweep)
    except TicketflowError as error:
        raise _UsageError(f"--sweep: {error}") from None
    desk = _desk(arguments.desk)
    against = None if arguments.against is None else _desk(arguments.against)
    stream = tuple(whatif.read_stream(_stream_lines(arguments.stream)))
    report = whatif.replay(desk, stream, cadence=cadence)
    other = None if against is None else whatif.replay(against, stream, cadence=cadence)
    differences = () if other is None else whatif.compare(report, other)
    if arguments.json:
        document: dict[str, object] = {
            "stream": arguments.stream,
            "sweep": arguments.sweep,
            "desk": arguments.desk,
            "report": report.to_document(),
        }
        if other is not None:
            document["against"] = {"desk": arguments.against, "report": other.to_document()}
            document["differences"] = [_difference_document(d) for d in differences]
        print(json.dumps(document, indent=2))
        return
    _print_report(arguments.desk, arguments.sweep, report)
    if other is not None:
        print()
        _print_report(arguments.against, arguments.sweep, other)
        print()
        _print_differences(differences)


# -- the parser ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, raising a usage error instead of exiting, so one place prints it."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}\n{self.format_usage().rstrip()}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ticketflow",
        description="Support-ticket lifecycles as data: draw, check and query them.",
        epilog="Exit status: 0 done, 1 ticketflow refused the input, 2 a usage error.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    presets_named = ", ".join(presets.__all__)

    diagram = commands.add_parser(
        "diagram",
        help="draw a workflow as Mermaid or Graphviz DOT",
        description="Print a preset's or a workflow document's diagram: statuses grouped "
        "by category, terminal ones marked, transitions labelled with action and roles, "
        "follow-ons bold, timers dashed, reply reactions dotted.",
    )
    diagram.add_argument(
        "workflow", metavar="PRESET|WORKFLOW_FILE", help=f"a preset ({presets_named}) or a file"
    )
    diagram.add_argument("--format", choices=sorted(_RENDERERS), default="mermaid")
    diagram.set_defaults(run=_diagram)

    check = commands.add_parser(
        "check",
        help="validate a desk, workflow or calendar document",
        description="Validate a whole-desk, workflow or business-calendar document (TOML, "
        "or JSON for a .json file); a desk's SLA policy is linted against its workflow. "
        "Exit 0 when clean, 1 with every problem on its own line (path, what, fix).",
    )
    check.add_argument("file", metavar="FILE")
    check.add_argument(
        "--kind",
        choices=("desk", "workflow", "calendar"),
        help="what the document is (default: told from its keys)",
    )
    check.set_defaults(run=_check)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a desk document",
        description="Print the JSON Schema (draft 2020-12) of a whole-desk document, the "
        "one published as ticketflow/desk.schema.json.",
    )
    schema.set_defaults(run=_schema)

    demo = commands.add_parser(
        "demo",
        help="run the support-portal demo",
        description="The scripted life of one ticket through the support-portal preset.",
    )
    demo.set_defaults(run=_demo)

    def stored(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "tickets", metavar="TICKETS.jsonl", help="one ticketflow.codec ticket document a line"
        )
        command.add_argument(
            "--preset", required=True, help=f"the desk the tickets live on ({presets_named})"
        )
        command.add_argument(
            "--at", required=True, metavar="INSTANT", help="RFC 3339 with an offset"
        )

    due = commands.add_parser(
        "due",
        help="which stored tickets fall due by an instant",
        description="Print the stored tickets whose next time-driven rule falls due by "
        "INSTANT, and when, earliest first.",
    )
    stored(due)
    due.set_defaults(run=_due)

    explained = commands.add_parser(
        "explain",
        help="one ticket's SLA explanation",
        description="Print one stored ticket's SLA metric as of INSTANT: which stretches "
        "counted and why the others did not.",
    )
    stored(explained)
    explained.add_argument("--ticket", required=True, metavar="ID")
    explained.add_argument("--metric", required=True, metavar="M")
    explained.set_defaults(run=_explain)

    replayed = commands.add_parser(
        "replay",
        help="replay a command stream under a desk (what-if)",
        description="Replay a command stream (JSON lines: ticketflow.whatif.write_stream) as "
        "a host runs the desk, sweeping its timers at a cadence, and report the tickets, "
        "the commands accepted and refused, the SLA outcomes, the automatic closes and the "
        "log's closes against the predicted ones; with --against, also under a second desk, "
        "and the tickets whose outcome differs.",
    )
    replayed.add_argument("stream", metavar="STREAM.jsonl", help="one entry a line")
    replayed.add_argument(
        "--desk",
        required=True,
        metavar="PRESET|FILE",
        help=f"a preset ({presets_named}) or a desk file",
    )
    replayed.add_argument("--against", metavar="PRESET|FILE", help="a second desk to compare with")
    replayed.add_argument(
        "--sweep",
        default="due",
        metavar="due|hourly|nightly@HH:MM/ZONE|none",
        help="when the host sweeps the timers (default: at every due instant)",
    )
    replayed.add_argument("--json", action="store_true", help="print the report as JSON")
    replayed.set_defaults(run=_replay)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ticketflow`` command line with ``argv``; the exit status.

    Args:
        argv: the arguments after the program's name (default: ``sys.argv[1:]``).

    Returns:
        0 done, 1 ticketflow refused the input, 2 a usage error.
    """
    try:
        arguments = _parser().parse_args(argv)
        arguments.run(arguments)
    except _UsageError as error:
        print(error, file=sys.stderr)
        return USAGE_ERROR
    except _ReportedError:
        return REFUSED
    except TicketflowError as error:
        print(f"ticketflow: {error}", file=sys.stderr)
        return REFUSED
    return 0
