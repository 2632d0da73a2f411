"""Tests for ``ticketflow._decider``: decide, evolve, handle, replay and allowed_actions.

Decider tests read given / when / then over events: *given* the events a ticket was
built from, *when* a command is decided, *then* these events (or this refusal).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import hypothesis
import pytest

from strategies import BASE, command_sequences
from ticketflow import (
    ActionNotAllowedError,
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
    EventStreamError,
    FieldChanged,
    FrozenMap,
    InvalidCommandError,
    InvalidTypeError,
    InvalidValueError,
    MissingRequirementError,
    MuteNotifications,
    NaiveDatetimeError,
    NonexistentInstantError,
    NotificationsMuted,
    NotificationsUnmuted,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    PriorityChanged,
    Reaction,
    Reply,
    ReplyAdded,
    SetField,
    SlaPolicy,
    StaleCommandError,
    Status,
    StatusChanged,
    Ticket,
    TicketAssigned,
    TicketClosedError,
    TicketflowError,
    TicketNotFoundError,
    TicketOpened,
    TicketReopened,
    Timer,
    TimerLoopError,
    Transition,
    UnknownActionError,
    UnmuteNotifications,
    Workflow,
    allowed_actions,
    decide,
    evolve,
    handle,
    next_due,
    replay,
    tick,
)
from ticketflow.presets import support_portal as portal

# The portal without its SLA and escalation policies: these tests read the core alone
# (Escalate is then the workflow's plain transition).
DESK = portal.desk(sla=SlaPolicy(), escalation=None)
WORKFLOW = portal.WORKFLOW
ALICE = Actor.customer("alice")
BOB = Actor.customer("bob")
CAROL = Actor.agent("carol")
ROBOT = Actor.system()
NOBODY = Actor.anonymous()


def t(minutes: int) -> datetime:
    """The instant ``minutes`` after the fixed base instant."""
    return BASE + timedelta(minutes=minutes)


# -- event builders for the "given" and "then" parts ------------------------------------


def opened(**changes: object) -> TicketOpened:
    values: dict[str, object] = {
        "ticket_id": "T-1",
        "at": t(0),
        "actor": ALICE,
        "version": 1,
        "subject": "No dial tone",
        "requester": "alice",
        "status": portal.IN_PROGRESS,
        "priority": "normal",
    }
    values.update(changes)
    return TicketOpened(**values)  # type: ignore[arg-type]


def moved(
    version: int,
    source: str,
    target: str,
    action: str,
    *,
    actor: Actor = CAROL,
    at: datetime | None = None,
    reason: str = "",
    chained: bool = False,
    workflow: Workflow = WORKFLOW,
) -> StatusChanged:
    return StatusChanged(
        ticket_id="T-1",
        at=t(version) if at is None else at,
        actor=actor,
        version=version,
        action=action,
        source=source,
        target=target,
        category=workflow.category(target),
        reason=reason,
        chained=chained,
    )


def replied(
    version: int,
    body: str,
    *,
    actor: Actor = ALICE,
    public: bool = True,
    at: datetime | None = None,
) -> ReplyAdded:
    return ReplyAdded(
        ticket_id="T-1",
        at=t(version) if at is None else at,
        actor=actor,
        version=version,
        body=body,
        public=public,
    )


def given(*events: Event) -> Ticket:
    """The ticket the events build."""
    return replay(events)


def in_status(status: str) -> Ticket:
    """A ticket of alice's moved by an agent into ``status`` (at version 2, minute 2)."""
    if status == portal.IN_PROGRESS:
        return given(opened(), replied(2, "Any news?"))
    return given(opened(), moved(2, portal.IN_PROGRESS, status, "test_setup"))


def refused(
    error: type[Exception], ticket: Ticket | None, command: Command, desk: Desk = DESK
) -> Exception:
    """Decide ``command``, expect ``error``, and check the ticket was left as it was."""
    before = copy.deepcopy(ticket)
    with pytest.raises(error) as raised:
        decide(desk, ticket, command)
    with pytest.raises(error):
        handle(desk, ticket, command)
    assert before == ticket
    return raised.value


# A small workflow with requirements, a reopen reaction and no approval action.
STRICT = Workflow(
    name="strict",
    statuses=(
        Status("open", Category.ACTIVE),
        Status("solved", Category.RESOLVED),
        Status("closed", Category.CLOSED),
    ),
    initial="open",
    transitions=(
        Transition(
            action="solve",
            sources="open",
            target="solved",
            roles="agent",
            requires_reason=True,
            requires_fields=("root_cause",),
            requires_assignee=True,
        ),
        Transition(action="close", sources="solved", target="closed", roles={"agent", "customer"}),
    ),
    reactions=(Reaction(on="customer_reply", sources="closed", target="open"),),
)
STRICT_DESK = Desk(workflow=STRICT)


def strict_opened(**changes: object) -> TicketOpened:
    return opened(status="open", **changes)


# -- decide ------------------------------------------------------------------------------


