"""Sweeping a ticket's time-driven rules in several ticks, for the batch-invariance
properties of the timers and of the SLA clocks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ticketflow import Desk, Event, Ticket, tick


def tick_in_steps(
    desk: Desk, ticket: Ticket, instants: Iterable[datetime]
) -> tuple[Ticket, list[Event]]:
    """``tick`` at each of ``instants`` in turn: the ticket after the last, and every
    event on the way."""
    events: list[Event] = []
    for at in instants:
        outcome = tick(desk, ticket, at)
        ticket = outcome.ticket
        events.extend(outcome.events)
    return ticket, events
