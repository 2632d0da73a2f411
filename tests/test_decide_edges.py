"""Deciding (``_decide.py``) at its edges, found by mutation testing
(``tools/mutation.sh``): the limits and messages the usual tests leave unseen.

Given the events a ticket was built from, when a command is decided, then these
events, or this refusal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from scenarios import ALICE, BOB, CAROL, DESK, NOBODY, ROBOT, given, moved, opened, refused, t
from ticketflow import (
    Actor,
    Assign,
    AttachFile,
    CalendarDays,
    Category,
    ChangeSupportLevel,
    CheckSlaClock,
    Desk,
    Escalate,
    EscalationPolicy,
    EscalationRefusedError,
    FileAttached,
    InvalidCommandError,
    InvalidTypeError,
    MissingRequirementError,
    OpenTicket,
    PerformAction,
    PermissionDeniedError,
    Reaction,
    Reply,
    ReplyAdded,
    Role,
    SendReminder,
    Status,
    StatusChanged,
    Ticket,
    TicketClosedError,
    TicketEscalated,
    TicketOpened,
    Transition,
    Workflow,
    decide,
    follow_up,
    handle,
)
from ticketflow.presets import escalation_process
from ticketflow.presets import support_portal as portal

# A desk with support tiers (L1 to L3), whose developers hold no staff power but notes.
TIERED = escalation_process.desk()
DAN = Actor("dan", "developer")

MAX_FILE_NAME = 255
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
MAX_FILE_REFERENCE = 2048


def attach(**changes: object) -> AttachFile:
    values: dict[str, object] = {
        "name": "error-500.png",
        "size": 48_213,
        "media_type": "image/png",
        "reference": "uploads/7f3a",
    }
    values.update(changes)
    return AttachFile(actor=ALICE, at=t(5), **values)  # type: ignore[arg-type]


def attached_names(command: AttachFile) -> list[str]:
    """The names of the files ``command`` attaches to alice's open ticket."""
    return [e.name for e in decide(DESK, given(opened()), command) if isinstance(e, FileAttached)]


# Each hostile part of a file, and the whole refusal it gets: what is wrong; how to fix it.
REFUSED_FILES = {
    "blank-name": (
        {"name": "  "},
        "the file name is empty; give the name the file was uploaded with",
    ),
    "name-one-too-long": (
        {"name": "x" * (MAX_FILE_NAME + 1)},
        "the file name is 256 characters long; give at most 255",
    ),
    "dot-name": (
        {"name": "."},
        "the file name '.' is a path or holds control characters; "
        "give the file's own name, without folders",
    ),
    "dot-dot-name": (
        {"name": ".."},
        "the file name '..' is a path or holds control characters; "
        "give the file's own name, without folders",
    ),
    "negative-size": (
        {"size": -1},
        "the size -1 is negative; give the size in bytes, 0 or more",
    ),
    "no-subtype": (
        {"media_type": "png"},
        "the media type 'png' is not type/subtype; "
        "give one such as 'image/png' or 'application/pdf', without parameters",
    ),
    "blank-reference": (
        {"reference": " "},
        "the reference is empty; give the host's key or URL of the bytes",
    ),
    "reference-one-too-long": (
        {"reference": "r" * (MAX_FILE_REFERENCE + 1)},
        f"the reference '{'r' * 27}...{'r' * 28}' is over 2048 characters or holds "
        "control characters; give the host's key or URL of the bytes",
    ),
    "control-in-reference": (
        {"reference": "uploads/\x077f3a"},  # a bell: NUL is refused by the command itself
        "the reference 'uploads/\\x077f3a' is over 2048 characters or holds "
        "control characters; give the host's key or URL of the bytes",
    ),
}