class TestOpenTicket:
    def test_a_customer_opens_their_own_ticket(self) -> None:
        """A customer's OpenTicket opens the ticket for them in the initial status."""
        command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")

        expected = (opened(),)

        assert expected == decide(DESK, None, command)

    def test_an_agent_opens_a_ticket_on_a_customers_behalf(self) -> None:
        """An agent's OpenTicket carries the requester, priority, assignee, group and fields."""
        command = OpenTicket(
            actor=CAROL,
            at=t(0),
            ticket_id="T-1",
            subject="No dial tone",
            description="Since Monday",
            requester="alice",
            priority="high",
            assignee="carol",
            group="voice",
            parent_id="T-0",
            fields={"impact": "all extensions"},
        )

        expected = (
            opened(
                actor=CAROL,
                description="Since Monday",
                priority="high",
                assignee="carol",
                group="voice",
                parent_id="T-0",
                fields=FrozenMap({"impact": "all extensions"}),
            ),
        )

        assert expected == decide(DESK, None, command)

    def test_a_customer_cannot_open_a_ticket_for_someone_else(self) -> None:
        """A customer naming another requester is refused for ownership."""
        command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Hi", requester="bob")

        error = refused(PermissionDeniedError, None, command)

        expected = "ownership"
        assert expected == error.code  # type: ignore[attr-defined]
        assert "customers open tickets only for themselves, not for 'bob'" in str(error)

    def test_a_customer_cannot_choose_the_assignee(self) -> None:
        """A customer choosing the assignee is refused: the desk assigns tickets."""
        command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Hi", assignee="carol")

        error = refused(PermissionDeniedError, None, command)

        assert "the desk assigns tickets, not customers" in str(error)

    def test_an_anonymous_actor_cannot_open_a_ticket(self) -> None:
        """An anonymous OpenTicket is refused, telling to sign the user in."""
        command = OpenTicket(actor=NOBODY, at=t(0), ticket_id="T-1", subject="Hi")

        error = refused(PermissionDeniedError, None, command)

        assert "sign the user in first" in str(error)

    def test_staff_must_name_the_requester(self) -> None:
        """An agent's OpenTicket without a requester is refused, saying to name one."""
        command = OpenTicket(actor=CAROL, at=t(0), ticket_id="T-1", subject="Hi")

        error = refused(InvalidCommandError, None, command)

        assert "give OpenTicket(requester=...)" in str(error)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"ticket_id": ""}, "the ticket id is empty; give OpenTicket a non-empty ticket_id"),
            ({"subject": "  "}, "the subject is empty; give the ticket a one-line subject"),
            (
                {"priority": "whenever"},
                "unknown priority 'whenever'; use one of the workflow's priorities: "
                "low, normal, high, critical",
            ),
        ],
    )
    def test_a_malformed_opening_is_refused(self, changes: dict[str, str], message: str) -> None:
        """An empty id or subject, or an unknown priority, is refused saying what to give."""
        values = {"ticket_id": "T-1", "subject": "No dial tone", **changes}
        command = OpenTicket(actor=ALICE, at=t(0), **values)  # type: ignore[arg-type]

        error = refused(InvalidCommandError, None, command)

        assert message == str(error)

    def test_an_existing_ticket_cannot_be_opened_again(self) -> None:
        """OpenTicket on a ticket that exists is refused."""
        ticket = given(opened())

        error = refused(
            InvalidCommandError,
            ticket,
            OpenTicket(actor=ALICE, at=t(1), ticket_id="T-1", subject="Again"),
        )

        assert "ticket 'T-1' already exists" in str(error)

    def test_other_commands_need_a_ticket(self) -> None:
        """Any command but OpenTicket without a ticket is refused, saying to open one first."""
        error = refused(InvalidCommandError, None, Reply(actor=ALICE, at=t(0), body="Hello?"))

        assert "Reply needs a ticket, got None" in str(error)


class TestPerformAction:
    def test_an_agent_moves_the_ticket(self) -> None:
        """An agent's action moves the ticket and records the reason."""
        ticket = given(opened())
        command = PerformAction(
            actor=CAROL, at=t(2), action="request_information", reason="Which extension?"
        )

        expected = (
            moved(
                2,
                portal.IN_PROGRESS,
                portal.WAITING_FOR_CUSTOMER,
                "request_information",
                reason="Which extension?",
            ),
        )

        assert expected == decide(DESK, ticket, command)

    def test_a_chained_action_moves_through_every_step_in_one_outcome(self) -> None:
        """A customer's cancel lands in canceled, then in closed, as two versioned events."""
        ticket = given(opened())
        command = PerformAction(actor=ALICE, at=t(2), action="cancel")

        expected = (
            moved(2, portal.IN_PROGRESS, portal.CANCELED, "cancel", actor=ALICE, at=t(2)),
            moved(3, portal.CANCELED, portal.CLOSED, "cancel", actor=ALICE, at=t(2), chained=True),
        )

        assert expected == decide(DESK, ticket, command)

    def test_the_same_action_differs_by_role(self) -> None:
        """An agent's cancel stays in canceled."""
        ticket = given(opened())
        command = PerformAction(actor=CAROL, at=t(2), action="cancel", reason="Duplicate")

        expected = (moved(2, portal.IN_PROGRESS, portal.CANCELED, "cancel", reason="Duplicate"),)

        assert expected == decide(DESK, ticket, command)

    def test_a_role_the_desk_does_not_declare_is_an_outsider(self) -> None:
        """A host-defined role no transition names is not staff: it learns nothing."""
        ticket = given(opened())
        command = PerformAction(actor=Actor("sam", "supervisor"), at=t(2), action="investigate")

        error = refused(TicketNotFoundError, ticket, command)

        assert "not found or you are not permitted" in str(error)

    def test_the_system_closes_an_awaiting_ticket(self) -> None:
        """The system may close a ticket awaiting confirmation."""
        ticket = in_status(portal.AWAITING_CONFIRMATION)
        command = PerformAction(actor=ROBOT, at=t(9), action="close")

        expected = (
            moved(3, portal.AWAITING_CONFIRMATION, portal.CLOSED, "close", actor=ROBOT, at=t(9)),
        )

        assert expected == decide(DESK, ticket, command)

    def test_all_missing_requirements_are_listed(self) -> None:
        """An action missing a reason, a field and an assignee lists all three."""
        ticket = given(strict_opened())
        command = PerformAction(actor=CAROL, at=t(1), action="solve")

        error = refused(MissingRequirementError, ticket, command, STRICT_DESK)

        expected = (
            "a reason is required: say why in the command's reason",
            "the field 'root_cause' must be set first",
            "the ticket must be assigned first",
        )
        assert expected == error.missing  # type: ignore[attr-defined]

    def test_an_action_whose_requirements_are_met_is_performed(self) -> None:
        """With its reason, field and assignee present, a demanding action is performed."""
        ticket = given(strict_opened(assignee="carol", fields={"root_cause": "SIP trunk"}))
        command = PerformAction(actor=CAROL, at=t(1), action="solve", reason="Trunk restarted")

        expected = (
            moved(
                1 + 1, "open", "solved", "solve", at=t(1), reason="Trunk restarted", workflow=STRICT
            ),
        )

        assert expected == decide(STRICT_DESK, ticket, command)

    def test_an_empty_field_does_not_meet_a_requirement(self) -> None:
        """A required field holding an empty string counts as missing."""
        ticket = given(strict_opened(assignee="carol", fields={"root_cause": ""}))
        command = PerformAction(actor=CAROL, at=t(1), action="solve", reason="Done")

        error = refused(MissingRequirementError, ticket, command, STRICT_DESK)

        expected = ("the field 'root_cause' must be set first",)
        assert expected == error.missing  # type: ignore[attr-defined]


