"""JSON-ready documents for tickets, events, commands and desks, and back.

A host stores events (or ticket snapshots) in its own database. :func:`to_document`
turns any ticketflow value into plain dicts, lists, strings, numbers and booleans that
``json.dumps`` accepts; :func:`from_document` turns such a document back into the
value, so ``from_document(to_document(v)) == v``.

Conventions:

- every document of an attrs value carries ``"type"``, its class name, and a field that
  allows several such types (a duration: ``timedelta``, :class:`CalendarDays`,
  :class:`BusinessTime` or :class:`BusinessDays`) is read by that ``"type"``, never by
  trying each type in turn;
- every top-level document carries ``"schema"``, the version of the document shapes
  (:data:`SCHEMA`); a document without one is read as version 1, one of a newer version
  is refused (upgrade ticketflow to read it), and an older one is upgraded on read;
- an instant is an RFC 3339 string; a zone from ``zoneinfo`` is kept in RFC 9557
  brackets (``"2026-03-02T09:00:00+01:00[Europe/Berlin]"``) so the value comes back in
  its zone, not only at its offset;
- a ``timedelta`` is an integer number of microseconds;
- custom fields are a plain object; a set of names is a sorted list;
- a desk's workflow and calendars are their own documents (``Workflow.to_document``,
  ``BusinessCalendar.to_document``), read back with their ``from_document``.

Reading is strict, so that whatever :func:`from_document` accepts round-trips: an
unknown field, a value of another JSON type, an instant whose offset is not its zone's
at that wall time (or whose wall time the clocks skipped), an instant or a duration
outside what ``datetime`` holds, all give a :class:`DocumentError` naming the path of
the offending part. Writing refuses what could not be read back the same: an instant in
a DST gap, a zone without an IANA key (``ZoneInfo.from_file``) or the host-dependent
``"localtime"``, a NaN or an infinity (documents stay strict JSON).

Theory of operation: cattrs does the walking. One converter holds a hook per kind of
field (strict scalars, instants, durations, tuples, sets, tagged unions, attrs classes);
a refusal deep inside a document surfaces as cattrs' exception group with notes naming
each attribute and index on the way down, which :func:`from_document` turns into one
:class:`DocumentError` at its path. Writing walks the same fields by their type hints,
checking every value, so nothing is written that would not read back the same; the
writer of each hint is made once (:func:`_encoder`), so a value pays for its checks, not
for looking its hints up again. A zone is checked once: a zone written, or a key read,
is remembered (a refused one never is). An instant's UTC reading is checked for
overflow only in the years 1 and 9999, the only ones in which an offset of under a day
can take it out of range.

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
from datetime import MAXYEAR, MINYEAR, UTC, datetime, timedelta, timezone
from functools import cache, partial
from typing import Any, Final, TypeAlias, TypeVar, Union, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ticketflow._autoclose import AutoClose, AutoClosePolicy
from ticketflow._calendar import BusinessCalendar
from ticketflow._commands import Command
from ticketflow._desk import Desk
from ticketflow._durations import BusinessDays, BusinessTime, CalendarDays
from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    OutOfRangeError,
    TicketflowError,
    quoted,
    quoted_names,
)
from ticketflow._escalation import EscalationPolicy, SupportTiers, Tier
from ticketflow._events import Event
from ticketflow._instants import is_nonexistent, require_instant
from ticketflow._intake import Intake
from ticketflow._notifications import NotificationPolicy, NotificationRule
from ticketflow._sla_clock import SlaClock
from ticketflow._sla_metric import Metric
from ticketflow._sla_policy import SlaPolicy
from ticketflow._ticket import Actor, FieldValue, FrozenMap, Ticket, field_value
from ticketflow._workflow import Workflow

__all__ = [
    "SCHEMA",
    "DocumentError",
    "event_from_document",
    "from_document",
    "ticket_from_document",
    "to_document",
]

T = TypeVar("T")
JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"

SCHEMA: Final = 1
"""The version of the document shapes this ticketflow writes (``"schema"`` at the top)."""


class DocumentError(TicketflowError, ValueError):
    """A document does not describe a ticketflow value; ``where`` says which part."""

    def __init__(self, where: str, what: str) -> None:
        self.where = where
        super().__init__(
            f"{where}: {what}; give a document written by ticketflow.codec.to_document"
        )


_EVENT_TYPES: Final = typing.get_args(Event)
_POLICY_TYPES: Final = (
    CalendarDays,
    BusinessTime,
    BusinessDays,
    AutoClose,
    AutoClosePolicy,
    Metric,
    SlaPolicy,
    Tier,
    SupportTiers,
    EscalationPolicy,
    NotificationRule,
    NotificationPolicy,
    Intake,
    Desk,
)
_TYPES: Final[Mapping[str, type]] = types.MappingProxyType(
    {
        cls.__name__: cls
        for cls in (
            Ticket,
            SlaClock,
            Actor,
            *_EVENT_TYPES,
            *typing.get_args(Command),
            *_POLICY_TYPES,
        )
    }
)
"""The values the codec writes and reads at the top of a document, by their names."""

_OWN_DOCUMENTS: Final[tuple[type, ...]] = (Workflow, BusinessCalendar)
"""Values inside a desk that keep the documents they write themselves."""

_ENCODABLE: Final = "a ticketflow ticket, event, command, actor, SLA clock, policy or desk"
_MICROSECOND: Final = timedelta(microseconds=1)
_LOCALTIME: Final = "localtime"


def _current(document: dict[str, object]) -> dict[str, object]:
    return document


_UPCASTERS: Final[Mapping[int, Callable[[dict[str, object]], dict[str, object]]]] = {
    1: _current,
}
"""For each schema version still read, how its documents become the current shape.

