"""The timers' policies (``_autoclose.py``, ``_due_rules.py``) at their edges, found by
mutation testing (``tools/mutation.sh``): what the usual tests leave unseen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ticketflow import (
    Actor,
    AutoClose,
    AutoClosePolicy,
    BusinessDays,
    Desk,
    DeskDefinitionError,
    InvalidTypeError,
    Ticket,
    follow_up,
)
from ticketflow.presets import support_portal as portal
from ticketflow.presets import volvo_it

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
CLOSED = Ticket(
    id="T-1",
    subject="No dial tone",
    status=portal.CLOSED,
    priority="high",
    requester="alice",
    created_at=AT,
    updated_at=AT,
    status_since=AT,
    version=9,
)
ALICE = Actor.customer("alice")


class TestFollowUp:
    def test_a_follow_up_carries_the_description_given(self) -> None:
        """Given a closed ticket, when its follow-up is built with a description, then
        the command opens the new ticket with that description."""
        command = follow_up(
            CLOSED, actor=ALICE, at=AT, ticket_id="T-2", description="It happened again."
        )

        assert "It happened again." == command.description

    def test_a_follow_up_without_a_description_has_none(self) -> None:
        """Given a closed ticket, when its follow-up is built without a description,
        then the new ticket's description is empty."""
        command = follow_up(CLOSED, actor=ALICE, at=AT, ticket_id="T-2")

        assert "" == command.description

    def test_a_follow_up_takes_the_subject_given(self) -> None:
        """Given a closed ticket, when its follow-up is built with a subject, then the
        new ticket has that subject instead of the one derived from the old ticket."""
        command = follow_up(CLOSED, actor=ALICE, at=AT, ticket_id="T-2", subject="Again")

        assert "Again" == command.subject


class TestAutoCloseRules:
    def test_reminders_that_are_not_a_collection_are_refused_by_name(self) -> None:
        """Given one duration where the reminders belong, when the rule is built, then
        the refusal says the reminders must be an iterable of durations."""
        lone: Any = BusinessDays(1)

        with pytest.raises(InvalidTypeError) as raised:
            AutoClose(when="resolved", after=BusinessDays(3), reminders=lone)

        assert str(raised.value).startswith("AutoClose reminders must be an iterable of durations")

    def test_a_when_that_matches_nothing_offers_up_to_thirty_statuses(self) -> None:
        """Given a twelve-status workflow, when an auto-close rule names no status or
        category of it, then the problem offers all twelve statuses, not the first 8."""
        rule = AutoClose(when="solved", after=BusinessDays(3))

        with pytest.raises(DeskDefinitionError) as raised:
            Desk(workflow=volvo_it.WORKFLOW, auto_close=AutoClosePolicy([rule]))

        offered = [s.name for s in volvo_it.WORKFLOW.statuses if repr(s.name) in str(raised.value)]
        assert [s.name for s in volvo_it.WORKFLOW.statuses] == offered
