"""Boundaries a hostile user reaches: the defects an adversarial review found.

Each test states the correct behaviour; it was written first, marked
``xfail(strict=True)``, and the mark went with the fix (all 23 defects are fixed). They
reach past the pure core to its edges: the reference host's storage of what the core
accepts, the command line's readers of JSON and ``ticketflow.whatif``'s stream reader,
cadences and entry points.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from command_line import ticketflow
from host_scenarios import ALICE, AT, BOB, DESK, opening, reply
from host_server import PostgresServer
from ticketflow import (
    Actor,
    CommandRefusedError,
    Desk,
    EventStreamError,
    InvalidCommandError,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    OpenTicket,
    OutOfRangeError,
    Status,
    TicketflowError,
    Timer,
    Transition,
    Workflow,
    codec,
    evolve,
    handle,
    next_due,
    tick,
    visible_to,
    whatif,
)
from ticketflow.host import (
    Message,
    PostgresStore,
    SqliteStore,
    Store,
    dispatch,
    execute,
    sweep,
)
from ticketflow.presets import volvo_it

# A number JSON allows but Python refuses to read from text (more than 4,300 digits).
HUGE_NUMBER = "9" * 5000
# A JSON array nested deeper than the interpreter's recursion limit.
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """An empty SQLite store."""
    store = SqliteStore.open(tmp_path / "host.db")
    yield store
    store.close()


@pytest.fixture
def postgres_store(
    postgres_server: PostgresServer, request: pytest.FixtureRequest
) -> Iterator[PostgresStore]:
    """An empty PostgreSQL store, in a schema of its own."""
    name = f"b{os.getpid()}_{request.node.name[:30]}"
    store = PostgresStore.connect(postgres_server.fresh_schema(name))
    yield store
    store.close()


def _open_and_answer(store: Store, requester_id: str) -> None:
    """Customer ``requester_id`` opens T-1 through the host, and bob answers it."""
    requester = Actor.customer(requester_id)
    opened = OpenTicket(actor=requester, at=AT, ticket_id="T-1", subject="No dial tone")
    execute(store, DESK, "T-1", opened)
    execute(store, DESK, "T-1", reply("Looking into it", who=BOB))


# -- the reference host: the id it is given and the id the command opens ---------------


def test_execute_refuses_an_open_ticket_for_another_id_than_the_one_named(
    sqlite_store: SqliteStore,
) -> None:
    """Given an empty store, when the host executes an OpenTicket for 'T-2' as ticket
    'T-1', then the command is refused and the store holds no ticket (as
    ``handle(..., parent=...)`` refuses a parent other than the one named, and
    ``whatif.read_stream`` a line whose OpenTicket opens another ticket)."""
    with pytest.raises(CommandRefusedError):
        execute(sqlite_store, DESK, "T-1", opening("T-2"))

    assert sqlite_store.ticket_ids() == ()


def test_execute_does_not_report_a_conflict_for_an_open_ticket_of_an_existing_other_id(
    sqlite_store: SqliteStore,
) -> None:
    """Given a store holding ticket 'T-2', when the host executes an OpenTicket for
    'T-2' as ticket 'T-1', then it is refused as a command (no other writer is
    involved), and 'T-2' keeps its three events."""
    execute(sqlite_store, DESK, "T-2", opening("T-2"))

    with pytest.raises(CommandRefusedError):
        execute(sqlite_store, DESK, "T-1", opening("T-2"))

    assert [row.version for row in sqlite_store.events("T-2")] == [1, 2, 3]


# -- the reference host: identifiers the core accepts and the databases cannot hold ----


def test_a_ticket_id_with_a_lone_surrogate_is_refused_with_a_ticketflow_error(
    sqlite_store: SqliteStore,
) -> None:
    """Given a ticket id holding a lone surrogate ('\\ud800', which no UTF-8 text can
    hold), when the host opens it on SQLite, then a TicketflowError says so (no
    UnicodeEncodeError) and the store holds no ticket."""
    with pytest.raises(TicketflowError):
        execute(sqlite_store, DESK, "\ud800", opening("\ud800"))

    assert sqlite_store.ticket_ids() == ()


def test_a_requester_id_with_a_lone_surrogate_is_refused_with_a_ticketflow_error(
    sqlite_store: SqliteStore,
) -> None:
    """Given a customer whose id holds a lone surrogate, when she opens a ticket on the
    SQLite host and an agent answers it, then a TicketflowError refuses the id (when the
    actor is built, or when the host stores it), never a UnicodeEncodeError."""
    with pytest.raises(TicketflowError):
        _open_and_answer(sqlite_store, "\ud800")


def test_a_ticket_id_with_nul_is_refused_with_a_ticketflow_error(
    postgres_store: PostgresStore,
) -> None:
    """Given a ticket id holding NUL ('a\\x00b'), when the host opens it on PostgreSQL
    (whose text columns cannot hold NUL), then a TicketflowError says so and the store
    holds no ticket."""
    with pytest.raises(TicketflowError):
        execute(postgres_store, DESK, "a\x00b", opening("a\x00b"))

    assert postgres_store.ticket_ids() == ()


def test_a_requester_id_with_nul_does_not_leave_a_ticket_nobody_can_answer(
    postgres_store: PostgresStore,
) -> None:
    """Given a customer whose id holds NUL, when she opens a ticket on the PostgreSQL
    host and an agent answers it, then a TicketflowError refuses the id (when the actor
    is built, or when the host stores it), never a psycopg.DataError."""
    with pytest.raises(TicketflowError):
        _open_and_answer(postgres_store, "al\x00ice")


# -- the command line and the stream reader: JSON that Python cannot read -----------


def test_check_reports_a_json_document_with_a_number_too_long_to_read(tmp_path: Path) -> None:
    """Given a .json desk document holding a 5,000-digit number, when ``ticketflow
    check`` reads it, then it exits 1 with one line saying the file is not valid JSON
    (as ``Desk.from_toml`` reports the same number in TOML), not a traceback."""
    path = tmp_path / "desk.json"
    path.write_text('{"workflow": ' + HUGE_NUMBER + "}", encoding="utf-8")

    result = ticketflow("check", str(path))

    assert (result.returncode, result.stdout.startswith(f"{path}: is not valid JSON: ")) == (
        1,
        True,
    )


def test_due_reports_a_ticket_line_with_a_number_too_long_to_read(tmp_path: Path) -> None:
    """Given a tickets file whose first line is a 5,000-digit number, when ``ticketflow
    due`` reads it, then it exits 1 naming the line as not JSON, not a traceback."""
    path = tmp_path / "tickets.jsonl"
    path.write_text(HUGE_NUMBER + "\n", encoding="utf-8")

    result = ticketflow(
        "due", str(path), "--preset", "support_portal", "--at", "2026-03-02T15:30:00Z"
    )

    assert (result.returncode, result.stderr.startswith(f"{path}:1: is not JSON: ")) == (1, True)


def test_read_stream_reports_a_line_nested_too_deep_as_not_json() -> None:
    """Given a command stream whose first line is an array nested 100,000 deep, when
    ``whatif.read_stream`` reads it, then a StreamError names line 1 as not JSON (as
    it does for any other line JSON cannot read), not a RecursionError."""
    with pytest.raises(whatif.StreamError, match=r"^line 1: not JSON"):
        list(whatif.read_stream([DEEP_ARRAY]))


def test_replay_reports_a_stream_line_nested_too_deep(tmp_path: Path) -> None:
    """Given a stream file whose first line is an array nested 100,000 deep, when
    ``ticketflow replay`` runs it, then it exits 1 naming line 1, not a traceback
    (``ticketflow due`` already reports the same line so)."""
    path = tmp_path / "stream.jsonl"
    path.write_text(DEEP_ARRAY + "\n", encoding="utf-8")

    result = ticketflow("replay", str(path), "--desk", "support_portal")

    assert (result.returncode, "line 1: not JSON" in result.stderr) == (1, True)


# -- a ticket in a status the desk's workflow does not define ------------------------

# A desk whose workflow has no 'in_progress' (the status a support-portal ticket opens in).
_OTHER_DESK = Desk(
    workflow=Workflow(
        name="other",
        initial="new",
        statuses=(Status("new", "new"), Status("done", "closed")),
        transitions=(Transition(action="finish", sources="new", target="done", roles="agent"),),
    )
)


def test_next_due_refuses_a_ticket_in_a_status_the_workflow_does_not_define() -> None:
    """Given a support-portal ticket in 'in_progress' (its SLA warning pending), when
    next_due is asked with a desk whose workflow has no such status, then it refuses
    with InvalidCommandError, as handle does ('handle it with the desk whose workflow
    it belongs to, or migrate the ticket'), instead of answering that nothing is due."""
    ticket = handle(DESK, None, opening()).ticket

    with pytest.raises(InvalidCommandError, match="does not define"):
        next_due(_OTHER_DESK, ticket)


def test_tick_refuses_a_ticket_in_a_status_the_workflow_does_not_define() -> None:
    """Given a support-portal ticket in 'in_progress' whose SLA warning and breach fell
    due, when tick runs with a desk whose workflow has no such status, then it refuses
    with InvalidCommandError, as handle does, instead of recording that nothing fell
    due."""
    ticket = handle(DESK, None, opening()).ticket

    with pytest.raises(InvalidCommandError, match="does not define"):
        tick(_OTHER_DESK, ticket, AT + timedelta(days=30))


def test_a_sweep_with_a_desk_that_does_not_define_the_status_leaves_the_ticket_due(
    sqlite_store: SqliteStore,
) -> None:
    """Given a stored support-portal ticket whose SLA rules are due, when a sweep runs
    with a desk whose workflow has no 'in_progress' (a deployment that dropped the
    status), then the ticket is reported as a failure and stays due, so the next sweep
    with the right desk claims it and records the breach."""
    execute(sqlite_store, DESK, "T-1", opening())
    later = AT + timedelta(days=30)

    wrong = sweep(sqlite_store, _OTHER_DESK, later)
    right = sweep(sqlite_store, DESK, later)

    assert ([f.ticket_id for f in wrong.failures], right.claimed) == (["T-1"], 1)


# -- ticketflow.whatif's cadences at the edges of time --------------------------------


def test_hourly_refuses_a_due_instant_in_the_last_hour_of_9999_with_a_range_error() -> None:
    """Given a rule due at 23:30 UTC on 31 December 9999, when the hourly cadence is
    asked for its sweep (midnight, in the year 10000), then an OutOfRangeError says the
    instant is out of range, not a bare OverflowError."""
    with pytest.raises(OutOfRangeError):
        whatif.hourly(datetime(9999, 12, 31, 23, 30, tzinfo=UTC))


def test_nightly_refuses_a_due_instant_after_the_last_nightly_run_with_a_range_error() -> None:
    """Given a rule due at 23:30 UTC on 31 December 9999, after that night's 01:00 run,
    when the nightly cadence is asked for its sweep (1 January 10000), then an
    OutOfRangeError says so, not a bare OverflowError."""
    run = whatif.nightly(time(1, 0), "UTC")

    with pytest.raises(OutOfRangeError):
        run(datetime(9999, 12, 31, 23, 30, tzinfo=UTC))


def test_hourly_refuses_a_naive_instant() -> None:
    """Given a naive datetime, when the hourly cadence is asked for its sweep, then a
    NaiveDatetimeError refuses it (as every instant ticketflow takes), instead of an
    answer read in the machine's local time zone."""
    with pytest.raises(NaiveDatetimeError):
        whatif.hourly(datetime(2026, 3, 2, 9, 30))  # noqa: DTZ001 (the naive instant under test)


def test_nightly_refuses_a_wall_time_that_is_not_a_time() -> None:
    """Given the wall time as the string '01:00' instead of a datetime.time, when a
    nightly cadence is built, then an InvalidTypeError refuses it there, not a
    TypeError at the first sweep."""
    with pytest.raises(InvalidTypeError):
        whatif.nightly("01:00", "UTC")  # type: ignore[arg-type]


# -- ticketflow.whatif's entry points ---------------------------------------------------


def test_replay_refuses_a_naive_until() -> None:
    """Given a one-ticket stream, when whatif.replay is asked to sweep until a naive
    datetime, then a NaiveDatetimeError refuses it (as tick does a naive now), not a
    TypeError from comparing it."""
    entry = whatif.Entry("T-1", opening())

    with pytest.raises(NaiveDatetimeError):
        whatif.replay(DESK, [entry], until=datetime(2026, 4, 1))  # noqa: DTZ001 (under test)


def test_an_entry_whose_open_ticket_opens_another_ticket_is_refused() -> None:
    """Given an OpenTicket for 'T-1', when it is filed as an Entry of ticket 'T-9',
    then the entry is refused with a TicketflowError, as read_stream refuses the same
    line ('the line is for ticket ... but its OpenTicket opens ...')."""
    with pytest.raises(TicketflowError, match="T-9"):
        whatif.Entry("T-9", opening("T-1"))


# -- the reference host's batch sizes ----------------------------------------------------


def test_sweep_refuses_a_limit_too_large_for_the_database(sqlite_store: SqliteStore) -> None:
    """Given a store, when a sweep is asked for a batch of 2**63 tickets (more than a
    SQL INTEGER holds), then an InvalidValueError refuses the limit, as it refuses 0,
    not an OverflowError from the database driver."""
    with pytest.raises(InvalidValueError, match="limit"):
        sweep(sqlite_store, DESK, AT, limit=2**63)


def test_dispatch_refuses_a_limit_too_large_for_the_database(sqlite_store: SqliteStore) -> None:
    """Given a store, when dispatch is asked for a batch of 2**63 messages, then an
    InvalidValueError refuses the limit, as it refuses 0, not an OverflowError from the
    database driver."""
    sent: list[Message] = []

    with pytest.raises(InvalidValueError, match="limit"):
        dispatch(sqlite_store, sent.append, limit=2**63)


# -- evolve: one event recorded on a ticket it does not belong to ----------------------


def test_evolve_refuses_an_event_of_another_ticket() -> None:
    """Given ticket 'T-2' and the ReplyAdded that bob's answer decided for ticket 'T-1',
    when evolve records that event on 'T-2', then an EventStreamError refuses it (as
    replay refuses 'event of ticket ... in the stream of ticket ...'), instead of a
    'T-2' holding T-1's reply."""
    first = handle(DESK, None, opening("T-1")).ticket
    answer = handle(DESK, first, reply("Looking into it", at=AT + timedelta(hours=1)))
    second = handle(DESK, None, opening("T-2")).ticket

    with pytest.raises(EventStreamError, match="T-1"):
        evolve(second, answer.events[0])


def test_evolve_refuses_an_event_older_than_the_ticket() -> None:
    """Given a ticket at version 5 and its own event of version 4, when evolve records
    that event again, then an EventStreamError refuses it, instead of a ticket whose
    version went back from 5 to 4."""
    opened = handle(DESK, None, opening())
    answer = handle(DESK, opened.ticket, reply("Looking into it", at=AT + timedelta(hours=1)))
    (stale,) = [event for event in answer.events if event.version == 4]

    with pytest.raises(EventStreamError):
        evolve(answer.ticket, stale)


def test_nightly_never_runs_before_a_due_instant_in_the_repeated_hour() -> None:
    """Given a nightly sweep at 02:30 in Berlin and a rule due at 02:20 on 25 October
    2026 in the second, repeated hour (fold=1, 01:20 UTC), when the cadence is asked
    for its run, then it is the next night's 02:30 (01:30 UTC on the 26th), the same
    as for that instant written in UTC, not 02:30 of the first hour (00:30 UTC), which
    is before the rule falls due."""
    berlin = ZoneInfo("Europe/Berlin")
    run = whatif.nightly(time(2, 30), "Europe/Berlin")

    due = datetime(2026, 10, 25, 2, 20, fold=1, tzinfo=berlin)

    assert run(due).astimezone(UTC) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


# A desk whose one timer finishes a ticket left 'new' for ten minutes (real time).
_QUIET_DESK = Desk(
    workflow=Workflow(
        name="quiet",
        initial="new",
        statuses=(Status("new", "new"), Status("done", "closed")),
        transitions=(
            Transition(action="finish", sources="new", target="done", roles=("agent", "system")),
        ),
        timers=(
            Timer(name="quiet", statuses={"new"}, after=timedelta(minutes=10), action="finish"),
        ),
    )
)


def _fold_stream() -> list[whatif.Entry]:
    """T-B opened at 02:35 Berlin in the first hour (00:35 UTC), then T-A at 02:05 in
    the repeated hour (01:05 UTC): the later instant has the earlier wall time."""
    berlin = ZoneInfo("Europe/Berlin")
    customer = Actor.customer("alice")
    return [
        whatif.Entry(
            "T-B",
            OpenTicket(
                actor=customer,
                at=datetime(2026, 10, 25, 2, 35, fold=0, tzinfo=berlin),
                ticket_id="T-B",
                subject="No dial tone",
            ),
        ),
        whatif.Entry(
            "T-A",
            OpenTicket(
                actor=customer,
                at=datetime(2026, 10, 25, 2, 5, fold=1, tzinfo=berlin),
                ticket_id="T-A",
                subject="No dial tone",
            ),
        ),
    ]


def test_host_sweeps_to_until_a_ticket_changed_before_it_in_the_repeated_hour() -> None:
    """Given T-B opened at 00:35 UTC (02:35 Berlin, first hour) on a desk that finishes a
    ticket after ten quiet minutes, when whatif.host sweeps every ticket until 01:05 UTC
    written as 02:05 Berlin in the repeated hour, then T-B's timer (due 00:45 UTC) has
    fired and T-B is 'done'."""
    entries = _fold_stream()
    until = entries[1].command.at

    hosted = whatif.host(_QUIET_DESK, entries, until=until)

    assert {h.ticket.id: h.ticket.status for h in hosted if h.ticket is not None} == {
        "T-B": "done",
        "T-A": "new",
    }


def test_replay_does_not_depend_on_the_zone_the_stream_is_written_in() -> None:
    """Given the same two openings written once in Berlin time (the later one in the
    repeated hour) and once in UTC, when whatif.replay runs each to the stream's end,
    then both report T-B auto-closed by its ten-minute timer, as the UTC stream does."""
    berlin = _fold_stream()
    in_utc = [
        whatif.Entry(e.ticket, attrs.evolve(e.command, at=e.command.at.astimezone(UTC)))
        for e in berlin
    ]

    assert (
        whatif.replay(_QUIET_DESK, berlin).auto_closes,
        whatif.replay(_QUIET_DESK, in_utc).auto_closes,
    ) == (1, 1)


def test_due_lists_tickets_earliest_first_across_the_repeated_hour(tmp_path: Path) -> None:
    """Given two major volvo_it tickets whose first SLA rule falls due in Brussels'
    repeated hour on 25 October 2026, T-A at 02:50 of the first hour (00:50 UTC) and
    T-B at 02:10 of the second (01:10 UTC), when ``ticketflow due`` lists them, then
    T-A comes first, as 'earliest first' says, not T-B (whose wall time is earlier)."""
    desk = volvo_it.desk()
    path = tmp_path / "tickets.jsonl"
    lines = []
    openings = (
        ("T-B", datetime(2026, 10, 24, 19, 10, tzinfo=UTC)),
        ("T-A", datetime(2026, 10, 24, 18, 50, tzinfo=UTC)),
    )
    for ticket_id, opened in openings:
        command = OpenTicket(
            actor=BOB,
            requester="alice",
            at=opened,
            ticket_id=ticket_id,
            subject="No dial tone",
            priority="major",
        )
        lines.append(json.dumps(codec.to_document(handle(desk, None, command).ticket)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = ticketflow("due", str(path), "--preset", "volvo_it", "--at", "2026-10-25T03:00:00Z")

    assert result.stdout.splitlines() == [
        "2026-10-25T00:50:00+00:00  T-A  (awaiting_assignment)",
        "2026-10-25T01:10:00+00:00  T-B  (awaiting_assignment)",
    ]


# -- the codec: an instant that comes back as another ---------------------------------


def test_an_instant_whose_offset_has_microseconds_is_refused_when_the_command_is_built() -> None:
    """Given 09:00 at a fixed UTC offset of one microsecond (which no RFC 3339 text, so no
    stored document, can hold: the codec read it back a microsecond off), when an
    OpenTicket is built at it, then an InvalidValueError names the offset and asks for
    whole minutes."""
    at = datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(microseconds=1)))

    with pytest.raises(InvalidValueError, match=r"UTC offset is 0:00:00\.000001, a fraction"):
        OpenTicket(actor=BOB, requester="alice", at=at, ticket_id="T-1", subject="Hi")


# -- arguments a host gets wrong -------------------------------------------------------


def test_visible_to_does_not_match_a_role_inside_a_staff_role_given_as_a_string() -> None:
    """Given a customer's ticket and an actor of role 'gen', when a
    host asks visible_to with staff='agent' (one role, written as a string, as
    Transition(roles='agent') takes it), then the actor may not see the ticket: 'gen' is
    not 'agent', although it is a substring of it."""
    ticket = handle(DESK, None, opening()).ticket

    assert visible_to(Actor("mallory", "gen"), ticket, "agent") is False


def test_handle_refuses_a_parent_that_is_not_a_ticket() -> None:
    """Given alice's follow-up naming parent_id 'T-1', when a host hands handle the
    parent's id ('T-1') instead of the loaded parent ticket, then an InvalidTypeError
    says a Ticket is needed (as for the ticket argument), not an AttributeError."""
    follow = OpenTicket(
        actor=ALICE, at=AT, ticket_id="T-2", subject="No dial tone again", parent_id="T-1"
    )

    with pytest.raises(InvalidTypeError, match="parent"):
        handle(DESK, None, follow, parent="T-1")  # type: ignore[arg-type]
