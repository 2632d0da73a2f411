"""Evolving (``_evolve.py``) at its edges: what each event records that the usual
histories leave unseen (there another event of the same instant records it too),
found by mutation testing (``tools/mutation.sh``).

Given the events a ticket was built from, when one more is recorded, then this ticket.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from scenarios import ALICE, CAROL, ROBOT, STRICT, given, moved, opened, reopened, strict_opened, t
from ticketflow import (
    ActionPerformed,
    Actor,
    InvalidTypeError,
    OpenTicket,
    PriorityChanged,
    ReminderSent,
    Reply,
    StatusChanged,
    SupportLevelChanged,
    TicketAssigned,
    TicketEscalated,
    evolve,
    handle,
    replay,
    tick,
)
from ticketflow.presets import support_portal as portal


def escalated(actor: Actor) -> TicketEscalated:
    """An escalation by ``actor`` at t(7), the ticket's event 2, with no status change."""
    return TicketEscalated(
        ticket_id="T-1", at=t(7), actor=actor, version=2, reason="urgent", details="", evidence=""
    )


class TestReopened:
    def test_a_reopening_is_the_tickets_last_change_and_version(self) -> None:
        """Given a closed ticket, when a reopening is recorded at t(3) with no reply
        before it, then the ticket was last changed at t(3), at version 3."""
        ticket = given(
            strict_opened(),
            moved(2, "open", "closed", "close", workflow=STRICT),
            reopened(3, "closed", "open"),
        )

        assert (t(3), 3) == (ticket.updated_at, ticket.version)


class TestEscalated:
    def test_an_escalation_alone_is_the_tickets_last_change_and_version(self) -> None:
        """Given alice's ticket, when her escalation at t(7) is recorded with no status
        change after it, then the ticket was last changed at t(7), at version 2."""
        ticket = evolve(given(opened()), escalated(ALICE))

        assert (t(7), 2) == (ticket.updated_at, ticket.version)

    def test_the_requesters_escalation_is_remembered(self) -> None:
        """Given alice's ticket, when her escalation at t(7) is recorded, then the ticket
        remembers the requester escalated at t(7)."""
        assert t(7) == evolve(given(opened()), escalated(ALICE)).escalated_at

    def test_an_agents_escalation_is_not_the_requesters(self) -> None:
        """Given alice's ticket, when agent carol's escalation is recorded, then the
        ticket holds no escalation by the requester (her cooldown does not start)."""
        assert evolve(given(opened()), escalated(CAROL)).escalated_at is None


class TestSupportLevelChanged:
    def test_a_change_of_level_is_the_tickets_last_change_and_version(self) -> None:
        """Given alice's ticket, when carol's move to level 2 at t(7) is recorded, then
        the ticket is at level 2, last changed at t(7), at version 2."""
        change = SupportLevelChanged(
            ticket_id="T-1", at=t(7), actor=CAROL, version=2, source=1, target=2, reason=""
        )

        ticket = evolve(given(opened()), change)

        assert (2, t(7), 2) == (ticket.support_level, ticket.updated_at, ticket.version)


class TestActionPerformed:
    def test_a_rule_that_restarts_its_status_records_the_next_wake_up(self) -> None:
        """Given alice's ticket, when a time-driven rule's self-loop at t(7) restarts the
        time in status and names a wake-up at t(90), then the ticket wakes at t(90)."""
        performed = ActionPerformed(
            ticket_id="T-1",
            at=t(7),
            actor=ROBOT,
            version=2,
            action="snooze",
            status="in_progress",
            rule="wake-up",
            until=t(90),
            restarted=True,
        )

        ticket = evolve(given(opened()), performed)

        assert (t(90), t(7)) == (ticket.wake_at, ticket.status_since)


class TestReminderSent:
    def test_a_reminder_alone_is_the_tickets_last_change_and_version(self) -> None:
        """Given alice's ticket, when a reminder sent at t(7) is recorded, then it was
        reminded and last changed at t(7), at version 2."""
        reminder = ReminderSent(
            ticket_id="T-1",
            at=t(7),
            actor=ROBOT,
            version=2,
            rule="auto-close resolved",
            action="close",
            due=t(60),
            to_requester=True,
        )

        ticket = evolve(given(opened()), reminder)

        assert (t(7), t(7), 2) == (ticket.reminded_at, ticket.updated_at, ticket.version)


class TestReplay:
    def test_replaying_something_that_is_not_a_stream_says_what_it_must_be(self) -> None:
        """Given a number where the events belong, when it is replayed, then the refusal
        says the events to replay must be an iterable of events, and what came."""
        not_events: Any = 42

        with pytest.raises(InvalidTypeError) as raised:
            replay(not_events)

        expected = (
            "the events to replay must be an iterable of events, got int 42; "
            "give an iterable of events"
        )
        assert expected == str(raised.value)