class TestReply:
    def test_a_customer_reply_is_recorded(self) -> None:
        """A customer's public reply while in progress adds the reply and nothing else."""
        ticket = given(opened())

        expected = (replied(2, "Still no tone", at=t(2)),)

        assert expected == decide(DESK, ticket, Reply(actor=ALICE, at=t(2), body="Still no tone"))

    def test_an_agent_writes_an_internal_note(self) -> None:
        """An agent's non-public reply is an internal note."""
        ticket = given(opened())
        command = Reply(actor=CAROL, at=t(2), body="Check the trunk", public=False)

        expected = (replied(2, "Check the trunk", actor=CAROL, public=False),)

        assert expected == decide(DESK, ticket, command)

    def test_an_agent_reply_triggers_no_customer_reaction(self) -> None:
        """An agent's public reply while waiting for the customer leaves the status."""
        ticket = in_status(portal.WAITING_FOR_CUSTOMER)
        command = Reply(actor=CAROL, at=t(3), body="Any news?")

        expected = (replied(3, "Any news?", actor=CAROL),)

        assert expected == decide(DESK, ticket, command)

    def test_a_customer_reply_while_waiting_returns_the_ticket_to_work(self) -> None:
        """A customer's reply while waiting for them moves the ticket back to in progress."""
        ticket = in_status(portal.WAITING_FOR_CUSTOMER)
        command = Reply(actor=ALICE, at=t(3), body="Extension 204")

        expected = (
            replied(3, "Extension 204"),
            moved(
                4,
                portal.WAITING_FOR_CUSTOMER,
                portal.IN_PROGRESS,
                "customer_reply",
                actor=ALICE,
                at=t(3),
            ),
        )

        assert expected == decide(DESK, ticket, command)

    def test_a_customer_internal_note_triggers_nothing_and_is_refused(self) -> None:
        """A customer cannot write an internal note."""
        ticket = in_status(portal.WAITING_FOR_CUSTOMER)
        command = Reply(actor=ALICE, at=t(3), body="psst", public=False)

        error = refused(PermissionDeniedError, ticket, command)

        assert "internal notes are for the desk's staff; send a public reply" in str(error)

    def test_a_system_reply_triggers_no_reaction(self) -> None:
        """A system reply while awaiting confirmation leaves the status as it is."""
        ticket = in_status(portal.AWAITING_CONFIRMATION)
        command = Reply(actor=ROBOT, at=t(3), body="Reminder: please confirm")

        expected = (replied(3, "Reminder: please confirm", actor=ROBOT),)

        assert expected == decide(DESK, ticket, command)

    def test_an_approving_reply_performs_the_approval_action(self) -> None:
        """A customer's reply flagged as approval adds the reply and performs 'resolve'."""
        ticket = in_status(portal.AWAITING_CONFIRMATION)
        command = Reply(actor=ALICE, at=t(3), body="Works, close it", approves_resolution=True)

        expected = (
            replied(3, "Works, close it"),
            moved(
                4,
                portal.AWAITING_CONFIRMATION,
                portal.CLOSED,
                "resolve",
                actor=ALICE,
                at=t(3),
                reason="Works, close it",
            ),
        )

        assert expected == decide(DESK, ticket, command)

    def test_only_the_requester_approves_in_a_reply(self) -> None:
        """An agent's reply flagged as approval is refused."""
        ticket = in_status(portal.AWAITING_CONFIRMATION)
        command = Reply(actor=CAROL, at=t(3), body="Closing", approves_resolution=True)

        error = refused(InvalidCommandError, ticket, command)

        assert "only the requester can approve the resolution in a reply" in str(error)

    def test_approval_needs_a_workflow_approval_action(self) -> None:
        """An approving reply on a workflow without an approval action is refused."""
        ticket = given(strict_opened())
        command = Reply(actor=ALICE, at=t(1), body="Close it", approves_resolution=True)

        error = refused(InvalidCommandError, ticket, command, STRICT_DESK)

        assert "does not accept approval in a reply" in str(error)

    def test_approval_follows_the_approval_actions_rules(self) -> None:
        """An approving reply where the approval action cannot start is refused like it."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.CANCELED, "cancel"))
        command = Reply(actor=ALICE, at=t(3), body="Close it", approves_resolution=True)

        error = refused(ActionNotAllowedError, ticket, command)

        expected = "resolve"
        assert expected == error.action  # type: ignore[attr-defined]

    def test_an_empty_reply_is_refused(self) -> None:
        """A reply with a blank body is refused, saying to write something."""
        error = refused(InvalidCommandError, given(opened()), Reply(actor=ALICE, at=t(1), body=" "))

        expected = "the reply is empty; write something in the reply's body"
        assert expected == str(error)

    def test_a_reply_reopens_a_closed_ticket_through_a_declared_reaction(self) -> None:
        """A customer's reply to a closed ticket with a reopen reaction reopens it."""
        ticket = given(
            strict_opened(),
            moved(2, "open", "solved", "solve", workflow=STRICT),
            moved(3, "solved", "closed", "close", workflow=STRICT),
        )

        expected = (
            replied(4, "It broke again"),
            TicketReopened(
                ticket_id="T-1",
                at=t(4),
                actor=ALICE,
                version=5,
                source="closed",
                target="open",
                category="active",
            ),
        )

        actual = decide(STRICT_DESK, ticket, Reply(actor=ALICE, at=t(4), body="It broke again"))

        assert expected == actual

    @pytest.mark.parametrize(
        "command",
        [
            Reply(actor=ALICE, at=t(4), body="Close it again", approves_resolution=True),
            Reply(actor=CAROL, at=t(4), body="Noted"),
            Reply(actor=CAROL, at=t(4), body="Noted", public=False),
        ],
        ids=["approval", "agent-reply", "internal-note"],
    )
    def test_a_reply_without_a_reopen_reaction_is_refused_on_a_closed_ticket(
        self, command: Reply
    ) -> None:
        """On a closed ticket only a reply that has a reopen reaction is accepted."""
        ticket = given(
            strict_opened(),
            moved(2, "open", "solved", "solve", workflow=STRICT),
            moved(3, "solved", "closed", "close", workflow=STRICT),
        )

        error = refused(TicketClosedError, ticket, command, STRICT_DESK)

        assert "open a new ticket as a follow-up" in str(error)

    def test_an_approving_reply_must_meet_the_approval_actions_requirements(self) -> None:
        """An approving reply is refused when the approval action lacks a required field."""
        workflow = Workflow(
            name="rated",
            statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
            initial="open",
            transitions=(
                Transition(
                    action="accept",
                    sources="open",
                    target="closed",
                    roles="customer",
                    requires_fields="rating",
                ),
            ),
            approval_action="accept",
        )
        command = Reply(actor=ALICE, at=t(1), body="Fine, close it", approves_resolution=True)

        error = refused(
            MissingRequirementError, given(strict_opened()), command, Desk(workflow=workflow)
        )

        expected = ("the field 'rating' must be set first",)
        assert expected == error.missing  # type: ignore[attr-defined]


