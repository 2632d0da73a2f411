"""BusinessCalendar: the documented conventions, bad definitions, and properties.

The brute-force comparison with a minute-by-minute oracle is in
``test_calendar_oracle.py``.
"""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ticketflow._calendar import BusinessCalendar
from ticketflow._calendar_definition import Closure, Window
from ticketflow._errors import (
    CalendarDefinitionError,
    CalendarRangeError,
    InvalidTypeError,
    LocalDateExpectedError,
    NaiveDatetimeError,
    NonexistentInstantError,
)
from ticketflow.testing import aware_datetimes, business_calendars

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[arg-type,misc]


def utc(instant: datetime) -> datetime:
    """The same instant in UTC (a fold=1 datetime never equals another zone's, PEP 495)."""
    return instant.astimezone(UTC)


def nights(tz: str) -> BusinessCalendar:
    return BusinessCalendar.from_document({"tz": tz, "week": {"mon-sun": "22:00-06:00"}})


def office() -> BusinessCalendar:
    return BusinessCalendar.weekdays("Europe/Berlin", "09:00", "17:00")


def problems_of(document: dict[str, object]) -> list[str]:
    with pytest.raises(CalendarDefinitionError) as raised:
        BusinessCalendar.from_document(document)
    return [str(problem) for problem in raised.value.problems]


class TestRealElapsedTime:
    def test_night_window_is_seven_hours_on_a_spring_forward_night(self) -> None:
        """A 22:00-06:00 window holds 7 real hours on the night clocks go forward."""
        assert 7 * HOUR == nights("Europe/Berlin").between(
            berlin(2026, 3, 28, 22), berlin(2026, 3, 29, 6)
        )

    def test_night_window_is_nine_hours_on_a_fall_back_night(self) -> None:
        """A 22:00-06:00 window holds 9 real hours on the night clocks go back."""
        assert 9 * HOUR == nights("Europe/Berlin").between(
            berlin(2026, 10, 24, 22), berlin(2026, 10, 25, 6)
        )

    def test_half_hour_dst_gives_seven_and_a_half_hours(self) -> None:
        """On Lord Howe Island, whose clocks move 30 minutes, that night holds 7.5 hours."""
        zone = ZoneInfo("Australia/Lord_Howe")
        start = datetime(2026, 10, 3, 22, tzinfo=zone)  # DST starts 4 October 02:00
        end = datetime(2026, 10, 4, 6, tzinfo=zone)
        assert timedelta(hours=7, minutes=30) == nights("Australia/Lord_Howe").between(start, end)

    def test_adding_across_a_dst_change_counts_real_time(self) -> None:
        """Adding 8 h at the start of a spring-forward night shift ends after the 7 h
        night, one hour into the next night."""
        end = nights("Europe/Berlin").add(berlin(2026, 3, 28, 22), 8 * HOUR)
        assert berlin(2026, 3, 29, 23) == end

    def test_kathmandu_quarter_hour_offset(self) -> None:
        """A +05:45 zone's windows are its local wall time."""
        calendar = BusinessCalendar.weekdays("Asia/Kathmandu", "10:00", "17:00")
        opens = calendar.next_open(datetime(2026, 3, 2, tzinfo=UTC))
        assert datetime(2026, 3, 2, 4, 15, tzinfo=UTC) == opens

    def test_skipped_day_in_apia_has_no_business_time(self) -> None:
        """Samoa skipped 30 December 2011: it has no open time and is no business day."""
        calendar = BusinessCalendar.always_open("Pacific/Apia")
        zone = ZoneInfo("Pacific/Apia")
        day_before = datetime(2011, 12, 29, 12, tzinfo=zone)
        day_after = datetime(2011, 12, 31, 12, tzinfo=zone)
        assert timedelta(hours=24) == calendar.between(day_before, day_after)
        assert 2 == calendar.business_days_between(
            date(2011, 12, 29), date(2011, 12, 31) + timedelta(1)
        )


class TestEarliestInstant:
    def test_a_deadline_at_closing_time_is_that_closing_time(self) -> None:
        """Monday 16:00 + 1 h on a 09:00-17:00 calendar is Monday 17:00, not Tuesday 09:00."""
        assert berlin(2026, 3, 2, 17) == office().add(berlin(2026, 3, 2, 16), HOUR)

    def test_next_open_gives_the_other_reading(self) -> None:
        """next_open of that deadline is Tuesday 09:00."""
        assert berlin(2026, 3, 3, 9) == office().next_open(berlin(2026, 3, 2, 17))

    def test_adding_from_closed_time_starts_at_the_next_opening(self) -> None:
        """Friday 20:00 + 1 h is Monday 10:00."""
        assert berlin(2026, 3, 9, 10) == office().add(berlin(2026, 3, 6, 20), HOUR)

    def test_adding_zero_returns_the_start(self) -> None:
        """Adding nothing gives the start itself, open or not."""
        assert berlin(2026, 3, 6, 20) == office().add(berlin(2026, 3, 6, 20), timedelta(0))

    def test_negative_add_gives_the_latest_instant(self) -> None:
        """Tuesday 10:00 - 1 h is Tuesday 09:00 (the latest instant), not Monday 17:00."""
        assert berlin(2026, 3, 3, 9) == office().add(berlin(2026, 3, 3, 10), -HOUR)

    def test_negative_add_crosses_closed_time(self) -> None:
        """Tuesday 10:00 - 2 h is Monday 16:00."""
        assert berlin(2026, 3, 2, 16) == office().add(berlin(2026, 3, 3, 10), -2 * HOUR)

    def test_between_is_negative_backwards(self) -> None:
        """between(b, a) is minus between(a, b)."""
        calendar = office()
        a, b = berlin(2026, 3, 6, 16), berlin(2026, 3, 9, 10)
        assert -calendar.between(a, b) == calendar.between(b, a)

    def test_results_are_in_the_calendars_zone(self) -> None:
        """Instants come back in the calendar's zone whatever zone they went in with."""
        result = office().add(datetime(2026, 3, 2, 8, tzinfo=UTC), HOUR)
        assert (BERLIN, berlin(2026, 3, 2, 10)) == (result.tzinfo, result)

    @pytest.mark.parametrize("year", [1, 1600, 1969, 2999, 3000, 9998])
    def test_instants_far_from_today_are_exact(self, year: int) -> None:
        """Instants before 1970 or after 3000 (another conversion path) are exact too."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        start = datetime(year, 6, 1, 12, 0, 0, 7, tzinfo=UTC)
        landed = calendar.add(start, timedelta(hours=1, microseconds=5))
        assert start + timedelta(hours=1, microseconds=5) == landed
        assert calendar.zone == landed.tzinfo

    def test_microseconds_are_exact(self) -> None:
        """Durations keep their microseconds."""
        duration = timedelta(hours=30, microseconds=7)
        start = berlin(2026, 3, 2, 9)
        assert duration == office().between(start, office().add(start, duration))

    def test_ten_years_of_business_hours(self) -> None:
        """20,000 business hours from a Monday morning and back again, exactly."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        start = berlin(2026, 1, 5, 9)
        deadline = calendar.add(start, 20_000 * HOUR)
        assert 20_000 * HOUR == calendar.between(start, deadline)
        assert start == calendar.add(deadline, -20_000 * HOUR)