class TestAssigned:
    def test_an_assignment_is_the_tickets_last_change(self) -> None:
        """Given alice's ticket, when carol's assignment at t(7) is recorded, then the
        ticket is carol's, last changed at t(7), at version 2."""
        assigned = TicketAssigned(
            ticket_id="T-1", at=t(7), actor=CAROL, version=2, assignee="carol", group=None
        )

        ticket = evolve(given(opened()), assigned)

        assert ("carol", t(7), 2) == (ticket.assignee, ticket.updated_at, ticket.version)


class TestPriorityChanged:
    def test_a_change_of_priority_is_the_tickets_last_change_and_version(self) -> None:
        """Given alice's ticket, when carol's change to high priority at t(7) is
        recorded, then the ticket is high, last changed at t(7), at version 2."""
        change = PriorityChanged(
            ticket_id="T-1", at=t(7), actor=CAROL, version=2, source="normal", target="high"
        )

        ticket = evolve(given(opened()), change)

        assert ("high", t(7), 2) == (ticket.priority, ticket.updated_at, ticket.version)


class TestClockEvents:
    def test_a_clock_event_alone_is_the_tickets_last_change_and_version(self) -> None:
        """Given alice's ticket on the portal with its SLA policy, when its first-response
        warning three hours on is recorded alone, then the ticket was last changed at the
        warning, at the warning's version."""
        desk = portal.desk()
        monday = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))
        opening = OpenTicket(actor=ALICE, at=monday, ticket_id="T-1", subject="No dial tone")
        ticket = handle(desk, None, opening).ticket
        (warning,) = tick(desk, ticket, monday + timedelta(hours=3)).events

        warned = evolve(ticket, warning)

        assert (monday + timedelta(hours=3), 4) == (warned.updated_at, warned.version)


class TestEntered:
    def test_each_return_to_work_from_a_resolution_counts_as_a_reopen(self) -> None:
        """Given alice's ticket resolved and sent back to work twice, when the history is
        replayed, then the ticket counts two reopens."""
        ticket = given(
            opened(),
            moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution"),
            moved(3, portal.AWAITING_CONFIRMATION, portal.IN_PROGRESS, "start_work"),
            moved(4, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution"),
            moved(5, portal.AWAITING_CONFIRMATION, portal.IN_PROGRESS, "start_work"),
        )

        assert 2 == ticket.reopen_count

    def test_a_closed_ticket_that_is_canceled_keeps_when_it_was_closed(self) -> None:
        """Given a ticket closed at t(2) in a closed status that is not final, when it is
        canceled at t(3), then it still records that it was closed at t(2)."""
        closed = StatusChanged(
            ticket_id="T-1",
            at=t(2),
            actor=CAROL,
            version=2,
            action="close",
            source="in_progress",
            target="closed",
            category="closed",
        )
        canceled = attrs.evolve(
            closed,
            at=t(3),
            version=3,
            action="withdraw",
            source="closed",
            target="withdrawn",
            category="canceled",
        )

        ticket = replay([opened(), closed, canceled])

        assert ("withdrawn", t(2)) == (ticket.status, ticket.closed_at)


class TestWhatEvolveRecords:
    def test_something_that_is_no_event_is_refused_by_type(self) -> None:
        """Given alice's ticket, when an action's name is evolved as an event, then the
        refusal says a ticketflow event is needed, and what came."""
        not_an_event: Any = "moved"

        with pytest.raises(InvalidTypeError) as raised:
            evolve(given(opened()), not_an_event)

        expected = "event must be a ticketflow event, got str 'moved'; give a ticketflow event"
        assert expected == str(raised.value)

    def test_something_that_is_no_ticket_is_refused_by_type(self) -> None:
        """Given a ticket id where the ticket belongs, when an event is evolved on it,
        then the refusal says a Ticket, or None before the opening, is needed."""
        not_a_ticket: Any = "T-1"

        with pytest.raises(InvalidTypeError) as raised:
            evolve(not_a_ticket, escalated(ALICE))

        expected = (
            "ticket must be a Ticket, or None before the ticket is opened, got str 'T-1'; "
            "give a Ticket, or None before the ticket is opened"
        )
        assert expected == str(raised.value)

    def test_a_clock_event_of_an_agents_reply_is_no_update_of_its_own(self) -> None:
        """Given alice's ticket on the portal with its SLA policy, when the first-response
        clock carol's reply stopped is recorded alone, then the ticket's last update is
        still its opening."""
        desk = portal.desk()
        monday = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))
        opening = OpenTicket(actor=ALICE, at=monday, ticket_id="T-1", subject="No dial tone")
        ticket = handle(desk, None, opening).ticket
        reply = Reply(actor=CAROL, at=monday + timedelta(hours=1), body="Restart the router.")
        stopped = handle(desk, ticket, reply).events[-1]
        alone = attrs.evolve(stopped, version=ticket.version + 1)  # the reply left out

        assert monday == evolve(ticket, alone).last_update_at
