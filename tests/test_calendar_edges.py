"""The business calendar (``_calendar.py``, ``_timeline.py``, ``_calendar_definition.py``)
at its edges, found by mutation testing (``tools/mutation.sh``): what the usual tests
leave unseen.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ticketflow import (
    BusinessCalendar,
    CalendarDefinitionError,
    CalendarRangeError,
    Closure,
    InvalidTypeError,
    LocalDateExpectedError,
    Window,
)

CALENDAR = BusinessCalendar.always_open("UTC")
NOT_A_DATE: Any = "2026-03-02"
NOT_A_WINDOW: Any = 5
CHRISTMAS_EVE: Any = "2026-12-24"


class TestLocalDateQuestions:
    @pytest.mark.parametrize(
        ("question", "message"),
        [
            (CALENDAR.day_start, "day must be a local date, got str '2026-03-02'"),
            (
                CALENDAR.holiday_name,
                "holiday_name's day must be a local date, got str '2026-03-02'",
            ),
        ],
        ids=["day_start", "holiday_name"],
    )
    def test_a_string_for_a_day_is_refused_saying_what_was_given(
        self, question: Callable[[Any], object], message: str
    ) -> None:
        """Given an always-open calendar, when a day's question is asked of a string,
        then the refusal says a local date was wanted and which value came instead."""
        with pytest.raises(InvalidTypeError) as raised:
            question(NOT_A_DATE)

        assert message + "; give a local date" == str(raised.value)

    def test_a_datetime_for_a_holiday_is_refused_by_the_questions_name(self) -> None:
        """Given an always-open calendar, when holiday_name is asked of a datetime, then
        the refusal names holiday_name and says how to get the local date."""
        with pytest.raises(LocalDateExpectedError) as raised:
            CALENDAR.holiday_name(datetime(2026, 3, 2, tzinfo=UTC))

        expected = (
            "holiday_name takes local dates, not datetimes; "
            "give instant.astimezone(calendar.zone).date()"
        )
        assert expected == str(raised.value)


def weekdays_in(first: date, end: date) -> int:
    """How many Mondays to Fridays lie in ``[first, end)``, counted one day at a time."""
    days = (first + timedelta(days=n) for n in range((end - first).days))
    return sum(1 for day in days if day.weekday() < 5)


class TestBusinessDaysBetween:
    def test_a_span_of_several_whole_years_counts_every_year(self) -> None:
        """Given a Monday-to-Friday calendar without holidays, when the business days of
        2020 to 2023 are counted, then each of the years in between counts."""
        calendar = BusinessCalendar.weekdays("UTC")

        counted = calendar.business_days_between(date(2020, 1, 1), date(2024, 1, 1))

        assert weekdays_in(date(2020, 1, 1), date(2024, 1, 1)) == counted

    def test_a_span_may_end_on_the_day_after_the_last_day_counted(self) -> None:
        """Given an always-open calendar, when the days from 9999-12-29 to the end
        9999-12-31 (not counted) are counted, then both days count."""
        assert 2 == CALENDAR.business_days_between(date(9999, 12, 29), date(9999, 12, 31))


class TestNextOpen:
    def test_after_a_years_last_opening_the_next_is_in_the_next_year(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when asked at 18:00 on Thursday
        31 December 2026 when it next opens, then Friday 1 January 2027 at 09:00."""
        calendar = BusinessCalendar.weekdays("UTC")

        opens = calendar.next_open(datetime(2026, 12, 31, 18, tzinfo=UTC))

        assert datetime(2027, 1, 1, 9, tzinfo=UTC) == opens


# Each malformed part of a calendar definition, and the one problem it is refused with.
MALFORMED_PARTS: dict[str, tuple[Callable[[], object], str]] = {
    "window-without-minutes": (
        lambda: Window.parse("9-17"),
        "window '9-17': is not two HH:MM times separated by '-' (hours 00-23, or 24:00 as "
        "an end) (fix: write it like '09:00-17:00', '22:00-06:00' (overnight) or "
        "'12:00-24:00')",
    ),
    "closure-on-a-string": (
        lambda: Closure(CHRISTMAS_EVE, Window.parse("12:00-24:00")),
        "closure: on '2026-12-24' is not a date (fix: give a datetime.date)",
    ),
    "closure-of-a-number": (
        lambda: Closure(date(2026, 12, 24), NOT_A_WINDOW),
        "closure: window 5 is not a Window (fix: give e.g. Window.parse('12:00-24:00'))",
    ),
}


class TestMalformedDefinitions:
    @pytest.mark.parametrize(
        ("build", "problem"), MALFORMED_PARTS.values(), ids=MALFORMED_PARTS.keys()
    )
    def test_a_malformed_part_is_refused_with_its_problem_and_fix(
        self, build: Callable[[], object], problem: str
    ) -> None:
        """Given one malformed part of a calendar, when it is built, then the refusal
        holds that one problem, with its fix."""
        with pytest.raises(CalendarDefinitionError) as raised:
            build()

        assert "invalid business calendar: 1 problem\n  - " + problem == str(raised.value)


