"""BusinessCalendar against a brute-force oracle that steps through every real minute.

The oracle knows nothing of the calendar's timeline, prefix sums or edge conversion.
It walks UTC minute by minute, reads the local wall clock from zoneinfo, and calls a
minute open when the local clock, as it stands at that minute, is inside a window of
the local date (or inside the previous date's overnight window), and outside every
closure.

"As it stands" is the one subtlety: during a repeated (fall-back) hour the oracle
keeps the latest wall time already shown, as a clock that never runs backwards would.
That is exactly DESIGN §5's rule for edges (a repeated wall time means its first
occurrence; a skipped one means the transition), written per minute instead of per
edge. Starts are whole UTC minutes and every transition of these zones in 2010-2035
is on a whole minute, so minute resolution is exact.
"""

from __future__ import annotations

import functools
import itertools
import operator
import os
from datetime import UTC, date, datetime, timedelta
from itertools import repeat
from operator import floordiv
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar_definition import Window
from ticketflow._errors import NonexistentInstantError
from ticketflow.testing import AWKWARD_ZONES, business_calendars

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = 24 * 60
# The oracle looks this far back, so its never-backwards clock has seen any fold.
LEAD_MINUTES = 75
# How far past the start the oracle classifies minutes.
SPAN_MINUTES = DAY + 2 * 60

COUNTRIES = {
    "America/New_York": ("US", "NY"),
    "Europe/London": ("GB", "ENG"),
    "Europe/Berlin": ("DE", "BY"),
    "America/Sao_Paulo": ("BR", "SP"),
    "Australia/Lord_Howe": ("AU", "NSW"),
    "Asia/Kathmandu": ("NP", None),
    "Pacific/Apia": ("WS", None),
    "Europe/Moscow": ("RU", None),
}
FIRST_MINUTE = (datetime(2010, 1, 1, tzinfo=UTC) - EPOCH) // MINUTE
LAST_MINUTE = (datetime(2035, 12, 31, tzinfo=UTC) - EPOCH) // MINUTE
# Per zone and kind of start: 2 x 8 x 200 = 3,200 examples in the README's test command
# (which must stay under two minutes), and 2 x 8 x 6,300 = 100,800 with
# HYPOTHESIS_PROFILE=thorough.
ORACLE_EXAMPLES = 6_300 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 200


def utc(instant: datetime | None) -> datetime | None:
    """The same instant in UTC: an instant in a repeated hour (fold=1) never compares
    equal to another zone's datetime (PEP 495), so tests compare in UTC."""
    return None if instant is None else instant.astimezone(UTC)


def minute_instant(minute: int) -> datetime:
    return EPOCH + minute * MINUTE


@functools.cache
def country_table(country: str, subdiv: str | None) -> object:
    import holidays

    return holidays.country_holidays(country, subdiv=subdiv)


def offset_minutes(zone: ZoneInfo, minute: int) -> int:
    """The zone's UTC offset at UTC minute ``minute``, in whole minutes."""
    offset = minute_instant(minute).astimezone(zone).utcoffset()
    assert offset is not None
    return offset // MINUTE


@functools.cache
def transitions(zone_key: str) -> tuple[int, ...]:
    """Every UTC minute in 2010-2035 at which the zone's offset changes."""
    zone = ZoneInfo(zone_key)

    def offset(minute: int) -> int:
        return offset_minutes(zone, minute)

    found = []
    step = 6 * 60
    for minute in range(FIRST_MINUTE, LAST_MINUTE, step):
        if offset(minute) != offset(minute + step):
            low, high = minute, minute + step
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == offset(low):
                    low = middle
                else:
                    high = middle
            found.append(high)
    return tuple(found)


# The local clock is read every SAMPLE_MINUTES and, where two readings' offsets differ,
# at the exact minute the offset changed (by bisection). So it is exact unless a zone
# changed its offset twice within SAMPLE_MINUTES, which none has: its changes are
# months apart. Reading every minute gives the same clock at fifteen times the cost.
SAMPLE_MINUTES = 15


