"""Replays of Volvo IT's incident log (BPI Challenge 2013) through ``presets.volvo_it``.

The log is *BPI Challenge 2013, incidents* (Ward Steeman, Eindhoven University of
Technology, 4TU.ResearchData, 2013), in ``shared/data/bpi2013_incidents`` (its
``SOURCE.md`` tells where it comes from). Every incident is replayed once per session:
its events become commands (``real_logs.volvo_it.commands``), each handled by the preset's desk
(workflow, support tiers and the example SLA). A refused command would be recorded with
its error and skipped, as a host would reject that event and take the next one. The
checks compare the tickets with what the log says, and answer the process owner's
questions with the tickets' own state; the numbers they assert are those of this log.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest

from real_logs import volvo_it as volvo_log
from replaying import live, log_file, without_cyclic_gc
from ticketflow import (
    ChangeSupportLevel,
    Command,
    CommandRefusedError,
    Desk,
    EscalationPolicy,
    EscalationRefusedError,
    Event,
    PerformAction,
    SlaPolicy,
    SupportLevelChanged,
    SupportTiers,
    Ticket,
    explain,
    replay,
    sla_status,
)
from ticketflow.presets import volvo_it

LOG = log_file("bpi2013_incidents/bpi2013_incidents.csv.gz")

DESK = volvo_it.desk()
HOUR = timedelta(hours=1)
WAITING_ON_USER = {("Accepted", "Wait - User"), ("Accepted", "Wait - Customer")}


class Replayed(NamedTuple):
    """One incident: its matched events, its commands, and what ticketflow made of them."""

    rows: tuple[volvo_log.Row, ...]
    commands: tuple[Command, ...]
    ticket: Ticket
    events: tuple[Event, ...]
    refusals: tuple[tuple[Command, CommandRefusedError], ...]

    @property
    def sr(self) -> str:
        return self.rows[0].sr

    @property
    def last_at(self) -> datetime:
        return self.rows[-1].at

    @property
    def level_changes(self) -> list[SupportLevelChanged]:
        return [e for e in self.events if isinstance(e, SupportLevelChanged)]


def replay_incident(desk: Desk, rows: tuple[volvo_log.Row, ...]) -> Replayed:
    commands = volvo_log.commands(rows)
    matched = tuple(r for r in rows if r.status != volvo_log.UNMATCHED)
    return Replayed(matched, commands, *live(desk, commands))


@functools.cache
def incidents() -> tuple[tuple[volvo_log.Row, ...], ...]:
    return volvo_log.read_incidents(LOG)


def replay_all(desk: Desk) -> tuple[Replayed, ...]:
    return without_cyclic_gc(lambda: tuple(replay_incident(desk, r) for r in incidents()))


@functools.cache
def replayed() -> tuple[Replayed, ...]:
    return replay_all(DESK)


@pytest.fixture(scope="module")
def log() -> tuple[Replayed, ...]:
    return replayed()


def status_of(row: volvo_log.Row) -> str:
    return volvo_log.STATUSES[row.status, row.sub_status]


def status_changes(r: Replayed) -> Iterator[volvo_log.Row]:
    """Every event that changes the status; a ticket opens awaiting assignment."""
    previous = volvo_it.AWAITING_ASSIGNMENT
    for row in r.rows:
        if status_of(row) != previous:
            yield row
        previous = status_of(row)


def raw_spans(r: Replayed, pairs: set[tuple[str, str]]) -> list[tuple[datetime, datetime]]:
    """The log's stretches in one of ``pairs``: from an event to the next one."""
    return [
        (a.at, b.at)
        for a, b in zip(r.rows, r.rows[1:], strict=False)
        if (a.status, a.sub_status) in pairs
    ]


