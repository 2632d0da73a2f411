"""What-if replay (``ticketflow.whatif``): the host loop over command streams, its report,
the stream's JSON lines and the comparison of two desks."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios import FIRST_0240, QUIET, SECOND_0210
from ticketflow import (
    Actor,
    BusinessCalendar,
    Desk,
    Event,
    InvalidValueError,
    OpenTicket,
    PerformAction,
    Reply,
    SlaPolicy,
    StatusChanged,
    handle,
)
from ticketflow.codec import to_document
from ticketflow.presets import support_portal
from ticketflow.whatif import (
    EXAMPLES,
    Difference,
    Entry,
    Logged,
    MetricOutcomes,
    StreamError,
    compare,
    host,
    hourly,
    nightly,
    parse_sweep,
    punctual,
    read_stream,
    replay,
    write_stream,
)

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=MOSCOW)
DESK = support_portal.desk()
ANN = Actor.customer("ann")
BOB = Actor.agent("bob")
JOB = Actor.agent("job")
WEEK = timedelta(days=7)


def opened(ticket: str = "T-1", at: datetime = MONDAY) -> Entry:
    return Entry(ticket, OpenTicket(actor=ANN, at=at, ticket_id=ticket, subject="No dial tone"))


def act(action: str, at: datetime, ticket: str = "T-1", *, logged: bool = False) -> Entry:
    return Entry(ticket, PerformAction(actor=BOB, at=at, action=action), logged)


def answered(at: datetime, ticket: str = "T-1") -> Entry:
    return Entry(ticket, Reply(actor=BOB, at=at, body="On it"))


def resolved(ticket: str = "T-1", at: datetime = MONDAY) -> list[Entry]:
    """A ticket answered within the half hour and proposed resolved within the hour."""
    return [
        opened(ticket, at),
        answered(at + timedelta(minutes=30), ticket),
        act("propose_resolution", at + timedelta(hours=1), ticket),
    ]


CLOSE_DUE = datetime(2026, 3, 5, 11, tzinfo=MOSCOW)
"""The portal's auto-close of a ticket of :func:`resolved`: 3 business days after Monday
11:00, when it was proposed resolved (the reminder comes first, a business day earlier)."""


def shorter_auto_close() -> Desk:
    """The support portal, its auto-close after 1 business day instead of 3 (no reminder)."""
    text = files("ticketflow.presets").joinpath("support_portal.toml").read_text(encoding="utf-8")
    old = "after = {business_days = 3}\nreminders = [{business_days = 1}]"
    assert old in text
    return Desk.from_toml(text.replace(old, "after = {business_days = 1}"))


aware = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
    max_value=datetime(2099, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


class TestCadences:
    @given(aware)
    def test_a_punctual_host_sweeps_at_the_due_instant(self, due: datetime) -> None:
        """Given any due instant, when a punctual host sweeps, then it runs at that instant."""
        assert due == punctual(due)

    @given(aware)
    def test_an_hourly_job_runs_at_the_next_full_hour(self, due: datetime) -> None:
        """Given any due instant, when an hourly job sweeps, then it runs on a full hour
        within the hour from the due instant."""
        run = hourly(due)

        assert (0, 0, 0) == (run.minute, run.second, run.microsecond)
        assert timedelta(0) <= run - due < timedelta(hours=1)

    @given(aware)
    def test_a_nightly_run_comes_within_a_day_at_its_wall_time(self, due: datetime) -> None:
        """Given any due instant, when a nightly run at 01:00 in Brussels sweeps, then it
        runs within a day at 01:00 Brussels time (a time no DST change skips there)."""
        run = nightly(time(1, 0), "Europe/Brussels")(due)

        assert time(1, 0) == run.astimezone(ZoneInfo("Europe/Brussels")).time()
        assert timedelta(0) <= run - due <= timedelta(days=1, hours=1)

    @pytest.mark.parametrize(
        ("text", "expected"), [("due", punctual), ("hourly", hourly), ("none", None)]
    )
    def test_a_sweep_option_names_its_cadence(self, text: str, expected: object) -> None:
        """Given a named sweep, when it is parsed, then it is that cadence (none: no sweep)."""
        assert expected is parse_sweep(text)

    def test_a_nightly_option_runs_at_its_wall_time_in_its_zone(self) -> None:
        """Given nightly@02:00/Asia/Tokyo, when it sweeps a noon UTC due instant, then it
        runs at 02:00 Tokyo time the next local day (noon UTC is 21:00 there)."""
        run = parse_sweep("nightly@02:00/Asia/Tokyo")
        assert run is not None

        actual = run(datetime(2026, 3, 2, 12, tzinfo=UTC))

        assert datetime(2026, 3, 3, 2, tzinfo=ZoneInfo("Asia/Tokyo")) == actual

    @pytest.mark.parametrize(
        ("text", "says"),
        [
            ("weekly", "'weekly' is not a cadence"),
            ("nightly@25h/UTC", "'25h' is not HH:MM"),
            ("nightly@26:00/UTC", "'26:00' is not HH:MM"),
            ("nightly@01:00/Mars/Base", "'Mars/Base' is not an IANA time zone"),
            ("nightly@01:00", "'nightly@01:00' is not a cadence"),
        ],
    )
    def test_a_sweep_option_that_names_no_cadence_is_refused(self, text: str, says: str) -> None:
        """Given a sweep option naming no cadence, when it is parsed, then an
        InvalidValueError says which part is wrong and how to write one."""
        with pytest.raises(InvalidValueError, match=re.escape(says)):
            parse_sweep(text)


class TestStream:
    @given(
        ticket=st.text(min_size=1, max_size=20),
        minutes=st.integers(min_value=0, max_value=10**6),
        logged=st.booleans(),
    )
    def test_a_written_entry_reads_back_equal(
        self, ticket: str, minutes: int, logged: bool
    ) -> None:
        """Given any entry, when it is written as a line and read back, then it is equal."""
        entry = act("close", MONDAY + timedelta(minutes=minutes), ticket, logged=logged)

        assert [entry] == list(read_stream(write_stream([entry])))

    def test_a_line_is_the_ticket_and_its_command_document(self) -> None:
        """Given a logged close, when it is written, then its line holds the ticket, the
        command's codec document and the annotation "logged": "close"."""
        entry = act("close", MONDAY, logged=True)

        (line,) = write_stream([entry])

        expected = {"ticket": "T-1", "command": to_document(entry.command), "logged": "close"}
        assert expected == json.loads(line)

    def test_blank_lines_are_skipped(self) -> None:
        """Given a stream with blank lines, when it is read, then only its entries come back."""
        lines = ["", *write_stream(resolved()), "   "]

        assert resolved() == list(read_stream(lines))

    @pytest.mark.parametrize(
        ("line", "says"),
        [
            ("{", "not JSON"),
            ("[1]", "expected an object"),
            ('{"ticket": "T-1", "command": {}, "note": 1}', "'note' is not a key"),
            ('{"command": {}}', "has no 'ticket'"),
            ('{"ticket": "", "command": {}}', "'ticket' must be a non-empty string"),
            ('{"ticket": "T-1", "command": {"type": "Actor"}}', "a command's document"),
            (
                '{"ticket": "T-1", "command": {"type": "PerformAction"}}',
                "line 2: document",
            ),
        ],
    )
    def test_a_line_that_is_not_an_entry_is_refused_with_its_number(
        self, line: str, says: str
    ) -> None:
        """Given a stream whose second line is not an entry, when it is read, then a
        StreamError names the line and what is wrong, after the first entry was read."""
        (first,) = write_stream([opened()])
        read: list[Entry] = []

        with pytest.raises(StreamError, match="line 2: ") as refusal:
            read.extend(read_stream([first, line]))

        assert says in str(refusal.value)
        assert (2, [opened()]) == (refusal.value.line, read)

    def test_an_opening_of_another_ticket_is_refused(self) -> None:
        """Given a line for ticket T-2 whose OpenTicket opens T-1, when it is read, then a
        StreamError names both."""
        (line,) = write_stream([opened()])
        document = {**json.loads(line), "ticket": "T-2"}

        with pytest.raises(StreamError, match="for ticket 'T-2' but its OpenTicket opens 'T-1'"):
            list(read_stream([json.dumps(document)]))

    def test_an_annotation_other_than_close_is_refused(self) -> None:
        """Given a line annotated "logged": "open", when it is read, then a StreamError
        says the annotation must be "close"."""
        (line,) = write_stream([opened()])
        document = {**json.loads(line), "logged": "open"}

        with pytest.raises(StreamError, match="'logged' must be 'close', got 'open'"):
            list(read_stream([json.dumps(document)]))


