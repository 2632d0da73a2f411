"""The type checks every constructor and function shares: one encoding of each rule.

Values come from hosts that copy forms, rows and documents into ticketflow's values, so
a wrong type must be a typed error that names the field (``InvalidTypeError``, also a
``TypeError``), never a bare ``TypeError`` or ``AttributeError`` from deep inside.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Mapping
from typing import Final, TypeAlias, TypeVar, Union, get_args, get_origin, overload

import attrs

from ticketflow._errors import InvalidTypeError, InvalidValueError

__all__ = [
    "names",
    "sequence",
    "LARGEST_INT",
    "Check",
    "FieldChecks",
    "check_fields",
    "field_checks",
    "is_a",
    "items_of",
    "optional",
    "require_int",
    "require_str",
    "sequence_of",
    "unchecked",
]

T = TypeVar("T")

Check: TypeAlias = Callable[[str, object], None]
"""A check of one value: raises a typed error naming ``what`` when the value is wrong."""
FieldChecks: TypeAlias = tuple[tuple[str, Check], ...]
"""The check of each field of an attrs class, in field order."""

LARGEST_INT: Final = 2**63 - 1
"""The largest integer ticketflow takes (what a database's BIGINT holds); its negative
is the smallest."""


def require_str(what: str, value: object) -> str:
    """Return ``value`` if it is a string, else raise :class:`InvalidTypeError`.

    >>> require_str("a label", 3)
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: a label must be a string, got int 3; give a string
    """
    if not isinstance(value, str):
        raise InvalidTypeError(what, "a string", value)
    return value


def require_int(what: str, value: object) -> int:
    """Return ``value`` if it is an integer within 64 bits (not a bool), else raise.

    Raises:
        InvalidTypeError: not an ``int``, or a ``bool`` (True is not a level nor a count).
        InvalidValueError: beyond ``±LARGEST_INT``.

    >>> require_int("level", 2)
    2
    >>> require_int("level", True)
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: level must be an integer, got bool True; ...
    """
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidTypeError(what, "an integer", value)
    if not -LARGEST_INT <= value <= LARGEST_INT:
        raise InvalidValueError(
            f"{what} is an integer of {value.bit_length()} bits",
            "give an integer between -(2**63 - 1) and 2**63 - 1",
        )
    return value


@overload
def sequence_of(what: str, expected: str, value: Iterable[T]) -> tuple[T, ...]: ...
@overload
def sequence_of(what: str, expected: str, value: object) -> tuple[object, ...]: ...
def sequence_of(what: str, expected: str, value: object) -> tuple[object, ...]:
    """``value``'s items, if it is an iterable other than a string, else raise.

    Typed as what the caller declares (``Iterable[Duration]``: a tuple of durations);
    the items' own types are the caller's to check.

    >>> sequence_of("reminders", "an iterable of durations", None)
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: reminders must be an iterable of durations, ...
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(what, expected, value)
    return tuple(value)


def items_of(what: str, kind: type[T], value: object) -> tuple[T, ...]:
    """``value``'s items, each a ``kind``, else raise :class:`InvalidTypeError`.

    >>> items_of("rules", int, [1, "2"])
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: an item of rules must be an int, got str '2'; ...
    """
    name = kind.__name__
    article = "an" if name[0].lower() in "aeiou" else "a"
    checked: list[T] = []
    for item in sequence_of(what, f"an iterable of {name}", value):
        if not isinstance(item, kind):
            raise InvalidTypeError(f"an item of {what}", f"{article} {name}", item)
        checked.append(item)
    return tuple(checked)


def is_a(expected: type, label: str) -> Check:
    """A check that the value is an instance of ``expected`` (``label`` in messages)."""

    def check(what: str, value: object) -> None:
        if not isinstance(value, expected):
            raise InvalidTypeError(what, label, value)

    return check


def storable_text(what: str, value: object) -> None:
    """That ``value`` is a string a database's text column can hold: no NUL character
    (PostgreSQL's text refuses it) and no lone surrogate (no UTF-8 text holds one).

    >>> storable_text("Actor.id", "al\\x00ice")
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidValueError: Actor.id holds a NUL character, which no ...
    """
    if not isinstance(value, str):
        raise InvalidTypeError(what, "a string", value)
    if "\x00" in value:
        raise InvalidValueError(
            f"{what} holds a NUL character, which no database text column stores", "remove it"
        )
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = value[error.start]
        raise InvalidValueError(
            f"{what} holds a lone surrogate ({bad!a}), which no UTF-8 text can hold",
            "give it as valid Unicode text (decode its bytes with errors='replace')",
        ) from None


def optional(check: Check) -> Check:
    """``check``, or ``None``."""

    def check_optional(what: str, value: object) -> None:
        if value is not None:
            check(what, value)

    return check_optional


def unchecked(what: str, value: object) -> None:
    """For a field checked elsewhere (a converter or a validator of its own)."""


def field_checks(
    cls: type, by_type: Mapping[object, Check], namespace: dict[str, object]
) -> FieldChecks:
    """The check of each field of the attrs class ``cls``, from its annotations.

    ``by_type`` maps an annotation to its check (a union may be a key of its own, such
    as ``FieldValue``); ``X | None`` is ``optional`` of ``X``'s check; any other union is
    left to the field's own validator. ``namespace`` resolves the annotations' names.
    """
    attrs.resolve_types(cls, namespace)

    def check_for(annotation: object) -> Check:
        if annotation in by_type:
            return by_type[annotation]
        if get_origin(annotation) in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) == 1 and type(None) in get_args(annotation):
                return optional(check_for(args[0]))
            return unchecked
        return by_type[annotation]

    return tuple((f.name, check_for(f.type)) for f in attrs.fields(cls))


def check_fields(value: object, checks: FieldChecks) -> None:
    """Run ``checks`` on ``value``'s fields, naming each as ``Class.field``."""
    name = type(value).__name__
    for field, check in checks:
        check(f"{name}.{field}", getattr(value, field))


# -- names: a lone string is one name ---------------------------------------------------
# ``frozenset("agent")`` would be a set of letters; these treat a string as a single
# name and anything else as an iterable of names.


def names(value: str | Iterable[str]) -> frozenset[str]:
    """A set of names from one name or several.

    >>> sorted(names("agent")), sorted(names(["agent", "system"]))
    (['agent'], ['agent', 'system'])
    >>> names([["agent"]])
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidTypeError: names must be a name or an iterable of names, ...
    """
    if isinstance(value, str):
        return frozenset({value})
    try:
        return frozenset(value)
    except TypeError:  # not iterable, or an unhashable item such as a list
        raise InvalidTypeError("names", "a name or an iterable of names", value) from None


def sequence(value: str | Iterable[str]) -> tuple[str, ...]:
    """A tuple of names, in order, from one name or several.

    >>> sequence("closed"), sequence(["canceled", "closed"])
    (('closed',), ('canceled', 'closed'))
    """
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(value)
    except TypeError:  # not iterable
        raise InvalidTypeError("names", "a name or an iterable of names", value) from None
