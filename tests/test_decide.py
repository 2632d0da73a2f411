"""Deciding (``_decide.py``): each command's rules and refusals.

Decider tests read given / when / then over events: *given* the events a ticket was
built from, *when* a command is decided, *then* these events (or this refusal).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

import hypothesis
import pytest
from hypothesis import strategies as st

from scenarios import (
    ALICE,
    BOB,
    CAROL,
    DESK,
    FIRST_0240,
    FIRST_0250,
    NOBODY,
    ROBOT,
    SECOND_0210,
    STRICT,
    STRICT_DESK,
    given,
    in_status,
    moved,
    opened,
    refused,
    replied,
    strict_opened,
    t,
)
from strategies import BASE
from ticketflow import (
    ActionNotAllowedError,
    ActionPerformed,
    Actor,
    Assign,
    AttachFile,
    Category,
    ChangePriority,
    Command,
    CommandRefusedError,
    Desk,
    Escalate,
    EscalationPolicy,
    EscalationRefusedError,
    Event,
    FieldChanged,
    FileAttached,
    FrozenMap,
    InvalidCommandError,
    InvalidValueError,
    Metric,
    MissingRequirementError,
    MuteNotifications,
    NaiveDatetimeError,
    NotificationsMuted,
    NotificationsUnmuted,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    PriorityChanged,
    Reply,
    Role,
    SetField,
    SlaPolicy,
    StaleCommandError,
    Status,
    Ticket,
    TicketAssigned,
    TicketClosedError,
    TicketflowError,
    TicketNotFoundError,
    TicketOpened,
    TicketReopened,
    Timer,
    Transition,
    UnknownActionError,
    UnmuteNotifications,
    Workflow,
    decide,
    handle,
    next_due,
    replay,
    tick,
)
from ticketflow.presets import support_portal as portal


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

    def test_the_same_assignment_records_nothing(self) -> None:
        """Assigning to the current assignee and group succeeds with no events."""
        ticket = given(opened(assignee="carol", group="voice"))

        expected: tuple[Event, ...] = ()

        assert expected == decide(DESK, ticket, Assign(actor=CAROL, at=t(1), assignee="carol"))

    def test_naming_the_current_group_too_records_nothing(self) -> None:
        """Naming the current assignee and the current group succeeds with no events."""
        ticket = given(opened(assignee="carol", group="voice"))
        command = Assign(actor=CAROL, at=t(1), assignee="carol", group="voice")

        expected: tuple[Event, ...] = ()

        assert expected == decide(DESK, ticket, command)


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

    def test_the_same_priority_records_nothing(self) -> None:
        """Changing to the current priority succeeds with no events."""
        command = ChangePriority(actor=CAROL, at=t(1), priority="normal")

        expected: tuple[Event, ...] = ()

        assert expected == decide(DESK, given(opened()), command)

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

    def test_muting_twice_records_nothing(self) -> None:
        """Muting a muted ticket succeeds with no events."""
        ticket = given(
            opened(), NotificationsMuted(ticket_id="T-1", at=t(1), actor=ALICE, version=2)
        )

        expected: tuple[Event, ...] = ()

        assert expected == decide(DESK, ticket, MuteNotifications(actor=ALICE, at=t(2)))

    def test_unmuting_an_unmuted_ticket_records_nothing(self) -> None:
        """Unmuting a ticket whose notifications are on succeeds with no events."""
        expected: tuple[Event, ...] = ()

        assert expected == decide(DESK, given(opened()), UnmuteNotifications(actor=ALICE, at=t(1)))


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
        ("name", "value"), [("impact", 3), ("origin", None)], ids=["same-value", "remove-absent"]
    )
    def test_a_field_set_to_the_value_it_holds_records_nothing(
        self, name: str, value: object
    ) -> None:
        """Setting a field to its value (or removing an absent one) succeeds with no events."""
        ticket = given(opened(fields={"impact": 3}))
        command = SetField(actor=CAROL, at=t(1), name=name, value=value)  # type: ignore[arg-type]

        expected: tuple[Event, ...] = ()

        assert expected == decide(DESK, ticket, command)

    def test_a_customer_cannot_set_fields(self) -> None:
        """A customer's SetField is refused: fields are the desk's."""
        command = SetField(actor=ALICE, at=t(1), name="impact", value="high")

        error = refused(PermissionDeniedError, given(opened()), command)

        assert "may not set a field" in str(error)


class TestSetFieldTypes:
    def test_a_boolean_replaces_an_equal_integer(self) -> None:
        """Setting True over 1 is a change: JSON tells them apart, so the desk does too."""
        one = SetField(actor=CAROL, at=t(2), name="n", value=1)
        ticket = handle(DESK, given(opened()), one).ticket

        events = decide(DESK, ticket, SetField(actor=CAROL, at=t(3), name="n", value=True))

        assert [True] == [e.value for e in events if isinstance(e, FieldChanged)]


def _no_op(kind: str, actor: Actor, at: datetime) -> tuple[TicketOpened, Command]:
    """How a ticket is opened, and a command of ``kind`` by ``actor`` that changes nothing on it."""
    muted = opened(assignee="carol", group="voice", fields={"impact": 3}, notifications_muted=True)
    commands: dict[str, Command] = {
        "assign": Assign(actor=actor, at=at, assignee="carol"),
        "priority": ChangePriority(actor=actor, at=at, priority="normal"),
        "mute": MuteNotifications(actor=actor, at=at),
        "unmute": UnmuteNotifications(actor=actor, at=at),
        "field": SetField(actor=actor, at=at, name="impact", value=3),
    }
    return (opened() if kind == "unmute" else muted), commands[kind]


NO_OPS = ["assign", "priority", "mute", "unmute", "field"]
STAFF_NO_OPS = ["assign", "priority", "field"]


class TestIdempotentCommands:
    """A command that would change nothing succeeds with no events, but only once every
    refusal of another kind has been checked: an outsider still learns nothing."""

    @pytest.mark.parametrize("kind", NO_OPS)
    def test_an_outsider_is_refused_without_learning_anything(self, kind: str) -> None:
        """Given alice's ticket, when bob sends a command that changes nothing, then not found."""
        opening, command = _no_op(kind, BOB, t(1))

        refused(TicketNotFoundError, given(opening), command)

    @pytest.mark.parametrize("kind", STAFF_NO_OPS)
    def test_a_customer_is_refused_a_staff_command_that_changes_nothing(self, kind: str) -> None:
        """Given alice's ticket, when she sends a staff command that changes nothing: denied."""
        opening, command = _no_op(kind, ALICE, t(1))

        refused(PermissionDeniedError, given(opening), command)

    @pytest.mark.parametrize("kind", NO_OPS)
    def test_a_closed_ticket_refuses_a_command_that_changes_nothing(self, kind: str) -> None:
        """Given a closed ticket, when a command would change nothing, then it is closed."""
        opening, command = _no_op(kind, CAROL, t(3))
        ticket = given(opening, moved(2, portal.IN_PROGRESS, portal.CLOSED, "test_setup"))

        refused(TicketClosedError, ticket, command)

    @pytest.mark.parametrize("kind", NO_OPS)
    def test_a_stale_command_that_changes_nothing_is_refused(self, kind: str) -> None:
        """Given a ticket changed at minute 2, when a no-op is stamped minute 1, then stale."""
        opening, command = _no_op(kind, CAROL, t(1))
        ticket = given(opening, replied(2, "Any news?"))

        refused(StaleCommandError, ticket, command)


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