class TestTheFirstYear:
    def test_business_time_counted_back_reaches_into_year_one(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when five business days are
        taken back from 4 January of year 2, then the answer is in December of year 1."""
        calendar = BusinessCalendar.weekdays("UTC")

        earlier = calendar.add_business_days(datetime(2, 1, 4, 10, tzinfo=UTC), -5)

        assert datetime(1, 12, 28, 10, tzinfo=UTC) == earlier


WEEKDAYS = BusinessCalendar.weekdays("UTC")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=UTC)
WHOLE_DAY = (Window.parse("00:00-24:00"),)
NINE_TO_FIVE = [*[(Window.parse("09:00-17:00"),)] * 5, (), ()]
NOT_AN_INSTANT: Any = "2026-03-02T10:00"
NOT_A_COUNT: Any = "1"


def wrong(value: object) -> Any:
    """``value``, typed as anything: a part of the wrong type, on purpose."""
    return value


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """The instant of that local date and hour in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def weekdays_of(year: int) -> list[date]:
    """Every Monday to Friday of ``year``."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range(366))
    return [day for day in days if day.year == year and day.weekday() < 5]


# Each question of an instant or a count, asked of a wrong value, and its refusal.
WRONG_ARGUMENTS: dict[str, tuple[Callable[[], object], str]] = {
    "is_open-at": (
        lambda: WEEKDAYS.is_open(NOT_AN_INSTANT),
        "at must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "between-start": (
        lambda: WEEKDAYS.between(NOT_AN_INSTANT, MONDAY),
        "start must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "between-end": (
        lambda: WEEKDAYS.between(MONDAY, NOT_AN_INSTANT),
        "end must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "add-start": (
        lambda: WEEKDAYS.add(NOT_AN_INSTANT, timedelta(hours=1)),
        "start must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "add-duration": (
        lambda: WEEKDAYS.add(MONDAY, NOT_A_COUNT),
        "duration must be a timedelta, got str '1'; give a timedelta",
    ),
    "add_each-start": (
        lambda: WEEKDAYS.add_each(NOT_AN_INSTANT, [timedelta(hours=1)]),
        "start must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "add_each-durations": (
        lambda: WEEKDAYS.add_each(MONDAY, wrong(timedelta(hours=1))),
        "durations must be an iterable of timedeltas, got timedelta "
        "datetime.timedelta(seconds=3600); give an iterable of timedeltas",
    ),
    "add_each-duration": (
        lambda: WEEKDAYS.add_each(MONDAY, [timedelta(hours=1), NOT_A_COUNT]),
        "duration must be a timedelta, got str '1'; give a timedelta",
    ),
    "next_open-at": (
        lambda: WEEKDAYS.next_open(NOT_AN_INSTANT),
        "at must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "next_close-at": (
        lambda: WEEKDAYS.next_close(NOT_AN_INSTANT),
        "at must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "add_business_days-start": (
        lambda: WEEKDAYS.add_business_days(NOT_AN_INSTANT, 1),
        "start must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "add_business_days-days": (
        lambda: WEEKDAYS.add_business_days(MONDAY, NOT_A_COUNT),
        "days must be an integer, got str '1'; give an integer",
    ),
    "add_days-start": (
        lambda: WEEKDAYS.add_days(NOT_AN_INSTANT, 1),
        "start must be an aware datetime, got str '2026-03-02T10:00'; give an aware datetime",
    ),
    "add_days-days": (
        lambda: WEEKDAYS.add_days(MONDAY, NOT_A_COUNT),
        "days must be an integer, got str '1'; give an integer",
    ),
    "business_days_between-first": (
        lambda: WEEKDAYS.business_days_between(NOT_A_DATE, date(2026, 3, 9)),
        "business_days_between's first must be a date, got str '2026-03-02'; give a date",
    ),
    "business_days_between-end": (
        lambda: WEEKDAYS.business_days_between(date(2026, 3, 2), NOT_A_DATE),
        "business_days_between's end must be a date, got str '2026-03-02'; give a date",
    ),
}


class TestWrongArguments:
    @pytest.mark.parametrize(
        ("ask", "message"), WRONG_ARGUMENTS.values(), ids=WRONG_ARGUMENTS.keys()
    )
    def test_a_wrong_argument_is_refused_by_its_name(
        self, ask: Callable[[], object], message: str
    ) -> None:
        """Given a Monday-to-Friday calendar, when a question gets a value of the wrong
        type, then the refusal names the argument, what it must be and what it got."""
        with pytest.raises(InvalidTypeError) as raised:
            ask()

        assert message == str(raised.value)

    def test_a_datetime_for_a_span_of_days_is_refused_by_the_questions_name(self) -> None:
        """Given a Monday-to-Friday calendar, when business_days_between is asked of a
        datetime, then the refusal names business_days_between and how to get a date."""
        with pytest.raises(LocalDateExpectedError) as raised:
            WEEKDAYS.business_days_between(MONDAY, date(2026, 3, 9))

        expected = (
            "business_days_between takes local dates, not datetimes; "
            "give instant.astimezone(calendar.zone).date()"
        )
        assert (expected, "business_days_between") == (str(raised.value), raised.value.what)


class TestTheEndsOfTheRange:
    def test_a_day_counted_back_may_land_on_the_first_day_of_the_range(self) -> None:
        """Given an always-open calendar, when one day is taken back from 0001-01-03
        10:00, then the answer is 0001-01-02 10:00, the first date answered for."""
        earlier = BusinessCalendar.always_open("UTC").add_days(utc(1, 1, 3, 10), -1)

        assert utc(1, 1, 2, 10) == earlier

    def test_the_first_day_of_the_range_starts_at_its_midnight(self) -> None:
        """Given an always-open calendar, when asked when 0001-01-02 starts, then at
        its midnight."""
        assert utc(1, 1, 2) == BusinessCalendar.always_open("UTC").day_start(date(1, 1, 2))

    @pytest.mark.parametrize(
        "question",
        [BusinessCalendar.day_start, BusinessCalendar.holiday_name],
        ids=["day_start", "holiday_name"],
    )
    def test_the_day_after_the_range_is_refused(
        self, question: Callable[[BusinessCalendar, date], object]
    ) -> None:
        """Given a Monday-to-Friday calendar, when a day's question is asked of
        9999-12-31, then it is refused as out of range."""
        with pytest.raises(CalendarRangeError):
            question(WEEKDAYS, date(9999, 12, 31))

    def test_the_first_day_of_the_range_has_no_holiday(self) -> None:
        """Given a Monday-to-Friday calendar without holidays, when asked the holiday of
        0001-01-02, then there is none."""
        assert WEEKDAYS.holiday_name(date(1, 1, 2)) is None

    def test_the_next_opening_may_be_in_the_last_year(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when asked at 18:00 on Thursday
        31 December 9998 when it next opens, then Friday 1 January 9999 at 09:00."""
        assert utc(9999, 1, 1, 9) == WEEKDAYS.next_open(utc(9998, 12, 31, 18))


class TestHolidayNames:
    def test_a_regional_holiday_is_named_by_the_calendars_region(self) -> None:
        """Given a calendar of Bavaria's holidays, when asked the holiday of 6 January
        2026, then Epiphany, a holiday of Bavaria but not of all Germany."""
        calendar = BusinessCalendar.weekdays("Europe/Berlin", country="DE", subdiv="BY")

        assert "Epiphany" == calendar.holiday_name(date(2026, 1, 6))

    def test_a_holiday_is_named_in_english_whatever_the_locale(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Given a calendar of Bavaria's holidays and a process whose language is
        German, when asked the holiday of 6 January 2026, then its English name."""
        monkeypatch.setenv("LANGUAGE", "de_DE")
        calendar = BusinessCalendar.weekdays("Europe/Berlin", country="DE", subdiv="BY")

        assert "Epiphany" == calendar.holiday_name(date(2026, 1, 6))


class TestNextOpenAroundYears:
    def test_an_instant_in_a_years_first_opening_is_open(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when asked at 10:00 on Thursday
        1 January 2026 when it next opens, then at that instant."""
        assert utc(2026, 1, 1, 10) == WEEKDAYS.next_open(utc(2026, 1, 1, 10))

    def test_before_a_years_last_opening_the_next_is_that_opening(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when asked at 18:00 on
        Wednesday 30 December 2026 when it next opens, then Thursday 31 December 09:00."""
        assert utc(2026, 12, 31, 9) == WEEKDAYS.next_open(utc(2026, 12, 30, 18))

    def test_a_year_closed_throughout_is_passed_over(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar with every weekday of 2027 a
        holiday, when asked at 18:00 on 31 December 2026 when it next opens, then
        Monday 3 January 2028 at 09:00."""
        calendar = BusinessCalendar(tz="UTC", week=NINE_TO_FIVE, holidays=weekdays_of(2027))

        assert utc(2028, 1, 3, 9) == calendar.next_open(utc(2026, 12, 31, 18))


class TestNextCloseAroundYears:
    def test_an_opening_into_the_next_year_closes_at_its_first_holiday(self) -> None:
        """Given a calendar open all week with a holiday on 1 June 2027, when asked at
        noon on 31 December 2026 when it next closes, then at midnight of 1 June 2027."""
        calendar = BusinessCalendar(tz="UTC", week=[WHOLE_DAY] * 7, holidays=[date(2027, 6, 1)])

        assert utc(2027, 6, 1) == calendar.next_close(utc(2026, 12, 31, 12))

    def test_an_opening_into_a_new_years_holiday_closes_at_midnight(self) -> None:
        """Given a calendar open all week with Germany's holidays, when asked at noon on
        31 December 2026 when it next closes, then at midnight, New Year's Day."""
        calendar = BusinessCalendar(tz="UTC", week=[WHOLE_DAY] * 7, country="DE")

        assert utc(2027, 1, 1) == calendar.next_close(utc(2026, 12, 31, 12))

    def test_an_opening_into_the_next_year_closes_at_the_first_closed_day(self) -> None:
        """Given a calendar open all day from Monday to Saturday, when asked at noon on
        Thursday 31 December 2026 when it next closes, then at midnight of Sunday 3
        January 2027."""
        calendar = BusinessCalendar(tz="UTC", week=[*[WHOLE_DAY] * 6, ()])

        assert utc(2027, 1, 3) == calendar.next_close(utc(2026, 12, 31, 12))


class TestBusinessDaysAcrossNewYear:
    def test_the_first_business_day_of_a_year_follows_the_last_of_the_year_before(
        self,
    ) -> None:
        """Given a Monday-to-Friday calendar, when one business day is added to Thursday
        31 December 2026 at 10:00, then Friday 1 January 2027 at 10:00."""
        assert utc(2027, 1, 1, 10) == WEEKDAYS.add_business_days(utc(2026, 12, 31, 10), 1)

    def test_the_last_business_day_of_a_year_precedes_the_first_of_the_next(self) -> None:
        """Given a Monday-to-Friday calendar, when one business day is taken back from
        Friday 1 January 2027 at 10:00, then Thursday 31 December 2026 at 10:00."""
        assert utc(2026, 12, 31, 10) == WEEKDAYS.add_business_days(utc(2027, 1, 1, 10), -1)

    def test_a_span_ending_on_the_second_of_january_counts_new_years_day(self) -> None:
        """Given a Monday-to-Friday calendar without holidays, when the business days
        from Monday 28 December 2026 to 2 January 2027 are counted, then five: Monday to
        Thursday and Friday 1 January."""
        assert 5 == WEEKDAYS.business_days_between(date(2026, 12, 28), date(2027, 1, 2))


EIGHT_HOURS = Window.parse("09:00-17:00")
LONGEST_ZONE = "America/Argentina/ComodRivadavia"
# A zone of UTC read from TZif bytes, as ZoneInfo.from_file gives it: a zone without a key.
ZONE_FROM_A_FILE = ZoneInfo.from_file(
    io.BytesIO(
        b"TZif"
        + bytes(16)
        + bytes(16)
        + (1).to_bytes(4, "big")
        + (4).to_bytes(4, "big")
        + bytes(6)
        + b"UTC\0"
    )
)

# Each calendar with one fault, and the one problem it is refused with: where, what, fix.
FAULTY_CALENDARS: dict[str, tuple[Callable[[], object], str]] = {
    "window-outside-the-day": (
        lambda: Window(0, 1441),
        "window 0-1441: start 0 or end 1441 is outside the day (fix: give minutes after "
        "midnight: a start from 0 to 1439, an end from 1 to 1440 (24:00))",
    ),
    "window-of-zero-length": (
        lambda: Window.parse("09:00-09:00"),
        "window '09:00-09:00': has zero length (fix: give an end different from the "
        "start; write 00:00-24:00 for a whole day)",
    ),
    "window-of-fractional-minutes": (
        lambda: Window(wrong(9.5), 17),
        "window 9.5-17: has a start or an end that is not a whole number of minutes (fix: "
        "give minutes after midnight as ints, or use Window.parse('09:00-17:00'))",
    ),
    "window-text-not-a-string": (
        lambda: Window.parse(wrong(5)),
        "window 5: is not a string (fix: write it like '09:00-17:00', '22:00-06:00' "
        "(overnight) or '12:00-24:00')",
    ),
    "window-starting-at-the-days-end": (
        lambda: Window(1440, 60),
        "window 1440-60: start 1440 or end 60 is outside the day (fix: give minutes after "
        "midnight: a start from 0 to 1439, an end from 1 to 1440 (24:00))",
    ),
    "window-ending-at-minute-zero": (
        lambda: Window(60, 0),
        "window 60-0: start 60 or end 0 is outside the day (fix: give minutes after "
        "midnight: a start from 0 to 1439, an end from 1 to 1440 (24:00))",
    ),
    "window-of-one-time": (
        lambda: Window.parse("09:00"),
        "window '09:00': is not two HH:MM times separated by '-' (hours 00-23, or 24:00 as "
        "an end) (fix: write it like '09:00-17:00', '22:00-06:00' (overnight) or "
        "'12:00-24:00')",
    ),
    "window-starting-at-24:00": (
        lambda: Window.parse("24:00-06:00"),
        "window '24:00-06:00': is not two HH:MM times separated by '-' (hours 00-23, or "
        "24:00 as an end) (fix: write it like '09:00-17:00', '22:00-06:00' (overnight) or "
        "'12:00-24:00')",
    ),
    "window-ending-in-words": (
        lambda: Window.parse("09:00-5pm"),
        "window '09:00-5pm': is not two HH:MM times separated by '-' (hours 00-23, or 24:00 "
        "as an end) (fix: write it like '09:00-17:00', '22:00-06:00' (overnight) or "
        "'12:00-24:00')",
    ),
    "week-not-a-sequence": (
        lambda: BusinessCalendar(week=wrong(5)),
        "week: 5 is not a sequence (fix: give seven tuples of Window values, Monday first "
        "(an empty tuple for a closed day))",
    ),
    "week-day-not-windows": (
        lambda: BusinessCalendar(week=wrong([5] * 7)),
        "week[0]: 5 is not windows (fix: give seven tuples of Window values, Monday first "
        "(an empty tuple for a closed day))",
    ),
    "week-of-six-days": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE[:6]),
        "week: has 6 days (fix: give exactly seven tuples of windows, Monday first (an "
        "empty tuple for a closed day))",
    ),
    "week-never-open": (
        lambda: BusinessCalendar(week=[()] * 7),
        "week: has no opening windows, so business time could never pass (fix: give at "
        "least one window, e.g. mon = '09:00-17:00')",
    ),
    "windows-overlapping": (
        lambda: BusinessCalendar(week=[(EIGHT_HOURS, Window.parse("16:00-18:00"))] + [()] * 6),
        "week mon 09:00-17:00: overlaps mon 16:00-18:00 (fix: make the windows disjoint "
        "(touching is fine), or merge them into one)",
    ),
    "sunday-night-overlapping-monday": (
        lambda: BusinessCalendar(
            week=[(EIGHT_HOURS,)] + [()] * 5 + [(Window.parse("22:00-10:00"),)]
        ),
        "week sun 22:00-10:00: overlaps mon 09:00-17:00 (fix: make the windows disjoint "
        "(touching is fine), or merge them into one)",
    ),
    "holidays-not-a-collection": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, holidays=wrong(5)),
        "holidays: 5 is not a collection (fix: give datetime.date values (from_document "
        "also reads ISO strings))",
    ),
    "extra-workday-not-a-date": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, extra_workdays=wrong(["2026-01-01"])),
        "extra_workdays: '2026-01-01' is not a date (fix: give datetime.date values "
        "(from_document also reads ISO strings))",
    ),
    "closures-not-closures": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, closures=wrong([5])),
        "closures: [5] are not closures (fix: give Closure values, e.g. Closure(date(2026, "
        "12, 31), Window.parse('12:00-24:00')))",
    ),
    "a-holiday-and-a-workday": (
        lambda: BusinessCalendar(
            week=NINE_TO_FIVE, holidays=[date(2026, 1, 1)], extra_workdays=[date(2026, 1, 1)]
        ),
        "date 2026-01-01: is both a holiday and an extra working day (fix: remove it from "
        "one of 'holidays' and 'extra_workdays')",
    ),
    "zone-a-zoneinfo": (
        lambda: BusinessCalendar(tz=wrong(ZoneInfo("Europe/Berlin")), week=NINE_TO_FIVE),
        "tz: is the ZoneInfo 'Europe/Berlin', not its name (fix: give 'Europe/Berlin')",
    ),
    "zone-utc-tzinfo": (
        lambda: BusinessCalendar(tz=wrong(UTC), week=NINE_TO_FIVE),
        "tz: is the tzinfo datetime.timezone.utc, not the name of a time zone (fix: give 'UTC')",
    ),
    "zone-an-offset": (
        lambda: BusinessCalendar(tz=wrong(timezone(timedelta(hours=3))), week=NINE_TO_FIVE),
        "tz: is the tzinfo datetime.timezone(datetime.timedelta(seconds=10800)), not the "
        "name of a time zone (fix: give an IANA key such as 'Europe/Berlin')",
    ),
    "zone-empty": (
        lambda: BusinessCalendar(tz="", week=NINE_TO_FIVE),
        "tz: '' is not a time zone name (fix: give an IANA key such as 'Europe/Berlin')",
    ),
    "zone-of-the-host": (
        lambda: BusinessCalendar(tz="localtime", week=NINE_TO_FIVE),
        "tz: 'localtime' names whatever zone the host is configured with (/etc/localtime), "
        "so the calendar would differ from machine to machine (fix: give an IANA key such "
        "as 'Europe/Berlin', the zone the desk works in)",
    ),
    "zone-unknown": (
        lambda: BusinessCalendar(tz="Qqqq/Zzzz", week=NINE_TO_FIVE),
        "tz: unknown time zone 'Qqqq/Zzzz' (fix: give an IANA time zone key such as "
        "'Europe/Berlin')",
    ),
    "zone-read-from-a-file": (
        lambda: BusinessCalendar(tz=wrong(ZONE_FROM_A_FILE), week=NINE_TO_FIVE),
        "tz: is a ZoneInfo read from a file, which has no name to write in a document (fix: "
        "give an IANA key such as 'Europe/Berlin', the zone's name in the tz database)",
    ),
    "zone-in-a-folder-of-the-host": (
        lambda: BusinessCalendar(tz="posix/localtime", week=NINE_TO_FIVE),
        "tz: 'posix/localtime' names whatever zone the host is configured with "
        "(/etc/localtime), so the calendar would differ from machine to machine (fix: give "
        "an IANA key such as 'Europe/Berlin', the zone the desk works in)",
    ),
    "zone-too-long-for-a-hint": (
        lambda: BusinessCalendar(tz=LONGEST_ZONE + "x" * 33, week=NINE_TO_FIVE),
        "tz: unknown time zone 'America/Argentina/ComodRiva...xxxxxxxxxxxxxxxxxxxxxxxxxxxx' "
        "(fix: give an IANA time zone key such as 'Europe/Berlin')",
    ),
    "zone-just-short-enough-for-a-hint": (
        lambda: BusinessCalendar(tz=LONGEST_ZONE + "x" * 32, week=NINE_TO_FIVE),
        "tz: unknown time zone 'America/Argentina/ComodRiva...xxxxxxxxxxxxxxxxxxxxxxxxxxxx' "
        "(fix: give an IANA time zone key such as 'Europe/Berlin'; did you mean "
        "'America/Argentina/ComodRivadavia'?)",
    ),
    "country-not-a-string": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, country=wrong(5)),
        "country: 5 is not a string (fix: give a code such as 'DE')",
    ),
    "subdivision-not-a-string": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, country="DE", subdiv=wrong(5)),
        "subdiv: 5 is not a string (fix: give a code such as 'DE')",
    ),
    "subdivision-without-country": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, subdiv="BY"),
        "subdiv: 'BY' is given without a country (fix: give the country it belongs to, or "
        "remove the subdivision)",
    ),
    "country-unknown": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, country="Germany"),
        "country: the holidays package does not know country 'Germany' (fix: give an ISO "
        "3166-1 code it supports, such as 'DE' or 'US')",
    ),
    "subdivision-of-a-country-without-any": (
        lambda: BusinessCalendar(week=NINE_TO_FIVE, country="MC", subdiv="XX"),
        "subdiv: country 'MC' has no subdivision 'XX' (fix: remove the subdivision)",
    ),
}


