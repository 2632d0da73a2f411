"""Instants: aware datetimes, checked where they enter and compared exactly.

Python compares two datetimes that share a ``tzinfo`` by their wall clocks and ignores
``fold`` (PEP 495). In a repeated hour that orders instants wrongly: in Berlin on
2026-10-25, 02:50+02:00 (00:50Z) compares *after* 02:10+01:00 (fold=1, 01:10Z). So no
module compares or subtracts instants directly; they go through :func:`utc` (or the
integer microseconds of :func:`micros`), which are exact, or :func:`before` and
:func:`not_after`, which are too.

A wall time inside a DST gap (02:30 in Berlin on 2026-03-29) names no instant anybody
observed; where an instant enters ticketflow it is refused (:func:`require_instant`:
commands, tickets, the codec, calendar queries), and ticketflow computes none (the
calendar moves an edge in a gap forward to the transition). That invariant is what
makes the fast path of :func:`before` exact: two instants of one zone that are both on
its first reading (``fold=0``) are ordered by their wall clocks, since along that
reading local time only ever moves forward (past a gap it jumps, at the end of a fold
it jumps again). Only a gap wall time would break that, and there is none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Final
from zoneinfo import ZoneInfo

from ticketflow._errors import (
    InvalidTypeError,
    InvalidValueError,
    NaiveDatetimeError,
    NonexistentInstantError,
)

__all__ = [
    "EPOCH",
    "before",
    "is_nonexistent",
    "micros",
    "not_after",
    "require_aware",
    "require_instant",
    "utc",
]

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_FIXED: Final = timezone


def utc(value: datetime) -> datetime:
    """``value`` in UTC: the form in which instants compare and subtract exactly.

    >>> from zoneinfo import ZoneInfo
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> first = datetime(2026, 10, 25, 2, 50, tzinfo=berlin)           # 00:50Z
    >>> second = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin)  # 01:10Z
    >>> second < first, utc(first) < utc(second)
    (True, True)
    """
    # A fixed offset has no folds: its wall clock orders exactly (the common case of
    # UTC instants costs nothing).
    if type(value.tzinfo) is _FIXED:
        return value
    return value.astimezone(UTC)


def before(a: datetime, b: datetime) -> bool:
    """Whether instant ``a`` is strictly earlier than instant ``b``: exact, folds included.

    >>> from zoneinfo import ZoneInfo
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> first = datetime(2026, 10, 25, 2, 50, tzinfo=berlin)           # 00:50Z
    >>> second = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin)  # 01:10Z
    >>> before(first, second), before(second, first)
    (True, False)
    """
    if a.tzinfo is b.tzinfo and not (a.fold or b.fold):
        return a < b  # one zone, its first reading: see the module's docstring
    return utc(a) < utc(b)


def not_after(a: datetime, b: datetime) -> bool:
    """Whether instant ``a`` is earlier than or the same as instant ``b`` (exact).

    >>> from zoneinfo import ZoneInfo
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> not_after(datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=berlin),
    ...           datetime(2026, 10, 25, 1, 10, tzinfo=UTC))
    True
    """
    if a.tzinfo is b.tzinfo and not (a.fold or b.fold):
        return a <= b
    return utc(a) <= utc(b)


def micros(value: datetime) -> int:
    """Microseconds since 1970-01-01T00:00Z: an exact integer key for an instant.

    >>> micros(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
    1000000
    """
    return (utc(value) - EPOCH) // timedelta(microseconds=1)


def is_nonexistent(value: datetime) -> bool:
    """Whether the aware ``value`` is a wall time its zone skipped (inside a DST gap).

    >>> from zoneinfo import ZoneInfo
    >>> is_nonexistent(datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    True
    >>> is_nonexistent(datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    False
    """
    tz = value.tzinfo
    if type(tz) is _FIXED or tz is None:
        return False
    offset = value.utcoffset()
    if value.replace(fold=1 - value.fold).utcoffset() == offset:
        return False  # neither a fold nor a gap: the usual case, two offset look-ups
    # A fold or a gap: in a gap the wall time does not survive a round trip.
    back = value.astimezone(UTC).astimezone(tz)
    return back.replace(tzinfo=None) != value.replace(tzinfo=None)


def require_aware(what: str, value: object) -> datetime:
    """Return ``value`` if it is an aware datetime, else raise :class:`NaiveDatetimeError`.

    >>> require_aware("at", datetime(2026, 1, 5, 9, tzinfo=UTC)).hour
    9
    >>> require_aware("at", datetime(2026, 1, 5, 9))
    Traceback (most recent call last):
    ...
    ticketflow._errors.NaiveDatetimeError: at is a naive datetime (2026-01-05T09:00:00); ...
    """
    if not isinstance(value, datetime):
        raise InvalidTypeError(what, "an aware datetime", value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(what, value)
    return value


def require_instant(what: str, value: object) -> datetime:
    """Return ``value`` if it is an aware datetime that names a real instant.

    Raises:
        InvalidTypeError: ``value`` is not a datetime (a string, a ``date``), or its zone
            is neither a ``zoneinfo.ZoneInfo`` nor a fixed ``datetime.timezone``.
        NaiveDatetimeError: it has no time zone.
        NonexistentInstantError: it is a wall time inside a DST gap.
        InvalidValueError: its fixed UTC offset has a fraction of a second.

    >>> from zoneinfo import ZoneInfo
    >>> require_instant("at", datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Berlin")))
    Traceback (most recent call last):
    ...
    ticketflow._errors.NonexistentInstantError: at is 2026-03-29T02:30:00 in Europe/Berlin, ...
    """
    value = require_aware(what, value)
    tz = value.tzinfo
    if type(tz) is not _FIXED and type(tz) is not ZoneInfo:
        # Other tzinfo classes (pytz, dateutil) answer folds and gaps their own way, so
        # neither exact comparison nor the gap check could be trusted with them.
        raise InvalidTypeError(
            f"{what}'s time zone", "a zoneinfo.ZoneInfo or a datetime.timezone", tz
        )
    if type(tz) is _FIXED:
        if tz.utcoffset(None).microseconds:
            raise InvalidValueError(
                f"{what}'s UTC offset is {tz.utcoffset(None)}, a fraction of a second, "
                "which no stored instant (RFC 3339) can hold",
                "give an offset of whole minutes, such as timezone(timedelta(hours=1))",
            )
        return value  # a fixed offset has no gaps
    if is_nonexistent(value):
        raise NonexistentInstantError(what, value)
    return value
