"""The codec: JSON documents for tickets and events, and back."""

from __future__ import annotations

import contextlib
import copy
import enum
import json
import math
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from pathlib import Path
from typing import Any, Final, TypeVar, cast
from zoneinfo import TZPATH, ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codec_strategies import codec_values, preset_desks
from strategies import command_sequences
from ticketflow import (
    Actor,
    Assign,
    AutoClose,
    BusinessDays,
    ChangePriority,
    Command,
    CommandRefusedError,
    Desk,
    Event,
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    NonexistentInstantError,
    OpenTicket,
    OutOfRangeError,
    PerformAction,
    Reply,
    ReplyAdded,
    SetField,
    SlaWarningReached,
    Ticket,
    Window,
    allowed_actions,
    codec,
    handle,
    replay,
    tick,
)
from ticketflow._instants import utc
from ticketflow.codec import (
    SCHEMA,
    DocumentError,
    event_from_document,
    from_document,
    ticket_from_document,
    to_document,
)
from ticketflow.presets import escalation_process, hosting_portal, support_portal
from ticketflow.presets import support_portal as portal

BERLIN = ZoneInfo("Europe/Berlin")


def opened() -> Ticket:
    return handle(
        portal.desk(),
        None,
        OpenTicket(
            actor=Actor.agent("carol"),  # staff may set custom fields when opening
            at=datetime(2026, 3, 2, 9, tzinfo=BERLIN),
            ticket_id="T-1",
            subject="No dial tone",
            requester="alice",
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

    def test_a_ticket_keeps_its_last_update_through_json(self) -> None:
        """A ticket's last update is written as an instant with its zone and read back."""
        ticket = opened()

        document = json.loads(json.dumps(to_document(ticket)))

        assert "2026-03-02T09:00:00+01:00[Europe/Berlin]" == document["last_update_at"]
        assert ticket.last_update_at == ticket_from_document(document).last_update_at

    def test_a_ticket_stored_before_the_last_update_existed_still_reads(self) -> None:
        """A ticket document without last_update_at (written before tickets kept it) reads
        as the same ticket with no last update."""
        document = to_document(opened())
        del document["last_update_at"]

        assert attrs.evolve(opened(), last_update_at=None) == ticket_from_document(document)

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

        with pytest.raises(DocumentError, match=r"document\.version: expected an integer"):
            from_document(document)

    def test_timedelta_is_microseconds(self) -> None:
        """A duration is written as whole microseconds."""
        ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket
        clocks = to_document(ticket)["clocks"]

        assert isinstance(clocks, list)
        assert timedelta(hours=4) // timedelta(microseconds=1) == clocks[0]["target"]  # type: ignore[index,call-overload]


# -- hardening (issue 10) ---------------------------------------------------------------

GAP = datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN)  # Berlin skips 02:00-03:00 that day
FOLD_TEXT = "2026-10-25T02:10:00+01:00[Europe/Berlin]"  # the second 02:10 that day, 01:10Z
V = TypeVar("V")


def corrupted(original: V, /, **changes: object) -> V:
    """``value`` with ``changes`` forced past its constructor's checks: a value as a host
    may hold it from before those checks, or from code that bypassed them."""
    forced = attrs.evolve(original)  # type: ignore[misc]
    for name, item in changes.items():
        object.__setattr__(forced, name, item)
    return forced


def reply_added(at: datetime = datetime(2026, 3, 2, 9, tzinfo=BERLIN)) -> ReplyAdded:
    return ReplyAdded(ticket_id="T-1", at=at, actor=Actor.agent("bob"), version=2, body="Hi")


def warning() -> SlaWarningReached:
    """An SLA warning event, as a ticket's first clock would record it."""
    ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket
    return SlaWarningReached(
        ticket_id=ticket.id,
        at=ticket.updated_at,
        actor=Actor.system(),
        version=ticket.version + 1,
        clock=ticket.clocks[0],
        fraction=0.5,
    )


def with_field(document: dict[str, Any], key: str, value: object) -> dict[str, Any]:
    """A copy of ``document`` with ``key`` set to ``value``."""
    return {**document, key: value}


def ticket_document() -> dict[str, Any]:
    return to_document(opened())


def deep(depth: int = 10_000) -> dict[str, object]:
    """A dict nested ``depth`` deep, as ``json.loads`` builds from a short text."""
    root: dict[str, object] = {}
    inner = root
    for _ in range(depth):
        inner["x"] = inner = {}
    return root


class TestInstantsRoundTripExactly:
    def test_an_instant_in_a_dst_gap_is_refused_on_encode(self) -> None:
        """A wall time the clocks skipped is refused when written, not stored as another instant."""
        with pytest.raises(NonexistentInstantError, match="a DST gap"):
            to_document(corrupted(reply_added(), at=GAP))

    def test_an_instant_in_a_dst_gap_is_refused_on_decode(self) -> None:
        """A document whose wall time is in a DST gap is refused, not read as an hour later."""
        document = with_field(
            ticket_document(), "updated_at", "2026-03-29T02:30:00+01:00[Europe/Berlin]"
        )

        with pytest.raises(DocumentError, match=r"document\.updated_at: .*a DST gap"):
            from_document(document)

    def test_an_offset_that_is_not_the_zones_is_refused_on_decode(self) -> None:
        """An offset that the zone does not have at that wall time is refused, not moved."""
        document = with_field(
            ticket_document(), "updated_at", "2026-03-02T10:00:00+05:00[Europe/Berlin]"
        )

        with pytest.raises(DocumentError, match=r"its offset is not Europe/Berlin's"):
            from_document(document)

    def test_an_instant_in_a_repeated_hour_decodes_with_its_fold(self) -> None:
        """The second 02:10 of Berlin's repeated hour decodes with fold=1, the same instant."""
        original = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)

        back = event_from_document(with_field(to_document(reply_added()), "at", FOLD_TEXT)).at

        assert (utc(original), original.replace(tzinfo=None), 1) == (
            utc(back),
            back.replace(tzinfo=None),
            back.fold,
        )

    def test_an_instant_in_a_repeated_hour_encodes_at_its_own_offset(self) -> None:
        """An instant with fold=1 is written with the offset of the second pass, and back."""
        event = reply_added(datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN))

        assert FOLD_TEXT == to_document(event)["at"]
        assert to_document(event) == to_document(from_document(to_document(event)))

    def test_a_zone_from_a_file_is_refused_on_encode(self) -> None:
        """A zone from ZoneInfo.from_file has no name: writing it says to use ZoneInfo(key)."""
        with open(f"{TZPATH[0]}/Europe/Berlin", "rb") as file:
            zone = ZoneInfo.from_file(file)

        with pytest.raises(InvalidValueError, match=r"ZoneInfo\(key\)"):
            to_document(reply_added(datetime(2026, 3, 2, 9, tzinfo=zone)))

    def test_the_localtime_zone_is_refused_on_encode(self) -> None:
        """The zone 'localtime' is the host's hidden setting: writing it is refused."""
        event = reply_added(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("localtime")))

        with pytest.raises(InvalidValueError, match="'localtime'"):
            to_document(event)

    def test_the_localtime_zone_is_refused_on_decode(self) -> None:
        """A document in the zone 'localtime' is refused: it means other instants on other hosts."""
        document = with_field(
            ticket_document(), "updated_at", "2026-03-03T09:00:00+00:00[localtime]"
        )

        with pytest.raises(DocumentError, match=r"document\.updated_at: .*'localtime'") as caught:
            from_document(document)
        assert isinstance(caught.value.__cause__, InvalidValueError)

    def test_an_unknown_zone_is_refused_on_decode(self) -> None:
        """A document naming no IANA zone is refused, saying which part."""
        document = with_field(
            ticket_document(), "updated_at", "2026-03-03T09:00:00+00:00[Mars/Olympus]"
        )

        with pytest.raises(DocumentError, match=r"document\.updated_at: .*unknown time zone"):
            from_document(document)

    def test_a_zone_of_another_library_is_refused_on_encode(self) -> None:
        """A tzinfo that is neither a ZoneInfo nor a timezone is refused: its name would be lost."""

        class Plus1(tzinfo):
            def utcoffset(self, dt: datetime | None) -> timedelta:
                return timedelta(hours=1)

            def dst(self, dt: datetime | None) -> timedelta:
                return timedelta(0)

            def tzname(self, dt: datetime | None) -> str:
                return "PLUS1"

        with pytest.raises(InvalidTypeError, match=r"zoneinfo\.ZoneInfo or a datetime\.timezone"):
            to_document(corrupted(reply_added(), at=datetime(2026, 3, 2, 9, tzinfo=Plus1())))


