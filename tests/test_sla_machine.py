"""The SLA clock machine (``_sla_machine.py``): clocks start, pause, stop, warn and breach
at exact instants, as the ticket's own events drive them.

Seed 000 (the support portal, 001 is its Russian original): "the status means that the
work on your appeal is suspended, because some work on your part (the user who created
the request) is required to continue the work ... The time to resolution of the
requests is also set to pause until the required information is received."

Every test builds its tickets with commands at fixed aware instants on the portal's
calendar (Monday to Friday, 09:00-18:00 Moscow time, Russian holidays: Monday 9 March
2026 is one).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla_scenarios import (
    ALICE,
    BERLIN,
    BOB,
    DESK,
    MEGABYTE,
    PRIORITIES,
    ROBOT,
    UTC_,
    Target,
    act,
    desk_with,
    due_at,
    every,
    fold,
    hours,
    in_utc,
    later,
    life,
    lived,
    moscow,
    of,
    opened,
    opening,
    real_time,
    say,
    sequences,
    status,
)
from sweeps import tick_in_steps
from ticketflow import (
    Actor,
    BusinessCalendar,
    BusinessTime,
    ChangePriority,
    CheckSlaClock,
    CommandRefusedError,
    Desk,
    Event,
    InvalidCommandError,
    Metric,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reply,
    SlaBreached,
    SlaClockPaused,
    SlaClockResumed,
    SlaClockStarted,
    SlaClockStopped,
    SlaPolicy,
    SlaTargetChanged,
    SlaWarningReached,
    Ticket,
    handle,
    next_due,
    replay,
    sla_status,
    tick,
)
from ticketflow._sla_metric import MAX_WARNINGS
from ticketflow.presets import support_portal as portal


class TestSeedRuleResolutionPausesWhileWaitingForTheCustomer:
    """000/001: "The time to resolution of the requests is also set to pause until the
    required information is received." Normal priority: 40 business hours."""

    def test_waiting_for_the_customer_pauses_resolution(self) -> None:
        """Asking the customer for information pauses the resolution clock, keeping the
        business time counted until then."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        _, events = life(desk, ticket, act("request_information", moscow(2026, 3, 2, 12), "logs"))

        [paused] = of(SlaClockPaused, events, "resolution")
        assert (moscow(2026, 3, 2, 12), "paused", timedelta(hours=2), None) == (
            paused.at,
            paused.clock.state,
            paused.clock.elapsed,
            paused.clock.due_at,
        )

    def test_the_customers_reply_resumes_it(self) -> None:
        """The customer's reply brings the ticket back to work and the clock runs again
        from the reply, with the remaining 38 business hours."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 12), "logs"),
        )
        reply_at = moscow(2026, 3, 3, 15)

        ticket, events = life(desk, ticket, say(ALICE, reply_at, "here are the logs"))

        [resumed] = of(SlaClockResumed, events, "resolution")
        assert reply_at == resumed.at
        assert desk.calendar.add(reply_at, timedelta(hours=38)) == resumed.clock.due_at
        assert portal.IN_PROGRESS == ticket.status

    def test_elapsed_excludes_the_wait(self) -> None:
        """A day and a half waiting on the customer adds nothing: 2 h before the wait
        plus 1 h after the reply is 3 h."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 12), "logs"),
            say(ALICE, moscow(2026, 3, 3, 15), "here are the logs"),
        )

        resolution = status(desk, ticket, moscow(2026, 3, 3, 16), "resolution")

        assert (timedelta(hours=3), False) == (resolution.elapsed, resolution.paused)

    def test_paused_status_does_not_move_while_waiting(self) -> None:
        """While the desk waits, the status is paused and its elapsed time stands still."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 12), "logs"),
        )

        early = status(desk, ticket, moscow(2026, 3, 2, 13), "resolution")
        late = status(desk, ticket, moscow(2026, 3, 20, 13), "resolution")

        assert (True, None) == (late.paused, late.due_at)
        assert early.elapsed == late.elapsed == timedelta(hours=2)

    def test_the_wait_does_not_pause_first_response(self) -> None:
        """Only resolution pauses: a first response still runs while the desk waits."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
        )

        first = status(desk, ticket, moscow(2026, 3, 2, 12), "first_response")

        assert ("running", timedelta(hours=2)) == (first.state, first.elapsed)


class TestFirstResponse:
    def test_met_when_an_agent_replies_in_time(self) -> None:
        """A public agent reply within 4 business hours stops the clock, met."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, say(BOB, moscow(2026, 3, 2, 11, 30)))

        [stopped] = of(SlaClockStopped, events, "first_response")
        first = status(desk, ticket, moscow(2026, 3, 2, 12), "first_response")
        assert (timedelta(hours=1, minutes=30), None) == (
            stopped.clock.elapsed,
            stopped.clock.breached_at,
        )
        assert ("stopped", True, False) == (first.state, first.met, first.breached)

    def test_breached_when_nobody_replies(self) -> None:
        """Without a reply the clock breaches 4 business hours after opening, and the late
        reply then stops it as not met."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        swept = tick(desk, ticket, moscow(2026, 3, 2, 14, 30))

        ticket, _ = life(desk, swept.ticket, say(BOB, moscow(2026, 3, 2, 15)))

        [breach] = of(SlaBreached, swept.events, "first_response")
        first = status(desk, ticket, moscow(2026, 3, 2, 15), "first_response")
        assert moscow(2026, 3, 2, 14) == breach.at == breach.clock.breached_at
        assert (False, True, moscow(2026, 3, 2, 14)) == (
            first.met,
            first.breached,
            first.breached_at,
        )

    def test_an_internal_note_is_no_response(self) -> None:
        """An agent's internal note does not stop the first-response clock."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        note = Reply(actor=BOB, at=moscow(2026, 3, 2, 11), body="looking", public=False)
        ticket, events = life(desk, ticket, note)

        assert [] == of(SlaClockStopped, events)
        assert "running" == status(desk, ticket, moscow(2026, 3, 2, 11), "first_response").state

    def test_a_customer_reply_is_no_response(self) -> None:
        """The customer writing again does not stop the first-response clock."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, _ = life(desk, ticket, say(ALICE, moscow(2026, 3, 2, 11), "any news?"))

        assert "running" == status(desk, ticket, moscow(2026, 3, 2, 11), "first_response").state

    def test_one_cycle_only(self) -> None:
        """Later agent replies do not start the first-response clock again."""
        desk = portal.desk()
        ticket, events = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            say(BOB, moscow(2026, 3, 2, 11)),
            say(ALICE, moscow(2026, 3, 2, 12)),
            say(BOB, moscow(2026, 3, 2, 13)),
        )

        assert 1 == len(of(SlaClockStarted, events, "first_response"))
        assert 1 == status(desk, ticket, moscow(2026, 3, 2, 13), "first_response").cycle

    def test_resolving_without_a_reply_stops_it(self) -> None:
        """Proposing a resolution without a public reply stops first response, met (as
        a desk that solves a ticket fulfils the metric)."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, act("propose_resolution", moscow(2026, 3, 2, 11)))

        [stopped] = of(SlaClockStopped, events, "first_response")
        assert timedelta(hours=1) == stopped.clock.elapsed
        assert status(desk, ticket, moscow(2026, 3, 9), "first_response").met

    def test_an_agents_cancel_stops_it(self) -> None:
        """An agent canceling the request stops first response: a canceled request
        never breaches it later."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, _ = life(desk, ticket, act("cancel", moscow(2026, 3, 2, 11), "a duplicate"))

        assert "canceled" == ticket.status
        assert "stopped" == status(desk, ticket, moscow(2026, 3, 9), "first_response").state
        assert None is next_due(desk, ticket)

    def test_pauses_with_resolution_when_both_pause_in_the_same_status(self) -> None:
        """A first-response clock that also pauses on hold pauses with the resolution
        clock, both in one command, in the policy's order."""
        desk = portal.desk(
            sla=SlaPolicy(
                metrics=[
                    Metric.first_response(portal.SLA.metrics[0].targets, pauses_in={"on_hold"}),
                    Metric.resolution(portal.SLA.metrics[2].targets, pause_on_hold=True),
                ]
            )
        )
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        _, events = life(desk, ticket, act("put_on_hold", moscow(2026, 3, 2, 11), "the carrier"))

        assert ["first_response", "resolution"] == [
            e.clock.metric for e in of(SlaClockPaused, events)
        ]
        assert [timedelta(hours=1)] * 2 == [e.clock.elapsed for e in of(SlaClockPaused, events)]