def local_minutes(zone: ZoneInfo, first: int, count: int) -> list[int]:
    """The local wall clock at each UTC minute ``first``, ``first + 1``... (``count`` of
    them), as whole minutes since 1970-01-01 00:00 on the local clock."""
    last = first + count - 1
    runs = [(first, offset_minutes(zone, first))]  # (first minute, offset) of each run
    before = first
    for minute in [*range(first + SAMPLE_MINUTES, last, SAMPLE_MINUTES), last]:
        offset = offset_minutes(zone, minute)
        if offset != runs[-1][1]:
            low, high = before, minute  # changed in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if offset_minutes(zone, middle) == offset:
                    high = middle
                else:
                    low = middle
            runs.append((high, offset))
        before = minute
    ends = [start for start, _ in runs[1:]] + [last + 1]
    minutes: list[int] = []
    for (start, offset), end in zip(runs, ends, strict=True):
        minutes.extend(range(start + offset, end + offset))
    return minutes


@attrs.frozen
class Oracle:
    """Minute-by-minute truth for ``calendar`` from UTC minute ``origin`` on."""

    calendar: BusinessCalendar
    origin: int
    open: bytes  # 1 for each open minute, 0 for each closed one
    days: tuple[int, ...]  # the never-backwards local date of each minute, as days since 1970

    @classmethod
    def run(cls, calendar: BusinessCalendar, origin: int, span: int) -> Oracle:
        count = LEAD_MINUTES + span
        wall_minutes = local_minutes(ZoneInfo(calendar.tz), origin - LEAD_MINUTES, count)
        # The never-backwards clock: the latest wall time shown so far.
        clock = list(itertools.accumulate(wall_minutes, max))[LEAD_MINUTES:]
        first_day, last_day = clock[0] // DAY, clock[-1] // DAY
        table = b"".join(
            open_minutes(calendar, EPOCH.date() + timedelta(days=d))
            for d in range(first_day, last_day + 1)
        )
        at = map(operator.sub, clock, repeat(first_day * DAY))
        flags = bytes(map(table.__getitem__, at))
        days = tuple(map(floordiv, clock, repeat(DAY)))
        return cls(calendar, origin, flags, days)

    def instant(self, offset: int) -> datetime:
        return minute_instant(self.origin + offset)


def windows_of(calendar: BusinessCalendar, day: date) -> tuple[Window, ...]:
    """The windows opening on ``day``, by the documented rules, written out plainly."""
    standard = next((w for w in calendar.week if w), ())
    if day in calendar.holidays:
        return ()
    if day in calendar.extra_workdays:
        return standard
    if calendar.country is not None:
        table = country_table(calendar.country, calendar.subdiv)
        if day in table:  # type: ignore[operator]
            return ()
        if day in table.weekend_workdays:  # type: ignore[attr-defined]
            return standard
    return calendar.week[day.weekday()]


def paint(flags: bytearray, window: Window, value: int, *, spill: bool) -> None:
    """Set the minutes ``window`` covers on its own day (or, with spill, the next)."""
    if spill:
        if window.overnight:
            flags[: window.end] = bytes([value]) * window.end
        return
    stop = DAY if window.overnight else window.end
    flags[window.start : stop] = bytes([value]) * (stop - window.start)


def open_minutes(calendar: BusinessCalendar, day: date) -> bytearray:
    """One flag per wall-clock minute of ``day``: inside a window and no closure."""
    flags = bytearray(DAY)
    yesterday = day - timedelta(days=1)
    for window in windows_of(calendar, yesterday):
        paint(flags, window, 1, spill=True)
    for window in windows_of(calendar, day):
        paint(flags, window, 1, spill=False)
    for closure in calendar.closures:
        if closure.on == yesterday:
            paint(flags, closure.window, 0, spill=True)
        elif closure.on == day:
            paint(flags, closure.window, 0, spill=False)
    return flags