When a shape changes, :data:`SCHEMA` goes up, the new version maps to ``_current`` and
each older version's step rewrites its documents (the golden files in ``tests/golden``
prove every step)."""


def to_document(value: object) -> dict[str, JsonValue]:
    """``value`` (a ticket, an event, a command, a policy, a desk...) as a JSON-ready document.

    The document is strict JSON: ``json.dumps(document, allow_nan=False)`` accepts it.

    Raises:
        InvalidTypeError: ``value`` is not a ticket, an event, a command, an actor, an
            SLA clock, a policy value or a desk, or one of its fields holds a value of
            the wrong type.
        NonexistentInstantError: an instant is a wall time inside a DST gap.
        InvalidValueError: an instant's zone cannot be named in a document (a zone from
            ``ZoneInfo.from_file``, or ``"localtime"``), or a number is NaN or infinite.
        OutOfRangeError: an instant falls outside the years 1 to 9999 in UTC.

    >>> to_document(Actor.agent("bob"))
    {'type': 'Actor', 'id': 'bob', 'role': 'agent', 'schema': 1}
    >>> to_document("bob")
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: to_document's value must be a ticketflow ...
    """
    cls = type(value)
    if _TYPES.get(cls.__name__) is not cls:
        raise InvalidTypeError("to_document's value", _ENCODABLE, value)
    document = cast("dict[str, JsonValue]", _CONVERTER.unstructure(value, cls))
    document["schema"] = SCHEMA
    return document


def from_document(document: Mapping[str, object]) -> object:
    """The ticketflow value a document written by :func:`to_document` describes.

    Raises:
        DocumentError: the document names no ticketflow type, is of a newer schema than
            this ticketflow reads, a field is missing, unknown or of the wrong shape, an
            instant is not one its zone can show, a number is out of range, or the
            value's own checks refuse it (the original error is the ``DocumentError``'s
            ``__cause__``).

    >>> from_document({"type": "Actor", "id": "bob", "role": "agent"})
    Actor(id='bob', role='agent')
    >>> from_document({"type": "Actor", "id": "bob", "role": "agent", "age": 3})
    Traceback (most recent call last):
    ...
    ticketflow.codec.DocumentError: document.age: is not a field of Actor; ...
    """
    if type(document) is not dict and not isinstance(document, Mapping):
        raise DocumentError("document", f"expected an object, got {quoted(document)}")
    name = document.get("type")
    cls = _TYPES.get(name) if type(name) is str else None
    if cls is None:
        raise DocumentError(
            "document.type",
            f"'type' must name a ticketflow value ({quoted_names(sorted(_TYPES))}), "
            f"got {quoted(name)}",
        )
    body = {key: item for key, item in document.items() if key != "schema"}
    body = _UPCASTERS[_schema(document)](body)
    try:
        return _CONVERTER.structure(body, cls)
    except (_RefusalError, ClassValidationError, IterableValidationError) as error:
        where, refusal = _located(error, "document")
        raise DocumentError(where, refusal.what) from refusal.__cause__


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


def _schema(document: Mapping[str, object]) -> int:
    """The schema version of a top-level document: 1 when it names none (written before
    documents carried one)."""
    version = document.get("schema", 1)
    if type(version) is not int or version < 1:
        raise DocumentError(
            "document.schema", f"expected a schema version (1 or more), got {quoted(version)}"
        )
    if version > SCHEMA:
        raise DocumentError(
            "document.schema",
            f"the document is of schema {version}, newer than this ticketflow reads "
            f"({SCHEMA}); upgrade ticketflow to read it",
        )
    return version


# -- refusals and where they are ----------------------------------------------------------


class _RefusalError(Exception):
    """What is wrong with a part of a document; ``suffix`` is its path below that part."""

    def __init__(self, what: str, suffix: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.suffix = suffix


def _located(error: BaseException, where: str) -> tuple[str, _RefusalError]:
    """The path and the refusal of the first problem cattrs' exception groups hold."""
    while isinstance(error, ClassValidationError | IterableValidationError):
        inner = error.exceptions[0]
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                where = f"{where}.{note.name}"
            elif isinstance(note, IterableValidationNote):
                where = f"{where}[{note.index}]"
        error = inner
    if isinstance(error, _RefusalError):
        return where + error.suffix, error
    # Only our hooks and the values' own constructors raise below the groups, and both
    # become _RefusalError; anything else would be a bug in a hook, reported, not swallowed.
    refusal = _RefusalError(f"cannot be read: {quoted(str(error))}")
    refusal.__cause__ = error
    return where, refusal


