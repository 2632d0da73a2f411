"""The driver (``_driver.py``): ``handle`` (decide, then fold evolve), ``tick`` and
``allowed_actions``, and the properties of random lives handled command by command.

The desk-level SLA questions (``sla_status``, ``explain``) are tested with the SLA
reports (``test_sla_reports.py``), the escalation questions with the escalation policy
(``test_escalation.py``), ``notifications`` in ``test_notifications.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import UTC, timedelta
from typing import Any

import attrs
import hypothesis
import pytest

from scenarios import (
    ALICE,
    BOB,
    CAROL,
    DESK,
    FIRST_0240,
    NOBODY,
    QUIET,
    ROBOT,
    SECOND_0210,
    STRICT_DESK,
    WORKFLOW,
    given,
    in_status,
    opened,
    strict_opened,
    t,
)
from strategies import command_sequences
from ticketflow import (
    Actor,
    Assign,
    BusinessCalendar,
    Category,
    ChangePriority,
    Command,
    CommandRefusedError,
    Desk,
    Escalate,
    EscalationRefusedError,
    Event,
    InvalidTypeError,
    NaiveDatetimeError,
    OpenTicket,
    PerformAction,
    Reply,
    Status,
    Ticket,
    Timer,
    TimerLoopError,
    Transition,
    Workflow,
    allowed_actions,
    decide,
    handle,
    next_due,
    notifications,
    replay,
    tick,
)
from ticketflow._driver import _MAX_RULES_AT_ONE_INSTANT
from ticketflow.presets import support_portal as portal


class TestHandle:
    def test_handle_returns_the_events_and_the_ticket_they_build(self) -> None:
        """handle's ticket is the fold of evolve over the events decide returns."""
        ticket = given(opened())
        command = PerformAction(actor=ALICE, at=t(2), action="cancel")

        outcome = handle(DESK, ticket, command)

        expected = decide(DESK, ticket, command)
        assert expected == outcome.events
        assert replay([opened(), *outcome.events]) == outcome.ticket

    def test_replay_rebuilds_the_ticket(self) -> None:
        """Replaying the events of a life gives the ticket handle built."""
        commands: list[Command] = [
            OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone"),
            Assign(actor=CAROL, at=t(1), assignee="carol"),
            PerformAction(actor=CAROL, at=t(2), action="request_information", reason="Which?"),
            Reply(actor=ALICE, at=t(3), body="Extension 204"),
            PerformAction(actor=CAROL, at=t(4), action="propose_resolution"),
            Reply(actor=ALICE, at=t(5), body="Works", approves_resolution=True),
        ]
        ticket: Ticket | None = None
        events: list[Event] = []
        for command in commands:
            outcome = handle(DESK, ticket, command)
            ticket, events = outcome.ticket, [*events, *outcome.events]

        assert ticket == replay(events)


class TestCommandsThatChangeNothing:
    """An idempotent command (a double click) succeeds: the same ticket, no events."""

    def opened_and_assigned(self, desk: Desk) -> Ticket:
        opening = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")
        ticket = handle(desk, None, opening).ticket
        return handle(desk, ticket, Assign(actor=CAROL, at=t(1), assignee="carol")).ticket

    def test_handle_returns_the_same_ticket_and_no_events(self) -> None:
        """Given an assigned ticket, when it is assigned again, then the same ticket, no events."""
        ticket = self.opened_and_assigned(DESK)

        outcome = handle(DESK, ticket, Assign(actor=CAROL, at=t(2), assignee="carol"))

        assert () == outcome.events
        assert outcome.ticket is ticket

    def test_the_sla_clocks_and_the_next_due_instant_are_unchanged(self) -> None:
        """Given a ticket with running SLA clocks, when a no-op is handled, then neither the
        clocks nor next_due move."""
        desk = portal.desk()
        ticket = self.opened_and_assigned(desk)
        expected = (ticket.clocks, ticket.version, next_due(desk, ticket))

        new = handle(desk, ticket, Assign(actor=CAROL, at=t(30), assignee="carol")).ticket

        assert ticket.clocks  # the portal's SLA clocks run
        assert expected == (new.clocks, new.version, next_due(desk, new))

    def test_nobody_is_notified(self) -> None:
        """Given a desk that tells the requester of every priority change, when the
        priority is set to the one it has, then nobody is notified."""
        desk = portal.desk()
        ticket = self.opened_and_assigned(desk)
        command = ChangePriority(actor=CAROL, at=t(2), priority=ticket.priority)

        outcome = handle(desk, ticket, command)

        assert () == notifications(desk, outcome)