class TestReviewFindings:
    """Issue 10's hardening, reviewed adversarially: what the review found, closed."""

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


class TestStaffPowers:
    def test_an_undeclared_role_on_a_desk_with_declared_roles_is_not_found(self) -> None:
        """On a desk that declares roles, a role it does not declare sees nothing."""
        desk = Desk(workflow=portal.WORKFLOW, roles=[Role("readonly_auditor")])
        ticket = given(opened())
        command = Assign(actor=Actor("sam", "supervisor"), at=t(1), assignee="carol")

        with pytest.raises(TicketNotFoundError):
            decide(desk, ticket, command)

    def test_an_undeclared_role_opening_a_ticket_is_told_to_declare_it(self) -> None:
        """Opening by a role the desk does not declare is refused, saying how to declare it."""
        desk = Desk(workflow=portal.WORKFLOW, roles=[Role("readonly_auditor")])
        command = OpenTicket(
            actor=Actor("sam", "supervisor"), at=t(0), ticket_id="T-1", subject="Hi", requester="a"
        )

        with pytest.raises(PermissionDeniedError, match=r"Desk\(roles=\[Role\('supervisor'\)"):
            decide(desk, None, command)

    def test_a_read_only_roles_assignment_says_which_power_it_lacks(self) -> None:
        """A read-only auditor's Assign is refused naming 'assign' and how to grant it."""
        desk = Desk(workflow=portal.WORKFLOW, roles=[Role("readonly_auditor")])
        command = Assign(actor=Actor("ursula", "readonly_auditor"), at=t(1), assignee="carol")

        with pytest.raises(PermissionDeniedError) as raised:
            decide(desk, given(opened()), command)

        assert "Role('readonly_auditor', may={'assign', ...})" in str(raised.value)

    def test_the_power_is_checked_before_whether_the_ticket_is_closed(self) -> None:
        """A read-only role's note on a closed ticket is refused for its power, not the status."""
        desk = Desk(workflow=portal.WORKFLOW, roles=[Role("readonly_auditor")])
        command = Reply(actor=Actor("u", "readonly_auditor"), at=t(20), body="x", public=False)

        with pytest.raises(PermissionDeniedError, match="internal_notes"):
            decide(desk, in_status(portal.CLOSED), command)

    def test_the_requester_may_still_mute_their_own_ticket(self) -> None:
        """Muting needs no staff power from the requester."""
        desk = Desk(workflow=portal.WORKFLOW, roles=[Role("readonly_auditor")])

        events = decide(desk, given(opened()), MuteNotifications(actor=ALICE, at=t(1)))

        assert [NotificationsMuted] == [type(e) for e in events]


