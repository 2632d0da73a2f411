"""The SLA modules (``_sla_metric.py``, ``_sla_machine.py``, ...) at their edges, found
by mutation testing (``tools/mutation.sh``): what the usual tests leave unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from sla_scenarios import (
    BOB,
    ROBOT,
    act,
    desk_with,
    every,
    hours,
    life,
    moscow,
    opened,
    say,
    status,
)
from ticketflow import (
    Actor,
    ChangePriority,
    CheckSlaClock,
    Desk,
    InvalidCommandError,
    InvalidTypeError,
    InvalidValueError,
    Metric,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    Reply,
    SlaClock,
    SlaPolicy,
    Ticket,
    handle,
    next_due,
    tick,
)
from ticketflow.presets import case_portal
from ticketflow.presets import support_portal as portal

MOSCOW = ZoneInfo("Europe/Moscow")
ALICE = Actor.customer("alice")
CAROL = Actor.agent("carol")
FOUR_HOURS = {p: timedelta(hours=4) for p in portal.WORKFLOW.priorities}


def at(hour: int, minute: int = 0) -> datetime:
    """Monday 2 March 2026 at ``hour``:``minute`` in Moscow, inside the desk's hours."""
    return datetime(2026, 3, 2, hour, minute, tzinfo=MOSCOW)


def conversation(desk: Desk, *turns: tuple[Actor, datetime]) -> Ticket:
    """Alice's ticket opened at 10:00, then a public reply by each actor at each instant."""
    opening = OpenTicket(actor=ALICE, at=at(10), ticket_id="T-1", subject="No dial tone")
    ticket = handle(desk, None, opening).ticket
    for actor, instant in turns:
        ticket = handle(desk, ticket, Reply(actor=actor, at=instant, body="...")).ticket
    return ticket


class TestNextResponse:
    def test_the_next_follow_up_after_an_answer_starts_a_new_cycle(self) -> None:
        """Given a follow-up answered by the desk, when the customer follows up again,
        then next response runs again, in its second cycle."""
        desk = portal.desk(
            sla=SlaPolicy(
                metrics=[Metric.first_response(FOUR_HOURS), Metric.next_response(FOUR_HOURS)]
            )
        )

        ticket = conversation(
            desk, (CAROL, at(10, 30)), (ALICE, at(11)), (CAROL, at(11, 30)), (ALICE, at(12))
        )

        clock = ticket.clock("next_response")
        assert ("running", 2) == (None if clock is None else (clock.state, clock.cycle))


HOUR = {"normal": timedelta(hours=1)}


def wrong(value: object) -> Any:
    """``value``, typed as anything: a part of the wrong type, on purpose."""
    return value


# Each malformed part of a metric, and the refusal it gets: what it must be, what it got.
MALFORMED_METRICS: dict[str, tuple[Callable[[], object], str]] = {
    "targets-not-a-mapping": (
        lambda: Metric.first_response(wrong(5)),
        "targets must be a mapping of priority names to timedelta or BusinessTime "
        "targets, got int 5; give a mapping of priority names to timedelta or "
        "BusinessTime targets",
    ),
    "priority-not-a-name": (
        lambda: Metric.first_response(wrong({5: timedelta(hours=1)})),
        "a metric's priority must be a priority name (str), got int 5; give a priority name (str)",
    ),
    "signal-not-a-name": (
        lambda: Metric(name="m", targets=HOUR, starts_on=["x"], stops_on=wrong([7])),
        "a metric's signal must be a str, got int 7; give a str",
    ),
    "warning-not-a-fraction": (
        lambda: Metric.first_response(HOUR, warnings=wrong(["0.5"])),
        "a warning must be a fraction like 0.75 (a float), got str '0.5'; "
        "give a fraction like 0.75 (a float)",
    ),
    "calendar-not-a-calendar": (
        lambda: Metric.first_response(HOUR, calendar=wrong("UTC")),
        "calendar must be a BusinessCalendar or None, got str 'UTC'; "
        "give a BusinessCalendar or None",
    ),
    "policy-of-a-name": (
        lambda: SlaPolicy(metrics=wrong(["first_response"])),
        "an item of SlaPolicy metrics must be a Metric, got str 'first_response'; give a Metric",
    ),
    "target-not-a-pair": (
        lambda: Metric.first_response(wrong([("normal",)])),
        "a metric's target must be a (priority, target) pair, got tuple ('normal',); "
        "give a (priority, target) pair",
    ),
    "category-not-a-name": (
        lambda: Metric.first_response(HOUR, pauses_in=wrong([5])),
        "a metric's category must be a str, got int 5; give a str",
    ),
    "warnings-not-a-sequence": (
        lambda: Metric.first_response(HOUR, warnings=wrong(5)),
        "warnings must be an iterable of fractions like 0.75, got int 5; "
        "give an iterable of fractions like 0.75",
    ),
    "name-not-a-string": (
        lambda: Metric(name=wrong(5), targets=HOUR, starts_on="opened", stops_on="agent_reply"),
        "a metric's name must be a str, got int 5; give a str",
    ),
}