class TestIdsAreStrings:
    def test_an_integer_ticket_id_is_refused_on_encode(self) -> None:
        """An event whose ticket id is an integer is refused with a typed error, not written."""
        with pytest.raises(InvalidTypeError, match=r"ReplyAdded\.ticket_id must be a string"):
            to_document(corrupted(reply_added(), ticket_id=5))

    def test_an_integer_ticket_id_is_refused_on_decode(self) -> None:
        """A document whose ticket id is an integer names the field and the type it needs."""
        document = with_field(to_document(reply_added()), "ticket_id", 5)

        with pytest.raises(DocumentError, match=r"document\.ticket_id: expected a string, got 5"):
            from_document(document)


class TestRanges:
    def test_an_instant_whose_utc_is_before_year_1_is_refused_on_decode(self) -> None:
        """0001-01-01T00:00+01:00 is in year 0 in UTC: a DocumentError, not an OverflowError."""
        document = with_field(ticket_document(), "created_at", "0001-01-01T00:00:00+01:00")

        with pytest.raises(
            DocumentError, match=r"document\.created_at: .*outside the years 1 to 9999"
        ):
            from_document(document)

    def test_an_instant_past_year_9999_in_its_zone_is_refused_on_decode(self) -> None:
        """An instant that is year 10000 in its own zone is a DocumentError."""
        document = with_field(
            ticket_document(), "updated_at", "9999-12-31T23:30:00+00:00[Europe/Berlin]"
        )

        with pytest.raises(DocumentError, match="outside the years 1 to 9999"):
            from_document(document)

    def test_an_instant_whose_utc_is_before_year_1_is_refused_on_encode(self) -> None:
        """Writing an instant that could not be read back is an OutOfRangeError."""
        early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))

        with pytest.raises(OutOfRangeError, match="outside the years 1 to 9999"):
            to_document(reply_added(early))

    def test_a_huge_duration_is_refused_on_decode(self) -> None:
        """A duration of 10**30 microseconds is a DocumentError naming where it is."""
        ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket
        document = to_document(ticket)
        document["clocks"][0]["target"] = 10**30  # type: ignore[index,call-overload]

        with pytest.raises(DocumentError, match=r"document\.clocks\[0\]\.target: .*duration"):
            from_document(document)

    def test_a_huge_integer_for_a_float_is_refused_on_decode(self) -> None:
        """An integer too large for a float, where a fraction belongs, is a DocumentError."""
        document = with_field(to_document(warning()), "fraction", 10**400)

        with pytest.raises(DocumentError, match=r"document\.fraction: .*too large"):
            from_document(document)