# -- self-loops: an action that leaves the status as it is (issue 12, deliverable 4) -------

LOOP = Workflow(
    name="loop",
    statuses=(
        Status("open", Category.ACTIVE),
        Status("waiting", Category.WAITING_ON_CUSTOMER),
        Status("closed", Category.CLOSED),
    ),
    initial="open",
    transitions=(
        Transition(action="ask", sources="open", target="waiting", roles="agent"),
        Transition(action="chase", sources="waiting", target="waiting", roles="agent"),
        Transition(action="escalate", sources="open", target="open", roles={"agent", "customer"}),
        Transition(action="close", sources={"open", "waiting"}, target="closed", roles="system"),
    ),
    timers=(Timer(name="quiet", statuses="waiting", after=timedelta(days=3), action="close"),),
)
LOOP_DESK = Desk(
    workflow=LOOP,
    sla=SlaPolicy(metrics=[Metric.resolution(dict.fromkeys(LOOP.priorities, timedelta(hours=40)))]),
)


def waiting(desk: Desk = LOOP_DESK) -> Ticket:
    """Alice's ticket on the loop desk, asked for more at t(10)."""
    ticket = handle(
        desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Down")
    ).ticket
    return handle(desk, ticket, PerformAction(actor=CAROL, at=t(10), action="ask")).ticket


