"""The timeline engine: a calendar's open time as per-year tables of UTC microseconds.

Theory of operation
-------------------

Business time is real elapsed time inside opening windows. Everything a calendar
answers therefore follows from one non-decreasing function of the instant::

    F(u) = open time between some fixed origin and the instant u

``between(a, b)`` is ``F(b) - F(a)``; ``add(start, d)`` is the earliest instant ``x``
with ``F(x) = F(start) + d`` (the latest one when ``d`` is negative).

A :class:`Timeline` materialises ``F`` one local *year* at a time. A year is the real
time from the first instant of its 1 January to the first instant of the next (so
consecutive years tile time exactly, whatever the DST rules). Its open periods,
converted once to UTC microseconds, merged into sorted disjoint intervals and clipped
to the year, are stored with the running total of open time at the start of each
interval (a prefix sum) and the year's business days. Holidays, extra working days,
partial closures and every DST transition of the zone are baked into those intervals
when the year is built, so a query never looks at them again:

* ``F`` inside a year is one bisection into the interval starts plus a subtraction;
* advancing is one bisection into the prefix sums of the year it ends in;
* business days are a sorted list of date ordinals, answered by bisection too.

Across years, a timeline keeps each year's total open time and business-day count
once it has built the year (two integers a year, at most 9,999 years), so an answer
spanning ten years adds ten known totals: the cost of a query is about the same
whether it spans an hour or ten years. One walk (:meth:`Timeline._walk`) crosses
years, for open time and for business days, forwards and backwards alike.

Memory stays bounded whatever is asked: only the most recently used years are kept
(at most :data:`YEARS_KEPT`, fewer when they hold many intervals), each built on
demand; a question about the year 2 and then the year 9999 builds those two years,
not the ten thousand between. A built year is never mutated. The timeline is private
to its calendar, guarded by a lock (threads share a calendar safely), and never part
of the calendar's value.

Wall-clock edges become instants with one rule (:func:`wall_offset`): an edge is the
earliest instant at which the local clock has reached it. For an ordinary wall time
that is the only instant showing it; for a wall time shown twice (a fall-back fold) it
is the first occurrence (``fold=0``); for a wall time that never exists (a
spring-forward gap) it is the transition itself, the first valid instant after the
gap. The rule is monotone, so windows that do not overlap on the wall clock never
overlap in real time.

Dependencies: this module imports the definition values (``_calendar_definition``),
the errors and, lazily, the ``holidays`` package; only the calendar API (``_calendar``)
imports it. It works in integers (UTC microseconds, date ordinals) and checks nothing a
caller gives: the API checks its arguments first.
"""

from __future__ import annotations

import itertools
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from ticketflow._calendar_definition import (
    DAY_MINUTES,
    CalendarDefinition,
    Window,
    workday_windows,
)
from ticketflow._errors import CalendarRangeError

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = [
    "END_ORDINAL",
    "FIRST_ORDINAL",
    "INTERVALS_KEPT",
    "YEARS_KEPT",
    "Timeline",
    "wall_offset",
    "wall_to_us",
]

_EPOCH_UTC: Final = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_NAIVE: Final = datetime(1970, 1, 1)  # noqa: DTZ001 - naive on purpose: local wall time
_US: Final = timedelta(microseconds=1)
_ONE_DAY: Final = timedelta(days=1)
_WEEK_MINUTES: Final = 7 * DAY_MINUTES

