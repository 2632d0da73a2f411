"""The timeline engine: the edge rule, the year walk, and the bounded cache of years.

The engine is driven here directly, in UTC microseconds and date ordinals, built from
the checked definition of a public calendar; its answers through the calendar's API
are specified in ``test_calendar.py`` and against the oracle in
``test_calendar_oracle.py``.
"""

from __future__ import annotations

import os
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ticketflow._calendar import BusinessCalendar
from ticketflow._errors import CalendarRangeError
from ticketflow._timeline import INTERVALS_KEPT, YEARS_KEPT, Timeline, wall_offset, wall_to_us
from ticketflow.testing import aware_datetimes, business_calendars

BERLIN = ZoneInfo("Europe/Berlin")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HOUR_US = 3_600_000_000

# Each example builds fresh timelines (the years it reaches): 40 in the README's test
# command, the profile's 2,000 with HYPOTHESIS_PROFILE=thorough.
YEAR_WALK_EXAMPLES = 2_000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 40


def us(instant: datetime) -> int:
    """An aware instant as UTC microseconds since 1970."""
    return (instant - EPOCH) // timedelta(microseconds=1)


def office() -> Timeline:
    return Timeline(BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00", country="DE"))


class TestEdgeRule:
    def test_an_ordinary_wall_time_has_its_one_offset(self) -> None:
        """A wall time shown once has the zone's offset at that instant."""
        assert timedelta(hours=1) == wall_offset(BERLIN, datetime(2026, 3, 2, 9))  # noqa: DTZ001

    def test_a_repeated_wall_time_has_its_first_offset(self) -> None:
        """A wall time of a fall-back fold has the offset of its first occurrence."""
        assert timedelta(hours=2) == wall_offset(BERLIN, datetime(2026, 10, 25, 2, 30))  # noqa: DTZ001

    def test_the_fold_of_a_wall_time_plays_no_part(self) -> None:
        """fold=1 on the wall time still gives the first occurrence."""
        wall = datetime(2026, 10, 25, 2, 30, fold=1)  # noqa: DTZ001
        assert timedelta(hours=2) == wall_offset(BERLIN, wall)

    def test_a_skipped_wall_time_has_no_offset(self) -> None:
        """A wall time inside a spring-forward gap is shown at no instant."""
        assert wall_offset(BERLIN, datetime(2026, 3, 29, 2, 30)) is None  # noqa: DTZ001

    def test_a_skipped_wall_time_becomes_the_transition(self) -> None:
        """An edge inside a gap moves forward to the first valid instant."""
        transition = datetime(2026, 3, 29, 1, tzinfo=UTC)
        assert us(transition) == wall_to_us(BERLIN, datetime(2026, 3, 29, 2, 30))  # noqa: DTZ001

    def test_a_repeated_wall_time_becomes_its_first_occurrence(self) -> None:
        """An edge in a fold is the earlier of the two instants showing it."""
        first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        assert us(first) == wall_to_us(BERLIN, datetime(2026, 10, 25, 2, 30))  # noqa: DTZ001

    def test_local_moves_a_skipped_wall_time_forward(self) -> None:
        """Timeline.local gives the transition for a wall time inside a gap."""
        landed = office().local(datetime(2026, 3, 29, 2, 30))  # noqa: DTZ001
        assert datetime(2026, 3, 29, 1, tzinfo=UTC) == landed

    def test_local_gives_the_first_reading_of_a_repeated_wall_time(self) -> None:
        """Timeline.local gives fold=0 for a wall time shown twice."""
        landed = office().local(datetime(2026, 10, 25, 2, 30, fold=1))  # noqa: DTZ001
        # In UTC: a datetime in a fold never equals another zone's (PEP 495).
        assert (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), 0) == (
            landed.astimezone(UTC),
            landed.fold,
        )