class TestNextResponse:
    def _answered(self, desk: Desk) -> Ticket:
        """Opened Monday 10:00 and answered at 10:30."""
        ticket, _ = life(
            desk, None, opening(moscow(2026, 3, 2, 10)), say(BOB, moscow(2026, 3, 2, 10, 30))
        )
        return ticket

    def test_a_reply_before_the_first_answer_starts_no_cycle(self) -> None:
        """Before the staff's first public reply, the customer's replies are the first
        response's to answer: next response does not start."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, say(ALICE, moscow(2026, 3, 2, 10, 20), "and also"))

        assert [] == of(SlaClockStarted, events)
        assert None is ticket.clock("next_response")

    def test_resolving_stops_an_unanswered_cycle(self) -> None:
        """Resolving the ticket with a follow-up unanswered stops next response."""
        desk = portal.desk()
        ticket, _ = life(desk, self._answered(desk), say(ALICE, moscow(2026, 3, 2, 11)))

        _, events = life(desk, ticket, act("propose_resolution", moscow(2026, 3, 2, 12)))

        [stopped] = of(SlaClockStopped, events, "next_response")
        assert (timedelta(hours=1), None) == (stopped.clock.elapsed, stopped.clock.breached_at)

    def test_a_follow_up_on_a_resolved_ticket_waits_for_the_ticket_to_go_back_to_work(
        self,
    ) -> None:
        """On a workflow where a reply does not reopen a resolved ticket, the follow-up
        starts next response paused: it neither counts nor breaches while the ticket
        stays resolved, and runs once the desk takes the ticket back to work."""
        from ticketflow.presets import servicenow

        four = {p: timedelta(hours=4) for p in servicenow.WORKFLOW.priorities}
        desk = servicenow.desk(
            sla=SlaPolicy(metrics=[Metric.first_response(four), Metric.next_response(four)])
        )
        caller = Actor.customer("caller")
        ticket, _ = life(
            desk,
            None,
            OpenTicket(
                actor=BOB,
                at=moscow(2026, 3, 2, 10),
                ticket_id="INC-1",
                subject="VPN",
                requester="caller",
            ),
            say(BOB, moscow(2026, 3, 2, 10, 30)),
            act("resolve", moscow(2026, 3, 2, 11)),
            say(caller, moscow(2026, 3, 2, 12), "still broken"),
        )
        swept = tick(desk, ticket, moscow(2026, 3, 5))

        back, _ = life(desk, swept.ticket, act("reopen", moscow(2026, 3, 5, 9)))

        assert ("resolved", "paused") == (ticket.status, ticket.clock("next_response").state)  # type: ignore[union-attr]
        assert [] == [e for e in swept.events if hasattr(e, "clock")]
        assert "running" == status(desk, back, moscow(2026, 3, 5, 10), "next_response").state
        assert (
            timedelta(hours=1)
            == status(desk, back, moscow(2026, 3, 5, 10), "next_response").elapsed
        )

    def test_a_reply_rejecting_a_resolution_given_without_an_answer_is_measured(
        self,
    ) -> None:
        """A request resolved with no public answer, then rejected by the customer, has
        its "still broken" measured by next response: one start, running."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("propose_resolution", moscow(2026, 3, 2, 11)),
        )

        ticket, events = life(desk, ticket, say(ALICE, moscow(2026, 3, 2, 12), "still broken"))

        [started] = of(SlaClockStarted, events, "next_response")
        assert ("in_progress", "running") == (ticket.status, started.clock.state)
        assert [] == of(SlaClockResumed, events, "next_response")

    def test_a_customer_reply_starts_a_cycle(self) -> None:
        """The customer's reply starts next response: 8 business hours for normal."""
        desk = portal.desk()
        ticket = self._answered(desk)

        _, events = life(desk, ticket, say(ALICE, moscow(2026, 3, 2, 11)))

        [started] = of(SlaClockStarted, events, "next_response")
        assert (1, moscow(2026, 3, 3, 10)) == (started.clock.cycle, started.clock.due_at)

    def test_the_oldest_unanswered_reply_counts(self) -> None:
        """A second customer reply while the first is unanswered neither restarts the
        clock nor moves its deadline."""
        desk = portal.desk()
        ticket, _ = life(desk, self._answered(desk), say(ALICE, moscow(2026, 3, 2, 11)))
        due = status(desk, ticket, moscow(2026, 3, 2, 11), "next_response").due_at

        ticket, events = life(desk, ticket, say(ALICE, moscow(2026, 3, 2, 12), "hello?"))

        assert [] == [e for e in events if hasattr(e, "clock")]
        now = status(desk, ticket, moscow(2026, 3, 2, 13), "next_response")
        assert (due, timedelta(hours=2), 1) == (now.due_at, now.elapsed, now.cycle)

    def test_an_agent_reply_ends_the_cycle(self) -> None:
        """The agent's answer stops the clock, met."""
        desk = portal.desk()
        ticket, _ = life(desk, self._answered(desk), say(ALICE, moscow(2026, 3, 2, 11)))

        ticket, events = life(desk, ticket, say(BOB, moscow(2026, 3, 2, 13)))

        [stopped] = of(SlaClockStopped, events, "next_response")
        assert timedelta(hours=2) == stopped.clock.elapsed
        assert status(desk, ticket, moscow(2026, 3, 2, 13), "next_response").met

    def test_the_next_customer_reply_starts_a_new_cycle(self) -> None:
        """After an answer the next customer reply starts cycle 2 from zero."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            self._answered(desk),
            say(ALICE, moscow(2026, 3, 2, 11)),
            say(BOB, moscow(2026, 3, 2, 13)),
        )

        ticket, events = life(desk, ticket, say(ALICE, moscow(2026, 3, 2, 14)))

        [started] = of(SlaClockStarted, events, "next_response")
        now = status(desk, ticket, moscow(2026, 3, 2, 15), "next_response")
        assert (2, timedelta(hours=1)) == (started.clock.cycle, now.elapsed)

    def test_an_approving_reply_starts_nothing(self) -> None:
        """The customer's "please close it" closes the ticket and opens no next-response
        cycle on its way."""
        desk = portal.desk()
        ticket = self._answered(desk)
        approve = Reply(
            actor=ALICE, at=moscow(2026, 3, 2, 11), body="Works, close it", approves_resolution=True
        )

        ticket, events = life(desk, ticket, approve)

        assert [] == of(SlaClockStarted, events)
        assert None is ticket.clock("next_response")


class TestResolution:
    @pytest.mark.parametrize(
        ("commands", "category"),
        [
            ([act("propose_resolution", moscow(2026, 3, 2, 13))], "resolved"),
            ([act("cancel", moscow(2026, 3, 2, 13), "duplicate")], "canceled"),
            ([PerformAction(actor=ALICE, at=moscow(2026, 3, 2, 13), action="resolve")], "closed"),
        ],
    )
    def test_stops_on_resolved_closed_or_canceled(
        self, commands: list[PerformAction], category: str
    ) -> None:
        """Entering a resolved, closed or canceled status stops the resolution clock with
        the 3 business hours counted."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, *commands)

        [stopped] = of(SlaClockStopped, events, "resolution")
        assert category == desk.workflow.category(ticket.status)
        assert (moscow(2026, 3, 2, 13), timedelta(hours=3)) == (
            stopped.clock.stopped_at,
            stopped.clock.elapsed,
        )

    def test_on_hold_does_not_pause_by_default(self) -> None:
        """On hold keeps the resolution clock running unless the policy says otherwise."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("put_on_hold", moscow(2026, 3, 2, 11), "SIP provider"),
        )

        assert not status(desk, ticket, moscow(2026, 3, 2, 12), "resolution").paused

    def test_pause_on_hold_pauses_on_hold(self) -> None:
        """With ``pause_on_hold=True`` the on-hold status pauses resolution too."""
        desk = desk_with(Metric.resolution(every(hours(8)), pause_on_hold=True))
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("put_on_hold", moscow(2026, 3, 2, 11), "SIP provider"),
        )

        resolution = status(desk, ticket, moscow(2026, 3, 2, 15), "resolution")

        assert (True, timedelta(hours=1)) == (resolution.paused, resolution.elapsed)


class TestClosing:
    def test_every_clock_stops_when_the_ticket_closes(self) -> None:
        """A customer closing the ticket stops every running clock at once (here first
        response and resolution), and nothing is due any more."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            say(ALICE, moscow(2026, 3, 2, 10, 30), "and also"),
        )
        closing = PerformAction(actor=ALICE, at=moscow(2026, 3, 2, 11), action="resolve")

        ticket, events = life(desk, ticket, closing)

        assert {"first_response", "resolution"} == {
            e.clock.metric for e in of(SlaClockStopped, events)
        }
        assert {"stopped"} == {c.state for c in ticket.clocks}
        assert None is next_due(desk, ticket)

    def test_a_cancel_that_closes_stops_every_clock(self) -> None:
        """The customer's cancel goes on to closed: every running clock stops there."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            say(BOB, moscow(2026, 3, 2, 10, 10)),
            say(ALICE, moscow(2026, 3, 2, 10, 20), "more"),
        )

        ticket, _ = life(
            desk, ticket, PerformAction(actor=ALICE, at=moscow(2026, 3, 2, 11), action="cancel")
        )

        assert portal.CLOSED == ticket.status
        assert {"stopped"} == {c.state for c in ticket.clocks}
        assert {moscow(2026, 3, 2, 11)} == {
            c.stopped_at for c in ticket.clocks if c.metric != "first_response"
        }


class TestWarningsAndBreaches:
    def test_default_warning_at_three_quarters(self) -> None:
        """With no fractions given, one warning falls due at 75 % of the target: 3 of the
        4 business hours of a normal first response."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        events = tick(desk, ticket, moscow(2026, 3, 2, 13, 30)).events

        [warning] = of(SlaWarningReached, events, "first_response")
        assert (moscow(2026, 3, 2, 13), 0.75) == (warning.at, warning.fraction)

    def test_several_fractions_warn_in_order(self) -> None:
        """Fractions given in any order warn in increasing order, each at its own instant,
        then the breach comes."""
        desk = desk_with(Metric.first_response(every(hours(8)), warnings=[0.5, 0.25, 0.9]))
        ticket = opened(desk, moscow(2026, 3, 2, 9))

        events = tick(desk, ticket, moscow(2026, 3, 3, 9)).events

        assert [
            ("SlaWarningReached", moscow(2026, 3, 2, 11)),
            ("SlaWarningReached", moscow(2026, 3, 2, 13)),
            ("SlaWarningReached", moscow(2026, 3, 2, 16, 12)),
            ("SlaBreached", moscow(2026, 3, 2, 17)),
        ] == [(type(e).__name__, e.at) for e in events]
        assert [0.25, 0.5, 0.9] == [e.fraction for e in of(SlaWarningReached, events)]

    def test_no_warnings(self) -> None:
        """An empty list of fractions gives the breach alone."""
        desk = desk_with(Metric.first_response(every(hours(8)), warnings=[]))
        ticket = opened(desk, moscow(2026, 3, 2, 9))

        events = tick(desk, ticket, moscow(2026, 3, 3, 9)).events

        assert [SlaBreached] == [type(e) for e in events]

    def test_a_week_late_tick_stamps_the_true_instants(self) -> None:
        """A sweep a week late records the warning and the breach at the instants they
        fell due: the event's ``at`` and the clock's ``breached_at`` are both exact."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        events = tick(desk, ticket, moscow(2026, 3, 9, 14)).events

        [warning] = of(SlaWarningReached, events, "first_response")
        [breach] = of(SlaBreached, events, "first_response")
        assert moscow(2026, 3, 2, 13) == warning.at
        assert moscow(2026, 3, 2, 14) == breach.at == breach.clock.breached_at

    def test_a_late_tick_equals_punctual_ones(self) -> None:
        """Ticking once, late, gives the same SLA events as ticking at every due instant."""
        desk = portal.desk()
        start = opened(desk, moscow(2026, 3, 2, 10))
        punctual: list[Event] = []
        ticket = start
        while (due := next_due(desk, ticket)) is not None and due < moscow(2026, 3, 20):
            outcome = tick(desk, ticket, due)
            ticket = outcome.ticket
            punctual.extend(outcome.events)

        late = tick(desk, start, moscow(2026, 3, 20))

        assert punctual == list(late.events)

    def test_breach_waits_for_the_pause(self) -> None:
        """Time spent waiting on the customer pushes the resolution breach back by the
        business time waited."""
        desk = desk_with(Metric.resolution(every(hours(8)), warnings=[]))
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 9)),
            act("request_information", moscow(2026, 3, 2, 10), "logs"),
            say(ALICE, moscow(2026, 3, 2, 12), "logs"),
        )

        [breach] = tick(desk, ticket, moscow(2026, 3, 10)).events

        # 1 h before the wait, 6 h after it on Monday, the last hour on Tuesday.
        assert moscow(2026, 3, 3, 10) == breach.at

    def test_nothing_is_due_while_paused(self) -> None:
        """A paused clock has nothing due: no warning, no breach."""
        desk = desk_with(Metric.resolution(every(hours(8))))
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 9)),
            act("request_information", moscow(2026, 3, 2, 10), "logs"),
        )

        assert None is next_due(desk, ticket)
        assert () == tick(desk, ticket, moscow(2026, 4, 1)).events

    def test_only_the_system_checks_a_clock(self) -> None:
        """An agent cannot record a breach."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        forged = CheckSlaClock(actor=BOB, at=moscow(2026, 3, 2, 15), metric="first_response")

        with pytest.raises(PermissionDeniedError):
            handle(desk, ticket, forged)

    def test_checking_before_anything_is_due_is_refused(self) -> None:
        """A check before the next warning or breach is refused, not recorded early."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        early = CheckSlaClock(actor=ROBOT, at=moscow(2026, 3, 2, 11), metric="first_response")

        with pytest.raises(InvalidCommandError, match="nothing is due"):
            handle(desk, ticket, early)


class TestReopen:
    """In the portal a customer's reply to a resolved (awaiting confirmation) ticket puts
    it back to work: the resolution clock restarts."""

    def _reopened(self, on_reopen: str) -> tuple[Desk, Ticket, list[Event]]:
        desk = desk_with(Metric.resolution(every(hours(8)), on_reopen=on_reopen))
        ticket, events = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 9)),
            act("propose_resolution", moscow(2026, 3, 2, 11)),
            say(ALICE, moscow(2026, 3, 2, 13), "still broken"),
        )
        return desk, ticket, events

    def test_resume_counts_on_from_where_it_stopped(self) -> None:
        """``on_reopen="resume"`` (the default) keeps the 2 hours counted and the cycle."""
        desk, ticket, events = self._reopened("resume")

        [resumed] = of(SlaClockResumed, events, "resolution")
        resolution = status(desk, ticket, moscow(2026, 3, 2, 14), "resolution")
        assert (1, timedelta(hours=3)) == (resolution.cycle, resolution.elapsed)
        assert moscow(2026, 3, 3, 10) == resumed.clock.due_at

    def test_new_cycle_starts_from_zero(self) -> None:
        """``on_reopen="new_cycle"`` starts cycle 2 from zero at the reopening."""
        desk, ticket, events = self._reopened("new_cycle")

        [started] = of(SlaClockStarted, events, "resolution")[1:]
        resolution = status(desk, ticket, moscow(2026, 3, 2, 14), "resolution")
        assert (2, timedelta(hours=1)) == (resolution.cycle, resolution.elapsed)
        assert moscow(2026, 3, 3, 12) == started.clock.due_at

    def test_a_new_cycle_forgets_the_old_breach(self) -> None:
        """A breach in cycle 1 does not mark cycle 2 as breached."""
        desk = desk_with(Metric.resolution(every(hours(1)), on_reopen="new_cycle"))
        ticket = opened(desk, moscow(2026, 3, 2, 9))
        ticket = tick(desk, ticket, moscow(2026, 3, 2, 11)).ticket
        ticket, _ = life(
            desk,
            ticket,
            act("propose_resolution", moscow(2026, 3, 2, 11)),
            say(ALICE, moscow(2026, 3, 2, 12), "still broken"),
        )

        resolution = status(desk, ticket, moscow(2026, 3, 2, 12, 30), "resolution")

        assert (2, False, None) == (resolution.cycle, resolution.breached, resolution.breached_at)

    def test_a_resumed_breach_stays_breached(self) -> None:
        """Resuming keeps the cycle, so a breach before the resolution stays recorded."""
        desk = desk_with(Metric.resolution(every(hours(1))))
        ticket = opened(desk, moscow(2026, 3, 2, 9))
        ticket = tick(desk, ticket, moscow(2026, 3, 2, 11)).ticket
        ticket, _ = life(
            desk,
            ticket,
            act("propose_resolution", moscow(2026, 3, 2, 11)),
            say(ALICE, moscow(2026, 3, 2, 12), "still broken"),
        )

        resolution = status(desk, ticket, moscow(2026, 3, 2, 12, 30), "resolution")

        assert (1, True, moscow(2026, 3, 2, 10)) == (
            resolution.cycle,
            resolution.breached,
            resolution.breached_at,
        )


class TestTargets:
    def test_priority_change_retargets(self) -> None:
        """Raising the priority to high moves the first-response deadline from 4 to 2
        business hours after opening (the hour counted is kept)."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(
            desk, ticket, ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 11), priority="high")
        )

        changed = {e.clock.metric: e.clock for e in of(SlaTargetChanged, events)}
        assert (timedelta(hours=2), moscow(2026, 3, 2, 12)) == (
            changed["first_response"].target,
            changed["first_response"].due_at,
        )
        assert (
            timedelta(hours=16),
            desk.calendar.add(moscow(2026, 3, 2, 10), timedelta(hours=16)),
        ) == (
            changed["resolution"].target,
            changed["resolution"].due_at,
        )

    def test_retarget_past_the_new_target_breaches_at_once(self) -> None:
        """Lowering the target below the time already counted breaches at the change."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))
        ticket, _ = life(
            desk,
            ticket,
            ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 12), priority="critical"),
        )

        events = tick(desk, ticket, moscow(2026, 3, 2, 12)).events

        [breach] = of(SlaBreached, events, "first_response")
        assert moscow(2026, 3, 2, 12) == breach.clock.breached_at

    def test_retarget_while_paused_keeps_the_pause(self) -> None:
        """A paused clock takes the new target and stays paused."""
        desk = portal.desk()
        ticket, _ = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 10)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
        )

        ticket, _ = life(
            desk, ticket, ChangePriority(actor=BOB, at=moscow(2026, 3, 2, 12), priority="low")
        )

        resolution = status(desk, ticket, moscow(2026, 3, 2, 13), "resolution")
        assert (True, timedelta(hours=80), timedelta(hours=1)) == (
            resolution.paused,
            resolution.target,
            resolution.elapsed,
        )

    def test_business_time_skips_the_weekend(self) -> None:
        """4 business hours from Friday 16:00 end on Tuesday 11:00 (Monday 9 March 2026
        is a Russian holiday)."""
        desk = desk_with(Metric.first_response(every(hours(4))))

        ticket = opened(desk, moscow(2026, 3, 6, 16))

        assert moscow(2026, 3, 10, 11) == due_at(ticket, "first_response")

    def test_real_time_runs_through_the_weekend(self) -> None:
        """A plain ``timedelta`` target is real time: Friday 16:00 + 4 h is Friday 20:00."""
        desk = desk_with(Metric.first_response(every(timedelta(hours=4))))

        ticket = opened(desk, moscow(2026, 3, 6, 16))

        assert moscow(2026, 3, 6, 20) == due_at(ticket, "first_response")

    def test_real_time_is_elapsed_time_across_dst(self) -> None:
        """Real time is elapsed time: 4 hours from 00:30 on the Berlin spring-forward
        night end at 05:30 local summer time."""
        berlin = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")
        desk = desk_with(Metric.first_response(every(timedelta(hours=4))), desk_calendar=berlin)

        ticket = opened(desk, datetime(2026, 3, 29, 0, 30, tzinfo=BERLIN))

        assert datetime(2026, 3, 29, 5, 30, tzinfo=BERLIN) == due_at(ticket, "first_response")

    def test_metric_calendar_beats_policy_calendar_beats_desk_calendar(self) -> None:
        """Each metric counts on its own calendar, else the policy's, else the desk's."""
        mornings = BusinessCalendar.weekdays("Europe/Berlin", "08:00", "12:00")
        one_hour = BusinessCalendar.weekdays("UTC", "09:00", "10:00")
        metrics = (
            Metric.first_response(every(hours(2)), calendar=mornings),
            Metric.resolution(every(hours(2))),
        )
        opened_at = moscow(2026, 3, 2, 9)

        with_policy = opened(desk_with(*metrics, calendar=one_hour), opened_at)
        without = opened(desk_with(*metrics), opened_at)

        assert datetime(2026, 3, 2, 10, tzinfo=BERLIN) == due_at(with_policy, "first_response")
        assert datetime(2026, 3, 3, 10, tzinfo=ZoneInfo("UTC")) == due_at(with_policy, "resolution")
        assert moscow(2026, 3, 2, 11) == due_at(without, "resolution")

    def test_business_or_real_time_per_priority(self) -> None:
        """Targets may mix kinds: critical in real time, the rest in business time; the
        change of kind counts the time so far again on the new calendar."""
        targets: dict[str, Target] = {**every(hours(4)), "critical": timedelta(hours=4)}
        desk = desk_with(Metric.first_response(targets))
        ticket = opened(desk, moscow(2026, 3, 6, 17))

        ticket, _ = life(
            desk, ticket, ChangePriority(actor=BOB, at=moscow(2026, 3, 6, 19), priority="critical")
        )

        first = status(desk, ticket, moscow(2026, 3, 6, 19), "first_response")
        assert (timedelta(hours=2), moscow(2026, 3, 6, 21)) == (first.elapsed, first.due_at)


class TestBreachesRecordedWithoutATickFirst:
    """A host that handles a command after a clock's due instant without ticking first
    (DESIGN §1: rules overdue at a later command are still applied) must not lose the
    breach or its exact instant."""

    def test_a_late_stop_records_the_breach(self) -> None:
        """An agent's first reply a day late, handled before any tick, stops the clock as
        breached at Monday 14:00."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, say(BOB, moscow(2026, 3, 3, 10)))

        [stopped] = of(SlaClockStopped, events, "first_response")
        first = status(desk, ticket, moscow(2026, 3, 3, 10), "first_response")
        assert moscow(2026, 3, 2, 14) == stopped.clock.breached_at
        assert moscow(2026, 3, 2, 14) == first.breached_at

    def test_a_late_pause_keeps_the_true_breach_instant(self) -> None:
        """A 1-hour resolution opened at 09:00, paused at 11:00 and resumed at 12:00 with
        no tick in between breached at 10:00: the pause records the breach first."""
        desk = desk_with(Metric.resolution(every(hours(1)), warnings=[]))
        ticket, events = life(
            desk,
            None,
            opening(moscow(2026, 3, 2, 9)),
            act("request_information", moscow(2026, 3, 2, 11), "logs"),
            say(ALICE, moscow(2026, 3, 2, 12), "logs"),
        )

        later = tick(desk, ticket, moscow(2026, 3, 3)).events
        [breach] = of(SlaBreached, [*events, *later])

        assert moscow(2026, 3, 2, 10) == breach.clock.breached_at

    def test_a_stop_at_the_due_instant_has_one_verdict(self) -> None:
        """The stop event and ``sla_status`` agree on met or breached for a reply at the
        exact due instant."""
        desk = portal.desk()
        ticket = opened(desk, moscow(2026, 3, 2, 10))

        ticket, events = life(desk, ticket, say(BOB, moscow(2026, 3, 2, 14)))

        [stopped] = of(SlaClockStopped, events, "first_response")
        first = status(desk, ticket, moscow(2026, 3, 2, 14), "first_response")
        assert (stopped.clock.breached_at is None) == first.met