class TestHost:
    def test_each_command_is_handled_as_handle_does(self) -> None:
        """Given a ticket's commands, when the host loop runs them without sweeps, then
        the ticket and events are those of handling each in turn."""
        ticket = None
        events: list[Event] = []
        for entry in resolved():
            outcome = handle(DESK, ticket, entry.command)
            ticket, events = outcome.ticket, [*events, *outcome.events]

        (hosted,) = host(DESK, resolved(), cadence=None)

        assert (ticket, tuple(events), 3) == (hosted.ticket, hosted.events, hosted.accepted)

    def test_a_sweep_fires_the_timer_due_before_the_next_command(self) -> None:
        """Given a resolved ticket and a command a week later, when a punctual host runs
        them, then the auto-close closes the ticket at its due instant first."""
        due = CLOSE_DUE

        (hosted,) = host(DESK, [*resolved(), answered(MONDAY + WEEK)])

        closes = [e for e in hosted.events if isinstance(e, StatusChanged) and e.target == "closed"]
        assert [("close", due)] == [(e.action, e.at) for e in closes]

    def test_a_command_in_the_second_pass_of_a_repeated_hour_is_swept_to_first(self) -> None:
        """Given a timer due at 02:40 in the first pass of Berlin's repeated hour (00:40Z),
        when a punctual host handles a command at 02:10 in the second pass (01:10Z),
        then the timer fires first: instants are compared exactly, not by wall clock."""
        desk = Desk(workflow=QUIET, calendar=BusinessCalendar.always_open("Europe/Berlin"))
        opening = OpenTicket(
            actor=ANN, at=FIRST_0240 - timedelta(minutes=30), ticket_id="T-1", subject="Hi"
        )
        late = Reply(actor=ANN, at=SECOND_0210, body="Anyone?")

        (hosted,) = host(desk, [Entry("T-1", opening), Entry("T-1", late)])

        assert hosted.ticket is not None
        assert ("closed", [FIRST_0240.astimezone(UTC)]) == (
            hosted.ticket.status,
            [e.at.astimezone(UTC) for e in hosted.events if isinstance(e, StatusChanged)],
        )

    def test_without_a_sweep_no_timer_fires(self) -> None:
        """Given the same commands, when the host never sweeps, then the ticket stays
        awaiting confirmation."""
        (hosted,) = host(DESK, resolved(), cadence=None, until=MONDAY + WEEK)

        assert hosted.ticket is not None
        assert "awaiting_confirmation" == hosted.ticket.status

    def test_until_sweeps_every_ticket_after_its_last_command(self) -> None:
        """Given a resolved ticket, when the loop sweeps until a week later, then the
        auto-close has closed it at its due instant."""
        due = CLOSE_DUE

        (hosted,) = host(DESK, resolved(), until=MONDAY + WEEK)

        assert hosted.ticket is not None
        assert ("closed", due) == (hosted.ticket.status, hosted.ticket.closed_at)

    def test_a_refused_command_is_recorded_and_changes_nothing(self) -> None:
        """Given a command the workflow refuses, when the loop runs it, then it is kept
        with its refusal and the ticket is as before it."""
        (before,) = host(DESK, resolved(), cadence=None)

        (after,) = host(DESK, [*resolved(), act("fly", MONDAY + timedelta(hours=2))])

        assert (before.ticket, before.events) == (after.ticket, after.events)
        assert [("fly", "unknown_action")] == [
            (getattr(c, "action", ""), r.code) for c, r in after.refusals
        ]

    def test_tickets_are_kept_apart_in_an_interleaved_stream(self) -> None:
        """Given two tickets' entries interleaved, when the loop runs them, then each
        ticket is what its own entries make of it, in the order they first appear."""
        one, two = resolved("T-1"), resolved("T-2", MONDAY + timedelta(minutes=5))
        mixed = [e for pair in zip(one, two, strict=True) for e in pair]

        hosted = host(DESK, mixed)

        assert [host(DESK, one)[0], host(DESK, two)[0]] == list(hosted)

    def test_the_logs_close_after_the_sweeps_is_the_same_close(self) -> None:
        """Given the log's own close an hour after the auto-close fell due, when an hourly
        host runs the stream, then one Close pairs the sweep's run with the logged
        instant and the log's row is not handled again."""
        due = CLOSE_DUE
        logged = hourly(due) + timedelta(minutes=2)
        stream = [*resolved(), act("close", logged, logged=True)]

        (hosted,) = host(DESK, stream, cadence=hourly)

        (close,) = hosted.closes
        assert (due, hourly(due), logged) == (close.due, close.swept, close.logged)
        assert ((), 4) == (hosted.refusals, hosted.accepted)

    def test_the_logs_close_of_an_open_ticket_came_first(self) -> None:
        """Given the log's close a minute after the resolution, when the loop runs it,
        then the Close has no sweep, names the pending timer (the reminder, a business
        day after the resolution), and the close is handled."""
        due = datetime(2026, 3, 4, 11, tzinfo=MOSCOW)
        at = MONDAY + timedelta(hours=1, minutes=1)

        (hosted,) = host(DESK, [*resolved(), act("close", at, logged=True)])

        (close,) = hosted.closes
        assert hosted.ticket is not None
        assert (due, None, at) == (close.due, close.swept, close.logged)
        assert ("closed", at) == (hosted.ticket.status, hosted.ticket.closed_at)


