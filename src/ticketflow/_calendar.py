"""Business calendars: opening hours, holidays and exact business-time arithmetic.

Theory of operation
-------------------

Business time is real elapsed time inside opening windows. Everything a calendar
answers therefore follows from one non-decreasing function of the instant::

    F(u) = open time between some fixed origin and the instant u

``between(a, b)`` is ``F(b) - F(a)``; ``add(start, d)`` is the earliest instant ``x``
with ``F(x) = F(start) + d`` (the latest one when ``d`` is negative).

A calendar materialises ``F`` as a *timeline*: the open periods of a range of local
dates, converted once to UTC microseconds, merged into sorted disjoint intervals, plus
the running total of open time at the start of each interval (a prefix sum). Holidays,
extra working days, partial closures and every DST transition of the zone are baked
into those intervals when a date is built, so a query never looks at them again:

* ``F(u)`` is one bisection into the interval starts plus a subtraction;
* ``add`` is one bisection into the prefix sums;
* business days are a sorted list of date ordinals, answered by bisection too.

The cost of a query is therefore the same whether it spans an hour or ten years.

The timeline covers a contiguous range of local dates and grows on demand, doubling
each time, so the total building work stays proportional to the range actually used.
A built timeline is never mutated: growing makes a new one, which replaces the old in
the calendar's private cache with a single assignment, so a thread that is reading the
old one keeps a consistent view. The cache is excluded from equality, hashing, repr
and pickling; a calendar stays a plain value.

Wall-clock edges become instants with one rule: an edge is the earliest instant at
which the local clock has reached it. For an ordinary wall time that is the only
instant showing it; for a wall time shown twice (a fall-back fold) it is the first
occurrence (``fold=0``); for a wall time that never exists (a spring-forward gap) it is
the transition itself, the first valid instant after the gap. The rule is monotone,
so windows that do not overlap on the wall clock never overlap in real time.
"""

from __future__ import annotations

import difflib
import itertools
import re
import threading
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ticketflow._errors import (
    CalendarDefinitionError,
    CalendarRangeError,
    LocalDateExpectedError,
    Problem,
)
from ticketflow._instants import require_aware

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = ["BusinessCalendar", "Closure", "Window"]

_EPOCH_UTC: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE: Final = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local wall time
_US: Final = timedelta(microseconds=1)
_DAY_MINUTES: Final = 24 * 60
_WEEK_MINUTES: Final = 7 * _DAY_MINUTES

# The local dates a timeline may hold. One day of margin on each side keeps every
# wall-clock to UTC conversion inside the range ``datetime`` can represent.
_FIRST_ORDINAL: Final = date(1, 1, 2).toordinal()
_END_ORDINAL: Final = date(9999, 12, 31).toordinal()
# The first build covers a few weeks around the first query; each growth at least
# doubles the range, so a query ten years away costs a few builds, not hundreds.
# The real-time span those dates cover, give or take a day of UTC offset.
_FIRST_US: Final = (datetime(1, 1, 3, tzinfo=UTC) - _EPOCH_UTC) // _US
_END_US: Final = (datetime(9999, 12, 30, tzinfo=UTC) - _EPOCH_UTC) // _US
# Instants in this range become datetimes through ``datetime.fromtimestamp``, which
# every platform supports there and which is about twice as fast as adding a
# timedelta to the epoch; others take the general path.
_FAST_SECONDS: Final = range(0, 32_503_680_000)  # 1970 to 3000
_INITIAL_DAYS_BEFORE: Final = 3
_INITIAL_DAYS_AFTER: Final = 14
_MARGIN_DAYS: Final = 3

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
                f"start {start} or end {end} is outside the day",
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
        problems = _window_problems(self.start, self.end, f"{self.start}-{self.end}")
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
        window, problem = _try_parse_window(text, repr(text))
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

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.window}"


def _to_week(value: Iterable[Iterable[Window]]) -> tuple[tuple[Window, ...], ...]:
    return tuple(tuple(sorted(day)) for day in value)


def _to_dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


def _to_closures(value: Iterable[Closure]) -> frozenset[Closure]:
    return frozenset(value)


def _always_open_week() -> tuple[tuple[Window, ...], ...]:
    return tuple((Window(0, _DAY_MINUTES),) for _ in range(7))