class TestAssign:
    def test_an_agent_assigns_the_ticket(self) -> None:
        """An agent's Assign names the assignee and group."""
        ticket = given(opened())

        expected = (
            TicketAssigned(
                ticket_id="T-1", at=t(2), actor=CAROL, version=2, assignee="carol", group="voice"
            ),
        )

        actual = decide(DESK, ticket, Assign(actor=CAROL, at=t(2), assignee="carol", group="voice"))

        assert expected == actual

    def test_assign_without_group_keeps_the_group(self) -> None:
        """Assigning without a group keeps the ticket's group; None unassigns."""
        ticket = given(opened(assignee="carol", group="voice"))

        expected = (
            TicketAssigned(
                ticket_id="T-1", at=t(2), actor=CAROL, version=2, assignee=None, group="voice"
            ),
        )

        assert expected == decide(DESK, ticket, Assign(actor=CAROL, at=t(2), assignee=None))

    def test_a_customer_cannot_assign(self) -> None:
        """A customer's Assign is refused: only staff assign."""
        error = refused(
            PermissionDeniedError, given(opened()), Assign(actor=ALICE, at=t(1), assignee="carol")
        )

        assert "only the desk's staff may do this" in str(error)

    def test_the_same_assignment_is_refused(self) -> None:
        """Assigning to the current assignee and group is refused as a no-op."""
        ticket = given(opened(assignee="carol", group="voice"))

        error = refused(InvalidCommandError, ticket, Assign(actor=CAROL, at=t(1), assignee="carol"))

        assert "already assigned to 'carol' in group 'voice'" in str(error)


class TestChangePriority:
    def test_an_agent_changes_the_priority(self) -> None:
        """An agent's ChangePriority records the old and new priority and the reason."""
        ticket = given(opened())
        command = ChangePriority(actor=CAROL, at=t(2), priority="critical", reason="All down")

        expected = (
            PriorityChanged(
                ticket_id="T-1",
                at=t(2),
                actor=CAROL,
                version=2,
                source="normal",
                target="critical",
                reason="All down",
            ),
        )

        assert expected == decide(DESK, ticket, command)

    def test_an_unknown_priority_is_refused(self) -> None:
        """A priority the workflow does not list is refused, listing the priorities."""
        command = ChangePriority(actor=CAROL, at=t(1), priority="urgent")

        error = refused(InvalidCommandError, given(opened()), command)

        assert "use one of the workflow's priorities: low, normal, high, critical" in str(error)

    def test_the_same_priority_is_refused(self) -> None:
        """Changing to the current priority is refused as a no-op."""
        command = ChangePriority(actor=CAROL, at=t(1), priority="normal")

        error = refused(InvalidCommandError, given(opened()), command)

        assert "already has priority 'normal'" in str(error)

    def test_a_customer_cannot_change_the_priority(self) -> None:
        """A customer's ChangePriority is refused: escalating is not raising priority."""
        command = ChangePriority(actor=ALICE, at=t(1), priority="critical")

        error = refused(PermissionDeniedError, given(opened()), command)

        assert "may not change the priority" in str(error)


class TestMuteAndUnmute:
    def test_the_requester_mutes_notifications(self) -> None:
        """MuteNotifications records that the requester muted the ticket."""
        expected = (NotificationsMuted(ticket_id="T-1", at=t(1), actor=ALICE, version=2),)

        assert expected == decide(DESK, given(opened()), MuteNotifications(actor=ALICE, at=t(1)))

    def test_the_requester_unmutes_notifications(self) -> None:
        """UnmuteNotifications on a muted ticket turns notifications back on."""
        ticket = given(
            opened(), NotificationsMuted(ticket_id="T-1", at=t(1), actor=ALICE, version=2)
        )

        expected = (NotificationsUnmuted(ticket_id="T-1", at=t(2), actor=ALICE, version=3),)

        assert expected == decide(DESK, ticket, UnmuteNotifications(actor=ALICE, at=t(2)))

    def test_muting_twice_is_refused(self) -> None:
        """Muting a muted ticket is refused, pointing to UnmuteNotifications."""
        ticket = given(
            opened(), NotificationsMuted(ticket_id="T-1", at=t(1), actor=ALICE, version=2)
        )

        error = refused(InvalidCommandError, ticket, MuteNotifications(actor=ALICE, at=t(2)))

        assert "already muted; send UnmuteNotifications" in str(error)

    def test_unmuting_an_unmuted_ticket_is_refused(self) -> None:
        """Unmuting a ticket whose notifications are on is refused, pointing to mute."""
        error = refused(
            InvalidCommandError, given(opened()), UnmuteNotifications(actor=ALICE, at=t(1))
        )

        assert "already on; send MuteNotifications" in str(error)


class TestSetField:
    def test_an_agent_sets_a_field(self) -> None:
        """An agent's SetField records the field and its value."""
        expected = (
            FieldChanged(ticket_id="T-1", at=t(1), actor=CAROL, version=2, name="impact", value=3),
        )

        actual = decide(
            DESK, given(opened()), SetField(actor=CAROL, at=t(1), name="impact", value=3)
        )

        assert expected == actual

    def test_setting_none_removes_a_field(self) -> None:
        """SetField with None on a present field records its removal."""
        ticket = given(opened(fields={"impact": 3}))

        expected = (
            FieldChanged(
                ticket_id="T-1", at=t(1), actor=CAROL, version=2, name="impact", value=None
            ),
        )

        assert expected == decide(
            DESK, ticket, SetField(actor=CAROL, at=t(1), name="impact", value=None)
        )

    @pytest.mark.parametrize(
        ("name", "value", "message"),
        [
            ("impact", 3, "field 'impact' already holds 3; set a different value"),
            ("origin", None, "field 'origin' already holds None; set a different value"),
        ],
        ids=["same-value", "remove-absent"],
    )
    def test_a_pointless_field_change_is_refused(
        self, name: str, value: object, message: str
    ) -> None:
        """A no-op field change is refused."""
        ticket = given(opened(fields={"impact": 3}))
        command = SetField(actor=CAROL, at=t(1), name=name, value=value)  # type: ignore[arg-type]

        error = refused(InvalidCommandError, ticket, command)

        assert str(error).startswith(message)

    def test_a_customer_cannot_set_fields(self) -> None:
        """A customer's SetField is refused: fields are the desk's."""
        command = SetField(actor=ALICE, at=t(1), name="impact", value="high")

        error = refused(PermissionDeniedError, given(opened()), command)

        assert "may not set a field" in str(error)


