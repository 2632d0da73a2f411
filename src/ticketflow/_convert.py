"""Converters shared by the values that take names: a lone string is one name.

``frozenset("agent")`` would be a set of letters; these treat a string as a single
name and anything else as an iterable of names.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["names", "sequence"]


def names(value: str | Iterable[str]) -> frozenset[str]:
    """A set of names from one name or several.

    >>> sorted(names("agent")), sorted(names(["agent", "system"]))
    (['agent'], ['agent', 'system'])
    """
    return frozenset({value}) if isinstance(value, str) else frozenset(value)


def sequence(value: str | Iterable[str]) -> tuple[str, ...]:
    """A tuple of names, in order, from one name or several.

    >>> sequence("closed"), sequence(["canceled", "closed"])
    (('closed',), ('canceled', 'closed'))
    """
    return (value,) if isinstance(value, str) else tuple(value)