class TestUnknownFields:
    def test_an_unknown_field_is_refused_listing_the_known_ones(self) -> None:
        """A field the value does not have is refused, not silently dropped."""
        document = with_field(to_document(Actor.agent("bob")), "admin", True)

        with pytest.raises(
            DocumentError,
            match=r"document\.admin: is not a field of Actor; its fields are 'id', 'role'",
        ):
            from_document(document)

    def test_an_unknown_field_of_a_nested_value_is_refused(self) -> None:
        """An unknown field inside a nested document names its whole path."""
        document = to_document(reply_added())
        document["actor"] = {**document["actor"], "staff": True}  # type: ignore[dict-item]

        with pytest.raises(DocumentError, match=r"document\.actor\.staff: is not a field of Actor"):
            from_document(document)

    def test_a_nested_document_of_another_type_is_refused(self) -> None:
        """A nested document must carry the type its place holds."""
        document = with_field(
            to_document(reply_added()), "actor", {"type": "Ticket", "id": "b", "role": "agent"}
        )

        with pytest.raises(DocumentError, match=r"document\.actor\.type: expected 'Actor'"):
            from_document(document)


class TestCustomFieldValues:
    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ([1], "got list"),
            ({}, "got dict"),
            (None, "leave it out"),
            (math.nan, "cannot hold nan"),
            (math.inf, "cannot hold inf"),
            (-math.inf, "cannot hold -inf"),
        ],
    )
    def test_a_value_that_is_not_a_finite_json_scalar_is_refused(
        self, value: object, message: str
    ) -> None:
        """A custom field holding a container, None, NaN or an infinity is refused, named."""
        document = with_field(ticket_document(), "fields", {"impact": "high", "a": value})

        with pytest.raises(DocumentError, match=rf"document\.fields\.a: .*{message}"):
            from_document(document)

    def test_a_field_name_that_is_no_identifier_is_quoted_in_the_path(self) -> None:
        """The path of an odd field name quotes it, shortened."""
        document = with_field(ticket_document(), "fields", {"x" * 10_000: [1]})

        with pytest.raises(DocumentError, match=r"document\.fields\['xxx") as caught:
            from_document(document)
        assert len(str(caught.value)) < 1_000

    def test_a_set_field_document_with_nan_is_refused(self) -> None:
        """A SetField document whose value is NaN is a DocumentError."""
        command = SetField(
            actor=Actor.agent("bob"), at=datetime(2026, 3, 2, 9, tzinfo=UTC), name="a", value=1.5
        )
        document = with_field(to_document(command), "value", math.nan)

        with pytest.raises(DocumentError, match=r"document\.value: "):
            from_document(document)

    def test_a_nan_is_refused_on_encode(self) -> None:
        """Writing a NaN is refused: documents are strict JSON."""
        command = SetField(
            actor=Actor.agent("bob"), at=datetime(2026, 3, 2, 9, tzinfo=UTC), name="a", value=1.5
        )

        with pytest.raises(InvalidValueError, match="cannot hold nan"):
            to_document(corrupted(command, value=math.nan))

    def test_an_infinite_fraction_is_refused_on_encode(self) -> None:
        """Writing an infinite float field is refused: documents are strict JSON."""
        with pytest.raises(InvalidValueError, match="JSON has no NaN or infinity"):
            to_document(corrupted(warning(), fraction=math.inf))


