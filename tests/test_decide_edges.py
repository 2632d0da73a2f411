"""Deciding (``_decide.py``) at its edges, found by mutation testing
(``tools/mutation.sh``): the limits and messages the usual tests leave unseen.

Given the events a ticket was built from, when a command is decided, then these
events, or this refusal.
"""

from __future__ import annotations

import pytest

from scenarios import ALICE, CAROL, DESK, ROBOT, given, moved, opened, refused, t
from ticketflow import (
    Actor,
    AttachFile,
    ChangeSupportLevel,
    EscalationRefusedError,
    FileAttached,
    InvalidCommandError,
    OpenTicket,
    PermissionDeniedError,
    Reply,
    SendReminder,
    Ticket,
    TicketClosedError,
    TicketOpened,
    decide,
    handle,
)
from ticketflow.presets import escalation_process
from ticketflow.presets import support_portal as portal

# A desk with support tiers (L1 to L3), whose developers hold no staff power but notes.
TIERED = escalation_process.desk()
DAN = Actor("dan", "developer")

MAX_FILE_NAME = 255
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
        {"reference": "uploads/\x007f3a"},
        "the reference 'uploads/\\x007f3a' is over 2048 characters or holds "
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
        """Given alice's closed ticket, when the system sends a reminder, then
        TicketClosedError, and the ticket stays as it was."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.CLOSED, "close"))
        command = SendReminder(actor=ROBOT, at=t(5), rule="auto-close", action="close", due=t(60))

        refused(TicketClosedError, ticket, command)
