"""Business calendars: opening hours, holidays and exact business-time arithmetic.

:class:`BusinessCalendar` is the public value: its fields (a time zone, a week of
:class:`Window` values, a country's holidays, extra dates and :class:`Closure` values),
its named constructors, its documents and its questions. Each question checks its
arguments, converts instants to UTC microseconds, asks the calendar's timeline
(:class:`~ticketflow._timeline.Timeline`, which holds the theory of operation) and
converts the answer back; the conventions it answers by are documented on the class.

Instants given to a query are read exactly (integer microseconds through their UTC
offset, so ``fold`` counts); a wall time inside a DST gap is refused, as a command's
instant is, because it names no instant anybody observed.

Dependencies: this module imports the definition values and checks
(``_calendar_definition``), the document reader and writer (``_calendar_documents``)
and the timeline engine (``_timeline``); none of them imports it. :class:`Window` and
:class:`Closure` are owned by ``_calendar_definition``; the rest of the package imports
:class:`BusinessCalendar` from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from ticketflow._calendar_definition import (
    CalendarParts,
    Closure,
    Window,
    always_open_week,
    definition_problems,
    to_closures,
    to_extra_workdays,
    to_holidays,
    to_week,
    workday_windows,
)
from ticketflow._calendar_documents import read_document, read_toml, write_document
from ticketflow._checks import require_int
from ticketflow._errors import (
    CalendarDefinitionError,
    CalendarRangeError,
    InvalidTypeError,
    LocalDateExpectedError,
)
from ticketflow._instants import require_instant
from ticketflow._timeline import END_ORDINAL, FIRST_ORDINAL, Timeline

__all__ = ["BusinessCalendar"]

_EPOCH_UTC: Final = datetime(1970, 1, 1, tzinfo=UTC)
_US: Final = timedelta(microseconds=1)


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
    week: tuple[tuple[Window, ...], ...] = attrs.field(factory=always_open_week, converter=to_week)
    country: str | None = None
    subdiv: str | None = None
    holidays: frozenset[date] = attrs.field(default=frozenset(), converter=to_holidays)
    closures: frozenset[Closure] = attrs.field(default=frozenset(), converter=to_closures)
    extra_workdays: frozenset[date] = attrs.field(default=frozenset(), converter=to_extra_workdays)
    # Derived from the fields, built once the definition is checked; never part of the
    # value (equality, hashing, repr, pickling).
    _timeline: Timeline = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = definition_problems(self)
        if problems:
            raise CalendarDefinitionError(problems)
        # The attrs way to set a field of a frozen class in its own initialiser.
        object.__setattr__(self, "_timeline", Timeline(self))

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
        return cls._of(read_document(document))

    @classmethod
    def _of(cls, parts: CalendarParts) -> BusinessCalendar:
        """The calendar of the parts a document was read into."""
        return cls(
            tz=parts.tz,
            week=parts.week,
            country=parts.country,
            subdiv=parts.subdiv,
            holidays=parts.holidays,
            closures=parts.closures,
            extra_workdays=parts.extra_workdays,
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
        return cls.from_document(read_toml(text))

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
        return write_document(self)

    # -------------------------------------------------------------------- queries

    @property
    def workday_windows(self) -> tuple[Window, ...]:
        """The standard workday windows: Monday's, or the first open weekday's after it.

        Extra working days and substituted working days open with these windows.

        >>> [str(w) for w in BusinessCalendar.weekdays("UTC", "08:00", "16:00").workday_windows]
        ['08:00-16:00']
        """
        return workday_windows(self.week)

    @property
    def zone(self) -> ZoneInfo:
        """The time zone, as a ``ZoneInfo``.

        >>> BusinessCalendar.always_open("Asia/Kathmandu").zone
        zoneinfo.ZoneInfo(key='Asia/Kathmandu')
        """
        return self._timeline.zone

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
        return self._timeline.is_open(self._microseconds("at", at))

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
        timeline = self._timeline
        return timeline.instant(timeline.next_open(self._microseconds("at", at)))

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
        timeline = self._timeline
        u = timeline.next_close(self._microseconds("at", at))
        return None if u is None else timeline.instant(u)

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
            return -timedelta(microseconds=self._timeline.open_between(b, a))
        return timedelta(microseconds=self._timeline.open_between(a, b))

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
        timeline = self._timeline
        return timeline.instant(timeline.advance(u, _amount("duration", duration)))

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
        try:
            each = iter(durations)
        except TypeError:  # one duration, or None, where an iterable of them is wanted
            raise InvalidTypeError("durations", "an iterable of timedeltas", durations) from None
        timeline = self._timeline
        year, before = timeline.locate(u)
        reach, instant = timeline.reach, timeline.instant
        # Each duration is checked as it is reached, as one add per duration would.
        return tuple([instant(reach(u, year, before, _amount("duration", d))) for d in each])

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
        require_int("days", days)
        if days == 0:
            return local
        timeline = self._timeline
        ordinal = timeline.add_business_days(local.toordinal(), days)
        return timeline.local(datetime.combine(date.fromordinal(ordinal), local.time()))

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
        require_int("days", days)
        if abs(days) > END_ORDINAL - FIRST_ORDINAL:
            raise CalendarRangeError
        ordinal = local.toordinal() + days
        if not FIRST_ORDINAL <= ordinal < END_ORDINAL:
            raise CalendarRangeError
        wall = datetime.combine(date.fromordinal(ordinal), local.time())
        return self._timeline.local(wall)

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
        if not FIRST_ORDINAL <= day.toordinal() < END_ORDINAL:
            raise CalendarRangeError
        return self._timeline.local(datetime.combine(day, time.min))

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
        if a < FIRST_ORDINAL or b > END_ORDINAL:
            raise CalendarRangeError
        return self._timeline.business_days_between(a, b)

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday that closes the local date ``day``, or None.

        A holiday of the calendar's ``country`` (and ``subdiv``) is named as the
        `holidays` package names it, in English where the package has an English
        translation (several holidays on one date are joined with ``"; "``). A date of
        the calendar's own ``holidays`` has no name of its own: ``"holiday"``, unless the
        country names it too. A date in ``extra_workdays`` opens, so no holiday closes
        it. Weekends and closures are not holidays. The table is built for the date's
        year on each call: a query for reports, not for a hot path.

        Args:
            day: the local date.

        Returns:
            The holiday's name, or None if no holiday closes ``day``.

        Raises:
            LocalDateExpectedError: a datetime was given instead of a date.
            InvalidTypeError: ``day`` is not a date.
            CalendarRangeError: ``day`` is outside 0001-01-02 to 9999-12-30.

        >>> from datetime import date
        >>> cal = BusinessCalendar.weekdays("Europe/Berlin", country="DE", subdiv="BY")
        >>> cal.holiday_name(date(2026, 1, 6)), cal.holiday_name(date(2026, 1, 7))
        ('Epiphany', None)
        """
        if isinstance(day, datetime):
            raise LocalDateExpectedError("holiday_name")
        if not isinstance(day, date):
            raise InvalidTypeError("holiday_name's day", "a local date", day)
        if not FIRST_ORDINAL <= day.toordinal() < END_ORDINAL:
            raise CalendarRangeError
        # The same precedence as the timeline's: own holidays, then extra workdays,
        # then the country's table.
        if day not in self.holidays and day in self.extra_workdays:
            return None
        name = self._country_holiday(day)
        if day in self.holidays:
            return name or "holiday"
        return name

    # ------------------------------------------------------------------ internals

    def _country_holiday(self, day: date) -> str | None:
        """The country's name for ``day``, in English when translated, or None."""
        if self.country is None:
            return None
        import holidays  # noqa: PLC0415 - lazy: only calendars with a country need it

        table = holidays.country_holidays(
            self.country, subdiv=self.subdiv, years=day.year, language="en_US"
        )
        name: str | None = table.get(day)
        return name

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
        timeline = self._timeline
        if not timeline.first_us <= u < timeline.end_us:
            raise CalendarRangeError
        return u

    def _in_zone(self, what: str, instant: datetime) -> datetime:
        """``instant`` in the calendar's zone, checked like a query's instant."""
        return self._timeline.instant(self._microseconds(what, instant))


def _amount(what: str, duration: timedelta) -> int:
    """A duration as whole microseconds, refusing what is not a timedelta."""
    if not isinstance(duration, timedelta):
        raise InvalidTypeError(what, "a timedelta", duration)
    return duration // _US