class TestSelfLoops:
    def test_a_self_loop_is_recorded_as_the_action_performed(self) -> None:
        """Given a waiting ticket, when the agent chases (waiting -> waiting), then the
        one event is ActionPerformed('chase', status 'waiting') with the reason given."""
        command = PerformAction(actor=CAROL, at=t(20), action="chase", reason="no answer yet")

        events = decide(LOOP_DESK, waiting(), command)

        assert [
            ActionPerformed(
                ticket_id="T-1",
                at=t(20),
                actor=CAROL,
                version=waiting().version + 1,
                action="chase",
                status="waiting",
                reason="no answer yet",
            )
        ] == list(events)

    def test_a_self_loop_raises_no_sla_signal(self) -> None:
        """Given a paused resolution clock, when the agent chases, then no SLA clock event
        follows: the ticket entered no category."""
        events = decide(LOOP_DESK, waiting(), PerformAction(actor=CAROL, at=t(20), action="chase"))

        assert [ActionPerformed] == [type(e) for e in events]

    def test_a_self_loop_keeps_the_time_in_the_status(self) -> None:
        """Given a ticket waiting since t(10), when it is chased at t(20), then it is
        still waiting since t(10)."""
        chased = handle(
            LOOP_DESK, waiting(), PerformAction(actor=CAROL, at=t(20), action="chase")
        ).ticket

        assert ("waiting", t(10), t(20)) == (chased.status, chased.status_since, chased.updated_at)

    def test_a_self_loop_does_not_restart_a_timer_measured_since_entering(self) -> None:
        """Given a 3-day quiet timer since entering 'waiting', when the agent chases a day
        later, then the timer still falls due 3 days after entering."""
        chase = PerformAction(actor=CAROL, at=t(10) + timedelta(days=1), action="chase")

        chased = handle(LOOP_DESK, waiting(), chase).ticket

        assert t(10) + timedelta(days=3) == next_due(LOOP_DESK, chased)

    def test_an_escalation_self_loop_under_a_policy_is_refused_as_already_escalated(
        self,
    ) -> None:
        """Given an escalate transition open -> open under an escalation policy, when the
        customer escalates, then the policy refuses it (the ticket is in the escalation's
        target already) and the ticket is unchanged."""
        desk = Desk(workflow=LOOP, escalation=EscalationPolicy(action="escalate"))
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Down")
        ).ticket
        before = copy.deepcopy(ticket)
        command = Escalate(
            actor=ALICE, at=t(5), reason="changed_scope", details="Every site is down now"
        )

        with pytest.raises(EscalationRefusedError) as raised:
            handle(desk, ticket, command)

        assert (["already_escalated"], before) == (
            [v.code for v in raised.value.violations],
            ticket,
        )

    @hypothesis.settings(max_examples=30, deadline=None)
    @hypothesis.given(st.lists(st.integers(min_value=1, max_value=2000), min_size=1, max_size=6))
    def test_any_number_of_self_loops_leaves_the_status_and_replays(self, gaps: list[int]) -> None:
        """However often a waiting ticket is chased, it stays waiting since it entered,
        each chase is one ActionPerformed, and the events replay to the same ticket."""
        opening = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Down")
        commands: list[Command] = [opening, PerformAction(actor=CAROL, at=t(10), action="ask")]
        at = t(10)
        for gap in gaps:
            at += timedelta(minutes=gap)
            commands.append(PerformAction(actor=CAROL, at=at, action="chase"))
        ticket: Ticket | None = None
        events: list[Event] = []
        for command in commands:
            outcome = handle(LOOP_DESK, ticket, command)
            ticket, events = outcome.ticket, [*events, *outcome.events]

        assert ticket is not None
        assert ("waiting", t(10), ticket) == (ticket.status, ticket.status_since, replay(events))
        chases = [e for e in events if isinstance(e, ActionPerformed)]
        assert len(gaps) == len(chases)


NUDGING = Workflow(
    name="nudging",
    statuses=(Status("open", Category.ACTIVE), Status("closed", Category.CLOSED)),
    initial="open",
    transitions=(
        Transition(action="nudge", sources="open", target="open", roles="system"),
        Transition(action="close", sources="open", target="closed", roles="agent"),
    ),
    timers=(Timer(name="daily", statuses="open", after=timedelta(days=1), action="nudge"),),
)