class TestAttachFileLimits:
    def test_a_file_name_of_the_longest_length_is_attached(self) -> None:
        """Given a ticket, when a file named with 255 characters is attached, then it
        is recorded under that name."""
        name = "x" * (MAX_FILE_NAME - 4) + ".png"

        assert [name] == attached_names(attach(name=name))

    def test_a_reference_of_the_longest_length_is_accepted(self) -> None:
        """Given a ticket, when a file is attached under a 2048-character reference,
        then it is recorded."""
        assert ["error-500.png"] == attached_names(attach(reference="r" * MAX_FILE_REFERENCE))

    def test_two_problems_of_a_file_are_told_in_order_with_their_fixes(self) -> None:
        """Given alice's ticket, when her file has a negative size and no media subtype,
        then one refusal says both, each fix in the same order."""
        error = refused(InvalidCommandError, given(opened()), attach(size=-1, media_type="png"))

        expected = (
            "the file cannot be attached: the size -1 is negative; the media type 'png' is "
            "not type/subtype; give the size in bytes, 0 or more; give one such as "
            "'image/png' or 'application/pdf', without parameters"
        )
        assert expected == str(error)

    def test_a_reference_already_naming_another_file_is_refused(self) -> None:
        """Given a ticket with error-500.png attached under uploads/7f3a, when another file
        is attached under the same reference, then the refusal names the reference and
        the file, and asks for a reference of its own."""
        ticket = given(opened())
        ticket = handle(DESK, ticket, attach()).ticket

        error = refused(InvalidCommandError, ticket, attach(name="other.png"))

        expected = (
            "the reference 'uploads/7f3a' already names the attached file 'error-500.png'; "
            "store the new file's bytes under a reference of its own"
        )
        assert expected == str(error)

    def test_a_role_without_public_replies_may_not_attach_a_file(self) -> None:
        """Given a tiered desk whose developers may only write notes, when developer dan
        attaches a file, then he is told he may not attach a file, and why."""
        ticket = opened_on(TIERED)
        command = AttachFile(
            actor=DAN, at=t(5), name="a.png", size=1, media_type="image/png", reference="r"
        )

        error = refused(PermissionDeniedError, ticket, command, TIERED)

        assert str(error).startswith("actor 'dan' with role 'developer' may not attach a file: ")

    def test_a_name_with_dots_inside_is_a_file_name(self) -> None:
        """Given a ticket, when a file named "..." is attached, then it is recorded: only
        "." and ".." name folders."""
        assert ["..."] == attached_names(attach(name="..."))

    @pytest.mark.parametrize(
        ("changes", "message"), REFUSED_FILES.values(), ids=REFUSED_FILES.keys()
    )
    def test_a_refused_file_is_told_what_is_wrong_and_how_to_fix_it(
        self, changes: dict[str, object], message: str
    ) -> None:
        """Given alice's ticket, when she attaches a file with one hostile part, then the
        refusal names that part and its fix, and the ticket stays as it was."""
        error = refused(InvalidCommandError, given(opened()), attach(**changes))

        assert "the file cannot be attached: " + message == str(error)


def opened_on(desk: object) -> Ticket:
    """Alice's new ticket on ``desk``, opened at t(0)."""
    command = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="Export fails")
    return handle(desk, None, command).ticket  # type: ignore[arg-type]


class TestSupportLevels:
    def test_a_level_change_breaking_the_tiers_is_refused_as_such(self) -> None:
        """Given a new ticket on a tiered desk, when agent carol skips it to level 3,
        then the refusal says the change of support level is refused, and why."""
        command = ChangeSupportLevel(actor=CAROL, at=t(5), level=3)

        error = refused(EscalationRefusedError, opened_on(TIERED), command, TIERED)

        assert str(error).startswith(
            "the change of support level is refused:\n"
            "  - override_needed: only 'supervisor' may skip a level\n"
        )

    def test_a_role_without_the_power_may_not_change_the_level(self) -> None:
        """Given a new ticket on a tiered desk, when developer dan moves it to level 2,
        then he is told he may not change the support level, and which power it takes."""
        command = ChangeSupportLevel(actor=DAN, at=t(5), level=2)

        error = refused(PermissionDeniedError, opened_on(TIERED), command, TIERED)

        assert str(error).startswith(
            "actor 'dan' with role 'developer' may not change the support level: the role "
            "lacks the staff power 'change_support_level'"
        )

    def test_the_level_of_a_closed_ticket_is_not_changed(self) -> None:
        """Given a closed ticket on a tiered desk, when its level is changed, then
        TicketClosedError, and the ticket stays as it was."""
        closed = Ticket(
            id="T-1",
            subject="Export fails",
            status="closed",
            priority="normal",
            requester="alice",
            created_at=t(0),
            updated_at=t(0),
            status_since=t(0),
            version=3,
        )

        refused(
            TicketClosedError, closed, ChangeSupportLevel(actor=CAROL, at=t(5), level=2), TIERED
        )

    def test_an_opening_above_the_tiers_rules_is_refused_as_such(self) -> None:
        """Given a tiered desk, when agent carol opens a ticket straight at level 3, then
        the refusal says opening the ticket at support level 3 is refused, and why."""
        command = OpenTicket(
            actor=CAROL,
            at=t(0),
            ticket_id="T-2",
            subject="Export fails",
            requester="alice",
            support_level=3,
        )

        error = refused(EscalationRefusedError, None, command, TIERED)

        assert str(error).startswith(
            "opening the ticket at support level 3 is refused:\n"
            "  - override_needed: only 'supervisor' may skip a level"
        )


SLA_DESK = portal.desk()


class TestDecideAsHandleDoes:
    def test_decide_gives_the_events_handle_records_on_an_sla_desk(self) -> None:
        """Given alice's ticket on the portal with its SLA policy, when agent carol
        answers her, then decide gives the events handle records, clock events included."""
        opening = OpenTicket(actor=ALICE, at=t(0), ticket_id="T-1", subject="No dial tone")
        ticket = handle(SLA_DESK, None, opening).ticket
        command = Reply(actor=CAROL, at=t(30), body="Restart the router, please.")

        events = decide(SLA_DESK, ticket, command)

        assert handle(SLA_DESK, ticket, command).events == events

    def test_decide_links_the_requesters_follow_up_to_the_parent_given(self) -> None:
        """Given alice's closed ticket, when she opens a follow-up naming it and decide is
        given the parent, then the new ticket is opened with the parent's id."""
        parent = given(opened(), moved(2, portal.IN_PROGRESS, portal.CLOSED, "close"))
        command = OpenTicket(
            actor=ALICE, at=t(9), ticket_id="T-2", subject="Again", parent_id="T-1"
        )

        events = decide(DESK, None, command, parent=parent)

        assert ["T-1"] == [e.parent_id for e in events if isinstance(e, TicketOpened)]


