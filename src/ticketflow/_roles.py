"""Declared roles: a host's role names and the staff powers each holds.

A workflow's transitions say who may move a ticket; a :class:`Role` says what else a
host-defined role may do: the staff powers of :data:`STAFF_POWERS` (assign, change the
priority, set fields, write internal notes, answer the requester, mute, change the
support level), or none, for a read-only role that only sees tickets. A desk lists its
roles in ``Desk(roles=...)``; every declared role sees every ticket of the desk.

Dependencies: the errors, the vocabulary and the role-name rule of the ticket module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import final

import attrs

from ticketflow._errors import InvalidTypeError, InvalidValueError, quoted, quoted_names
from ticketflow._ticket import require_role
from ticketflow._vocabulary import STAFF_POWERS

__all__ = ["Role"]


def _powers(value: str | Iterable[str]) -> frozenset[str]:
    """The powers of a role: known power names, one or several."""
    found: tuple[object, ...]
    if isinstance(value, str):
        found = (value,)
    else:
        try:
            found = tuple(value)
        except TypeError:  # not iterable: the one value is what is wrong
            found = (value,)
    for power in found:
        if type(power) is not str:
            raise InvalidTypeError("Role.may", "a staff power's name (str), or several", power)
        if power not in STAFF_POWERS:
            raise InvalidValueError(
                f"Role.may holds {quoted(power)}, which is not a staff power",
                f"name powers from {quoted_names(STAFF_POWERS, limit=len(STAFF_POWERS))}, "
                "or none for a read-only role",
            )
    return frozenset(p for p in found if isinstance(p, str))


@final
@attrs.frozen
class Role:
    """A role a desk declares, and the staff powers it holds beyond its transitions.

    Args:
        name: the role's name (1-64 lowercase ASCII letters, digits or ``_``, starting
            with a letter), as the host's actors carry it.
        may: the staff powers it holds, from :data:`~ticketflow.STAFF_POWERS`; none
            (the default) for a read-only role that sees every ticket and changes
            nothing but what its transitions allow.

    Raises:
        InvalidTypeError: a name that is not a string.
        InvalidValueError: a malformed name, or a power that does not exist.

    >>> Role("triage", may={"assign", "change_priority"}).may == {"assign", "change_priority"}
    True
    >>> Role("readonly_auditor").may
    frozenset()
    >>> Role("triage", may={"asign"})
    Traceback (most recent call last):
    ...
    ticketflow._errors.InvalidValueError: Role.may holds 'asign', which is not a staff power; ...
    """

    name: str = attrs.field(validator=lambda _, __, v: require_role("Role.name", v))
    may: frozenset[str] = attrs.field(default=frozenset(), converter=_powers, kw_only=True)