class TestMalformedMetrics:
    @pytest.mark.parametrize(
        ("build", "message"), MALFORMED_METRICS.values(), ids=MALFORMED_METRICS.keys()
    )
    def test_a_malformed_metric_is_refused_saying_what_it_must_be(
        self, build: Callable[[], object], message: str
    ) -> None:
        """Given a metric or a policy with one part of the wrong type, when it is built,
        then the refusal names the part, what it must be and the value given."""
        with pytest.raises(InvalidTypeError) as raised:
            build()

        assert message == str(raised.value)


# Each malformed field of a stored clock, and the refusal it gets.
MALFORMED_CLOCKS: dict[str, tuple[dict[str, Any], type[Exception], str]] = {
    "metric-not-a-string": (
        {"metric": 5},
        InvalidTypeError,
        "SlaClock.metric must be a string, got int 5; give a string",
    ),
    "negative-cycle": (
        {"cycle": -1},
        InvalidValueError,
        "SlaClock.cycle is negative; fix the stored clock",
    ),
    "warned-not-an-integer": (
        {"warned": "1"},
        InvalidTypeError,
        "SlaClock.warned must be an integer, got str '1'; give an integer",
    ),
    "business-not-a-boolean": (
        {"business": "yes"},
        InvalidTypeError,
        "SlaClock.business must be a boolean, got str 'yes'; give a boolean",
    ),
    "segment-not-a-pair": (
        {"segments": ((at(10),),)},
        InvalidTypeError,
        "SlaClock.segments must be (start, end) pairs, got tuple (datetime.datetime(2026, 3, "
        "2...oneInfo(key='Europe/Moscow')),); give (start, end) pairs",
    ),
    "segment-ending-naive": (
        {"segments": ((at(10), at(11).replace(tzinfo=None)),)},
        NaiveDatetimeError,
        "SlaClock.segments is a naive datetime (2026-03-02T11:00:00); ticketflow needs an "
        "instant: give it a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Berlin')) "
        "or datetime(..., tzinfo=timezone.utc)",
    ),
    "segments-not-pairs": (
        {"segments": [5]},
        InvalidTypeError,
        "SlaClock.segments must be (start, end) pairs, got list [5]; give (start, end) pairs",
    ),
    "due-instant-naive": (
        {"due_at": at(11).replace(tzinfo=None)},
        NaiveDatetimeError,
        "SlaClock.due_at is a naive datetime (2026-03-02T11:00:00); ticketflow needs an "
        "instant: give it a time zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/Berlin')) "
        "or datetime(..., tzinfo=timezone.utc)",
    ),
    "elapsed-not-a-timedelta": (
        {"elapsed": 5},
        InvalidTypeError,
        "SlaClock.elapsed must be a timedelta, got int 5; give a timedelta",
    ),
}


class TestStoredClocks:
    @pytest.mark.parametrize(
        ("fields", "error", "message"), MALFORMED_CLOCKS.values(), ids=MALFORMED_CLOCKS.keys()
    )
    def test_a_malformed_stored_clock_is_refused_by_its_field(
        self, fields: dict[str, Any], error: type[Exception], message: str
    ) -> None:
        """Given a clock a host stored with one malformed field, when it is loaded, then
        the refusal names the field and what is wrong with it."""
        values: dict[str, Any] = {"metric": "first_response", **fields}

        with pytest.raises(error) as raised:
            SlaClock(**values)

        assert message == str(raised.value)

    def test_segments_given_as_a_list_are_kept_as_pairs(self) -> None:
        """Given a clock a host stored with its segments as a list of pairs, when it is
        loaded, then it holds the same pairs."""
        clock = SlaClock(metric="first_response", segments=[(at(10), at(11))])

        assert ((at(10), at(11)),) == clock.segments


DESK = portal.desk()
REAL_DAY = timedelta(hours=24)
# Real time for every priority but "high", which counts 16 business hours.
MIXED = {**every(REAL_DAY), "high": hours(16)}