class TestSendReminder:
    def test_only_the_desks_timers_send_a_reminder(self) -> None:
        """Given alice's ticket, when agent carol sends a reminder, then she is told she
        may not send a reminder: the desk's timers send them."""
        command = SendReminder(actor=CAROL, at=t(5), rule="auto-close", action="close", due=t(60))

        error = refused(PermissionDeniedError, given(opened()), command)

        expected = (
            "actor 'carol' with role 'agent' may not send a reminder: "
            "reminders are sent by the desk's timers"
        )
        assert expected == str(error)

    def test_a_closed_ticket_gets_no_reminder(self) -> None:
        """Given alice's closed ticket, when the system sends a reminder, then the refusal
        names the ticket and its final status, and offers a follow-up instead."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.CLOSED, "close"))
        command = SendReminder(actor=ROBOT, at=t(5), rule="auto-close", action="close", due=t(60))

        error = refused(TicketClosedError, ticket, command)

        expected = (
            "ticket 'T-1' is 'closed', a final status, and cannot change any more; "
            "open a new ticket (a follow-up whose parent is this one) instead"
        )
        assert (expected, "T-1", "closed") == (str(error), error.ticket_id, error.status)  # type: ignore[attr-defined]


class TestStaffPowers:
    def test_the_requester_may_not_use_a_staff_power(self) -> None:
        """Given alice's ticket, when she assigns it to carol, then she is told only the
        desk's staff may do this, and to ask an agent."""
        command = Assign(actor=ALICE, at=t(5), assignee="carol")

        error = refused(PermissionDeniedError, given(opened()), command)

        expected = (
            "actor 'alice' with role 'customer' may not assign the ticket: "
            "only the desk's staff may do this; ask an agent"
        )
        assert (expected, "alice", "customer") == (str(error), error.actor_id, error.role)  # type: ignore[attr-defined]


# A workflow whose "schedule" parks the ticket until a wake-up instant; "start" wakes it;
# "plan" passes through "triaged" on its way to being scheduled.
SCHEDULING = Desk(
    workflow=Workflow(
        name="scheduling",
        initial="in_progress",
        statuses=(
            Status("in_progress", Category.ACTIVE),
            Status("triaged", Category.ACTIVE),
            Status("scheduled", Category.ON_HOLD, wake_action="start"),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="schedule", sources="in_progress", target="scheduled", roles="agent"),
            Transition(
                action="plan",
                sources="in_progress",
                target="triaged",
                then="scheduled",
                roles="agent",
            ),
            Transition(action="start", sources="triaged", target="in_progress", roles="agent"),
            Transition(
                action="start", sources="scheduled", target="in_progress", roles={"agent", "system"}
            ),
            Transition(action="close", sources="in_progress", target="closed", roles="agent"),
        ),
    )
)


class TestScheduling:
    def test_a_person_may_not_act_as_a_time_driven_rule(self) -> None:
        """Given alice's ticket, when agent carol closes it naming the rule auto-close,
        then she is told she may not act as that rule, and to leave rule empty."""
        command = PerformAction(actor=CAROL, at=t(5), action="close", rule="auto-close")

        error = refused(PermissionDeniedError, opened_on(SCHEDULING), command, SCHEDULING)

        expected = (
            "actor 'carol' with role 'agent' may not perform 'close' as the rule "
            "'auto-close': time-driven rules are performed by the desk's system; "
            "leave rule empty"
        )
        assert (expected, "carol", "agent") == (str(error), error.actor_id, error.role)  # type: ignore[attr-defined]

    def test_scheduling_without_a_wake_up_instant_asks_for_one(self) -> None:
        """Given alice's ticket, when carol schedules it without until, then the refusal
        says the action needs a wake-up instant, and how to give it."""
        command = PerformAction(actor=CAROL, at=t(5), action="schedule")

        error = refused(MissingRequirementError, opened_on(SCHEDULING), command, SCHEDULING)

        missing = "a wake-up instant is required: give until=<when to resume>"
        assert (
            f"action 'schedule' cannot be performed yet: {missing}",
            "schedule",
            (missing,),
        ) == (str(error), error.action, error.missing)  # type: ignore[attr-defined]

    def test_a_wake_up_instant_not_after_the_command_is_refused_with_both(self) -> None:
        """Given alice's ticket, when carol schedules it until the command's own instant,
        then the refusal quotes both instants and asks for a later one."""
        command = PerformAction(actor=CAROL, at=t(5), action="schedule", until=t(5))

        error = refused(InvalidCommandError, opened_on(SCHEDULING), command, SCHEDULING)

        expected = (
            f"the wake-up instant {t(5).isoformat()} is not after the command's instant "
            f"{t(5).isoformat()}; schedule the ticket for a later instant"
        )
        assert expected == str(error)

    def test_a_wake_up_instant_on_an_action_that_schedules_nothing_is_refused(self) -> None:
        """Given alice's ticket, when carol closes it with until, then the refusal names
        the action, says until= has no meaning there, and to leave it empty."""
        command = PerformAction(actor=CAROL, at=t(5), action="close", until=t(90))

        error = refused(InvalidCommandError, opened_on(SCHEDULING), command, SCHEDULING)

        expected = (
            "action 'close' does not enter a scheduled status, so until= has no meaning; "
            "leave until empty"
        )
        assert expected == str(error)

    def test_a_chained_move_names_the_wake_up_only_on_its_last_step(self) -> None:
        """Given alice's ticket, when carol plans it (through triaged into scheduled)
        until t(90), then only the step into scheduled carries the wake-up instant."""
        command = PerformAction(actor=CAROL, at=t(5), action="plan", until=t(90))

        events = decide(SCHEDULING, opened_on(SCHEDULING), command)

        assert [("triaged", None), ("scheduled", t(90))] == [
            (e.target, e.until) for e in events if isinstance(e, StatusChanged)
        ]