class TestWindowEdges:
    def test_window_starting_in_a_gap_opens_when_the_gap_ends(self) -> None:
        """A 02:30 opening on the spring-forward day opens at 03:00 CEST, the first
        valid instant."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"sun": "02:30-05:00"}}
        )
        assert berlin(2026, 3, 29, 3) == calendar.next_open(berlin(2026, 3, 29, 0))
        assert 2 * HOUR == calendar.between(berlin(2026, 3, 29, 0), berlin(2026, 3, 29, 12))

    def test_window_ending_in_a_gap_closes_when_the_gap_starts(self) -> None:
        """A 02:30 closing on the spring-forward day closes at the transition."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"sun": "00:00-02:30"}}
        )
        assert berlin(2026, 3, 29, 3) == calendar.next_close(berlin(2026, 3, 29, 1))

    def test_window_starting_in_a_fold_opens_at_the_first_occurrence(self) -> None:
        """A 02:30 opening on the fall-back day opens at the first 02:30 (CEST)."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"sun": "02:30-04:00"}}
        )
        first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        assert first == utc(calendar.next_open(berlin(2026, 10, 25, 0)))
        assert timedelta(hours=2, minutes=30) == calendar.between(
            berlin(2026, 10, 25), berlin(2026, 10, 26)
        )

    def test_24_00_closes_at_midnight(self) -> None:
        """An end of 24:00 closes at the next local midnight."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"mon": "18:00-24:00"}}
        )
        assert berlin(2026, 3, 3, 0) == calendar.next_close(berlin(2026, 3, 2, 20))
        assert 6 * HOUR == calendar.between(berlin(2026, 3, 2), berlin(2026, 3, 4))

    def test_00_00_as_an_end_means_midnight(self) -> None:
        """'22:00-00:00' is the same window as '22:00-24:00'."""
        assert Window.parse("22:00-24:00") == Window.parse("22:00-00:00")

    def test_overnight_window_belongs_to_the_day_it_starts(self) -> None:
        """A Friday 22:00-06:00 window is open early on Saturday, and a Friday holiday
        closes all of it."""
        friday_nights = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"fri": "22:00-06:00"}}
        )
        saturday_3am = berlin(2026, 3, 7, 3)
        assert friday_nights.is_open(saturday_3am)
        holiday = attrs.evolve(friday_nights, holidays={date(2026, 3, 6)})
        assert not holiday.is_open(saturday_3am)

    def test_windows_are_open_at_their_start_and_closed_at_their_end(self) -> None:
        """09:00 is open, 17:00 is closed."""
        assert (True, False) == (
            office().is_open(berlin(2026, 3, 2, 9)),
            office().is_open(berlin(2026, 3, 2, 17)),
        )

    def test_split_windows(self) -> None:
        """A lunch break between two windows is closed time."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"mon-fri": ["09:00-12:00", "13:00-17:00"]}}
        )
        assert berlin(2026, 3, 2, 13, 30) == calendar.add(
            berlin(2026, 3, 2, 11), timedelta(hours=1, minutes=30)
        )


class TestBusinessDays:
    def test_add_business_days_keeps_the_wall_time(self) -> None:
        """Friday 20:30 + 1 business day is Monday 20:30, outside opening hours or not."""
        assert berlin(2026, 3, 9, 20, 30) == office().add_business_days(
            berlin(2026, 3, 6, 20, 30), 1
        )

    def test_add_business_days_keeps_the_wall_time_across_dst(self) -> None:
        """Friday 10:00 CET + 1 business day is Monday 10:00 CEST (23 real hours less)."""
        assert berlin(2026, 3, 30, 10) == office().add_business_days(berlin(2026, 3, 27, 10), 1)

    def test_add_business_days_skips_holidays(self) -> None:
        """Over Easter, Thursday + 1 business day is Tuesday."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        assert berlin(2026, 4, 7, 9) == calendar.add_business_days(berlin(2026, 4, 2, 9), 1)

    def test_add_business_days_backwards(self) -> None:
        """Monday - 1 business day is the Friday before; zero days is the start."""
        monday = berlin(2026, 3, 9, 11)
        assert berlin(2026, 3, 6, 11) == office().add_business_days(monday, -1)
        assert monday == office().add_business_days(monday, 0)

    def test_add_business_days_from_a_weekend_does_not_count_the_start(self) -> None:
        """Saturday + 1 business day is Monday; Saturday - 1 is Friday."""
        saturday = berlin(2026, 3, 7, 12)
        assert berlin(2026, 3, 9, 12) == office().add_business_days(saturday, 1)
        assert berlin(2026, 3, 6, 12) == office().add_business_days(saturday, -1)

    def test_add_business_days_to_a_gap_moves_forward(self) -> None:
        """A wall time that does not exist on the target day moves out of the gap."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"sat-sun": "09:00-17:00"}}
        )
        assert berlin(2026, 3, 29, 3) == calendar.add_business_days(berlin(2026, 3, 28, 2, 30), 1)

    def test_counts_are_over_half_open_ranges(self) -> None:
        """[d1, d2) counts d1 but not d2; an empty range counts nothing; backwards is negative."""
        monday, tuesday, next_monday = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 9)
        calendar = office()
        assert 0 == calendar.business_days_between(monday, monday)
        assert 1 == calendar.business_days_between(monday, tuesday)
        assert 5 == calendar.business_days_between(monday, next_monday)
        assert -5 == calendar.business_days_between(next_monday, monday)

    def test_counts_refuse_datetimes(self) -> None:
        """Counting takes local dates; a datetime (whose date depends on a zone) is refused."""
        with pytest.raises(
            LocalDateExpectedError, match=r"give instant.astimezone\(calendar.zone\).date\(\)"
        ):
            office().business_days_between(berlin(2026, 3, 2), date(2026, 3, 9))

    def test_a_date_a_night_window_spills_into_is_a_business_day(self) -> None:
        """A business day is a date with any open time: Saturday has Friday night's tail."""
        friday_nights = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"fri": "22:00-06:00"}}
        )
        assert 2 == friday_nights.business_days_between(date(2026, 3, 6), date(2026, 3, 8))

    def test_russian_weekend_workday_opens_with_standard_windows(self) -> None:
        """Saturday 27 April 2024 is a working day in Russia; it opens 09:00-18:00."""
        calendar = BusinessCalendar.weekdays("Europe/Moscow", "09:00", "18:00", country="RU")
        moscow = ZoneInfo("Europe/Moscow")
        assert calendar.is_open(datetime(2024, 4, 27, 10, tzinfo=moscow))
        assert 9 * HOUR == calendar.between(
            datetime(2024, 4, 27, tzinfo=moscow), datetime(2024, 4, 28, tzinfo=moscow)
        )
        assert 6 == calendar.business_days_between(date(2024, 4, 22), date(2024, 4, 29))

    def test_extra_workday_opens_with_standard_windows(self) -> None:
        """An extra working day on a Sunday opens with Monday's windows."""
        calendar = attrs.evolve(office(), extra_workdays={date(2026, 3, 8)})
        assert 8 * HOUR == calendar.between(berlin(2026, 3, 8), berlin(2026, 3, 9))

    def test_partial_closure_removes_open_time(self) -> None:
        """Closed 12:00-24:00 on Christmas Eve leaves 3 hours of a 9-17 Thursday."""
        closure = Closure(date(2026, 12, 24), Window.parse("12:00-24:00"))
        calendar = attrs.evolve(office(), closures={closure})
        assert 3 * HOUR == calendar.between(berlin(2026, 12, 24), berlin(2026, 12, 25))
        assert berlin(2026, 12, 25, 10) == calendar.add(berlin(2026, 12, 24, 11), 2 * HOUR)

    def test_country_and_subdivision_holidays(self) -> None:
        """Epiphany (6 January) is a holiday in Bavaria but not in Berlin."""
        bavaria = BusinessCalendar.weekdays("Europe/Berlin", country="DE", subdiv="BY")
        berlin_state = BusinessCalendar.weekdays("Europe/Berlin", country="DE", subdiv="BE")
        epiphany = berlin(2026, 1, 6, 10)
        assert (False, True) == (bavaria.is_open(epiphany), berlin_state.is_open(epiphany))


