"""Driving (``_driver.py``) at its edges, found by mutation testing
(``tools/mutation.sh``): what the usual tests leave unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest

import ticketflow._driver as driver
from scenarios import ALICE, BOB, CAROL, DESK, WORKFLOW, given, opened, t
from ticketflow import (
    ActionAvailability,
    Actor,
    Category,
    ChangeSupportLevel,
    Desk,
    Escalate,
    InvalidTypeError,
    Metric,
    OpenTicket,
    PerformAction,
    ReminderSent,
    Reply,
    Role,
    SlaPolicy,
    Status,
    StatusChanged,
    Ticket,
    TicketNotFoundError,
    Timer,
    TimerLoopError,
    Transition,
    Workflow,
    allowed_actions,
    decide,
    escalation_blockers,
    explain,
    handle,
    next_due,
    notifications,
    sla_status,
    tick,
    validate_escalation,
)
from ticketflow._driver import validate_level_change
from ticketflow.presets import support_portal as portal

# Labels that differ by role and by status: the same action "close" is "Close quietly"
# from waiting (declared first), "Close for the customer" for an agent and "Close my
# request" for the requester from open; "reopen" leaves only closed.
LABELLED = Workflow(
    name="labelled",
    statuses=(
        Status("open", Category.ACTIVE),
        Status("waiting", Category.WAITING_ON_CUSTOMER),
        Status("closed", Category.CLOSED, terminal=False),
    ),
    initial="open",
    transitions=(
        Transition(
            action="close", sources="waiting", target="closed", roles="agent", label="Close quietly"
        ),
        Transition(
            action="close",
            sources="open",
            target="closed",
            roles="agent",
            label="Close for the customer",
        ),
        Transition(
            action="close",
            sources="open",
            target="closed",
            roles="customer",
            label="Close my request",
            requires_fields=("answer",),
        ),
        Transition(action="wait", sources="open", target="waiting", roles="agent", label="Wait"),
        Transition(
            action="reopen", sources="closed", target="open", roles="customer", label="Reopen"
        ),
    ),
)
LABELLED_DESK = Desk(workflow=LABELLED, roles=[Role("lead")])


def labelled_ticket() -> Ticket:
    """Alice's ticket, open, on the labelled desk."""
    command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Export fails")
    return handle(LABELLED_DESK, None, command).ticket


def button(actor: Actor, action: str) -> ActionAvailability:
    """The availability of ``action`` to ``actor`` on alice's open labelled ticket."""
    found = allowed_actions(LABELLED_DESK, labelled_ticket(), actor)
    return next(a for a in found if a.action == action)


def refusal(ticket_action: str) -> str:
    """What ``decide`` tells bob when he performs ``ticket_action`` on alice's ticket."""
    with pytest.raises(TicketNotFoundError) as raised:
        decide(DESK, given(opened()), PerformAction(actor=BOB, at=t(5), action=ticket_action))
    return str(raised.value)


class TestAllowedActions:
    def test_a_desk_that_is_not_a_desk_is_named_in_the_refusal(self) -> None:
        """Given a preset's name where the desk belongs, when the allowed actions are
        asked for, then the refusal says the desk must be a Desk."""
        not_a_desk: Any = "support_portal"

        with pytest.raises(InvalidTypeError, match=r"^desk must be a Desk"):
            allowed_actions(not_a_desk, given(opened()), ALICE)

    def test_an_outsider_sees_each_action_refused_as_decide_refuses_it(self) -> None:
        """Given alice's ticket, when bob asks which actions he may take, then each
        action of the workflow is refused, labelled as its first transition is, with
        the not-found refusal decide gives him."""
        expected = [
            ActionAvailability(
                action=action,
                label=next(tr.label for tr in WORKFLOW.transitions if tr.action == action),
                allowed=False,
                code="not_found",
                why_not=refusal(action),
            )
            for action in WORKFLOW.actions
        ]

        assert expected == list(allowed_actions(DESK, given(opened()), BOB))


