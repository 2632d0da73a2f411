"""Business calendars: opening hours, holidays and exact business-time arithmetic.

Theory of operation
-------------------

Business time is real elapsed time inside opening windows. Everything a calendar
answers therefore follows from one non-decreasing function of the instant::

    F(u) = open time between some fixed origin and the instant u

``between(a, b)`` is ``F(b) - F(a)``; ``add(start, d)`` is the earliest instant ``x``
with ``F(x) = F(start) + d`` (the latest one when ``d`` is negative).

A calendar materialises ``F`` one local *year* at a time. A year is the real time from
the first instant of its 1 January to the first instant of the next (so consecutive
years tile time exactly, whatever the DST rules). Its open periods, converted once to
UTC microseconds, merged into sorted disjoint intervals and clipped to the year, are
stored with the running total of open time at the start of each interval (a prefix
sum) and the year's business days. Holidays, extra working days, partial closures and
every DST transition of the zone are baked into those intervals when the year is
built, so a query never looks at them again:

* ``F`` inside a year is one bisection into the interval starts plus a subtraction;
* ``add`` is one bisection into the prefix sums of the year it ends in;
* business days are a sorted list of date ordinals, answered by bisection too.

Across years, a calendar keeps each year's total open time and business-day count
once it has built the year (two integers a year, at most 9,999 years), so an answer
spanning ten years adds ten known totals: the cost of a query is about the same
whether it spans an hour or ten years.

Memory stays bounded whatever is asked: only the most recently used years are kept
(at most ``_YEARS_KEPT``, fewer when they hold many intervals), each built on demand;
a question about the year 2 and then the year 9999 builds those two years, not the
ten thousand between. A built year is never mutated. The cache is private to the
calendar, guarded by a lock (threads share a calendar safely), and excluded from
equality, hashing, repr and pickling; a calendar stays a plain value.

Wall-clock edges become instants with one rule: an edge is the earliest instant at
which the local clock has reached it. For an ordinary wall time that is the only
instant showing it; for a wall time shown twice (a fall-back fold) it is the first
occurrence (``fold=0``); for a wall time that never exists (a spring-forward gap) it is
the transition itself, the first valid instant after the gap. The rule is monotone,
so windows that do not overlap on the wall clock never overlap in real time.

Instants given to a query are read exactly (integer microseconds through their UTC
offset, so ``fold`` counts); a wall time inside a DST gap is refused, as a command's
instant is, because it names no instant anybody observed.
"""

from __future__ import annotations

import difflib
import itertools
import re
import threading
import tomllib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ticketflow._checks import require_int
from ticketflow._errors import (
    CalendarDefinitionError,
    CalendarRangeError,
    InvalidTypeError,
    LocalDateExpectedError,
    Problem,
    quoted,
)
from ticketflow._instants import require_instant

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = ["BusinessCalendar", "Closure", "Window"]

_EPOCH_UTC: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE: Final = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local wall time
_US: Final = timedelta(microseconds=1)
_ONE_DAY: Final = timedelta(days=1)
_DAY_MINUTES: Final = 24 * 60
_WEEK_MINUTES: Final = 7 * _DAY_MINUTES

# The local dates a calendar answers for: 0001-01-02 to 9999-12-30. Date 0001-01-01 is
# built too (its night windows spill into 0001-01-02) but is not exact itself, since
# the day before it cannot be represented.
_FIRST_ORDINAL: Final = date(1, 1, 2).toordinal()
_END_ORDINAL: Final = date(9999, 12, 31).toordinal()
_FIRST_YEAR: Final = 1
_LAST_YEAR: Final = 9999
# At most this many built years are kept per calendar, and fewer once they hold more
# than _INTERVALS_KEPT intervals together (a week of hundreds of tiny windows); the
# two most recent are always kept, so a question spanning a new year never rebuilds.
_YEARS_KEPT: Final = 12
_INTERVALS_KEPT: Final = 60_000
# Instants in this range become datetimes through ``datetime.fromtimestamp``, which
# every platform supports there and which is about twice as fast as adding a
# timedelta to the epoch; others take the general path.
_FAST_SECONDS: Final = range(0, 32_503_680_000)  # 1970 to 3000
_EPOCH_ORDINAL: Final = _EPOCH_NAIVE.toordinal()
# Each whole minute of the day as a wall time of the second reading (PEP 495 fold=1):
# combined with a date it is several times cheaper than datetime.replace(fold=1).
_FOLD_ONE: Final = tuple(time(m // 60, m % 60, fold=1) for m in range(24 * 60))
# Host-configured aliases in the zone database: they resolve through the host's
# /etc/localtime (hidden global state), so a calendar naming them would mean different
# things on different machines.
_HOST_ZONES: Final = frozenset({"localtime", "posixrules"})

_WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG__WEEKDAY_NAMES: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_TIME_RE: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def _weekday_index(name: str) -> int | None:
    """The weekday number (Monday = 0) of a short or long English name, any case."""
    key = name.strip().lower()
    if key in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES.index(key)
    if key in _LONG__WEEKDAY_NAMES:
        return _LONG__WEEKDAY_NAMES.index(key)
    return None


def _format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_time(text: str, *, is_end: bool) -> int | None:
    """Minutes after midnight for ``HH:MM`` (``24:00`` only as an end), else None."""
    match = _TIME_RE.match(text)
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and (minutes or not is_end)):
        return None
    return hours * 60 + minutes


def _window_problems(start: int, end: int, where: str) -> list[Problem]:
    if not 0 <= start < _DAY_MINUTES or not 0 < end <= _DAY_MINUTES:
        return [
            Problem(
                f"window {where}",
                f"start {quoted(start)} or end {quoted(end)} is outside the day",
                "give minutes after midnight: a start from 0 to 1439, an end from 1 to "
                "1440 (24:00)",
            )
        ]
    if start == end:
        return [
            Problem(
                f"window {where}",
                "has zero length",
                "give an end different from the start; write 00:00-24:00 for a whole day",
            )
        ]
    return []


def _try_parse_window(text: object, where: str) -> tuple[Window | None, Problem | None]:
    """Parse a window without raising, so a document can report every bad one at once."""
    fix = "write it like '09:00-17:00', '22:00-06:00' (overnight) or '12:00-24:00'"
    if not isinstance(text, str):
        return None, Problem(f"window {where}", "is not a string", fix)
    parts = text.replace("\u2013", "-").split("-")
    start = _parse_time(parts[0], is_end=False) if len(parts) == 2 else None
    end = _parse_time(parts[1], is_end=True) if len(parts) == 2 else None
    if start is None or end is None:
        return None, Problem(
            f"window {where}",
            "is not two HH:MM times separated by '-' (hours 00-23, or 24:00 as an end)",
            fix,
        )
    if end == 0 and start != 0:
        # "22:00-00:00" means "until midnight", the same as "22:00-24:00".
        end = _DAY_MINUTES
    problems = _window_problems(start, end, where)
    if problems:
        return None, problems[0]
    return Window(start, end), None


@attrs.frozen(order=True)
class Window:
    """An opening window of one local day, from ``start`` to ``end`` on the wall clock.

    Both ends are minutes after local midnight. ``end`` may be ``1440`` (``24:00``).
    A window whose end is before its start is an *overnight* window: it runs into the
    next day and belongs to the day it starts (a 22:00-06:00 window on Friday is
    Friday's, even for the hours after midnight). The window is half-open: open at
    ``start``, closed again at ``end``.

    Attributes:
        start: minutes after local midnight at which the window opens, 0-1439.
        end: minutes after local midnight at which it closes, 1-1440 (or before
            ``start`` for an overnight window).

    Raises:
        CalendarDefinitionError: a time outside the day, or a window of zero length.

    >>> Window.parse("22:00-06:00")
    Window(start=1320, end=360)
    >>> str(Window(9 * 60, 17 * 60)), Window.parse("22:00-06:00").overnight
    ('09:00-17:00', True)
    """

    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if not _is_int(self.start) or not _is_int(self.end):
            raise CalendarDefinitionError(
                [
                    Problem(
                        f"window {quoted(self.start)}-{quoted(self.end)}",
                        "has a start or an end that is not a whole number of minutes",
                        "give minutes after midnight as ints, or use Window.parse('09:00-17:00')",
                    )
                ]
            )
        problems = _window_problems(
            self.start, self.end, f"{quoted(self.start)}-{quoted(self.end)}"
        )
        if problems:
            raise CalendarDefinitionError(problems)

    @classmethod
    def parse(cls, text: str) -> Window:
        """Read ``"HH:MM-HH:MM"``; ``24:00`` (or ``00:00``) as the end means midnight.

        Args:
            text: the window, e.g. ``"09:00-17:00"`` or ``"22:00-06:00"``.

        Returns:
            The window.

        Raises:
            CalendarDefinitionError: the text is not two ``HH:MM`` times, or the
                window has zero length.

        >>> Window.parse("12:00-24:00")
        Window(start=720, end=1440)
        >>> Window.parse("9-5")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ticketflow._errors.CalendarDefinitionError: invalid business calendar: 1 problem
          - window '9-5': is not two HH:MM times ... (fix: write it like '09:00-17:00', ...)
        """
        window, problem = _try_parse_window(text, quoted(text))
        if window is None:
            assert problem is not None
            raise CalendarDefinitionError([problem])
        return window

    @property
    def overnight(self) -> bool:
        """True if the window runs past midnight into the next day."""
        return self.end < self.start

    @property
    def minutes(self) -> int:
        """The wall-clock length in minutes (real time differs on DST change nights)."""
        return self.end - self.start + (_DAY_MINUTES if self.overnight else 0)

    def __str__(self) -> str:
        return f"{_format_minutes(self.start)}-{_format_minutes(self.end)}"


@attrs.frozen(order=True)
class Closure:
    """A partial-day closure: the calendar is closed during ``window`` on local date ``on``.

    The window follows the rules of opening windows (an overnight closure runs into the
    next day). A closure removes open time whichever day's window it falls in.

    Attributes:
        on: the local date the closure starts.
        window: the wall-clock window closed on that date.

    >>> str(Closure(date(2026, 12, 31), Window.parse("12:00-24:00")))
    '2026-12-31 12:00-24:00'
    """

    on: date
    window: Window

    def __attrs_post_init__(self) -> None:
        if isinstance(self.on, datetime) or not isinstance(self.on, date):
            raise CalendarDefinitionError(
                [Problem("closure", f"on {quoted(self.on)} is not a date", "give a datetime.date")]
            )
        if not isinstance(self.window, Window):
            raise CalendarDefinitionError(
                [
                    Problem(
                        "closure",
                        f"window {quoted(self.window)} is not a Window",
                        "give e.g. Window.parse('12:00-24:00')",
                    )
                ]
            )

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.window}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_collection(value: object) -> bool:
    return isinstance(value, list | tuple | set | frozenset)