class TestYearWalk:
    def test_advancing_across_years_skips_known_years_unbuilt(self) -> None:
        """Once the years between are measured, a long advance builds again only the
        year it starts in and the year it ends in, and lands where a fresh timeline
        lands."""
        start = us(datetime(2001, 3, 5, 9, tzinfo=UTC))
        fresh = office().advance(start, 40_000 * HOUR_US)
        used = office()
        used.open_between(start, us(datetime(2031, 7, 1, tzinfo=UTC)))
        for year in range(3000, 3040):  # evict every year measured
            used.is_open(us(datetime(year, 1, 5, tzinfo=UTC)))
        held = set(used.years)
        landed = used.advance(start, 40_000 * HOUR_US)
        ends_in = datetime.fromtimestamp(landed / 1e6, BERLIN).year
        assert (fresh, {2001, ends_in}) == (landed, set(used.years) - held)

    def test_business_days_walk_backwards_as_forwards(self) -> None:
        """Going n business days forward then n back returns to the start's date."""
        timeline = office()
        origin = date(2026, 3, 2).toordinal()  # a Monday, a business day
        ahead = timeline.add_business_days(origin, 2_000)
        assert origin == timeline.add_business_days(ahead, -2_000)

    def test_a_walk_past_the_last_year_is_a_range_error(self) -> None:
        """Business days beyond the year 9999 raise CalendarRangeError."""
        with pytest.raises(CalendarRangeError):
            office().add_business_days(date(9999, 6, 1).toordinal(), 1_000)

    def test_a_walk_before_the_first_year_is_a_range_error(self) -> None:
        """Business days before the year 1 raise CalendarRangeError."""
        with pytest.raises(CalendarRangeError):
            office().add_business_days(date(1, 6, 1).toordinal(), -1_000)

    @settings(max_examples=YEAR_WALK_EXAMPLES)
    @given(
        business_calendars(),
        aware_datetimes(),
        st.lists(
            st.integers(-20_000 * 3600, 20_000 * 3600).map(lambda s: s * 1_000_000), max_size=3
        ),
    )
    def test_reaching_from_one_location_is_advancing(
        self, calendar: BusinessCalendar, start: datetime, amounts: list[int]
    ) -> None:
        """reach from one locate of the start gives what advance gives for each amount,
        on a timeline as fresh."""
        u = us(start)
        for amount in amounts:
            try:
                expected = Timeline(calendar).advance(u, amount)
            except CalendarRangeError:
                expected = None
            fresh = Timeline(calendar)
            located = fresh.locate(u)
            try:
                reached: int | None = fresh.reach(u, *located, amount)
            except CalendarRangeError:
                reached = None
            assert expected == reached


class TestBoundedCache:
    def test_questions_in_year_2_and_year_9999_build_only_those_years(self) -> None:
        """Asking about the year 2 and then the year 9999 builds two years, not the
        ten thousand between, and keeps little memory."""
        timeline = office()
        tracemalloc.start()
        try:
            timeline.is_open(us(datetime(2, 6, 1, 10, tzinfo=UTC)))
            timeline.is_open(us(datetime(9999, 6, 1, 10, tzinfo=UTC)))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert (True, True) == (peak < 5_000_000, len(timeline.years) <= 2)

    def test_the_cache_keeps_a_bounded_number_of_years(self) -> None:
        """However many years are asked about, at most YEARS_KEPT stay built."""
        timeline = office()
        for year in range(1000, 9000, 97):
            timeline.is_open(us(datetime(year, 3, 2, 10, tzinfo=UTC)))
        assert len(timeline.years) <= YEARS_KEPT

    def test_a_week_of_many_windows_keeps_fewer_years(self) -> None:
        """Years holding many intervals are evicted by their size, not only their count."""
        windows = [f"{h:02d}:{m:02d}-{h:02d}:{m + 1:02d}" for h in range(24) for m in (0, 30)]
        timeline = Timeline(
            BusinessCalendar.from_document({"tz": "UTC", "week": {"mon-sun": windows}})
        )
        for year in range(2000, 2012):
            timeline.is_open(us(datetime(year, 3, 2, 10, tzinfo=UTC)))
        assert sum(len(y.starts) for y in timeline.years.values()) <= INTERVALS_KEPT

    def test_totals_outlive_evicted_years(self) -> None:
        """A year's open time and business-day count stay known after it is evicted."""
        timeline = office()
        for year in range(2000, 2040):
            timeline.is_open(us(datetime(year, 3, 2, 10, tzinfo=UTC)))
        assert (2000 not in timeline.years, True) == (True, 2000 in timeline.totals)


YEAR_US = 366 * 24 * HOUR_US


class TestRefusedAdvances:
    def test_an_advance_past_the_last_year_is_refused_building_no_year(self) -> None:
        """Given a fresh always-open timeline, when 20 years are added to 1 June 9990,
        past the end of the year 9999, then CalendarRangeError is raised with only the
        start's year built (real time alone says business time cannot reach)."""
        timeline = Timeline(BusinessCalendar.always_open("UTC"))

        with pytest.raises(CalendarRangeError):
            timeline.advance(us(datetime(9990, 6, 1, tzinfo=UTC)), 20 * YEAR_US)

        assert ({9990}, {9990}) == (set(timeline.years), set(timeline.totals))

    def test_an_advance_before_the_first_year_is_refused_building_no_year(self) -> None:
        """Given a fresh always-open timeline, when 20 years are taken back from 1 June
        of year 10, before 0001-01-02, then CalendarRangeError is raised with only the
        start's year built."""
        timeline = Timeline(BusinessCalendar.always_open("UTC"))

        with pytest.raises(CalendarRangeError):
            timeline.advance(us(datetime(10, 6, 1, tzinfo=UTC)), -20 * YEAR_US)

        assert ({10}, {10}) == (set(timeline.years), set(timeline.totals))