class TestWarningsAreBounded:
    def test_max_warnings_warnings_are_accepted(self) -> None:
        """A metric with MAX_WARNINGS warnings builds and ticks each of them."""
        fractions = tuple(i / (MAX_WARNINGS + 1) for i in range(1, MAX_WARNINGS + 1))
        desk = desk_with(Metric.first_response(every(hours(11)), warnings=fractions))
        ticket = opened(desk, moscow(2026, 3, 2, 9))

        swept = tick(desk, ticket, moscow(2026, 3, 3, 18))

        assert MAX_WARNINGS == len(of(SlaWarningReached, swept.events))


class TestProperties:
    @settings(max_examples=60)
    @given(sequences, later)
    def test_elapsed_never_exceeds_the_business_time_since_the_cycle_started(
        self, commands: list[object], late: int
    ) -> None:
        """No clock counts more business time than passed since its cycle started."""
        ticket, events = lived(DESK, commands)
        if ticket is None:
            return
        starts = {e.clock.metric: e.at for e in of(SlaClockStarted, events)}
        at = ticket.updated_at + timedelta(hours=late)

        for clock in sla_status(DESK, ticket, at):
            assert clock.elapsed <= DESK.calendar.between(starts[clock.metric], at)

    @settings(max_examples=60)
    @given(sequences, later)
    def test_a_pause_never_increases_elapsed(self, commands: list[object], late: int) -> None:
        """Pausing records the time counted so far, and a paused clock stands still."""
        ticket, _ = lived(DESK, commands)  # checks every pause on the way
        if ticket is None:
            return
        now = {s.metric: s for s in sla_status(DESK, ticket, ticket.updated_at)}
        then = sla_status(DESK, ticket, ticket.updated_at + timedelta(hours=late))

        for clock in then:
            if clock.paused:
                assert now[clock.metric].elapsed == clock.elapsed

    @settings(max_examples=60)
    @given(
        st.integers(0, 60 * 24 * 60),
        st.sampled_from(PRIORITIES),
        st.sampled_from(
            (
                portal.calendar(),
                BusinessCalendar.weekdays("Europe/Berlin", "08:00", "16:30", country="DE"),
            )
        ),
    )
    def test_a_ticket_never_paused_breaches_at_calendar_add(
        self, minutes: int, priority: str, calendar: BusinessCalendar
    ) -> None:
        """Untouched after opening, each clock breaches at exactly ``calendar.add(start,
        target)``, however late the sweep."""
        desk = portal.desk(calendar=calendar)
        start = moscow(2026, 3, 2) + timedelta(minutes=minutes)
        ticket = opened(desk, start, priority)

        events = tick(desk, ticket, start + timedelta(days=120)).events

        for breach in of(SlaBreached, events):
            clock = breach.clock
            metric = portal.SLA.metric(clock.metric)
            assert metric is not None
            target = metric.target(priority)
            assert isinstance(target, BusinessTime)
            assert calendar.add(start, target.duration) == clock.breached_at == breach.at
        assert {"first_response", "resolution"} == {b.clock.metric for b in of(SlaBreached, events)}

    @settings(max_examples=60)
    @given(sequences, later, st.lists(later, max_size=4))
    def test_tick_batch_invariance_with_sla_events(
        self, commands: list[object], late: int, steps: list[int]
    ) -> None:
        """One late tick gives the same events (SLA warnings and breaches included) as
        ticks at any increasing instants up to it."""
        ticket, _ = lived(DESK, commands)
        if ticket is None:
            return
        now = ticket.updated_at + timedelta(hours=late)
        once = tick(DESK, ticket, now)
        earlier = [ticket.updated_at + timedelta(hours=h) for h in sorted(steps) if h <= late]
        swept, stepped = tick_in_steps(DESK, ticket, [*earlier, now])

        assert list(once.events) == stepped
        assert once.ticket == swept

    @settings(max_examples=60)
    @given(sequences, later)
    def test_replay_identity(self, commands: list[object], late: int) -> None:
        """Replaying every event, the clocks' included, gives back the ticket."""
        ticket, events = lived(DESK, commands)
        if ticket is None:
            return
        swept = tick(DESK, ticket, ticket.updated_at + timedelta(hours=late))

        assert swept.ticket == replay([*events, *swept.events])

    @settings(max_examples=150)
    @given(sequences, st.booleans())
    def test_the_quick_reading_of_a_status_change_agrees_with_the_general_fold(
        self, commands: list[object], everything_pauses: bool
    ) -> None:
        """The table that judges a lone status change at a glance gives the same clock
        events as folding it through every metric (also when two clocks pause at once)."""
        from ticketflow._decide import command_events
        from ticketflow._sla_machine import _fold, clock_events

        desk = DESK
        if everything_pauses:
            waiting = {"waiting_on_customer", "on_hold"}
            desk = portal.desk(
                sla=SlaPolicy(
                    metrics=[
                        Metric.first_response(portal.SLA.metrics[0].targets, pauses_in=waiting),
                        Metric.resolution(portal.SLA.metrics[2].targets, pause_on_hold=True),
                    ]
                )
            )
        ticket: Ticket | None = None
        for command in commands:
            try:
                events = command_events(desk, ticket, command)  # type: ignore[arg-type]
            except (CommandRefusedError, NaiveDatetimeError):
                continue
            plan, workflow = desk.sla_plan, desk.workflow
            # A command that changes nothing has no events: clock_events answers () itself.
            assert (_fold(plan, workflow, ticket, events) if events else ()) == clock_events(
                plan, workflow, ticket, events
            )
            ticket = handle(desk, ticket, command).ticket  # type: ignore[arg-type]