def refusal_of_check(ticket: Ticket, metric: str, hour: int) -> InvalidCommandError:
    """The refusal of the system's check of ``metric`` on ``ticket`` at ``hour`` on
    Monday 2 March 2026; the check must be refused."""
    check = CheckSlaClock(actor=ROBOT, at=moscow(2026, 3, 2, hour), metric=metric)
    with pytest.raises(InvalidCommandError) as raised:
        handle(DESK, ticket, check)
    return raised.value


class TestCheckingAClock:
    def test_checking_a_stopped_clock_is_refused_saying_which(self) -> None:
        """Given a portal ticket whose first response was given, when the system checks
        its first-response clock, then the refusal names the ticket and the clock and
        says to check only what next_due reported."""
        ticket = opened(DESK, moscow(2026, 3, 2, 10))
        ticket, _ = life(DESK, ticket, say(BOB, moscow(2026, 3, 2, 10, 30), "on it"))

        error = refusal_of_check(ticket, "first_response", 11)

        expected = (
            "ticket 'T-1' has no running SLA clock 'first_response'; "
            "check only the clocks that next_due reported"
        )
        assert (expected, "invalid") == (str(error), error.code)

    def test_checking_a_clock_not_started_yet_is_refused(self) -> None:
        """Given a fresh portal ticket, whose next-response clock has not started, when
        the system checks that clock, then it is refused as no running clock."""
        ticket = opened(DESK, moscow(2026, 3, 2, 10))

        error = refusal_of_check(ticket, "next_response", 11)

        expected = (
            "ticket 'T-1' has no running SLA clock 'next_response'; "
            "check only the clocks that next_due reported"
        )
        assert expected == str(error)

    def test_checking_a_clock_with_nothing_due_is_refused_saying_when(self) -> None:
        """Given a portal ticket opened at 10:00, when the system checks its first
        response at 11:00, before its warning, then the refusal names the clock, the
        ticket and the instant, and says to check at the instant next_due reported."""
        ticket = opened(DESK, moscow(2026, 3, 2, 10))

        error = refusal_of_check(ticket, "first_response", 11)

        expected = (
            "nothing is due on SLA clock 'first_response' of ticket 'T-1' at "
            "2026-03-02T11:00:00+03:00; check the clock at the instant next_due reported"
        )
        assert expected == str(error)


class TestATargetChangedUnderAClock:
    def test_a_paused_clock_moved_to_business_time_counts_its_time_again(self) -> None:
        """Given a resolution clock paused at 20:00 after running from 10:00 on a real
        time target, when the priority moves to one with a business-time target, then
        the clock counts business time: the 8 hours of 10:00-20:00 within 09:00-18:00."""
        desk = desk_with(Metric.resolution(MIXED, warnings=[]))
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            act("request_information", moscow(2026, 3, 2, 20), "logs"),
            ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 21), priority="high"),
        )

        clock = ticket.clock("resolution")

        assert clock is not None
        assert ("paused", True, timedelta(hours=8), timedelta(hours=16)) == (
            clock.state,
            clock.business,
            clock.elapsed,
            clock.target,
        )

    def test_a_running_clock_retargeted_twice_counts_all_its_time_again(self) -> None:
        """Given a resolution clock running from 10:00, moved to a business-time target
        at 12:00, when it is moved back to a real-time target at 20:00, then it has
        counted the 10 real hours since 10:00."""
        desk = desk_with(Metric.resolution(MIXED, warnings=[]))
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 12), priority="high"),
            ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 20), priority="normal"),
        )

        clock = ticket.clock("resolution")

        assert clock is not None
        assert (False, timedelta(hours=10)) == (clock.business, clock.elapsed)


class TestRealTimeOnABusinessDesk:
    def test_a_real_time_clock_counts_the_hours_the_desk_is_closed(self) -> None:
        """Given the portal (open 09:00-18:00) with a 24-hour real-time resolution
        target, when the SLA status of a ticket opened at 10:00 is read at 20:00, then
        the clock has counted 10 hours, the closed ones too."""
        desk = desk_with(Metric.resolution(every(REAL_DAY), warnings=[]))
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        resolution = status(desk, ticket, moscow(2026, 3, 2, 20), "resolution")

        assert timedelta(hours=10) == resolution.elapsed