class TestCalendarDays:
    def test_add_days_keeps_the_wall_time_across_dst(self) -> None:
        """15 days from 10:00 before the spring change is 10:00 after it (359 real hours)."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        assert berlin(2026, 4, 4, 10) == calendar.add_days(berlin(2026, 3, 20, 10), 15)

    def test_add_days_counts_closed_days_too(self) -> None:
        """Calendar days ignore opening hours: Friday + 1 day is Saturday."""
        assert berlin(2026, 3, 7, 10) == office().add_days(berlin(2026, 3, 6, 10), 1)

    def test_add_days_backwards_and_into_a_gap(self) -> None:
        """Moving back works, and a wall time that does not exist moves forward."""
        assert berlin(2026, 3, 29, 3) == office().add_days(berlin(2026, 3, 30, 2, 30), -1)


class TestOpenAndClose:
    def test_next_open_of_an_open_instant_is_itself(self) -> None:
        """An instant inside a window is its own next opening."""
        assert berlin(2026, 3, 2, 10) == office().next_open(berlin(2026, 3, 2, 10))

    def test_next_close_of_a_closed_instant_is_itself(self) -> None:
        """An instant outside every window is its own next closing."""
        assert berlin(2026, 3, 2, 20) == office().next_close(berlin(2026, 3, 2, 20))

    def test_always_open_never_closes(self) -> None:
        """A 24/7 calendar has no next closing."""
        assert None is BusinessCalendar.always_open("Europe/Berlin").next_close(berlin(2026, 3, 2))

    def test_always_open_closes_for_its_holidays(self) -> None:
        """A 24/7 calendar with a holiday closes at that holiday's midnight."""
        calendar = attrs.evolve(
            BusinessCalendar.always_open("Europe/Berlin"), holidays={date(2027, 1, 1)}
        )
        assert berlin(2027, 1, 1) == calendar.next_close(berlin(2026, 3, 2))

    def test_always_open_closes_for_its_country_holidays(self) -> None:
        """A 24/7 calendar with German holidays closes at Christmas."""
        calendar = attrs.evolve(BusinessCalendar.always_open("Europe/Berlin"), country="DE")
        assert berlin(2026, 12, 25) == calendar.next_close(berlin(2026, 12, 2))

    def test_always_open_business_time_is_real_time(self) -> None:
        """On a 24/7 calendar, the spring-forward day lasts 23 hours."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        assert 23 * HOUR == calendar.between(berlin(2026, 3, 29), berlin(2026, 3, 30))


class TestNaiveDatetimes:
    @pytest.mark.parametrize(
        "call",
        [
            lambda c, t: c.add(t, HOUR),
            lambda c, t: c.add_each(t, [HOUR]),
            lambda c, t: c.between(t, datetime(2026, 1, 1, tzinfo=UTC)),
            lambda c, t: c.between(datetime(2026, 1, 1, tzinfo=UTC), t),
            lambda c, t: c.add_business_days(t, 1),
            lambda c, t: c.add_days(t, 1),
            lambda c, t: c.is_open(t),
            lambda c, t: c.next_open(t),
            lambda c, t: c.next_close(t),
        ],
        ids=[
            "add",
            "add_each",
            "between-start",
            "between-end",
            "add_business_days",
            "add_days",
            "is_open",
            "next_open",
            "next_close",
        ],
    )
    def test_every_operation_refuses_naive_datetimes(self, call: object) -> None:
        """A naive datetime is refused with a message saying how to give it a zone."""
        with pytest.raises(NaiveDatetimeError, match="give it a time zone"):
            call(office(), datetime(2026, 3, 2, 10))  # type: ignore[operator]  # noqa: DTZ001


class TestValue:
    def test_is_frozen(self) -> None:
        """A calendar cannot be changed in place."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            office().tz = "UTC"  # type: ignore[misc]

    def test_equality_and_hash_ignore_the_cache(self) -> None:
        """A calendar that has answered queries equals and hashes like a fresh one."""
        used = office()
        used.add(berlin(2026, 3, 2, 9), 100 * HOUR)
        assert (office(), hash(office())) == (used, hash(used))

    def test_pickles_after_use(self) -> None:
        """A used calendar pickles and the copy answers the same."""
        used = office()
        start = berlin(2026, 3, 2, 9)
        expected = used.add(start, 100 * HOUR)
        copy = pickle.loads(pickle.dumps(used))
        assert (used, expected) == (copy, copy.add(start, 100 * HOUR))

    def test_threads_share_a_calendar(self) -> None:
        """Threads querying a fresh calendar at once all get the right answers."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        reference = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        # Open starts, so going back from a deadline returns exactly to its start.
        starts = [reference.next_open(berlin(2000 + i, 1, 3, 9)) for i in range(40)]
        expected = [reference.add(s, 3_000 * HOUR) for s in starts]
        results: dict[int, datetime] = {}
        barrier = threading.Barrier(40)

        def work(i: int) -> None:
            barrier.wait()
            # Half go backwards, so timelines grow on both sides at once.
            if i % 2:
                results[i] = calendar.add(expected[i], -3_000 * HOUR)
            else:
                results[i] = calendar.add(starts[i], 3_000 * HOUR)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [starts[i] if i % 2 else expected[i] for i in range(40)] == [
            results[i] for i in range(40)
        ]

    def test_beyond_year_9999_overflows(self) -> None:
        """Business time that would run past the year 9999 raises CalendarRangeError,
        which is also the OverflowError datetime raises there."""
        with pytest.raises(CalendarRangeError, match="0001-01-02 to 9999-12-30") as raised:
            office().add(datetime(9999, 12, 1, tzinfo=UTC), 1_000 * HOUR)
        assert isinstance(raised.value, OverflowError)

    def test_calendar_days_beyond_year_9999_overflow(self) -> None:
        """Calendar days past the year 9999 raise the same typed error."""
        with pytest.raises(CalendarRangeError):
            office().add_days(datetime(9999, 12, 1, tzinfo=UTC), 100)

    def test_the_edges_of_the_years_overflow(self) -> None:
        """Queries that need dates outside years 1-9999 raise CalendarRangeError."""
        with pytest.raises(CalendarRangeError):
            office().is_open(datetime(9999, 12, 31, 23, tzinfo=UTC))
        with pytest.raises(CalendarRangeError):
            office().next_open(datetime(9999, 12, 30, 20, tzinfo=UTC))
        with pytest.raises(CalendarRangeError):
            office().add(datetime(1, 1, 5, tzinfo=UTC), -30 * HOUR)

    def test_absurd_durations_overflow_at_once(self) -> None:
        """A duration longer than the representable years fails before any building."""
        with pytest.raises(CalendarRangeError):
            office().add(berlin(2026, 3, 2), timedelta.max)
        with pytest.raises(CalendarRangeError):
            office().add(berlin(2026, 3, 2), timedelta.min)
        with pytest.raises(CalendarRangeError):
            office().add_business_days(berlin(2026, 3, 2), 10**9)

    def test_importing_ticketflow_does_not_import_holidays(self) -> None:
        """The holidays package is imported only when a calendar needs a country."""
        code = (
            "import sys, ticketflow, ticketflow._calendar as c, ticketflow.testing\n"
            "c.BusinessCalendar.weekdays('Europe/Berlin')\n"
            "assert 'holidays' not in sys.modules, 'imported too early'\n"
            "c.BusinessCalendar.weekdays('Europe/Berlin', country='DE')\n"
            "assert 'holidays' in sys.modules\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True)


durations = st.integers(0, 400 * 3600).map(lambda s: timedelta(seconds=s))


class TestProperties:
    @given(business_calendars(), aware_datetimes(), aware_datetimes())
    def test_add_between_lands_on_the_earliest_equivalent_instant(
        self, calendar: BusinessCalendar, a: datetime, b: datetime
    ) -> None:
        """add(a, between(a, b)) is b, or the earliest instant before b with the same
        business time (b minus trailing closed time)."""
        a, b = min(a, b), max(a, b)
        landed = calendar.add(a, calendar.between(a, b))
        assert landed <= b
        assert timedelta(0) == calendar.between(landed, b)
        if landed > a:
            assert timedelta(microseconds=1) == calendar.between(
                landed - timedelta(microseconds=1), landed
            )

    @given(business_calendars(), aware_datetimes(), aware_datetimes(), aware_datetimes())
    def test_between_is_additive(
        self, calendar: BusinessCalendar, a: datetime, b: datetime, c: datetime
    ) -> None:
        """between(a, b) + between(b, c) == between(a, c), in any order."""
        assert calendar.between(a, c) == calendar.between(a, b) + calendar.between(b, c)

    @given(
        business_calendars(),
        aware_datetimes(),
        st.lists(st.integers(-20_000 * 3600, 20_000 * 3600).map(lambda s: timedelta(seconds=s))),
    )
    def test_add_each_is_add_of_each(
        self, calendar: BusinessCalendar, start: datetime, spans: list[timedelta]
    ) -> None:
        """add_each gives what add gives for each duration, on a calendar as fresh."""
        twin = BusinessCalendar.from_document(calendar.to_document())
        assert tuple(twin.add(start, d) for d in spans) == calendar.add_each(start, spans)

    @given(business_calendars(), aware_datetimes(), durations, durations)
    def test_add_is_monotone_in_the_duration(
        self, calendar: BusinessCalendar, start: datetime, d1: timedelta, d2: timedelta
    ) -> None:
        """A longer duration never gives an earlier deadline, forwards or backwards."""
        d1, d2 = min(d1, d2), max(d1, d2)
        assert calendar.add(start, d1) <= calendar.add(start, d2)
        assert calendar.add(start, -d1) >= calendar.add(start, -d2)

    @given(business_calendars(), aware_datetimes(), durations, st.data())
    def test_a_holiday_never_makes_a_deadline_earlier(
        self, calendar: BusinessCalendar, start: datetime, duration: timedelta, data: st.DataObject
    ) -> None:
        """Closing one more day never moves a deadline earlier."""
        deadline = calendar.add(start, duration)
        local = start.astimezone(calendar.zone).date()
        day = data.draw(st.integers(-1, 20).map(lambda k: local + timedelta(days=k)))
        if day in calendar.extra_workdays:
            return
        closed = attrs.evolve(calendar, holidays=calendar.holidays | {day})
        assert deadline <= closed.add(start, duration)

    @given(business_calendars(), aware_datetimes(), durations)
    def test_negative_add_inverts_positive_add(
        self, calendar: BusinessCalendar, start: datetime, duration: timedelta
    ) -> None:
        """Going forward then back by the same business time returns to an open start,
        and to an instant with no business time in between otherwise."""
        back = calendar.add(calendar.add(start, duration), -duration)
        if calendar.is_open(start):
            assert utc(start) == utc(back)
        assert timedelta(0) == calendar.between(start, back)
        assert duration == calendar.between(back, calendar.add(start, duration))

    @given(business_calendars(), aware_datetimes(), st.integers(-30, 30))
    def test_add_business_days_lands_n_business_days_away(
        self, calendar: BusinessCalendar, start: datetime, days: int
    ) -> None:
        """The date add_business_days reaches is a business day, |days| of them away."""
        landed = calendar.add_business_days(start, days)
        origin = start.astimezone(calendar.zone).date()
        target = landed.date()
        if days > 0:
            assert days == calendar.business_days_between(
                origin + timedelta(1), target + timedelta(1)
            )
        elif days < 0:
            assert -days == calendar.business_days_between(target, origin)
        else:
            assert utc(start) == utc(landed)

    @given(
        business_calendars(),
        aware_datetimes(),
        aware_datetimes(),
        durations,
        st.lists(aware_datetimes(), max_size=3),
    )
    def test_answers_do_not_depend_on_earlier_questions(
        self,
        calendar: BusinessCalendar,
        a: datetime,
        b: datetime,
        duration: timedelta,
        earlier: list[datetime],
    ) -> None:
        """A calendar whose cache was grown by other questions answers like a fresh one."""
        fresh = attrs.evolve(calendar)
        for at in earlier:
            calendar.is_open(at)
        assert fresh.between(a, b) == calendar.between(a, b)
        assert utc(fresh.add(a, duration)) == utc(calendar.add(a, duration))
        assert utc(fresh.add(b, -duration)) == utc(calendar.add(b, -duration))

    @given(business_calendars(), aware_datetimes())
    def test_is_open_agrees_with_next_open_and_next_close(
        self, calendar: BusinessCalendar, at: datetime
    ) -> None:
        """An instant is open exactly when it is its own next opening."""
        opens, closes = calendar.next_open(at), calendar.next_close(at)
        assert calendar.is_open(at) == (utc(opens) == utc(at))
        assert (not calendar.is_open(at)) == (closes is not None and utc(closes) == utc(at))


def deep(levels: int) -> object:
    """A list nested ``levels`` deep, built without recursion."""
    value: object = []
    for _ in range(levels):
        value = [value]
    return value


class TestBoundedMemory:
    """The cache of built years itself is specified in test_timeline.py."""

    def test_answers_across_evicted_years_are_unchanged(self) -> None:
        """After its years were evicted, a calendar answers spans of many years as a
        fresh calendar does."""
        used = BusinessCalendar.weekdays("Europe/Berlin", country="DE")
        start = berlin(2001, 3, 5, 10)
        expected = (
            office_de().between(start, berlin(2031, 7, 1, 12)),
            office_de().add(start, 40_000 * HOUR),
            office_de().add(berlin(2031, 7, 1, 12), -40_000 * HOUR),
            office_de().add_business_days(start, 5_000),
            office_de().business_days_between(date(2001, 1, 1), date(2031, 1, 1)),
        )
        used.between(start, berlin(2031, 7, 1, 12))  # measures every year between
        for year in range(3000, 3040):  # then evicts them all
            used.is_open(datetime(year, 1, 5, tzinfo=UTC))
        assert expected == (
            used.between(start, berlin(2031, 7, 1, 12)),
            used.add(start, 40_000 * HOUR),
            used.add(berlin(2031, 7, 1, 12), -40_000 * HOUR),
            used.add_business_days(start, 5_000),
            used.business_days_between(date(2001, 1, 1), date(2031, 1, 1)),
        )

    def test_a_span_across_new_year_is_exact(self) -> None:
        """An overnight window from 31 December runs into the next year's time."""
        calendar = nights("Europe/Berlin")
        assert (8 * HOUR, berlin(2027, 1, 1, 2)) == (
            calendar.between(berlin(2026, 12, 31, 22), berlin(2027, 1, 1, 6)),
            calendar.add(berlin(2026, 12, 31, 22), 4 * HOUR),
        )


