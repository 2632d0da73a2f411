"""Replays of a real ServiceNow incident log through ``ticketflow.presets.servicenow``.

The log is UCI dataset #498, "Incident management process enriched event log" (Amaral,
Fantinato, Reijers and Peres, LNBIP 346, Springer 2019), in
``shared/data/servicenow_incidents`` (its ``SOURCE.md`` tells where it comes from).
Every incident of it is replayed, once per session: its updates become commands
(``real_logs.servicenow.commands``), each handled by the preset's desk (workflow,
auto-close and the SLA the log's ``made_sla`` shows). The auto-close is measured on a
second replay, run as a host runs the desk (``real_logs.hosting``). A refused command is
recorded with its error and skipped, as a host would reject that update and take the
next one, so each ticket is what ticketflow accepts of its incident's history. The
checks compare the tickets with what the log itself says, and the numbers they assert
are those of this log.
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from real_logs import servicenow as servicenow_log
from real_logs.hosting import Close, Hosted, host_replay
from replaying import live, log_file, without_cyclic_gc
from ticketflow import (
    ChangePriority,
    Command,
    CommandRefusedError,
    Event,
    OpenTicket,
    PerformAction,
    SlaPolicy,
    Ticket,
    replay,
    sla_status,
)
from ticketflow.presets import servicenow

LOG = log_file("servicenow_incidents/incident_event_log.csv.gz")

DESK = servicenow.desk()
ZONE = ZoneInfo(servicenow.ZONE)


class Replayed(NamedTuple):
    """One incident: its valid updates, its commands, and what ticketflow made of them."""

    updates: tuple[servicenow_log.Update, ...]
    commands: tuple[Command, ...]
    ticket: Ticket
    events: tuple[Event, ...]
    refusals: tuple[tuple[Command, CommandRefusedError], ...]

    @property
    def number(self) -> str:
        return self.updates[0].number

    @property
    def states(self) -> list[str]:
        return [u.incident_state for u in self.updates]


def instant(text: str) -> datetime:
    return servicenow_log.parse_instant(text, ZONE)


def known(value: str) -> str:
    """The log writes a missing value as "?"; the preset names a missing id "unknown"."""
    return "unknown" if value == "?" else value


def replay_incident(updates: tuple[servicenow_log.Update, ...]) -> Replayed:
    commands = servicenow_log.commands(updates)
    lived = live(DESK, commands)
    valid = tuple(u for u in updates if u.incident_state != servicenow_log.INVALID_STATE)
    return Replayed(valid, commands, *lived)


@functools.cache
def incidents() -> tuple[tuple[servicenow_log.Update, ...], ...]:
    return servicenow_log.read_incidents(LOG)


@functools.cache
def replayed() -> tuple[Replayed, ...]:
    return without_cyclic_gc(lambda: tuple(replay_incident(u) for u in incidents()))


@pytest.fixture(scope="module")
def log() -> tuple[Replayed, ...]:
    return replayed()


def state_changes(r: Replayed) -> Iterator[tuple[str, servicenow_log.Update]]:
    """(previous state, update) for every update that changes the state; a ticket
    starts New."""
    previous = "New"
    for update in r.updates:
        if update.incident_state != previous:
            yield previous, update
        previous = update.incident_state


def first_closed(r: Replayed) -> datetime:
    return instant(next(u for u in r.updates if u.incident_state == "Closed").sys_updated_at)


def last_entry_into_resolved(r: Replayed) -> datetime | None:
    """When the incident last became Resolved before it was first closed."""
    entered = None
    for previous, update in state_changes(r):
        if previous == "Closed":
            break
        if update.incident_state == "Resolved":
            entered = instant(update.sys_updated_at)
    return entered


def last_resolved_update(r: Replayed) -> datetime:
    return instant([u for u in r.updates if u.incident_state == "Resolved"][-1].sys_updated_at)


class TestReading:
    def test_the_reader_finds_every_incident_and_update(self) -> None:
        """The reader finds the 24,918 incidents and 141,712 updates SOURCE.md counts."""
        expected = (24_918, 141_712)

        actual = (len(incidents()), sum(len(updates) for updates in incidents()))

        assert expected == actual

    def test_updates_in_the_invalid_state_are_dropped(self, log: tuple[Replayed, ...]) -> None:
        """The five updates in the invalid state -100, of two incidents, are dropped."""
        expected = {"INC0028089": 2, "INC0030413": 3}

        dropped = {
            updates[0].number: len(updates) - len(r.updates)
            for updates, r in zip(incidents(), log, strict=True)
            if len(updates) != len(r.updates)
        }

        assert expected == dropped


class TestCommands:
    def test_every_command_is_stamped_in_the_assumed_zone(self, log: tuple[Replayed, ...]) -> None:
        """Every command's instant is aware, in America/Sao_Paulo."""
        expected = {ZONE}

        actual = {command.at.tzinfo for r in log for command in r.commands}

        assert expected == actual

    def test_every_timestamp_names_one_instant(self) -> None:
        """No timestamp of the log falls in a gap or a fold of the assumed zone."""
        texts = {
            text
            for updates in incidents()
            for u in updates
            for text in (u.opened_at, u.sys_updated_at, u.resolved_at, u.closed_at)
            if text != "?"
        }

        ambiguous = {
            text
            for text in texts
            if (at := instant(text)).utcoffset() != at.replace(fold=1).utcoffset()
            or at.astimezone(UTC).astimezone(ZONE).replace(tzinfo=None) != at.replace(tzinfo=None)
        }

        assert set() == ambiguous

    def test_an_incident_opens_at_its_opened_at(self, log: tuple[Replayed, ...]) -> None:
        """Each incident's first command opens it at opened_at, for its caller."""
        wrong = [
            r.number
            for r in log
            if not isinstance(opened := r.commands[0], OpenTicket)
            or opened.at != instant(r.updates[0].opened_at)
            or opened.requester != known(r.updates[0].caller_id)
        ]

        assert [] == wrong

    def test_one_action_per_change_of_state(self, log: tuple[Replayed, ...]) -> None:
        """Every change of state in the log, and nothing else, becomes one PerformAction."""
        expected = [
            (r.number, instant(update.sys_updated_at))
            for r in log
            for _, update in state_changes(r)
        ]

        actual = [
            (r.number, command.at)
            for r in log
            for command in r.commands
            if isinstance(command, PerformAction)
        ]

        assert expected == actual

    def test_one_priority_change_per_change_of_priority(self, log: tuple[Replayed, ...]) -> None:
        """The 436 changes of priority, in the 383 incidents SOURCE.md counts, each
        become one ChangePriority."""
        changed = Counter(
            r.number for r in log for c in r.commands if isinstance(c, ChangePriority)
        )

        assert (436, 383) == (changed.total(), len(changed))