class TestAllowedActionsLabels:
    def test_a_refused_action_shows_the_label_of_the_actors_own_transition(self) -> None:
        """Given alice's open ticket, when she asks for her actions, then "close", refused
        for a missing field, shows her transition's label "Close my request"."""
        assert ("Close my request", False) == (
            button(ALICE, "close").label,
            button(ALICE, "close").allowed,
        )

    def test_an_action_from_here_shows_the_label_it_has_here(self) -> None:
        """Given alice's open ticket, when agent carol asks for her actions, then "close"
        shows its label from open, not the one it has from waiting."""
        assert "Close for the customer" == button(CAROL, "close").label

    def test_an_action_of_no_transition_of_the_role_shows_the_first_label_here(self) -> None:
        """Given alice's open ticket, when the desk's lead (no transition of its own)
        asks, then "close" is refused and shows the first label it has from open."""
        assert ("Close for the customer", False) == (
            button(Actor("lena", "lead"), "close").label,
            button(Actor("lena", "lead"), "close").allowed,
        )

    def test_an_action_not_from_here_shows_its_first_label(self) -> None:
        """Given alice's open ticket, when she asks for her actions, then "reopen", which
        leaves only closed, is refused and shows its own label."""
        assert ("Reopen", False) == (button(ALICE, "reopen").label, button(ALICE, "reopen").allowed)

    def test_a_missing_requirement_names_the_action(self) -> None:
        """Given alice's open ticket, when "close" lacks its field, then why_not says the
        close action cannot be performed yet, and what it lacks."""
        expected = (
            "missing_requirement",
            "action 'close' cannot be performed yet: the field 'answer' must be set first",
        )

        assert expected == (button(ALICE, "close").code, button(ALICE, "close").why_not)

    def test_a_role_the_desk_declares_sees_the_ticket(self) -> None:
        """Given alice's open ticket, when the desk's declared lead asks for its actions,
        then it is refused by role, not told the ticket does not exist."""
        codes = {
            a.code for a in allowed_actions(LABELLED_DESK, labelled_ticket(), Actor("lena", "lead"))
        }

        assert "not_found" not in codes


NOT_A_DESK = (
    "desk must be a Desk (build one with Desk(workflow=...) or a preset's desk()), got str "
    "'support_portal'; give a Desk (build one with Desk(workflow=...) or a preset's desk())"
)


def asked(question: str) -> Callable[[Any], object]:
    """``question`` of the driver asked about alice's ticket of the portal, of ``desk``."""
    ticket = handle(SLA_DESK, None, OPENING).ticket
    at = t(5)
    questions: dict[str, Callable[[Any], object]] = {
        "validate_escalation": lambda desk: validate_escalation(
            desk, ticket, Escalate(actor=ALICE, at=at, reason="urgent"), at
        ),
        "escalation_blockers": lambda desk: escalation_blockers(desk, ticket, ALICE, at),
        "validate_level_change": lambda desk: validate_level_change(
            desk, ticket, ChangeSupportLevel(actor=CAROL, at=at, level=2)
        ),
        "explain": lambda desk: explain(desk, ticket, "first_response", at),
        "notifications": lambda desk: notifications(desk, handle(SLA_DESK, None, OPENING)),
        "next_due": lambda desk: next_due(desk, ticket),
        "sla_status": lambda desk: sla_status(desk, ticket, at),
        "tick": lambda desk: tick(desk, ticket, at),
        "decide": lambda desk: decide(desk, ticket, Reply(actor=ALICE, at=at, body="Hi")),
    }
    return questions[question]


SLA_DESK = portal.desk()
OPENING = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")
QUESTIONS = (
    "validate_escalation",
    "escalation_blockers",
    "validate_level_change",
    "explain",
    "notifications",
    "next_due",
    "sla_status",
    "tick",
    "decide",
)


class TestTheDesksQuestions:
    @pytest.mark.parametrize("question", QUESTIONS)
    def test_a_question_asked_of_something_that_is_not_a_desk_says_so(self, question: str) -> None:
        """Given a preset's name where the desk belongs, when one of the driver's
        questions is asked, then the refusal says the desk must be a Desk, and what it got."""
        with pytest.raises(InvalidTypeError) as raised:
            asked(question)("support_portal")

        assert NOT_A_DESK == str(raised.value)

    def test_validating_an_escalation_of_something_else_says_what_it_must_be(self) -> None:
        """Given alice's ticket, when an action's name is validated as an escalation
        request, then the refusal says the request must be an Escalate command."""
        ticket = handle(SLA_DESK, None, OPENING).ticket
        request: Any = "escalate"

        with pytest.raises(InvalidTypeError) as raised:
            validate_escalation(SLA_DESK, ticket, request, t(5))

        expected = (
            "request must be an Escalate command, got str 'escalate'; give an Escalate command"
        )
        assert expected == str(raised.value)

    def test_the_notifications_of_something_else_say_what_they_need(self) -> None:
        """Given the portal's desk, when the notifications of a list of events are asked
        for, then the refusal says it needs the Outcome handle returned."""
        events: Any = list(handle(SLA_DESK, None, OPENING).events)

        with pytest.raises(InvalidTypeError) as raised:
            notifications(SLA_DESK, events)

        assert str(raised.value).startswith("outcome must be the Outcome handle returned, got list")