def office_de() -> BusinessCalendar:
    return BusinessCalendar.weekdays("Europe/Berlin", country="DE")


class TestZonesThatCannotBeNamed:
    @pytest.mark.parametrize("tz", ["localtime", "posixrules", "posix/localtime", "Localtime"])
    def test_the_hosts_local_zone_is_refused(self, tz: str) -> None:
        """A zone that resolves through the host's /etc/localtime is refused."""
        (problem,) = problems_of({"tz": tz})
        assert "/etc/localtime" in problem

    def test_the_hosts_local_zone_is_refused_in_code(self) -> None:
        """BusinessCalendar(tz='localtime') is refused as the document is."""
        with pytest.raises(CalendarDefinitionError, match="machine to machine"):
            BusinessCalendar(tz="localtime")

    def test_a_zone_read_from_a_file_is_refused(self) -> None:
        """A ZoneInfo.from_file zone has no key to write in a document: refused, typed."""
        with open("/usr/share/zoneinfo/Europe/Berlin", "rb") as file:
            zone = ZoneInfo.from_file(file)
        with pytest.raises(CalendarDefinitionError, match="has no name"):
            BusinessCalendar(tz=zone)  # type: ignore[arg-type]

    @pytest.mark.parametrize("tz", [timezone(timedelta(hours=1)), BERLIN, UTC])
    def test_a_tzinfo_is_refused_with_its_name_to_give(self, tz: tzinfo) -> None:
        """A tzinfo object where a zone name is wanted is refused, saying what to give."""
        with pytest.raises(CalendarDefinitionError, match="give"):
            BusinessCalendar(tz=tz)  # type: ignore[arg-type]