# The incidents whose updates ticketflow refuses, with the first refusal's error.
REFUSED = {
    # The log's own disorder: an update filed before the incident was opened.
    # INC0000131's first update is at 29/2/2016 07:14 (as its sys_created_at), but its
    # opened_at is 09:41; INC0000135's first row, at 09:27, carries sys_mod_count 7 and
    # precedes its opened_at, 09:45. Time never runs backwards inside a ticket.
    "INC0000131": "StaleCommandError",
    "INC0000135": "StaleCommandError",
    # Incidents that go on from Closed to Active (reopen_count counts it): Closed is
    # terminal, so the reopen and every later update is refused.
    "INC0001894": "TicketClosedError",
    "INC0003300": "TicketClosedError",
    "INC0006099": "TicketClosedError",
    "INC0007432": "TicketClosedError",
    "INC0010074": "TicketClosedError",
    "INC0016656": "TicketClosedError",
    "INC0022792": "TicketClosedError",
    "INC0028411": "TicketClosedError",
    "INC0032169": "TicketClosedError",
    "INC0032604": "TicketClosedError",
    "INC0044260": "TicketClosedError",
    "INC0103733": "TicketClosedError",
}
REOPENED_AFTER_CLOSING = {n for n, error in REFUSED.items() if error == "TicketClosedError"}