class TestMetricParts:
    def test_next_response_keeps_its_pauses_and_options(self) -> None:
        """Given next response built to pause on hold, with a warning at half time, when
        it is built, then it pauses on hold and warns at half time."""
        metric = Metric.next_response(HOUR, pauses_in={"on_hold"}, warnings=[0.5])

        assert (frozenset({"on_hold"}), (0.5,)) == (metric.pauses_in, metric.warnings)


class TestPausing:
    def test_a_paused_clock_keeps_no_running_instants(self) -> None:
        """Given a resolution clock running from 10:00 with its warning ahead, when the
        desk asks the customer for information at 12:00, then the paused clock has no
        running start, no warning, no breach and no stop instant."""
        desk = desk_with(Metric.resolution(every(hours(8))))
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(desk, ticket, act("request_information", moscow(2026, 3, 2, 12), "logs"))

        clock = ticket.clock("resolution")

        assert clock is not None
        assert ("paused", None, None, None, None) == (
            clock.state,
            clock.running_since,
            clock.warn_at,
            clock.due_at,
            clock.stopped_at,
        )

    def test_a_second_pause_adds_its_segment_to_the_time_counted(self) -> None:
        """Given a resolution clock that ran 10:00-12:00 and was resumed at 14:00, when
        it pauses again at 15:00, then it has counted 3 hours."""
        desk = desk_with(Metric.resolution(every(hours(8))))
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            act("request_information", moscow(2026, 3, 2, 12), "logs"),
            say(ALICE, moscow(2026, 3, 2, 14), "logs attached"),
            act("request_information", moscow(2026, 3, 2, 15), "more logs"),
        )

        clock = ticket.clock("resolution")

        assert clock is not None
        assert ("paused", timedelta(hours=3)) == (clock.state, clock.elapsed)


class TestALoneStatusChange:
    def test_going_back_to_work_resumes_a_stopped_resolution(self) -> None:
        """Given a portal ticket whose resolution stopped when a resolution was proposed
        at 12:00, when an agent starts work on it again at 14:00, then the resolution
        clock runs again, due the next morning with its 6 hours left."""
        desk = desk_with(Metric.resolution(every(hours(8)), warnings=[]))
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            act("propose_resolution", moscow(2026, 3, 2, 12)),
            act("start_work", moscow(2026, 3, 2, 14)),
        )

        clock = ticket.clock("resolution")

        assert clock is not None
        assert ("running", moscow(2026, 3, 3, 11)) == (clock.state, clock.due_at)

    def test_closing_stops_a_clock_that_no_signal_of_closing_stops(self) -> None:
        """Given a metric that stops only on the staff's reply, when the ticket is
        closed without one, then the terminal status stops its clock all the same."""
        metric = Metric(
            name="until_answered",
            targets=every(REAL_DAY),
            starts_on="opened",
            stops_on="agent_reply",
            warnings=[],
        )
        desk = desk_with(metric)
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            act("propose_resolution", moscow(2026, 3, 2, 12)),
            act("close", moscow(2026, 3, 2, 14)),
        )

        clock = ticket.clock("until_answered")

        assert clock is not None
        assert ("stopped", moscow(2026, 3, 2, 14)) == (clock.state, clock.stopped_at)

    def test_entering_a_category_starts_a_clock_that_starts_there(self) -> None:
        """Given a metric that starts when the ticket goes on hold, when an agent puts
        the ticket on hold at 12:00, then its clock starts running at 12:00."""
        metric = Metric(
            name="on_hold_time",
            targets=every(REAL_DAY),
            starts_on="entered:on_hold",
            stops_on="entered:active",
            warnings=[],
        )
        desk = desk_with(metric)
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(desk, ticket, act("put_on_hold", moscow(2026, 3, 2, 12), "parts"))

        clock = ticket.clock("on_hold_time")

        assert clock is not None
        assert ("running", moscow(2026, 3, 2, 12)) == (clock.state, clock.running_since)

    def test_a_clock_of_a_metric_dropped_from_the_policy_hides_no_other(self) -> None:
        """Given a ticket opened with first-response and resolution clocks, when a desk
        whose policy has only resolution asks the customer for information, then the
        resolution clock pauses."""
        first_then_resolution = desk_with(
            Metric.first_response(every(hours(4)), warnings=[]),
            Metric.resolution(every(hours(8)), warnings=[]),
        )
        resolution_only = desk_with(Metric.resolution(every(hours(8)), warnings=[]))
        ticket = opened(first_then_resolution, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            resolution_only, ticket, act("request_information", moscow(2026, 3, 2, 12), "logs")
        )

        clock = ticket.clock("resolution")

        assert clock is not None
        assert "paused" == clock.state