class TestTypedErrors:
    @pytest.mark.parametrize(
        "make",
        [
            lambda: BusinessCalendar(week=None),  # type: ignore[arg-type]
            lambda: BusinessCalendar(week=[[1]] * 7),  # type: ignore[list-item]
            lambda: BusinessCalendar(holidays=["2026-12-24"]),  # type: ignore[list-item]
            lambda: BusinessCalendar(holidays=None),  # type: ignore[arg-type]
            lambda: BusinessCalendar(extra_workdays=[datetime(2026, 1, 1, tzinfo=UTC)]),
            lambda: BusinessCalendar(closures=[1]),  # type: ignore[list-item]
            lambda: BusinessCalendar(country=5),  # type: ignore[arg-type]
            lambda: BusinessCalendar(country="DE", subdiv=["BY"]),  # type: ignore[arg-type]
            lambda: BusinessCalendar(tz=None),  # type: ignore[arg-type]
            lambda: Window("9", 17),  # type: ignore[arg-type]
            lambda: Window(9.5, 17),  # type: ignore[arg-type]
            lambda: Closure("2026-01-01", Window(1, 2)),  # type: ignore[arg-type]
            lambda: Closure(date(2026, 1, 1), "12:00-24:00"),  # type: ignore[arg-type]
            lambda: BusinessCalendar.from_document({"tz": "UTC", "country": ["DE"]}),
            lambda: BusinessCalendar.from_document({"tz": "UTC", "week": {("mon",): "9-5"}}),
        ],
        ids=[
            "week-none",
            "week-ints",
            "holiday-string",
            "holidays-none",
            "workday-datetime",
            "closure-int",
            "country-int",
            "subdiv-list",
            "tz-none",
            "window-string",
            "window-float",
            "closure-on-string",
            "closure-window-string",
            "document-country-list",
            "document-tuple-key",
        ],
    )
    def test_wrong_types_in_a_definition_are_a_definition_error(self, make: object) -> None:
        """A wrong type anywhere in a calendar's definition is a CalendarDefinitionError."""
        with pytest.raises(CalendarDefinitionError):
            make()  # type: ignore[operator]

    @pytest.mark.parametrize("text", [None, b'tz = "UTC"', 5])
    def test_from_toml_of_something_not_text_is_a_type_error(self, text: object) -> None:
        """from_toml refuses what is not a str with InvalidTypeError."""
        with pytest.raises(InvalidTypeError, match="a str of TOML"):
            BusinessCalendar.from_toml(text)  # type: ignore[arg-type]

    def test_deeply_nested_toml_is_a_definition_error(self) -> None:
        """TOML nested 500 deep is refused as a definition, not a RecursionError."""
        with pytest.raises(CalendarDefinitionError, match="nested too deeply"):
            BusinessCalendar.from_toml("x = " + "[" * 500 + "]" * 500)

    @pytest.mark.parametrize("key", ["tz", "week", "holidays", "closures", "country"])
    def test_deep_values_in_a_document_give_a_short_message(self, key: str) -> None:
        """A value nested 5,000 deep is quoted shortly in the message, never repr'd whole."""
        document: dict[str, object] = {"tz": "UTC", key: deep(5_000)}
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar.from_document(document)
        assert len(str(raised.value)) < 2_000

    def test_a_long_zone_name_gives_a_short_message(self) -> None:
        """A 1 MB zone name is refused in a message of a line or two."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar.from_document({"tz": "x" * 1_000_000})
        assert len(str(raised.value)) < 1_000

    @pytest.mark.parametrize(
        "call",
        [
            lambda c: c.is_open(date(2026, 3, 2)),
            lambda c: c.is_open("2026-03-02T10:00:00+01:00"),
            lambda c: c.between(date(2026, 3, 2), berlin(2026, 3, 3)),
            lambda c: c.add(berlin(2026, 3, 2, 10), 5),
            lambda c: c.add(berlin(2026, 3, 2, 10), None),
            lambda c: c.add_each(berlin(2026, 3, 2, 10), [HOUR, 3]),
            lambda c: c.add_days(berlin(2026, 3, 2, 10), 1.5),
            lambda c: c.add_days(berlin(2026, 3, 2, 10), True),
            lambda c: c.add_business_days(berlin(2026, 3, 2, 10), "1"),
            lambda c: c.add_business_days(date(2026, 3, 2), 1),
            lambda c: c.next_open(None),
            lambda c: c.next_close(1_700_000_000),
            lambda c: c.business_days_between("2026-01-01", date(2026, 2, 1)),
            lambda c: c.business_days_between(date(2026, 1, 1), None),
        ],
    )
    def test_queries_given_wrong_types_raise_invalid_type_error(self, call: object) -> None:
        """A date, a string, None or a number where a query wants a datetime, a
        timedelta or an int is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            call(office())  # type: ignore[operator]