def _key_path(key: object) -> str:
    # A key from a document may be anything: quote it unless it is a short identifier,
    # so a path stays a line long.
    if type(key) is str and key.isascii() and key.isidentifier() and len(key) <= 64:
        return f".{key}"
    return f"[{quoted(key)}]"


def _refused(build: Callable[[], T], suffix: str = "") -> T:
    """``build()``, with a refusal of the value it builds as a :class:`_RefusalError`."""
    try:
        return build()
    except TicketflowError as error:
        raise _RefusalError(str(error), suffix) from error


# -- what a field may hold ----------------------------------------------------------------


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (Union, types.UnionType)


def _is_tagged(hint: Any) -> bool:
    """Whether a document of ``hint`` carries ``"type"``: the attrs values this module
    writes, not the workflow and the calendar, whose own documents carry none."""
    return isinstance(hint, type) and attrs.has(hint) and hint not in _OWN_DOCUMENTS


def _describe(hint: Any) -> str:
    if _is_union(hint):
        return " or ".join(_describe(option) for option in typing.get_args(hint))
    if typing.get_origin(hint) in (tuple, frozenset):
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


def _init_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(
        field for field in attrs.fields(cast("type[attrs.AttrsInstance]", cls)) if field.init
    )


# -- writing -----------------------------------------------------------------------------


def _unstructure_class(converter: cattrs.Converter, cls: type) -> Callable[[Any], Any]:
    """The writer of an attrs class: cattrs' generated one, each field checked by its hint."""
    hints = typing.get_type_hints(cls)
    overrides = {
        field.name: override(
            unstruct_hook=partial(_encoder(hints[field.name]), f"{cls.__name__}.{field.alias}")
        )
        for field in _init_fields(cls)
    }
    # cattrs types **overrides like its own flags (bool): pass them through a looser type.
    make: Callable[..., Callable[[object], dict[str, object]]] = make_dict_unstructure_fn
    generated = make(cls, converter, _cattrs_use_alias=True, **overrides)
    name = cls.__name__

    def unstructure(value: object) -> dict[str, object]:
        return {"type": name, **generated(value)}

    return unstructure


_Encoder: TypeAlias = Callable[[str, object], JsonValue]


def _encode(hint: Any, what: str, value: object) -> JsonValue:
    """``value``, written where ``hint`` stands, checked by it; ``what`` names it in a refusal."""
    return _encoder(hint)(what, value)


