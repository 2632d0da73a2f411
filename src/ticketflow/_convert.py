"""Converters shared by the values that take names: a lone string is one name.

``frozenset("agent")`` would be a set of letters; these treat a string as a single
name and anything else as an iterable of names.
"""

from __future__ import annotations

from collections.abc import Iterable

from ticketflow._errors import InvalidTypeError

__all__ = ["names", "sequence"]


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
