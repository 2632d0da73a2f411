"""Alice's request on the support portal, for the escalation and notification tests
(``test_escalation.py``, ``test_notifications.py``).

Instants are fixed, in the portal's Moscow business hours (Monday to Friday,
09:00-18:00; 2 March 2026 is a Monday); time moves with ``tick``.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ticketflow import (
    Actor,
    Assign,
    Command,
    Desk,
    Escalate,
    Event,
    OpenTicket,
    Outcome,
    Reply,
    Ticket,
    handle,
    notifications,
)
from ticketflow.presets import support_portal as portal

MOSCOW = ZoneInfo("Europe/Moscow")
DESK = portal.desk()


ALICE = Actor.customer("alice")
BOB = Actor.customer("bob")
CAROL = Actor.agent("carol")
DAVE = Actor.agent("dave")


SCOPE = "now all internal numbers are down, not only 204"
JUSTIFICATION = "our call centre opens tomorrow and cannot take a single call"


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in March 2026, Moscow time (2 March is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=MOSCOW)


MONDAY = moscow(2, 10)


def life(desk: Desk, ticket: Ticket | None, *commands: Command) -> tuple[Ticket, list[Event]]:
    """Handle ``commands`` in order; the final ticket and every event."""
    events: list[Event] = []
    for command in commands:
        outcome = handle(desk, ticket, command)
        ticket = outcome.ticket
        events.extend(outcome.events)
    assert ticket is not None
    return ticket, events


def opened(desk: Desk = DESK) -> Ticket:
    """Alice's request, opened on Monday at 10:00 and assigned to carol in group voice."""
    ticket, _ = life(
        desk,
        None,
        OpenTicket(actor=ALICE, at=MONDAY, ticket_id="R-1", subject="Extension 204 is silent"),
        Assign(actor=CAROL, at=moscow(2, 10, 5), assignee="carol", group="voice"),
    )
    return ticket


def answered() -> Ticket:
    """Alice's request, answered by carol on Monday at 10:10 (first response met)."""
    ticket, _ = life(
        DESK, opened(), Reply(actor=CAROL, at=moscow(2, 10, 10), body="Which extensions?")
    )
    return ticket


def escalate(reason: str, details: str = "", *, at: datetime, actor: Actor = ALICE) -> Escalate:
    return Escalate(actor=actor, at=at, reason=reason, details=details)


def told(outcome: Outcome, desk: Desk = DESK) -> list[tuple[str, str, str]]:
    """Whom the outcome notifies: (recipient, kind, message)."""
    return [(n.recipient, n.kind, n.message) for n in notifications(desk, outcome)]