# A desk whose "hand over" may be taken by three roles, none of them the requester.
LEAD = Actor("lena", "lead")
THREE_ROLES = Desk(
    workflow=Workflow(
        name="three roles",
        initial="open",
        statuses=(Status("open", Category.ACTIVE), Status("handed", Category.CLOSED)),
        transitions=(
            Transition(
                action="hand_over",
                sources="open",
                target="handed",
                roles={"system", "agent", "lead"},
            ),
        ),
    ),
    roles=[Role("lead")],
)


class TestRolesNamed:
    def test_a_refusal_names_every_role_that_may_in_order(self) -> None:
        """Given alice's ticket on a desk where agents, leads and the system hand over,
        when alice hands it over, then the refusal names the three roles, sorted, the
        last after "or"."""
        command = PerformAction(actor=ALICE, at=t(5), action="hand_over")

        error = refused(PermissionDeniedError, opened_on(THREE_ROLES), command, THREE_ROLES)

        expected = (
            "actor 'alice' with role 'customer' may not perform 'hand_over': from status "
            "'open' only the roles 'agent', 'lead' or 'system' may"
        )
        assert expected == str(error)


# The portal with its SLA policy and its default escalation policy.
ESCALATING = portal.desk()
MONDAY = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Moscow"))


def escalating_ticket() -> Ticket:
    """Alice's ticket on the escalating portal, opened on Monday at 10:00 in Moscow."""
    command = OpenTicket(actor=ALICE, at=MONDAY, ticket_id="T-1", subject="No dial tone")
    return handle(ESCALATING, None, command).ticket


class TestEscalate:
    def test_a_desk_without_an_escalation_policy_points_to_the_workflows_action(self) -> None:
        """Given alice's ticket on a desk with no escalation policy, when she escalates,
        then the refusal says the desk has none, and to perform the escalation action."""
        command = Escalate(actor=ALICE, at=t(5), reason="sla_violation")

        error = refused(InvalidCommandError, given(opened()), command)

        expected = (
            "this desk has no escalation policy; "
            "perform the workflow's escalation action with PerformAction"
        )
        assert expected == str(error)

    def test_an_escalation_without_details_moves_the_ticket_for_its_reason(self) -> None:
        """Given alice's ticket at 88% of its first-response target, when she escalates
        for the SLA without details, then the ticket moves with the reason alone."""
        command = Escalate(
            actor=ALICE, at=MONDAY + timedelta(hours=3, minutes=30), reason="sla_violation"
        )

        events = decide(ESCALATING, escalating_ticket(), command)

        assert ["sla_violation"] == [e.reason for e in events if isinstance(e, StatusChanged)]

    def test_an_escalation_for_another_reason_records_no_sla_evidence(self) -> None:
        """Given alice's ticket at 88% of its first-response target, when she escalates
        because the problem changed, then the escalation records no SLA evidence."""
        command = Escalate(
            actor=ALICE,
            at=MONDAY + timedelta(hours=3, minutes=30),
            reason="changed_scope",
            details="now the whole office has no dial tone",
        )

        events = decide(ESCALATING, escalating_ticket(), command)

        assert [""] == [e.evidence for e in events if isinstance(e, TicketEscalated)]

    def test_an_escalation_whose_action_needs_a_field_asks_for_it(self) -> None:
        """Given a desk whose escalation needs the field impact, when alice escalates her
        ticket without it, then the refusal says the field must be set first."""
        command = Escalate(
            actor=ALICE,
            at=t(5),
            reason="changed_scope",
            details="now the whole office has no dial tone",
        )

        error = refused(MissingRequirementError, opened_on(NEEDS_IMPACT), command, NEEDS_IMPACT)

        assert (
            "action 'escalate' cannot be performed yet: the field 'impact' must be set first"
            == str(error)
        )


# A desk whose escalation action needs the ticket's field "impact" set first.
NEEDS_IMPACT = Desk(
    workflow=Workflow(
        name="needs impact",
        initial="open",
        statuses=(
            Status("open", Category.ACTIVE),
            Status("escalated", Category.ACTIVE),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(
                action="escalate",
                sources="open",
                target="escalated",
                roles={"customer", "agent"},
                requires_fields=("impact",),
            ),
            Transition(action="close", sources="escalated", target="closed", roles="agent"),
        ),
    ),
    escalation=EscalationPolicy(),
)


