"""Replays of Volvo IT's incident log (BPI Challenge 2013) through ``presets.volvo_it``.

The log is *BPI Challenge 2013, incidents* (Ward Steeman, Eindhoven University of
Technology, 4TU.ResearchData, 2013), in ``shared/data/bpi2013_incidents`` (its
``SOURCE.md`` tells where it comes from). Every incident is replayed once per session:
its events become commands (``real_logs.volvo_it.commands``), each handled by the preset's desk
(workflow, support tiers and the example SLA); the auto-close is measured on a second
replay, run as a host runs the desk with a nightly sweep (``real_logs.hosting``). A
refused command would be recorded with
its error and skipped, as a host would reject that event and take the next one. The
checks compare the tickets with what the log says, and answer the process owner's
questions with the tickets' own state; the numbers they assert are those of this log.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from real_logs import volvo_it as volvo_log
from real_logs.hosting import Close, Hosted, host_replay, nightly
from replaying import live, log_file, without_cyclic_gc
from ticketflow import (
    SYSTEM,
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
    TicketOpened,
    explain,
    handle,
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


def refused_command(desk: Desk, command: Command) -> bool:
    """Whether ``desk`` refuses ``command`` on a ticket not yet opened."""
    try:
        handle(desk, None, command)
    except EscalationRefusedError:
        return True
    return False


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
        """Each change of the team's line after the opening becomes one
        ChangeSupportLevel: 5,000 in all."""
        changes = [
            (r.sr, c.at, c.level)
            for r in log
            for c in r.commands
            if isinstance(c, ChangeSupportLevel)
        ]
        expected = []
        for r in log:
            level = volvo_it.level_of(r.rows[0].team)
            for row in r.rows:
                if volvo_it.level_of(row.team) != level:
                    level = volvo_it.level_of(row.team)
                    expected.append((r.sr, row.at, level))

        assert (expected, 5_000) == (changes, len(changes))

    def test_an_incident_opens_at_its_first_teams_line(self, log: tuple[Replayed, ...]) -> None:
        """Each incident opens at its first team's support line, 852 of them above L1
        (704 at L2, 148 at L3), so no opening is an escalation."""
        expected = {r.sr: volvo_it.level_of(r.rows[0].team) for r in log}

        opened = {
            r.sr: e.support_level for r in log for e in r.events[:1] if isinstance(e, TicketOpened)
        }

        assert (expected, {1: 6_702, 2: 704, 3: 148}) == (opened, dict(Counter(opened.values())))


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
        """ "Push to front": 4,546 of the 7,554 incidents (60.2 %) open at L1 and never
        leave it."""
        first_line = sum(1 for r in log if r.ticket.support_level == 1 and not r.level_changes)

        assert (4_546, 60.2) == (first_line, round(100 * first_line / len(log), 1))

    def test_ping_pong_1755_moves_go_back_down(self, log: tuple[Replayed, ...]) -> None:
        """ "Ping-pong": 1,755 of the 5,000 level changes go back down (L2 -> L1 1,473,
        L3 -> L2 164, L3 -> L1 118), and 206 skip L2 on the way up (148 more incidents
        open at L3: routed there, not escalated)."""
        changes = [e for r in log for e in r.level_changes]
        moves = Counter((e.source, e.target) for e in changes if e.downward)

        assert (1_755, {(2, 1): 1_473, (3, 2): 164, (3, 1): 118}, 206) == (
            sum(e.downward for e in changes),
            dict(moves),
            sum(e.skipped for e in changes),
        )

    def test_the_librarys_default_tier_rules_refuse_the_real_moves(self) -> None:
        """With tiers that let nobody skip a line or move down (the library's default),
        the 852 openings above L1 are refused (routing there skips a line), and in the
        6,702 incidents the log opens at L1, 2,432 level changes of 1,113 incidents are:
        1,682 skips and moves down, and 750 that name the line a refused move left the
        ticket on."""
        strict = Desk(
            workflow=volvo_it.WORKFLOW,
            sla=SlaPolicy(),
            escalation=EscalationPolicy(
                action=None, tiers=SupportTiers(levels=volvo_it.TIERS.levels)
            ),
        )

        at_l1 = [rows for rows in incidents() if volvo_it.level_of(rows[0].team) == 1]
        openings = [
            volvo_log.commands(rows)[0]
            for rows in incidents()
            if volvo_it.level_of(rows[0].team) != 1
        ]
        refused_openings = sum(1 for c in openings if refused_command(strict, c))

        refused = [
            (r.sr, e)
            for r in without_cyclic_gc(lambda: [replay_incident(strict, rows) for rows in at_l1])
            for c, e in r.refusals
            if isinstance(c, ChangeSupportLevel) and isinstance(e, EscalationRefusedError)
        ]
        codes = Counter(v.code for _, e in refused for v in e.violations)

        assert (852, 2_432, 1_113, {"override_needed": 1_682, "same_level": 750}) == (
            refused_openings,
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


# -- the auto-close (issue 14, deliverable 3) ------------------------------------------

BRUSSELS = ZoneInfo(volvo_it.CALENDAR_ZONE)
NIGHTLY = nightly(time(1, 0), volvo_it.CALENDAR_ZONE)
"""The host's sweep, modelled on the log's batch run: every night at 01:00 Brussels time
(the run's closes are stamped 01:00-01:30). The desk says when a close falls due; when
the run looks is the host's."""


def is_close(command: Command) -> bool:
    return isinstance(command, PerformAction) and command.action == "close"


@functools.cache
def hosted() -> tuple[Hosted, ...]:
    """Every incident replayed as a host runs the desk, its timers swept every night."""
    desk = volvo_it.desk(sla=SlaPolicy())  # the timers alone: the SLA is not measured here
    return without_cyclic_gc(
        lambda: tuple(
            host_replay(desk, volvo_log.commands(rows), is_close=is_close, cadence=NIGHTLY)
            for rows in incidents()
        )
    )


def local_days(close: Close) -> int:
    """Local calendar days from entering Resolved to the log's close."""
    return (close.logged.astimezone(BRUSSELS).date() - close.since.astimezone(BRUSSELS).date()).days


def on_the_logged_date(close: Close) -> bool:
    """Whether the host's nightly run closed the incident on the log's close date."""
    return close.swept is not None and (
        close.swept.astimezone(BRUSSELS).date() == close.logged.astimezone(BRUSSELS).date()
    )


def batch_closes() -> list[Close]:
    """The log's closes from Resolved by the batch user (Siebel, the desk's system)."""
    return [c for h in hosted() for c in h.closes if c.command.actor.role == SYSTEM]


class TestAutoClose:
    def test_the_multi_day_regime_closes_on_the_logged_date(self) -> None:
        """Of the 3,677 batch closes two or more local days after the resolution, 3,663
        (99.6 %) come on the date the preset's 7-day timer and the nightly sweep give."""
        regime = [c for c in batch_closes() if local_days(c) >= 2]

        matched = sum(map(on_the_logged_date, regime))

        assert (3_677, 3_663, True) == (len(regime), matched, matched / len(regime) >= 0.99)

    def test_the_misses_are_the_winter_run_the_run_s_length_and_early_closes(self) -> None:
        """The 14 misses: 4 closed by the winter's 23:00 run, 4 resolved between 01:00 and
        the run's pass over them 7 days later (a 01:00 sweep closes them a night later),
        and 6 closed before their 7 days were up (2 to 6 days after the resolution)."""
        misses = [c for c in batch_closes() if local_days(c) >= 2 and not on_the_logged_date(c)]

        kinds = Counter(
            "winter run"
            if c.logged.astimezone(BRUSSELS).hour == 23
            else "resolved during the run"
            if c.since.astimezone(BRUSSELS).hour == 1
            else "before the 7 days"
            if c.logged - c.since < timedelta(days=7)
            else "other"
            for c in misses
        )

        assert {"winter run": 4, "resolved during the run": 4, "before the 7 days": 6} == dict(
            kinds
        )

    def test_the_next_night_regime_closes_before_the_timer(self) -> None:
        """The other 1,696 batch closes come the first night after the resolution, before
        the 7 days: the log's close comes first, and the preset's timer is still pending."""
        regime = [c for c in batch_closes() if local_days(c) < 2]

        early = [c for c in regime if c.swept is None and c.due is not None and c.logged < c.due]

        assert (1_696, 1_696) == (len(regime), len(early))

    def test_the_sweep_stamps_the_close_at_its_due_instant(self) -> None:
        """Every close the nightly sweep makes is stamped 7 Brussels days after the
        resolution, at its wall time, however late the sweep ran."""
        swept = [c for h in hosted() for c in h.closes if c.swept is not None]

        wrong = [
            c.case
            for c in swept
            if c.due is None
            or c.due.astimezone(BRUSSELS).replace(tzinfo=None)
            != c.since.astimezone(BRUSSELS).replace(tzinfo=None) + timedelta(days=7)
        ]

        assert (True, []) == (len(swept) >= 3_663, wrong)