class TestHostileDocuments:
    def test_a_deeply_nested_value_is_a_document_error(self) -> None:
        """A dict nested 10,000 deep where a string belongs is a DocumentError, not recursion."""
        document = with_field(ticket_document(), "subject", deep())

        with pytest.raises(DocumentError, match=r"document\.subject: expected a string") as caught:
            from_document(document)
        assert len(str(caught.value)) < 1_000

    def test_a_deeply_nested_custom_field_is_a_document_error(self) -> None:
        """A custom field nested 10,000 deep is a DocumentError."""
        with pytest.raises(DocumentError, match=r"document\.fields\.x"):
            from_document(with_field(ticket_document(), "fields", deep()))

    def test_a_deeply_nested_document_is_a_document_error(self) -> None:
        """A whole document nested 10,000 deep is a DocumentError."""
        with pytest.raises(DocumentError, match=r"document\.type"):
            from_document(deep())

    @pytest.mark.parametrize("value", [{1, 2}, b"bytes", object(), (1, 2), 1j, deep(50)])
    def test_a_value_json_cannot_hold_is_a_document_error(self, value: object) -> None:
        """A set, bytes, a tuple or an object anywhere in a document is a DocumentError."""
        with pytest.raises(DocumentError, match=r"document\.body: expected a string"):
            from_document(with_field(to_document(reply_added()), "body", value))

    @pytest.mark.parametrize("value", [None, [], "Ticket", 5, deep()])
    def test_a_document_that_is_no_object_is_a_document_error(self, value: object) -> None:
        """A list, a string, a number or None given as a document is a DocumentError."""
        with pytest.raises(DocumentError, match=r"^document"):
            from_document(value)  # type: ignore[arg-type]

    def test_a_non_string_key_is_a_document_error(self) -> None:
        """A key that is not a string is refused as an unknown field, quoted."""
        with pytest.raises(DocumentError, match=r"document\[1\]: is not a field of Actor"):
            from_document({**to_document(Actor.agent("bob")), 1: "x"})  # type: ignore[dict-item]


class TestWhatToDocumentTakes:
    @pytest.mark.parametrize("value", [5, "T-1", None, {"type": "Actor"}, Window(0, 60)])
    def test_a_value_that_is_no_ticketflow_document_value_is_an_invalid_type_error(
        self, value: object
    ) -> None:
        """to_document of anything but a ticket, event, command, actor or clock is a typed error."""
        with pytest.raises(
            InvalidTypeError, match="to_document's value must be a ticketflow ticket"
        ):
            to_document(value)

    def test_a_document_is_strict_json(self) -> None:
        """What to_document writes, json.dumps writes with allow_nan=False."""
        ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket

        assert ticket == ticket_from_document(
            json.loads(json.dumps(to_document(ticket), allow_nan=False))
        )

    def test_a_string_enum_in_a_text_field_is_written_as_its_text(self) -> None:
        """A str subclass a command accepts (a str enum) is written as the plain string."""

        class Body(str, enum.Enum):  # noqa: UP042 - the mixin, whose str() is not its text
            THANKS = "Thanks!"

        command = Reply(
            actor=Actor.customer("alice"), at=datetime(2026, 3, 2, tzinfo=UTC), body=Body.THANKS
        )

        assert "Thanks!" == to_document(command)["body"]
        assert command == from_document(to_document(command))


# -- the fuzz suite: mutated real documents ---------------------------------------------

ALICE = Actor.customer("alice")
CAROL = Actor.agent("carol")
SAMPLES: Final[tuple[str | int | float | bool, ...]] = (1.5, 7, True, "x")


def lifecycle(desk: Desk, ticket_id: str) -> list[object]:
    """The values of one ticket's life on ``desk`` across Berlin's repeated hour: its
    commands, its events and its tickets (each change of it), ticked past the SLA clocks."""
    at = datetime(2026, 10, 25, 1, 40, tzinfo=BERLIN)  # twenty minutes before the fold
    opening = OpenTicket(actor=ALICE, at=at, ticket_id=ticket_id, subject="No dial tone")
    outcome = handle(desk, None, opening)
    values: list[object] = [opening, *outcome.events, outcome.ticket]
    ticket = outcome.ticket
    for step in range(16):
        at = (utc(at) + timedelta(minutes=7)).astimezone(BERLIN)  # walks through the fold
        actions = [
            a.action
            for a in allowed_actions(desk, ticket, CAROL)
            if a.allowed and a.action != "escalate"
        ]
        candidates: list[Command] = [
            PerformAction(actor=CAROL, at=at, action=actions[step % len(actions)], reason="r")
            if actions and step % 2
            else Reply(actor=ALICE, at=at, body=f"Still broken ({step})"),
            PerformAction(actor=CAROL, at=at, action="schedule", until=at + timedelta(hours=2)),
            SetField(actor=CAROL, at=at, name=f"f{step % 3}", value=SAMPLES[step % 4]),
            Assign(actor=CAROL, at=at, assignee="carol", group="voice"),
            ChangePriority(actor=CAROL, at=at, priority="high", reason="many users"),
        ]
        for command in candidates[:1] + candidates[1 + step % 4 :]:
            try:
                outcome = handle(desk, ticket, command)
            except CommandRefusedError:
                continue
            ticket = outcome.ticket
            values += [command, *outcome.events, ticket]
            break
    ticked = tick(desk, ticket, datetime(2026, 11, 30, tzinfo=UTC))
    return [*values, *ticked.events, ticked.ticket]