def opening(**changes: object) -> OpenTicket:
    """Alice's opening of ticket T-2, with ``changes``."""
    values: dict[str, object] = {
        "actor": ALICE,
        "at": t(0),
        "ticket_id": "T-2",
        "subject": "Export fails",
    }
    values.update(changes)
    return OpenTicket(**values)  # type: ignore[arg-type]


INTERN = Actor("ivy", "intern")


class TestOpeningRefused:
    def test_opening_a_ticket_that_exists_is_refused_with_the_way_to_open_one(self) -> None:
        """Given alice's ticket T-1, when an opening is decided on it, then the refusal
        says T-1 already exists and to send OpenTicket with ticket=None."""
        error = refused(InvalidCommandError, given(opened()), opening())

        expected = (
            "ticket 'T-1' already exists; send OpenTicket only for a new ticket, with ticket=None"
        )
        assert expected == str(error)

    def test_an_anonymous_opening_is_refused_until_the_user_signs_in(self) -> None:
        """Given the portal, when nobody signed in opens a ticket, then the refusal says to
        sign the user in first, coded anonymous."""
        error = refused(PermissionDeniedError, None, opening(actor=NOBODY))

        expected = "actor '' with role 'anonymous' may not open a ticket: sign the user in first"
        assert (expected, "anonymous", "", "anonymous") == (
            str(error),
            error.code,  # type: ignore[attr-defined]
            error.actor_id,  # type: ignore[attr-defined]
            error.role,  # type: ignore[attr-defined]
        )

    def test_a_role_the_desk_does_not_know_is_told_the_roles_and_to_declare_it(self) -> None:
        """Given the portal, which declares its roles, when intern ivy opens a ticket for
        alice, then the refusal names the desk's roles and how to declare hers."""
        error = refused(PermissionDeniedError, None, opening(actor=INTERN, requester="alice"))

        expected = (
            "actor 'ivy' with role 'intern' may not open a ticket: the role is not one of "
            "this desk's: the roles 'agent', 'customer', 'developer' or 'system'; use one "
            "of them, or declare it: Desk(roles=[Role('intern'), ...])"
        )
        assert (expected, "ivy", "intern") == (str(error), error.actor_id, error.role)  # type: ignore[attr-defined]

    def test_a_role_no_transition_names_is_told_to_name_it_in_one(self) -> None:
        """Given a desk that declares no roles, when intern ivy opens a ticket for alice,
        then the refusal names the workflow's roles and to name hers in a transition."""
        desk = Desk(workflow=portal.WORKFLOW)

        error = refused(PermissionDeniedError, None, opening(actor=INTERN, requester="alice"), desk)

        expected = (
            "actor 'ivy' with role 'intern' may not open a ticket: the role is not one of "
            "this desk's: the roles 'agent', 'customer' or 'system'; use one of them, or "
            "name the role in a transition of the workflow"
        )
        assert expected == str(error)

    def test_a_parent_other_than_the_one_named_is_refused_with_both_ids(self) -> None:
        """Given alice's ticket T-1, when a follow-up naming T-9 is decided with T-1 as
        its parent, then the refusal quotes both ids and asks for the named parent."""
        with pytest.raises(InvalidCommandError) as raised:
            decide(DESK, None, opening(parent_id="T-9"), parent=given(opened()))

        expected = (
            "the parent ticket given is 'T-1', but the command names parent_id='T-9'; "
            "pass the ticket the command's parent_id names"
        )
        assert expected == str(raised.value)

    def test_a_parent_given_as_its_id_is_refused_by_type(self) -> None:
        """Given a follow-up naming T-1, when it is decided with the parent's id 'T-1'
        instead of the loaded parent ticket, then an InvalidTypeError asks for a Ticket."""
        with pytest.raises(InvalidTypeError) as raised:
            decide(DESK, None, opening(parent_id="T-1"), parent="T-1")  # type: ignore[arg-type]

        assert str(raised.value).startswith("parent must be a Ticket, got str 'T-1'")

    def test_a_requester_may_not_follow_up_on_another_requesters_ticket(self) -> None:
        """Given alice's ticket T-1, when bob opens a follow-up to it, then he is told a
        requester links only a ticket of their own, and how the host passes the parent."""
        with pytest.raises(PermissionDeniedError) as raised:
            decide(DESK, None, opening(actor=BOB, parent_id="T-1"), parent=given(opened()))

        expected = (
            "actor 'bob' with role 'customer' may not open a follow-up to ticket 'T-1': a "
            "requester links only a ticket of their own: the host passes the parent ticket "
            "it loaded, handle(desk, None, command, parent=parent_ticket)"
        )
        assert expected == str(raised.value)

    def test_a_follow_up_whose_parent_the_host_did_not_pass_is_refused_alike(self) -> None:
        """Given no parent ticket passed, when alice opens a follow-up naming T-1, then
        she is told a requester links only a ticket of their own, and how the host passes
        the parent."""
        error = refused(PermissionDeniedError, None, opening(parent_id="T-1"))

        expected = (
            "actor 'alice' with role 'customer' may not open a follow-up to ticket 'T-1': a "
            "requester links only a ticket of their own: the host passes the parent ticket "
            "it loaded, handle(desk, None, command, parent=parent_ticket)"
        )
        assert expected == str(error)

    def test_the_staff_opening_a_ticket_must_name_its_requester(self) -> None:
        """Given the portal, when agent carol opens a ticket for nobody named, then the
        refusal says the ticket needs a requester, and how to give one."""
        error = refused(InvalidCommandError, None, opening(actor=CAROL))

        expected = (
            "a ticket opened by the desk's staff needs a requester; "
            "give OpenTicket(requester=...) the id of the customer it is for"
        )
        assert expected == str(error)

    def test_a_customer_opens_tickets_only_for_themselves(self) -> None:
        """Given the portal, when alice opens a ticket for bob, then she is told customers
        open tickets only for themselves, coded ownership."""
        error = refused(PermissionDeniedError, None, opening(requester="bob"))

        expected = (
            "actor 'alice' with role 'customer' may not open a ticket: "
            "customers open tickets only for themselves, not for 'bob'"
        )
        assert (expected, "ownership") == (str(error), error.code)  # type: ignore[attr-defined]

    def test_an_unknown_priority_is_told_the_workflows_priorities(self) -> None:
        """Given the portal, when alice opens a ticket at priority urgent, then the
        refusal names it and lists the workflow's priorities."""
        error = refused(InvalidCommandError, None, opening(priority="urgent"))

        expected = (
            "unknown priority 'urgent'; use one of the workflow's priorities: "
            "low, normal, high, critical"
        )
        assert expected == str(error)


