"""Evolving (``_evolve.py``): ``evolve`` records one event into a new ticket, ``replay``
folds a stored stream and refuses one that is not a ticket's history.

Given the events a ticket was built from, then this ticket (or this refusal).
"""

from __future__ import annotations

import copy
import os
from datetime import datetime, timedelta
from typing import get_args

import attrs
import pytest
from hypothesis import assume, settings
from hypothesis import given as given_

from scenarios import (
    ALICE,
    BERLIN,
    CAROL,
    FIRST_0240,
    ROBOT,
    SECOND_0210,
    STRICT,
    given,
    in_status,
    moved,
    opened,
    reopened,
    replied,
    strict_opened,
    t,
)
from strategies import command_sequences
from ticketflow import (
    ActionPerformed,
    Attachment,
    Category,
    Command,
    Event,
    EventStreamError,
    FieldChanged,
    FileAttached,
    FrozenMap,
    InvalidTypeError,
    NaiveDatetimeError,
    NonexistentInstantError,
    NotificationsMuted,
    NotificationsUnmuted,
    OpenTicket,
    PriorityChanged,
    ReminderSent,
    ReplyAdded,
    SlaEvent,
    Status,
    StatusChanged,
    Ticket,
    TicketAssigned,
    TicketflowError,
    Transition,
    Workflow,
    evolve,
    handle,
    replay,
)
from ticketflow._evolve import recorded
from ticketflow.presets import support_portal as portal


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
            last_update_at=t(0),
        )

        assert expected == evolve(None, opened())

    def test_a_decided_opening_is_the_ticket_the_constructor_checks(self) -> None:
        """handle records an opening without re-checking its fields (recorded), and the
        ticket equals the one evolve builds through the checking constructor."""
        command = OpenTicket(
            actor=CAROL,
            at=t(0),
            ticket_id="T-9",
            subject="Printer on fire",
            description="Third floor",
            requester="alice",
            priority="high",
            assignee="carol",
            group="hardware",
            fields={"site": "Berlin"},
            notifications_muted=True,
        )

        outcome = handle(PORTAL, None, command)

        assert outcome.ticket == replay(outcome.events)
        assert recorded(None, outcome.events[:1]) == evolve(None, outcome.events[0])

    def test_evolve_refuses_a_hand_built_opening_the_constructor_would(self) -> None:
        """An opening built by hand with a naive instant is refused by evolve, whose
        opening is the constructor's, not recorded as a ticket."""
        bad = attrs.evolve(opened(), at=datetime(2026, 3, 2, 9))  # noqa: DTZ001

        with pytest.raises(NaiveDatetimeError):
            evolve(None, bad)

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
            reopened(3, "closed", "open"),
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


class TestEvolveFollowsTheStream:
    def test_an_event_of_another_ticket_is_refused(self) -> None:
        """Given ticket T-1, when a reply decided for ticket T-2 is recorded on it, then
        an EventStreamError names both tickets and T-1 is as it was."""
        ticket = given(opened())
        other = attrs.evolve(replied(2, "Any news?"), ticket_id="T-2")

        with pytest.raises(
            EventStreamError, match="event of ticket 'T-2' in the stream of ticket 'T-1'"
        ):
            evolve(ticket, other)

        assert given(opened()) == ticket

    def test_an_event_that_is_not_the_next_version_is_refused(self) -> None:
        """Given a ticket at version 2, when its own version-2 reply is recorded again,
        then an EventStreamError says which version follows which (a ticket's version,
        a host's optimistic lock, never goes back)."""
        ticket = given(opened(), replied(2, "Any news?"))

        with pytest.raises(EventStreamError, match="version 2 follows version 2"):
            evolve(ticket, replied(2, "Any news?"))

    def test_an_event_earlier_than_the_last_change_is_refused(self) -> None:
        """Given a ticket last changed at minute 5, when a next-version event from minute
        1 is recorded, then an EventStreamError says it happened before the one before."""
        ticket = given(opened(), replied(2, "Any news?", at=t(5)))

        with pytest.raises(EventStreamError, match=r"happened at .*, before the event before it"):
            evolve(ticket, replied(3, "Hello?", at=t(1)))


class TestReplay:
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


class TestReplayOrder:
    def test_replay_refuses_an_event_a_year_before_the_opening(self) -> None:
        """An event stamped before the ticket was opened is refused, naming the event."""
        events = (opened(), replied(2, "early", at=t(0) - timedelta(days=365)))

        with pytest.raises(EventStreamError, match="ReplyAdded version 2"):
            replay(events)


class TestInstantsInARepeatedHour:
    def test_replay_refuses_events_that_run_backwards_across_the_fold(self) -> None:
        """A stream whose second event is 30 real minutes before its first is refused."""
        events = (opened(at=SECOND_0210), replied(2, "late", at=FIRST_0240))

        with pytest.raises(EventStreamError, match="ReplyAdded version 2 happened at"):
            replay(events)


class TestReviewFindings:
    """Issue 10's hardening, reviewed adversarially: what the review found, closed."""

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


