"""Durations of time-driven rules: real time, local days, business time, business days.

A timer, an auto-close period, a reminder lead or a reopen window is a
:data:`Duration`; :func:`shift` turns one into an instant with the desk's calendar:

- a ``timedelta`` is **real elapsed time** (72 hours are 72 hours, DST or not);
- :class:`CalendarDays` are **local days at the same wall time** in the calendar's zone
  (a 15-day timer started at 10:00 before a DST change fires at 10:00 local);
- :class:`BusinessTime` is time inside the calendar's opening windows;
- :class:`BusinessDays` are the calendar's business days, at the same wall time.

Every duration a definition holds (a timer's wait, a reminder's lead, a reopen window,
an auto-close period) is positive and at most :data:`MAX_DURATION_DAYS` days (100
years) of its kind, checked when the definition is built by :func:`check_duration`;
so no rule a desk accepts overflows ``datetime`` in ordinary use, and an instant moved
past the years 1 to 9999 raises :class:`~ticketflow.CalendarRangeError`.

Dependencies: this module moves instants only through :class:`~ticketflow.BusinessCalendar`'s
public methods (``zone``, ``add``, ``add_days``, ``add_business_days``); it imports no
private name of the calendar modules.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Final, TypeAlias, TypeGuard, final

import attrs

from ticketflow._calendar import BusinessCalendar
from ticketflow._errors import CalendarRangeError, OutOfRangeError, Problem, quoted

__all__ = [
    "MAX_DURATION",
    "MAX_DURATION_DAYS",
    "BusinessDays",
    "BusinessTime",
    "CalendarDays",
    "Duration",
    "check_duration",
    "describe",
    "duration_from_document",
    "duration_to_document",
    "is_duration",
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

MAX_DURATION_DAYS: Final = 36_525
"""The longest duration a definition may hold, in days of its kind (100 years): a
``timedelta`` or :class:`BusinessTime` of at most that many days, :class:`CalendarDays`
or :class:`BusinessDays` of at most that many."""
MAX_DURATION: Final = timedelta(days=MAX_DURATION_DAYS)
""":data:`MAX_DURATION_DAYS` as a ``timedelta``."""
_MAX_READING: Final = f"{MAX_DURATION_DAYS:,} days (100 years)"


def check_duration(where: str, duration: object, what: str = "the duration") -> Problem | None:
    """The problem with ``duration`` as a rule's wait, lead or window, or ``None``.

    A definition's duration must be a :data:`Duration`, positive and at most
    :data:`MAX_DURATION_DAYS` days of its kind. Workflows check their timers, reminders
    and reopen windows with it, and desks their policies' periods.

    Args:
        where: the place for the problem, e.g. ``"timer 'auto-close'"``.
        duration: the value to check (any object: a wrong type is a problem too).
        what: what the duration is to its owner, e.g. ``"its wait"``.

    Returns:
        ``None`` when the duration is fine, else the :class:`~ticketflow.Problem`.

    >>> check_duration("timer 'x'", BusinessDays(3)) is None
    True
    >>> problem = check_duration("timer 'x'", timedelta(minutes=-1e-7), "its wait")
    >>> problem.what, problem.fix
    ('its wait is negative (-6 µs)', 'give a positive duration of at most 36,525 days (100 years)')
    >>> print(check_duration("timer 'x'", CalendarDays(10**9), "its wait").what)
    its wait is longer than the maximum of 36,525 days (100 years): 1000000000 days
    """
    fix = f"give a positive duration of at most {_MAX_READING}"
    fault = _duration_fault(duration)
    if fault is None:
        return None
    return Problem(where, f"{what} {fault}", fix)


def is_duration(value: object) -> TypeGuard[Duration]:
    """Whether ``value`` is a :data:`Duration` whose kind holds its own type (whatever
    its sign or size): ``BusinessTime(3)`` or ``CalendarDays(True)`` is none.

    >>> is_duration(BusinessDays(3)), is_duration(BusinessTime(3)), is_duration("3 days")
    (True, False, False)
    """
    # type() checks, not isinstance: a bool is an int, and must not count as days.
    match value:
        case timedelta() | BusinessTime(duration=timedelta()):
            return True
        case CalendarDays(days=days) | BusinessDays(days=days):
            return type(days) is int
    return False


def _duration_fault(duration: object) -> str | None:
    if not is_duration(duration):
        return (
            f"is not a duration: {quoted(duration)}; durations are a timedelta, "
            "CalendarDays, BusinessTime or BusinessDays"
        )
    match duration:
        case timedelta():
            span = duration
        case CalendarDays(days=days) | BusinessDays(days=days):
            if days <= 0:
                return f"is {'zero' if days == 0 else 'negative'} ({describe(duration)})"
            if days > MAX_DURATION_DAYS:
                return f"is longer than the maximum of {_MAX_READING}: {describe(duration)}"
            return None
        case BusinessTime(duration=span):
            pass
    if span <= timedelta(0):
        return f"is {'zero' if not span else 'negative'} ({describe(duration)})"
    if span > MAX_DURATION:
        return f"is longer than the maximum of {_MAX_READING}: {describe(duration)}"
    return None


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

    Raises:
        CalendarRangeError: the instant falls outside the years 1 to 9999 that
            ``datetime`` can hold (a ticket answered in 9999-12 with a 30-day timer).

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
    try:
        match duration:
            case timedelta():
                # Aware arithmetic in Python is wall-clock arithmetic; real time is UTC's.
                moved = start.astimezone(UTC) + sign * duration
                return moved.astimezone(calendar.zone)
            case CalendarDays(days=days):
                return calendar.add_days(start, sign * days)
            case BusinessTime(duration=span):
                return calendar.add(start, sign * span)
            case BusinessDays(days=days):
                return calendar.add_business_days(start, sign * days)
    except OutOfRangeError:
        raise
    except OverflowError:
        # datetime's own range error (years 1 to 9999), typed like the calendar's.
        raise CalendarRangeError from None


def is_positive(duration: Duration) -> bool:
    """Whether ``duration`` moves time forward at all; a kind holding the wrong type
    (``BusinessTime(3)``, a problem :func:`check_duration` reports) does not."""
    if not is_duration(duration):
        return False
    match duration:
        case timedelta():
            return duration > timedelta(0)
        case CalendarDays(days=days) | BusinessDays(days=days):
            return days > 0
        case BusinessTime(duration=span):
            return span > timedelta(0)


def describe(duration: Duration) -> str:
    """A short human reading: ``"3 business days"``, ``"30 days"``, ``"8:00:00"``.

    A negative duration reads with a leading minus, and one shorter than a second in
    microseconds (``str(timedelta)`` would say ``"-1 day, 23:59:59.999994"``).

    >>> describe(BusinessDays(1)), describe(CalendarDays(30)), describe(timedelta(hours=4))
    ('1 business day', '30 days', '4:00:00')
    >>> describe(timedelta(minutes=-1e-7)), describe(timedelta(hours=-2))
    ('-6 µs', '-2:00:00')

    A kind holding the wrong type (``BusinessTime(3)``) reads as its repr (shortened
    when long): a definition naming it is built, and its check reports the problem.
    """
    if not is_duration(duration):
        return quoted(duration)
    match duration:
        case timedelta():
            return _span(duration)
        case CalendarDays(days=days):
            return f"{days} day{'s' if abs(days) != 1 else ''}"
        case BusinessDays(days=days):
            return f"{days} business day{'s' if abs(days) != 1 else ''}"
        case BusinessTime(duration=span):
            return f"{_span(span)} of business time"


def _span(span: timedelta) -> str:
    if span < timedelta(0):
        return f"-{_span(-span)}" if span != timedelta.min else "-" + str(timedelta.max)
    if span and span < timedelta(seconds=1):
        return f"{span.microseconds} µs"
    return str(span)


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


_MAX_AMOUNT: Final = 10**12  # more seconds than the maximum duration holds, in any unit


def duration_from_document(document: object) -> Duration | str:
    """Read a one-key duration document; returns the duration, or what is wrong with it.

    >>> duration_from_document({"business_days": 3})
    BusinessDays(days=3)
    >>> duration_from_document({"weeks": 2})
    "unknown unit 'weeks': use one of seconds, minutes, hours, days, business_hours, ..."
    """
    units = ", ".join(_UNITS)
    if not isinstance(document, dict) or len(document) != 1:
        return (
            "a duration is one unit and an amount, e.g. {business_days = 3}; "
            f"got {quoted(document)}"
        )
    ((unit, amount),) = document.items()
    if unit not in _UNITS:
        return f"unknown unit {quoted(unit)}: use one of {units}"
    if type(amount) not in (int, float):
        return f"the amount of {unit} must be a number, got {quoted(amount)}"
    if type(amount) is float and not math.isfinite(amount):
        return f"the amount of {unit} must be a finite number, got {quoted(amount)}"
    # Refuse magnitudes datetime cannot hold before building anything: the maximum is
    # checked again, with the sign, when the definition is built (check_duration). An
    # int past a float's range is longer than any duration too.
    if (
        abs(amount) > _MAX_AMOUNT
        or abs(amount) * _UNIT_SECONDS[unit] > MAX_DURATION.total_seconds()
    ):
        return f"{quoted(amount)} {unit} is longer than the maximum of {_MAX_READING}"
    if unit in ("days", "business_days"):
        if type(amount) is not int:
            return f"{unit} must be a whole number, got {quoted(amount)}"
        return CalendarDays(amount) if unit == "days" else BusinessDays(amount)
    if unit.startswith("business_"):
        return BusinessTime(timedelta(**{unit.removeprefix("business_"): amount}))
    return timedelta(**{unit: amount})


_UNIT_SECONDS: Final = {
    "seconds": 1,
    "minutes": 60,
    "hours": 3600,
    "days": 86_400,
    "business_hours": 3600,
    "business_minutes": 60,
    "business_days": 86_400,
}