class TestNextDue:
    def test_a_stopped_clock_does_not_hide_the_next_ones_due(self) -> None:
        """Given a portal ticket opened Monday 10:00 and answered at 10:30, whose first
        response clock stopped, when asked what falls due next, then the resolution's
        warning at 75 % of its 40 business hours: Thursday 13:00."""
        ticket = opened(DESK, moscow(2026, 3, 2, 10))
        ticket, _ = life(DESK, ticket, say(BOB, moscow(2026, 3, 2, 10, 30), "on it"))

        assert moscow(2026, 3, 5, 13) == next_due(DESK, ticket)


class TestRestartingAndReplanning:
    def test_a_stopped_clock_resumes_on_the_target_of_the_new_priority(self) -> None:
        """Given a resolution clock stopped at 12:00 by a proposed resolution, and the
        priority raised at 13:00 to one with 16 business hours, when work starts again
        at 14:00, then the clock resumes on that target, in business time, unstopped."""
        desk = desk_with(Metric.resolution(MIXED, warnings=[]))
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            act("propose_resolution", moscow(2026, 3, 2, 12)),
            ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 13), priority="high"),
            act("start_work", moscow(2026, 3, 2, 14)),
        )

        clock = ticket.clock("resolution")

        assert clock is not None
        assert ("running", timedelta(hours=16), True, None) == (
            clock.state,
            clock.target,
            clock.business,
            clock.stopped_at,
        )

    def test_a_reply_after_an_unticked_warning_records_it_and_keeps_running(self) -> None:
        """Given a resolution clock whose warning fell due at 16:00 and was not ticked,
        when an agent replies publicly at 17:00, then the reply records the warning and
        nothing else, and the clock keeps running."""
        desk = desk_with(Metric.resolution(every(hours(8))))
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, say(BOB, moscow(2026, 3, 2, 17), "looking"))

        clock = ticket.clock("resolution")
        assert clock is not None
        assert (["ReplyAdded", "SlaWarningReached"], "running") == (
            [type(e).__name__ for e in events],
            clock.state,
        )

    def test_a_breached_clock_resumed_plans_a_warning_it_never_gave(self) -> None:
        """Given a resolution clock breached at 12:00 and paused at 13:00 on a desk
        without warnings, when a desk warning at half time resumes it at 14:00, then the
        warning, its threshold used up, falls due at once, and no second breach."""
        target = every(timedelta(hours=2))
        before = desk_with(Metric.resolution(target, warnings=[]))
        ticket = opened(before, moscow(2026, 3, 2, 10))
        ticket = tick(before, ticket, moscow(2026, 3, 2, 13)).ticket
        ticket, _ = life(before, ticket, act("request_information", moscow(2026, 3, 2, 13), "logs"))
        after = desk_with(Metric.resolution(target, warnings=[0.5]))

        ticket, _ = life(after, ticket, say(ALICE, moscow(2026, 3, 2, 14), "logs attached"))

        clock = ticket.clock("resolution")
        assert clock is not None
        assert (moscow(2026, 3, 2, 12), moscow(2026, 3, 2, 14), None) == (
            clock.breached_at,
            clock.warn_at,
            clock.due_at,
        )

    def test_a_breached_clocks_late_warning_is_recorded_when_ticked(self) -> None:
        """Given a breached resolution clock resumed at 14:00 with a warning it never
        gave (as above), when the desk ticks at 14:00, then it records that warning."""
        target = every(timedelta(hours=2))
        before = desk_with(Metric.resolution(target, warnings=[]))
        ticket = opened(before, moscow(2026, 3, 2, 10))
        ticket = tick(before, ticket, moscow(2026, 3, 2, 13)).ticket
        ticket, _ = life(before, ticket, act("request_information", moscow(2026, 3, 2, 13), "logs"))
        after = desk_with(Metric.resolution(target, warnings=[0.5]))
        ticket, _ = life(after, ticket, say(ALICE, moscow(2026, 3, 2, 14), "logs attached"))

        events = tick(after, ticket, moscow(2026, 3, 2, 14)).events

        assert [("SlaWarningReached", moscow(2026, 3, 2, 14))] == [
            (type(e).__name__, e.at) for e in events
        ]