class TestEveryEventIsRecorded:
    def test_every_event_class_has_what_it_records(self) -> None:
        """evolve knows what each of the desk's event classes records: none is missing
        from its table (a new event class without a recorder fails here, not in a host)."""
        from typing import get_args

        from ticketflow import Event
        from ticketflow._evolve import _RECORD

        assert set(get_args(Event)) == set(_RECORD)

    def test_something_that_is_not_an_event_is_refused_saying_what_to_give(self) -> None:
        """evolve given a value that is no event raises a typed error, and the ticket stays."""
        ticket = given(opened())
        before = copy.deepcopy(ticket)

        with pytest.raises(InvalidTypeError, match="event must be a ticketflow event"):
            evolve(ticket, {"type": "StatusChanged"})  # type: ignore[arg-type]

        assert before == ticket


# -- the self-loop's event (issue 12, deliverable 4) ------------------------------------------


def performed(version: int, at: datetime, **changes: object) -> ActionPerformed:
    fields: dict[str, object] = {
        "ticket_id": "T-1",
        "at": at,
        "actor": CAROL,
        "version": version,
        "action": "chase",
        "status": portal.ON_HOLD,
        **changes,
    }
    return ActionPerformed(**fields)  # type: ignore[arg-type]


class TestActionPerformed:
    def test_it_records_the_action_and_keeps_the_status_and_its_time(self) -> None:
        """Given a ticket on hold since t(1), when an action is performed in it at t(9),
        then it is updated at t(9), one version on, still on hold since t(1)."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.ON_HOLD, "hold", at=t(1)))

        after = evolve(ticket, performed(3, t(9)))

        assert (portal.ON_HOLD, t(1), t(9), 3) == (
            after.status,
            after.status_since,
            after.updated_at,
            after.version,
        )

    def test_a_wake_up_it_states_replaces_the_old_one(self) -> None:
        """An ActionPerformed carrying ``until`` sets the ticket's wake-up instant to it."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.ON_HOLD, "hold", at=t(1)))

        assert t(90) == evolve(ticket, performed(3, t(9), until=t(90))).wake_at

    def test_the_requesters_action_is_customer_activity(self) -> None:
        """An action the requester performs counts as their latest activity."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.ON_HOLD, "hold", at=t(1)))

        after = evolve(ticket, performed(3, t(9), actor=ALICE))

        assert t(9) == after.last_customer_activity_at

    def test_a_restarted_one_restarts_the_time_in_the_status(self) -> None:
        """An ActionPerformed that says the time restarted (a timer's) makes the ticket
        in its status since the event, and clears the wake-up it does not state."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.ON_HOLD, "hold", at=t(1)))

        after = evolve(ticket, performed(3, t(9), actor=ROBOT, rule="daily", restarted=True))

        assert (portal.ON_HOLD, t(9), None) == (after.status, after.status_since, after.wake_at)


# -- a file attached (issue 14, deliverable 1) ------------------------------------------------


def file_attached(version: int, minute: int, **changes: object) -> FileAttached:
    fields: dict[str, object] = {
        "ticket_id": "T-1",
        "at": t(minute),
        "actor": ALICE,
        "version": version,
        "name": "error-500.png",
        "size": 48_213,
        "media_type": "image/png",
        "reference": "uploads/7f3a",
        **changes,
    }
    return FileAttached(**fields)  # type: ignore[arg-type]


class TestFileAttached:
    def test_the_ticket_lists_the_attached_file(self) -> None:
        """Given an open ticket, when alice attaches a file at t(5), then the ticket lists
        it with its name, size, media type, reference, instant and uploader."""
        ticket = given(opened(), file_attached(2, 5))

        expected = (
            Attachment(
                name="error-500.png",
                size=48_213,
                media_type="image/png",
                reference="uploads/7f3a",
                at=t(5),
                by="alice",
            ),
        )
        assert expected == ticket.attachments

    def test_files_are_listed_oldest_first(self) -> None:
        """Given two files attached in turn, then the ticket lists them in that order."""
        ticket = given(
            opened(), file_attached(2, 5), file_attached(3, 9, name="b.log", reference="r/b")
        )

        assert ["error-500.png", "b.log"] == [file.name for file in ticket.attachments]

    def test_the_requesters_file_is_customer_activity(self) -> None:
        """Given alice attaches a file at t(5), then her last activity is t(5): a file is
        an answer as much as a reply is."""
        ticket = given(opened(), file_attached(2, 5))

        assert (t(5), t(5), 2) == (
            ticket.last_customer_activity_at,
            ticket.updated_at,
            ticket.version,
        )

    def test_an_agents_file_keeps_the_status_and_the_customers_activity(self) -> None:
        """Given an agent attaches a file, then the status, the time in it and the
        customer's last activity stay as they were."""
        before = given(opened())
        ticket = evolve(before, file_attached(2, 5, actor=CAROL))

        assert (before.status, before.status_since, before.last_customer_activity_at) == (
            ticket.status,
            ticket.status_since,
            ticket.last_customer_activity_at,
        )

    def test_evolve_leaves_the_ticket_before_as_it_was(self) -> None:
        """Given a ticket, when a file is recorded, then the earlier ticket lists none."""
        before = given(opened())
        evolve(before, file_attached(2, 5))

        assert () == before.attachments


# -- what a case page shows (issue 14, deliverable 1) -----------------------------------------


class TestWhatACasePageShows:
    def test_the_ticket_keeps_the_requesters_description(self) -> None:
        """Given a ticket opened with a description, then the ticket holds it."""
        ticket = given(opened(description="Checkout shows a 500 error since 9:00"))

        assert "Checkout shows a 500 error since 9:00" == ticket.description

    def test_a_ticket_never_reopened_has_no_reopening_instant(self) -> None:
        """Given a ticket resolved once and never back at work, then reopened_at is None."""
        ticket = given(opened(), moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "p"))

        assert ticket.reopened_at is None

    def test_going_back_to_work_from_resolved_records_when(self) -> None:
        """Given a resolved ticket moved back to work at t(3), then reopened_at is t(3)."""
        ticket = given(
            opened(),
            moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution"),
            moved(3, portal.AWAITING_CONFIRMATION, portal.IN_PROGRESS, "start_work"),
        )

        assert (t(3), 1) == (ticket.reopened_at, ticket.reopen_count)

    def test_a_move_between_working_statuses_keeps_the_reopening_instant(self) -> None:
        """Given a ticket reopened at t(3) and then put on hold at t(4), then reopened_at
        stays t(3): only a return from resolved or closed is a reopening."""
        ticket = given(
            opened(),
            moved(2, portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION, "propose_resolution"),
            moved(3, portal.AWAITING_CONFIRMATION, portal.IN_PROGRESS, "start_work"),
            moved(4, portal.IN_PROGRESS, portal.ON_HOLD, "put_on_hold"),
        )

        assert t(3) == ticket.reopened_at

    def test_a_reply_reopening_a_closed_ticket_records_when(self) -> None:
        """Given a closed ticket a reply reopens at t(5), then reopened_at is t(5)."""
        ticket = given(
            opened(),
            moved(2, portal.IN_PROGRESS, portal.CLOSED, "close"),
            reopened(3, portal.CLOSED, portal.IN_PROGRESS, at=t(5)),
        )

        assert t(5) == ticket.reopened_at