class TestClocksInARepeatedHour:
    def test_a_breach_due_in_the_first_pass_of_the_fold_is_recorded_by_a_reply_in_the_second(
        self,
    ) -> None:
        """A first response due at 02:40+02:00, answered at 02:10+01:00 (thirty minutes
        later), is breached, not met."""
        desk = real_time(first_response=timedelta(minutes=30))
        ticket = opened(desk, fold(0, 10))

        events = life(desk, ticket, say(BOB, fold(1, 10)))[1]

        assert [fold(0, 40)] == [e.clock.breached_at for e in of(SlaBreached, events)]

    def test_a_status_change_in_the_second_pass_of_the_fold_records_the_overdue_breach(
        self,
    ) -> None:
        """A lone status change at 02:10+01:00 records the breach due at 02:40+02:00."""
        desk = real_time(resolution=timedelta(minutes=30))
        ticket = opened(desk, fold(0, 10))

        events = life(desk, ticket, act("put_on_hold", fold(1, 10), "waiting for the carrier"))[1]

        assert [in_utc(fold(0, 40))] == [
            in_utc(e.clock.breached_at) for e in of(SlaBreached, events)
        ]

    def test_checking_a_clock_in_the_second_pass_of_the_fold_records_a_breach_due_in_the_first(
        self,
    ) -> None:
        """The system's check at 02:10+01:00 finds the breach due at 02:40+02:00."""
        desk = real_time(first_response=timedelta(minutes=30))
        ticket = opened(desk, fold(0, 10))

        events = handle(
            desk, ticket, CheckSlaClock(actor=ROBOT, at=fold(1, 10), metric="first_response")
        ).events

        assert [SlaBreached] == [type(e) for e in events]

    def test_of_two_clocks_due_on_either_side_of_the_fold_the_earlier_instant_is_next(
        self,
    ) -> None:
        """A breach due at 02:50+02:00 (00:50Z) is due before one at 02:10+01:00 (01:10Z)."""
        desk = real_time(first_response=timedelta(minutes=30), resolution=timedelta(minutes=50))
        ticket = opened(desk, fold(0, 20))

        assert in_utc(fold(0, 50)) == in_utc(next_due(desk, ticket))