class TestReplyRefused:
    def test_a_requester_may_not_write_an_internal_note(self) -> None:
        """Given alice's ticket, when she writes an internal note, then she is told
        internal notes are for the desk's staff, and to send a public reply."""
        command = Reply(actor=ALICE, at=t(5), body="Just for you.", public=False)

        error = refused(PermissionDeniedError, given(opened()), command)

        expected = (
            "actor 'alice' with role 'customer' may not write an internal note: "
            "internal notes are for the desk's staff; send a public reply"
        )
        assert (expected, "alice", "customer") == (str(error), error.actor_id, error.role)  # type: ignore[attr-defined]

    def test_a_role_without_public_replies_may_not_answer_the_requester(self) -> None:
        """Given a tiered desk whose developers write notes only, when developer dan
        replies publicly, then he is told he may not answer the requester, and why."""
        command = Reply(actor=DAN, at=t(5), body="Fixed in 2.3.")

        error = refused(PermissionDeniedError, opened_on(TIERED), command, TIERED)

        expected = (
            "actor 'dan' with role 'developer' may not answer the requester: the role lacks "
            "the staff power 'public_replies'; grant it in the desk's roles, "
            "Desk(roles=[Role('developer', may={'public_replies', ...})])"
        )
        assert expected == str(error)

    def test_a_role_without_internal_notes_may_not_write_one(self) -> None:
        """Given a desk whose leads hold no staff power, when lead lena writes an internal
        note, then she is told she may not write one, and which power it takes."""
        command = Reply(actor=LEAD, at=t(5), body="Looks like the trunk.", public=False)

        error = refused(PermissionDeniedError, opened_on(THREE_ROLES), command, THREE_ROLES)

        expected = (
            "actor 'lena' with role 'lead' may not write an internal note: the role lacks "
            "the staff power 'internal_notes'; grant it in the desk's roles, "
            "Desk(roles=[Role('lead', may={'internal_notes', ...})])"
        )
        assert expected == str(error)

    def test_only_the_requester_approves_a_resolution_in_a_reply(self) -> None:
        """Given alice's ticket, when agent carol replies approving the resolution, then
        she is told only the requester can, and what to do instead."""
        command = Reply(actor=CAROL, at=t(5), body="Done.", approves_resolution=True)

        error = refused(InvalidCommandError, given(opened()), command)

        expected = (
            "only the requester can approve the resolution in a reply; "
            "perform the resolving action instead, or send the reply without approval"
        )
        assert expected == str(error)

    def test_a_reply_to_a_closed_ticket_is_refused_with_the_follow_up_to_open(self) -> None:
        """Given alice's closed ticket, when she replies, then the refusal names the
        ticket and its final status, and offers a follow-up for anything else."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.CLOSED, "close"))

        error = refused(TicketClosedError, ticket, Reply(actor=ALICE, at=t(5), body="Hi?"))

        expected = (
            "ticket 'T-1' is 'closed', a final status, and cannot change any more; replies "
            "are not accepted any more; open a new ticket as a follow-up (parent_id=the "
            "closed ticket's id) for anything else"
        )
        assert (expected, "T-1", "closed") == (str(error), error.ticket_id, error.status)  # type: ignore[attr-defined]


# A desk whose agent's public reply answers a new ticket, whose closed tickets are
# archived (a final status), and whose archived tickets reopen on the requester's reply
# within a day of closing, or on an agent's reply.
REPLIES = Desk(
    workflow=Workflow(
        name="replies",
        initial="new",
        statuses=(
            Status("new", Category.NEW),
            Status("answered", Category.ACTIVE),
            Status("closed", Category.CLOSED, terminal=False),
            Status("archived", Category.CANCELED, terminal=True),
        ),
        transitions=(
            Transition(action="close", sources={"new", "answered"}, target="closed", roles="agent"),
            Transition(action="archive", sources="closed", target="archived", roles="agent"),
        ),
        reactions=(
            Reaction(on="agent_reply", sources="new", target="answered"),
            Reaction(
                on="customer_reply", sources="archived", target="answered", within=CalendarDays(1)
            ),
            Reaction(on="agent_reply", sources="archived", target="answered"),
        ),
    )
)


class TestReplyReactions:
    def test_an_internal_note_is_not_the_agents_reply(self) -> None:
        """Given alice's new ticket, where the agent's reply answers it, when carol writes
        an internal note, then the ticket stays new."""
        command = Reply(actor=CAROL, at=t(5), body="Checking the logs.", public=False)

        events = decide(REPLIES, opened_on(REPLIES), command)

        assert [ReplyAdded] == [type(e) for e in events]

    def test_an_internal_note_does_not_reopen_a_final_ticket(self) -> None:
        """Given alice's archived ticket, which an agent's reply would reopen, when carol
        writes an internal note, then the ticket is final and the note refused."""
        ticket = archived(closed_at=t(0) + HOUR, archived_at=t(0) + 2 * HOUR)
        command = Reply(actor=CAROL, at=t(0) + 3 * HOUR, body="For the record.", public=False)

        refused(TicketClosedError, ticket, command, REPLIES)

    def test_the_reopening_window_counts_from_closing_not_from_archiving(self) -> None:
        """Given alice's ticket closed at 10:00 and archived at 12:00, reopened by her reply
        within a calendar day of closing, when she replies at 11:00 the next day, then the
        refusal says the day since closing ended at 10:00, and to open a follow-up."""
        ticket = archived(closed_at=t(0) + HOUR, archived_at=t(0) + 3 * HOUR)
        command = Reply(actor=ALICE, at=t(0) + DAY + 2 * HOUR, body="It broke again.")

        error = refused(TicketClosedError, ticket, command, REPLIES)

        expected = (
            "ticket 'T-1' is 'archived', a final status, and cannot change any more; it "
            "could be reopened by a reply for 1 day after closing, until "
            f"{(t(0) + DAY + HOUR).isoformat()}; open a follow-up ticket instead "
            "(ticketflow.follow_up builds the command)"
        )
        assert expected == str(error)


def archived(*, closed_at: datetime, archived_at: datetime) -> Ticket:
    """Alice's ticket on the replies desk, closed and then archived by carol."""
    ticket = opened_on(REPLIES)
    ticket = handle(
        REPLIES, ticket, PerformAction(actor=CAROL, at=closed_at, action="close")
    ).ticket
    archive = PerformAction(actor=CAROL, at=archived_at, action="archive")
    return handle(REPLIES, ticket, archive).ticket