HOUR = timedelta(hours=1)

# A desk that closes an open ticket 10 quiet hours after its opening, reminding the
# requester 4 and 2 hours before.
REMINDING = Desk(
    workflow=Workflow(
        name="reminding",
        initial="open",
        statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
        transitions=(
            Transition(action="close", sources="open", target="closed", roles={"agent", "system"}),
        ),
        timers=(
            Timer(
                name="close",
                statuses="open",
                after=10 * HOUR,
                action="close",
                reminders=(4 * HOUR, 2 * HOUR),
            ),
        ),
    )
)


def reminding_ticket() -> Ticket:
    """Alice's ticket on the reminding desk, opened at t(0)."""
    command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")
    return handle(REMINDING, None, command).ticket


def noted_late() -> Ticket:
    """Alice's reminding ticket, noted by carol 11 hours on with no sweep before: its
    reminders and its close are all overdue, so the next sweep fires them at the note."""
    note = Reply(actor=CAROL, at=t(0) + 11 * HOUR, body="Checking the line.", public=False)
    return handle(REMINDING, reminding_ticket(), note).ticket


class TestRulesAtOneInstant:
    def test_as_many_rules_at_one_instant_as_the_limit_are_no_loop(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Given a limit of two rules at one instant and a ticket whose reminder and close
        are both overdue at its last change, when the sweep comes, then both fire."""
        monkeypatch.setattr(driver, "_MAX_RULES_AT_ONE_INSTANT", 2)

        swept = tick(REMINDING, noted_late(), t(0) + 11 * HOUR)

        assert [ReminderSent, StatusChanged] == [type(e) for e in swept.events]

    def test_rules_at_instants_of_their_own_do_not_add_up_to_a_loop(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Given a limit of two rules at one instant, when one sweep fires two reminders
        and a close, each at its own instant, then all three fire."""
        monkeypatch.setattr(driver, "_MAX_RULES_AT_ONE_INSTANT", 2)

        swept = tick(REMINDING, reminding_ticket(), t(0) + 10 * HOUR)

        assert [ReminderSent, ReminderSent, StatusChanged] == [type(e) for e in swept.events]

    def test_more_rules_at_one_instant_than_the_limit_are_a_loop_named_in_full(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Given a limit of one rule at one instant, when a sweep meets a reminder and a
        close overdue at one instant, then TimerLoopError names the count, the ticket and
        the instant, and how to fix the timers."""
        monkeypatch.setattr(driver, "_MAX_RULES_AT_ONE_INSTANT", 1)
        at = t(0) + 11 * HOUR

        with pytest.raises(TimerLoopError) as raised:
            tick(REMINDING, noted_late(), at)

        expected = (
            f"2 time-driven rules fell due on ticket 'T-1' at the one instant "
            f"{at.isoformat()} without end: a cycle of timers fires without waiting; "
            "give every timer of the cycle a positive wait"
        )
        error = raised.value
        assert (expected, "T-1", at, 2) == (str(error), error.ticket_id, error.at, error.count)


def three_clocks() -> Desk:
    """The portal with three metrics that all start when a ticket is opened."""
    target = dict.fromkeys(WORKFLOW.priorities, 10 * HOUR)
    first = Metric.first_response(target, warnings=())
    metrics = [attrs.evolve(first, name=name) for name in ("first_response", "triage", "intake")]
    return portal.desk(sla=SlaPolicy(metrics=metrics), escalation=None)


class TestHandleWithClocks:
    def test_the_ticket_is_at_the_version_of_its_last_clock_event(self) -> None:
        """Given a desk whose three SLA clocks start at the opening, when alice opens a
        ticket, then the ticket is at version 4, the last clock event's, changed then."""
        command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")

        outcome = handle(three_clocks(), None, command)

        assert (4, 4, t(0)) == (
            outcome.events[-1].version,
            outcome.ticket.version,
            outcome.ticket.updated_at,
        )