@cache
def _encoder(hint: Any) -> _Encoder:
    """The writer of the values ``hint`` allows, decided once per hint (the class's fields
    are walked by their hints when a class's writer is made, not on every value)."""
    if hint == FieldValue:
        return partial(_field_value_text)
    if _is_union(hint):
        return _union_encoder(hint)
    expected = _describe(hint)
    exact = _exact_encoder(hint, expected)
    if exact is not None:
        return exact
    fits = _fitter(hint)
    write = _plain_encoder(hint)

    def encode(what: str, value: object) -> JsonValue:
        if not fits(value):
            raise InvalidTypeError(what, expected, value)
        return write(what, value)

    return encode


def _exact_encoder(hint: Any, expected: str) -> _Encoder | None:
    """The writer of a scalar, an instant or a tagged value, its fit checked inline: the
    value of exactly the hinted type is the common case and costs one type check."""
    if hint is str or hint is int:
        widen = _plain_encoder(hint)  # a str or int enum, as its plain str or int

        def encode_scalar(what: str, value: object) -> JsonValue:
            if type(value) is hint:
                return cast(JsonValue, value)
            if isinstance(value, hint) and not isinstance(value, bool):
                return widen(what, value)
            raise InvalidTypeError(what, expected, value)

        return encode_scalar
    if hint is bool or hint is type(None):

        def encode_constant(what: str, value: object) -> JsonValue:
            if type(value) is hint:
                return cast(JsonValue, value)
            raise InvalidTypeError(what, expected, value)

        return encode_constant
    if hint is datetime:

        def encode_instant(what: str, value: object) -> JsonValue:
            if isinstance(value, datetime):
                return _instant_text(what, value)
            raise InvalidTypeError(what, expected, value)

        return encode_instant
    if _is_tagged(hint):
        # Looked up on the first value, not here: this runs while cattrs builds the writer
        # of the class that holds the field, which may be ``hint`` itself.
        found: list[Callable[[object], object]] = []

        def encode_value(what: str, value: object) -> JsonValue:
            if type(value) is not hint:
                raise InvalidTypeError(what, expected, value)
            if not found:
                found.append(_CONVERTER.get_unstructure_hook(hint))
            return cast(JsonValue, found[0](value))

        return encode_value
    return None


def _field_value_text(what: str, value: object) -> JsonValue:
    return field_value(what, value, removable=True)


def _union_encoder(hint: Any) -> _Encoder:
    options = [(_fitter(option), _encoder(option)) for option in typing.get_args(hint)]
    expected = _describe(hint)

    def encode(what: str, value: object) -> JsonValue:
        for fits, write in options:
            if fits(value):
                return write(what, value)
        raise InvalidTypeError(what, expected, value)

    return encode


def _plain_encoder(hint: Any) -> _Encoder:
    """The writer of a value that fits ``hint`` (checked before it is called)."""
    origin = typing.get_origin(hint)
    if origin is tuple:
        return _tuple_encoder(hint)
    if origin is frozenset:
        (arg,) = typing.get_args(hint)
        item = _encoder(arg)

        def encode_set(what: str, value: object) -> JsonValue:
            where = f"{what}[]"
            written = [item(where, one) for one in cast("frozenset[object]", value)]
            return sorted(written, key=repr)  # a set has no order: sort, so documents compare

        return encode_set
    if hint is datetime:
        return cast(_Encoder, _instant_text)
    if hint is timedelta:
        return lambda _, value: cast(timedelta, value) // _MICROSECOND
    if hint is float:
        return cast(_Encoder, _finite)
    if hint is FrozenMap:
        return lambda _, value: {
            name: field_value(name, item) for name, item in cast(FrozenMap, value).items()
        }
    if hint in _OWN_DOCUMENTS:
        return lambda _, value: cast(JsonValue, cast(Workflow, value).to_document())
    if isinstance(hint, type) and attrs.has(hint):
        return lambda _, value: cast(JsonValue, _CONVERTER.unstructure(value, hint))
    if hint is str:
        return lambda _, value: str.__str__(cast(str, value))  # a str enum's text, plain
    if hint is int:
        return lambda _, value: int(cast(int, value))  # an int enum's number, plain
    return lambda _, value: cast(JsonValue, value)  # a bool or None: the fit checked it