class TestYearSpans:
    def test_a_year_spans_its_local_first_of_january_to_the_next(self) -> None:
        """Given a Berlin timeline, when its year 9990 is built, then it spans the real
        time from 1 January 9990 00:00 to 1 January 9991 00:00, Berlin time (not on to
        the end of the range)."""
        year = Timeline(BusinessCalendar.weekdays("Europe/Berlin")).year(9990)

        expected = (datetime(9990, 1, 1, tzinfo=BERLIN), datetime(9991, 1, 1, tzinfo=BERLIN))
        assert (us(expected[0]), us(expected[1])) == (year.lo, year.hi)


def every_day(windows_a_day: int, holidays: list[date] | None = None) -> Timeline:
    """A UTC timeline open ``windows_a_day`` separate minutes every day (at most 480),
    so that each year holds that many intervals a day (fewer on ``holidays``)."""
    starts = range(0, 1440, 3)
    windows = [f"{m // 60:02d}:{m % 60:02d}-{m // 60:02d}:{m % 60 + 1:02d}" for m in starts]
    document: dict[str, object] = {"tz": "UTC", "week": {"mon-sun": windows[:windows_a_day]}}
    if holidays:
        document["holidays"] = [day.isoformat() for day in holidays]
    return Timeline(BusinessCalendar.from_document(document))


def ask(timeline: Timeline, *years: int) -> None:
    """Ask ``timeline`` a question in each of ``years``, in turn."""
    for year in years:
        timeline.is_open(us(datetime(year, 3, 2, 10, tzinfo=UTC)))


class TestCacheBounds:
    def test_a_kept_year_is_reused_not_rebuilt(self) -> None:
        """Given a timeline that built 2000, then 2001 and 2002, when 2000 is asked for
        again, then the year built first is given back, the same object."""
        timeline = office()
        first = timeline.year(2000)
        ask(timeline, 2001, 2002)

        assert timeline.year(2000) is first

    def test_twelve_years_of_few_intervals_are_all_kept(self) -> None:
        """Given a Monday-to-Friday timeline, when twelve years are asked about, then
        all twelve (YEARS_KEPT) stay built."""
        timeline = Timeline(BusinessCalendar.weekdays("UTC"))
        ask(timeline, *range(2000, 2000 + YEARS_KEPT))

        assert set(range(2000, 2000 + YEARS_KEPT)) == set(timeline.years)

    def test_years_holding_exactly_intervals_kept_are_all_kept(self) -> None:
        """Given a timeline of 60 intervals a day with 96 holidays in 2028, when 2026,
        2027 and 2028 are asked about, then the three years, holding exactly
        INTERVALS_KEPT intervals together, all stay built."""
        holidays = [date(2028, 1, 1) + timedelta(days=n) for n in range(96)]
        timeline = every_day(60, holidays)
        ask(timeline, 2026, 2027, 2028)

        held = sum(len(year.starts) for year in timeline.years.values())
        assert (INTERVALS_KEPT, {2026, 2027, 2028}) == (held, set(timeline.years))

    def test_years_of_many_intervals_keep_as_many_as_fit(self) -> None:
        """Given a timeline of 48 intervals a day (17,520 a year), when 2000 to 2005 are
        asked about, then the last three stay built, as many as fit in INTERVALS_KEPT."""
        timeline = every_day(48)
        ask(timeline, *range(2000, 2006))

        assert {2003, 2004, 2005} == set(timeline.years)

    def test_the_two_most_recent_years_stay_however_large(self) -> None:
        """Given a timeline of 100 intervals a day (over INTERVALS_KEPT in two years),
        when 2026, 2027 and 2028 are asked about, then the two most recent stay built."""
        timeline = every_day(100)
        ask(timeline, 2026, 2027, 2028)

        assert {2027, 2028} == set(timeline.years)

    def test_the_years_read_without_the_lock_are_the_two_used_last(self) -> None:
        """Given a timeline, when 2000, 2001 and 2002 are asked about, then the years
        it reads without its lock are 2002 and 2001, newest first."""
        timeline = office()
        ask(timeline, 2000, 2001, 2002)

        assert [2002, 2001] == [year.year for year in timeline.recent]