class TestFaultyCalendars:
    @pytest.mark.parametrize(
        ("build", "problem"), FAULTY_CALENDARS.values(), ids=FAULTY_CALENDARS.keys()
    )
    def test_a_calendar_with_one_fault_is_refused_with_its_problem_and_fix(
        self, build: Callable[[], object], problem: str
    ) -> None:
        """Given a calendar or a window with one fault, when it is built, then the
        refusal holds that one problem: where it is, what is wrong, how to fix it."""
        with pytest.raises(CalendarDefinitionError) as raised:
            build()

        assert "invalid business calendar: 1 problem\n  - " + problem == str(raised.value)

    def test_a_misspelt_zone_is_refused_offering_the_closest_names(self) -> None:
        """Given a calendar in 'Europe/Berln', when it is built, then the refusal offers
        'Europe/Berlin' first among three close names, joined by 'or'."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar(tz="Europe/Berln", week=NINE_TO_FIVE)

        [problem] = raised.value.problems
        assert ("tz", "unknown time zone 'Europe/Berln'") == (problem.where, problem.what)
        assert problem.fix.startswith(
            "give an IANA time zone key such as 'Europe/Berlin'; did you mean 'Europe/Berlin' or '"
        )
        assert (2, "'?") == (problem.fix.count("' or '"), problem.fix[-2:])

    def test_a_lowercase_country_is_refused_offering_its_code(self) -> None:
        """Given a calendar of country 'de', when it is built, then the refusal offers
        'DE' first."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar(week=NINE_TO_FIVE, country="de")

        [problem] = raised.value.problems
        assert problem.fix.startswith(
            "give an ISO 3166-1 code it supports, such as 'DE' or 'US'; did you mean 'DE'"
        )

    def test_an_unknown_subdivision_is_refused_listing_the_countrys(self) -> None:
        """Given a calendar of Germany's subdivision 'XX', when it is built, then the
        refusal lists Germany's subdivisions, Bavaria among them."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar(week=NINE_TO_FIVE, country="DE", subdiv="XX")

        [problem] = raised.value.problems
        assert ("subdiv", "country 'DE' has no subdivision 'XX'") == (
            problem.where,
            problem.what,
        )
        assert problem.fix.startswith("give one of: ")
        assert ", BY, " in problem.fix

    def test_an_unknown_country_is_refused_offering_three_close_codes(self) -> None:
        """Given a calendar of country 'X', which many codes are close to, when it is
        built, then the refusal offers three of them, joined by 'or'."""
        with pytest.raises(CalendarDefinitionError) as raised:
            BusinessCalendar(week=NINE_TO_FIVE, country="X")

        [problem] = raised.value.problems
        hint = problem.fix.removeprefix(
            "give an ISO 3166-1 code it supports, such as 'DE' or 'US'; did you mean '"
        )
        assert (2, "'?") == (hint.count("' or '"), hint[-2:])

    def test_midnight_to_midnight_is_refused_as_no_window(self) -> None:
        """Given the text '00:00-00:00', when it is parsed, then it is refused (a whole
        day is written 00:00-24:00)."""
        with pytest.raises(CalendarDefinitionError) as raised:
            Window.parse("00:00-00:00")

        assert ["window '00:00-00:00'"] == [p.where for p in raised.value.problems]


class TestValidCalendarParts:
    def test_a_window_may_touch_either_end_of_the_day(self) -> None:
        """Given the first minute, the last minute and the whole of a day, when each is
        built as a window, then each keeps its minutes."""
        windows = [Window(0, 1), Window(1439, 1440), Window(0, 1440)]

        assert [(0, 1), (1439, 1440), (0, 1440)] == [(w.start, w.end) for w in windows]

    @pytest.mark.parametrize(
        ("text", "minutes"),
        [
            ("09:00\u201317:00", (540, 1020)),
            ("12:00-24:00", (720, 1440)),
            ("22:00-00:00", (1320, 1440)),
        ],
        ids=["en-dash", "until-24:00", "until-00:00"],
    )
    def test_a_window_text_is_read_to_its_minutes(
        self, text: str, minutes: tuple[int, int]
    ) -> None:
        """Given a window written with an en dash, or ending at 24:00 or 00:00 (both
        midnight), when it is parsed, then it has the minutes meant."""
        window = Window.parse(text)

        assert minutes == (window.start, window.end)

    def test_a_week_of_one_window_is_open_in_it(self) -> None:
        """Given a week open only on Monday 09:00-17:00, when the calendar is built, then
        it is open at 10:00 on Monday 2 March 2026."""
        calendar = BusinessCalendar(tz="UTC", week=[(EIGHT_HOURS,)] + [()] * 6)

        assert calendar.is_open(utc(2026, 3, 2, 10))

    def test_touching_windows_are_no_overlap(self) -> None:
        """Given Monday windows 09:00-12:00 and 12:00-17:00, which touch, when the
        calendar is built, then it is open at 12:00 on Monday 2 March 2026."""
        morning, afternoon = Window.parse("09:00-12:00"), Window.parse("12:00-17:00")
        calendar = BusinessCalendar(tz="UTC", week=[(morning, afternoon)] + [()] * 6)

        assert calendar.is_open(utc(2026, 3, 2, 12))

    def test_a_holiday_and_another_extra_workday_both_hold(self) -> None:
        """Given a Monday-to-Friday calendar with Tuesday 3 March 2026 a holiday and
        Saturday 7 March an extra workday, when it is built, then it is closed on the
        Tuesday and open on the Saturday at 10:00."""
        calendar = BusinessCalendar(
            tz="UTC",
            week=NINE_TO_FIVE,
            holidays=[date(2026, 3, 3)],
            extra_workdays=[date(2026, 3, 7)],
        )

        opened = (calendar.is_open(utc(2026, 3, 3, 10)), calendar.is_open(utc(2026, 3, 7, 10)))

        assert (False, True) == opened


ALWAYS = BusinessCalendar.always_open("UTC")
MICROSECOND = timedelta(microseconds=1)


class TestInstantsToTheMicrosecond:
    def test_the_first_instant_of_the_range_is_answered_for(self) -> None:
        """Given an always-open calendar, when asked whether it is open at midnight of
        0001-01-02, the first instant answered for, then it is."""
        assert ALWAYS.is_open(utc(1, 1, 2))

    def test_the_instant_after_the_range_is_refused(self) -> None:
        """Given an always-open calendar, when asked whether it is open at midnight of
        9999-12-31, the first instant past the range, then it is refused as out of range."""
        with pytest.raises(CalendarRangeError):
            ALWAYS.is_open(utc(9999, 12, 31))

    def test_business_time_is_counted_to_the_microsecond(self) -> None:
        """Given an always-open calendar, when the time from 10:00:00.000001 to
        10:00:00.000003 is counted, then it is two microseconds."""
        start = MONDAY + MICROSECOND

        assert 2 * MICROSECOND == ALWAYS.between(start, start + 2 * MICROSECOND)

    def test_a_microsecond_of_business_time_is_added_exactly(self) -> None:
        """Given an always-open calendar, when one microsecond is added to Monday 10:00,
        then the answer is one microsecond later, to the microsecond."""
        later = ALWAYS.add(MONDAY, MICROSECOND)

        assert (MONDAY + MICROSECOND, 1) == (later, later.microsecond)


# Monday to Friday 09:00-17:00 with closures on Monday 2 March 2026.
def closed_on_monday(*windows: str) -> BusinessCalendar:
    """The Monday-to-Friday 09:00-17:00 calendar closed during ``windows`` on 2 March 2026."""
    closures = [Closure(date(2026, 3, 2), Window.parse(w)) for w in windows]
    return BusinessCalendar(tz="UTC", week=NINE_TO_FIVE, closures=closures)


class TestClosures:
    def test_a_closure_at_the_opening_moves_the_opening(self) -> None:
        """Given Monday closed 09:00-10:00, when asked at 08:00 when it next opens, then
        at 10:00."""
        assert utc(2026, 3, 2, 10) == closed_on_monday("09:00-10:00").next_open(utc(2026, 3, 2, 8))

    def test_a_closure_until_the_closing_ends_the_day_early(self) -> None:
        """Given Monday closed 16:00-17:00, when asked at 16:30 when it next opens, then
        on Tuesday at 09:00."""
        assert utc(2026, 3, 3, 9) == closed_on_monday("16:00-17:00").next_open(
            utc(2026, 3, 2, 16, 30)
        )

    def test_two_closures_in_one_window_both_count(self) -> None:
        """Given Monday closed 10:00-11:00 and 14:00-15:00, when the business time of
        Monday 09:00-17:00 is counted, then six hours."""
        calendar = closed_on_monday("10:00-11:00", "14:00-15:00")

        assert timedelta(hours=6) == calendar.between(utc(2026, 3, 2, 9), utc(2026, 3, 2, 17))


class TestAddingToTheEndsOfTheRange:
    def test_business_time_added_may_end_at_the_end_of_the_range(self) -> None:
        """Given an always-open calendar, when one day is added to 9999-12-30 00:00,
        then the answer is 9999-12-31 00:00, the instant the range ends at."""
        later = BusinessCalendar.always_open("UTC").add(utc(9999, 12, 30), timedelta(days=1))

        assert utc(9999, 12, 31) == later

    def test_business_time_taken_back_may_end_at_the_first_instant(self) -> None:
        """Given an always-open calendar, when one day is taken back from 0001-01-03
        00:00, then the answer is 0001-01-02 00:00, the first instant answered for."""
        earlier = BusinessCalendar.always_open("UTC").add(utc(1, 1, 3), -timedelta(days=1))

        assert utc(1, 1, 2) == earlier

    def test_business_time_added_may_cross_into_the_last_year(self) -> None:
        """Given an always-open calendar, when one day is added to 9998-12-31 12:00,
        then the answer is 9999-01-01 12:00, in the last year answered for."""
        later = BusinessCalendar.always_open("UTC").add(utc(9998, 12, 31, 12), timedelta(days=1))

        assert utc(9999, 1, 1, 12) == later


class TestOpenTimeOfYears:
    def test_a_whole_year_of_an_always_open_calendar_is_all_its_days(self) -> None:
        """Given an always-open calendar, when the business time from 1 January 2026 to
        1 January 2027 is counted, then it is exactly 365 days."""
        counted = BusinessCalendar.always_open("UTC").between(utc(2026, 1, 1), utc(2027, 1, 1))

        assert timedelta(days=365) == counted

    def test_time_before_a_years_first_opening_counts_nothing(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar, when the business time from
        08:00 to 10:00 on Thursday 1 January 2026 is counted, then it is exactly the one
        hour after the year's first opening."""
        counted = BusinessCalendar.weekdays("UTC").between(utc(2026, 1, 1, 8), utc(2026, 1, 1, 10))

        assert timedelta(hours=1) == counted


