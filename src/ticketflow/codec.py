"""JSON-ready documents for tickets, events and commands, and back.

A host stores events (or ticket snapshots) in its own database. :func:`to_document`
turns any ticketflow value into plain dicts, lists, strings, numbers and booleans that
``json.dumps`` accepts; :func:`from_document` turns such a document back into the
value, so ``from_document(to_document(v)) == v``.

Conventions:

- every document of an attrs value carries ``"type"``, its class name;
- an instant is an RFC 3339 string; a zone from ``zoneinfo`` is kept in RFC 9557
  brackets (``"2026-03-02T09:00:00+01:00[Europe/Berlin]"``) so the value comes back in
  its zone, not only at its offset;
- a ``timedelta`` is an integer number of microseconds;
- custom fields are a plain object.

Reading is strict, so that whatever :func:`from_document` accepts round-trips: an
unknown field, a value of another JSON type, an instant whose offset is not its zone's
at that wall time (or whose wall time the clocks skipped), an instant or a duration
outside what ``datetime`` holds, all give a :class:`DocumentError` naming the path of
the offending part. Writing refuses what could not be read back the same: an instant in
a DST gap, a zone without an IANA key (``ZoneInfo.from_file``) or the host-dependent
``"localtime"``, a NaN or an infinity (documents stay strict JSON).

Workflows and calendars have their own documents (``Workflow.to_document``,
``BusinessCalendar.to_document``), written for people to edit.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from ticketflow import Actor, OpenTicket, handle
>>> from ticketflow.presets import support_portal
>>> at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin"))
>>> outcome = handle(support_portal.desk(), None, OpenTicket(
...     actor=Actor.customer("alice"), at=at, ticket_id="T-1", subject="No dial tone"))
>>> document = to_document(outcome.events[0])
>>> document["type"], document["at"]
('TicketOpened', '2026-03-02T09:00:00+01:00[Europe/Berlin]')
>>> from_document(document) == outcome.events[0]
True
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, partial
from typing import Any, Final, TypeAlias, TypeVar, Union, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ticketflow._commands import Command
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    OutOfRangeError,
    TicketflowError,
    quoted,
    quoted_names,
)
from ticketflow._events import Event
from ticketflow._instants import is_nonexistent, require_instant
from ticketflow._sla_clock import SlaClock
from ticketflow._ticket import Actor, FieldValue, FrozenMap, Ticket, field_value

__all__ = [
    "DocumentError",
    "event_from_document",
    "from_document",
    "ticket_from_document",
    "to_document",
]

T = TypeVar("T")
JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"


class DocumentError(TicketflowError, ValueError):
    """A document does not describe a ticketflow value; ``where`` says which part."""

    def __init__(self, where: str, what: str) -> None:
        self.where = where
        super().__init__(
            f"{where}: {what}; give a document written by ticketflow.codec.to_document"
        )


_EVENT_TYPES: Final = typing.get_args(Event)
_TYPES: Final[Mapping[str, type]] = types.MappingProxyType(
    {
        cls.__name__: cls
        for cls in (Ticket, SlaClock, Actor, *_EVENT_TYPES, *typing.get_args(Command))
    }
)
"""The values the codec writes and reads, by the name their documents carry."""

_ENCODABLE: Final = "a ticketflow ticket, event, command, actor or SLA clock"
_MICROSECOND: Final = timedelta(microseconds=1)
_LOCALTIME: Final = "localtime"


def to_document(value: object) -> dict[str, JsonValue]:
    """``value`` (a ticket, an event, a command, an actor...) as a JSON-ready document.

    The document is strict JSON: ``json.dumps(document, allow_nan=False)`` accepts it.

    Raises:
        InvalidTypeError: ``value`` is not a ticket, an event, a command, an actor or an
            SLA clock, or one of its fields holds a value of the wrong type.
        NonexistentInstantError: an instant is a wall time inside a DST gap.
        InvalidValueError: an instant's zone cannot be named in a document (a zone from
            ``ZoneInfo.from_file``, or ``"localtime"``), or a number is NaN or infinite.
        OutOfRangeError: an instant falls outside the years 1 to 9999 in UTC.

    >>> to_document(Actor.agent("bob"))
    {'type': 'Actor', 'id': 'bob', 'role': 'agent'}
    >>> to_document("bob")
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: to_document's value must be a ticketflow ...
    """
    cls = type(value)
    if _TYPES.get(cls.__name__) is not cls:
        raise InvalidTypeError("to_document's value", _ENCODABLE, value)
    return _encode_class(cls, value, cls.__name__)


def from_document(document: Mapping[str, object]) -> object:
    """The ticketflow value a document written by :func:`to_document` describes.

    Raises:
        DocumentError: the document names no ticketflow type, a field is missing,
            unknown or of the wrong shape, an instant is not one its zone can show, a
            number is out of range, or the value's own checks refuse it (the original
            error is the ``DocumentError``'s ``__cause__``).

    >>> from_document({"type": "Actor", "id": "bob", "role": "agent"})
    Actor(id='bob', role='agent')
    >>> from_document({"type": "Actor", "id": "bob", "role": "agent", "age": 3})
    Traceback (most recent call last):
    ...
    ticketflow.codec.DocumentError: document.age: is not a field of Actor; ...
    """
    if not isinstance(document, Mapping):
        raise DocumentError("document", f"expected an object, got {quoted(document)}")
    name = document.get("type")
    cls = _TYPES.get(name) if type(name) is str else None
    if cls is None:
        raise DocumentError(
            "document.type",
            f"'type' must name a ticketflow value ({quoted_names(sorted(_TYPES))}), "
            f"got {quoted(name)}",
        )
    return _decode_class(cls, document, "document")


def event_from_document(document: Mapping[str, object]) -> Event:
    """The event a document describes (see :func:`from_document`).

    Raises:
        DocumentError: the document is not an event's.
    """
    value = from_document(document)
    if not isinstance(value, _EVENT_TYPES):
        raise DocumentError("document", f"{type(value).__name__} is not an event")
    return cast(Event, value)


def ticket_from_document(document: Mapping[str, object]) -> Ticket:
    """The ticket a document describes (see :func:`from_document`).

    Raises:
        DocumentError: the document is not a ticket's.
    """
    value = from_document(document)
    if not isinstance(value, Ticket):
        raise DocumentError("document", f"{type(value).__name__} is not a ticket")
    return value


# -- the fields of a class, and what each may hold ---------------------------------------


@attrs.frozen
class _Field:
    key: str  # in the document (the attrs alias)
    name: str  # on the value
    hint: Any
    required: bool


@cache
def _fields(cls: type) -> dict[str, _Field]:
    hints = typing.get_type_hints(cls)
    return {
        (field.alias or field.name): _Field(
            field.alias or field.name, field.name, hints[field.name], field.default is attrs.NOTHING
        )
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        if field.init
    }


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType)


def _fits(hint: Any, value: object) -> bool:
    """Whether ``value`` may be written where ``hint`` stands (no bool for a number)."""
    if hint is datetime or hint is timedelta or hint is FrozenMap or hint is str:
        return isinstance(value, hint)
    if hint is int or hint is float:
        return isinstance(value, int | hint) and not isinstance(value, bool)
    if typing.get_origin(hint) is tuple:
        return isinstance(value, tuple | list)
    return type(value) is hint or (hint is type(None) and value is None)


def _describe(hint: Any) -> str:
    if _is_union(hint):
        return " or ".join(_describe(option) for option in typing.get_args(hint))
    if typing.get_origin(hint) is tuple:
        return "a list"
    names = {
        str: "a string",
        int: "an integer",
        float: "a finite number",
        bool: "a boolean",
        datetime: "an instant",
        timedelta: "a duration",
        FrozenMap: "an object of custom fields",
        type(None): "None",
    }
    return names.get(hint) or f"a {getattr(hint, '__name__', hint)}"


def _key_path(where: str, key: object) -> str:
    # A key from a document may be anything: quote it unless it is a short identifier,
    # so a path stays a line long.
    if type(key) is str and key.isascii() and key.isidentifier() and len(key) <= 64:
        return f"{where}.{key}"
    return f"{where}[{quoted(key)}]"


# -- writing -----------------------------------------------------------------------------


def _encode_class(cls: type, value: object, what: str) -> dict[str, JsonValue]:
    document: dict[str, JsonValue] = {"type": cls.__name__}
    for field in _fields(cls).values():
        document[field.key] = _encode(field.hint, getattr(value, field.name), f"{what}.{field.key}")
    return document


def _encode(hint: Any, value: object, what: str) -> JsonValue:
    if hint == FieldValue:
        return field_value(what, value, removable=True)
    if _is_union(hint):
        for option in typing.get_args(hint):
            if _fits(option, value):
                return _encode(option, value, what)
        raise InvalidTypeError(what, _describe(hint), value)
    if not _fits(hint, value):
        raise InvalidTypeError(what, _describe(hint), value)
    if typing.get_origin(hint) is tuple:
        items = cast("tuple[object, ...] | list[object]", value)
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            args = (args[0],) * len(items)
        elif len(args) != len(items):
            raise InvalidValueError(f"{what} holds {len(items)} items", f"give exactly {len(args)}")
        return [
            _encode(a, item, f"{what}[{i}]")
            for i, (a, item) in enumerate(zip(args, items, strict=True))
        ]
    if hint is datetime:
        return _instant_text(what, cast(datetime, value))
    if hint is timedelta:
        return cast(timedelta, value) // _MICROSECOND
    if hint is float:
        return _finite(what, cast(float, value))
    if hint is FrozenMap:
        return {name: field_value(name, item) for name, item in cast(FrozenMap, value).items()}
    if isinstance(hint, type) and attrs.has(hint):
        return _encode_class(hint, value, what)
    if hint is str:
        return str.__str__(cast(str, value))  # a str enum's text, as a plain str
    if hint is int:
        return int(cast(int, value))  # an int enum's number, as a plain int
    return cast(JsonValue, value)  # a bool or None: _fits checked it


def _finite(what: str, value: float) -> float:
    try:
        number = float(value)
    except OverflowError:
        raise OutOfRangeError(
            f"{what} is {quoted(value)}, too large for a float", "give a smaller number"
        ) from None
    if not math.isfinite(number):
        raise InvalidValueError(
            f"{what} is {number!r}", "give a finite number: JSON has no NaN or infinity"
        )
    return number


def _instant_text(what: str, value: datetime) -> str:
    require_instant(what, value)
    tz = value.tzinfo
    if isinstance(tz, ZoneInfo):
        suffix = f"[{_zone(what, tz.key).key}]"
    elif isinstance(tz, timezone):
        suffix = ""
    else:
        raise InvalidTypeError(
            f"the time zone of {what}", "a zoneinfo.ZoneInfo or a datetime.timezone", tz
        )
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise OutOfRangeError(
            f"{what} is {value.isoformat()}, outside the years 1 to 9999 in UTC",
            "give an instant between 0001-01-01 and 9999-12-31 in UTC",
        ) from None
    return value.isoformat() + suffix


def _zone(what: str, key: object) -> ZoneInfo:
    """The zone ``key`` names, refusing what a document cannot name for every host."""
    if key is None:
        raise InvalidValueError(
            f"{what} is in a time zone without a key (one from ZoneInfo.from_file)",
            "build the zone with ZoneInfo(key), e.g. ZoneInfo('Europe/Berlin'), so that a "
            "document can name it",
        )
    if key == _LOCALTIME:
        raise InvalidValueError(
            f"{what} is in the zone 'localtime', which is whatever the host's "
            "/etc/localtime says, so one document would mean different instants on "
            "different hosts",
            "name the zone, e.g. ZoneInfo('Europe/Berlin')",
        )
    try:
        return ZoneInfo(cast(str, key))
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        raise InvalidValueError(
            f"{what} names the unknown time zone {quoted(key)}",
            "give an IANA time zone key such as 'Europe/Berlin'",
        ) from None


# -- reading -----------------------------------------------------------------------------


def _read(where: str, build: Callable[[], T]) -> T:
    """``build()``, with a refusal of the value it builds reported at ``where``."""
    try:
        return build()
    except TicketflowError as error:
        raise DocumentError(where, str(error)) from error


def _decode_class(cls: type[T], document: object, where: str) -> T:
    if not isinstance(document, Mapping):
        raise DocumentError(where, f"expected an object (a {cls.__name__}), got {quoted(document)}")
    name = document.get("type")
    if type(name) is not str or name != cls.__name__:
        raise DocumentError(f"{where}.type", f"expected {cls.__name__!r}, got {quoted(name)}")
    fields = _fields(cast(type, cls))
    for key in document:
        if key != "type" and key not in fields:
            raise DocumentError(
                _key_path(where, key),
                f"is not a field of {cls.__name__}; its fields are "
                f"{quoted_names(fields, limit=len(fields))}",
            )
    kwargs: dict[str, object] = {}
    for field in fields.values():
        if field.key in document:
            path = f"{where}.{field.key}"
            kwargs[field.key] = _decode(field.hint, document[field.key], path)
        elif field.required:
            raise DocumentError(f"{where}.{field.key}", "is missing")
    try:
        return cls(**kwargs)
    # A value's own checks refuse with a TicketflowError; the builtins are caught too, so
    # that no constructor that still raises one lets it escape from the codec.
    except (TicketflowError, TypeError, ValueError) as error:
        raise DocumentError(where, str(error)) from error


def _decode(hint: Any, value: object, where: str) -> object:
    if hint == FieldValue:
        return _read(where, partial(field_value, where, value, removable=True))
    if _is_union(hint):
        options = [option for option in typing.get_args(hint) if option is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        if len(options) == 1:
            return _decode(options[0], value, where)
        for option in options:
            try:
                return _decode(option, value, where)
            except DocumentError:
                continue
        raise DocumentError(where, f"expected {_describe(hint)}, got {quoted(value)}")
    if hint is datetime:
        return _instant(value, where)
    if hint is timedelta:
        return _duration(value, where)
    if hint is FrozenMap:
        return _custom_fields(value, where)
    if typing.get_origin(hint) is tuple:
        return _tuple(hint, value, where)
    if isinstance(hint, type) and attrs.has(hint):
        return _decode_class(hint, value, where)
    if hint is float:
        return _read(where, lambda: _finite("the number", _number(value, where)))
    if hint in (str, int, bool) and type(value) is hint:
        return value
    raise DocumentError(where, f"expected {_describe(hint)}, got {quoted(value)}")


def _number(value: object, where: str) -> float:
    if type(value) is float or type(value) is int:
        return value
    raise DocumentError(where, f"expected a finite number, got {quoted(value)}")


def _duration(value: object, where: str) -> timedelta:
    if type(value) is not int:
        raise DocumentError(where, f"expected a duration in microseconds, got {quoted(value)}")
    try:
        return timedelta(microseconds=value)
    except OverflowError:
        raise DocumentError(
            where,
            f"{quoted(value)} microseconds is more than a duration holds (999999999 days)",
        ) from None


def _custom_fields(value: object, where: str) -> FrozenMap:
    if not isinstance(value, Mapping):
        raise DocumentError(where, f"expected an object of custom fields, got {quoted(value)}")
    checked: dict[str, FieldValue] = {}
    for name, item in value.items():
        checked[name] = _read(_key_path(where, name), partial(field_value, name, item))
    return _read(where, lambda: FrozenMap(checked))


def _tuple(hint: Any, value: object, where: str) -> tuple[object, ...]:
    if type(value) is not list:
        raise DocumentError(where, f"expected a list, got {quoted(value)}")
    args = typing.get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        args = (args[0],) * len(value)
    elif len(args) != len(value):
        raise DocumentError(where, f"expected {len(args)} items, got {len(value)}")
    return tuple(
        _decode(a, item, f"{where}[{i}]")
        for i, (a, item) in enumerate(zip(args, value, strict=True))
    )


def _instant(value: object, where: str) -> datetime:
    if type(value) is not str:
        raise DocumentError(where, f"expected an instant (an RFC 3339 string), got {quoted(value)}")
    text, key = value, None
    if value.endswith("]") and "[" in value:
        text, _, key = value[:-1].partition("[")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise DocumentError(where, f"{quoted(value)} is not an RFC 3339 instant") from None
    if parsed.tzinfo is None:
        raise DocumentError(where, f"{quoted(value)} has no UTC offset")
    zone = (
        None if key is None else _read(where, partial(_zone, f"the instant {quoted(value)}", key))
    )
    try:
        parsed.astimezone(UTC)
        if zone is None:
            return parsed
        instant = parsed.astimezone(zone)
        if instant.replace(tzinfo=None) == parsed.replace(tzinfo=None):
            return instant  # in a repeated hour, the offset chose the fold
        problem = _wall_problem(parsed, zone)
    except OverflowError:
        problem = "it is outside the years 1 to 9999 in UTC or in its zone"
    raise DocumentError(where, f"{quoted(value)}: {problem}")


def _wall_problem(parsed: datetime, zone: ZoneInfo) -> str:
    wall = parsed.replace(tzinfo=zone)
    if is_nonexistent(wall):
        return (
            f"its wall time is one the clocks of {zone.key} skipped (a DST gap), so it "
            "names no instant"
        )
    offsets = sorted({_offset(wall), _offset(wall.replace(fold=1))})
    return (
        f"its offset is not {zone.key}'s at that wall time ({' or '.join(offsets)}); "
        "the offset and the zone disagree"
    )


def _offset(value: datetime) -> str:
    """The UTC offset of ``value`` as an instant string writes it (``+01:00``)."""
    return value.isoformat()[len(value.replace(tzinfo=None).isoformat()) :]