def _tuple_encoder(hint: Any) -> _Encoder:
    args = typing.get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        item = _encoder(args[0])

        def encode_repeated(what: str, value: object) -> JsonValue:
            items = cast("tuple[object, ...] | list[object]", value)
            return [item(f"{what}[{i}]", one) for i, one in enumerate(items)]

        return encode_repeated
    writers = [_encoder(arg) for arg in args]

    def encode_fixed(what: str, value: object) -> JsonValue:
        items = cast("tuple[object, ...] | list[object]", value)
        if len(writers) != len(items):
            raise InvalidValueError(
                f"{what} holds {len(items)} items", f"give exactly {len(writers)}"
            )
        return [
            write(f"{what}[{i}]", one)
            for i, (write, one) in enumerate(zip(writers, items, strict=True))
        ]

    return encode_fixed


@cache
def _fitter(hint: Any) -> Callable[[object], bool]:
    """Whether a value may be written where ``hint`` stands (no bool for a number)."""
    if hint is datetime or hint is timedelta or hint is FrozenMap or hint is str:
        return lambda value: isinstance(value, hint)
    if hint is int or hint is float:
        numbers = int | hint
        return lambda value: isinstance(value, numbers) and not isinstance(value, bool)
    origin = typing.get_origin(hint)
    if origin is tuple:
        return lambda value: isinstance(value, tuple | list)
    if origin is frozenset:
        return lambda value: isinstance(value, frozenset | set)
    return lambda value: type(value) is hint


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


def _instant_text(what: str, value: object) -> str:
    instant = require_instant(what, value)  # a ZoneInfo or a fixed timezone from here on
    tz = instant.tzinfo
    suffix = "" if type(tz) is timezone else _NAMED.get(tz) or _named(what, cast(ZoneInfo, tz))
    # The UTC reading overflows only in the years 1 and 9999 (an offset is under a day).
    if instant.year in (MINYEAR, MAXYEAR):
        try:
            instant.astimezone(UTC)
        except OverflowError:
            raise OutOfRangeError(
                f"{what} is {instant.isoformat()}, outside the years 1 to 9999 in UTC",
                "give an instant between 0001-01-01 and 9999-12-31 in UTC",
            ) from None
    return instant.isoformat() + suffix


_NAMED: Final[dict[object, str]] = {}
"""The bracketed suffix of each zone already written, by the zone: a zone is checked once."""


def _named(what: str, tz: ZoneInfo) -> str:
    suffix = f"[{_zone(what, tz.key).key}]"
    if len(_NAMED) < _NAMED_LIMIT:  # ZoneInfo.no_cache makes new zones: stay bounded
        _NAMED[tz] = suffix
    return suffix


_NAMED_LIMIT: Final = 1024


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


def _structure_class(converter: cattrs.Converter, cls: type) -> Callable[[object, Any], object]:
    """The reader of an attrs class: its ``"type"`` and its keys checked, then cattrs'
    generated reader, and a refusal by the class's own checks reported at its place."""
    generated: Callable[[Mapping[str, Any], type], object] = make_dict_structure_fn(
        cls, converter, _cattrs_use_alias=True, _cattrs_forbid_extra_keys=False
    )
    fields = {(field.alias or field.name): field for field in _init_fields(cls)}
    required = [key for key, field in fields.items() if field.default is attrs.NOTHING]
    known = quoted_names(fields, limit=len(fields))
    name = cls.__name__

    def structure(document: object, _: object) -> object:
        if type(document) is not dict and not isinstance(document, Mapping):
            raise _RefusalError(f"expected an object (a {name}), got {quoted(document)}")
        tag = document.get("type")
        if type(tag) is not str or tag != name:
            raise _RefusalError(f"expected {name!r}, got {quoted(tag)}", ".type")
        for key in document:
            if key != "type" and key not in fields:
                raise _RefusalError(
                    f"is not a field of {name}; its fields are {known}", _key_path(key)
                )
        for key in required:
            if key not in document:
                raise _RefusalError("is missing", f".{key}")
        try:
            return generated(document, cls)
        except (ClassValidationError, IterableValidationError):
            raise
        # A value's own checks refuse with a TicketflowError; the builtins are caught too,
        # so that no constructor that still raises one lets it escape from the codec.
        except (TicketflowError, TypeError, ValueError) as error:
            raise _RefusalError(str(error)) from error

    return structure


