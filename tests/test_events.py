"""Events (``_events.py``): frozen values in the past tense, each carrying what ``evolve``
needs, checked field by field when a stored one is read back (``check_event``)."""

from __future__ import annotations

import json
import typing

import attrs
import pytest

import ticketflow
from scenarios import CAROL, opened, replied, t
from ticketflow import (
    ActionPerformed,
    Event,
    FileAttached,
    InvalidTypeError,
    NaiveDatetimeError,
    NotificationPolicy,
    NotificationRule,
    ReplyAdded,
    StatusChanged,
    codec,
)
from ticketflow._events import check_event
from ticketflow.presets import support_portal as portal

EVENT_CLASSES = typing.get_args(Event)


class TestValues:
    def test_an_event_cannot_be_changed(self) -> None:
        """Setting a field of a recorded event raises: what happened stays as it was."""
        event = replied(2, "hi")

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            event.body = "edited"  # type: ignore[misc]

    def test_fields_are_given_by_keyword(self) -> None:
        """An event's fields are keyword-only, so a stored row cannot be read in the wrong
        order."""
        with pytest.raises(TypeError):
            ReplyAdded("T-1", t(1), CAROL, 2, "hi")  # type: ignore[call-arg]

    def test_equal_events_are_equal_and_hash_alike(self) -> None:
        """Two events of the same fields are equal and have one hash."""
        assert (replied(2, "hi"), hash(replied(2, "hi"))) == (
            replied(2, "hi"),
            hash(replied(2, "hi")),
        )

    def test_a_status_change_carries_the_category_of_its_target(self) -> None:
        """A StatusChanged records its target's category, so replay needs no workflow."""
        assert "category" in attrs.fields_dict(StatusChanged)

    def test_every_event_is_public_and_past_tense(self) -> None:
        """Every class of the Event union is exported by ``ticketflow`` and named in the
        past tense (…ed, or SlaBreached's kin), never an imperative."""
        names = [cls.__name__ for cls in EVENT_CLASSES]

        assert set() == set(names) - set(ticketflow.__all__)
        assert [] == [n for n in names if not n.endswith(("ed", "Sent"))]


class TestCheckEvent:
    def test_a_well_formed_event_is_returned_as_it_is(self) -> None:
        """``check_event`` of a well-formed event returns that event."""
        event = opened()

        assert event is check_event(event)

    def test_something_that_is_not_an_event_is_refused_saying_what_to_give(self) -> None:
        """A stored row that is no event is an InvalidTypeError quoting it."""
        with pytest.raises(InvalidTypeError) as raised:
            check_event({"kind": "ReplyAdded"})

        expected = (
            "an event must be a ticketflow event, got dict {'kind': 'ReplyAdded'}; "
            "give a ticketflow event"
        )
        assert expected == str(raised.value)

    def test_a_field_of_the_wrong_type_is_refused_naming_the_field(self) -> None:
        """A reply whose body is not a string is refused, naming ``ReplyAdded.body``."""
        event = attrs.evolve(replied(2, "hi"), body=5)  # type: ignore[arg-type]

        with pytest.raises(InvalidTypeError, match=r"ReplyAdded\.body"):
            check_event(event)

    def test_a_naive_instant_is_refused(self) -> None:
        """An event stamped with a naive datetime names no instant: refused."""
        event = replied(2, "hi", at=t(2).replace(tzinfo=None))

        with pytest.raises(NaiveDatetimeError, match=r"ReplyAdded\.at"):
            check_event(event)


# -- the self-loop's event (issue 12, deliverable 4) ------------------------------------------

PERFORMED = ActionPerformed(
    ticket_id="T-1",
    at=t(5),
    actor=CAROL,
    version=3,
    action="schedule",
    status="scheduled",
    reason="the customer asked for Friday",
    until=t(50),
)


class TestActionPerformed:
    def test_it_round_trips_through_the_codec(self) -> None:
        """An ActionPerformed written by the codec reads back equal, through JSON too
        (the codec finds it in the Event union by its "type")."""
        document = codec.to_document(PERFORMED)

        assert (PERFORMED, PERFORMED) == (
            codec.event_from_document(document),
            codec.event_from_document(json.loads(json.dumps(document))),
        )

    def test_a_stored_one_is_checked_field_by_field(self) -> None:
        """A stored ActionPerformed whose wake-up instant is naive is refused on replay's
        check, like any event's instant."""
        naive = attrs.evolve(PERFORMED, until=t(50).replace(tzinfo=None))

        with pytest.raises(NaiveDatetimeError):
            check_event(naive)

    def test_it_names_the_status_it_stays_in_and_no_target(self) -> None:
        """An ActionPerformed records the one status the ticket stays in: it has no
        source, target or category that would read as a change."""
        assert ({"action", "status"}, set()) == (
            {"action", "status"} & set(attrs.fields_dict(ActionPerformed)),
            {"source", "target", "category"} & set(attrs.fields_dict(ActionPerformed)),
        )


# -- a file attached (issue 14, deliverable 1) ------------------------------------------------

ATTACHED = FileAttached(
    ticket_id="T-1",
    at=t(5),
    actor=CAROL,
    version=3,
    name="invoice-2026-03.pdf",
    size=120_431,
    media_type="application/pdf",
    reference="uploads/9c1e",
)


class TestFileAttached:
    def test_it_round_trips_through_the_codec(self) -> None:
        """Given a FileAttached, when the codec writes it and reads it back, through JSON
        too, then it is equal (the codec finds it in the Event union by its "type")."""
        document = codec.to_document(ATTACHED)

        assert (ATTACHED, ATTACHED) == (
            codec.event_from_document(document),
            codec.event_from_document(json.loads(json.dumps(document))),
        )

    def test_it_carries_the_file_and_not_its_bytes(self) -> None:
        """A FileAttached records the name, size, media type and the host's reference,
        and no field for the bytes themselves."""
        fields = set(attrs.fields_dict(FileAttached))

        assert ({"name", "size", "media_type", "reference"}, set()) == (
            {"name", "size", "media_type", "reference"} & fields,
            {"content", "data", "bytes"} & fields,
        )

    def test_a_stored_one_with_a_size_of_the_wrong_type_is_refused(self) -> None:
        """Given a stored FileAttached whose size is a string, then replay's check refuses
        it naming ``FileAttached.size``."""
        wrong = attrs.evolve(ATTACHED, size="120431")  # type: ignore[arg-type]

        with pytest.raises(InvalidTypeError, match=r"FileAttached\.size must be an integer"):
            check_event(wrong)

    def test_a_notification_rule_may_name_it(self) -> None:
        """Given a rule on "FileAttached", then the policy finds no problem in the name
        and the rule matches a FileAttached and no other event."""
        rule = NotificationRule(on="FileAttached", recipients=["requester"], message="file_added")

        assert ([], True, False) == (
            NotificationPolicy([rule]).problems(portal.WORKFLOW),
            rule.matches(ATTACHED),
            rule.matches(replied(2, "hi")),
        )