BERLIN = ZoneInfo("Europe/Berlin")


class TestYearsBuiltAtTheirEdges:
    def test_a_window_the_clocks_skip_is_no_opening(self) -> None:
        """Given a Berlin calendar open only on Sundays 02:00-02:30, when asked at noon
        on Saturday 28 March 2026 when it next opens, then on Sunday 5 April at 02:00:
        on 29 March the clocks skip from 02:00 to 03:00, so that Sunday never opens."""
        calendar = BusinessCalendar.from_document(
            {"tz": "Europe/Berlin", "week": {"sun": "02:00-02:30"}}
        )

        opens = calendar.next_open(datetime(2026, 3, 28, 12, tzinfo=BERLIN))

        assert datetime(2026, 4, 5, 2, tzinfo=BERLIN) == opens

    def test_a_closure_on_new_years_day_closes(self) -> None:
        """Given an always-open calendar closed 09:00-12:00 on 1 January 2027, when
        asked at 10:00 that day when it next opens, then at 12:00."""
        closure = Closure(date(2027, 1, 1), Window.parse("09:00-12:00"))
        calendar = BusinessCalendar(tz="UTC", week=[WHOLE_DAY] * 7, closures=[closure])

        assert utc(2027, 1, 1, 12) == calendar.next_open(utc(2027, 1, 1, 10))

    def test_closures_in_two_years_each_close(self) -> None:
        """Given a Monday-to-Friday 09:00-17:00 calendar closed all day on Monday 2 March
        2026 and on Tuesday 2 March 2027, when asked at 10:00 on 2 March 2026 whether it
        is open, then it is not: a closure of a later year leaves this year's in place."""
        closures = [
            Closure(date(2026, 3, 2), Window.parse("09:00-17:00")),
            Closure(date(2027, 3, 2), Window.parse("09:00-17:00")),
        ]
        calendar = BusinessCalendar(tz="UTC", week=NINE_TO_FIVE, closures=closures)

        assert calendar.is_open(utc(2026, 3, 2, 10)) is False

    @pytest.mark.parametrize(
        "at", [utc(2026, 3, 2, 23), utc(2026, 3, 3, 2)], ids=["before-midnight", "after-midnight"]
    )
    def test_an_overnight_closure_closes_into_the_next_day(self, at: datetime) -> None:
        """Given an always-open calendar closed 22:00-06:00 overnight from Monday 2 March
        2026, when asked whether it is open at 23:00 that Monday or at 02:00 on the
        Tuesday, then it is not."""
        closure = Closure(date(2026, 3, 2), Window.parse("22:00-06:00"))
        calendar = BusinessCalendar(tz="UTC", week=[WHOLE_DAY] * 7, closures=[closure])

        assert calendar.is_open(at) is False

    def test_a_day_whose_opening_starts_at_the_next_midnight_is_no_business_day(self) -> None:
        """Given a calendar open only on Tuesdays 00:00-08:00, when the business days of
        Monday 2 March 2026 alone are counted, then there are none: its only neighbour
        opening starts at the midnight ending it."""
        calendar = BusinessCalendar.from_document({"tz": "UTC", "week": {"tue": "00:00-08:00"}})

        assert 0 == calendar.business_days_between(date(2026, 3, 2), date(2026, 3, 3))


