"""Durations of time-driven rules: real time, local days, business time, business days.

A timer, an auto-close period, a reminder lead or a reopen window is a
:data:`Duration`; :func:`shift` turns one into an instant with the desk's calendar:

- a ``timedelta`` is **real elapsed time** (72 hours are 72 hours, DST or not);
- :class:`CalendarDays` are **local days at the same wall time** in the calendar's zone
  (a 15-day timer started at 10:00 before a DST change fires at 10:00 local);
- :class:`BusinessTime` is time inside the calendar's opening windows;
- :class:`BusinessDays` are the calendar's business days, at the same wall time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypeAlias, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar import _wall_to_us as wall_to_us

__all__ = [
    "BusinessDays",
    "BusinessTime",
    "CalendarDays",
    "Duration",
    "describe",
    "duration_from_document",
    "duration_to_document",
    "is_positive",
    "shift",
]


@final
@attrs.frozen
class CalendarDays:
    """``days`` local days at the same wall time, in the calendar's time zone.

    >>> CalendarDays(30)
    CalendarDays(days=30)
    """

    days: int


@final
@attrs.frozen
class BusinessTime:
    """A span of business time: real time inside the calendar's opening windows.

    >>> from datetime import timedelta
    >>> BusinessTime(timedelta(hours=8))
    BusinessTime(duration=datetime.timedelta(seconds=28800))
    """

    duration: timedelta


@final
@attrs.frozen
class BusinessDays:
    """``days`` business days of the calendar, at the same local wall time.

    >>> BusinessDays(3)
    BusinessDays(days=3)
    """

    days: int


Duration: TypeAlias = timedelta | CalendarDays | BusinessTime | BusinessDays
"""How long a time-driven rule waits; see the module documentation."""


def shift(
    calendar: BusinessCalendar, start: datetime, duration: Duration, sign: int = 1
) -> datetime:
    """The instant ``duration`` after ``start`` (before it when ``sign`` is -1).

    Args:
        calendar: the desk's calendar (its zone for local days, its windows otherwise).
        start: an aware instant.
        duration: how far to move.
        sign: 1 to move forward, -1 to move back.

    Returns:
        An aware instant in the calendar's zone.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> cal = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")
    >>> before_dst = datetime(2026, 3, 20, 10, tzinfo=berlin)
    >>> shift(cal, before_dst, CalendarDays(15)).isoformat()  # same wall time after DST
    '2026-04-04T10:00:00+02:00'
    >>> shift(cal, before_dst, timedelta(days=15)).isoformat()  # 360 real hours
    '2026-04-04T11:00:00+02:00'
    >>> shift(cal, before_dst, BusinessDays(3)).isoformat()  # Friday + 3 business days
    '2026-03-25T10:00:00+01:00'
    """
    match duration:
        case timedelta():
            # Aware arithmetic in Python is wall-clock arithmetic; real time is UTC's.
            moved = start.astimezone(UTC) + sign * duration
            return moved.astimezone(calendar.zone)
        case CalendarDays(days=days):
            return _local_days(calendar, start, sign * days)
        case BusinessTime(duration=span):
            return calendar.add(start, sign * span)
        case BusinessDays(days=days):
            return calendar.add_business_days(start, sign * days)


def _local_days(calendar: BusinessCalendar, start: datetime, days: int) -> datetime:
    """The same local wall time ``days`` local dates later, by the calendar's edge rule
    (a wall time in a DST gap moves forward to the transition; a repeated one is its
    first occurrence)."""
    zone = calendar.zone
    wall = start.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return (_EPOCH + timedelta(microseconds=wall_to_us(zone, wall))).astimezone(zone)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def is_positive(duration: Duration) -> bool:
    """Whether ``duration`` moves time forward at all."""
    match duration:
        case timedelta():
            return duration > timedelta(0)
        case CalendarDays(days=days) | BusinessDays(days=days):
            return days > 0
        case BusinessTime(duration=span):
            return span > timedelta(0)


def describe(duration: Duration) -> str:
    """A short human reading: ``"3 business days"``, ``"30 days"``, ``"8:00:00"``.

    >>> describe(BusinessDays(1)), describe(CalendarDays(30)), describe(timedelta(hours=4))
    ('1 business day', '30 days', '4:00:00')
    """
    match duration:
        case timedelta():
            return str(duration)
        case CalendarDays(days=days):
            return f"{days} day{'s' if days != 1 else ''}"
        case BusinessDays(days=days):
            return f"{days} business day{'s' if days != 1 else ''}"
        case BusinessTime(duration=span):
            return f"{span} of business time"


_UNITS = {
    "seconds": "real",
    "minutes": "real",
    "hours": "real",
    "days": "calendar_days",
    "business_hours": "business",
    "business_minutes": "business",
    "business_days": "business_days",
}


def duration_to_document(duration: Duration) -> dict[str, int | float]:
    """``duration`` as a one-key document: ``{"business_days": 3}``, ``{"hours": 72}``...

    >>> duration_to_document(BusinessDays(3)), duration_to_document(timedelta(hours=72))
    ({'business_days': 3}, {'hours': 72})
    """
    match duration:
        case timedelta():
            return {"hours": _number(duration / timedelta(hours=1))}
        case CalendarDays(days=days):
            return {"days": days}
        case BusinessDays(days=days):
            return {"business_days": days}
        case BusinessTime(duration=span):
            return {"business_hours": _number(span / timedelta(hours=1))}


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def duration_from_document(document: object) -> Duration | str:
    """Read a one-key duration document; returns the duration, or what is wrong with it.

    >>> duration_from_document({"business_days": 3})
    BusinessDays(days=3)
    >>> duration_from_document({"weeks": 2})
    "unknown unit 'weeks': use one of seconds, minutes, hours, days, business_hours, ..."
    """
    units = ", ".join(_UNITS)
    if not isinstance(document, dict) or len(document) != 1:
        return f"a duration is one unit and an amount, e.g. {{business_days = 3}}; got {document!r}"
    ((unit, amount),) = document.items()
    if unit not in _UNITS:
        return f"unknown unit {unit!r}: use one of {units}"
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return f"the amount of {unit} must be a number, got {amount!r}"
    if unit in ("days", "business_days"):
        if not isinstance(amount, int):
            return f"{unit} must be a whole number, got {amount!r}"
        return CalendarDays(amount) if unit == "days" else BusinessDays(amount)
    if unit.startswith("business_"):
        return BusinessTime(timedelta(**{unit.removeprefix("business_"): amount}))
    return timedelta(**{unit: amount})