class _Timeline:
    """An immutable snapshot of the open periods of local dates ``[first, end)``.

    ``starts``/``ends`` are the merged open intervals in UTC microseconds, ``cum[i]`` is
    the open time before interval ``i`` (``cum[-1]`` is the total). ``F`` is exact for
    instants in ``[lo, hi)``: ``lo`` is local midnight starting ``first + 1`` (date
    ``first`` may miss the tail of an overnight window from the unbuilt day before) and
    ``hi`` is local midnight starting ``end``. ``business_days`` holds the ordinals of
    the dates in ``[first + 1, end)`` that have any open time.
    """

    __slots__ = (
        "business_days",
        "cum",
        "end",
        "ends",
        "f_hi",
        "f_lo",
        "first",
        "hi",
        "lo",
        "starts",
    )

    def __init__(
        self,
        *,
        first: int,
        end: int,
        lo: int,
        hi: int,
        starts: list[int],
        ends: list[int],
        business_days: list[int],
    ) -> None:
        self.first = first
        self.end = end
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
        self.business_days = business_days
        self.f_lo = self.open_before(lo)
        self.f_hi = self.open_before(hi)

    def open_before(self, u: int) -> int:
        """``F(u)``: the open time in this timeline's intervals before instant ``u``."""
        i = bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.cum[i] + (end if u > end else u) - self.starts[i]


class _Cache:
    """Per-calendar derived data; never part of the calendar's value."""

    __slots__ = (
        "closures",
        "country_table",
        "extra",
        "holidays",
        "lock",
        "timeline",
        "workday_windows",
        "zone",
    )

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.timeline: _Timeline | None = None
        self.zone: ZoneInfo = ZoneInfo("UTC")
        self.country_table: HolidayBase | None = None
        self.holidays: frozenset[int] = frozenset()
        self.extra: frozenset[int] = frozenset()
        self.closures: tuple[tuple[int, Window], ...] = ()
        self.workday_windows: tuple[Window, ...] = ()