class TestGapsAndFoldsInQueries:
    @pytest.mark.parametrize(
        "call",
        [
            lambda c, t: c.is_open(t),
            lambda c, t: c.next_open(t),
            lambda c, t: c.next_close(t),
            lambda c, t: c.between(t, berlin(2026, 4, 1)),
            lambda c, t: c.add(t, HOUR),
            lambda c, t: c.add_each(t, [HOUR]),
            lambda c, t: c.add_days(t, 1),
            lambda c, t: c.add_business_days(t, 1),
        ],
    )
    def test_a_wall_time_in_a_dst_gap_is_refused(self, call: object) -> None:
        """02:30 on the night Berlin springs forward names no instant: every query
        refuses it, as commands do."""
        with pytest.raises(NonexistentInstantError):
            call(office(), berlin(2026, 3, 29, 2, 30))  # type: ignore[operator]

    def test_business_days_from_a_second_occurrence_land_on_the_first(self) -> None:
        """A start in the repeated hour (fold=1) moved to a date whose wall time is
        repeated again lands on its first occurrence, the edge rule."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        start = datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=BERLIN)
        landed = calendar.add_business_days(start, 364)
        assert datetime(2026, 10, 25, 0, 30, tzinfo=UTC) == utc(landed)

    def test_business_days_from_a_second_occurrence_into_a_gap_move_forward(self) -> None:
        """The same start moved to a date whose wall time is skipped lands on the
        transition, not an hour before the gap."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        start = datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=BERLIN)
        landed = calendar.add_business_days(start, 154)  # to 2026-03-29
        assert datetime(2026, 3, 29, 1, 0, tzinfo=UTC) == utc(landed)

    def test_instants_in_a_fold_are_read_by_their_offset(self) -> None:
        """02:10 fold=1 (01:10Z) is twenty minutes after 02:50 fold=0 (00:50Z)."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        first = datetime(2026, 10, 25, 2, 50, tzinfo=BERLIN)
        second = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)
        assert 20 * timedelta(minutes=1) == calendar.between(first, second)


class TestRangeErrors:
    @pytest.mark.parametrize(
        "call",
        [
            lambda: BusinessCalendar.always_open("America/New_York").add_days(
                datetime(1, 1, 1, 3, tzinfo=UTC), 5
            ),
            lambda: office().add_days(datetime(9999, 12, 30, 12, tzinfo=UTC), 1),
            lambda: office().add_days(datetime(1, 1, 3, 12, tzinfo=UTC), -2),
            lambda: office().add_days(berlin(2026, 1, 1), 10**12),
            lambda: BusinessCalendar.always_open("America/New_York").add_business_days(
                datetime(1, 1, 1, 3, tzinfo=UTC), 1
            ),
            lambda: office().add_business_days(datetime(9999, 12, 29, 12, tzinfo=UTC), 5),
            lambda: office().add_business_days(datetime(1, 1, 5, 12, tzinfo=UTC), -5),
            lambda: office().between(
                datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))), berlin(2, 1, 1)
            ),
            lambda: office().is_open(datetime.max.replace(tzinfo=timezone(timedelta(hours=-5)))),
            lambda: office().next_open(datetime.min.replace(tzinfo=UTC)),
            lambda: office().next_close(datetime(9999, 12, 31, 12, tzinfo=UTC)),
            lambda: office().add(datetime(1, 1, 1, tzinfo=UTC), HOUR),
            lambda: office().add_each(datetime(9999, 12, 30, tzinfo=UTC), [1_000 * HOUR]),
            lambda: office().business_days_between(date(1, 1, 1), date(1, 1, 9)),
            lambda: office().business_days_between(date(1, 1, 1), date(1, 1, 2)),
        ],
    )
    def test_every_operation_raises_calendar_range_error_at_the_ends(self, call: object) -> None:
        """Near the years 1 and 9999 every operation raises CalendarRangeError, never a
        bare OverflowError or ValueError."""
        with pytest.raises(CalendarRangeError):
            call()  # type: ignore[operator]

    def test_a_night_closure_on_the_last_date_does_not_overflow(self) -> None:
        """A night closure on 9999-12-31 does not stop questions about December 9999."""
        closure = Closure(date(9999, 12, 31), Window.parse("22:00-06:00"))
        calendar = BusinessCalendar(tz="UTC", closures=[closure])
        assert calendar.is_open(datetime(9999, 12, 20, tzinfo=UTC))

    def test_the_first_and_last_dates_are_answered(self) -> None:
        """0001-01-02 and 9999-12-30, the ends the range promises, are answered."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")
        first = datetime(1, 1, 2, 12, tzinfo=BERLIN)
        last = datetime(9999, 12, 30, 12, tzinfo=BERLIN)
        assert (True, True, 2) == (
            calendar.is_open(first),
            calendar.is_open(last),
            calendar.business_days_between(date(1, 1, 2), date(1, 1, 4)),
        )