@cache
def real_documents() -> tuple[dict[str, Any], ...]:
    """The documents of lifecycles on three presets, encoded once."""
    lives = [
        lifecycle(support_portal.desk(), "SP-1"),
        lifecycle(escalation_process.desk(), "EP-1"),
        lifecycle(hosting_portal.desk(), "HP-1"),
    ]
    return tuple(to_document(value) for life in lives for value in life)


DEEP_DICT: Final = deep()
DEEP_LIST: Final[list[object]] = []
_inner = DEEP_LIST
for _ in range(10_000):
    _inner.append([])
    _inner = _inner[0]  # type: ignore[assignment]

INSTANT_TEXTS: Final = (
    "2026-03-29T02:30:00+01:00[Europe/Berlin]",  # in the gap
    "2026-03-29T02:30:00+02:00[Europe/Berlin]",  # in the gap
    FOLD_TEXT,  # a real instant: the second 02:10
    "2026-10-25T02:10:00+02:00[Europe/Berlin]",  # a real instant: the first 02:10
    "2026-10-25T02:10:00+05:00[Europe/Berlin]",  # an offset the zone never has
    "2026-10-25T02:10:00+01:00",
    "2026-10-25T00:10:00Z",
    "2026-W44-7T02:10:00+01:00",
    "0001-01-01T00:00:00+01:00",  # year 0 in UTC
    "9999-12-31T23:59:59-01:00",  # year 10000 in UTC
    "9999-12-31T23:30:00+00:00[Europe/Berlin]",  # year 10000 in Berlin
    "2026-10-25T02:10:00",  # naive
    "2026-10-25T02:10:00+01:00[localtime]",
    "2026-10-25T02:10:00+01:00[Mars/Olympus]",
    "2026-10-25T02:10:00+01:00[../../etc/passwd]",
    "2026-10-25T02:10:00+01:00[]",
    "2026-10-25T02:10:00+01:00[Europe/Berlin",
    "2026-10-25T02:10:00+01:00[Europe/Berlin][x]",
    "yesterday",
    "",
)

JSON_SCALARS: Final = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**30, -(10**30), 10**400, 2**63, -(2**63) - 1])
    | st.floats()
    | st.text(max_size=12)
)
HOSTILE_VALUES: Final = (
    JSON_SCALARS
    | st.recursive(
        JSON_SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=6,
    )
    | st.sampled_from(INSTANT_TEXTS)
    | st.sampled_from(["x" * 100_000, DEEP_DICT, DEEP_LIST, {1, 2}, b"bytes", (1, 2), object()])
)
CODEC_TYPES: Final = (
    "Ticket",
    "Actor",
    "SlaClock",
    "TicketOpened",
    "ReplyAdded",
    "OpenTicket",
    "Desk",
    "BusinessDays",
    "",
    "ticket",
)


def places(document: object) -> list[tuple[Any, Any]]:
    """Every (container, key) of a real document, its dicts' keys and its lists' indexes."""
    found: list[tuple[Any, Any]] = []
    stack: list[Any] = [document]
    while stack:  # real documents are a few levels deep: no recursion needed
        container = stack.pop()
        keys = container.keys() if isinstance(container, dict) else range(len(container))
        for key in keys:
            found.append((container, key))
            if isinstance(container[key], dict | list):
                stack.append(container[key])
    return found


def _present(container: Any, key: Any) -> bool:
    return key in container if isinstance(container, dict) else key < len(container)


def _holds_instant(container: Any, key: Any) -> bool:
    return (
        _present(container, key) and isinstance(container[key], str) and container[key][:2] == "20"
    )


