"""Hypothesis strategies for testing code built on ticketflow.

These are the strategies ticketflow's own tests use; hosts can use them to test their
SLA rules and schedulers against awkward calendars (split and overnight windows,
holidays, partial closures) in awkward time zones (half-hour DST, +05:45, a skipped
day).

>>> from hypothesis import given, settings
>>> from ticketflow.testing import aware_datetimes, business_calendars
>>> @settings(max_examples=20)
... @given(business_calendars(), aware_datetimes())
... def test_open_is_next_open(calendar, at):
...     assert calendar.is_open(at) == (calendar.next_open(at) == at)
>>> test_open_is_next_open()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from ticketflow._calendar import BusinessCalendar, Closure, Window

__all__ = [
    "AWKWARD_ZONES",
    "aware_datetimes",
    "business_calendars",
    "weekly_schedules",
    "windows",
]

#: Time zones whose DST rules break naive business-time arithmetic: ordinary
#: one-hour DST on both hemispheres, a 30-minute DST (Lord Howe), a +05:45 offset
#: (Kathmandu), DST abolished in 2019 (Sao Paulo), an offset change without DST
#: (Moscow, 2014) and a skipped calendar day (Apia, 30 December 2011).
AWKWARD_ZONES: tuple[str, ...] = (
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "Europe/Moscow",
)

_DAY = 24 * 60
# Wall times around which the zones above change their clocks, so that window edges
# land in gaps and folds far more often than a uniform draw would manage.
_EDGE_MINUTES = (0, 30, 60, 90, 120, 150, 180, 210, 1320, 1380, 1410)


def _window_from(start: int, length: int) -> Window:
    stop = start + length
    if stop <= _DAY:
        return Window(start, stop)
    return Window(start, stop - _DAY)


class _WindowCodec:
    """Decodes one integer into a window.

    A single integer draw is several times cheaper in Hypothesis than composing
    ``tuples``/``one_of``/``builds`` layers, which matters to tests that draw tens of
    thousands of calendars; it still shrinks towards a short window at midnight.
    """

    def __init__(self, step: int) -> None:
        grid = [q * step for q in range(_DAY // step)]
        # Early indices are the clock-change wall times, so edges hit gaps and folds.
        self.starts = (*_EDGE_MINUTES, *grid)
        self.lengths = (*[q * step for q in range(1, 13)], 8 * 60, 9 * 60, *grid[13:])
        self.size = len(self.starts) * len(self.lengths) + 1

    def strategy(self) -> st.SearchStrategy[int]:
        return st.integers(0, self.size - 1)

    def decode(self, code: int) -> Window:
        if code == self.size - 1:
            return Window(0, _DAY)
        start, length = divmod(code, len(self.lengths))
        return _window_from(self.starts[start], self.lengths[length])


def windows(*, step: int = 15) -> st.SearchStrategy[Window]:
    """Opening windows on a grid of ``step`` minutes, overnight and whole-day ones included.

    Starts favour the wall times at which clocks change (around midnight and 02:00),
    so edges often fall in DST gaps and folds.

    Args:
        step: the grid, in minutes (a divisor of 60).

    Returns:
        A strategy of :class:`~ticketflow.Window`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(windows())
    ... def check(window):
    ...     assert 0 < window.minutes <= 24 * 60
    >>> check()
    """
    codec = _WindowCodec(step)
    return codec.strategy().map(codec.decode)


def _weekly_span(day: int, window: Window) -> tuple[int, int]:
    start = day * _DAY + window.start
    return start, start + window.minutes


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    week = 7 * _DAY
    # Compare on the weekly circle: shift b by a week either way as well.
    return any(a[0] < b[1] + shift and b[0] + shift < a[1] for shift in (-week, 0, week))


def _disjoint_week(candidates: list[tuple[int, Window]]) -> tuple[tuple[Window, ...], ...]:
    kept: list[tuple[int, Window]] = []
    for day, window in candidates:
        span = _weekly_span(day, window)
        if not any(_overlaps(span, _weekly_span(d, w)) for d, w in kept):
            kept.append((day, window))
    return tuple(tuple(sorted(w for d, w in kept if d == day)) for day in range(7))


def weekly_schedules(
    *, step: int = 15, max_windows: int = 8
) -> st.SearchStrategy[tuple[tuple[Window, ...], ...]]:
    """A valid week of opening windows (Monday first): disjoint, at least one window.

    Windows may be split (several a day) and overnight; candidates that would overlap
    an earlier one are dropped, so every draw is a valid definition.

    Args:
        step: the grid of window edges, in minutes.
        max_windows: the most candidate windows drawn.

    Returns:
        A strategy of seven tuples of windows.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(weekly_schedules())
    ... def check(week):
    ...     assert len(week) == 7 and any(week)
    >>> check()
    """
    codec = _WindowCodec(step)
    # One integer per candidate: the weekday and the window's code.
    candidate = st.integers(0, 7 * codec.size - 1)
    return st.lists(candidate, min_size=1, max_size=max_windows).map(
        lambda drawn: _disjoint_week([(code % 7, codec.decode(code // 7)) for code in drawn])
    )


def aware_datetimes(
    zones: Sequence[str] = AWKWARD_ZONES,
    *,
    min_value: datetime = datetime(2010, 1, 1),  # noqa: DTZ001 - bounds are naive
    max_value: datetime = datetime(2035, 12, 31),  # noqa: DTZ001 - bounds are naive
) -> st.SearchStrategy[datetime]:
    """Aware datetimes in the given zones; never an imaginary (skipped) wall time.

    Args:
        zones: IANA time zone keys to draw from.
        min_value: the earliest local wall time (naive).
        max_value: the latest local wall time (naive).

    Returns:
        A strategy of aware datetimes.

    >>> from datetime import timedelta
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(aware_datetimes(["Asia/Kathmandu"], min_value=datetime(2020, 1, 1)))
    ... def check(at):
    ...     assert at.utcoffset() == timedelta(hours=5, minutes=45)
    >>> check()
    """
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from([ZoneInfo(zone) for zone in zones]),
        allow_imaginary=False,
    )


def business_calendars(
    zones: Sequence[str] = AWKWARD_ZONES,
    *,
    dates: st.SearchStrategy[date] | None = None,
    countries: Mapping[str, tuple[str, str | None]] | None = None,
    max_holidays: int = 3,
    max_closures: int = 2,
    max_extra_workdays: int = 2,
    max_windows: int = 8,
) -> st.SearchStrategy[BusinessCalendar]:
    """Valid business calendars: split and overnight windows, holidays, closures.

    Args:
        zones: IANA time zone keys to draw from.
        dates: where explicit holidays, closures and extra working days fall (by
            default anywhere in 2010-2035; give a narrow range to make them matter).
        countries: for some zones, a country and subdivision whose public holidays the
            calendar may observe (drawn half of the time). None: never.
        max_holidays: the most explicit holidays.
        max_closures: the most partial closures.
        max_extra_workdays: the most extra working days.
        max_windows: the most candidate windows a week is drawn from.

    Returns:
        A strategy of :class:`~ticketflow.BusinessCalendar`.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(business_calendars(["Europe/Berlin"], countries={"Europe/Berlin": ("DE", "BY")}))
    ... def check(calendar):
    ...     assert calendar.tz == "Europe/Berlin" and calendar.country in (None, "DE")
    >>> check()
    """
    days = dates if dates is not None else st.dates(date(2010, 1, 1), date(2035, 12, 31))
    codec = _WindowCodec(15)
    # Every part is built once here, not per example: building strategies inside a
    # draw costs more than drawing from them.
    parts = st.tuples(
        st.sampled_from(tuple(zones)),
        weekly_schedules(max_windows=max_windows),
        st.lists(days, max_size=max_holidays),
        st.lists(days, max_size=max_extra_workdays),
        st.lists(st.tuples(days, codec.strategy()), max_size=max_closures),
        st.booleans(),
    )

    def assemble(
        drawn: tuple[
            str,
            tuple[tuple[Window, ...], ...],
            list[date],
            list[date],
            list[tuple[date, int]],
            bool,
        ],
    ) -> BusinessCalendar:
        tz, week, holidays, extra, closed, observe = drawn
        country, subdiv = (None, None)
        if observe and countries is not None and tz in countries:
            country, subdiv = countries[tz]
        return BusinessCalendar(
            tz=tz,
            week=week,
            country=country,
            subdiv=subdiv,
            holidays=holidays,
            closures=[Closure(day, codec.decode(code)) for day, code in closed],
            extra_workdays=set(extra) - set(holidays),
        )

    return parts.map(assemble)