class TestCommandsOfSeveralEvents:
    def test_a_customers_cancel_stops_a_clock_at_the_closed_status(self) -> None:
        """Given a metric that stops only on the staff's reply, when the customer cancels
        the ticket (canceled, then closed, in one command), then its clock stops."""
        metric = Metric(
            name="until_answered",
            targets=every(REAL_DAY),
            starts_on="opened",
            stops_on="agent_reply",
            warnings=[],
        )
        desk = desk_with(metric)
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        cancel = PerformAction(actor=ALICE, at=moscow(2026, 3, 2, 12), action="cancel")

        ticket, _ = life(desk, ticket, cancel)

        clock = ticket.clock("until_answered")
        assert clock is not None
        assert ("closed", "stopped") == (ticket.status, clock.state)


class TestSystemReplies:
    def test_a_public_reply_of_the_system_is_no_first_response(self) -> None:
        """Given a portal ticket opened at 10:00, when the system posts a public reply at
        11:00, then the first-response clock keeps running."""
        ticket = opened(DESK, moscow(2026, 3, 2, 10))

        ticket, _ = life(DESK, ticket, Reply(actor=ROBOT, at=moscow(2026, 3, 2, 11), body="Got it"))

        clock = ticket.clock("first_response")
        assert clock is not None
        assert "running" == clock.state


class TestALongerTargetAfterABreach:
    def test_a_breached_clock_given_a_longer_target_warns_at_its_new_threshold(
        self,
    ) -> None:
        """Given a resolution clock breached on a 2-hour target and paused at 13:00 after
        3 hours, moved by the priority to an 8-hour target warned at half time, when it
        resumes at 14:00, then its warning falls due an hour later, at 15:00."""
        targets = {**every(timedelta(hours=2)), "high": timedelta(hours=8)}
        before = desk_with(Metric.resolution(targets, warnings=[]))
        ticket = opened(before, moscow(2026, 3, 2, 10))
        ticket = tick(before, ticket, moscow(2026, 3, 2, 13)).ticket
        ticket, _ = life(before, ticket, act("request_information", moscow(2026, 3, 2, 13), "logs"))
        after = desk_with(Metric.resolution(targets, warnings=[0.5]))

        ticket, _ = life(
            after,
            ticket,
            ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 13, 30), priority="high"),
            say(ALICE, moscow(2026, 3, 2, 14), "logs attached"),
        )

        clock = ticket.clock("resolution")
        assert clock is not None
        assert (moscow(2026, 3, 2, 12), moscow(2026, 3, 2, 15)) == (
            clock.breached_at,
            clock.warn_at,
        )


class TestStoppingAPausedClock:
    def test_a_reply_stops_a_first_response_paused_while_waiting(self) -> None:
        """Given a first-response clock that pauses while waiting on the customer,
        paused since 11:00, when an agent replies publicly at 12:00 while the ticket still
        waits, then the clock stops."""
        metric = Metric.first_response(
            every(hours(4)), pauses_in={"waiting_on_customer"}, warnings=[]
        )
        desk = desk_with(metric)
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(desk, ticket, act("request_information", moscow(2026, 3, 2, 11), "logs"))

        ticket, _ = life(desk, ticket, say(BOB, moscow(2026, 3, 2, 12), "which logs?"))

        clock = ticket.clock("first_response")
        assert clock is not None
        assert ("waiting_for_customer", "stopped") == (ticket.status, clock.state)


class TestReopening:
    def test_a_reply_that_reopens_a_case_restarts_a_clock_on_entering_work(self) -> None:
        """Given a case-portal case solved at 11:00, with a metric that restarts only on
        entering an active status, when the submitter's reply at 12:00 reopens it, then
        the metric's clock runs again."""
        metric = Metric(
            name="open_time",
            targets=dict.fromkeys(case_portal.WORKFLOW.priorities, REAL_DAY),
            starts_on="opened",
            stops_on="entered:closed",
            restarts_on="entered:active",
            warnings=[],
        )
        desk = attrs.evolve(case_portal.desk(), sla=SlaPolicy(metrics=[metric]))
        submitter, agent = Actor.customer("sam"), Actor.agent("ann")
        opening = OpenTicket(actor=submitter, at=at(10), ticket_id="C-1", subject="Printer")
        ticket = handle(desk, None, opening).ticket
        ticket = handle(desk, ticket, PerformAction(actor=agent, at=at(11), action="solve")).ticket

        reopened = handle(desk, ticket, Reply(actor=submitter, at=at(12), body="not fixed"))

        clock = reopened.ticket.clock("open_time")
        assert clock is not None
        assert ("open", "running") == (reopened.ticket.status, clock.state)