def _similar(value: object) -> st.SearchStrategy[object]:
    """Values of the JSON type of ``value``, often valid ones: mutations a reader accepts."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-2, 10**6) | st.sampled_from([10**30, 10**400])
    if isinstance(value, float):
        return st.floats(0, 1) | st.floats()
    if isinstance(value, str):
        return (
            st.sampled_from(INSTANT_TEXTS[:8]) | st.text(max_size=12) | st.sampled_from(CODEC_TYPES)
        )
    return st.none() | JSON_SCALARS


@st.composite
def mutated_documents(draw: st.DrawFn) -> object:
    """A real document with one to three mutations: a key deleted or added, a value
    replaced by one of another JSON type (huge, long, NaN, deep, not JSON at all), a
    ``type`` changed, an instant turned into a gap, a fold, garbage, out of range or naive."""
    document: object = copy.deepcopy(draw(st.sampled_from(real_documents())))
    targets = places(document)  # only the real document's places, never a drawn value's
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["similar", "similar", "delete", "add", "replace", "type", "instant", "root"]
            )
        )
        if kind == "root":
            document = draw(HOSTILE_VALUES)
            break
        container, key = draw(st.sampled_from(targets))
        if kind == "delete" and isinstance(container, dict):
            container.pop(key, None)
        elif kind == "add" and isinstance(container, dict):
            container[draw(st.text(max_size=8) | st.sampled_from(["type", "extra", "fields"]))] = (
                draw(HOSTILE_VALUES)
            )
        elif kind == "type" and isinstance(container, dict):
            container["type"] = draw(st.sampled_from(CODEC_TYPES) | HOSTILE_VALUES)
        elif kind == "similar" and _present(container, key):
            container[key] = draw(_similar(container[key]))
        elif kind == "instant":
            instants = [(c, k) for c, k in targets if _holds_instant(c, k)]
            if instants:
                container, key = draw(st.sampled_from(instants))
            container[key] = draw(st.sampled_from(INSTANT_TEXTS))
        else:
            container[key] = draw(HOSTILE_VALUES)
    return document


class TestMutatedDocuments:
    def test_real_documents_round_trip(self) -> None:
        """Every document of the preset lifecycles reads back to a value that writes the same."""
        for document in real_documents():
            assert document == to_document(
                from_document(json.loads(json.dumps(document, allow_nan=False)))
            )

    @settings(max_examples=max(300, settings().max_examples))
    @given(mutated_documents())
    def test_only_document_errors_escape_and_what_is_accepted_round_trips(
        self, document: object
    ) -> None:
        """A mutated document is refused with a TicketflowError, or read as a value that
        hashes, writes strict JSON and reads back equal."""
        try:
            value = from_document(document)  # type: ignore[arg-type]
        except DocumentError:
            return
        hash(value)
        written = to_document(value)
        json.dumps(written, allow_nan=False)
        again = from_document(written)
        assert value == again
        assert written == to_document(again)


# -- issue 12: tagged unions, desks, schema versions, golden documents --------------------

GOLDEN: Final = Path(__file__).parent / "golden"


class TestTaggedUnions:
    def test_business_days_read_back_as_business_days(self) -> None:
        """AutoClose(after=BusinessDays(5)) reads back with BusinessDays(5), not CalendarDays."""
        rule = AutoClose(when="resolved", after=BusinessDays(5))

        assert BusinessDays(5) == cast(AutoClose, from_document(to_document(rule))).after

    def test_a_type_the_union_does_not_allow_is_refused_naming_the_kinds(self) -> None:
        """A duration document of another type names the kinds the field allows."""
        document = to_document(AutoClose(when="resolved", after=BusinessDays(5)))
        document["after"] = {"type": "Actor", "id": "bob", "role": "agent"}

        with pytest.raises(DocumentError, match=r"document\.after\.type: .*'BusinessDays'"):
            from_document(document)


class TestDesks:
    @pytest.mark.parametrize("desk", preset_desks(), ids=lambda d: d.workflow.name)
    def test_a_preset_desk_round_trips(self, desk: Desk) -> None:
        """Every preset's desk reads back equal, through JSON and without it."""
        document = to_document(desk)

        assert desk == from_document(document)
        assert desk == from_document(json.loads(json.dumps(document, allow_nan=False)))

    def test_category_members_are_written_as_plain_strings(self) -> None:
        """The portal's auto-close rule on Category.RESOLVED is written as the string 'resolved'."""
        document: Any = to_document(support_portal.desk())

        assert str is type(document["auto_close"]["rules"][0]["when"])

    @settings(max_examples=100, deadline=None)
    @given(codec_values())
    def test_every_value_type_and_duration_kind_round_trips(self, value: object) -> None:
        """Every policy value, duration kind and desk reads back equal, with or without JSON."""
        document = to_document(value)

        assert value == from_document(document)
        assert value == from_document(json.loads(json.dumps(document, allow_nan=False)))