BISSAU = ZoneInfo("Africa/Bissau")


class TestWallTimesToTheSecond:
    def test_a_wall_time_skipped_to_the_second_moves_to_the_transition(self) -> None:
        """Given an always-open Bissau calendar, whose clocks skipped from 23:57:40 on
        31 December 1911 to midnight (local mean time to -01:00), when one day is added
        to 23:57:45 on 30 December, then the answer is that midnight: 23:57:45 never
        showed on the 31st."""
        calendar = BusinessCalendar.always_open("Africa/Bissau")

        moved = calendar.add_days(datetime(1911, 12, 30, 23, 57, 45, tzinfo=BISSAU), 1)

        assert datetime(1912, 1, 1, 1, tzinfo=UTC) == moved

    def test_a_wall_time_in_a_gap_moves_to_the_transition_exactly(self) -> None:
        """Given an always-open Berlin calendar, when one day is added to 02:02 on
        Saturday 28 March 2026, then the answer is the transition of 29 March, 01:00 UTC
        to the microsecond: 02:02 never showed that Sunday."""
        calendar = BusinessCalendar.always_open("Europe/Berlin")

        moved = calendar.add_days(datetime(2026, 3, 28, 2, 2, tzinfo=BERLIN), 1)

        assert (datetime(2026, 3, 29, 1, tzinfo=UTC), 0) == (moved, moved.microsecond)

    def test_a_wall_time_late_in_the_day_keeps_its_minutes(self) -> None:
        """Given an always-open UTC calendar, when one day is added to 23:45 on Monday
        2 March 2026, then the answer is 23:45 on the Tuesday."""
        later = BusinessCalendar.always_open("UTC").add_days(utc(2026, 3, 2, 23, 45), 1)

        assert utc(2026, 3, 3, 23, 45) == later