class TestPresetCalendars:
    @pytest.mark.parametrize("name", ["support_portal", "hosting_portal", "italian_helpdesk"])
    def test_each_desk_gets_a_calendar_of_its_own(self, name: str) -> None:
        """Two desks of a preset never share one calendar (and so its caches), though
        the calendars are equal values."""
        preset = importlib.import_module(f"ticketflow.presets.{name}")
        first, second = preset.desk().calendar, preset.desk().calendar
        assert (True, False) == (first == second, first is second)


_CALENDAR_FIELDS = ("tz", "week", "country", "subdiv", "holidays", "closures", "extra_workdays")
_WRONG_VALUES = {"none": None, "int": 1, "huge-int": 10**5000, "list": [1], "lists": [[1]]}


def _build(kind: str, field: str, value: object) -> object:
    """Build a ``kind`` whose ``field`` is ``value`` (the others valid)."""
    if kind == "Window":
        values: dict[str, object] = {"start": 60, "end": 120, field: value}
        return Window(**values)  # type: ignore[arg-type]
    if kind == "Closure":
        values = {"on": date(2026, 12, 31), "window": Window(60, 120), field: value}
        return Closure(**values)  # type: ignore[arg-type]
    return BusinessCalendar(**{field: value})  # type: ignore[arg-type]