def _structure_union(converter: cattrs.Converter, hint: Any) -> Callable[[object, Any], object]:
    """A field of several types: a document's ``"type"`` picks among the attrs types (a
    tagged union); a JSON scalar is read as the one plain type the union allows."""
    options = typing.get_args(hint)
    tagged = {option.__name__: option for option in options if _is_tagged(option)}
    plain = [o for o in options if o not in tagged.values() and o is not type(None)]
    nullable = type(None) in options
    expected = _describe(hint)
    names = quoted_names(tagged, limit=len(tagged))

    def structure(value: object, _: object) -> object:
        if value is None and nullable:
            return None
        if tagged and (type(value) is dict or isinstance(value, Mapping)):
            tag = value.get("type")
            cls = tagged.get(tag) if type(tag) is str else None
            if cls is None:
                raise _RefusalError(f"'type' must be one of {names}, got {quoted(tag)}", ".type")
            return converter.structure(value, cls)
        if len(plain) == 1:
            return converter.structure(value, plain[0])
        raise _RefusalError(f"expected {expected}, got {quoted(value)}")

    return structure


_Reader: TypeAlias = Callable[[object, Any], object]


def _readers(converter: cattrs.Converter, kinds: tuple[Any, ...]) -> Callable[[], list[_Reader]]:
    """The hooks that read ``kinds``, looked up once, on the first read: a hook factory
    runs while cattrs builds its reader, when a recursive kind's hook does not exist yet."""
    found: list[_Reader] = []

    def readers() -> list[_Reader]:
        if not found:
            found.extend(converter.get_structure_hook(kind) for kind in kinds)
        return found

    return readers


def _structure_tuple(converter: cattrs.Converter, hint: Any) -> _Reader:
    args = typing.get_args(hint)
    repeated = len(args) == 2 and args[1] is Ellipsis
    kinds = args[:1] if repeated else args
    readers = _readers(converter, kinds)

    def structure(value: object, _: object) -> tuple[object, ...]:
        if type(value) is not list:
            raise _RefusalError(f"expected a list, got {quoted(value)}")
        if repeated:
            return tuple(_items(hint, kinds[0], readers()[0], value))
        if len(kinds) != len(value):
            raise _RefusalError(f"expected {len(kinds)} items, got {len(value)}")
        return tuple(
            _items(hint, kind, read, [item], index)[0]
            for index, (kind, read, item) in enumerate(zip(kinds, readers(), value, strict=True))
        )

    return structure


def _structure_set(converter: cattrs.Converter, hint: Any) -> _Reader:
    (arg,) = typing.get_args(hint)
    readers = _readers(converter, (arg,))

    def structure(value: object, _: object) -> frozenset[object]:
        if type(value) is not list:
            raise _RefusalError(f"expected a list, got {quoted(value)}")
        return frozenset(_items(hint, arg, readers()[0], value))

    return structure


def _items(
    hint: Any, kind: Any, read: _Reader, value: list[object], start: int = 0
) -> list[object]:
    """The items of a list, each read as ``kind``; the first refusal is reported at its
    index, in cattrs' own exception group so that :func:`_located` finds the path."""
    out: list[object] = []
    for index, item in enumerate(value, start):
        try:
            out.append(read(item, kind))
        except Exception as error:
            error.add_note(IterableValidationNote(f"@ index {index}", index, kind))
            raise IterableValidationError(f"While reading {hint}", [error], hint) from None
    return out


def _strict(kind: type, expected: str) -> Callable[[object, Any], object]:
    def structure(value: object, _: object) -> object:
        if type(value) is kind:
            return value
        raise _RefusalError(f"expected {expected}, got {quoted(value)}")

    return structure


def _number(value: object, _: object) -> float:
    if type(value) is float or type(value) is int:
        return _refused(partial(_finite, "the number", value))
    raise _RefusalError(f"expected a finite number, got {quoted(value)}")