class TestClocksPastTheEndOfTime:
    def test_a_breach_that_would_fall_due_after_the_calendar_ends_is_never_due(self) -> None:
        """A ticket opened in 9999-12 with a 30-day target has no due instant: it cannot
        breach in any time a calendar can count, and nothing is pending for it."""
        desk = real_time(first_response=timedelta(days=30))
        at = datetime(9999, 12, 20, 10, tzinfo=UTC_)

        ticket = opened(desk, at)

        assert (None, None) == (due_at(ticket, "first_response"), next_due(desk, ticket))

    def test_a_ticket_answered_in_9999_12_keeps_its_warning_when_only_the_breach_is_out_of_range(
        self,
    ) -> None:
        """A warning inside the calendar's range is still planned when the breach is not."""
        desk = desk_with(
            Metric.resolution(every(timedelta(days=20)), warnings=(0.25,)),
            desk_calendar=BusinessCalendar.always_open("UTC"),
        )
        at = datetime(9999, 12, 20, 10, tzinfo=UTC_)

        clock = opened(desk, at).clock("resolution")

        assert clock is not None
        assert (None, at + timedelta(days=5)) == (clock.due_at, clock.warn_at)

    def test_a_reply_in_9999_12_is_handled_on_the_portal(self) -> None:
        """Answering a ticket in the portal's last business days raises no range error."""
        desk = portal.desk()
        at = moscow(9999, 12, 29, 10)  # a Wednesday: two business days end past the range

        ticket = life(desk, None, opening(at), say(BOB, at))[0]

        assert ("in_progress", None) == (ticket.status, due_at(ticket, "resolution"))


class TestHugeValues:
    def test_checking_a_megabyte_metric_is_refused_in_a_short_message(self) -> None:
        """A CheckSlaClock of a 1 MB metric name is a typed refusal under 2 KB."""
        desk = portal.desk()
        at = moscow(2026, 3, 2, 10)

        with pytest.raises(CommandRefusedError) as raised:
            handle(desk, opened(desk, at), CheckSlaClock(actor=ROBOT, at=at, metric=MEGABYTE))

        assert len(str(raised.value)) < 2000
