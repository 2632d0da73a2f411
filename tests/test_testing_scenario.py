"""``ticketflow.testing``'s given / when / then: a decider test read over events."""

from __future__ import annotations

import pytest

from scenarios import CAROL, DESK, STRICT_DESK, moved, opened, replied, strict_opened, t
from ticketflow import (
    Actor,
    InvalidTypeError,
    InvalidValueError,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reply,
    StaleCommandError,
    TicketClosedError,
    replay,
)
from ticketflow.presets import support_portal as portal
from ticketflow.testing import Scenario, given

ALICE = Actor.customer("alice")


class TestThen:
    def test_then_passes_on_the_events_the_desk_decides(self) -> None:
        """A reply's expected event, written out, is what the desk decides."""
        story = given(DESK, opened()).when(Reply(actor=ALICE, at=t(2), body="Any news?"))

        after = story.then(replied(2, "Any news?"))

        assert after.ticket is not None
        assert 2 == after.ticket.version

    def test_then_returns_the_scenario_that_follows(self) -> None:
        """After then, the history holds the new events and the next when reads it."""
        first = given(DESK, opened()).when(
            PerformAction(actor=CAROL, at=t(2), action="propose_resolution")
        )

        after = first.then(
            moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution")
        )

        assert replay(after.history) == after.ticket
        assert (None, 2) == (after.command, len(after.history))

    def test_then_fails_on_other_events_and_shows_the_first_difference(self) -> None:
        """Expecting a private reply where the desk records a public one fails, naming
        the field that differs."""
        story = given(DESK, opened()).when(Reply(actor=ALICE, at=t(2), body="Any news?"))

        with pytest.raises(AssertionError, match=r"(?s)ReplyAdded.*public: expected False"):
            story.then(replied(2, "Any news?", public=False))

    def test_then_fails_on_a_missing_event(self) -> None:
        """Expecting no event where the desk records one fails, showing the extra one."""
        story = given(DESK, opened()).when(Reply(actor=ALICE, at=t(2), body="Any news?"))

        with pytest.raises(AssertionError, match="event 0: expected None"):
            story.then()

    def test_an_opening_is_given_no_events(self) -> None:
        """Given no events there is no ticket, and the opening's event is decided."""
        command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")

        after = given(DESK).when(command).then(opened())

        assert after.ticket is not None
        assert portal.IN_PROGRESS == after.ticket.status


class TestThenRefused:
    def test_then_refused_returns_the_refusal(self) -> None:
        """A customer performing an agent's action is refused, and the refusal is
        returned for its data."""
        story = given(STRICT_DESK, strict_opened()).when(
            PerformAction(actor=ALICE, at=t(2), action="solve", reason="done")
        )

        error = story.then_refused(PermissionDeniedError)

        assert "role" == error.code

    def test_then_refused_fails_when_the_command_is_accepted(self) -> None:
        """A command the desk accepts fails then_refused, saying it was accepted."""
        story = given(DESK, opened()).when(Reply(actor=ALICE, at=t(2), body="Any news?"))

        with pytest.raises(AssertionError, match=r"decide\(\) accepted"):
            story.then_refused(TicketClosedError)

    def test_then_refused_lets_another_refusal_through(self) -> None:
        """A refusal of another kind than expected is not swallowed: it propagates."""
        story = given(DESK, opened()).when(Reply(actor=ALICE, at=t(-5), body="Late"))

        with pytest.raises(StaleCommandError):
            story.then_refused(TicketClosedError)

    def test_a_scenario_can_start_from_a_loaded_ticket(self) -> None:
        """Built from a ticket (a snapshot), the scenario decides on it."""
        ticket = replay([opened()])

        error = (
            Scenario(desk=DESK, ticket=ticket)
            .when(Reply(actor=ALICE, at=t(-5), body="Late"))
            .then_refused(StaleCommandError)
        )

        assert "stale" == error.code


class TestMisuse:
    def test_then_without_when_is_refused(self) -> None:
        """then() before when() says to call when first."""
        with pytest.raises(InvalidValueError, match=r"call \.when\(command\) before \.then"):
            given(DESK, opened()).then()

    def test_given_refuses_a_workflow(self) -> None:
        """given needs the desk whose rules decide, not its workflow."""
        with pytest.raises(InvalidTypeError, match="a Desk"):
            given(portal.WORKFLOW, opened())  # type: ignore[arg-type]