class TestSchemaVersions:
    def test_every_document_carries_the_schema(self) -> None:
        """A top-level document names the schema it was written in."""
        assert SCHEMA == to_document(Actor.agent("bob"))["schema"]

    def test_a_document_without_a_schema_reads_as_version_1(self) -> None:
        """A document stored before documents carried a schema still reads."""
        document = to_document(opened())
        del document["schema"]

        assert opened() == from_document(document)

    def test_a_newer_schema_is_refused_saying_to_upgrade(self) -> None:
        """A document of a schema this version does not know asks for a newer ticketflow."""
        document = with_field(to_document(opened()), "schema", SCHEMA + 1)

        with pytest.raises(DocumentError, match=r"document\.schema: .*upgrade ticketflow"):
            from_document(document)

    def test_an_older_schema_is_upcast_on_read(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A document of an older schema is rewritten by that version's upcaster on read."""

        def renamed(document: dict[str, object]) -> dict[str, object]:
            return {("id" if key == "name" else key): item for key, item in document.items()}

        monkeypatch.setattr(codec, "_UPCASTERS", {0: renamed, 1: codec._current})
        monkeypatch.setattr(codec, "_schema", lambda document: document.get("schema", 1))

        assert Actor.agent("bob") == from_document(
            {"type": "Actor", "name": "bob", "role": "agent", "schema": 0}
        )


class TestGoldenDocuments:
    @staticmethod
    def read(name: str) -> Any:
        return json.loads((GOLDEN / "schema1" / f"{name}.json").read_text(encoding="utf-8"))

    def test_golden_events_replay_to_the_golden_ticket(self) -> None:
        """The events stored by schema 1 still read, and replay to the ticket it stored,
        which was written before tickets kept their last update: replay records it (the
        agent's close, the life's last event), and that is the only difference."""
        events = [event_from_document(d) for d in self.read("support_portal_events")]
        stored = ticket_from_document(self.read("support_portal_ticket"))

        replayed = replay(events)

        assert (None, events[-1].at) == (stored.last_update_at, replayed.last_update_at)
        assert stored == attrs.evolve(replayed, last_update_at=None)

    @pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/desk_*.json")), ids=lambda p: p.stem)
    def test_golden_desks_still_read(self, path: Path) -> None:
        """Every stored desk document reads as a desk that writes and reads back the same."""
        desk = from_document(json.loads(path.read_text(encoding="utf-8")))

        assert isinstance(desk, Desk)
        assert desk == from_document(to_document(desk))


# -- instants, against an oracle written from datetime's own answers -----------------------

ODD_ZONES: Final = tuple(
    ZoneInfo(key)
    for key in (
        "Europe/Berlin",
        "America/New_York",
        "Australia/Lord_Howe",  # a half-hour DST shift
        "America/St_Johns",  # a -03:30 standard offset
        "Asia/Kathmandu",  # +05:45
        "Pacific/Apia",  # skipped a whole day in 2011
        "Africa/Casablanca",  # DST switched off for Ramadan
        "UTC",
    )
)
ODD_OFFSETS: Final = tuple(
    timezone(timedelta(minutes=m, seconds=s))
    for m, s in ((0, 0), (345, 0), (-210, 0), (-1439, 0), (1439, 0), (60, 30), (-1, -15))
)


@st.composite
def walls(draw: st.DrawFn) -> datetime:
    """Wall times near DST changes, at the ends of datetime's range, or anywhere (each
    given in UTC, where wall time and instant agree, then read in other zones)."""
    near_change = st.builds(
        lambda day, minute: datetime(2011, 3, 1, tzinfo=UTC) + timedelta(days=day, minutes=minute),
        st.integers(0, 6000),
        st.sampled_from((0, 59, 60, 90, 119, 120, 150, 179, 180, 1439)),
    )
    edges = st.sampled_from(
        (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    )
    edge = st.builds(
        lambda base, minutes: base + timedelta(minutes=minutes if base.year == 1 else -minutes),
        edges,
        st.integers(0, 1500),
    )
    return draw(st.one_of(near_change, edge, st.datetimes(timezones=st.just(UTC))))


def written_refusal(value: datetime) -> type[Exception] | None:
    """The error writing ``value`` must raise, from datetime alone (None: it writes)."""
    try:  # a wall time in a gap does not survive the trip through UTC (no gap near the ends)
        back = value.astimezone(UTC).astimezone(value.tzinfo)
        if back.replace(tzinfo=None) != value.replace(tzinfo=None):
            return NonexistentInstantError
    except OverflowError:
        pass
    try:
        value.astimezone(UTC)
    except OverflowError:
        return OutOfRangeError
    return None


def read_instant(wall: datetime, offset: timedelta, zone: ZoneInfo) -> datetime | None:
    """The instant that ``wall`` at ``offset`` in ``zone`` names, if any, from datetime alone."""
    for fold in (0, 1):
        candidate = wall.replace(tzinfo=zone, fold=fold)
        try:
            round_trip = candidate.astimezone(UTC).astimezone(zone)
        except OverflowError:
            continue
        if candidate.utcoffset() == offset and round_trip.replace(tzinfo=UTC) == wall:
            return round_trip
    return None


def instant_text(wall: datetime, offset: timedelta) -> str:
    return datetime.combine(wall.date(), wall.time(), timezone(offset)).isoformat()


class TestInstantsAgainstAnOracle:
    @settings(max_examples=400)
    @given(wall=walls(), zone=st.sampled_from(ODD_ZONES + ODD_OFFSETS), fold=st.integers(0, 1))
    def test_an_instant_is_written_or_refused_as_datetime_says(
        self, wall: datetime, zone: tzinfo, fold: int
    ) -> None:
        """Any wall time, fold and zone is written as its text, or refused only in a gap or
        outside the years 1 to 9999 in UTC, with the matching error."""
        value = wall.replace(tzinfo=zone, fold=fold)
        refusal = written_refusal(value)

        if refusal is None:
            suffix = f"[{zone.key}]" if isinstance(zone, ZoneInfo) else ""
            written = to_document(corrupted(reply_added(), at=value))["at"]
            assert value.isoformat() + suffix == written
        else:
            with pytest.raises(refusal):
                to_document(corrupted(reply_added(), at=value))

    @settings(max_examples=400)
    @given(
        wall=walls(),
        zone=st.sampled_from(ODD_ZONES),
        offset=st.one_of(
            st.sampled_from(tuple(timedelta(minutes=m) for m in (-600, -300, 0, 60, 120, 345))),
            st.builds(lambda m: timedelta(minutes=m), st.integers(-1439, 1439)),
        ),
        theirs=st.booleans(),
    )
    def test_an_instant_text_is_read_or_refused_as_datetime_says(
        self, wall: datetime, zone: ZoneInfo, offset: timedelta, theirs: bool
    ) -> None:
        """A wall time at an offset in a zone reads as the one instant that shows it there
        (its fold included), or is refused as a DocumentError at its path."""
        if theirs:  # often the zone's own offset at that wall time, so that most texts read
            with contextlib.suppress(OverflowError):
                offset = wall.replace(tzinfo=zone).utcoffset() or offset
        document = with_field(
            to_document(reply_added()), "at", f"{instant_text(wall, offset)}[{zone.key}]"
        )
        expected = read_instant(wall, offset, zone)

        if expected is None:
            with pytest.raises(DocumentError, match=r"^document\.at: "):
                from_document(document)
        else:
            back = event_from_document(document).at
            assert (utc(expected), wall, expected.fold, zone) == (
                utc(back),
                back.replace(tzinfo=UTC),
                back.fold,
                back.tzinfo,
            )

    @given(wall=walls(), zone=st.sampled_from(ODD_OFFSETS))
    def test_an_instant_at_a_fixed_offset_is_read_or_refused_as_datetime_says(
        self, wall: datetime, zone: timezone
    ) -> None:
        """A text with an offset and no zone reads as that instant unless its UTC falls
        outside the years 1 to 9999."""
        offset = zone.utcoffset(None)
        document = with_field(to_document(reply_added()), "at", instant_text(wall, offset))
        value = wall.replace(tzinfo=zone)

        if written_refusal(value) is None:
            assert value == event_from_document(document).at
        else:
            with pytest.raises(DocumentError, match=r"^document\.at: .*outside the years"):
                from_document(document)


class TestZonesCheckedOnce:
    def test_a_zone_without_a_key_is_refused_on_every_write(self) -> None:
        """A zone refused once is refused again: only zones that could be named are kept."""
        event = reply_added(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("localtime")))
        refusals = []

        for _ in range(2):
            with pytest.raises(InvalidValueError) as caught:
                to_document(event)
            refusals.append(str(caught.value))

        assert refusals[0] == refusals[1]

    def test_an_unknown_zone_is_refused_on_every_read(self) -> None:
        """A key refused once is refused again, at the path of the second document too."""
        document = with_field(
            to_document(reply_added()), "at", "2026-03-03T09:00:00+00:00[Mars/Olympus]"
        )
        refusals = []

        for _ in range(2):
            with pytest.raises(DocumentError) as caught:
                from_document(document)
            refusals.append(caught.value.where)

        assert ["document.at", "document.at"] == refusals

    def test_an_uncached_zone_of_a_key_writes_that_key(self) -> None:
        """A zone made with ZoneInfo.no_cache writes the same text as the cached one."""
        cached = reply_added(datetime(2026, 3, 2, 9, tzinfo=BERLIN))
        uncached = reply_added(datetime(2026, 3, 2, 9, tzinfo=ZoneInfo.no_cache("Europe/Berlin")))

        assert to_document(cached) == to_document(uncached)


class TestPathsInsideTuples:
    def test_a_bad_instant_in_a_segment_names_its_item(self) -> None:
        """A refusal in the second item of a clock's segment is reported at its index, [1]."""
        ticket = tick(portal.desk(), opened(), datetime(2026, 3, 4, tzinfo=UTC)).ticket
        document = to_document(ticket)
        clock = cast("list[dict[str, object]]", document["clocks"])[0]
        clock["segments"] = [["2026-03-02T09:00:00+01:00", "late"]]

        with pytest.raises(DocumentError) as caught:
            from_document(document)

        assert "document.clocks[0].segments[0][1]" == caught.value.where