def refusal_code(ticket: Ticket, command: Command) -> tuple[str, bool]:
    """The code of decide's refusal of ``command`` ("" if accepted), and whether accepted."""
    try:
        decide(DESK, ticket, command)
    except CommandRefusedError as refusal:
        return refusal.code, False
    return "", True


def availability(desk: Desk, ticket: Ticket, actor: Actor) -> dict[str, tuple[bool, str]]:
    return {a.action: (a.allowed, a.code) for a in allowed_actions(desk, ticket, actor)}


class TestAllowedActions:
    def test_every_action_is_listed_in_workflow_order(self) -> None:
        """allowed_actions lists every action of the workflow, in its order."""
        expected = WORKFLOW.actions

        assert expected == tuple(a.action for a in allowed_actions(DESK, given(opened()), ALICE))

    def test_an_allowed_action_says_what_it_asks_for(self) -> None:
        """An allowed action that needs a reason is allowed and asks for the reason."""
        (escalate,) = [
            a for a in allowed_actions(DESK, given(opened()), ALICE) if a.action == "escalate"
        ]

        expected = ("escalate", "Escalate", True, "", "", ("reason",))

        actual = (
            escalate.action,
            escalate.label,
            escalate.allowed,
            escalate.code,
            escalate.why_not,
            escalate.asks_for,
        )
        assert expected == actual

    def test_the_label_is_the_one_for_the_actors_role(self) -> None:
        """An agent's cancel is allowed and asks for a reason, a customer's does not."""
        ticket = given(opened())

        def cancel(actor: Actor) -> tuple[bool, tuple[str, ...]]:
            (a,) = [a for a in allowed_actions(DESK, ticket, actor) if a.action == "cancel"]
            return a.allowed, a.asks_for

        expected = ((True, ("reason",)), (True, ()))

        assert expected == (cancel(CAROL), cancel(ALICE))

    def test_wrong_status(self) -> None:
        """An action that cannot start from the status is refused as wrong_status."""
        expected = (False, "wrong_status")

        assert expected == availability(DESK, in_status(portal.ESCALATED), ALICE)["escalate"]

    def test_role(self) -> None:
        """An action the role may not perform is refused as role, explaining who may."""
        (close,) = [
            a
            for a in allowed_actions(DESK, in_status(portal.AWAITING_CONFIRMATION), ALICE)
            if a.action == "close"
        ]

        expected = (False, "role")

        assert expected == (close.allowed, close.code)
        assert "only the roles 'agent' or 'system' may" in close.why_not

    def test_ownership(self) -> None:
        """Every action on someone else's ticket is refused as not found."""
        codes = {code for _, code in availability(DESK, given(opened()), BOB).values()}

        expected = {"not_found"}

        assert expected == codes

    def test_anonymous(self) -> None:
        """Every action of an anonymous actor is refused as not found."""
        codes = {code for _, code in availability(DESK, given(opened()), NOBODY).values()}

        expected = {"not_found"}

        assert expected == codes

    def test_missing_requirement(self) -> None:
        """An action whose ticket lacks a required field or assignee says what is missing."""
        ticket = given(strict_opened())

        (solve,) = [a for a in allowed_actions(STRICT_DESK, ticket, CAROL) if a.action == "solve"]

        expected = (False, "missing_requirement")

        assert expected == (solve.allowed, solve.code)
        assert "the field 'root_cause' must be set first" in solve.why_not
        assert "the ticket must be assigned first" in solve.why_not

    def test_closed(self) -> None:
        """Every action on a closed ticket is refused as closed."""
        codes = {code for _, code in availability(DESK, in_status(portal.CLOSED), CAROL).values()}

        expected = {"closed"}

        assert expected == codes

    def test_allowed_actions_agree_with_decide(self) -> None:
        """decide accepts what allowed_actions allows and refuses the rest with the same code."""
        for status in (s.name for s in WORKFLOW.statuses):
            ticket = in_status(status)
            for actor in (ALICE, CAROL, ROBOT, BOB, NOBODY):
                for a in allowed_actions(DESK, ticket, actor):
                    command = PerformAction(actor=actor, at=t(9), action=a.action, reason="why")
                    expected = ("", True) if a.allowed else (a.code, False)
                    assert expected == refusal_code(ticket, command)


