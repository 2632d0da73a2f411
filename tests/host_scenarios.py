"""The tickets the host's tests store: the support-portal desk, its customer and agent,
and the commands of a short life."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ticketflow import Actor, Command, OpenTicket, PerformAction, Reply, next_due
from ticketflow.host import Store, execute, load
from ticketflow.presets import support_portal

DESK = support_portal.desk()
ALICE = Actor.customer("alice")
BOB = Actor.agent("bob")
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def opening(ticket_id: str = "T-1", at: datetime = AT) -> OpenTicket:
    """Alice opens ``ticket_id``."""
    return OpenTicket(actor=ALICE, at=at, ticket_id=ticket_id, subject="No dial tone")


def reply(body: str, at: datetime = AT, who: Actor = BOB) -> Reply:
    """A public reply."""
    return Reply(actor=who, at=at, body=body)


def propose(at: datetime = AT) -> PerformAction:
    """Bob proposes a resolution (the portal then reminds alice and closes the ticket)."""
    return PerformAction(actor=BOB, at=at, action="propose_resolution")


def open_ticket(store: Store, ticket_id: str = "T-1") -> None:
    """Open ``ticket_id`` in ``store``."""
    execute(store, DESK, ticket_id, opening(ticket_id))


def due_of(store: Store, ticket_id: str) -> datetime:
    """When the stored ticket's next rule falls due."""
    ticket = load(store, ticket_id)
    assert ticket is not None
    due = next_due(DESK, ticket)
    assert due is not None
    return due


LATER = AT + timedelta(days=60)
COMMANDS: tuple[type[Command], ...] = (OpenTicket, Reply, PerformAction)