# The local dates a calendar answers for: 0001-01-02 to 9999-12-30. Date 0001-01-01 is
# built too (its night windows spill into 0001-01-02) but is not exact itself, since
# the day before it cannot be represented.
FIRST_ORDINAL: Final = date(1, 1, 2).toordinal()
END_ORDINAL: Final = date(9999, 12, 31).toordinal()
_FIRST_YEAR: Final = 1
_LAST_YEAR: Final = 9999
# At most this many built years are kept per timeline, and fewer once they hold more
# than INTERVALS_KEPT intervals together (a week of hundreds of tiny windows); the
# two most recent are always kept, so a question spanning a new year never rebuilds.
YEARS_KEPT: Final = 12
INTERVALS_KEPT: Final = 60_000
# Instants in this range become datetimes through ``datetime.fromtimestamp``, which
# every platform supports there and which is about twice as fast as adding a
# timedelta to the epoch; others take the general path.
_FAST_SECONDS: Final = range(0, 32_503_680_000)  # 1970 to 3000
_EPOCH_ORDINAL: Final = _EPOCH_NAIVE.toordinal()
# Each whole minute of the day as a wall time of the second reading (PEP 495 fold=1):
# combined with a date it is several times cheaper than datetime.replace(fold=1).
_FOLD_ONE: Final = tuple(time(m // 60, m % 60, fold=1) for m in range(24 * 60))
# What _Timeline._walk counts: the open time of a year, or its business days.
_OPEN_TIME: Final = 0
_BUSINESS_DAYS: Final = 1


def wall_offset(zone: ZoneInfo, wall: datetime) -> timedelta | None:
    """The UTC offset at the first instant the local clock shows ``wall``; None in a gap.

    A repeated wall time has the offset of its first occurrence; a wall time the clocks
    skip is shown at no instant. The ``fold`` of ``wall`` plays no part: the rule picks
    the occurrence.
    """
    if wall.fold:
        wall = wall.replace(fold=0)
    # The offsets of both readings of the wall time (PEP 495), asked of the zone with
    # the naive wall time itself: building aware datetimes costs ten times more, and
    # this runs for every window edge of every day a timeline builds.
    before = zone.utcoffset(wall)
    if wall.second or wall.microsecond:
        twin = wall.replace(fold=1)
    else:
        twin = datetime.combine(wall, _FOLD_ONE[wall.hour * 60 + wall.minute])
    after = zone.utcoffset(twin)
    assert before is not None
    assert after is not None
    # Unambiguous (equal offsets) or repeated: fold=0 is the earlier instant. In a gap
    # zoneinfo gives the pre-transition offset for fold=0 and the post-transition one
    # for fold=1, so fold=0 reads earlier than fold=1.
    return before if before >= after else None


def wall_to_us(zone: ZoneInfo, wall: datetime) -> int:
    """The instant (UTC microseconds) at which the local clock first reaches ``wall``.

    That is :func:`wall_offset`'s instant; a wall time inside a gap gives the
    transition that skips it (the edge moves forward to the first valid instant).
    """
    offset = wall_offset(zone, wall)
    # Subtracting the epoch first keeps the arithmetic in timedeltas, which do not
    # overflow at the ends of the years 1-9999 the way a datetime would.
    local = wall - _EPOCH_NAIVE
    if offset is not None:
        return (local - offset) // _US
    # In a gap the transition lies in (local - after, local - before].
    before = zone.utcoffset(wall.replace(fold=0))
    after = zone.utcoffset(wall.replace(fold=1))
    assert before is not None
    assert after is not None
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


def _midnight(ordinal: int) -> datetime:
    """The local wall time starting date ``ordinal`` (naive: a wall time, no instant)."""
    return _EPOCH_NAIVE + timedelta(days=ordinal - _EPOCH_ORDINAL)


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


class _Year:
    """The open periods of one local year: an immutable snapshot.

    The year is the real time ``[lo, hi)`` from the first instant of its first exact
    date (1 January, or 0001-01-02) to the first instant of the date after its last
    (the next 1 January, or 9999-12-31). ``starts``/``ends`` are the merged open
    intervals inside it, in UTC microseconds; ``cum[i]`` is the open time before
    interval ``i`` and ``total`` all of it. ``business_days`` holds the ordinals of the
    year's dates that have any open time; ``sizes`` is the pair of ``total`` and their
    count, indexed by what :meth:`Timeline._walk` measures.
    """

    __slots__ = ("business_days", "cum", "ends", "hi", "lo", "sizes", "starts", "total", "year")

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
        self.sizes = (total, len(business_days))

    def open_before(self, u: int) -> int:
        """The open time in this year before instant ``u`` (``lo <= u <= hi``)."""
        i = bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.cum[i] + (end if u > end else u) - self.starts[i]


class Timeline:
    """The open time of one calendar definition, built a year at a time; never a value.

    Every instant is an integer of UTC microseconds since 1970 and every date an
    ordinal; the calendar converts its arguments and checks them first. ``first_us``
    and ``end_us`` bound the instants answered for: the first instant of 0001-01-02 and
    of 9999-12-31.

    Attributes ``years`` (a least-recently-used map of built years, bounded, see
    :data:`YEARS_KEPT`), ``recent`` (the two years used last, newest first, read
    without the lock: a tuple replaced by one assignment, so a deadline in another year
    than its start takes no lock at all) and ``totals`` (each built year's open time
    and business-day count, which outlive the year's eviction) are the only state that
    changes, under ``lock``.
    """

    __slots__ = (
        "closures",
        "country",
        "end_us",
        "extra",
        "first_us",
        "holidays",
        "intervals",
        "lock",
        "recent",
        "subdiv",
        "totals",
        "week",
        "workday_windows",
        "years",
        "zone",
    )

    def __init__(self, definition: CalendarDefinition) -> None:
        """The timeline of a checked definition; it keeps the fields it needs, never
        ``definition`` itself."""
        zone = self.zone = ZoneInfo(definition.tz)
        self.week = definition.week
        self.workday_windows = workday_windows(definition.week)
        self.country = definition.country
        self.subdiv = definition.subdiv
        self.holidays = frozenset(day.toordinal() for day in definition.holidays)
        self.extra = frozenset(day.toordinal() for day in definition.extra_workdays)
        self.closures: tuple[tuple[int, Window], ...] = tuple(
            sorted((c.on.toordinal(), c.window) for c in definition.closures)
        )
        self.first_us = wall_to_us(zone, _midnight(FIRST_ORDINAL))
        self.end_us = wall_to_us(zone, _midnight(END_ORDINAL))
        self.lock = threading.Lock()
        self.years: OrderedDict[int, _Year] = OrderedDict()
        self.intervals = 0
        self.recent: tuple[_Year, ...] = ()
        self.totals: dict[int, tuple[int, int]] = {}

    # -------------------------------------------------------------- conversions

    def instant(self, u: int) -> datetime:
        """Instant ``u`` as an aware datetime in the zone."""
        seconds, micros = divmod(u, 1_000_000)
        if seconds in _FAST_SECONDS:
            instant = datetime.fromtimestamp(seconds, self.zone)
            return instant.replace(microsecond=micros) if micros else instant
        try:
            return (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(self.zone)
        except OverflowError:  # pragma: no cover - every instant of a year is in range
            raise CalendarRangeError from None

    def local(self, wall: datetime) -> datetime:
        """The instant at which the local clock first shows ``wall`` (the edge rule)."""
        if wall_offset(self.zone, wall) is not None:
            # Shown at some instant: its first reading is the instant, as it stands.
            return wall.replace(tzinfo=self.zone, fold=0)
        return self.instant(wall_to_us(self.zone, wall))

    # ------------------------------------------------------------------ queries

    def is_open(self, u: int) -> bool:
        """Whether instant ``u`` is inside an open period."""
        year = self.year_at(u)
        i = bisect_right(year.starts, u) - 1
        return i >= 0 and u < year.ends[i]

    def next_open(self, u: int) -> int:
        """The earliest open instant at or after ``u``.

        Raises:
            CalendarRangeError: it never opens again before year 9999 ends.
        """
        year = self.year_at(u)
        i = bisect_right(year.starts, u) - 1
        if i >= 0 and u < year.ends[i]:
            return u
        if i + 1 < len(year.starts):
            return year.starts[i + 1]
        totals = self.totals
        number = year.year + 1
        while number <= _LAST_YEAR:
            known = totals.get(number)
            if known is None or known[0]:
                year = self.year(number)
                if year.starts:
                    return year.starts[0]
            number += 1
        raise CalendarRangeError

    def next_close(self, u: int) -> int | None:
        """The earliest closed instant at or after ``u``; None if it never closes again."""
        year = self.year_at(u)
        i = bisect_right(year.starts, u) - 1
        if i < 0 or u >= year.ends[i]:
            return u
        end = year.ends[i]
        # An open period that reaches the end of the year may go on into the next.
        while end == year.hi:
            if year.year == _LAST_YEAR or self._never_closes_after(
                date(year.year + 1, 1, 1).toordinal()
            ):
                return None
            year = self.year(year.year + 1)
            if not year.starts or year.starts[0] != year.lo:
                return year.lo
            end = year.ends[0]
        return end

    def open_between(self, a: int, b: int) -> int:
        """The open time in ``[a, b)``, for instants ``a <= b`` in range."""
        first = self.year_at(a)
        if b < first.hi:
            return first.open_before(b) - first.open_before(a)  # the usual case: one year
        end = self.year_at(b)
        total = first.total - first.open_before(a) + end.open_before(b)
        for number in range(first.year + 1, end.year):
            total += self.year_totals(number)[_OPEN_TIME]
        return total

    def advance(self, u: int, amount: int) -> int:
        """The instant at which ``amount`` µs of open time from ``u`` is used up: the
        earliest such instant forwards, the latest backwards (see
        :meth:`~ticketflow.BusinessCalendar.add`).

        Raises:
            CalendarRangeError: the result would be outside the years answered for.
        """
        year = self.year_at(u)
        return self.reach(u, year, year.open_before(u), amount)

    def locate(self, u: int) -> tuple[_Year, int]:
        """Where instant ``u`` is: its year and the year's open time before it, so that
        :meth:`reach` can advance from ``u`` several times, finding it once."""
        year = self.year_at(u)
        return year, year.open_before(u)

    def reach(self, u: int, year: _Year, before: int, amount: int) -> int:
        """:meth:`advance` from ``u``, which lies in ``year`` after ``before`` of its
        open time (as :meth:`locate` says): the one step every advance takes.

        Raises:
            CalendarRangeError: the result would be outside the years answered for.
        """
        # Business time never outruns real time: an amount that would leave the years
        # answered for fails now, not after building every year up to the limit.
        if amount > 0:
            if u + amount > self.end_us:
                raise CalendarRangeError
            target = before + amount
            if target > year.total:
                year, left = self._walk(year, target - year.total, 1, _OPEN_TIME)
                target = year.total + left
            k = bisect_left(year.cum, target, 1) - 1
        elif amount < 0:
            if u + amount < self.first_us:
                raise CalendarRangeError
            target = before + amount
            if target < 0:
                year, left = self._walk(year, -target, -1, _OPEN_TIME)
                target = -left
            # target < year.total here, so the latest instant is inside the year.
            k = bisect_right(year.cum, target, 1) - 1
        else:
            return u
        return year.starts[k] + target - year.cum[k]

    def add_business_days(self, origin: int, days: int) -> int:
        """The ordinal of the ``days``-th business day after date ``origin`` (before it,
        if negative; ``origin`` itself never counts); ``days`` is not zero.

        Raises:
            CalendarRangeError: the day would be outside the years answered for.
        """
        if abs(days) > END_ORDINAL - FIRST_ORDINAL:
            raise CalendarRangeError
        year = self.year(date.fromordinal(origin).year)
        days_of = year.business_days
        if days > 0:
            left = days - (len(days_of) - bisect_right(days_of, origin))
            if left > 0:
                year, left = self._walk(year, left, 1, _BUSINESS_DAYS)
                days_of = year.business_days
            return days_of[len(days_of) - 1 + left]
        left = -days - bisect_left(days_of, origin)
        if left > 0:
            year, left = self._walk(year, left, -1, _BUSINESS_DAYS)
            days_of = year.business_days
        return days_of[-left]

    def business_days_between(self, a: int, b: int) -> int:
        """How many business days lie in ``[a, b)``, for ordinals ``a < b`` in range."""
        first, last = date.fromordinal(a).year, date.fromordinal(b - 1).year
        days_of = self.year(first).business_days
        if first == last:
            return bisect_left(days_of, b) - bisect_left(days_of, a)
        count = len(days_of) - bisect_left(days_of, a)
        for number in range(first + 1, last):
            count += self.year_totals(number)[_BUSINESS_DAYS]
        return count + bisect_left(self.year(last).business_days, b)

    # ---------------------------------------------------------------- internals

    def _walk(self, year: _Year, left: int, step: int, measure: int) -> tuple[_Year, int]:
        """The year, ``step`` (1 or -1) years at a time past ``year``, in which ``left``
        more of ``measure`` (open time or business days) is used up, and what is still
        left past its far end (``-size < left <= 0``).

        Whole years whose totals are already known are skipped without being built.

        Raises:
            CalendarRangeError: the walk runs past the years answered for.
        """
        totals = self.totals
        number = year.year
        while left > 0:
            number += step
            while (known := totals.get(number)) is not None and left > known[measure]:
                left -= known[measure]
                number += step
            if not _FIRST_YEAR <= number <= _LAST_YEAR:
                raise CalendarRangeError
            year = self.year(number)
            left -= year.sizes[measure]
        return year, left

    def _never_closes_after(self, ordinal: int) -> bool:
        """True if no date from ``ordinal`` on can close (a full week, nothing closed)."""
        if self.country is not None:
            return False
        if sum(w.minutes for day in self.week for w in day) < _WEEK_MINUTES:
            return False
        closed = [*self.holidays, *(c for c, _ in self.closures)]
        return all(c < ordinal - 1 for c in closed)

    def year_at(self, u: int) -> _Year:
        """The built year whose real-time span holds instant ``u`` (in range)."""
        for year in self.recent:
            if year.lo <= u < year.hi:
                return year
        local = (_EPOCH_UTC + timedelta(microseconds=u)).astimezone(self.zone)
        year = self.year(local.year)
        # A fold across midnight can show 31 December after 1 January began.
        while u < year.lo:
            year = self.year(year.year - 1)
        while u >= year.hi:
            year = self.year(year.year + 1)
        return year

    def year_totals(self, number: int) -> tuple[int, int]:
        """Year ``number``'s open time and business-day count, building it if unknown."""
        known = self.totals.get(number)
        if known is None:
            known = self.year(number).sizes
        return known

    def year(self, number: int) -> _Year:
        """Year ``number``, built on demand and kept in the bounded cache."""
        recent = self.recent
        for held in recent:
            if held.year == number:
                return held
        with self.lock:
            found = self.years.get(number)
            if found is not None:
                year = found
                self.years.move_to_end(number)
            else:
                year = self._build_year(number)
                self.years[number] = year
                self.totals[number] = year.sizes
                self.intervals += len(year.starts)
                # Least recently used first; the two most recent always stay.
                while len(self.years) > 2 and (
                    len(self.years) > YEARS_KEPT or self.intervals > INTERVALS_KEPT
                ):
                    _, evicted = self.years.popitem(last=False)
                    self.intervals -= len(evicted.starts)
        self.recent = (year, *recent[:1])
        return year

    def _build_year(self, number: int) -> _Year:
        """The open periods of local year ``number``, clipped to its real-time span."""
        zone = self.zone
        first = FIRST_ORDINAL if number == _FIRST_YEAR else date(number, 1, 1).toordinal()
        end = END_ORDINAL if number == _LAST_YEAR else date(number + 1, 1, 1).toordinal()
        lo = wall_to_us(zone, _midnight(first))
        hi = wall_to_us(zone, _midnight(end))
        # The day before the year is built too: its night windows spill into it.
        table = self._country_table(number)
        raw: list[tuple[int, int]] = []
        offsets: dict[Window, tuple[timedelta, timedelta]] = {}
        for window in {*itertools.chain(*self.week), *self.workday_windows}:
            stop = window.end + (DAY_MINUTES if window.overnight else 0)
            offsets[window] = (timedelta(minutes=window.start), timedelta(minutes=stop))
        midnight = _midnight(first - 1)
        for ordinal in range(first - 1, end):
            for window in self._windows_on(ordinal, table):
                opens, closes = offsets[window]
                opened = wall_to_us(zone, midnight + opens)
                closed = wall_to_us(zone, midnight + closes)
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
        zone = self.zone
        days: list[int] = []
        if not ordinals:
            return days
        midnight = _midnight(ordinals[0])
        day_start = wall_to_us(zone, midnight)
        for ordinal in ordinals:
            midnight += _ONE_DAY
            day_end = wall_to_us(zone, midnight)
            j = bisect_right(ends, day_start)
            if j < len(starts) and starts[j] < day_end and day_start < day_end:
                days.append(ordinal)
            day_start = day_end
        return days

    def _closure_intervals(self, first: int, end: int) -> list[tuple[int, int]]:
        """The closures of local dates ``[first, end)``, as UTC intervals."""
        closures = self.closures
        if not closures:
            return []
        zone = self.zone
        out: list[tuple[int, int]] = []
        for ordinal, window in closures[bisect_left(closures, (first,)) :]:
            if ordinal >= end:
                break
            midnight = _midnight(ordinal)
            stop = window.end + (DAY_MINUTES if window.overnight else 0)
            out.append(
                (
                    wall_to_us(zone, midnight + timedelta(minutes=window.start)),
                    wall_to_us(zone, midnight + timedelta(minutes=stop)),
                )
            )
        return out

    def _windows_on(self, ordinal: int, table: HolidayBase | None) -> tuple[Window, ...]:
        """The windows that open on the local date ``ordinal`` (before closures)."""
        if ordinal in self.holidays:
            return ()
        if ordinal in self.extra:
            return self.workday_windows
        if table is not None:
            day = date.fromordinal(ordinal)
            if day in table:  # also expands the table to the date's year
                return ()
            if day in table.weekend_workdays:
                return self.workday_windows
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