@attrs.frozen
class Life:
    """What happened when a sequence of commands was handled one by one."""

    ticket: Ticket
    events: tuple[Event, ...]
    accepted_after_terminal: tuple[Command, ...]
    changed_on_refusal: tuple[Command, ...]


def live(commands: Sequence[Command]) -> Life:
    ticket: Ticket | None = None
    events: list[Event] = []
    after_terminal: list[Command] = []
    changed: list[Command] = []
    for command in commands:
        before = copy.deepcopy(ticket)
        terminal = ticket is not None and WORKFLOW.status(ticket.status).terminal
        try:
            outcome = handle(DESK, ticket, command)
        except (CommandRefusedError, NaiveDatetimeError):
            if before != ticket:
                changed.append(command)
            continue
        if terminal:
            after_terminal.append(command)
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None  # the first command opens the ticket
    return Life(ticket, tuple(events), tuple(after_terminal), tuple(changed))


class TestRandomLives:
    @hypothesis.given(command_sequences(WORKFLOW))
    def test_a_refusal_is_documented_and_changes_nothing(self, commands: list[Command]) -> None:
        """A refused command raises only a documented error and leaves the ticket as it was."""
        # live() catches only CommandRefusedError and NaiveDatetimeError: any other
        # exception escapes and fails this test.
        life = live(commands)

        expected: tuple[Command, ...] = ()

        assert expected == life.changed_on_refusal

    @hypothesis.given(command_sequences(WORKFLOW))
    def test_replaying_all_events_gives_the_final_ticket(self, commands: list[Command]) -> None:
        """Replaying every event of a life gives the ticket handle ended with."""
        life = live(commands)

        assert life.ticket == replay(life.events)

    @hypothesis.given(command_sequences(WORKFLOW))
    def test_the_version_counts_the_events(self, commands: list[Command]) -> None:
        """A ticket's version equals the number of events that built it, numbered in order."""
        life = live(commands)

        expected = list(range(1, len(life.events) + 1))

        assert expected == [e.version for e in life.events]
        assert len(life.events) == life.ticket.version

    @hypothesis.given(command_sequences(WORKFLOW))
    def test_nothing_happens_after_a_terminal_status(self, commands: list[Command]) -> None:
        """Once a ticket is in a terminal status, every command is refused."""
        life = live(commands)

        expected: tuple[Command, ...] = ()

        assert expected == life.accepted_after_terminal

    @hypothesis.given(command_sequences(WORKFLOW))
    def test_time_never_runs_backwards_inside_a_ticket(self, commands: list[Command]) -> None:
        """The events of a life are stamped in non-decreasing order."""
        life = live(commands)

        instants = [e.at for e in life.events]

        assert sorted(instants) == instants