def _wall_to_us(zone: ZoneInfo, wall: datetime) -> int:
    """The instant (UTC microseconds) at which the local clock first reaches ``wall``.

    A repeated wall time gives its first occurrence; a wall time inside a gap gives the
    transition that skips it (the edge moves forward to the first valid instant).
    """
    first = wall.replace(tzinfo=zone)
    before = first.utcoffset()
    after = first.replace(fold=1).utcoffset()
    assert before is not None
    assert after is not None
    if before >= after:
        # Unambiguous (equal offsets) or repeated: fold=0 is the earlier instant.
        return (wall - before - _EPOCH_NAIVE) // _US
    # In a gap zoneinfo gives the pre-transition offset for fold=0 and the
    # post-transition one for fold=1, so the transition lies in (low, high].
    low = (wall - after - _EPOCH_NAIVE) // _US
    high = (wall - before - _EPOCH_NAIVE) // _US
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
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    closures: frozenset[Closure] = attrs.field(default=frozenset(), converter=_to_closures)
    extra_workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    _cache: _Cache = attrs.field(init=False, eq=False, repr=False, factory=_Cache)

    def __attrs_post_init__(self) -> None:
        problems = _definition_problems(self)
        if problems:
            raise CalendarDefinitionError(problems)
        cache = self._cache
        cache.zone = ZoneInfo(self.tz)
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
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CalendarDefinitionError(
                [Problem("TOML", f"cannot be parsed: {error}", "fix the TOML syntax")]
            ) from error
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
            NaiveDatetimeError: ``at`` has no time zone.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> berlin = ZoneInfo("Europe/Berlin")
        >>> cal.is_open(datetime(2026, 3, 2, 9, tzinfo=berlin))
        True
        >>> cal.is_open(datetime(2026, 3, 2, 17, tzinfo=berlin))
        False
        """
        u = _microseconds("at", at)
        timeline = self._timeline_at(u)
        i = bisect_right(timeline.starts, u) - 1
        return i >= 0 and u < timeline.ends[i]

    def next_open(self, at: datetime) -> datetime:
        """The earliest instant at or after ``at`` at which the calendar is open.

        This is the other reading of a deadline that :meth:`add` puts on a window's
        end: ``add`` says Monday 17:00, ``next_open`` of that says Tuesday 09:00.

        Args:
            at: an aware datetime.

        Returns:
            ``at`` itself (in the calendar's zone) if open, else the next window start.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.
            CalendarRangeError: the calendar never opens again before year 9999.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> cal.next_open(datetime(2026, 3, 6, 17, tzinfo=ZoneInfo("Europe/Berlin"))).isoformat()
        '2026-03-09T09:00:00+01:00'
        """
        u = _microseconds("at", at)
        timeline = self._timeline_at(u)
        while True:
            i = bisect_right(timeline.starts, u) - 1
            if i >= 0 and u < timeline.ends[i]:
                return self._instant(u)
            if i + 1 < len(timeline.starts) and timeline.starts[i + 1] <= timeline.hi:
                return self._instant(timeline.starts[i + 1])
            timeline = self._grow(timeline, right=True)

    def next_close(self, at: datetime) -> datetime | None:
        """The earliest instant at or after ``at`` at which the calendar is closed.

        Args:
            at: an aware datetime.

        Returns:
            ``at`` itself (in the calendar's zone) if closed, else the end of the open
            period it is in; None if the calendar never closes again (a 24/7 calendar).

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> cal.next_close(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Berlin"))).isoformat()
        '2026-03-02T17:00:00+01:00'
        >>> always = BusinessCalendar.always_open()
        >>> print(always.next_close(datetime(2026, 3, 2, tzinfo=ZoneInfo("UTC"))))
        None
        """
        u = _microseconds("at", at)
        timeline = self._timeline_at(u)
        while True:
            i = bisect_right(timeline.starts, u) - 1
            if i < 0 or u >= timeline.ends[i]:
                return self._instant(u)
            if timeline.ends[i] < timeline.hi:
                return self._instant(timeline.ends[i])
            if self._never_closes_after(timeline.end) or timeline.end >= _END_ORDINAL:
                return None
            timeline = self._grow(timeline, right=True)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """The business time from ``start`` to ``end``; negative when ``end`` is earlier.

        Args:
            start: an aware datetime.
            end: an aware datetime.

        Returns:
            The real time during which the calendar is open between the two instants.

        Raises:
            NaiveDatetimeError: either instant has no time zone.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> berlin = ZoneInfo("Europe/Berlin")
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> friday_4pm = datetime(2026, 3, 6, 16, tzinfo=berlin)
        >>> monday_10am = datetime(2026, 3, 9, 10, tzinfo=berlin)
        >>> str(cal.between(friday_4pm, monday_10am)), str(cal.between(monday_10am, friday_4pm))
        ('2:00:00', '-1 day, 22:00:00')
        """
        a = _microseconds("start", start)
        b = _microseconds("end", end)
        timeline = self._cache.timeline
        if timeline is None or not timeline.lo <= a < timeline.hi:
            timeline = self._timeline_at(a)
        if not timeline.lo <= b < timeline.hi:
            timeline = self._timeline_at(b)
        return timedelta(microseconds=timeline.open_before(b) - timeline.open_before(a))

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
            NaiveDatetimeError: ``start`` has no time zone.
            CalendarRangeError: the result would be outside the years 1-9999.

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
        u = _microseconds("start", start)
        return self._instant(self._advance(u, duration // _US))

    def add_each(self, start: datetime, durations: Iterable[timedelta]) -> tuple[datetime, ...]:
        """:meth:`add` of each of ``durations`` to the same ``start``, in order.

        The same instants as one :meth:`add` per duration, for less: an SLA clock
        plans its warning and its breach from one start this way.

        Raises:
            NaiveDatetimeError: ``start`` has no time zone.
            CalendarRangeError: a result would be outside the years 1-9999.

        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin")
        >>> friday_4pm = datetime(2026, 3, 6, 16, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> [t.isoformat() for t in cal.add_each(friday_4pm, [timedelta(hours=h) for h in (1, 2)])]
        ['2026-03-06T17:00:00+01:00', '2026-03-09T10:00:00+01:00']
        """
        u = _microseconds("start", start)
        timeline = self._cache.timeline
        if timeline is None or not timeline.lo <= u < timeline.hi:
            timeline = self._timeline_at(u)
        f_u = timeline.open_before(u)
        instants = []
        for duration in durations:
            amount = duration // _US
            target = f_u + amount
            if amount > 0 and target <= timeline.f_hi and u + amount <= _END_US:
                # The usual deadline: forward, inside the timeline at hand.
                k = bisect_left(timeline.cum, target, 1) - 1
                instants.append(self._instant(timeline.starts[k] + target - timeline.cum[k]))
            else:
                instants.append(self._instant(self._advance(u, amount)))
        return tuple(instants)

    def _advance(self, u: int, amount: int) -> int:
        """The instant (UTC microseconds) at which ``amount`` µs of open time from ``u``
        is used up; see :meth:`add`."""
        if not _FIRST_US <= u + amount <= _END_US:
            # Business time never outruns real time: fail now, not after building
            # every year up to the limit.
            raise CalendarRangeError
        timeline = self._cache.timeline
        if timeline is None or not timeline.lo <= u < timeline.hi:
            timeline = self._timeline_at(u)
        if amount == 0:
            return u
        target = timeline.open_before(u) + amount
        while not timeline.f_lo <= target <= timeline.f_hi:
            grown = self._grow(timeline, right=amount > 0)
            # Running totals count from a timeline's first interval, so growing on the
            # left (here, or in another thread) shifts them all by the same amount.
            target += grown.open_before(u) - timeline.open_before(u)
            timeline = grown
        if amount > 0:
            k = bisect_left(timeline.cum, target, 1) - 1
        else:
            k = bisect_right(timeline.cum, target, 1) - 1
        return timeline.starts[k] + target - timeline.cum[k]

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
            NaiveDatetimeError: ``start`` has no time zone.
            CalendarRangeError: the result would be outside the years 1-9999.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        >>> thursday = datetime(2026, 4, 2, 20, 30, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add_business_days(thursday, 1).isoformat()  # Good Friday, Easter Monday
        '2026-04-07T20:30:00+02:00'
        """
        local = require_aware("start", start).astimezone(self._cache.zone)
        if days == 0:
            return local
        if abs(days) > _END_ORDINAL - _FIRST_ORDINAL:
            raise CalendarRangeError
        origin = local.date().toordinal()
        timeline = self._timeline_for_days(origin, origin + 1)
        if days > 0:
            while True:
                k = bisect_right(timeline.business_days, origin) + days - 1
                if k < len(timeline.business_days):
                    break
                timeline = self._grow(timeline, right=True)
        else:
            while True:
                k = bisect_left(timeline.business_days, origin) + days
                if k >= 0:
                    break
                timeline = self._grow(timeline, right=False)
        day = date.fromordinal(timeline.business_days[k])
        wall = datetime.combine(day, local.time())
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
            NaiveDatetimeError: ``start`` has no time zone.
            CalendarRangeError: the result would be outside the years 1-9999.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> cal = BusinessCalendar.always_open("Europe/Berlin")
        >>> before_dst = datetime(2026, 3, 20, 10, tzinfo=ZoneInfo("Europe/Berlin"))
        >>> cal.add_days(before_dst, 15).isoformat()
        '2026-04-04T10:00:00+02:00'
        """
        local = require_aware("start", start).astimezone(self._cache.zone)
        try:
            wall = local.replace(tzinfo=None) + timedelta(days=days)
        except OverflowError:
            raise CalendarRangeError from None
        return self._local(wall)

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

        >>> from datetime import date
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        >>> cal.business_days_between(date(2026, 12, 21), date(2026, 12, 28))  # 25th closed
        4
        """
        if isinstance(first, datetime) or isinstance(end, datetime):
            # A datetime is a date too, but its date depends on the zone it is read in.
            raise LocalDateExpectedError("business_days_between")
        if end < first:
            return -self.business_days_between(end, first)
        a, b = first.toordinal(), end.toordinal()
        timeline = self._timeline_for_days(a, b)
        return bisect_left(timeline.business_days, b) - bisect_left(timeline.business_days, a)

    # ------------------------------------------------------------------ internals

    def _local(self, wall: datetime) -> datetime:
        """The instant at which the local clock first shows ``wall`` (the edge rule)."""
        zone = self._cache.zone
        first = wall.replace(tzinfo=zone)
        if first.utcoffset() == first.replace(fold=1).utcoffset():
            return first  # neither in a gap nor repeated: the wall time is the instant
        return self._instant(_wall_to_us(zone, wall))

    def _instant(self, u: int) -> datetime:
        seconds, micros = divmod(u, 1_000_000)
        if seconds in _FAST_SECONDS:
            instant = datetime.fromtimestamp(seconds, self._cache.zone)
            return instant.replace(microsecond=micros) if micros else instant
        return (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(self._cache.zone)

    def _never_closes_after(self, ordinal: int) -> bool:
        """True if no date from ``ordinal`` on can close (a full week, nothing closed)."""
        if self.country is not None:
            return False
        if sum(w.minutes for day in self.week for w in day) < _WEEK_MINUTES:
            return False
        closed = [*self._cache.holidays, *(c for c, _ in self._cache.closures)]
        return all(c < ordinal - 1 for c in closed)

    def _timeline_at(self, u: int) -> _Timeline:
        """A timeline whose exact range contains instant ``u``."""
        timeline = self._cache.timeline
        if timeline is not None and timeline.lo <= u < timeline.hi:
            return timeline
        try:
            local = (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(self._cache.zone)
        except OverflowError:
            raise CalendarRangeError from None
        ordinal = local.date().toordinal()
        # One day either side: a fold across midnight can put an instant showing date D
        # after the first instant showing date D + 1.
        timeline = self._timeline_for_days(ordinal - 1, ordinal + 2)
        while u < timeline.lo:
            timeline = self._grow(timeline, right=False)
        while u >= timeline.hi:
            timeline = self._grow(timeline, right=True)
        return timeline

    def _timeline_for_days(self, first: int, end: int) -> _Timeline:
        """A timeline whose complete dates include ``[first, end)``."""
        timeline = self._cache.timeline
        if timeline is None:
            with self._cache.lock:
                timeline = self._cache.timeline
                if timeline is None:
                    timeline = self._build(
                        max(first - _INITIAL_DAYS_BEFORE, _FIRST_ORDINAL),
                        min(end + _INITIAL_DAYS_AFTER, _END_ORDINAL),
                        None,
                    )
                    self._cache.timeline = timeline
        while first < timeline.first + 1:
            timeline = self._grow(timeline, right=False, reach=first - 1)
        while end > timeline.end:
            timeline = self._grow(timeline, right=True, reach=end)
        return timeline

    def _grow(self, timeline: _Timeline, *, right: bool, reach: int | None = None) -> _Timeline:
        """A timeline extending ``timeline`` on one side, at least doubling it."""
        with self._cache.lock:
            current = self._cache.timeline
            if current is not None and current is not timeline:
                # Another thread grew it meanwhile. Timelines only ever grow, so the
                # current one holds this one and may already reach far enough.
                if current.end > timeline.end if right else current.first < timeline.first:
                    return current
                timeline = current
            span = max(timeline.end - timeline.first, _INITIAL_DAYS_AFTER)
            if right:
                if timeline.end >= _END_ORDINAL:
                    raise CalendarRangeError
                new_end = max(timeline.end + span, (reach or 0) + _MARGIN_DAYS)
                grown = self._build(timeline.end, min(new_end, _END_ORDINAL), timeline)
            else:
                if timeline.first <= _FIRST_ORDINAL:
                    raise CalendarRangeError
                new_first = timeline.first - span
                if reach is not None:
                    new_first = min(new_first, reach - _MARGIN_DAYS)
                grown = self._build(max(new_first, _FIRST_ORDINAL), timeline.first, timeline)
            self._cache.timeline = grown
            return grown

    def _build(self, first: int, end: int, base: _Timeline | None) -> _Timeline:
        """The timeline of dates ``[first, end)`` joined to ``base`` (adjacent or None)."""
        zone = self._cache.zone
        raw: list[tuple[int, int]] = []
        for ordinal in range(first, end):
            day = date.fromordinal(ordinal)
            windows = self._windows_on(day, ordinal)
            if not windows:
                continue
            midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - wall time
            for window in windows:
                opens = _wall_to_us(zone, midnight + timedelta(minutes=window.start))
                stop = window.end + (_DAY_MINUTES if window.overnight else 0)
                closes = _wall_to_us(zone, midnight + timedelta(minutes=stop))
                if opens < closes:
                    raw.append((opens, closes))
        starts, ends = _merge(raw)
        holes = self._closure_intervals(first - 1, end + 1)
        if holes:
            starts, ends = _merge(_subtract(starts, ends, holes))
        if base is None:
            new_first, new_end = first, end
            all_starts, all_ends = starts, ends
            old_days: list[int] = []
        elif first >= base.end:
            new_first, new_end = base.first, end
            all_starts, all_ends = _merge(
                [*zip(base.starts, base.ends, strict=True), *zip(starts, ends, strict=True)]
            )
            old_days = base.business_days
        else:
            new_first, new_end = first, base.end
            all_starts, all_ends = _merge(
                [*zip(starts, ends, strict=True), *zip(base.starts, base.ends, strict=True)]
            )
            old_days = base.business_days
        lo = _wall_to_us(zone, _midnight(new_first + 1))
        hi = _wall_to_us(zone, _midnight(new_end))
        # Business days are complete on [first + 1, end); only the new ones are computed.
        if base is None:
            fresh = range(new_first + 1, new_end)
        elif first >= base.end:
            fresh = range(base.end, new_end)
        else:
            fresh = range(new_first + 1, base.first + 1)
        days = self._business_days(fresh, all_starts, all_ends)
        if base is None:
            business_days = days
        elif first >= base.end:
            business_days = [*old_days, *days]
        else:
            business_days = [*days, *old_days]
        return _Timeline(
            first=new_first,
            end=new_end,
            lo=lo,
            hi=hi,
            starts=all_starts,
            ends=all_ends,
            business_days=business_days,
        )

    def _business_days(self, ordinals: range, starts: list[int], ends: list[int]) -> list[int]:
        zone = self._cache.zone
        days: list[int] = []
        if not ordinals:
            return days
        day_start = _wall_to_us(zone, _midnight(ordinals[0]))
        for ordinal in ordinals:
            day_end = _wall_to_us(zone, _midnight(ordinal + 1))
            j = bisect_right(ends, day_start)
            if j < len(starts) and starts[j] < day_end and day_start < day_end:
                days.append(ordinal)
            day_start = day_end
        return days

    def _closure_intervals(self, first: int, end: int) -> list[tuple[int, int]]:
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

    def _windows_on(self, day: date, ordinal: int) -> tuple[Window, ...]:
        """The windows that open on local date ``day`` (before closures)."""
        cache = self._cache
        if ordinal in cache.holidays:
            return ()
        if ordinal in cache.extra:
            return cache.workday_windows
        if self.country is not None:
            table = self._country_table()
            if day in table:  # also expands the table to the date's year
                return ()
            if day in table.weekend_workdays:
                return cache.workday_windows
        return self.week[day.weekday()]

    def _country_table(self) -> HolidayBase:
        table = self._cache.country_table
        if table is None:
            import holidays  # noqa: PLC0415 - lazy: only calendars with a country need it

            assert self.country is not None
            table = holidays.country_holidays(self.country, subdiv=self.subdiv)
            self._cache.country_table = table
        return table


def _midnight(ordinal: int) -> datetime:
    day = date.fromordinal(ordinal)
    return datetime(day.year, day.month, day.day)  # noqa: DTZ001 - local wall time


def _microseconds(what: str, instant: datetime) -> int:
    """``instant`` as whole microseconds since the epoch, UTC.

    Raises:
        NaiveDatetimeError: ``instant`` has no time zone.
    """
    try:
        span = instant - _EPOCH_UTC
    except TypeError:
        require_aware(what, instant)  # raises the error that explains a naive instant
        raise
    return (span.days * 86_400 + span.seconds) * 1_000_000 + span.microseconds


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
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)
    closures: frozenset[Closure] = attrs.field(default=frozenset(), converter=_to_closures)
    extra_workdays: frozenset[date] = attrs.field(default=frozenset(), converter=_to_dates)


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
    if not isinstance(tz, str) or not tz:
        return [
            Problem(
                "tz", f"{tz!r} is not a time zone name", "give an IANA key such as 'Europe/Berlin'"
            )
        ]
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        from zoneinfo import available_timezones  # noqa: PLC0415 - only on error

        close = difflib.get_close_matches(tz, sorted(available_timezones()), n=3)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return [
            Problem(
                "tz",
                f"unknown time zone {tz!r}",
                f"give an IANA time zone key such as 'Europe/Berlin'{hint}",
            )
        ]
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
    if country is None:
        if subdiv is not None:
            return [
                Problem(
                    "subdiv",
                    f"{subdiv!r} is given without a country",
                    "give the country it belongs to, or remove the subdivision",
                )
            ]
        return []
    import holidays  # noqa: PLC0415 - lazy: only calendars with a country need it

    supported = holidays.list_supported_countries()
    if country not in supported:
        close = difflib.get_close_matches(country.upper(), sorted(supported), n=3)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return [
            Problem(
                "country",
                f"the holidays package does not know country {country!r}",
                f"give an ISO 3166-1 code it supports, such as 'DE' or 'US'{hint}",
            )
        ]
    if subdiv is not None and subdiv not in supported[country]:
        known = ", ".join(supported[country]) or "none"
        return [
            Problem(
                "subdiv",
                f"country {country!r} has no subdivision {subdiv!r}",
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
    for key in sorted(set(document) - _DOCUMENT_KEYS, key=str):
        problems.append(
            Problem(
                f"key {key!r}",
                "is not a calendar key",
                f"use only {', '.join(sorted(_DOCUMENT_KEYS))}",
            )
        )
    tz = document.get("tz")
    if not isinstance(tz, str):
        what = "is missing" if tz is None else f"{tz!r} is not a string"
        problems.append(Problem("tz", what, "give an IANA key such as 'Europe/Berlin'"))
        tz = "UTC"
    week = _always_open_week()
    if "week" in document:
        week = _read_week(document["week"], problems) or week
    codes: list[str | None] = []
    for key in ("country", "subdiv"):
        value = document.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(Problem(key, f"{value!r} is not a string", "give a code such as 'DE'"))
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
                        f"week.{key}",
                        f"repeats {_WEEKDAY_NAMES[index]}, already given by week.{claimed[index]}",
                        "give each weekday once",
                    )
                )
            claimed.setdefault(index, str(key))
        texts = [windows] if isinstance(windows, str) else windows
        if not isinstance(texts, list | tuple):
            problems.append(
                Problem(
                    f"week.{key}",
                    "is not a window or a list of windows",
                    "give e.g. ['09:00-17:00']",
                )
            )
            continue
        for position, text in enumerate(texts):
            window, problem = _try_parse_window(text, f"week.{key}[{position}] {text!r}")
            if problem is not None:
                problems.append(problem)
            elif window is not None:
                for index in indices:
                    days[index].append(window)
    if len(problems) > count and not any(days):
        # Everything in it was wrong; "no windows" would only repeat that.
        return None
    return _to_week(days)


def _read_weekday_key(key: object, problems: list[Problem]) -> list[int] | None:
    fix = "use mon, tue, wed, thu, fri, sat, sun (or full names), or a range such as mon-fri"
    if not isinstance(key, str):
        problems.append(Problem(f"week key {key!r}", "is not a weekday name", fix))
        return None
    names = key.split("-")
    indices = [_weekday_index(name) for name in names]
    if len(names) > 2 or None in indices:
        problems.append(
            Problem(f"week.{key}", f"{key!r} is not a weekday or a range of weekdays", fix)
        )
        return None
    first, last = indices[0], indices[-1]
    assert first is not None
    assert last is not None
    if last < first:
        problems.append(
            Problem(
                f"week.{key}",
                "is a range that runs backwards",
                "write it Monday-first, e.g. mon-fri",
            )
        )
        return None
    return list(range(first, last + 1))


def _read_date(where: str, value: object, problems: list[Problem]) -> date | None:
    if isinstance(value, datetime) or not isinstance(value, date | str):
        problems.append(Problem(where, f"{value!r} is not a date", "give a date like 2026-12-24"))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(where, f"{value!r} is not a date", "give a date like 2026-12-24"))
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
            problems.append(Problem(f"closures[{i}]", f"{item!r} is not a date and a window", fix))
            continue
        day = _read_date(f"closures[{i}].date", item["date"], problems)
        window, problem = _try_parse_window(
            item["window"], f"closures[{i}].window {item['window']!r}"
        )
        if problem is not None:
            problems.append(problem)
        if day is not None and window is not None:
            closures.append(Closure(day, window))
    return closures