class TestRefusalMessages:
    """Every refusal of issue 2, point 8: its message, its data, and an unchanged ticket."""

    def test_unknown_action(self) -> None:
        """An unknown action is refused, listing the workflow's actions to use instead."""
        command = PerformAction(actor=CAROL, at=t(1), action="teleport")

        error = refused(UnknownActionError, given(opened()), command)

        assert isinstance(error, LookupError)
        assert str(error).startswith("unknown action 'teleport': the workflow defines 'cancel', ")
        assert str(error).endswith("and 1 more; use one of them")

    def test_action_not_allowed_from_this_status(self) -> None:
        """An action from the wrong status is refused, listing the actions allowed there."""
        ticket = in_status(portal.ESCALATED)
        command = PerformAction(actor=ALICE, at=t(3), action="escalate", reason="Still slow")

        error = refused(ActionNotAllowedError, ticket, command)

        expected = (
            "action 'escalate' is not allowed from status 'escalated'; "
            "the actions open to the role 'customer' from 'escalated' are: 'resolve', 'cancel'"
        )
        assert expected == str(error)
        assert isinstance(error, ValueError)

    def test_permission_denied_for_the_role(self) -> None:
        """An action the role may not perform is refused, naming actor, role and action."""
        ticket = in_status(portal.WAITING_FOR_CUSTOMER)
        command = PerformAction(actor=ALICE, at=t(3), action="start_work")

        error = refused(PermissionDeniedError, ticket, command)

        expected = (
            "actor 'alice' with role 'customer' may not perform 'start_work': "
            "from status 'waiting_for_customer' only the role 'agent' may"
        )
        assert expected == str(error)
        assert not isinstance(error, OSError)  # a host's `except OSError` must not eat it
        expected_data = ("role", "alice", "customer")
        assert expected_data == (
            error.code,  # type: ignore[attr-defined]
            error.actor_id,  # type: ignore[attr-defined]
            error.role,  # type: ignore[attr-defined]
        )

    def test_permission_denied_for_ownership(self) -> None:
        """A customer acting on someone else's ticket learns only "not found or not permitted"."""
        command = PerformAction(actor=BOB, at=t(1), action="cancel")

        error = refused(TicketNotFoundError, given(opened()), command)

        expected = (
            "actor 'bob' with role 'customer' may not perform 'cancel': the ticket was not "
            "found or you are not permitted to see it; a customer acts only on the tickets "
            "they requested, and an unknown or anonymous role on none"
        )
        assert expected == str(error)
        assert isinstance(error, LookupError)

    def test_permission_denied_for_anonymous(self) -> None:
        """An anonymous actor is refused whatever it asks, as an outsider."""
        error = refused(
            PermissionDeniedError, given(opened()), Reply(actor=NOBODY, at=t(1), body="hi")
        )

        expected = "not_found"
        assert expected == error.code  # type: ignore[attr-defined]

    def test_missing_requirement(self) -> None:
        """An action without its required reason is refused, saying to give the reason."""
        command = PerformAction(actor=ALICE, at=t(1), action="escalate", reason="  ")

        error = refused(MissingRequirementError, given(opened()), command)

        expected = (
            "action 'escalate' cannot be performed yet: "
            "a reason is required: say why in the command's reason"
        )
        assert expected == str(error)

    def test_naive_datetime(self) -> None:
        """A command at a naive datetime cannot be built, saying how to give it a time zone."""
        with pytest.raises(NaiveDatetimeError) as raised:
            Reply(actor=ALICE, at=t(1).replace(tzinfo=None), body="hi")

        assert str(raised.value).startswith("Reply.at is a naive datetime (2026-03-02T09:01:00)")
        assert "give it a time zone" in str(raised.value)

    def test_naive_datetime_when_opening(self) -> None:
        """Opening a ticket at a naive datetime cannot be asked either."""
        with pytest.raises(NaiveDatetimeError, match=r"OpenTicket\.at is a naive datetime"):
            OpenTicket(actor=ALICE, at=BASE.replace(tzinfo=None), ticket_id="T", subject="s")

    def test_command_older_than_the_last_change(self) -> None:
        """A command stamped before the ticket's last change is refused, saying to reload."""
        ticket = given(opened(), replied(2, "hello", at=t(10)))
        command = Reply(actor=ALICE, at=t(5), body="late")

        error = refused(StaleCommandError, ticket, command)

        assert (t(5), t(10)) == (error.at, error.last_change)  # type: ignore[attr-defined]
        assert "time never runs backwards inside a ticket: reload the ticket" in str(error)

    def test_a_command_at_the_same_instant_is_not_stale(self) -> None:
        """A command at exactly the instant of the last change is accepted."""
        ticket = given(opened(), replied(2, "hello", at=t(10)))

        expected = (replied(3, "again", at=t(10)),)

        assert expected == decide(DESK, ticket, Reply(actor=ALICE, at=t(10), body="again"))

    def test_closed_ticket(self) -> None:
        """An action on a closed ticket is refused, saying to open a follow-up ticket."""
        ticket = in_status(portal.CLOSED)
        command = PerformAction(actor=CAROL, at=t(3), action="start_work")

        error = refused(TicketClosedError, ticket, command)

        expected = (
            "ticket 'T-1' is 'closed', a final status, and cannot change any more; "
            "open a new ticket (a follow-up whose parent is this one) instead"
        )
        assert expected == str(error)

    def test_a_ticket_of_another_workflow_is_refused(self) -> None:
        """A ticket whose status the desk's workflow lacks is refused, saying which desk to use."""
        ticket = given(opened(status="limbo"))

        error = refused(InvalidCommandError, ticket, Reply(actor=CAROL, at=t(1), body="hi"))

        expected = (
            "ticket 'T-1' is in status 'limbo', which workflow 'support-portal' does not "
            "define; handle it with the desk whose workflow it belongs to, or migrate the ticket"
        )
        assert expected == str(error)

    def test_every_refusal_is_a_ticketflow_error(self) -> None:
        """Every refusal is a CommandRefusedError and a TicketflowError with a code."""
        refusals = [
            UnknownActionError,
            ActionNotAllowedError,
            PermissionDeniedError,
            MissingRequirementError,
            StaleCommandError,
            TicketClosedError,
            InvalidCommandError,
        ]

        assert all(issubclass(e, CommandRefusedError) for e in refusals)
        assert all(issubclass(e, TicketflowError) for e in [*refusals, NaiveDatetimeError])


