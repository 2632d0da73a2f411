"""The public namespace, as a caller meets it: every public function given a value of
the wrong type, in any argument, refuses with a typed ``TicketflowError`` that says
what it wanted, never an ``AttributeError`` or a ``TypeError`` from deep inside."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import ticketflow
from ticketflow import (
    Actor,
    Escalate,
    OpenTicket,
    PerformAction,
    TicketflowError,
    handle,
)
from ticketflow.presets import support_portal

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DESK = support_portal.desk()
ALICE = Actor.customer("alice")
OPENED = handle(DESK, None, OpenTicket(actor=ALICE, at=AT, ticket_id="T-1", subject="Hi"))
TICKET = OPENED.ticket
LATER = AT + timedelta(hours=1)
MOVE = PerformAction(
    actor=Actor.agent("bob"), at=LATER, action="request_information", reason="logs, please"
)

# Each public function with arguments it accepts: the arguments a test replaces, one at
# a time, by a value of the wrong type.
CALLS: dict[str, tuple[Callable[..., Any], dict[str, object]]] = {
    "allowed_actions": (
        ticketflow.allowed_actions,
        {"desk": DESK, "ticket": TICKET, "actor": ALICE},
    ),
    "decide": (ticketflow.decide, {"desk": DESK, "ticket": TICKET, "command": MOVE}),
    "entered": (ticketflow.entered, {"category": "resolved"}),
    "escalation_blockers": (
        ticketflow.escalation_blockers,
        {"desk": DESK, "ticket": TICKET, "actor": ALICE, "at": LATER},
    ),
    "evolve": (
        ticketflow.evolve,
        {"ticket": TICKET, "event": handle(DESK, TICKET, MOVE).events[0]},
    ),
    "explain": (
        ticketflow.explain,
        {"desk": DESK, "ticket": TICKET, "metric": "resolution", "at": LATER},
    ),
    "follow_up": (
        ticketflow.follow_up,
        {"ticket": TICKET, "actor": ALICE, "at": LATER, "ticket_id": "T-2"},
    ),
    "handle": (ticketflow.handle, {"desk": DESK, "ticket": TICKET, "command": MOVE}),
    "next_due": (ticketflow.next_due, {"desk": DESK, "ticket": TICKET}),
    "notifications": (ticketflow.notifications, {"desk": DESK, "outcome": OPENED}),
    "replay": (ticketflow.replay, {"events": OPENED.events}),
    "sla_status": (ticketflow.sla_status, {"desk": DESK, "ticket": TICKET, "at": LATER}),
    "tick": (ticketflow.tick, {"desk": DESK, "ticket": TICKET, "now": LATER}),
    "validate_escalation": (
        ticketflow.validate_escalation,
        {
            "desk": DESK,
            "ticket": TICKET,
            "request": Escalate(actor=ALICE, at=LATER, reason="other", details="x" * 40),
            "at": LATER,
        },
    ),
    "visible_to": (ticketflow.visible_to, {"actor": ALICE, "ticket": TICKET}),
}

# Values of the wrong type for every argument above (a string stands for a name where a
# name is wanted, so it is not among them: see WRONG_FOR).
WRONG: tuple[object, ...] = (None, 42, date(2026, 3, 2), object(), [TICKET], {"id": "T-1"})
# A string is right for a name, wrong for anything else.
NAMES = frozenset({"category", "metric", "ticket_id"})


def wrong_calls() -> list[tuple[str, str, object]]:
    return [
        (name, argument, value)
        for name, (_, arguments) in sorted(CALLS.items())
        for argument in arguments
        for value in (*WRONG, *(() if argument in NAMES else ("T-1",)))
        # None is a right value where the signature allows it (no ticket yet).
        if not (value is None and name in {"decide", "handle", "evolve"} and argument == "ticket")
    ]


class TestWrongTypes:
    def test_every_public_function_is_covered(self) -> None:
        """The table names every public function, so a new one cannot skip the check."""
        functions = {
            name for name in ticketflow.__all__ if inspect.isfunction(getattr(ticketflow, name))
        }

        assert functions == set(CALLS)

    @pytest.mark.parametrize(("name", "argument", "value"), wrong_calls())
    def test_a_value_of_the_wrong_type_is_a_typed_refusal(
        self, name: str, argument: str, value: object
    ) -> None:
        """A value of the wrong type in any argument of a public function is refused with
        a TicketflowError naming what was expected."""
        function, arguments = CALLS[name]

        with pytest.raises(TicketflowError):
            function(**{**arguments, argument: value})

    @pytest.mark.parametrize("name", sorted(CALLS))
    def test_the_arguments_of_the_table_are_accepted(self, name: str) -> None:
        """The table's own arguments are right: each function answers them (so a refusal
        above is the wrong value's doing)."""
        function, arguments = CALLS[name]

        function(**arguments)