class TestLongSweeps:
    def test_a_long_sweep_over_a_legal_timer_cycle_is_not_an_error(self) -> None:
        """Timers moving a ticket back and forth every minute, swept 8 days late, all fire:
        11,520 rules in one sweep, more than may fall due at any one instant (the limit
        that stops a timer loop counts the rules of one instant, not of a sweep)."""
        workflow = Workflow(
            name="ping-pong",
            statuses=(
                Status("ping", Category.ACTIVE),
                Status("pong", Category.ACTIVE),
                Status("done", Category.CLOSED),
            ),
            initial="ping",
            transitions=(
                Transition(action="to_pong", sources="ping", target="pong", roles="system"),
                Transition(action="to_ping", sources="pong", target="ping", roles="system"),
                Transition(action="finish", sources={"ping", "pong"}, target="done", roles="agent"),
            ),
            timers=(
                Timer(name="ping", statuses="ping", after=timedelta(minutes=1), action="to_pong"),
                Timer(name="pong", statuses="pong", after=timedelta(minutes=1), action="to_ping"),
            ),
        )
        desk = Desk(workflow=workflow)
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Loop")
        ).ticket

        swept = tick(desk, ticket, t(0) + timedelta(days=8))

        assert (11_520, True) == (len(swept.events), 11_520 > _MAX_RULES_AT_ONE_INSTANT)

    def test_rules_that_keep_falling_due_at_one_instant_end_in_a_typed_error(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A desk bug that made one rule due again and again at one instant stops tick."""
        import ticketflow._driver as driver

        desk = Desk(workflow=QUIET)
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Hi")
        ).ticket
        again = Reply(actor=ROBOT, at=t(0), body="note", public=False)
        status = desk.workflow.status(ticket.status)
        monkeypatch.setattr(driver, "due_rule", lambda desk, ticket: (t(0), 0, status, None, None))
        monkeypatch.setattr(driver, "rule_command", lambda rule: again)

        with pytest.raises(TimerLoopError, match="a cycle of timers fires without waiting"):
            tick(desk, ticket, t(1))


class TestInstantsInARepeatedHour:
    def test_tick_in_the_second_pass_fires_a_rule_due_in_the_first(self) -> None:
        """A timer due at 02:40 (first time, 00:40Z) fires on a tick at 02:10 (second time)."""
        desk = Desk(workflow=QUIET, calendar=BusinessCalendar.always_open("Europe/Berlin"))
        opened_at = FIRST_0240 - timedelta(minutes=30)
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=opened_at, ticket_id="T-1", subject="Hi")
        ).ticket

        swept = tick(desk, ticket, SECOND_0210)

        # In UTC: PEP 495 makes an instant in a fold unequal to every other zone's.
        assert [FIRST_0240.astimezone(UTC)] == [e.at.astimezone(UTC) for e in swept.events]


class TestReviewFindings:
    """Issue 10's hardening, reviewed adversarially: what the review found, closed."""

    def test_an_outsider_sees_the_same_labels_whatever_the_status(self) -> None:
        """allowed_actions gives an outsider labels that do not depend on the ticket's status."""
        fresh, escalated = given(opened()), in_status(portal.ESCALATED)

        def labels(ticket: Ticket) -> list[tuple[str, str, bool]]:
            return [(a.label, a.code, a.allowed) for a in allowed_actions(DESK, ticket, BOB)]

        assert labels(fresh) == labels(escalated)

    def test_an_outsider_asking_about_a_ticket_in_an_unknown_status_learns_nothing(self) -> None:
        """A ticket whose status the workflow lacks is still "not found" to an outsider."""
        odd = given(opened(status="legacy_vip_hold"))

        codes = {a.code for a in allowed_actions(DESK, odd, NOBODY)}

        assert {"not_found"} == codes

    def test_a_scheduling_action_asks_for_its_wake_up_instant(self) -> None:
        """allowed_actions lists "until" for an action that enters a scheduled status."""
        from ticketflow.presets import hosting_portal

        desk = hosting_portal.desk()
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Hi")
        ).ticket

        asks = {a.action: a.asks_for for a in allowed_actions(desk, ticket, CAROL)}

        assert "until" in asks["schedule"]

    @pytest.mark.parametrize("call", ["decide", "allowed_actions", "next_due", "tick"])
    def test_a_value_that_is_not_a_ticket_is_a_typed_error(self, call: str) -> None:
        """Passing a dict where a ticket belongs raises InvalidTypeError, not AttributeError."""
        row: Any = {"id": "T-1"}
        calls: dict[str, Callable[[], object]] = {
            "decide": lambda: decide(DESK, row, Reply(actor=CAROL, at=t(1), body="x")),
            "allowed_actions": lambda: allowed_actions(DESK, row, CAROL),
            "next_due": lambda: next_due(DESK, row),
            "tick": lambda: tick(DESK, row, t(1)),
        }

        with pytest.raises(InvalidTypeError, match="ticket must be a Ticket"):
            calls[call]()

    def test_the_escalate_button_is_greyed_out_during_the_requesters_cooldown(self) -> None:
        """Given the instant, allowed_actions refuses Escalate as decide would: cooldown."""
        desk = portal.desk()
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Hi")
        ).ticket
        escalate = Escalate(actor=ALICE, at=t(1), reason="changed_scope", details="All sites")
        ticket = handle(desk, ticket, escalate).ticket
        ticket = handle(
            desk, ticket, PerformAction(actor=CAROL, at=t(2), action="investigate")
        ).ticket
        again = Escalate(actor=ALICE, at=t(3), reason="changed_scope", details="Worse")

        shown = {a.action: a for a in allowed_actions(desk, ticket, ALICE, t(3))}
        with pytest.raises(EscalationRefusedError) as refused_now:
            decide(desk, ticket, again)

        assert (False, "escalation_refused") == (shown["escalate"].allowed, shown["escalate"].code)
        assert {v.code for v in refused_now.value.violations} >= {"cooldown"}
