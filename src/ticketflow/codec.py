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

import types
import typing
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final, TypeAlias, TypeVar, Union, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

import ticketflow
from ticketflow._errors import TicketflowError
from ticketflow._events import Event
from ticketflow._ticket import FrozenMap, Ticket

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


def to_document(value: object) -> dict[str, JsonValue]:
    """``value`` (a ticket, an event, a command, an actor...) as a JSON-ready document.

    Raises:
        TypeError: ``value`` is not an attrs value of ticketflow.
    """
    if not attrs.has(type(value)):
        raise TypeError(f"to_document takes a ticketflow value, got {type(value).__name__}")
    encoded = _encode(value)
    assert isinstance(encoded, dict)
    return encoded


def _encode(value: object) -> JsonValue:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime):
        text = value.isoformat()
        if isinstance(value.tzinfo, ZoneInfo):
            text += f"[{value.tzinfo.key}]"
        return text
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if isinstance(value, FrozenMap):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, frozenset):
        return sorted(_encode(item) for item in value)  # type: ignore[type-var]
    if attrs.has(type(value)):
        document: dict[str, JsonValue] = {"type": type(value).__name__}
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(value))):
            if field.init:
                document[field.alias or field.name] = _encode(getattr(value, field.name))
        return document
    raise TypeError(f"cannot encode {value!r}")


def from_document(document: Mapping[str, object]) -> object:
    """The ticketflow value a document written by :func:`to_document` describes.

    Raises:
        DocumentError: the document names no ticketflow type, or a field is missing or
            of the wrong shape.
    """
    return _decode_class(_class_of(document, "document"), document, "document")


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


_EVENT_TYPES: Final = typing.get_args(Event)


def _class_of(document: object, where: str) -> type:
    if not isinstance(document, Mapping):
        raise DocumentError(where, f"expected an object, got {document!r}")
    name = document.get("type")
    cls = getattr(ticketflow, name, None) if isinstance(name, str) else None
    if cls is None or not attrs.has(cls):
        raise DocumentError(where, f"'type' must name a ticketflow value, got {name!r}")
    return typing.cast(type, cls)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode_class(cls: type[T], document: object, where: str) -> T:
    if not isinstance(document, Mapping):
        raise DocumentError(where, f"expected an object, got {document!r}")
    hints = _hints(cast(type, cls))
    kwargs: dict[str, object] = {}
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls)):
        if not field.init:
            continue
        key = field.alias or field.name
        if key not in document:
            if field.default is attrs.NOTHING:
                raise DocumentError(f"{where}.{key}", "is missing")
            continue
        kwargs[key] = _decode(hints[field.name], document[key], f"{where}.{key}")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as error:
        raise DocumentError(where, str(error)) from None


def _decode(hint: Any, value: object, where: str) -> object:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _decode(option, value, where)
            except DocumentError as error:
                errors.append(str(error))
        raise DocumentError(where, f"{value!r} fits none of {hint}")
    if hint is datetime:
        return _instant(value, where)
    if hint is timedelta:
        if isinstance(value, int) and not isinstance(value, bool):
            return timedelta(microseconds=value)
        raise DocumentError(where, f"expected microseconds, got {value!r}")
    if hint is FrozenMap:
        if isinstance(value, Mapping):
            return FrozenMap(dict(value))
        raise DocumentError(where, f"expected an object, got {value!r}")
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list):
            raise DocumentError(where, f"expected a list, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
        if len(args) != len(value):
            raise DocumentError(where, f"expected {len(args)} items, got {len(value)}")
        return tuple(
            _decode(a, item, f"{where}[{i}]")
            for i, (a, item) in enumerate(zip(args, value, strict=True))
        )
    if origin is frozenset:
        (arg,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise DocumentError(where, f"expected a list, got {value!r}")
        return frozenset(_decode(arg, item, f"{where}[{i}]") for i, item in enumerate(value))
    if isinstance(hint, type) and attrs.has(hint):
        return _decode_class(hint, value, where)
    if hint in (str, int, float, bool):
        if hint is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if type(value) is hint:
            return value
        raise DocumentError(where, f"expected {hint.__name__}, got {value!r}")
    if hint is type(None) and value is None:
        return None
    raise DocumentError(where, f"cannot read {value!r} as {hint}")


def _instant(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise DocumentError(where, f"expected an instant string, got {value!r}")
    text, zone = value, None
    if value.endswith("]") and "[" in value:
        text, _, key = value[:-1].partition("[")
        try:
            zone = ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            raise DocumentError(where, f"unknown time zone {key!r}") from None
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise DocumentError(where, f"{value!r} is not an RFC 3339 instant") from None
    if instant.tzinfo is None:
        raise DocumentError(where, f"{value!r} has no UTC offset")
    return instant.astimezone(zone) if zone is not None else instant