def _to_week(value: Iterable[Iterable[Window]]) -> tuple[tuple[Window, ...], ...]:
    fix = "give seven tuples of Window values, Monday first (an empty tuple for a closed day)"
    if not isinstance(value, list | tuple):
        raise CalendarDefinitionError([Problem("week", f"{quoted(value)} is not a sequence", fix)])
    week: list[tuple[Window, ...]] = []
    for index, day in enumerate(value):
        if not _is_collection(day) or not all(isinstance(w, Window) for w in day):
            where = f"week[{index}]"
            raise CalendarDefinitionError([Problem(where, f"{quoted(day)} is not windows", fix)])
        week.append(tuple(sorted(day)))
    return tuple(week)


def _checked_dates(key: str, value: object) -> frozenset[date]:
    fix = "give datetime.date values (from_document also reads ISO strings)"
    if not _is_collection(value):
        raise CalendarDefinitionError([Problem(key, f"{quoted(value)} is not a collection", fix)])
    assert isinstance(value, list | tuple | set | frozenset)
    for item in value:
        if isinstance(item, datetime) or not isinstance(item, date):
            raise CalendarDefinitionError([Problem(key, f"{quoted(item)} is not a date", fix)])
    return frozenset(value)


def _to_holidays(value: Iterable[date]) -> frozenset[date]:
    return _checked_dates("holidays", value)


def _to_extra_workdays(value: Iterable[date]) -> frozenset[date]:
    return _checked_dates("extra_workdays", value)


def _to_closures(value: Iterable[Closure]) -> frozenset[Closure]:
    fix = "give Closure values, e.g. Closure(date(2026, 12, 31), Window.parse('12:00-24:00'))"
    if not _is_collection(value) or not all(isinstance(c, Closure) for c in value):
        raise CalendarDefinitionError(
            [Problem("closures", f"{quoted(value)} are not closures", fix)]
        )
    return frozenset(value)


def _always_open_week() -> tuple[tuple[Window, ...], ...]:
    return tuple((Window(0, _DAY_MINUTES),) for _ in range(7))


class _Year:
    """The open periods of one local year: an immutable snapshot.

    The year is the real time ``[lo, hi)`` from the first instant of its first exact
    date (1 January, or 0001-01-02) to the first instant of the date after its last
    (the next 1 January, or 9999-12-31). ``starts``/``ends`` are the merged open
    intervals inside it, in UTC microseconds; ``cum[i]`` is the open time before
    interval ``i`` and ``total`` all of it. ``business_days`` holds the ordinals of the
    year's dates that have any open time.
    """

    __slots__ = ("business_days", "cum", "ends", "hi", "lo", "starts", "total", "year")

    def __init__(
        self,
        *,
        year: int,
        lo: int,
        hi: int,
        starts: list[int],
        ends: list[int],
        business_days: list[int],
    ) -> None:
        self.year = year
        self.lo = lo
        self.hi = hi
        self.starts = starts
        self.ends = ends
        cum = [0]
        total = 0
        for start, stop in zip(starts, ends, strict=True):
            total += stop - start
            cum.append(total)
        self.cum = cum
        self.total = total
        self.business_days = business_days

    def open_before(self, u: int) -> int:
        """The open time in this year before instant ``u`` (``lo <= u <= hi``)."""
        i = bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.cum[i] + (end if u > end else u) - self.starts[i]


class _Cache:
    """Per-calendar derived data; never part of the calendar's value.

    ``years`` is a least-recently-used map of built years (bounded, see
    ``_YEARS_KEPT``); ``recent`` the two years used last, newest first (read without
    the lock: a tuple replaced by one assignment), so a deadline in another year than
    its start takes no lock at all; ``totals`` each built year's open time and
    business-day count, which outlive the year's eviction.
    """

    __slots__ = (
        "closures",
        "end_us",
        "extra",
        "first_us",
        "holidays",
        "intervals",
        "lock",
        "recent",
        "totals",
        "workday_windows",
        "years",
        "zone",
    )

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.years: OrderedDict[int, _Year] = OrderedDict()
        self.intervals = 0
        self.recent: tuple[_Year, ...] = ()
        self.totals: dict[int, tuple[int, int]] = {}
        self.zone: ZoneInfo = ZoneInfo("UTC")
        self.first_us = 0
        self.end_us = 0
        self.holidays: frozenset[int] = frozenset()
        self.extra: frozenset[int] = frozenset()
        self.closures: tuple[tuple[int, Window], ...] = ()
        self.workday_windows: tuple[Window, ...] = ()


def _wall_to_us(zone: ZoneInfo, wall: datetime) -> int:
    """The instant (UTC microseconds) at which the local clock first reaches ``wall``.

    A repeated wall time gives its first occurrence; a wall time inside a gap gives the
    transition that skips it (the edge moves forward to the first valid instant). The
    ``fold`` of ``wall`` plays no part: the rule picks the occurrence.
    """
    if wall.fold:
        wall = wall.replace(fold=0)
    # The offsets of both readings of the wall time (PEP 495), asked of the zone with
    # the naive wall time itself: building aware datetimes costs ten times more, and
    # this runs for every window edge of every day a calendar builds.
    before = zone.utcoffset(wall)
    if wall.second or wall.microsecond:
        twin = wall.replace(fold=1)
    else:
        twin = datetime.combine(wall, _FOLD_ONE[wall.hour * 60 + wall.minute])
    after = zone.utcoffset(twin)
    assert before is not None
    assert after is not None
    # Subtracting the epoch first keeps the arithmetic in timedeltas, which do not
    # overflow at the ends of the years 1-9999 the way a datetime would.
    local = wall - _EPOCH_NAIVE
    if before >= after:
        # Unambiguous (equal offsets) or repeated: fold=0 is the earlier instant.
        return (local - before) // _US
    # In a gap zoneinfo gives the pre-transition offset for fold=0 and the
    # post-transition one for fold=1, so the transition lies in (low, high].
    low = (local - after) // _US
    high = (local - before) // _US
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_at(zone, middle) == after:
            high = middle
        else:
            low = middle
    return high