class TestRecurringSelfLoops:
    def test_a_timer_whose_action_loops_recurs_once_per_period(self) -> None:
        """Given a daily timer whose action stays in 'open', when a sweep comes three days
        and an hour after opening, then the action was performed once a day, each time
        restarting the time in the status, and the next one is due on the fourth day."""
        desk = Desk(workflow=NUDGING)
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Down")
        ).ticket

        swept = tick(desk, ticket, t(0) + timedelta(days=3, hours=1))

        days = [t(0) + timedelta(days=n) for n in (1, 2, 3)]
        assert [
            (e.at, e.rule, e.restarted) for e in swept.events if isinstance(e, ActionPerformed)
        ] == [(day, "daily", True) for day in days]
        assert (days[-1], t(0) + timedelta(days=4)) == (
            swept.ticket.status_since,
            next_due(desk, swept.ticket),
        )

    def test_a_persons_self_loop_never_restarts_the_time_in_the_status(self) -> None:
        """Given the agent's chase (no rule), then its ActionPerformed says the time in
        the status did not restart."""
        events = decide(LOOP_DESK, waiting(), PerformAction(actor=CAROL, at=t(20), action="chase"))

        assert [False] == [e.restarted for e in events if isinstance(e, ActionPerformed)]


# -- attaching a file (issue 14, deliverable 1) ----------------------------------------------


def attach(actor: Actor = ALICE, at: datetime | None = None, **changes: object) -> AttachFile:
    """alice's screenshot of a 500 error, at minute 5, with ``changes``."""
    values: dict[str, object] = {
        "name": "error-500.png",
        "size": 48_213,
        "media_type": "image/png",
        "reference": "uploads/7f3a",
    }
    values.update(changes)
    return AttachFile(actor=actor, at=t(5) if at is None else at, **values)  # type: ignore[arg-type]


def attached(version: int, actor: Actor = ALICE, **changes: object) -> FileAttached:
    values: dict[str, object] = {
        "name": "error-500.png",
        "size": 48_213,
        "media_type": "image/png",
        "reference": "uploads/7f3a",
    }
    values.update(changes)
    return FileAttached(ticket_id="T-1", at=t(5), actor=actor, version=version, **values)  # type: ignore[arg-type]


HOSTILE_FILES = {
    "negative-size": {"size": -1},
    "ten-megabyte-name": {"name": "x" * 10_000_000},
    "empty-name": {"name": "  "},
    "path-name": {"name": "../../etc/passwd"},
    "windows-path-name": {"name": "C:\\Users\\a.png"},
    "control-in-name": {"name": "a\r\nSet-Cookie: x.png"},
    "no-subtype": {"media_type": "png"},
    "media-type-with-parameters": {"media_type": "text/plain; charset=utf-8"},
    "media-type-with-spaces": {"media_type": "image / png"},
    "empty-reference": {"reference": ""},
    "huge-reference": {"reference": "r" * 5000},
}