class TestHostileValues:
    def test_toml_with_an_integer_too_long_to_read_is_a_definition_error(self) -> None:
        """TOML holding a 5,000-digit integer is a CalendarDefinitionError, not a ValueError."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar.from_toml("x = " + "1" * 5000)

        assert ["TOML"] == [p.where for p in raised.value.problems]

    @pytest.mark.parametrize(
        "document",
        [
            {"tz": 10**5000},
            {"tz": "UTC", "week": 10**5000},
            {"tz": "UTC", "week": {"mon": 10**5000}},
            {"tz": "UTC", "week": {"mon": [10**5000]}},
            {"tz": "UTC", "week": {10**5000: "09:00-17:00"}},
            {"tz": "UTC", "country": 10**5000},
            {"tz": "UTC", "country": "DE", "subdiv": 10**5000},
            {"tz": "UTC", "holidays": 10**5000},
            {"tz": "UTC", "holidays": [10**5000]},
            {"tz": "UTC", "extra_workdays": [10**5000]},
            {"tz": "UTC", "closures": [10**5000]},
            {"tz": "UTC", "closures": [{"date": 10**5000, "window": "09:00-10:00"}]},
            {"tz": "UTC", "closures": [{"date": "2026-12-31", "window": 10**5000}]},
            {"tz": "UTC", 10**5000: 1},
        ],
        ids=[
            "tz",
            "week",
            "week.mon",
            "week.mon[0]",
            "week-key",
            "country",
            "subdiv",
            "holidays",
            "holidays[0]",
            "extra_workdays[0]",
            "closures[0]",
            "closures[0].date",
            "closures[0].window",
            "key",
        ],
    )
    def test_a_huge_integer_anywhere_in_a_document_is_a_definition_error(
        self, document: dict[object, object]
    ) -> None:
        """A 5,000-digit integer anywhere in a calendar document is a
        CalendarDefinitionError with a short message."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar.from_document(document)  # type: ignore[arg-type]

        assert 2_000 > len(str(raised.value))

    @pytest.mark.parametrize(
        ("start", "end"),
        [(10**5000, 60), (60, 10**5000), (-(10**5000), 60), (60, -(10**5000))],
        ids=["start", "end", "negative-start", "negative-end"],
    )
    def test_a_window_of_a_huge_integer_is_a_definition_error(self, start: int, end: int) -> None:
        """A window edge of 5,000 digits is a CalendarDefinitionError with a short message."""
        with pytest.raises(CalendarDefinitionError) as raised:
            Window(start, end)

        assert 2_000 > len(str(raised.value))

    @pytest.mark.parametrize("durations", [-1, None, HOUR, 1.5], ids=repr)
    def test_add_each_of_something_not_iterable_is_an_invalid_type_error(
        self, durations: object
    ) -> None:
        """add_each given one int, None or a lone timedelta where durations are wanted
        is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            office().add_each(berlin(2026, 3, 2, 10), durations)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kind", "field", "value"),
        [
            pytest.param(kind, field, value, id=f"{kind}.{field}={label}")
            for kind, fields in (
                ("BusinessCalendar", _CALENDAR_FIELDS),
                ("Window", ("start", "end")),
                ("Closure", ("on", "window")),
            )
            for field in fields
            for label, value in _WRONG_VALUES.items()
            # None is a valid country or subdivision, and 1 a valid window edge.
            if not (value is None and field in ("country", "subdiv"))
            and not (value == 1 and kind == "Window")
        ],
    )
    def test_a_wrong_type_in_any_constructor_field_is_a_typed_error(
        self, kind: str, field: str, value: object
    ) -> None:
        """None, an int or a list where a calendar, window or closure field wants
        something else is a typed ticketflow error, never a bare one."""
        with pytest.raises((CalendarDefinitionError, InvalidTypeError)):
            _build(kind, field, value)


def moscow_office(**fields: object) -> BusinessCalendar:
    document: dict[str, object] = {"tz": "Europe/Moscow", "week": {"mon-fri": "09:00-18:00"}}
    return BusinessCalendar.from_document({**document, "country": "RU", **fields})


class TestHolidayNames:
    def test_a_country_holiday_is_named_in_english(self) -> None:
        """A holiday of the calendar's country is named as the holidays package names
        it, in English: 8 March 2026 (a Sunday) is observed on Monday 9 March."""
        assert "International Women's Day (observed)" == moscow_office().holiday_name(
            date(2026, 3, 9)
        )

    def test_an_ordinary_day_has_no_holiday_name(self) -> None:
        """A date no holiday closes has no holiday name."""
        assert moscow_office().holiday_name(date(2026, 3, 10)) is None

    def test_a_calendar_without_country_names_no_holiday(self) -> None:
        """Without a country, a national holiday is an ordinary date."""
        assert office().holiday_name(date(2026, 1, 1)) is None

    def test_an_extra_closed_date_is_a_holiday_without_a_name(self) -> None:
        """A date of the calendar's own ``holidays`` has no name of its own: 'holiday'."""
        calendar = moscow_office(holidays=[date(2026, 3, 10)])
        assert "holiday" == calendar.holiday_name(date(2026, 3, 10))

    def test_an_extra_closed_date_on_a_country_holiday_keeps_the_countrys_name(self) -> None:
        """A date closed twice, by the country and by the calendar, is named by the country."""
        calendar = moscow_office(holidays=[date(2026, 1, 1)])
        assert "New Year Holidays" == calendar.holiday_name(date(2026, 1, 1))

    def test_an_extra_workday_on_a_country_holiday_is_no_holiday(self) -> None:
        """A country holiday the calendar opens as an extra workday has no holiday name."""
        calendar = moscow_office(extra_workdays=[date(2026, 3, 9)])
        assert calendar.holiday_name(date(2026, 3, 9)) is None

    def test_a_datetime_is_refused(self) -> None:
        """The query takes a local date; a datetime is a LocalDateExpectedError."""
        with pytest.raises(LocalDateExpectedError):
            moscow_office().holiday_name(datetime(2026, 3, 9, tzinfo=UTC))

    def test_a_non_date_is_a_typed_error(self) -> None:
        """A string where a date is wanted is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError):
            moscow_office().holiday_name("2026-03-09")  # type: ignore[arg-type]