# -- evolve ------------------------------------------------------------------------------


class TestEvolve:
    def test_opening_builds_the_ticket(self) -> None:
        """TicketOpened builds a ticket at version 1 created, updated and in status at once."""
        expected = Ticket(
            id="T-1",
            subject="No dial tone",
            status=portal.IN_PROGRESS,
            priority="normal",
            requester="alice",
            created_at=t(0),
            updated_at=t(0),
            status_since=t(0),
            version=1,
            last_customer_activity_at=t(0),
        )

        assert expected == evolve(None, opened())

    def test_an_agent_opening_is_no_customer_activity(self) -> None:
        """A ticket opened by an agent has no customer activity yet."""
        assert evolve(None, opened(actor=CAROL)).last_customer_activity_at is None

    def test_a_status_change_records_status_since_version_and_updated_at(self) -> None:
        """A status change sets the status, status_since, updated_at and version."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.ON_HOLD, "put_on_hold"))

        expected = (portal.ON_HOLD, t(2), t(2), 2)

        assert expected == (ticket.status, ticket.status_since, ticket.updated_at, ticket.version)

    def test_a_reply_keeps_status_since(self) -> None:
        """A reply updates updated_at but not status_since."""
        ticket = given(opened(), replied(2, "hi", at=t(7)))

        expected = (t(0), t(7))

        assert expected == (ticket.status_since, ticket.updated_at)

    def test_entering_a_resolved_status_sets_resolved_at(self) -> None:
        """Entering a resolved-category status sets resolved_at."""
        ticket = in_status(portal.AWAITING_CONFIRMATION)

        expected = (t(2), None)

        assert expected == (ticket.resolved_at, ticket.closed_at)

    def test_going_back_to_work_clears_resolved_at(self) -> None:
        """Leaving the resolved category for a working status clears resolved_at."""
        ticket = given(
            opened(),
            moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution"),
            moved(3, portal.AWAITING_CONFIRMATION, portal.IN_PROGRESS, "start_work"),
        )

        assert ticket.resolved_at is None

    def test_closing_a_resolved_ticket_keeps_resolved_at_and_sets_closed_at(self) -> None:
        """Closing keeps the instant the ticket was resolved and records when it closed."""
        ticket = given(
            opened(),
            moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution"),
            moved(3, portal.AWAITING_CONFIRMATION, portal.CLOSED, "close", at=t(30)),
        )

        expected = (t(2), t(30))

        assert expected == (ticket.resolved_at, ticket.closed_at)

    def test_closing_an_unresolved_ticket_sets_both_instants(self) -> None:
        """Closing a ticket that was never resolved sets resolved_at and closed_at to now."""
        ticket = in_status(portal.CLOSED)

        expected = (t(2), t(2))

        assert expected == (ticket.resolved_at, ticket.closed_at)

    def test_customer_activity_is_recorded(self) -> None:
        """A customer's public reply or action records their last activity; an agent's does not."""
        ticket = given(
            opened(actor=CAROL),
            replied(2, "hi", at=t(2)),
            moved(3, portal.IN_PROGRESS, portal.ESCALATED, "escalate", actor=ALICE, at=t(3)),
            replied(4, "on it", actor=CAROL, at=t(4)),
            moved(5, portal.ESCALATED, portal.IN_PROGRESS, "start_work", at=t(5)),
        )

        expected = t(3)

        assert expected == ticket.last_customer_activity_at

    def test_only_public_staff_replies_count_as_agent_replies(self) -> None:
        """last_agent_reply_at follows public agent replies, not notes or system replies."""
        ticket = given(
            opened(),
            replied(2, "Looking", actor=CAROL, at=t(2)),
            replied(3, "note", actor=CAROL, public=False, at=t(3)),
            replied(4, "Reminder", actor=ROBOT, at=t(4)),
        )

        expected = (t(2), t(4), 4)

        assert expected == (ticket.last_agent_reply_at, ticket.updated_at, ticket.version)

    def test_a_customer_note_does_not_count_as_activity(self) -> None:
        """A non-public reply recorded for a customer does not count as their activity."""
        ticket = given(opened(actor=CAROL), replied(2, "x", public=False))

        assert ticket.last_customer_activity_at is None

    def test_assignment_priority_mute_and_fields_are_recorded(self) -> None:
        """Assignment, priority, mute and field events update their fields and the version."""
        ticket = given(
            opened(),
            TicketAssigned(
                ticket_id="T-1", at=t(1), actor=CAROL, version=2, assignee="carol", group="voice"
            ),
            PriorityChanged(
                ticket_id="T-1", at=t(2), actor=CAROL, version=3, source="normal", target="high"
            ),
            NotificationsMuted(ticket_id="T-1", at=t(3), actor=ALICE, version=4),
            FieldChanged(ticket_id="T-1", at=t(4), actor=CAROL, version=5, name="a", value=1),
            FieldChanged(ticket_id="T-1", at=t(5), actor=CAROL, version=6, name="b", value="x"),
            FieldChanged(ticket_id="T-1", at=t(6), actor=CAROL, version=7, name="a", value=None),
        )

        expected = ("carol", "voice", "high", True, FrozenMap({"b": "x"}), 7, t(6))

        actual = (
            ticket.assignee,
            ticket.group,
            ticket.priority,
            ticket.notifications_muted,
            ticket.fields,
            ticket.version,
            ticket.updated_at,
        )
        assert expected == actual

    def test_unmuting_is_recorded(self) -> None:
        """NotificationsUnmuted turns the muted flag off."""
        ticket = given(
            opened(),
            NotificationsMuted(ticket_id="T-1", at=t(1), actor=ALICE, version=2),
            NotificationsUnmuted(ticket_id="T-1", at=t(2), actor=ALICE, version=3),
        )

        assert ticket.notifications_muted is False

    def test_a_reopen_clears_resolution_and_counts(self) -> None:
        """A reopen moves the ticket, clears resolved_at and closed_at, and counts the reopen."""
        ticket = given(
            strict_opened(),
            moved(2, "open", "closed", "close", workflow=STRICT),
            TicketReopened(
                ticket_id="T-1",
                at=t(3),
                actor=ALICE,
                version=3,
                source="closed",
                target="open",
                category="active",
            ),
        )

        expected = ("open", None, None, 1, t(3))

        actual = (
            ticket.status,
            ticket.resolved_at,
            ticket.closed_at,
            ticket.reopen_count,
            ticket.status_since,
        )
        assert expected == actual

    def test_leaving_a_resolved_status_for_work_counts_a_reopen(self) -> None:
        """A customer who rejects a proposed resolution sends the ticket back to work:
        resolved_at is cleared and the reopen counted, as Zendesk counts Solved to Open."""
        ticket = given(
            opened(),
            moved(2, "in_progress", "awaiting_confirmation", "propose_resolution"),
            moved(3, "awaiting_confirmation", "in_progress", "customer_reply", actor=ALICE),
        )

        assert ("in_progress", None, None, 1) == (
            ticket.status,
            ticket.resolved_at,
            ticket.closed_at,
            ticket.reopen_count,
        )

    def test_leaving_a_closed_status_that_is_not_final_clears_closed_at(self) -> None:
        """A workflow whose closed status is not final may move a ticket out of it: the
        ticket is no longer closed (closed_at cleared) and the reopen is counted."""
        workflow = Workflow(
            name="lenient",
            initial="open",
            statuses=(
                Status("open", Category.ACTIVE),
                Status("done", Category.CLOSED, terminal=False),
            ),
            transitions=(
                Transition(action="close", sources={"open"}, target="done", roles={"agent"}),
                Transition(action="reopen", sources={"done"}, target="open", roles={"agent"}),
            ),
        )
        ticket = given(
            opened(status="open"),
            moved(2, "open", "done", "close", workflow=workflow),
            moved(3, "done", "open", "reopen", workflow=workflow),
        )

        assert ("open", None, None, 1) == (
            ticket.status,
            ticket.resolved_at,
            ticket.closed_at,
            ticket.reopen_count,
        )

    def test_evolve_leaves_the_ticket_it_was_given(self) -> None:
        """evolve returns a new ticket and leaves its input as it was."""
        ticket = given(opened())
        before = copy.deepcopy(ticket)

        evolve(ticket, moved(2, portal.IN_PROGRESS, portal.ON_HOLD, "put_on_hold"))

        assert before == ticket

    def test_an_event_before_the_opening_cannot_be_recorded(self) -> None:
        """evolve refuses any event but TicketOpened when there is no ticket yet."""
        with pytest.raises(EventStreamError, match="ReplyAdded came before the ticket was opened"):
            evolve(None, replied(1, "hi"))

    def test_a_second_opening_cannot_be_recorded(self) -> None:
        """evolve refuses a TicketOpened on an existing ticket."""
        with pytest.raises(EventStreamError, match="ticket 'T-1' is already open"):
            evolve(given(opened()), opened(version=2))


class TestHandleAndReplay:
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

    def test_replay_of_nothing_is_refused(self) -> None:
        """Replaying no events is refused."""
        with pytest.raises(EventStreamError, match="there are no events; pass one ticket's"):
            replay([])

    def test_replay_must_start_with_the_opening(self) -> None:
        """A stream that does not start with TicketOpened is refused."""
        with pytest.raises(EventStreamError, match="came before the ticket was opened"):
            replay([replied(1, "hi")])

    def test_replay_must_start_at_version_one(self) -> None:
        """A stream whose first event is not version 1 is refused."""
        with pytest.raises(EventStreamError, match="the first event has version 2, not 1"):
            replay([opened(version=2)])

    def test_replay_refuses_a_version_gap(self) -> None:
        """A stream that skips a version is refused, naming both versions."""
        with pytest.raises(EventStreamError, match="version 3 follows version 1"):
            replay([opened(), replied(3, "hi")])

    def test_replay_refuses_mixed_tickets(self) -> None:
        """A stream with another ticket's event is refused, naming both tickets."""
        stranger = attrs.evolve(replied(2, "hi"), ticket_id="T-2")

        expected = "event of ticket 'T-2' in the stream of ticket 'T-1'"

        with pytest.raises(EventStreamError, match=expected):
            replay([opened(), stranger])

    def test_replay_refuses_a_second_opening(self) -> None:
        """A stream that opens the ticket twice is refused."""
        with pytest.raises(EventStreamError, match="already open"):
            replay([opened(), opened(version=2)])


