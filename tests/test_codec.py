"""The codec: JSON documents for tickets and events, and back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings

from strategies import command_sequences
from ticketflow import (
    Actor,
    CommandRefusedError,
    Event,
    NaiveDatetimeError,
    OpenTicket,
    Ticket,
    handle,
    replay,
    tick,
)
from ticketflow.codec import (
    DocumentError,
    event_from_document,
    from_document,
    ticket_from_document,
    to_document,
)
from ticketflow.presets import support_portal as portal

BERLIN = ZoneInfo("Europe/Berlin")


def opened() -> Ticket:
    return handle(
        portal.desk(),
        None,
        OpenTicket(
            actor=Actor.customer("alice"),
            at=datetime(2026, 3, 2, 9, tzinfo=BERLIN),
            ticket_id="T-1",
            subject="No dial tone",
            fields={"impact": "high", "seats": 12, "vip": True},  # type: ignore[arg-type]
        ),
    ).ticket


class TestRoundTrip:
    def test_a_ticket_survives_json(self) -> None:
        """A ticket written to JSON and read back is the same ticket, zones included."""
        ticket = opened()

        back = ticket_from_document(json.loads(json.dumps(to_document(ticket))))

        assert ticket == back
        assert BERLIN == back.created_at.tzinfo

    def test_instants_keep_their_zone_name(self) -> None:
        """An instant in a named zone is written with its RFC 9557 zone suffix."""
        document = to_document(opened())

        assert "2026-03-02T09:00:00+01:00[Europe/Berlin]" == document["created_at"]

    def test_sla_clocks_survive_json(self) -> None:
        """A ticket with running SLA clocks (timedeltas, segments) round-trips."""
        ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket

        assert ticket == ticket_from_document(json.loads(json.dumps(to_document(ticket))))

    @settings(max_examples=50)
    @given(command_sequences(portal.WORKFLOW, max_size=15))
    def test_stored_events_replay_to_the_same_ticket(self, commands: list[object]) -> None:
        """Events stored as JSON and read back replay to the ticket they built."""
        desk = portal.desk()
        ticket: Ticket | None = None
        events: list[Event] = []
        for command in commands:
            try:
                outcome = handle(desk, ticket, command)  # type: ignore[arg-type]
            except (CommandRefusedError, NaiveDatetimeError):
                continue
            ticket, events = outcome.ticket, [*events, *outcome.events]
        if ticket is None:
            return
        stored = json.loads(json.dumps([to_document(e) for e in events]))

        assert ticket == replay(event_from_document(d) for d in stored)


class TestRefusals:
    def test_unknown_type(self) -> None:
        """A document naming no ticketflow type is refused, saying so."""
        with pytest.raises(DocumentError, match="'type' must name a ticketflow value"):
            from_document({"type": "Spaceship"})

    def test_missing_field(self) -> None:
        """A document missing a required field names the field."""
        document = to_document(opened())
        del document["subject"]

        with pytest.raises(DocumentError, match=r"document\.subject: is missing"):
            from_document(document)

    def test_naive_instant(self) -> None:
        """An instant without an offset is refused, not guessed."""
        document = to_document(opened())
        document["created_at"] = "2026-03-02T09:00:00"

        with pytest.raises(DocumentError, match="has no UTC offset"):
            from_document(document)

    def test_an_event_reader_refuses_a_ticket(self) -> None:
        """Reading a ticket's document as an event is refused."""
        with pytest.raises(DocumentError, match="Ticket is not an event"):
            event_from_document(to_document(opened()))

    def test_a_ticket_reader_refuses_an_actor(self) -> None:
        """Reading an actor's document as a ticket is refused."""
        with pytest.raises(DocumentError, match="Actor is not a ticket"):
            ticket_from_document(to_document(Actor.agent("bob")))

    def test_wrong_shape(self) -> None:
        """A field of the wrong shape names where it is."""
        document = to_document(opened())
        document["version"] = "one"

        with pytest.raises(DocumentError, match=r"document\.version: expected int"):
            from_document(document)

    def test_timedelta_is_microseconds(self) -> None:
        """A duration is written as whole microseconds."""
        ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket
        clocks = to_document(ticket)["clocks"]

        assert isinstance(clocks, list)
        assert timedelta(hours=4) // timedelta(microseconds=1) == clocks[0]["target"]  # type: ignore[index,call-overload]