def check_against_oracle(
    calendar: BusinessCalendar, origin: int, queries: list[int], warm_days: int | None = None
) -> None:
    """Compare every operation with the oracle; each query number picks the arguments.

    With ``warm_days``, the calendar first answers a question that many days away, so
    the span is then served by a timeline grown towards it: the joins between building
    steps fall inside the span.
    """
    if warm_days is not None:
        calendar.is_open(minute_instant(origin + warm_days * DAY))
    oracle = Oracle.run(calendar, origin, SPAN_MINUTES)
    start = oracle.instant(0)
    end = oracle.instant(SPAN_MINUTES)
    prefix = [0, *itertools.accumulate(oracle.open)]
    open_offsets = list(itertools.compress(itertools.count(), oracle.open))
    for query in queries:
        k = query % SPAN_MINUTES
        # between, both ways
        assert timedelta(minutes=prefix[k]) == calendar.between(start, oracle.instant(k))
        assert timedelta(minutes=-prefix[k]) == calendar.between(oracle.instant(k), start)
        # is_open, next_open and next_close at whole minutes
        assert bool(oracle.open[k]) == calendar.is_open(oracle.instant(k))
        if 1 in oracle.open[k:]:
            expected = oracle.instant(oracle.open.index(1, k))
            assert expected == utc(calendar.next_open(oracle.instant(k)))
        if 0 in oracle.open[k:]:
            expected = oracle.instant(oracle.open.index(0, k))
            assert expected == utc(calendar.next_close(oracle.instant(k)))
        if not open_offsets:
            continue
        # add, forwards: the earliest instant, also part-way through a minute
        m = query % len(open_offsets)
        seconds = (0, 1, 30, 59)[query // SPAN_MINUTES % 4]
        if seconds == 0:
            # The m-th open minute (counting from 1) is used up at its end.
            expected = oracle.instant(open_offsets[m - 1] + 1) if m else start
        else:
            expected = oracle.instant(open_offsets[m]) + timedelta(seconds=seconds)
        assert expected == utc(calendar.add(start, timedelta(minutes=m, seconds=seconds)))
        # add, backwards from the end of the span: the latest instant
        expected = oracle.instant(open_offsets[-m - 1])
        assert expected == utc(calendar.add(end, timedelta(minutes=-m - 1)))
    # business days: the dates wholly inside the span
    inner = sorted(set(oracle.days))[1:-1]
    if inner:
        business = set(itertools.compress(oracle.days, oracle.open))
        expected_days = sum(1 for d in inner if d in business)
        first_day = EPOCH.date() + timedelta(days=inner[0])
        end_day = EPOCH.date() + timedelta(days=inner[-1] + 1)
        assert expected_days == calendar.business_days_between(first_day, end_day)


# Calendars are drawn once per zone with their dates around ANCHOR, then shifted to
# the start: a strategy built per example would cost more than the oracle itself.
ANCHOR = date(2000, 1, 1)


@functools.cache
def calendars(zone: str) -> st.SearchStrategy[BusinessCalendar]:
    return business_calendars(
        [zone],
        dates=st.integers(-2, 2).map(lambda k: ANCHOR + timedelta(days=k)),
        countries=COUNTRIES,
        max_holidays=2,
        max_extra_workdays=1,
        max_windows=6,
    )


def moved_near(calendar: BusinessCalendar, origin: int) -> BusinessCalendar:
    """The calendar with its holidays, closures and extra days moved near ``origin``."""
    shift = minute_instant(origin).astimezone(calendar.zone).date() - ANCHOR
    return attrs.evolve(
        calendar,
        holidays={day + shift for day in calendar.holidays},
        extra_workdays={day + shift for day in calendar.extra_workdays},
        closures={attrs.evolve(c, on=c.on + shift) for c in calendar.closures},
    )


@functools.cache  # one strategy object per test: Hypothesis validates each new one
@st.composite
def oracle_cases(
    draw: st.DrawFn, zone: str, starts: st.SearchStrategy[int]
) -> tuple[BusinessCalendar, int, list[int], int | None]:
    origin = draw(starts, label="origin")
    calendar = moved_near(draw(calendars(zone), label="calendar"), origin)
    # One draw for three queries of 20 bits each: cheaper than a list of integers.
    seed = draw(st.integers(0, 2**60 - 1), label="queries")
    warm_days = draw(st.none() | st.integers(-16, 16), label="warm_days")
    return calendar, origin, [(seed >> shift) & (2**20 - 1) for shift in (0, 20, 40)], warm_days


ORACLE_SETTINGS = settings(
    max_examples=ORACLE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@functools.cache
def uniform_starts(zone: str) -> st.SearchStrategy[int]:
    return st.integers(FIRST_MINUTE, LAST_MINUTE)


@functools.cache
def starts_near_transitions(zone: str) -> st.SearchStrategy[int]:
    found = transitions(zone)
    if not found:  # pragma: no cover - every zone in AWKWARD_ZONES changes after 2010
        return uniform_starts(zone)
    return st.builds(
        lambda t, delta: t + delta,
        st.sampled_from(found),
        st.integers(-SPAN_MINUTES, 2 * 60),
    )


class TestOracle:
    @pytest.mark.parametrize("zone", AWKWARD_ZONES)
    @ORACLE_SETTINGS
    @given(data=st.data())
    def test_uniform_starts_match_minute_by_minute_truth(
        self, zone: str, data: st.DataObject
    ) -> None:
        """From starts anywhere in 2010-2035, between, add (both ways), is_open,
        next_open, next_close and business-day counts agree with the oracle."""
        check_against_oracle(*data.draw(oracle_cases(zone, uniform_starts(zone))))

    @pytest.mark.parametrize("zone", AWKWARD_ZONES)
    @ORACLE_SETTINGS
    @given(data=st.data())
    def test_starts_near_transitions_match_minute_by_minute_truth(
        self, zone: str, data: st.DataObject
    ) -> None:
        """From starts within hours of an offset change, every operation agrees with
        the oracle."""
        check_against_oracle(*data.draw(oracle_cases(zone, starts_near_transitions(zone))))

    @pytest.mark.parametrize("zone", AWKWARD_ZONES)
    def test_every_transition_with_a_night_shift(self, zone: str) -> None:
        """Around every offset change of 2010-2035, a 22:00-06:00 calendar with a split
        day shift matches the oracle."""
        calendar = BusinessCalendar.from_document(
            {"tz": zone, "week": {"mon-sun": ["00:30-02:30", "03:00-09:00", "22:00-24:00"]}}
        )
        night = BusinessCalendar.from_document({"tz": zone, "week": {"mon-sun": "22:00-06:00"}})
        for t in transitions(zone):
            for cal in (calendar, night):
                origin = t - DAY
                oracle = Oracle.run(cal, origin, 2 * DAY)
                start = oracle.instant(0)
                total = sum(oracle.open)
                assert timedelta(minutes=total) == cal.between(start, oracle.instant(2 * DAY))
                open_offsets = [i for i, flag in enumerate(oracle.open) if flag]
                for m in (1, total // 3, total // 2, total - 1, total):
                    expected = oracle.instant(open_offsets[m - 1] + 1)
                    assert expected == utc(cal.add(start, timedelta(minutes=m)))


@functools.cache
def starts_near_new_year(zone: str) -> st.SearchStrategy[int]:
    """Starts within a day of a local 1 January: the span crosses the join of two
    separately built years."""
    tz = ZoneInfo(zone)
    new_years = [
        (datetime(year, 1, 1, tzinfo=tz).astimezone(UTC) - EPOCH) // MINUTE
        for year in range(2011, 2036)
    ]
    return st.builds(
        lambda t, delta: t + delta, st.sampled_from(new_years), st.integers(-SPAN_MINUTES, 60)
    )


class TestYearJoins:
    @pytest.mark.parametrize("zone", AWKWARD_ZONES)
    @settings(
        max_examples=ORACLE_EXAMPLES // 40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def test_spans_across_new_year_match_minute_by_minute_truth(
        self, zone: str, data: st.DataObject
    ) -> None:
        """Across the join of two built years, every operation agrees with the oracle."""
        check_against_oracle(*data.draw(oracle_cases(zone, starts_near_new_year(zone))))


# Zones whose folds and gaps are awkward: one hour in both hemispheres, DST abolished
# (Sao Paulo), a 30-minute shift (Lord Howe), a +12:45 zone changing at 02:45
# (Chatham), a -03:30 zone (St John's).
FOLD_ZONES = (
    "Europe/Berlin",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
)
FOLD_SPAN = 6 * 60


class TestFoldsAndGaps:
    @pytest.mark.parametrize("zone", FOLD_ZONES)
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def test_instants_read_in_the_zone_are_answered_by_their_utc_instant(
        self, zone: str, data: st.DataObject
    ) -> None:
        """Near every offset change, instants written in the zone (fold=1 in a repeated
        hour) get the oracle's is_open, between (both ways) and add."""
        tz = ZoneInfo(zone)
        change = data.draw(st.sampled_from(transitions(zone)), label="transition")
        origin = change - data.draw(st.integers(0, 3 * 60), label="lead")
        calendar = moved_near(data.draw(calendars(zone), label="calendar"), origin)
        oracle = Oracle.run(calendar, origin, FOLD_SPAN)
        prefix = [0, *itertools.accumulate(oracle.open)]
        open_offsets = list(itertools.compress(itertools.count(), oracle.open))
        minutes = data.draw(st.lists(st.integers(0, FOLD_SPAN - 1), min_size=2, max_size=4))
        first, *others = (oracle.instant(k).astimezone(tz) for k in minutes)
        k0 = minutes[0]
        for k, local in zip(minutes[1:], others, strict=True):
            assert bool(oracle.open[k]) == calendar.is_open(local)
            assert timedelta(minutes=prefix[k] - prefix[k0]) == calendar.between(first, local)
            assert timedelta(minutes=prefix[k0] - prefix[k]) == calendar.between(local, first)
            used = prefix[k] - prefix[k0]
            if used > 0:
                # The used-th open minute after the first instant ends at the deadline.
                expected = oracle.instant(open_offsets[prefix[k0] + used - 1] + 1)
                assert expected == utc(calendar.add(first, timedelta(minutes=used)))

    @pytest.mark.parametrize("zone", FOLD_ZONES)
    @settings(max_examples=20, deadline=None)
    @given(data=st.data())
    def test_wall_times_inside_a_gap_are_refused(self, zone: str, data: st.DataObject) -> None:
        """A wall time the clocks skipped names no instant: every query refuses it."""
        tz = ZoneInfo(zone)
        gaps = [
            (t, offset_minutes(tz, t) - offset_minutes(tz, t - 1))
            for t in transitions(zone)
            if offset_minutes(tz, t) > offset_minutes(tz, t - 1)
        ]
        change, width = data.draw(st.sampled_from(gaps))
        # The wall clock just before the change, then a minute inside the skipped span.
        wall = minute_instant(change - 1).astimezone(tz).replace(tzinfo=None) + MINUTE
        skipped = (wall + data.draw(st.integers(0, width - 1)) * MINUTE).replace(tzinfo=tz)
        calendar = BusinessCalendar.always_open(zone)
        with pytest.raises(NonexistentInstantError):
            calendar.is_open(skipped)
        with pytest.raises(NonexistentInstantError):
            calendar.add(skipped, MINUTE)
        with pytest.raises(NonexistentInstantError):
            calendar.between(skipped, minute_instant(change))