# -- allowed_actions ---------------------------------------------------------------------


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


# -- properties over random lives of a ticket --------------------------------------------


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


class TestSetFieldTypes:
    def test_a_boolean_replaces_an_equal_integer(self) -> None:
        """Setting True over 1 is a change: JSON tells them apart, so the desk does too."""
        one = SetField(actor=CAROL, at=t(2), name="n", value=1)
        ticket = handle(DESK, given(opened()), one).ticket

        events = decide(DESK, ticket, SetField(actor=CAROL, at=t(3), name="n", value=True))

        assert [True] == [e.value for e in events if isinstance(e, FieldChanged)]


# -- hardening (issue 10) ------------------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")
# 2026-10-25: Berlin's clocks go back from 03:00+02:00 to 02:00+01:00; 02:xx happens twice.
FIRST_0250 = datetime(2026, 10, 25, 2, 50, tzinfo=BERLIN)  # 00:50Z
FIRST_0240 = datetime(2026, 10, 25, 2, 40, tzinfo=BERLIN)  # 00:40Z
SECOND_0210 = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)  # 01:10Z
BERLIN_DESK = portal.desk(sla=SlaPolicy(), escalation=None)


class TestOutsidersLearnNothing:
    def test_a_stale_command_by_an_outsider_does_not_reveal_the_last_change(self) -> None:
        """Bob's stale reply to alice's ticket is refused as not found, without an instant."""
        ticket = given(opened(), replied(2, "hello", at=t(10)))

        error = refused(TicketNotFoundError, ticket, Reply(actor=BOB, at=t(5), body="x"))

        assert t(10).isoformat() not in str(error)

    @pytest.mark.parametrize(
        "outsider",
        [BOB, NOBODY, Actor("ursula", "readonly_auditor")],
        ids=["other-customer", "anonymous", "undeclared-role"],
    )
    def test_every_outsider_gets_the_same_answer_whatever_the_ticket(self, outsider: Actor) -> None:
        """An outsider's refusal reads the same for a fresh, a closed and a stale-stamped ticket."""
        fresh = given(opened())
        closed = in_status(portal.CLOSED)
        later = given(opened(), replied(2, "hello", at=t(50)))

        messages = set()
        for ticket in (fresh, closed, later):
            with pytest.raises(TicketNotFoundError) as raised:
                decide(DESK, ticket, Reply(actor=outsider, at=t(20), body="x"))
            messages.add(str(raised.value))

        assert 1 == len(messages)

    def test_an_undeclared_role_may_not_assign(self) -> None:
        """A role the workflow never names cannot assign: it is not staff."""
        command = Assign(actor=Actor("ursula", "readonly_auditor"), at=t(1), assignee="carol")

        refused(TicketNotFoundError, given(opened()), command)

    def test_an_undeclared_role_may_not_open_a_ticket(self) -> None:
        """Opening needs a role the desk knows: the requester's or a staff role."""
        command = OpenTicket(
            actor=Actor("ursula", "readonly_auditor"),
            at=t(0),
            ticket_id="T-1",
            subject="Hi",
            requester="alice",
        )

        error = refused(PermissionDeniedError, None, command)

        assert "not one of this desk's" in str(error)

    @pytest.mark.parametrize("role", ["Customer ", "CUSTOMER", "anonymous ", "agent\u200b", ""])
    def test_a_malformed_role_name_is_refused_when_the_actor_is_built(self, role: str) -> None:
        """A role with whitespace, capitals or a zero-width space is no role: never staff."""
        with pytest.raises(InvalidValueError, match="is not a role name"):
            Actor("mallory", role)