class TestReport:
    def test_commands_are_counted_accepted_and_refused_by_code(self) -> None:
        """Given a stream with five unknown actions and a stranger's close, when it is
        replayed, then the refusals are grouped by code, most frequent first, with the
        first few as examples."""
        later = MONDAY + timedelta(hours=2)
        wrong = [act("fly", later + timedelta(minutes=i)) for i in range(5)]
        stranger = Entry("T-1", PerformAction(actor=ANN, at=later, action="start_work"))

        report = replay(DESK, [*resolved(), *wrong, stranger], cadence=None)

        assert (1, 9, 3) == (report.tickets, report.commands, report.accepted)
        assert [("unknown_action", 5, EXAMPLES), ("role", 1, 1)] == [
            (r.code, r.count, len(r.examples)) for r in report.refused
        ]
        assert report.refused[0].examples[0].startswith("T-1 at 2026-03-02T12:00:00+03:00: ")

    def test_sla_outcomes_are_counted_per_metric(self) -> None:
        """Given one ticket answered in time and one never answered, when they are replayed
        to a week later, then first response is met once and breached once."""
        unanswered = opened("T-2")

        report = replay(DESK, [*resolved(), unanswered], until=MONDAY + WEEK)

        first_response = report.sla[0]
        assert MetricOutcomes("first_response", met=1, breached=1, running=0) == first_response

    def test_a_clock_still_counting_at_the_end_is_running(self) -> None:
        """Given a ticket opened and left alone, when it is replayed without sweeps, then
        its clocks are running, neither met nor breached (the next response's never started)."""
        report = replay(DESK, [opened()], cadence=None)

        assert [
            ("first_response", 0, 0, 1),
            ("next_response", 0, 0, 0),
            ("resolution", 0, 0, 1),
        ] == [(m.metric, m.met, m.breached, m.running) for m in report.sla]

    def test_automatic_closes_are_counted(self) -> None:
        """Given two resolved tickets, when they are replayed a week on, then the
        auto-close closed both."""
        report = replay(DESK, [*resolved("T-1"), *resolved("T-2")], until=MONDAY + WEEK)

        assert (2, [True, True]) == (report.auto_closes, [o.auto_closed for o in report.outcomes])

    def test_a_stream_without_logged_closes_has_no_comparison(self) -> None:
        """Given a stream marking none of the log's closes, when it is replayed, then the
        report has no predicted-versus-logged part."""
        assert replay(DESK, resolved()).logged is None

    def test_logged_closes_are_compared_with_the_predicted_ones(self) -> None:
        """Given one log close 30 s after the due instant, one 2 h after and one before
        the timer, when replayed by a punctual host, then the buckets count them."""
        due = CLOSE_DUE
        stream = [
            *resolved("A"),
            act("close", due + timedelta(seconds=30), "A", logged=True),
            *resolved("B"),
            act("close", due + timedelta(hours=2), "B", logged=True),
            *resolved("C"),
            act("close", MONDAY + timedelta(hours=2), "C", logged=True),
        ]

        report = replay(DESK, stream)

        assert Logged(3, 2, 1, 1, 1, 2) == report.logged

    def test_the_document_is_json(self) -> None:
        """Given a report, when it is made a document, then JSON reads back its figures."""
        report = replay(DESK, [*resolved(), act("fly", MONDAY + timedelta(hours=2))])

        document = json.loads(json.dumps(report.to_document()))

        assert (1, 4, 3, "unknown_action") == (
            document["tickets"],
            document["commands"],
            document["accepted"],
            document["refused"][0]["code"],
        )