class TestAttachFile:
    def test_the_requester_attaches_a_file_to_their_ticket(self) -> None:
        """Given alice's ticket, when she attaches a screenshot, then FileAttached records
        its name, size, media type and the host's reference."""
        ticket = given(opened())

        assert (attached(2),) == decide(DESK, ticket, attach())

    def test_an_agent_attaches_a_file_to_a_customers_ticket(self) -> None:
        """Given alice's ticket, when agent carol attaches a PDF, then it is recorded as hers."""
        ticket = given(opened())
        command = attach(CAROL, name="fix.pdf", media_type="application/pdf", reference="r/2")

        expected = (
            attached(2, CAROL, name="fix.pdf", media_type="application/pdf", reference="r/2"),
        )
        assert expected == decide(DESK, ticket, command)

    def test_an_empty_file_may_be_attached(self) -> None:
        """Given a file of 0 bytes (an empty log), then it is attached: 0 is a size."""
        ticket = given(opened())

        assert (attached(2, size=0),) == decide(DESK, ticket, attach(size=0))

    @pytest.mark.parametrize("changes", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
    def test_a_hostile_file_description_is_refused_and_changes_nothing(
        self, changes: dict[str, object]
    ) -> None:
        """Given alice's ticket, when she attaches a file whose name, size, media type or
        reference is hostile, then InvalidCommandError, and the ticket stays as it was."""
        ticket = given(opened())

        error = refused(InvalidCommandError, ticket, attach(ALICE, None, **changes))

        assert str(error).startswith("the file cannot be attached: ")

    def test_a_ten_megabyte_name_is_quoted_short(self) -> None:
        """Given a 10 MB file name, then the refusal says its length and stays a line long."""
        ticket = given(opened())

        error = refused(InvalidCommandError, ticket, attach(name="x" * 10_000_000))

        assert ("10000000 characters long" in str(error), True) == (True, len(str(error)) < 300)

    def test_every_problem_of_a_file_is_named_at_once(self) -> None:
        """Given a negative size and a media type without a subtype, then one refusal
        names both."""
        ticket = given(opened())

        error = refused(InvalidCommandError, ticket, attach(size=-5, media_type="pdf"))

        found = [
            p for p in ("the size -5 is negative", "'pdf' is not type/subtype") if p in str(error)
        ]
        assert ["the size -5 is negative", "'pdf' is not type/subtype"] == found

    def test_a_customer_attaching_to_anothers_ticket_learns_nothing(self) -> None:
        """Given alice's ticket, when bob attaches a file to it, then TicketNotFoundError,
        the same refusal as for a ticket that does not exist."""
        ticket = given(opened())

        error = refused(TicketNotFoundError, ticket, attach(BOB))

        assert "may not attach a file" in str(error)

    def test_an_anonymous_visitor_cannot_attach_a_file(self) -> None:
        """Given alice's ticket, when an anonymous visitor attaches a file, then
        TicketNotFoundError: a visitor who is not signed in sees no case."""
        ticket = given(opened())

        refused(TicketNotFoundError, ticket, attach(NOBODY))

    def test_a_closed_ticket_takes_no_more_files(self) -> None:
        """Given a closed ticket, when alice attaches a file, then TicketClosedError."""
        ticket = in_status(portal.CLOSED)

        refused(TicketClosedError, ticket, attach())

    def test_a_role_without_the_public_replies_power_cannot_attach(self) -> None:
        """Given a desk whose developers may only write internal notes, when a developer
        attaches a file the requester would see, then PermissionDeniedError naming the
        power 'public_replies'."""
        ticket = given(opened())

        error = refused(
            PermissionDeniedError,
            ticket,
            attach(Actor("dev", portal.DEVELOPER)),
            desk=portal.desk(sla=SlaPolicy(), escalation=None),
        )

        assert "'public_replies'" in str(error)

    def test_attaching_the_same_file_twice_records_it_once(self) -> None:
        """Given a file already attached, when the same file is attached again (a double
        click), then no events."""
        ticket = given(opened(), attached(2))

        assert () == decide(DESK, ticket, attach(at=t(6)))

    def test_a_reference_that_names_another_file_is_refused(self) -> None:
        """Given a file attached under a reference, when another file names the same
        reference, then InvalidCommandError: one reference, one file."""
        ticket = given(opened(), attached(2))

        error = refused(InvalidCommandError, ticket, attach(at=t(6), name="other.png"))

        assert "already names the attached file 'error-500.png'" in str(error)

    @hypothesis.given(size=st.integers(-(2**63) + 1, 2**63 - 1))
    def test_a_size_is_accepted_exactly_when_it_is_not_negative(self, size: int) -> None:
        """For every 64-bit size, the file is attached when the size is 0 or more and
        refused when it is below 0."""
        ticket = given(opened())
        try:
            events = decide(DESK, ticket, attach(size=size))
        except InvalidCommandError:
            events = ()

        assert (size >= 0) == (events == (attached(2, size=size),))