class TestInstantsInARepeatedHour:
    def test_a_reply_twenty_minutes_later_in_the_repeated_hour_is_not_stale(self) -> None:
        """02:10 (second time, 01:10Z) follows 02:50 (first time, 00:50Z): accepted."""
        ticket = given(opened(at=FIRST_0250))

        events = decide(DESK, ticket, Reply(actor=ALICE, at=SECOND_0210, body="still down"))

        assert [SECOND_0210] == [e.at for e in events]

    def test_a_reply_before_the_last_change_in_the_repeated_hour_is_stale(self) -> None:
        """02:40 (first time, 00:40Z) before a change at 01:10Z is refused: time runs forward."""
        ticket = given(opened(at=SECOND_0210))

        refused(StaleCommandError, ticket, Reply(actor=ALICE, at=FIRST_0240, body="late"))

    def test_replay_refuses_events_that_run_backwards_across_the_fold(self) -> None:
        """A stream whose second event is 30 real minutes before its first is refused."""
        events = (opened(at=SECOND_0210), replied(2, "late", at=FIRST_0240))

        with pytest.raises(EventStreamError, match="ReplyAdded version 2 happened at"):
            replay(events)

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


# Closes a ticket nobody touched for 30 minutes.
QUIET = Workflow(
    name="quiet",
    statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
    initial="open",
    transitions=(
        Transition(action="close", sources="open", target="closed", roles={"system", "agent"}),
    ),
    timers=(Timer(name="quiet", statuses="open", after=timedelta(minutes=30), action="close"),),
)


class TestReplayOrder:
    def test_replay_refuses_an_event_a_year_before_the_opening(self) -> None:
        """An event stamped before the ticket was opened is refused, naming the event."""
        events = (opened(), replied(2, "early", at=t(0) - timedelta(days=365)))

        with pytest.raises(EventStreamError, match="ReplyAdded version 2"):
            replay(events)


class TestLongSweeps:
    def test_a_long_sweep_over_a_legal_timer_cycle_is_not_an_error(self) -> None:
        """Timers moving a ticket back and forth every minute, swept 80 days late, all fire."""
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

        swept = tick(desk, ticket, t(0) + timedelta(days=80))

        assert 80 * 24 * 60 == len(swept.events)

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
        monkeypatch.setattr(driver, "next_rule", lambda desk, ticket: again)

        with pytest.raises(TimerLoopError, match="a cycle of timers fires without waiting"):
            tick(desk, ticket, t(1))


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

    def test_a_follow_up_to_an_open_ticket_does_not_inherit_its_priority(self) -> None:
        """Only a done parent hands its priority on: an open one would raise every ticket."""
        desk = portal.desk()
        parent = given(opened(priority="critical"))
        command = OpenTicket(
            actor=ALICE,
            at=t(5),
            ticket_id="T-2",
            subject="Another",
            parent_id="T-1",
            priority="critical",
        )

        with pytest.raises(PermissionDeniedError, match="priority 'critical'"):
            handle(desk, None, command, parent=parent)

    def test_replay_refuses_an_event_at_a_naive_instant(self) -> None:
        """An event built by hand at a naive instant cannot be replayed into a ticket."""
        naive = replied(2, "hi", at=t(2).replace(tzinfo=None))

        with pytest.raises(NaiveDatetimeError, match=r"ReplyAdded\.at"):
            replay((opened(), naive))

    def test_replay_refuses_an_event_inside_a_dst_gap(self) -> None:
        """A stored event at 02:30 in Berlin on 2026-03-29 names no instant: refused."""
        gap = datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN)
        first = opened(at=datetime(2026, 3, 29, 1, 0, tzinfo=BERLIN))

        with pytest.raises(NonexistentInstantError):
            replay((first, replied(2, "hi", at=gap)))

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

    @pytest.mark.parametrize(
        "event",
        [
            TicketAssigned(
                ticket_id="T-1",
                at=t(2),
                actor=CAROL,
                version=2,
                assignee=5,  # type: ignore[arg-type]
                group=None,
            ),
            StatusChanged(
                ticket_id="T-1",
                at=t(2),
                actor=CAROL,
                version=2,
                action="hold",
                source=portal.IN_PROGRESS,
                target=portal.ON_HOLD,
                category="on_hold",
                until="soon",  # type: ignore[arg-type]
            ),
            ReplyAdded(ticket_id="T-1", at=t(2), actor="bob", version=2, body="hi"),  # type: ignore[arg-type]
            FieldChanged(ticket_id="T-1", at=t(2), actor=CAROL, version=2, name="n", value=[1]),  # type: ignore[arg-type]
        ],
        ids=["assignee-int", "until-string", "actor-string", "field-list"],
    )
    def test_replay_refuses_a_stored_event_with_a_field_of_the_wrong_type(
        self, event: Event
    ) -> None:
        """Every field of a replayed event is checked, so a replayed ticket always hashes."""
        with pytest.raises(TicketflowError):
            replay((opened(), event))
