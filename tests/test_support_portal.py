"""Scenarios of ``ticketflow.presets.support_portal``, one per behaviour of seeds 000/001.

Each docstring quotes the sentence of ``shared/seeds/000_*.txt`` (the English export of
the portal's help page) that the scenario checks.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from ticketflow import (
    CHANGED_SCOPE,
    Actor,
    Category,
    Command,
    Escalate,
    EscalationRefusedError,
    Event,
    MuteNotifications,
    NotificationsMuted,
    OpenTicket,
    Outcome,
    PerformAction,
    PermissionDeniedError,
    Reply,
    StatusChanged,
    Ticket,
    TicketClosedError,
    TicketEscalated,
    allowed_actions,
    handle,
    replay,
    visible_to,
)
from ticketflow.presets import support_portal as portal

DESK = portal.desk()
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
ALICE = Actor.customer("alice")
BOB = Actor.customer("bob")
CAROL = Actor.agent("carol")
ROBOT = Actor.system()


class Request:
    """A request on the portal, driven command by command as a portal user would."""

    def __init__(self) -> None:
        self.minute = 0
        self.events: list[Event] = []
        self.outcome = self.do(
            OpenTicket, ALICE, ticket_id="R-1", subject="One internal number does not work"
        )

    @property
    def ticket(self) -> Ticket:
        return self.outcome.ticket

    def do(self, kind: type[Command], actor: Actor, **values: object) -> Outcome:
        self.minute += 1
        at = START + timedelta(minutes=self.minute)
        ticket = self.ticket if self.events else None
        self.outcome = handle(DESK, ticket, kind(actor=actor, at=at, **values))  # type: ignore[arg-type]
        self.events.extend(self.outcome.events)
        return self.outcome

    def press(self, actor: Actor, action: str, reason: str = "") -> Outcome:
        if action == "escalate":
            # The Escalate button sends the escalation policy's command, with a reason
            # code and the client's own words.
            return self.do(Escalate, actor, reason=CHANGED_SCOPE, details=reason)
        return self.do(PerformAction, actor, action=action, reason=reason)

    def reply(self, actor: Actor, body: str, *, approves_resolution: bool = False) -> Outcome:
        return self.do(Reply, actor, body=body, approves_resolution=approves_resolution)

    def moves(self) -> list[tuple[str, str, bool]]:
        """The status changes of the last outcome: (source, target, chained)."""
        return [
            (e.source, e.target, e.chained)
            for e in self.outcome.events
            if isinstance(e, StatusChanged)
        ]


# How a request gets into each status, through the portal's own buttons and agent moves.
INTO: dict[str, tuple[Actor, str, str] | None] = {
    portal.IN_PROGRESS: None,
    portal.WAITING_FOR_CUSTOMER: (CAROL, "request_information", "Please make a test call"),
    portal.ON_HOLD: (CAROL, "put_on_hold", "Waiting for the SIP provider"),
    portal.ESCALATED: (ALICE, "escalate", "No response for a long time"),
    portal.UNDER_INVESTIGATION: (CAROL, "investigate", ""),
    portal.CANCELED: (CAROL, "cancel", "Opened by mistake"),
    portal.AWAITING_CONFIRMATION: (CAROL, "propose_resolution", ""),
    portal.CLOSED: (ALICE, "resolve", ""),
}


def request_in(status: str) -> Request:
    request = Request()
    step = INTO[status]
    if step is not None:
        request.press(*step)
    assert status == request.ticket.status
    return request


class TestStatuses:
    def test_eight_statuses_named_after_their_descriptions(self) -> None:
        """The portal has eight statuses, each with the category its description gives it.

        "The technical support portal uses the following statuses: ..." (eight entries)
        """
        expected = {
            "in_progress": Category.ACTIVE,
            "waiting_for_customer": Category.WAITING_ON_CUSTOMER,
            "on_hold": Category.ON_HOLD,
            "escalated": Category.ACTIVE,
            "under_investigation": Category.ACTIVE,
            "canceled": Category.CANCELED,
            "awaiting_confirmation": Category.RESOLVED,
            "closed": Category.CLOSED,
        }

        actual = {s.name: s.category for s in portal.WORKFLOW.statuses}

        assert expected == actual

    def test_a_new_request_is_in_progress(self) -> None:
        """A request starts in progress.

        "our specialists are already working on your request and will respond to you in
        the near future."
        """
        expected = portal.IN_PROGRESS

        assert expected == Request().ticket.status

    def test_waiting_for_the_customer_is_the_category_that_pauses_resolution(self) -> None:
        """Asking the customer for work puts the request in a waiting-on-customer status.

        "the work on your appeal is suspended, because some work on your part ... is
        required ... The time to resolution of the requests is also set to pause"
        """
        ticket = request_in(portal.WAITING_FOR_CUSTOMER).ticket

        expected = Category.WAITING_ON_CUSTOMER

        assert expected == portal.WORKFLOW.category(ticket.status)

    def test_on_hold_for_developers_or_a_third_party(self) -> None:
        """An agent puts a request on hold with the reason it waits for.

        "the assistance of the developers of the product is necessary ... response from
        the SIP-provider, and so on."
        """
        request = request_in(portal.IN_PROGRESS)

        request.press(CAROL, "put_on_hold", "Waiting for the SIP provider")

        expected = [(portal.IN_PROGRESS, portal.ON_HOLD, False)]
        assert expected == request.moves()

    def test_under_investigation_when_more_specialists_are_needed(self) -> None:
        """An agent moves a request under investigation.

        "The status is set if a detailed analysis and involvement of additional
        specialists are required to resolve the request."
        """
        expected = Category.ACTIVE

        ticket = request_in(portal.UNDER_INVESTIGATION).ticket

        assert expected == portal.WORKFLOW.category(ticket.status)

    def test_awaiting_confirmation_when_the_job_is_over(self) -> None:
        """An agent who finished the job asks the client to confirm; the request is resolved.

        "the status is set if the job on the request is over, but the client ... did not
        provide confirmation to close this request."
        """
        ticket = request_in(portal.AWAITING_CONFIRMATION).ticket

        expected = (Category.RESOLVED, START + timedelta(minutes=2), None)

        assert expected == (
            portal.WORKFLOW.category(ticket.status),
            ticket.resolved_at,
            ticket.closed_at,
        )


class TestEscalate:
    def test_escalate_sets_the_escalated_status(self) -> None:
        """The client's Escalate with a reason moves the request to escalated.

        "status will be set when you use an *Escalate* button."
        """
        request = Request()

        request.press(ALICE, "escalate", "No response for a long time")

        expected = [(portal.IN_PROGRESS, portal.ESCALATED, False)]
        assert expected == request.moves()

    def test_escalate_records_the_reason(self) -> None:
        """The escalation's reason travels in its event.

        "Example of reasons: dissatisfaction with the progress of work, no response for a
        long time"
        """
        request = Request()

        escalated, moved = request.press(
            ALICE, "escalate", "All internal numbers are down now"
        ).events

        assert isinstance(escalated, TicketEscalated)
        assert isinstance(moved, StatusChanged)
        assert (CHANGED_SCOPE, "All internal numbers are down now") == (
            escalated.reason,
            escalated.details,
        )

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_escalate_requires_a_reason(self, reason: str) -> None:
        """Escalate without a reason is refused and the request stays as it was.

        "The reason for the escalation is NOT: escalation without a clear reason"
        """
        request = Request()
        before = copy.deepcopy(request.ticket)

        with pytest.raises(EscalationRefusedError, match="no_reason: say why you escalate"):
            request.do(Escalate, ALICE, reason=reason)

        assert before == request.ticket

    def test_an_escalated_request_cannot_be_escalated_again(self) -> None:
        """Escalate is not offered on an escalated request.

        "This button is responsible for the process of drawing attention to the request"
        """
        request = request_in(portal.ESCALATED)

        escalate = next(
            a for a in allowed_actions(DESK, request.ticket, ALICE) if a.action == "escalate"
        )

        expected = (False, "wrong_status")
        assert expected == (escalate.allowed, escalate.code)


class TestResolveThisIssue:
    def test_resolve_this_issue_closes_the_request(self) -> None:
        """The client's Resolve this issue closes the request at once.

        "this button can be used when the client considers that the request can be
        resolved and gives permission to close it."
        """
        request = Request()

        request.press(ALICE, "resolve")

        expected = ([(portal.IN_PROGRESS, portal.CLOSED, False)], portal.CLOSED)
        assert expected == (request.moves(), request.ticket.status)
        assert request.ticket.closed_at is not None

    def test_resolve_this_issue_is_the_clients_button(self) -> None:
        """An agent cannot press the client's Resolve this issue.

        "The status is set, when all issues described in request are solved and client
        gave an approve to close this request"
        """
        request = request_in(portal.AWAITING_CONFIRMATION)

        with pytest.raises(PermissionDeniedError, match="only the role 'customer' may"):
            request.press(CAROL, "resolve")

    @pytest.mark.parametrize(
        "body",
        [
            "The question is exhausted, please close the request",
            "Everything works, the request can be closed",
        ],
    )
    def test_approval_given_in_a_comment_closes_the_request(self, body: str) -> None:
        """A client's reply flagged as approval closes the request in the same outcome.

        "It is also possible to give an approve to close the request by a comment"
        """
        request = request_in(portal.AWAITING_CONFIRMATION)

        request.reply(ALICE, body, approves_resolution=True)

        expected = [(portal.AWAITING_CONFIRMATION, portal.CLOSED, False)]
        assert expected == request.moves()

    @pytest.mark.parametrize("status", [portal.IN_PROGRESS, portal.AWAITING_CONFIRMATION])
    def test_close_request_text_without_the_flag_does_not_close(self, status: str) -> None:
        """Approval is never guessed from the text: without the flag the request stays open.

        "for example: "The question is exhausted, please close the request""
        """
        request = request_in(status)

        request.reply(ALICE, "The question is exhausted, please close the request")

        assert request.ticket.status != portal.CLOSED
        assert request.ticket.closed_at is None


class TestCancelRequest:
    def test_a_clients_cancel_lands_in_canceled_then_closed(self) -> None:
        """The client's Cancel request moves to canceled and on to closed in one outcome.

        "If this status is set by the client, the request will be closed (the status will
        be changed to "Closed")."
        """
        request = Request()

        request.press(ALICE, "cancel")

        expected = [
            (portal.IN_PROGRESS, portal.CANCELED, False),
            (portal.CANCELED, portal.CLOSED, True),
        ]
        assert expected == request.moves()
        assert request.ticket.closed_at is not None

    def test_an_agents_cancel_stays_canceled(self) -> None:
        """An agent's cancel leaves the request canceled, not closed.

        "the status is set when the button *Cancel request* is used."
        """
        request = Request()

        request.press(CAROL, "cancel", "Created by mistake")

        expected = ([(portal.IN_PROGRESS, portal.CANCELED, False)], None)
        assert expected == (request.moves(), request.ticket.closed_at)

    def test_a_canceled_request_is_closed_later_by_the_desk(self) -> None:
        """The desk closes a request an agent canceled.

        "if the request was created by mistake and there is no need to process it by the
        support agents, you can click on this button."
        """
        request = request_in(portal.CANCELED)

        request.press(ROBOT, "close")

        expected = portal.CLOSED
        assert expected == request.ticket.status


class TestDontNotifyMe:
    def test_dont_notify_me_mutes_the_request(self) -> None:
        """Don't notify me records that the client muted this request.

        "To disable notifications from the current request, please press this button."
        """
        request = Request()

        outcome = request.do(MuteNotifications, ALICE)

        expected = (NotificationsMuted, True)
        assert expected == (type(outcome.events[0]), request.ticket.notifications_muted)

    def test_notifications_are_on_by_default(self) -> None:
        """A new request notifies its client.

        "by default, the client receives a notification of any changes made in his open
        requests"
        """
        assert Request().ticket.notifications_muted is False


class TestWaitingForTheCustomer:
    def test_the_customers_reply_returns_the_request_to_work(self) -> None:
        """The client's answer while waiting for them moves the request back to in progress.

        "suspended ... until the required information is received."
        """
        request = request_in(portal.WAITING_FOR_CUSTOMER)

        request.reply(ALICE, "Test call done: no dial tone on 204")

        expected = [(portal.WAITING_FOR_CUSTOMER, portal.IN_PROGRESS, False)]
        assert expected == request.moves()

    def test_the_customers_answer_while_awaiting_confirmation_extends_the_work(self) -> None:
        """The client's answer while awaiting confirmation reopens the work.

        "If client will within 3 business days the response will be answered, the work on
        the request will be extended or closed, depending on the client's wishes."
        """
        request = request_in(portal.AWAITING_CONFIRMATION)

        request.reply(ALICE, "Still broken on extension 205")

        expected = ([(portal.AWAITING_CONFIRMATION, portal.IN_PROGRESS, False)], None)
        assert expected == (request.moves(), request.ticket.resolved_at)


class TestClosedIsFinal:
    def test_a_reply_to_a_closed_request_is_refused_with_a_new_request_hint(self) -> None:
        """A reply to a closed request is refused, telling to create a new request.

        "When this status is set, the request can't be opened. If you have additional
        questions after setting this status, you have to create new request"
        """
        request = request_in(portal.CLOSED)
        before = copy.deepcopy(request.ticket)

        with pytest.raises(TicketClosedError, match="open a new ticket as a follow-up") as raised:
            request.reply(ALICE, "One more question")

        assert "parent_id=the closed ticket's id" in str(raised.value)
        assert before == request.ticket

    def test_no_button_works_on_a_closed_request(self) -> None:
        """Every action on a closed request is refused as closed, for client and agent alike.

        "When this status is set, the request can't be opened."
        """
        ticket = request_in(portal.CLOSED).ticket

        codes = {a.code for actor in (ALICE, CAROL) for a in allowed_actions(DESK, ticket, actor)}

        expected = {"closed"}
        assert expected == codes

    def test_a_new_request_can_follow_up_on_a_closed_one(self) -> None:
        """A follow-up request names the closed one as its parent.

        "you have to create new request and ask them there."
        """
        closed = request_in(portal.CLOSED).ticket
        command = OpenTicket(
            actor=ALICE,
            at=closed.updated_at,
            ticket_id="R-2",
            subject="Question after R-1",
            parent_id=closed.id,
        )

        expected = ("R-1", portal.IN_PROGRESS)

        ticket = handle(DESK, None, command, parent=closed).ticket
        assert expected == (ticket.parent_id, ticket.status)


class TestAuthorization:
    def test_a_customer_cannot_act_on_someone_elses_request(self) -> None:
        """Another client can neither see nor change a request.

        "the client receives a notification of any changes made in his open requests"
        """
        request = Request()
        before = copy.deepcopy(request.ticket)

        with pytest.raises(PermissionDeniedError, match="not found or you are not permitted"):
            request.press(BOB, "cancel")

        assert visible_to(BOB, request.ticket) is False
        assert before == request.ticket


class TestButtons:
    @pytest.mark.parametrize(
        ("status", "buttons"),
        [
            (portal.IN_PROGRESS, ["Escalate", "Resolve this issue", "Cancel request"]),
            (portal.WAITING_FOR_CUSTOMER, ["Escalate", "Resolve this issue", "Cancel request"]),
            (portal.ON_HOLD, ["Escalate", "Resolve this issue", "Cancel request"]),
            (portal.ESCALATED, ["Resolve this issue", "Cancel request"]),
            (portal.UNDER_INVESTIGATION, ["Escalate", "Resolve this issue", "Cancel request"]),
            (portal.CANCELED, []),
            (portal.AWAITING_CONFIRMATION, ["Escalate", "Resolve this issue", "Cancel request"]),
            (portal.CLOSED, []),
        ],
    )
    def test_the_clients_buttons_in_each_status(self, status: str, buttons: list[str]) -> None:
        """The client's buttons, drawn from allowed_actions, fit the request's status.

        "On the request page, the following functional buttons are available"
        """
        ticket = request_in(status).ticket

        actual = [a.label for a in allowed_actions(DESK, ticket, ALICE) if a.allowed]

        assert buttons == actual

    def test_only_escalate_asks_the_client_for_a_reason(self) -> None:
        """Of the client's buttons only Escalate asks for a reason.

        "**Escalate** - This button is responsible for the process of drawing attention"
        """
        ticket = Request().ticket

        expected = {"escalate": ("reason", "details"), "resolve": (), "cancel": ()}

        actual = {a.action: a.asks_for for a in allowed_actions(DESK, ticket, ALICE) if a.allowed}
        assert expected == actual


def test_every_scenario_replays() -> None:
    """A request driven through the portal replays from its events to the same ticket.

    "the status will be changed to "Closed""
    """
    request = request_in(portal.WAITING_FOR_CUSTOMER)
    request.reply(ALICE, "Done")
    request.press(CAROL, "propose_resolution")
    request.reply(ALICE, "Everything works", approves_resolution=True)

    assert request.ticket == replay(request.events)