LIVES = 1_000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 10
"""Random ticket lives the last-update invariant draws: few in the default run (it must
stay fast), many under the thorough profile."""
PORTAL = portal.desk()
"""The whole support portal, SLA and auto-close included, built once."""


class TestLastUpdate:
    def test_an_internal_note_by_staff_is_an_update(self) -> None:
        """Given a ticket, when an agent adds an internal note, then its last update is the
        note's instant (a note is no customer activity, but it is an update)."""
        ticket = given(opened(), replied(2, "checked the line", actor=CAROL, public=False, at=t(9)))

        assert (t(9), t(0)) == (ticket.last_update_at, ticket.last_customer_activity_at)

    def test_a_priority_change_is_an_update(self) -> None:
        """Given a ticket, when an agent changes its priority, then that is its last update."""
        ticket = given(
            opened(),
            PriorityChanged(
                ticket_id="T-1", at=t(5), actor=CAROL, version=2, source="normal", target="high"
            ),
        )

        assert t(5) == ticket.last_update_at

    def test_the_desks_own_rules_are_no_update(self) -> None:
        """Given a ticket updated at minute 3, when the system reminds the requester and
        performs an action, then its last update stays at minute 3 (updated_at moves)."""
        ticket = given(
            opened(),
            replied(2, "any news?", at=t(3)),
            ReminderSent(
                ticket_id="T-1",
                at=t(10),
                actor=ROBOT,
                version=3,
                rule="auto-close",
                action="close",
                due=t(20),
                to_requester=True,
            ),
            performed(4, t(11), actor=ROBOT, status=portal.IN_PROGRESS),
        )

        assert (t(3), t(11)) == (ticket.last_update_at, ticket.updated_at)

    def test_a_ticket_the_system_opened_has_no_update_yet(self) -> None:
        """Given a ticket opened by the system, then it records no update by anybody."""
        assert evolve(None, opened(actor=ROBOT)).last_update_at is None

    @settings(max_examples=LIVES, deadline=None)
    @given_(command_sequences(portal.WORKFLOW, max_size=10))
    def test_the_last_update_is_the_last_event_somebody_caused(
        self, commands: list[Command]
    ) -> None:
        """Whatever commands a ticket's life holds, its last update is the instant of its
        last event whose actor is not the system and that is no SLA clock's, and never
        after updated_at."""
        desk = PORTAL
        ticket: Ticket | None = None
        events: list[Event] = []
        for command in commands:
            try:
                outcome = handle(desk, ticket, command)
            except TicketflowError:
                continue
            ticket, events = outcome.ticket, [*events, *outcome.events]
        assume(ticket is not None)
        assert ticket is not None

        updates = [
            e.at
            for e in events
            if e.actor.role != "system" and not isinstance(e, get_args(SlaEvent))
        ]
        expected = updates[-1] if updates else None
        assert expected == ticket.last_update_at
        assert ticket.last_update_at is None or ticket.last_update_at <= ticket.updated_at