class TestReplay:
    def test_ticketflow_refuses_updates_of_fifty_nine_incidents(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """Exactly 59 incidents hold updates ticketflow refuses: 2 stale, 12 reopened after
        closing, and 45 updated after closing while they stay Closed (each such update a
        note on a closed ticket)."""
        closed_again = {
            r.number
            for r in log
            if instant(r.updates[-1].sys_updated_at) > first_closed(r)
            and r.number not in REOPENED_AFTER_CLOSING
        }

        actual = {r.number: type(r.refusals[0][1]).__name__ for r in log if r.refusals}

        assert 45 == len(closed_again)
        assert REFUSED | dict.fromkeys(closed_again, "TicketClosedError") == actual

    def test_a_stale_update_is_the_only_refusal_of_its_incident(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """An incident with an update before its opening has that one update refused."""
        stale = [r for r in log if r.number in ("INC0000131", "INC0000135")]

        expected = [(1, "activate"), (1, "activate")]

        assert expected == [
            (len(r.refusals), getattr(r.refusals[0][0], "action", "")) for r in stale
        ]

    def test_a_closed_incident_refuses_its_reopen_and_every_later_change(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """Every command after a closed incident's close is refused (Closed is final):
        its reopen, and each later update, whether it changes the state or not."""
        reopened = [r for r in log if r.number in REOPENED_AFTER_CLOSING]

        expected = []
        for r in reopened:
            close = next(i for i, c in enumerate(r.commands) if is_close(c))
            expected.append((r.number, "reopen", r.commands[close + 1 :]))

        actual = [
            (
                r.number,
                next(c.action for c, _ in r.refusals if isinstance(c, PerformAction)),
                tuple(c for c, _ in r.refusals),
            )
            for r in reopened
        ]

        assert expected == actual

    def test_every_ticket_ends_closed(self, log: tuple[Replayed, ...]) -> None:
        """Every incident's ticket ends in the closed status."""
        expected = {servicenow.CLOSED: 24_918}

        assert expected == Counter(r.ticket.status for r in log)

    def test_replaying_the_events_rebuilds_the_handled_ticket(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """replay() of an incident's events equals the ticket handle() built, SLA clocks
        included."""
        different = [r.number for r in log if replay(r.events) != r.ticket]

        assert [] == different

    def test_every_resolution_clock_is_stopped(self, log: tuple[Replayed, ...]) -> None:
        """Every closed ticket's resolution clock is stopped."""
        expected = {("resolution", "stopped"): 24_918}

        actual = Counter(
            (status.metric, status.state)
            for r in log
            for status in sla_status(DESK, r.ticket, r.ticket.updated_at)
        )

        assert expected == actual


class TestClosedAt:
    def test_a_ticket_is_closed_at_its_first_closed_update(self, log: tuple[Replayed, ...]) -> None:
        """A ticket's closed_at is the instant of its incident's first Closed update."""
        different = [r.number for r in log if r.ticket.closed_at != first_closed(r)]

        assert [] == different

    def test_the_logs_closed_at_is_its_last_update(self, log: tuple[Replayed, ...]) -> None:
        """The log's closed_at column is the instant of the incident's last update."""
        different = [
            r.number
            for r in log
            if instant(r.updates[-1].closed_at) != instant(r.updates[-1].sys_updated_at)
        ]

        assert [] == different

    def test_the_log_agrees_unless_the_closed_incident_was_updated_again(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """The log's closed_at is the ticket's except in the 57 incidents updated after
        closing: 45 closed again later, and the 12 reopened."""
        updated_again = {
            r.number for r in log if instant(r.updates[-1].sys_updated_at) > first_closed(r)
        }

        disagree = {r.number for r in log if r.ticket.closed_at != instant(r.updates[-1].closed_at)}

        kinds = Counter(
            "reopened" if n in REOPENED_AFTER_CLOSING else "closed again" for n in disagree
        )
        assert (updated_again, {"closed again": 45, "reopened": 12}) == (disagree, kinds)


class TestResolvedAt:
    def test_a_ticket_is_resolved_when_it_last_became_resolved(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """resolved_at is when the incident last became Resolved before closing, or its
        closing for the 13 incidents closed without a resolution."""
        different = [
            r.number
            for r in log
            if r.ticket.resolved_at != (last_entry_into_resolved(r) or first_closed(r))
        ]

        assert [] == different

    def test_the_log_lacks_resolved_at_for_1556_incidents(self, log: tuple[Replayed, ...]) -> None:
        """The log has no resolved_at for 1,556 incidents: 13 never resolved and 1,543
        that were."""
        missing = [r for r in log if r.updates[-1].resolved_at == "?"]

        actual = Counter("Resolved" in r.states for r in missing)

        assert {False: 13, True: 1_543} == actual

    def test_the_log_agrees_for_23055_of_23362_incidents(self, log: tuple[Replayed, ...]) -> None:
        """Where the log has a resolved_at, it is the ticket's for 23,055 of 23,362
        incidents."""
        known = [r for r in log if r.updates[-1].resolved_at != "?"]

        agree = sum(1 for r in known if r.ticket.resolved_at == instant(r.updates[-1].resolved_at))

        assert (23_055, 23_362) == (agree, len(known))

    def test_where_they_differ_the_log_stamps_a_later_resolved_update(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """Each of the 307 others is stamped with a later update in Resolved: 295
        Resolved-to-Resolved updates ticketflow sees no change in, and the 12 refused
        resolutions after a reopen from Closed."""
        known = [r for r in log if r.updates[-1].resolved_at != "?"]
        differ = [r for r in known if r.ticket.resolved_at != instant(r.updates[-1].resolved_at)]

        explained = Counter(
            "reopened after closing"
            if r.number in REOPENED_AFTER_CLOSING
            else "updated while resolved"
            for r in differ
            if instant(r.updates[-1].resolved_at) == last_resolved_update(r)
            and r.ticket.resolved_at is not None
            and last_resolved_update(r) > r.ticket.resolved_at
        )

        assert (307, {"updated while resolved": 295, "reopened after closing": 12}) == (
            len(differ),
            explained,
        )


class TestReopenCount:
    def test_reopens_are_counted_as_servicenow_counts_them(self, log: tuple[Replayed, ...]) -> None:
        """ServiceNow counts 331 reopens (every return from Resolved or Closed to work);
        ticketflow counts every return from Resolved it accepts, so 314: the 12 reopens
        from Closed are refused (Closed is final), and so are the 5 returns from
        Resolved that one of those incidents makes afterwards."""
        logged = sum(int(r.updates[-1].reopen_count) for r in log)
        returns = Counter(
            previous
            for r in log
            for previous, update in state_changes(r)
            if previous in ("Resolved", "Closed") and update.incident_state != "Closed"
        )
        after_refused = sum(
            1
            for r in log
            if r.refusals
            for previous, update in state_changes(r)
            if previous == "Resolved"
            and update.incident_state != "Closed"
            and instant(update.sys_updated_at) > first_closed(r)
        )

        assert (331, {"Resolved": 319, "Closed": 12}, 5) == (logged, dict(returns), after_refused)
        assert 331 - 12 - 5 == sum(r.ticket.reopen_count for r in log)


# -- the auto-close and the SLA as the data shows them (issue 14, deliverable 3) -------

JOB = "Updated by 908"
"""The account of the instance's hourly auto-close job (24,655 of the closes)."""
BULK_CLOSURES = frozenset({date(2016, 3, 24), date(2016, 5, 23)})
"""The two days on which the instance closed incidents in bulk (3,122 and 523 closes,
most of them long past their 5 days): not the hourly job's rule."""
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def is_close(command: Command) -> bool:
    return isinstance(command, PerformAction) and command.action == "close"


@functools.cache
def hosted() -> tuple[Hosted, ...]:
    """Every incident replayed as a host runs the desk, its timers swept at every due
    instant; the hourly job is modelled by its window (below), since its run minute
    moved during the year (:59 in March and April 2016, :07 from April, :00 from July)."""
    desk = servicenow.desk(sla=SlaPolicy())  # the timers alone: the SLA is measured apart
    return without_cyclic_gc(
        lambda: tuple(
            host_replay(desk, servicenow_log.commands(u), is_close=is_close) for u in incidents()
        )
    )


def in_the_jobs_window(close: Close) -> bool:
    """Whether the log's close comes within the hour after ticketflow's due instant (the
    hourly job's next run), to the log's minute: both instants derive from timestamps
    truncated to the minute."""
    return close.swept is not None and -MINUTE < close.logged - close.swept < HOUR + MINUTE


def outside_bulk_days() -> list[Close]:
    return [c for h in hosted() for c in h.closes if c.logged.date() not in BULK_CLOSURES]


FIVE_DAYS = timedelta(days=5)


def last_update_while_resolved(r: Replayed) -> datetime:
    """The instant (UTC) of an incident's last Resolved row before its first Closed."""
    rows = itertools.takewhile(lambda u: u.incident_state != "Closed", r.updates)
    last = [u for u in rows if u.incident_state == "Resolved"][-1]
    return instant(last.sys_updated_at).astimezone(UTC)


def updated_while_resolved(r: Replayed) -> bool:
    """Whether the log holds an update that keeps an incident Resolved."""
    return any(a == b == "Resolved" for a, b in itertools.pairwise(r.states))


class TestAutoClose:
    def test_the_hourly_job_closes_within_the_hour_after_the_due_instant(self) -> None:
        """Of the 21,273 closes outside the two bulk-closure days, 20,638 (97.0 %) come
        within the hour after the preset's 5-day timer, counted from the last update,
        falls due (20,526, 96.5 %, counted from the resolution); 258 of the misses are
        closes by hand, no automatic close (below)."""
        closes = outside_bulk_days()

        matched = sum(map(in_the_jobs_window, closes))

        assert (21_273, 20_638, 97.0) == (
            len(closes),
            matched,
            round(100 * matched / len(closes), 1),
        )

    def test_the_jobs_closes_meet_the_goal(self) -> None:
        """Of the 21,012 automatic closes (by the job's account) outside the two
        bulk-closure days, 20,635 (98.2 %) come within the hour after the due instant:
        the goal of 98 % is met."""
        closes = [c for c in outside_bulk_days() if c.command.actor.id == JOB]

        matched = sum(map(in_the_jobs_window, closes))

        assert (21_012, 20_635, 98.2) == (
            len(closes),
            matched,
            round(100 * matched / len(closes), 1),
        )
        assert matched / len(closes) >= 0.98

    def test_the_misses(self, log: tuple[Replayed, ...]) -> None:
        """The 635 misses outside the bulk days: 258 closes by hand; 257 incidents the log
        first shows Resolved (created resolved, with no creation row and no resolved_at:
        their clock starts when the record was written, which the log lacks) closed 1-2 h
        late; 73 updated while Resolved after the due instant (the job had not closed
        them, and counted from that update); 13 other closes 1-2 h late and 34 later."""
        by_number = {r.number: r for r in log}

        def kind(c: Close) -> str:
            r = by_number[c.case]
            if c.command.actor.id != JOB:
                return "closed by hand"
            assert c.swept is not None  # the job never closes before the 5 days
            late = c.logged - c.swept
            if r.states[0] == "Resolved" and late < 2 * HOUR:
                return "created resolved"
            if any(
                u.incident_state == "Resolved" and instant(u.sys_updated_at) > c.swept
                for u in r.updates
            ):
                return "updated after the due instant"
            return "an hour late" if late < 2 * HOUR else "later"

        misses = Counter(kind(c) for c in outside_bulk_days() if not in_the_jobs_window(c))

        assert {
            "closed by hand": 258,
            "created resolved": 257,
            "updated after the due instant": 73,
            "an hour late": 13,
            "later": 34,
        } == dict(misses)

    def test_the_instance_counts_from_the_last_update_while_resolved(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """Of the 245 incidents the job closes after an update that keeps them Resolved
        (a minute or more after entering it), 244 close within the hour after 5 days from
        the last of those updates, and 63 within the hour after 5 days from entering
        Resolved."""
        updated = [
            r
            for r in log
            if updated_while_resolved(r)
            and last_entry_into_resolved(r) is not None
            and first_closed(r).date() not in BULK_CLOSURES
            and next(u for u in r.updates if u.incident_state == "Closed").sys_updated_by == JOB
            and last_update_while_resolved(r) > utc_of(last_entry_into_resolved(r))
        ]

        def within_the_hour(r: Replayed, start: datetime) -> bool:
            return -MINUTE < utc_of(first_closed(r)) - start - FIVE_DAYS < HOUR + MINUTE

        from_update = sum(within_the_hour(r, last_update_while_resolved(r)) for r in updated)
        from_entry = sum(within_the_hour(r, utc_of(last_entry_into_resolved(r))) for r in updated)

        assert (245, 244, 63) == (len(updated), from_update, from_entry)


def utc_of(value: datetime | None) -> datetime:
    assert value is not None
    return value.astimezone(UTC)


class TestMadeSla:
    def test_a_clock_that_never_pauses_agrees_with_made_sla(
        self, log: tuple[Replayed, ...]
    ) -> None:
        """The preset's resolution clock (real time from opening to closing, never paused)
        is met exactly where the log's made_sla is true for 24,411 of the 24,918 incidents
        (98.0 %)."""
        agree = Counter(
            (r.updates[-1].made_sla == "true") == (not status.breached)
            for r in log
            for status in sla_status(DESK, r.ticket, r.ticket.updated_at)
        )

        assert (24_918, 24_411) == (agree.total(), agree[True])