def _offset_at(zone: ZoneInfo, u: int) -> timedelta | None:
    return (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(zone).utcoffset()


def _merge(intervals: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, disjoint, non-touching intervals covering the union of ``intervals``."""
    intervals.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, stop in intervals:
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], stop)
        else:
            starts.append(start)
            ends.append(stop)
    return starts, ends


def _subtract(
    starts: list[int], ends: list[int], holes: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The intervals minus the (merged, sorted) ``holes``."""
    out: list[tuple[int, int]] = []
    hole_starts, hole_ends = _merge(holes)
    for start, stop in zip(starts, ends, strict=True):
        cursor = start
        i = bisect_right(hole_ends, cursor)
        while i < len(hole_starts) and hole_starts[i] < stop:
            if hole_starts[i] > cursor:
                out.append((cursor, hole_starts[i]))
            cursor = max(cursor, hole_ends[i])
            i += 1
        if cursor < stop:
            out.append((cursor, stop))
    return out


@attrs.frozen
class BusinessCalendar:
    """When a desk is open: a time zone, weekly windows, holidays and closures.

    Business time is **real elapsed time inside open windows**: a 22:00-06:00 window
    lasts 7 hours on a spring-forward night and 9 hours on a fall-back night. A window
    edge that falls in a DST gap moves forward to the first valid instant; an edge on a
    wall time shown twice (a fall-back fold) is its first occurrence. Every instant a
    calendar returns is in the calendar's time zone.

    A local date is *closed* if it is one of ``holidays``, or a holiday of ``country``
    (and ``subdiv``) in the `holidays` package. A date in ``extra_workdays``, or a
    weekend day the `holidays` package reports as a substituted working day, opens with
    the standard workday windows (:attr:`workday_windows`), whatever its weekday. A
    closed date's windows are closed entirely, including the part of an overnight
    window after midnight; ``closures`` then remove open time on particular dates.

    Construct with :meth:`always_open`, :meth:`weekdays`, :meth:`from_document` or
    :meth:`from_toml`; the constructor checks the definition and reports every problem
    together in one :class:`~ticketflow.CalendarDefinitionError`.

    Attributes:
        tz: the IANA time zone key, e.g. ``"Europe/Berlin"``.
        week: seven tuples of windows, Monday first.
        country: an ISO country code the `holidays` package knows, or None.
        subdiv: a subdivision of ``country`` (a state, a province), or None.
        holidays: extra closed local dates.
        closures: partial-day closures.
        extra_workdays: extra open local dates.

    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> cal = BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00", country="DE")
    >>> monday_4pm = datetime(2026, 3, 2, 16, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> cal.add(monday_4pm, timedelta(hours=1)).isoformat()
    '2026-03-02T17:00:00+01:00'
    >>> cal.add(monday_4pm, timedelta(hours=2)).isoformat()
    '2026-03-03T10:00:00+01:00'
    """

    tz: str = "UTC"
    week: tuple[tuple[Window, ...], ...] = attrs.field(
        factory=_always_open_week, converter=_to_week
    )
    country: str | None = None
    subdiv: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_holidays)
    closures: frozenset[Closure] = attrs.field(default=frozenset(), converter=_to_closures)
    extra_workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_extra_workdays)
    _cache: _Cache = attrs.field(init=False, eq=False, repr=False, factory=_Cache)

    def __attrs_post_init__(self) -> None:
        problems = _definition_problems(self)
        if problems:
            raise CalendarDefinitionError(problems)
        cache = self._cache
        zone = cache.zone = ZoneInfo(self.tz)
        cache.first_us = _wall_to_us(zone, _midnight(_FIRST_ORDINAL))
        cache.end_us = _wall_to_us(zone, _midnight(_END_ORDINAL))
        cache.holidays = frozenset(day.toordinal() for day in self.holidays)
        cache.extra = frozenset(day.toordinal() for day in self.extra_workdays)
        cache.closures = tuple(sorted((c.on.toordinal(), c.window) for c in self.closures))
        cache.workday_windows = self.workday_windows

    def __reduce__(self) -> tuple[type[BusinessCalendar], tuple[object, ...]]:
        # Copies and unpickled calendars go through __init__, so they are validated
        # and get a cache of their own (a lock cannot be pickled anyway).
        return (
            BusinessCalendar,
            (
                self.tz,
                self.week,
                self.country,
                self.subdiv,
                self.holidays,
                self.closures,
                self.extra_workdays,
            ),
        )

    # ----------------------------------------------------------------- constructors

    @classmethod
    def always_open(cls, tz: str = "UTC") -> BusinessCalendar:
        """A calendar open around the clock, every day: business time is real time.

        Args:
            tz: the time zone its instants are returned in.

        Returns:
            The 24/7 calendar.

        Raises:
            CalendarDefinitionError: the time zone is unknown.

        >>> from datetime import datetime, timedelta, timezone
        >>> start = datetime(2026, 1, 1, tzinfo=UTC)
        >>> BusinessCalendar.always_open().add(start, timedelta(days=3)).isoformat()
        '2026-01-04T00:00:00+00:00'
        """
        return cls(tz=tz)

    @classmethod
    def weekdays(
        cls,
        tz: str,
        opens: str = "09:00",
        closes: str = "17:00",
        *,
        country: str | None = None,
        subdiv: str | None = None,
    ) -> BusinessCalendar:
        """Monday to Friday, one window a day, optionally closed on a country's holidays.

        Args:
            tz: the IANA time zone key.
            opens: the local opening time, ``HH:MM``.
            closes: the local closing time, ``HH:MM`` (``24:00`` allowed; earlier than
                ``opens`` makes an overnight window).
            country: an ISO country code for the `holidays` package, or None.
            subdiv: a subdivision of the country, or None.

        Returns:
            The calendar.

        Raises:
            CalendarDefinitionError: every problem with the arguments.

        >>> cal = BusinessCalendar.weekdays("America/New_York", "08:30", "18:00")
        >>> [str(w) for w in cal.week[0]], cal.week[5]
        (['08:30-18:00'], ())
        """
        return cls.from_document(
            {
                "tz": tz,
                "week": {"mon-fri": [f"{opens}-{closes}"]},
                "country": country,
                "subdiv": subdiv,
            }
        )

    @classmethod
    def from_document(cls, document: Mapping[str, object]) -> BusinessCalendar:
        """Build a calendar from a plain document (parsed JSON or TOML).

        The document's keys: ``tz`` (required), ``week`` (a table from weekday names, or
        ranges such as ``"mon-fri"``, to a window string or a list of them), and the
        optional ``country``, ``subdiv``, ``holidays`` (dates), ``extra_workdays``
        (dates) and ``closures`` (tables with ``date`` and ``window``). Dates are
        ``date`` objects or ISO strings. Without ``week`` the calendar is always open.

        Args:
            document: the mapping to read.

        Returns:
            The calendar.

        Raises:
            CalendarDefinitionError: every problem in the document, each with its fix.

        >>> cal = BusinessCalendar.from_document({
        ...     "tz": "Europe/Moscow",
        ...     "week": {"mon-thu": "09:00-18:00", "fri": ["09:00-13:00", "14:00-16:45"]},
        ...     "country": "RU",
        ...     "closures": [{"date": "2026-12-31", "window": "12:00-24:00"}],
        ... })
        >>> [str(w) for w in cal.week[4]]
        ['09:00-13:00', '14:00-16:45']
        >>> BusinessCalendar.from_document({"tz": "Mars/Olympus", "week": {"funday": "9-5"}})
        Traceback (most recent call last):
        ...
        ticketflow._errors.CalendarDefinitionError: invalid business calendar: 3 problems
        ...
        """
        problems: list[Problem] = []
        fields = _read_document(document, problems)
        if problems:
            # Report the semantic problems of whatever did parse alongside, so one
            # round of fixes is enough.
            problems.extend(_definition_problems(fields))
            raise CalendarDefinitionError(problems)
        return cls(
            tz=fields.tz,
            week=fields.week,
            country=fields.country,
            subdiv=fields.subdiv,
            holidays=fields.holidays,
            closures=fields.closures,
            extra_workdays=fields.extra_workdays,
        )

    @classmethod
    def from_toml(cls, text: str) -> BusinessCalendar:
        """Build a calendar from TOML text with the keys of :meth:`from_document`.

        Args:
            text: the TOML document.

        Returns:
            The calendar.

        Raises:
            InvalidTypeError: ``text`` is not a str.
            CalendarDefinitionError: the text is not TOML, or every problem in it.

        >>> cal = BusinessCalendar.from_toml('''
        ... tz = "Europe/Berlin"
        ... country = "DE"
        ... subdiv = "BY"
        ... holidays = [2026-12-24]
        ... [week]
        ... mon-fri = ["08:00-12:00", "13:00-17:00"]
        ... ''')
        >>> cal.subdiv, sorted(cal.holidays)
        ('BY', [datetime.date(2026, 12, 24)])
        """
        if not isinstance(text, str):
            raise InvalidTypeError("BusinessCalendar.from_toml's text", "a str of TOML", text)
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CalendarDefinitionError(
                [Problem("TOML", f"cannot be parsed: {error}", "fix the TOML syntax")]
            ) from error
        except ValueError:
            # tomllib turns digits into an int with int(), which refuses more digits than
            # sys.get_int_max_str_digits() (4,300 by default).
            raise CalendarDefinitionError(
                [
                    Problem(
                        "TOML",
                        "holds a number with more digits than Python reads from text",
                        "write numbers of at most a few digits: no calendar value needs more",
                    )
                ]
            ) from None
        except RecursionError:
            # tomllib parses nested arrays and inline tables recursively.
            raise CalendarDefinitionError(
                [
                    Problem(
                        "TOML",
                        "is nested too deeply to be read",
                        "write a calendar's plain keys: no arrays or tables nested more "
                        "than a few levels",
                    )
                ]
            ) from None
        return cls.from_document(document)

    def to_document(self) -> dict[str, object]:
        """The plain, JSON-ready document that :meth:`from_document` reads back.

        Returns:
            A dict of strings and lists; empty parts are left out.

        >>> cal = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        >>> cal.to_document()["week"]
        {'mon': ['09:00-17:00'], 'tue': ['09:00-17:00'], 'wed': ['09:00-17:00'], \
'thu': ['09:00-17:00'], 'fri': ['09:00-17:00']}
        >>> BusinessCalendar.from_document(cal.to_document()) == cal
        True
        """
        document: dict[str, object] = {"tz": self.tz}
        document["week"] = {
            _WEEKDAY_NAMES[i]: [str(w) for w in windows]
            for i, windows in enumerate(self.week)
            if windows
        }
        if self.country is not None:
            document["country"] = self.country
        if self.subdiv is not None:
            document["subdiv"] = self.subdiv
        if self.holidays:
            document["holidays"] = [d.isoformat() for d in sorted(self.holidays)]
        if self.extra_workdays:
            document["extra_workdays"] = [d.isoformat() for d in sorted(self.extra_workdays)]
        if self.closures:
            document["closures"] = [
                {"date": c.on.isoformat(), "window": str(c.window)} for c in sorted(self.closures)
            ]
        return document

    # -------------------------------------------------------------------- queries

    @property
    def workday_windows(self) -> tuple[Window, ...]:
        """The standard workday windows: Monday's, or the first open weekday's after it.

        Extra working days and substituted working days open with these windows.

        >>> [str(w) for w in BusinessCalendar.weekdays("UTC", "08:00", "16:00").workday_windows]
        ['08:00-16:00']
        """
        return next((windows for windows in self.week if windows), ())

    @property
    def zone(self) -> ZoneInfo:
        """The time zone, as a ``ZoneInfo``.

        >>> BusinessCalendar.always_open("Asia/Kathmandu").zone
        zoneinfo.ZoneInfo(key='Asia/Kathmandu')
        """
        return self._cache.zone

    def is_open(self, at: datetime) -> bool:
        """Whether the calendar is open at an instant (windows are open at their start,
        closed at their end).

        Args:
            at: an aware datetime.

        Returns:
            True inside an open window.

        Raises:
            InvalidTypeError: ``at`` is not a datetime.
            NaiveDatetimeError: ``at`` has no time zone.
            NonexistentInstantError: ``at`` is a wall time inside a DST gap.
            CalendarRangeError: ``at`` is outside the local dates 0001-01-02 to 9999-12-30.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> berlin = ZoneInfo("Europe/Berlin")
        >>> cal.is_open(datetime(2026, 3, 2, 9, tzinfo=berlin))
        True
        >>> cal.is_open(datetime(2026, 3, 2, 17, tzinfo=berlin))
        False
        """
        u = self._microseconds("at", at)
        year = self._year_at(u)
        i = bisect_right(year.starts, u) - 1
        return i >= 0 and u < year.ends[i]

    def next_open(self, at: datetime) -> datetime:
        """The earliest instant at or after ``at`` at which the calendar is open.

        This is the other reading of a deadline that :meth:`add` puts on a window's
        end: ``add`` says Monday 17:00, ``next_open`` of that says Tuesday 09:00.

        Args:
            at: an aware datetime.

        Returns:
            ``at`` itself (in the calendar's zone) if open, else the next window start.

        Raises:
            InvalidTypeError: ``at`` is not a datetime.
            NaiveDatetimeError: ``at`` has no time zone.
            NonexistentInstantError: ``at`` is a wall time inside a DST gap.
            CalendarRangeError: ``at`` is out of range, or the calendar never opens
                again before year 9999 ends.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> cal.next_open(datetime(2026, 3, 6, 17, tzinfo=ZoneInfo("Europe/Berlin"))).isoformat()
        '2026-03-09T09:00:00+01:00'
        """
        u = self._microseconds("at", at)
        year = self._year_at(u)
        i = bisect_right(year.starts, u) - 1
        if i >= 0 and u < year.ends[i]:
            return self._instant(u)
        if i + 1 < len(year.starts):
            return self._instant(year.starts[i + 1])
        totals = self._cache.totals
        number = year.year + 1
        while number <= _LAST_YEAR:
            known = totals.get(number)
            if known is None or known[0]:
                year = self._year(number)
                if year.starts:
                    return self._instant(year.starts[0])
            number += 1
        raise CalendarRangeError

    def next_close(self, at: datetime) -> datetime | None:
        """The earliest instant at or after ``at`` at which the calendar is closed.

        Args:
            at: an aware datetime.

        Returns:
            ``at`` itself (in the calendar's zone) if closed, else the end of the open
            period it is in; None if the calendar never closes again (a 24/7 calendar).

        Raises:
            InvalidTypeError: ``at`` is not a datetime.
            NaiveDatetimeError: ``at`` has no time zone.
            NonexistentInstantError: ``at`` is a wall time inside a DST gap.
            CalendarRangeError: ``at`` is outside the local dates 0001-01-02 to 9999-12-30.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> cal.next_close(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Berlin"))).isoformat()
        '2026-03-02T17:00:00+01:00'
        >>> always = BusinessCalendar.always_open()
        >>> print(always.next_close(datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC"))))
        None
        """
        u = self._microseconds("at", at)
        year = self._year_at(u)
        i = bisect_right(year.starts, u) - 1
        if i < 0 or u >= year.ends[i]:
            return self._instant(u)
        end = year.ends[i]
        # An open period that reaches the end of the year may go on into the next.
        while end == year.hi:
            if year.year == _LAST_YEAR or self._never_closes_after(
                date(year.year + 1, 1, 1).toordinal()
            ):
                return None
            year = self._year(year.year + 1)
            if not year.starts or year.starts[0] != year.lo:
                return self._instant(year.lo)
            end = year.ends[0]
        return self._instant(end)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The business time from ``start`` to ``end``; negative when ``end`` is earlier.

        Args:
            start: an aware datetime.
            end: an aware datetime.

        Returns:
            The real time during which the calendar is open between the two instants.

        Raises:
            InvalidTypeError: either instant is not a datetime.
            NaiveDatetimeError: either instant has no time zone.
            NonexistentInstantError: either is a wall time inside a DST gap.
            CalendarRangeError: either is outside the local dates 0001-01-02 to 9999-12-30.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> berlin = ZoneInfo("Europe/Berlin")
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> friday_4pm = datetime(2026, 3, 6, 16, tzinfo=berlin)
        >>> monday_10am = datetime(2026, 3, 9, 10, tzinfo=berlin)
        >>> str(cal.between(friday_4pm, monday_10am)), str(cal.between(monday_10am, friday_4pm))
        ('2:00:00', '-1 day, 22:00:00')
        """
        a = self._microseconds("start", start)
        b = self._microseconds("end", end)
        if b < a:
            return -timedelta(microseconds=self._open_between(b, a))
        return timedelta(microseconds=self._open_between(a, b))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of business time starting at ``start`` is used up.

        A positive duration gives the **earliest** such instant, so a deadline that
        ends exactly when a window closes is that closing time (Monday 16:00 + 1 h on a
        09:00-17:00 calendar is Monday 17:00, not Tuesday 09:00; :meth:`next_open`
        gives the latter). A negative duration counts backwards and gives the
        **latest** instant ``x`` at or before ``start`` with ``between(x, start) ==
        -duration`` (Tuesday 10:00 - 1 h is Tuesday 09:00, not Monday 17:00), so
        ``add(add(t, d), -d) == t`` whenever ``t`` is open. A zero duration gives
        ``start``.

        Args:
            start: an aware datetime.
            duration: business time to add (may be negative).

        Returns:
            The instant, in the calendar's zone.

        Raises:
            InvalidTypeError: ``start`` is not a datetime, or ``duration`` not a timedelta.
            NaiveDatetimeError: ``start`` has no time zone.
            NonexistentInstantError: ``start`` is a wall time inside a DST gap.
            CalendarRangeError: the start or the result would be outside the local
                dates 0001-01-02 to 9999-12-30.

        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> berlin = ZoneInfo("Europe/Berlin")
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> tuesday_10am = datetime(2026, 3, 3, 10, tzinfo=berlin)
        >>> cal.add(tuesday_10am, timedelta(hours=-1)).isoformat()
        '2026-03-03T09:00:00+01:00'
        >>> cal.add(tuesday_10am, timedelta(hours=-2)).isoformat()
        '2026-03-02T16:00:00+01:00'
        """
        u = self._microseconds("start", start)
        return self._instant(self._advance(u, _amount("duration", duration)))

    def add_each(self, start: datetime, durations: Iterable[timedelta]) -> tuple[datetime, ...]:
        """:meth:`add` of each of ``durations`` to the same ``start``, in order.

        The same instants as one :meth:`add` per duration, for less: an SLA clock
        plans its warning and its breach from one start this way.

        Raises:
            InvalidTypeError: ``start`` is not a datetime, ``durations`` not an iterable,
                or a duration not a timedelta.
            NaiveDatetimeError: ``start`` has no time zone.
            NonexistentInstantError: ``start`` is a wall time inside a DST gap.
            CalendarRangeError: a result would be outside the local dates 0001-01-02 to
                9999-12-30.

        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> friday_4pm = datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> [t.isoformat() for t in cal.add_each(friday_4pm, [timedelta(hours=h) for h in (1, 2)])]
        ['2026-03-06T17:00:00+01:00', '2026-03-09T10:00:00+01:00']
        """
        u = self._microseconds("start", start)
        year = self._year_at(u)
        f_u = year.open_before(u)
        end_us = self._cache.end_us
        try:
            each = iter(durations)
        except TypeError:  # one duration, or None, where an iterable of them is wanted
            raise InvalidTypeError("durations", "an iterable of timedeltas", durations) from None
        instants = []
        for duration in each:
            amount = _amount("duration", duration)
            target = f_u + amount
            if amount > 0 and target <= year.total and u + amount <= end_us:
                # The usual deadline: forward, inside the year at hand.
                k = bisect_left(year.cum, target, 1) - 1
                instants.append(self._instant(year.starts[k] + target - year.cum[k]))
            else:
                instants.append(self._instant(self._advance(u, amount)))
        return tuple(instants)

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """The same local wall time on the ``days``-th business day after ``start``'s date.

        A business day is a local date with any open time. The start's own date is never
        counted, whether or not it is a business day; a negative ``days`` counts back
        before it, zero returns ``start``. The wall time is converted with the usual
        edge rule (moved forward out of a DST gap, first occurrence in a fold).

        Args:
            start: an aware datetime.
            days: how many business days to move (may be negative).

        Returns:
            The instant, in the calendar's zone.

        Raises:
            InvalidTypeError: ``start`` is not a datetime, or ``days`` not an int.
            NaiveDatetimeError: ``start`` has no time zone.
            NonexistentInstantError: ``start`` is a wall time inside a DST gap.
            CalendarRangeError: the result would be outside the local dates 0001-01-02
                to 9999-12-30.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        >>> thursday = datetime(2026, 4, 2, 20, 30, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add_business_days(thursday, 1).isoformat()  # Good Friday, Easter Monday
        '2026-04-07T20:30:00+02:00'
        """
        local = self._in_zone("start", start)
        _require_int("days", days)
        if days == 0:
            return local
        if abs(days) > _END_ORDINAL - _FIRST_ORDINAL:
            raise CalendarRangeError
        origin = local.date().toordinal()
        totals = self._cache.totals
        number = local.year
        days_of = self._year(number).business_days
        if days > 0:
            left = days - (len(days_of) - bisect_right(days_of, origin))
            while left > 0:
                number += 1
                while (known := totals.get(number)) is not None and left > known[1]:
                    left -= known[1]
                    number += 1
                if number > _LAST_YEAR:
                    raise CalendarRangeError
                days_of = self._year(number).business_days
                left -= len(days_of)
            ordinal = days_of[len(days_of) - 1 + left]
        else:
            left = -days - bisect_left(days_of, origin)
            while left > 0:
                number -= 1
                while (known := totals.get(number)) is not None and left > known[1]:
                    left -= known[1]
                    number -= 1
                if number < _FIRST_YEAR:
                    raise CalendarRangeError
                days_of = self._year(number).business_days
                left -= len(days_of)
            ordinal = days_of[-left]
        wall = datetime.combine(date.fromordinal(ordinal), local.time())
        return self._local(wall)

    def add_days(self, start: datetime, days: int) -> datetime:
        """The same local wall time ``days`` calendar days after ``start`` (before, if negative).

        This is calendar time, not business time: every day counts, and a 15-day timer
        started at 10:00 before a DST change fires at 10:00 local time after it (so
        not after 15 x 24 real hours). The wall time is converted with the usual edge
        rule (moved forward out of a DST gap, first occurrence in a fold).

        Args:
            start: an aware datetime.
            days: how many local days to move (may be negative).

        Returns:
            The instant, in the calendar's zone.

        Raises:
            InvalidTypeError: ``start`` is not a datetime, or ``days`` not an int.
            NaiveDatetimeError: ``start`` has no time zone.
            NonexistentInstantError: ``start`` is a wall time inside a DST gap.
            CalendarRangeError: the start or the result would be outside the local
                dates 0001-01-02 to 9999-12-30.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.always_open("Europe/Berlin")
        >>> before_dst = datetime(2026, 3, 20, 10, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add_days(before_dst, 15).isoformat()
        '2026-04-04T10:00:00+02:00'
        """
        local = self._in_zone("start", start)
        _require_int("days", days)
        if abs(days) > _END_ORDINAL - _FIRST_ORDINAL:
            raise CalendarRangeError
        ordinal = local.toordinal() + days
        if not _FIRST_ORDINAL <= ordinal < _END_ORDINAL:
            raise CalendarRangeError
        wall = datetime.combine(date.fromordinal(ordinal), local.time())
        return self._local(wall)

    def day_start(self, day: date) -> datetime:
        """The first instant of the local date ``day`` in the calendar's zone.

        Midnight, by the edge rule: where a DST change skips midnight (Sao Paulo before
        2019) the day starts at the transition.

        Raises:
            InvalidTypeError: ``day`` is not a date.
            CalendarRangeError: ``day`` is outside 0001-01-02 to 9999-12-30.

        >>> from datetime import date
        >>> BusinessCalendar.always_open("America/Sao_Paulo").day_start(date(2018, 11, 4))
        datetime.datetime(2018, 11, 4, 1, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
        """
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidTypeError("day", "a local date", day)
        if not _FIRST_ORDINAL <= day.toordinal() < _END_ORDINAL:
            raise CalendarRangeError
        return self._local(datetime.combine(day, time.min))

    def business_days_between(self, first: date, end: date) -> int:
        """How many business days lie in ``[first, end)``; negative when ``end < first``.

        A business day is a local date with any open time (so a date a night window
        spills into counts). Give dates, not datetimes.

        Args:
            first: the first local date counted.
            end: the first local date not counted.

        Returns:
            The count.

        Raises:
            LocalDateExpectedError: a datetime was given instead of a date.
            InvalidTypeError: either is not a date.
            CalendarRangeError: a date counted is outside 0001-01-02 to 9999-12-30.

        >>> from datetime import date
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        >>> cal.business_days_between(date(2026, 12, 21), date(2026, 12, 28))  # 25th closed
        4
        """
        if isinstance(first, datetime) or isinstance(end, datetime):
            # A datetime is a date too, but its date depends on the zone it is read in.
            raise LocalDateExpectedError("business_days_between")
        for what, value in (("first", first), ("end", end)):
            if not isinstance(value, date):
                raise InvalidTypeError(f"business_days_between's {what}", "a date", value)
        if end < first:
            return -self.business_days_between(end, first)
        a, b = first.toordinal(), end.toordinal()
        if a == b:
            return 0
        if a < _FIRST_ORDINAL or b > _END_ORDINAL:
            raise CalendarRangeError
        last = date.fromordinal(b - 1).year
        days_of = self._year(first.year).business_days
        if first.year == last:
            return bisect_left(days_of, b) - bisect_left(days_of, a)
        count = len(days_of) - bisect_left(days_of, a)
        for number in range(first.year + 1, last):
            count += self._totals(number)[1]
        return count + bisect_left(self._year(last).business_days, b)

    # ------------------------------------------------------------------ internals

    def _microseconds(self, what: str, instant: datetime) -> int:
        """``instant`` as whole microseconds since the epoch, UTC: exact, fold and all.

        Raises:
            InvalidTypeError, NaiveDatetimeError, NonexistentInstantError: see
                :func:`~ticketflow._instants.require_instant`.
            CalendarRangeError: outside the local dates 0001-01-02 to 9999-12-30.
        """
        try:
            require_instant(what, instant)
            # Aware datetimes with different tzinfos subtract exactly (through their
            # UTC offsets, fold included), and a timedelta never overflows here.
            span = instant - _EPOCH_UTC
        except OverflowError:
            raise CalendarRangeError from None
        u = (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds
        cache = self._cache
        if not cache.first_us <= u < cache.end_us:
            raise CalendarRangeError
        return u

    def _in_zone(self, what: str, instant: datetime) -> datetime:
        """``instant`` in the calendar's zone, checked like a query's instant."""
        return self._instant(self._microseconds(what, instant))

    def _local(self, wall: datetime) -> datetime:
        """The instant at which the local clock first shows ``wall`` (the edge rule)."""
        zone = self._cache.zone
        first = wall.replace(tzinfo=zone, fold=0)
        if first.utcoffset() == first.replace(fold=1).utcoffset():
            return first  # neither in a gap nor repeated: the wall time is the instant
        return self._instant(_wall_to_us(zone, wall))

    def _instant(self, u: int) -> datetime:
        seconds, micros = divmod(u, 1_000_000)
        if seconds in _FAST_SECONDS:
            instant = datetime.fromtimestamp(seconds, self._cache.zone)
            return instant.replace(microsecond=micros) if micros else instant
        try:
            return (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(self._cache.zone)
        except OverflowError:  # pragma: no cover - every instant of a year is in range
            raise CalendarRangeError from None

    def _never_closes_after(self, ordinal: int) -> bool:
        """True if no date from ``ordinal`` on can close (a full week, nothing closed)."""
        if self.country is not None:
            return False
        if sum(w.minutes for day in self.week for w in day) < _WEEK_MINUTES:
            return False
        closed = [*self._cache.holidays, *(c for c, _ in self._cache.closures)]
        return all(c < ordinal - 1 for c in closed)

    def _open_between(self, a: int, b: int) -> int:
        """The open time in ``[a, b)``, for instants ``a <= b`` in range."""
        for year in self._cache.recent:
            if year.lo <= a and b < year.hi:
                return year.open_before(b) - year.open_before(a)  # the usual case: one year
        first = self._year_at(a)
        if b < first.hi:
            return first.open_before(b) - first.open_before(a)
        end = self._year_at(b)
        total = first.total - first.open_before(a) + end.open_before(b)
        for number in range(first.year + 1, end.year):
            total += self._totals(number)[0]
        return total

    def _advance(self, u: int, amount: int) -> int:
        """The instant (UTC microseconds) at which ``amount`` µs of open time from ``u``
        is used up; see :meth:`add`."""
        cache = self._cache
        if not cache.first_us <= u + amount <= cache.end_us:
            # Business time never outruns real time: fail now, not after building
            # every year up to the limit.
            raise CalendarRangeError
        year = self._year_at(u)
        if amount == 0:
            return u
        totals = cache.totals
        number = year.year
        target = year.open_before(u) + amount
        if amount > 0:
            while target > year.total:
                target -= year.total
                number += 1
                # Whole years already measured are skipped without being built.
                while (known := totals.get(number)) is not None and target > known[0]:
                    target -= known[0]
                    number += 1
                if number > _LAST_YEAR:
                    raise CalendarRangeError
                year = self._year(number)
            k = bisect_left(year.cum, target, 1) - 1
        else:
            while target < 0:
                number -= 1
                while (known := totals.get(number)) is not None and target + known[0] < 0:
                    target += known[0]
                    number -= 1
                if number < _FIRST_YEAR:
                    raise CalendarRangeError
                year = self._year(number)
                target += year.total
            # target < year.total here, so the latest instant is inside the year.
            k = bisect_right(year.cum, target, 1) - 1
        return year.starts[k] + target - year.cum[k]

    def _year_at(self, u: int) -> _Year:
        """The built year whose real-time span holds instant ``u`` (in range)."""
        for year in self._cache.recent:
            if year.lo <= u < year.hi:
                return year
        local = (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(self._cache.zone)
        year = self._year(local.year)
        # A fold across midnight can show 31 December after 1 January began.
        while u < year.lo:
            year = self._year(year.year - 1)
        while u >= year.hi:
            year = self._year(year.year + 1)
        return year

    def _totals(self, number: int) -> tuple[int, int]:
        """Year ``number``'s open time and business-day count, building it if unknown."""
        known = self._cache.totals.get(number)
        if known is None:
            year = self._year(number)
            known = (year.total, len(year.business_days))
        return known

    def _year(self, number: int) -> _Year:
        """Year ``number``, built on demand and kept in the bounded cache."""
        cache = self._cache
        recent = cache.recent
        for held in recent:
            if held.year == number:
                return held
        with cache.lock:
            found = cache.years.get(number)
            if found is not None:
                year = found
                cache.years.move_to_end(number)
            else:
                year = self._build_year(number)
                cache.years[number] = year
                cache.totals[number] = (year.total, len(year.business_days))
                cache.intervals += len(year.starts)
                # Least recently used first; the two most recent always stay.
                while len(cache.years) > 2 and (
                    len(cache.years) > _YEARS_KEPT or cache.intervals > _INTERVALS_KEPT
                ):
                    _, evicted = cache.years.popitem(last=False)
                    cache.intervals -= len(evicted.starts)
        cache.recent = (year, *recent[:1])
        return year

    def _build_year(self, number: int) -> _Year:
        """The open periods of local year ``number``, clipped to its real-time span."""
        zone = self._cache.zone
        first = _FIRST_ORDINAL if number == _FIRST_YEAR else date(number, 1, 1).toordinal()
        end = _END_ORDINAL if number == _LAST_YEAR else date(number + 1, 1, 1).toordinal()
        lo = _wall_to_us(zone, _midnight(first))
        hi = _wall_to_us(zone, _midnight(end))
        # The day before the year is built too: its night windows spill into it.
        table = self._country_table(number)
        raw: list[tuple[int, int]] = []
        offsets: dict[Window, tuple[timedelta, timedelta]] = {}
        for window in {*itertools.chain(*self.week), *self._cache.workday_windows}:
            stop = window.end + (_DAY_MINUTES if window.overnight else 0)
            offsets[window] = (timedelta(minutes=window.start), timedelta(minutes=stop))
        midnight = _midnight(first - 1)
        for ordinal in range(first - 1, end):
            for window in self._windows_on(ordinal, table):
                opens, closes = offsets[window]
                opened = _wall_to_us(zone, midnight + opens)
                closed = _wall_to_us(zone, midnight + closes)
                if opened < closed:
                    raw.append((opened, closed))
            midnight += _ONE_DAY
        starts, ends = _merge(raw)
        holes = self._closure_intervals(first - 1, end)
        if holes:
            starts, ends = _merge(_subtract(starts, ends, holes))
        clipped_starts: list[int] = []
        clipped_ends: list[int] = []
        for start, stop in zip(starts, ends, strict=True):
            if start < hi and stop > lo:
                clipped_starts.append(max(start, lo))
                clipped_ends.append(min(stop, hi))
        return _Year(
            year=number,
            lo=lo,
            hi=hi,
            starts=clipped_starts,
            ends=clipped_ends,
            business_days=self._business_days(range(first, end), clipped_starts, clipped_ends),
        )

    def _business_days(self, ordinals: range, starts: list[int], ends: list[int]) -> list[int]:
        zone = self._cache.zone
        days: list[int] = []
        if not ordinals:
            return days
        midnight = _midnight(ordinals[0])
        day_start = _wall_to_us(zone, midnight)
        for ordinal in ordinals:
            midnight += _ONE_DAY
            day_end = _wall_to_us(zone, midnight)
            j = bisect_right(ends, day_start)
            if j < len(starts) and starts[j] < day_end and day_start < day_end:
                days.append(ordinal)
            day_start = day_end
        return days

    def _closure_intervals(self, first: int, end: int) -> list[tuple[int, int]]:
        """The closures of local dates ``[first, end)``, as UTC intervals."""
        closures = self._cache.closures
        if not closures:
            return []
        zone = self._cache.zone
        out: list[tuple[int, int]] = []
        for ordinal, window in closures[bisect_left(closures, (first,)) :]:
            if ordinal >= end:
                break
            midnight = _midnight(ordinal)
            stop = window.end + (_DAY_MINUTES if window.overnight else 0)
            out.append(
                (
                    _wall_to_us(zone, midnight + timedelta(minutes=window.start)),
                    _wall_to_us(zone, midnight + timedelta(minutes=stop)),
                )
            )
        return out

    def _windows_on(self, ordinal: int, table: HolidayBase | None) -> tuple[Window, ...]:
        """The windows that open on the local date ``ordinal`` (before closures)."""
        cache = self._cache
        if ordinal in cache.holidays:
            return ()
        if ordinal in cache.extra:
            return cache.workday_windows
        if table is not None:
            day = date.fromordinal(ordinal)
            if day in table:  # also expands the table to the date's year
                return ()
            if day in table.weekend_workdays:
                return cache.workday_windows
        return self.week[(ordinal - 1) % 7]  # 0001-01-01 was a Monday

    def _country_table(self, number: int) -> HolidayBase | None:
        """The country's holidays for building year ``number`` (and the day before it).

        Made afresh for each year built and dropped with it, so the holidays a
        calendar holds stay bounded however many years it is asked about.
        """
        if self.country is None:
            return None
        import holidays  # noqa: PLC0415 - lazy: only calendars with a country need it

        return holidays.country_holidays(self.country, subdiv=self.subdiv, years=number)


def _midnight(ordinal: int) -> datetime:
    """The local wall time starting date ``ordinal`` (naive: a wall time, no instant)."""
    return _EPOCH_NAIVE + timedelta(days=ordinal - _EPOCH_ORDINAL)


def _amount(what: str, duration: timedelta) -> int:
    """A duration as whole microseconds, refusing what is not a timedelta."""
    if not isinstance(duration, timedelta):
        raise InvalidTypeError(what, "a timedelta", duration)
    return duration // _US


def _require_int(what: str, value: int) -> None:
    require_int(what, value)


# ---------------------------------------------------------------------- validation


@attrs.frozen
class _Fields:
    """The fields of a calendar, unchecked: what a document parsed into so far."""

    tz: str = "UTC"
    week: tuple[tuple[Window, ...], ...] = attrs.field(
        factory=_always_open_week, converter=_to_week
    )
    country: str | None = None
    subdiv: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_holidays)
    closures: frozenset[Closure] = attrs.field(default=frozenset(), converter=_to_closures)
    extra_workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_extra_workdays)


def _definition_problems(calendar: BusinessCalendar | _Fields) -> list[Problem]:
    """Every problem with a calendar definition, each with its fix."""
    problems: list[Problem] = []
    problems.extend(_zone_problems(calendar.tz))
    problems.extend(_week_problems(calendar.week))
    problems.extend(_country_problems(calendar.country, calendar.subdiv))
    for day in sorted(calendar.holidays & calendar.extra_workdays):
        problems.append(
            Problem(
                f"date {day.isoformat()}",
                "is both a holiday and an extra working day",
                "remove it from one of 'holidays' and 'extra_workdays'",
            )
        )
    return problems


def _zone_problems(tz: object) -> list[Problem]:
    fix = "give an IANA key such as 'Europe/Berlin'"
    if isinstance(tz, ZoneInfo):
        if tz.key is None:
            what = "is a ZoneInfo read from a file, which has no name to write in a document"
            return [Problem("tz", what, f"{fix}, the zone's name in the tz database")]
        return [
            Problem(
                "tz", f"is the ZoneInfo {quoted(tz.key)}, not its name", f"give {quoted(tz.key)}"
            )
        ]
    if isinstance(tz, timezone | tzinfo):
        utc_fix = "give 'UTC'" if tz is UTC else fix
        what = f"is the tzinfo {quoted(tz)}, not the name of a time zone"
        return [Problem("tz", what, utc_fix)]
    if not isinstance(tz, str) or not tz:
        return [Problem("tz", f"{quoted(tz)} is not a time zone name", fix)]
    if any(part.lower() in _HOST_ZONES for part in tz.split("/")):
        return [
            Problem(
                "tz",
                f"{quoted(tz)} names whatever zone the host is configured with "
                "(/etc/localtime), so the calendar would differ from machine to machine",
                f"{fix}, the zone the desk works in",
            )
        ]
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = ""
        if len(tz) <= 64:
            from zoneinfo import available_timezones  # noqa: PLC0415 - only on error

            close = difflib.get_close_matches(tz, sorted(available_timezones()), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        fix = f"give an IANA time zone key such as 'Europe/Berlin'{hint}"
        return [Problem("tz", f"unknown time zone {quoted(tz)}", fix)]
    return []


def _week_problems(week: Sequence[Sequence[Window]]) -> list[Problem]:
    if len(week) != 7:
        return [
            Problem(
                "week",
                f"has {len(week)} days",
                "give exactly seven tuples of windows, Monday first (an empty tuple for a "
                "closed day)",
            )
        ]
    problems: list[Problem] = []
    spans: list[tuple[int, int, str]] = []
    for index, windows in enumerate(week):
        for window in windows:
            start = index * _DAY_MINUTES + window.start
            spans.append((start, start + window.minutes, f"{_WEEKDAY_NAMES[index]} {window}"))
    if not spans:
        return [
            Problem(
                "week",
                "has no opening windows, so business time could never pass",
                "give at least one window, e.g. mon = '09:00-17:00'",
            )
        ]
    spans.sort()
    # The week is a circle: Sunday's overnight window runs into Monday.
    pairs = list(itertools.pairwise(spans))
    last = spans[-1]
    first = spans[0]
    pairs.append((last, (first[0] + _WEEK_MINUTES, first[1] + _WEEK_MINUTES, first[2])))
    for (_, end, name), (start, _, other) in pairs:
        if end > start and name != other:
            problems.append(
                Problem(
                    f"week {name}",
                    f"overlaps {other}",
                    "make the windows disjoint (touching is fine), or merge them into one",
                )
            )
    return problems


def _country_problems(country: str | None, subdiv: str | None) -> list[Problem]:
    bad = [
        Problem(key, f"{quoted(value)} is not a string", "give a code such as 'DE'")
        for key, value in (("country", country), ("subdiv", subdiv))
        if value is not None and not isinstance(value, str)
    ]
    if bad:
        return bad
    if country is None:
        if subdiv is not None:
            return [
                Problem(
                    "subdiv",
                    f"{quoted(subdiv)} is given without a country",
                    "give the country it belongs to, or remove the subdivision",
                )
            ]
        return []
    import holidays  # noqa: PLC0415 - lazy: only calendars with a country need it

    supported = holidays.list_supported_countries()
    if country not in supported:
        close = (
            difflib.get_close_matches(country.upper(), sorted(supported), n=3)
            if len(country) <= 64
            else []
        )
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return [
            Problem(
                "country",
                f"the holidays package does not know country {quoted(country)}",
                f"give an ISO 3166-1 code it supports, such as 'DE' or 'US'{hint}",
            )
        ]
    if subdiv is not None and subdiv not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        return [
            Problem(
                "subdiv",
                f"country {quoted(country)} has no subdivision {quoted(subdiv)}",
                f"give one of: {known}" if supported[country] else "remove the subdivision",
            )
        ]
    return []


# ------------------------------------------------------------------ document reading

_DOCUMENT_KEYS: Final = frozenset(
    {"tz", "week", "country", "subdiv", "holidays", "extra_workdays", "closures"}
)


def _read_document(document: Mapping[str, object], problems: list[Problem]) -> _Fields:
    """The calendar fields in ``document``; every fault goes to ``problems``."""
    if not isinstance(document, Mapping):
        problems.append(Problem("document", "is not a mapping", "give a table of keys and values"))
        return _Fields()
    for key in sorted(set(document) - _DOCUMENT_KEYS, key=quoted):
        problems.append(
            Problem(
                f"key {quoted(key)}",
                "is not a calendar key",
                f"use only {', '.join(sorted(_DOCUMENT_KEYS))}",
            )
        )
    tz = document.get("tz")
    if not isinstance(tz, str):
        what = "is missing" if tz is None else f"{quoted(tz)} is not a string"
        problems.append(Problem("tz", what, "give an IANA key such as 'Europe/Berlin'"))
        tz = "UTC"
    week = _always_open_week()
    if "week" in document:
        week = _read_week(document["week"], problems) or week
    codes: list[str | None] = []
    for key in ("country", "subdiv"):
        value = document.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(
                Problem(key, f"{quoted(value)} is not a string", "give a code such as 'DE'")
            )
            value = None
        codes.append(value)
    return _Fields(
        tz=tz,
        week=week,
        country=codes[0],
        subdiv=codes[1],
        holidays=_read_dates("holidays", document.get("holidays", ()), problems),
        extra_workdays=_read_dates("extra_workdays", document.get("extra_workdays", ()), problems),
        closures=_read_closures(document.get("closures", ()), problems),
    )


def _read_week(value: object, problems: list[Problem]) -> tuple[tuple[Window, ...], ...] | None:
    """The week in ``value``, or None if it is unusable (its problems are reported)."""
    if not isinstance(value, Mapping):
        problems.append(
            Problem("week", "is not a table", "give a table such as {mon-fri = '09:00-17:00'}")
        )
        return None
    count = len(problems)
    days: list[list[Window]] = [[] for _ in range(7)]
    claimed: dict[int, str] = {}
    for key, windows in value.items():
        indices = _read_weekday_key(key, problems) or []
        for index in indices:
            if index in claimed:
                problems.append(
                    Problem(
                        f"week.{_label(key)}",
                        f"repeats {_WEEKDAY_NAMES[index]}, already given by week.{claimed[index]}",
                        "give each weekday once",
                    )
                )
            claimed.setdefault(index, _label(key))
        texts = [windows] if isinstance(windows, str) else windows
        if not isinstance(texts, list | tuple):
            problems.append(
                Problem(
                    f"week.{_label(key)}",
                    "is not a window or a list of windows",
                    "give e.g. ['09:00-17:00']",
                )
            )
            continue
        for position, text in enumerate(texts):
            window, problem = _try_parse_window(
                text, f"week.{_label(key)}[{position}] {quoted(text)}"
            )
            if problem is not None:
                problems.append(problem)
            elif window is not None:
                for index in indices:
                    days[index].append(window)
    if len(problems) > count and not any(days):
        # Everything in it was wrong; "no windows" would only repeat that.
        return None
    return _to_week(days)


def _label(key: object) -> str:
    """A document key as it is shown in a problem's ``where``: plain, but shortened."""
    return quoted(key)[1:-1] if isinstance(key, str) else quoted(key)


def _read_weekday_key(key: object, problems: list[Problem]) -> list[int] | None:
    fix = "use mon, tue, wed, thu, fri, sat, sun (or full names), or a range such as mon-fri"
    if not isinstance(key, str):
        problems.append(Problem(f"week key {quoted(key)}", "is not a weekday name", fix))
        return None
    names = key.split("-")
    indices = [_weekday_index(name) for name in names]
    if len(names) > 2 or None in indices:
        problems.append(
            Problem(
                f"week.{_label(key)}", f"{quoted(key)} is not a weekday or a range of weekdays", fix
            )
        )
        return None
    first, last = indices[0], indices[-1]
    assert first is not None
    assert last is not None
    if last < first:
        problems.append(
            Problem(
                f"week.{_label(key)}",
                "is a range that runs backwards",
                "write it Monday-first, e.g. mon-fri",
            )
        )
        return None
    return list(range(first, last + 1))


def _read_date(where: str, value: object, problems: list[Problem]) -> date | None:
    if isinstance(value, datetime) or not isinstance(value, date | str):
        problems.append(
            Problem(where, f"{quoted(value)} is not a date", "give a date like 2026-12-24")
        )
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(where, f"{quoted(value)} is not a date", "give a date like 2026-12-24")
        )
        return None


def _read_dates(key: str, value: object, problems: list[Problem]) -> list[date]:
    if not isinstance(value, list | tuple | set | frozenset):
        problems.append(
            Problem(key, "is not a list of dates", "give a list such as ['2026-12-24']")
        )
        return []
    found = [_read_date(f"{key}[{i}]", item, problems) for i, item in enumerate(value)]
    return [day for day in found if day is not None]


def _read_closures(value: object, problems: list[Problem]) -> list[Closure]:
    fix = "give a list of tables such as {date = 2026-12-31, window = '12:00-24:00'}"
    if not isinstance(value, list | tuple):
        problems.append(Problem("closures", "is not a list", fix))
        return []
    closures: list[Closure] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) != {"date", "window"}:
            problems.append(
                Problem(f"closures[{i}]", f"{quoted(item)} is not a date and a window", fix)
            )
            continue
        day = _read_date(f"closures[{i}].date", item["date"], problems)
        window, problem = _try_parse_window(
            item["window"], f"closures[{i}].window {quoted(item['window'])}"
        )
        if problem is not None:
            problems.append(problem)
        if day is not None and window is not None:
            closures.append(Closure(day, window))
    return closures