class TestCompare:
    def test_the_same_desk_shows_no_difference(self) -> None:
        """Given one stream replayed twice under one desk, when compared, then nothing differs."""
        stream = [*resolved(), opened("T-2")]

        assert () == compare(replay(DESK, stream), replay(DESK, stream))

    def test_a_shorter_auto_close_moves_the_close(self) -> None:
        """Given the support portal and a copy closing after 1 business day, when a
        resolved ticket is replayed under both, then its close moves two business days earlier."""
        desk = shorter_auto_close()
        stream = resolved()

        before = replay(DESK, stream, until=MONDAY + WEEK)
        after = replay(desk, stream, until=MONDAY + WEEK)

        tuesday = datetime(2026, 3, 3, 11, tzinfo=MOSCOW)  # 1 business day after
        assert (Difference("T-1", frozenset(), frozenset(), CLOSE_DUE, tuesday),) == compare(
            before, after
        )

    def test_a_desk_without_the_sla_loses_the_breach(self) -> None:
        """Given an unanswered ticket, when it is replayed under the portal and under the
        portal without SLA, then the breaches are lost and nothing else changes."""
        stream = [opened()]
        bare = attrs.evolve(DESK, sla=SlaPolicy())

        (difference,) = compare(
            replay(DESK, stream, until=MONDAY + WEEK), replay(bare, stream, until=MONDAY + WEEK)
        )

        assert (
            Difference("T-1", frozenset(), frozenset({"first_response", "resolution"}), None, None)
            == difference
        )