def real(start: datetime, end: datetime) -> timedelta:
    """Elapsed real time; in UTC, as two instants of one ZoneInfo subtract wall clocks."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def hours(span: timedelta) -> float:
    return round(span / HOUR, 3)


class TestReading:
    def test_the_reader_finds_every_incident_and_event(self) -> None:
        """The reader finds the 7,554 incidents and 65,533 events SOURCE.md counts."""
        expected = (7_554, 65_533)

        actual = (len(incidents()), sum(len(rows) for rows in incidents()))

        assert expected == actual

    def test_unmatched_events_are_dropped(self, log: tuple[Replayed, ...]) -> None:
        """The five Unmatched events, one in each of five incidents, are dropped."""
        unmatched = ("1-722103633", "1-734778898", "1-734873980", "1-740475566", "1-740635653")
        expected = dict.fromkeys(unmatched, 1)

        dropped = {
            rows[0].sr: len(rows) - len(r.rows)
            for rows, r in zip(incidents(), log, strict=True)
            if len(rows) != len(r.rows)
        }

        assert expected == dropped

    def test_every_timestamp_keeps_its_offset(self, log: tuple[Replayed, ...]) -> None:
        """Each instant is aware, at the log's own offset: 2,778 at +01:00, 62,750 at
        +02:00 (CET and CEST; the 5 Unmatched events aside)."""
        expected = {timedelta(hours=1): 2_778, timedelta(hours=2): 62_750}

        actual = Counter(row.at.utcoffset() for r in log for row in r.rows)

        assert expected == actual


class TestCommands:
    def test_one_action_per_change_of_status(self, log: tuple[Replayed, ...]) -> None:
        """Every change of status in the log, and nothing else, becomes one PerformAction."""
        expected = [(r.sr, row.at) for r in log for row in status_changes(r)]

        actual = [(r.sr, c.at) for r in log for c in r.commands if isinstance(c, PerformAction)]

        assert expected == actual

    def test_one_level_change_per_change_of_support_line(self, log: tuple[Replayed, ...]) -> None:
        """Each change of the team's line, and a first team above L1, becomes one
        ChangeSupportLevel: 5,852 in all, 852 of them at the opening."""
        changes = [
            (r.sr, c.at, c.level)
            for r in log
            for c in r.commands
            if isinstance(c, ChangeSupportLevel)
        ]
        expected = []
        for r in log:
            level = 1
            for row in r.rows:
                if volvo_it.level_of(row.team) != level:
                    level = volvo_it.level_of(row.team)
                    expected.append((r.sr, row.at, level))
        at_opening = sum(1 for r in log if volvo_it.level_of(r.rows[0].team) != 1)

        assert (expected, 5_852, 852) == (changes, len(changes), at_opening)


class TestReplay:
    def test_every_incident_replays_without_a_refusal(self, log: tuple[Replayed, ...]) -> None:
        """All 7,554 incidents replay with no command refused: the workflow allows the
        moves the log makes, and the tiers let staff skip lines and move down."""
        refused = [(r.sr, type(e).__name__) for r in log for _, e in r.refusals]

        assert (7_554, []) == (len(log), refused)

    def test_replaying_the_events_rebuilds_the_handled_ticket(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """replay() of an incident's events equals the ticket handle() built, SLA clocks
        included."""
        different = [r.sr for r in log if replay(r.events) != r.ticket]

        assert [] == different

    def test_every_ticket_ends_in_the_logs_last_status(self, log: tuple[Replayed, ...]) -> None:
        """Each ticket's status is its incident's last event's, for every incident."""
        expected = Counter(status_of(r.rows[-1]) for r in log)

        actual = Counter(r.ticket.status for r in log)

        assert (expected, []) == (
            actual,
            [r.sr for r in log if r.ticket.status != status_of(r.rows[-1])],
        )
        assert {
            volvo_it.CLOSED: 5_573,
            volvo_it.IN_CALL: 1_882,
            volvo_it.RESOLVED: 90,
            volvo_it.WAIT_USER: 3,
            volvo_it.IN_PROGRESS: 2,
            volvo_it.WAIT_IMPLEMENTATION: 2,
            volvo_it.ASSIGNED: 1,
            volvo_it.CANCELLED: 1,
        } == actual

    def test_every_ticket_ends_in_the_logs_last_team_and_line(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """Each ticket's group is its last event's team, and its level that team's line."""
        different = [
            r.sr
            for r in log
            if (r.ticket.group, r.ticket.support_level)
            != (r.rows[-1].team, volvo_it.level_of(r.rows[-1].team))
        ]

        assert [] == different

    def test_the_resolution_clock_runs_only_in_the_eight_open_incidents(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """The resolution clock stopped for the 7,546 completed incidents; of the 8 left
        open, it is paused in the 5 waiting and running in the 3 others."""
        expected = {"stopped": 7_546, "paused": 5, "running": 3}

        actual = Counter(
            s.state
            for r in log
            for s in sla_status(DESK, r.ticket, r.last_at)
            if s.metric == "resolution"
        )

        assert expected == actual

    def test_reopens_are_the_returns_from_a_completed_status(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """ticketflow counts 580 reopens: every return to work from Resolved (314),
        Closed (130) or In Call (136); Closed -> Resolved (1) is no reopen."""
        completed = {volvo_it.RESOLVED, volvo_it.CLOSED, volvo_it.IN_CALL}
        returns: Counter[str] = Counter()
        for r in log:
            previous = volvo_it.AWAITING_ASSIGNMENT
            for row in status_changes(r):
                if previous in completed and status_of(row) not in completed:
                    returns[previous] += 1
                previous = status_of(row)

        assert ({"resolved": 314, "closed": 130, "in_call": 136}, 580) == (
            dict(returns),
            sum(r.ticket.reopen_count for r in log),
        )


class TestSupportLines:
    def test_push_to_front_sixty_percent_stay_in_the_first_line(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """ "Push to front": 4,546 of the 7,554 incidents (60.2 %) never leave L1."""
        first_line = sum(1 for r in log if not r.level_changes)

        assert (4_546, 60.2) == (first_line, round(100 * first_line / len(log), 1))

    def test_ping_pong_1755_moves_go_back_down(self, log: tuple[Replayed, ...]) -> None:
        """ "Ping-pong": 1,755 of the 5,852 level changes go back down (L2 -> L1 1,473,
        L3 -> L2 164, L3 -> L1 118), and 354 skip L2 on the way up."""
        changes = [e for r in log for e in r.level_changes]
        moves = Counter((e.source, e.target) for e in changes if e.downward)

        assert (1_755, {(2, 1): 1_473, (3, 2): 164, (3, 1): 118}, 354) == (
            sum(e.downward for e in changes),
            dict(moves),
            sum(e.skipped for e in changes),
        )

    def test_the_librarys_default_tier_rules_refuse_the_real_moves(self) -> None:
        """With tiers that let nobody skip a line or move down (the library's default),
        2,818 of the log's level changes in 1,366 incidents are refused: 1,985 skips and
        moves down, and 833 that name the line a refused move left the ticket on."""
        strict = Desk(
            workflow=volvo_it.WORKFLOW,
            sla=SlaPolicy(),
            escalation=EscalationPolicy(
                action=None, tiers=SupportTiers(levels=volvo_it.TIERS.levels)
            ),
        )

        refused = [
            (r.sr, e)
            for r in replay_all(strict)
            for c, e in r.refusals
            if isinstance(c, ChangeSupportLevel) and isinstance(e, EscalationRefusedError)
        ]
        codes = Counter(v.code for _, e in refused for v in e.violations)

        assert (2_818, 1_366, {"override_needed": 1_985, "same_level": 833}) == (
            len(refused),
            len({sr for sr, _ in refused}),
            dict(codes),
        )


class TestWaitUser:
    def test_the_user_wait_clock_counts_the_logs_business_time(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """The user-wait clock's business time is, incident by incident, the log's time
        waiting on the user or customer counted on the desk's calendar: 102,633.815 h."""
        calendar = DESK.calendar
        logged = {
            r.sr: sum(
                (calendar.between(a, b) for a, b in raw_spans(r, WAITING_ON_USER)), timedelta()
            )
            for r in log
        }
        clocked = {
            r.sr: next(
                (
                    s.elapsed
                    for s in sla_status(DESK, r.ticket, r.last_at)
                    if s.metric == volvo_it.USER_WAIT
                ),
                timedelta(),
            )
            for r in log
        }

        assert (logged, 102_633.815) == (clocked, hours(sum(clocked.values(), timedelta())))

    def test_the_user_wait_clock_spans_the_logs_real_time(self, log: tuple[Replayed, ...]) -> None:
        """The user-wait clock runs for 475,072.767 real hours in 2,550 incidents, as the
        log's waits on the user (463,412.489 h) and on the customer add up to."""
        logged = sum(
            (real(a, b) for r in log for a, b in raw_spans(r, WAITING_ON_USER)), timedelta()
        )
        user_only = sum(
            (real(a, b) for r in log for a, b in raw_spans(r, {("Accepted", "Wait - User")})),
            timedelta(),
        )
        clocked = [
            sum(
                (
                    real(i.start, i.end)
                    for i in explain(DESK, r.ticket, volvo_it.USER_WAIT, r.last_at).intervals
                    if i.why not in ("paused", "stopped")
                ),
                timedelta(),
            )
            for r in log
            if r.ticket.clock(volvo_it.USER_WAIT) is not None
        ]

        assert (475_072.767, 463_412.489, 2_550) == (
            hours(sum(clocked, timedelta())),
            hours(user_only),
            len(clocked),
        )
        assert logged == sum(clocked, timedelta())

    def test_690_incidents_wait_on_the_user_longer_than_a_working_week(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """690 of the 2,550 incidents that ever wait on the user breach the 40-hour
        user-wait target."""
        breached = sum(
            1
            for r in log
            for s in sla_status(DESK, r.ticket, r.last_at)
            if s.metric == volvo_it.USER_WAIT and s.breached
        )

        assert 690 == breached