# A desk whose requester approves a resolution by replying: the approval needs a reason,
# which the reply's body gives.
APPROVING = Desk(
    workflow=Workflow(
        name="approving",
        initial="open",
        statuses=(
            Status("open", Category.ACTIVE),
            Status("solved", Category.RESOLVED),
            Status("closed", Category.CLOSED),
        ),
        transitions=(
            Transition(action="solve", sources="open", target="solved", roles="agent"),
            Transition(
                action="approve",
                sources="solved",
                target="closed",
                roles="customer",
                requires_reason=True,
            ),
        ),
        approval_action="approve",
    )
)


class TestApprovingReply:
    def test_a_workflow_without_approval_says_how_to_reply_instead(self) -> None:
        """Given alice's ticket on a desk whose workflow has no approval action, when she
        replies approving the resolution, then the refusal names the workflow and both
        ways out."""
        command = Reply(actor=ALICE, at=t(5), body="Thanks!", approves_resolution=True)

        error = refused(InvalidCommandError, opened_on(REPLIES), command, REPLIES)

        expected = (
            "workflow 'replies' does not accept approval in a reply; send the reply without "
            "approves_resolution, or set the workflow's approval_action"
        )
        assert expected == str(error)

    def test_an_approving_reply_gives_the_approval_its_reason(self) -> None:
        """Given alice's solved ticket, whose approval needs a reason, when she replies
        approving it, then the ticket closes with her reply as the reason."""
        ticket = opened_on(APPROVING)
        ticket = handle(
            APPROVING, ticket, PerformAction(actor=CAROL, at=t(2), action="solve")
        ).ticket
        command = Reply(actor=ALICE, at=t(5), body="Works now, thanks.", approves_resolution=True)

        events = decide(APPROVING, ticket, command)

        assert [("closed", "Works now, thanks.")] == [
            (e.target, e.reason) for e in events if isinstance(e, StatusChanged)
        ]