PHOENIX = ZoneInfo("America/Phoenix")


class TestInstantsAroundNewYear:
    def test_the_first_instant_of_a_year_just_after_the_year_before_is_open(self) -> None:
        """Given an always-open UTC calendar just asked about June 2026, when asked
        whether it is open at midnight of 1 January 2027, then it is."""
        calendar = BusinessCalendar.always_open("UTC")
        calendar.is_open(utc(2026, 6, 1))

        assert calendar.is_open(utc(2027, 1, 1)) is True

    def test_an_instant_showing_the_old_year_after_the_new_one_began_is_answered(
        self,
    ) -> None:
        """Given an always-open Phoenix calendar, whose clocks went back from 00:01 on
        1 January 1944 to 23:01 on 31 December 1943, when asked whether it is open at
        06:30 UTC, shown as 23:30 on 31 December after 1944 began, then it is."""
        calendar = BusinessCalendar.always_open("America/Phoenix")
        instant = datetime(1944, 1, 1, 6, 30, tzinfo=UTC)

        assert (1943, True) == (instant.astimezone(PHOENIX).year, calendar.is_open(instant))

    def test_the_hosts_time_zone_plays_no_part(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Given a host whose local time is UTC+14 and an always-open calendar at
        UTC-12, when asked whether it is open at 23:59 on 30 December 9999, its last
        minute, then it is (though the host's clock would read the year 10000)."""
        calendar = BusinessCalendar.always_open("Etc/GMT+12")
        monkeypatch.setenv("TZ", "Etc/GMT-14")
        time.tzset()
        try:
            opened = calendar.is_open(datetime(9999, 12, 30, 23, 59, tzinfo=ZoneInfo("Etc/GMT+12")))
        finally:
            monkeypatch.undo()
            time.tzset()

        assert opened is True
