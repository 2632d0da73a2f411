"""Commands check the types of their fields when they are built (``_commands.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest

from ticketflow import (
    Actor,
    AttachFile,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    NonexistentInstantError,
    OpenTicket,
    PerformAction,
    Reply,
    SetField,
    TicketflowError,
    handle,
    tick,
)
from ticketflow.presets import support_portal

ALICE = Actor.customer("alice")


def loosely(cls: type[T]) -> Any:
    """``cls`` as a host that copies untyped form values into a command calls it."""
    return cls


# The commands, called with values of any type (mypy would refuse them, which is the point).
REPLY, OPEN, PERFORM = loosely(Reply), loosely(OpenTicket), loosely(PerformAction)


AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
T = TypeVar("T")


class TestWrongTypes:
    @pytest.mark.parametrize(
        ("build", "message"),
        [
            (
                lambda: REPLY(actor=ALICE, at=AT, body=None),
                r"Reply\.body must be a string",
            ),
            (
                lambda: OPEN(actor=ALICE, at=AT, ticket_id="T-1", subject=None),
                r"OpenTicket\.subject must be a string",
            ),
            (
                lambda: OPEN(actor=ALICE, at=AT, ticket_id=7, subject="Hi"),
                r"OpenTicket\.ticket_id must be a string, got int 7",
            ),
            (
                lambda: REPLY(actor=ALICE, at="2026-03-02T09:00:00Z", body="x"),
                r"Reply\.at must be an aware datetime, got str",
            ),
            (lambda: REPLY(actor=ALICE, at=date(2026, 3, 2), body="x"), r"got date"),
            (
                lambda: REPLY(actor="alice", at=AT, body="x"),
                r"Reply\.actor must be an Actor",
            ),
            (lambda: REPLY(actor=ALICE, at=AT, body="x", public=1), r"must be a boolean"),
            (
                lambda: OPEN(actor=ALICE, at=AT, ticket_id="T", subject="s", support_level="2"),
                r"support_level must be an integer",
            ),
            (
                lambda: OPEN(actor=ALICE, at=AT, ticket_id="T", subject="s", support_level=True),
                r"support_level must be an integer, got bool",
            ),
            (
                lambda: PERFORM(actor=ALICE, at=AT, action="snooze", until="tomorrow"),
                r"PerformAction\.until must be an aware datetime",
            ),
        ],
        ids=[
            "reply-body-none",
            "subject-none",
            "integer-ticket-id",
            "at-string",
            "at-date",
            "actor-string",
            "flag-integer",
            "level-string",
            "level-bool",
            "until-string",
        ],
    )
    def test_a_field_of_the_wrong_type_is_refused_when_the_command_is_built(
        self, build: object, message: str
    ) -> None:
        """A command refuses a field of the wrong type with InvalidTypeError, naming the field."""
        with pytest.raises(InvalidTypeError, match=message):
            build()  # type: ignore[operator]

    def test_the_refusal_is_also_the_builtin_a_caller_would_catch(self) -> None:
        """InvalidTypeError is a TypeError as well as a TicketflowError."""
        assert issubclass(InvalidTypeError, TypeError)
        assert issubclass(InvalidTypeError, TicketflowError)


class TestTextADatabaseCannotStore:
    @pytest.mark.parametrize(
        ("text", "what"),
        [
            ("T-\x001", "holds a NUL character, which no database text column stores; remove it"),
            ("T-\ud8001", "holds a lone surrogate ('\\ud800'), which no UTF-8 text can hold"),
        ],
    )
    def test_a_ticket_id_a_database_cannot_store_is_refused(self, text: str, what: str) -> None:
        """Given a ticket id holding NUL (PostgreSQL's text refuses it) or a lone
        surrogate (no UTF-8 text holds one), when the opening is built, then an
        InvalidValueError names the field and what it holds."""
        with pytest.raises(InvalidValueError) as raised:
            OpenTicket(actor=ALICE, at=AT, ticket_id=text, subject="Hi")

        assert str(raised.value).startswith(f"OpenTicket.ticket_id {what}")

    def test_an_actor_whose_id_holds_nul_is_refused(self) -> None:
        """Given an id holding NUL, when the actor is built, then it is refused, before
        any ticket it opens would hold a requester no outbox can store."""
        with pytest.raises(InvalidValueError, match=r"^Actor\.id holds a NUL character"):
            Actor.customer("al\x00ice")

    def test_text_in_any_script_is_kept(self) -> None:
        """Given a subject in Cyrillic with an emoji, when the opening is built, then it
        keeps it as written."""
        command = OpenTicket(actor=ALICE, at=AT, ticket_id="T-1", subject="Нет гудка ☎️")

        assert "Нет гудка ☎️" == command.subject


class TestInstants:
    def test_a_naive_instant_is_refused_when_the_command_is_built(self) -> None:
        """A naive ``at`` raises NaiveDatetimeError, saying how to give it a zone."""
        with pytest.raises(NaiveDatetimeError, match="give it a time zone"):
            Reply(actor=ALICE, at=datetime(2026, 3, 2, 9), body="x")  # noqa: DTZ001

    def test_a_wall_time_inside_a_dst_gap_is_refused(self) -> None:
        """02:30 in Berlin on 2026-03-29 never happened: no command can happen then."""
        with pytest.raises(NonexistentInstantError, match="a wall time the clocks skipped"):
            Reply(actor=ALICE, at=datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN), body="x")

    def test_both_passes_of_a_repeated_hour_are_instants(self) -> None:
        """02:30 in Berlin on 2026-10-25 happened twice; either pass is a valid instant."""
        first = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)

        replies = [Reply(actor=ALICE, at=first.replace(fold=f), body="x") for f in (0, 1)]

        assert [0, 1] == [r.at.fold for r in replies]

    def test_tick_refuses_a_date_for_now(self) -> None:
        """``tick(desk, ticket, date(...))`` raises InvalidTypeError, not AttributeError."""
        desk = support_portal.desk()
        ticket = handle(
            desk, None, OpenTicket(actor=ALICE, at=AT, ticket_id="T-1", subject="Hi")
        ).ticket

        with pytest.raises(InvalidTypeError, match=r"now must be an aware datetime, got date"):
            tick(desk, ticket, date(2026, 3, 3))  # type: ignore[arg-type]


class TestFieldValues:
    @pytest.mark.parametrize(
        "value", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "-inf"]
    )
    def test_set_field_refuses_a_number_that_breaks_equality_or_json(self, value: float) -> None:
        """NaN and the infinities break replay equality and strict JSON: refused."""
        with pytest.raises(InvalidValueError, match="store a finite number"):
            SetField(actor=ALICE, at=AT, name="ratio", value=value)

    @pytest.mark.parametrize("value", [[1], {}, (1,), b"x"], ids=["list", "dict", "tuple", "bytes"])
    def test_set_field_refuses_a_value_that_is_not_a_json_scalar(self, value: object) -> None:
        """A list, a dict, a tuple or bytes cannot be a field value."""
        with pytest.raises(InvalidTypeError, match="field 'x' must be a string, an integer"):
            SetField(actor=ALICE, at=AT, name="x", value=value)  # type: ignore[arg-type]

    def test_open_ticket_refuses_unhashable_field_values(self) -> None:
        """OpenTicket(fields={"a": [1]}) is refused: the ticket could not be hashed or stored."""
        with pytest.raises(InvalidTypeError):
            OPEN(actor=ALICE, at=AT, ticket_id="T-1", subject="Hi", fields={"a": [1]})

    def test_set_field_may_remove_a_field_with_none(self) -> None:
        """None is the one non-scalar SetField takes: it removes the field."""
        assert SetField(actor=ALICE, at=AT, name="x", value=None).value is None


# -- attaching a file (issue 14, deliverable 1) ----------------------------------------------

ATTACH = loosely(AttachFile)
A_FILE: dict[str, object] = {
    "name": "error-500.png",
    "size": 48_213,
    "media_type": "image/png",
    "reference": "uploads/7f3a",
}


class TestAttachFile:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", None, r"AttachFile\.name must be a string"),
            ("size", "48213", r"AttachFile\.size must be an integer"),
            ("size", True, r"AttachFile\.size must be an integer, got bool"),
            ("size", 1.5, r"AttachFile\.size must be an integer"),
            ("media_type", b"image/png", r"AttachFile\.media_type must be a string"),
            ("reference", 7, r"AttachFile\.reference must be a string"),
        ],
        ids=["name-none", "size-string", "size-bool", "size-float", "media-bytes", "ref-int"],
    )
    def test_a_field_of_the_wrong_type_is_refused_when_the_command_is_built(
        self, field: str, value: object, message: str
    ) -> None:
        """Given a host copying an upload form, when a field has the wrong type, then
        building AttachFile raises InvalidTypeError naming the field."""
        with pytest.raises(InvalidTypeError, match=message):
            ATTACH(actor=ALICE, at=AT, **{**A_FILE, field: value})

    def test_a_size_beyond_64_bits_is_refused_when_the_command_is_built(self) -> None:
        """Given a size no database column holds, then AttachFile refuses it as a value."""
        with pytest.raises(InvalidValueError, match=r"AttachFile\.size"):
            ATTACH(actor=ALICE, at=AT, **{**A_FILE, "size": 2**64})

    def test_a_well_typed_command_keeps_what_it_was_given(self) -> None:
        """Given well-typed fields, then AttachFile holds them as given."""
        command = AttachFile(actor=ALICE, at=AT, **A_FILE)  # type: ignore[arg-type]

        assert A_FILE == {name: getattr(command, name) for name in A_FILE}