class TestCommandRefused:
    def test_the_escalation_action_is_sent_as_an_escalation(self) -> None:
        """Given alice's ticket on the escalating portal, when carol performs escalate
        directly, then she is told the escalation policy checks it, and to send Escalate."""
        command = PerformAction(actor=CAROL, at=MONDAY, action="escalate")

        error = refused(InvalidCommandError, escalating_ticket(), command, ESCALATING)

        expected = (
            "'escalate' is checked by the desk's escalation policy; "
            "send Escalate(reason=..., details=...) instead of PerformAction"
        )
        assert expected == str(error)

    def test_something_that_is_no_command_is_refused_by_type(self) -> None:
        """Given alice's ticket, when an action's name is decided as a command, then the
        refusal says a ticketflow command is needed, and what came."""
        not_a_command: Any = "close"

        with pytest.raises(InvalidTypeError) as raised:
            decide(DESK, given(opened()), not_a_command)

        expected = (
            "command must be a ticketflow command (OpenTicket, Reply, ...), got str 'close'; "
            "give a ticketflow command (OpenTicket, Reply, ...)"
        )
        assert expected == str(raised.value)

    def test_only_the_desks_timers_check_an_sla_clock(self) -> None:
        """Given alice's ticket, when agent carol checks its first-response clock, then
        she is told the desk's timers check SLA clocks."""
        command = CheckSlaClock(actor=CAROL, at=t(5), metric="first_response")

        error = refused(PermissionDeniedError, given(opened()), command)

        expected = (
            "actor 'carol' with role 'agent' may not check an SLA clock: "
            "SLA clocks are checked by the desk's timers"
        )
        assert expected == str(error)

    def test_a_command_without_its_ticket_says_to_open_or_load_it(self) -> None:
        """Given no ticket, when alice's reply is decided, then the refusal says a Reply
        needs a ticket, and to open it first or pass the loaded one."""
        error = refused(InvalidCommandError, None, Reply(actor=ALICE, at=t(5), body="Hi"))

        expected = (
            "Reply needs a ticket, got None; "
            "open the ticket with OpenTicket first, or pass the loaded ticket"
        )
        assert expected == str(error)

    def test_something_that_is_no_ticket_is_refused_by_type(self) -> None:
        """Given a ticket id where the ticket belongs, when alice's reply is decided, then
        the refusal says a Ticket is needed, and what came."""
        not_a_ticket: Any = "T-1"

        with pytest.raises(InvalidTypeError) as raised:
            decide(DESK, not_a_ticket, Reply(actor=ALICE, at=t(5), body="Hi"))

        assert "ticket must be a Ticket, got str 'T-1'; give a Ticket" == str(raised.value)

    def test_a_ticket_in_a_status_the_workflow_lacks_is_told_to_migrate(self) -> None:
        """Given alice's ticket stored in status limbo, which the portal does not define,
        when she replies, then the refusal names the status and the workflow, and the
        fix."""
        ticket = attrs.evolve(given(opened()), status="limbo")

        error = refused(InvalidCommandError, ticket, Reply(actor=ALICE, at=t(5), body="Hi"))

        expected = (
            "ticket 'T-1' is in status 'limbo', which workflow 'support-portal' does not "
            "define; handle it with the desk whose workflow it belongs to, or migrate the ticket"
        )
        assert expected == str(error)


class TestFollowUp:
    def test_a_follow_up_keeps_the_priority_of_the_closed_ticket(self) -> None:
        """Given alice's closed critical ticket, on a desk whose form offers her no
        priority, when she opens its follow-up, then the new ticket is critical too."""
        parent = given(
            opened(priority="critical"), moved(2, portal.IN_PROGRESS, portal.CLOSED, "close")
        )
        command = follow_up(parent, actor=ALICE, at=t(9), ticket_id="T-2")

        events = decide(DESK, None, command, parent=parent)

        assert ["critical"] == [e.priority for e in events if isinstance(e, TicketOpened)]

    def test_a_staff_follow_up_keeps_the_priority_without_the_power(self) -> None:
        """Given alice's ticket handed over at high priority, and a lead who may open
        tickets but not change priorities, when the lead opens its follow-up for alice,
        then the new ticket is high too."""
        desk = attrs.evolve(THREE_ROLES, roles=[Role("lead", may={"open_tickets"})])
        parent = Ticket(
            id="T-1",
            subject="Export fails",
            status="handed",
            priority="high",
            requester="alice",
            created_at=t(0),
            updated_at=t(2),
            status_since=t(2),
            version=2,
        )
        command = follow_up(parent, actor=LEAD, at=t(9), ticket_id="T-2")

        events = decide(desk, None, command, parent=parent)

        assert ["high"] == [e.priority for e in events if isinstance(e, TicketOpened)]


class TestOpeningAtALevel:
    def test_staff_without_the_power_may_not_open_a_ticket_above_level_one(self) -> None:
        """Given a lead who may open tickets but not change support levels, when she opens
        one for alice at level 2, then she is told the power it takes."""
        desk = attrs.evolve(THREE_ROLES, roles=[Role("lead", may={"open_tickets"})])
        command = opening(actor=LEAD, requester="alice", support_level=2)

        error = refused(PermissionDeniedError, None, command, desk)

        expected = (
            "actor 'lena' with role 'lead' may not open a ticket at support level 2: the role "
            "lacks the staff power 'change_support_level'; grant it in the desk's roles, "
            "Desk(roles=[Role('lead', may={'change_support_level', ...})])"
        )
        assert expected == str(error)