def _duration(value: object, _: object) -> timedelta:
    if type(value) is not int:
        raise _RefusalError(f"expected a duration in microseconds, got {quoted(value)}")
    try:
        return timedelta(microseconds=value)
    except OverflowError:
        raise _RefusalError(
            f"{quoted(value)} microseconds is more than a duration holds (999999999 days)"
        ) from None


def _field_value(value: object, _: object) -> FieldValue:
    return _refused(partial(field_value, "the value", value, removable=True))


def _custom_fields(value: object, _: object) -> FrozenMap:
    if not isinstance(value, Mapping):
        raise _RefusalError(f"expected an object of custom fields, got {quoted(value)}")
    checked: dict[str, FieldValue] = {}
    for name, item in value.items():
        checked[name] = _refused(partial(field_value, name, item), _key_path(name))
    return _refused(lambda: FrozenMap(checked))


def _own_document(cls: type) -> Callable[[object, Any], object]:
    def structure(value: object, _: object) -> object:
        if not isinstance(value, Mapping):
            raise _RefusalError(f"expected an object (a {cls.__name__}), got {quoted(value)}")
        read: Callable[[object], object] = getattr(cls, "from_document")  # noqa: B009 - two classes
        return _refused(partial(read, value))

    return structure


def _instant(value: object, _: object) -> datetime:
    if type(value) is not str:
        raise _RefusalError(f"expected an instant (an RFC 3339 string), got {quoted(value)}")
    text, key = value, None
    if value.endswith("]") and "[" in value:
        text, _, key = value[:-1].partition("[")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise _RefusalError(f"{quoted(value)} is not an RFC 3339 instant") from None
    if parsed.tzinfo is None:
        raise _RefusalError(f"{quoted(value)} has no UTC offset")
    zone = None if key is None else _ZONES.get(key) or _read_zone(value, key)
    try:
        # The UTC reading overflows only in the years 1 and 9999 (an offset is under a day).
        if parsed.year in (MINYEAR, MAXYEAR):
            parsed.astimezone(UTC)
        if zone is None:
            return parsed
        instant = parsed.astimezone(zone)
        # One instant at two offsets shows two wall times, the same one only at one offset.
        if instant.utcoffset() == parsed.utcoffset():
            return instant  # in a repeated hour, the offset chose the fold
        problem = _wall_problem(parsed, zone)
    except OverflowError:
        problem = "it is outside the years 1 to 9999 in UTC or in its zone"
    raise _RefusalError(f"{quoted(value)}: {problem}")


_ZONES: Final[dict[str, ZoneInfo]] = {}
"""The zones instants named already, by their keys: a key is checked once."""


def _read_zone(value: str, key: str) -> ZoneInfo:
    zone = _refused(partial(_zone, f"the instant {quoted(value)}", key))
    if len(_ZONES) < _NAMED_LIMIT:
        _ZONES[key] = zone
    return zone


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


def _is_field_value(hint: Any) -> bool:
    return bool(hint == FieldValue)


def _origin_is(origin: type) -> Callable[[Any], bool]:
    return lambda hint: typing.get_origin(hint) is origin


@cache
def _converter() -> cattrs.Converter:
    """The one converter; later registrations take precedence in cattrs."""
    converter = cattrs.Converter(detailed_validation=True)
    converter.register_structure_hook_factory(_is_tagged, partial(_structure_class, converter))
    converter.register_unstructure_hook_factory(_is_tagged, partial(_unstructure_class, converter))
    converter.register_structure_hook_factory(_is_union, partial(_structure_union, converter))
    converter.register_structure_hook_factory(
        _origin_is(tuple), partial(_structure_tuple, converter)
    )
    converter.register_structure_hook_factory(
        _origin_is(frozenset), partial(_structure_set, converter)
    )
    converter.register_structure_hook_func(_is_field_value, _field_value)
    for kind, expected in ((str, "a string"), (int, "an integer"), (bool, "a boolean")):
        converter.register_structure_hook(kind, _strict(kind, expected))
    converter.register_structure_hook(float, _number)
    converter.register_structure_hook(datetime, _instant)
    converter.register_structure_hook(timedelta, _duration)
    converter.register_structure_hook(FrozenMap, _custom_fields)
    for cls in _OWN_DOCUMENTS:
        converter.register_structure_hook(cls, _own_document(cls))
    return converter


_CONVERTER: Final = _converter()
